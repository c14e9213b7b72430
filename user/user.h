#ifndef PTBENCH_USER_H
#define PTBENCH_USER_H

/*
 * The whole user-space API: system calls (user/usys.S), the small C
 * library (ulib.c, printf.c, umalloc.c) and counter readers. It follows
 * xv6's names and signatures so that xv6-style programs build unchanged.
 */

#include <stdarg.h>

#include "kernel/types.h"

struct stat;
struct kstats;

/* System calls: -1 on any error (bad descriptor, pointer, path...). */
int fork(void);
void exit(int status) __attribute__((noreturn));
int wait(int *status);
int pipe(int *fds);
int write(int fd, const void *buf, int n);
int read(int fd, void *buf, int n);
int close(int fd);
int kill(int pid);
int exec(const char *path, char **argv);
int open(const char *path, int flags);
int mknod(const char *path, short major, short minor);
int unlink(const char *path);
int fstat(int fd, struct stat *st);
int link(const char *oldpath, const char *newpath);
int mkdir(const char *path);
int chdir(const char *path);
int dup(int fd);
int getpid(void);
char *sbrk(int n);
int sleep(int ticks);
int uptime(void);

/* ptbench's own calls. */
int kstats(struct kstats *ks);
void poweroff(int status) __attribute__((noreturn));
int vmprint(int which); /* 0: caller's user table, 1: its kernel table */
int kptcheck(void);     /* user table / kernel mirror mismatches, 0 if none */
int design(char *buf, int n); /* the kernel's traits line, see kernel/kpt/kpt.h */
int pin(int hart); /* run on that hart only from now on (-1: any); -1 if it is not running */
int uprobe(void *va); /* 1 if the kernel faults reading user va outside a copy, else 0 */
struct ptdump_entry;
/* A page table's entries from key start on (kernel/ptdump.h): count or -1. */
int ptdump(int which, uint64 start, struct ptdump_entry *buf, int n);
/*
 * Threads (kernel/proc.h has the rules). thread_create starts fn(arg) in
 * a new thread of the caller's process, sharing its memory and
 * descriptors, on the stack whose top is stacktop (16-byte aligned,
 * inside the caller's memory; the caller owns it); fn must end with
 * thread_exit (returning from it faults). Its tid, or -1 (bad fn or
 * stack, NTHREAD threads already, out of memory). thread_join waits for
 * thread tid of the same process and frees it, storing its status unless
 * status is 0: tid, or -1. thread_exit ends the calling thread (in the
 * process's first thread: exit). exit() from any thread ends them all;
 * exec from one ends the others; kill(pid) kills every thread.
 */
int thread_create(void (*fn)(void *), void *arg, void *stacktop);
int thread_join(int tid, int *status);
void thread_exit(int status) __attribute__((noreturn));
/* The TLB shootdown policy's knob (kernel/shoot.h: SHOOT_TARGET, ...):
 * read with value -1, or set; the old value, or -1 (bad knob or value,
 * or Svinval asked of harts without it). */
int shootctl(int knob, int value);
/* Console ^C kills pid and its descendants if pid is the caller's child;
 * several pids may be foreground at once; fgset(0) clears the set (sh). */
int fgset(int pid);

/* ulib.c */
int stat(const char *path, struct stat *st);
char *strcpy(char *dst, const char *src);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, uint n);
uint strlen(const char *s);
char *strchr(const char *s, char c);
void *memset(void *dst, int c, uint n);
void *memmove(void *dst, const void *src, int n);
void *memcpy(void *dst, const void *src, uint n);
int memcmp(const void *a, const void *b, uint n);
char *gets(char *buf, int max);
int atoi(const char *s);
int wait_pid(int pid); /* wait for that child, reaping others; its status */
/* The value of trait key in the kernel's traits line (design()) into
 * out, NUL-terminated: its length, or -1 if there is no such key or the
 * value does not fit in n bytes. */
int design_trait(const char *key, char *out, int n);

/* printf.c: %d %u %x %p %s %c %% with optional l (long), width, '-', '0'. */
void printf(const char *fmt, ...);
void fprintf(int fd, const char *fmt, ...);
void vfprintf(int fd, const char *fmt, va_list ap);
int snprintf(char *buf, int n, const char *fmt, ...);
int vsnprintf(char *buf, int n, const char *fmt, va_list ap);

/* umalloc.c */
void *malloc(uint n);
void free(void *p);

/*
 * Hardware counters, readable from user mode (the kernel enables them in
 * mcounteren and scounteren). Under QEMU with -icount shift=0 cycle and
 * instret both count executed instructions.
 */
static inline uint64
rdcycle(void)
{
	uint64 x;

	asm volatile("csrr %0, cycle" : "=r"(x));
	return x;
}

static inline uint64
rdinstret(void)
{
	uint64 x;

	asm volatile("csrr %0, instret" : "=r"(x));
	return x;
}

static inline uint64
rdtime(void)
{
	uint64 x;

	asm volatile("csrr %0, time" : "=r"(x));
	return x;
}

#endif
