#ifndef PTBENCH_SYSCALL_H
#define PTBENCH_SYSCALL_H

/* System call numbers: 1..21 as xv6-riscv; ptbench's own from 22. */
#define SYS_fork 1
#define SYS_exit 2
#define SYS_wait 3
#define SYS_pipe 4
#define SYS_read 5
#define SYS_kill 6
#define SYS_exec 7
#define SYS_fstat 8
#define SYS_chdir 9
#define SYS_dup 10
#define SYS_getpid 11
#define SYS_sbrk 12
#define SYS_sleep 13
#define SYS_uptime 14
#define SYS_open 15
#define SYS_write 16
#define SYS_mknod 17
#define SYS_unlink 18
#define SYS_link 19
#define SYS_mkdir 20
#define SYS_close 21
#define SYS_kstats 22   /* int kstats(struct kstats *) */
#define SYS_poweroff 23 /* void poweroff(int status): never returns */
#define SYS_vmprint 24  /* int vmprint(int which): 0 user table, 1 kernel table */
#define SYS_kptcheck                                                                               \
	25            /* int kptcheck(void): mismatches between user table and its kernel mirror */
#define SYS_design 26 /* int design(char *buf, int n): the config's traits line */
#define SYS_ptdump 27 /* int ptdump(int which, uint64 start, struct ptdump_entry *, int n) */
#define SYS_fgset 28  /* int fgset(int pid): the console's foreground job (^C) */
#define SYS_uprobe 29 /* int uprobe(void *va): 1 if a kernel read of user va faults, else 0 */

#define SYS_pin 30    /* int pin(int hart): run on hart only (-1: any) */
#define SYS_thread_create 31 /* int thread_create(void (*fn)(void *), void *arg, void *stacktop) */
#define SYS_thread_join 32   /* int thread_join(int tid, int *status) */
#define SYS_thread_exit 33   /* void thread_exit(int status): never returns */

#define SYS_shootctl 34 /* int shootctl(int knob, int value): the old value, or -1 (kernel/shoot.h) */

#define NSYSCALL 35

#endif
