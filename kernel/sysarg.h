#ifndef PTBENCH_SYSARG_H
#define PTBENCH_SYSARG_H

#include "proc.h"
#include "syscall.h"
#include "types.h"

/*
 * Fetching system call arguments from the current process's trap frame
 * (a0..a5). Handlers are "uint64 sys_name(void)" and return (uint64)-1 on
 * error.
 */
/* The handlers by call number (syscall.c; 0 where none), and what an
 * unknown number gets: a message and -1 in p's a0. trap.c dispatches. */
extern uint64 (*const syscall_table[NSYSCALL])(void);
void syscall_unknown(struct proc *p);

static inline uint64
argaddr(int n)
{
	return myproc()->trapframe->x[REG_A0 + n];
}

static inline int
argint(int n)
{
	return (int)argaddr(n);
}

/* Copy argument n, a user string, into buf (max bytes with the NUL).
 * Its length, or -1 when unreadable or too long. */
int argstr(int n, char *buf, int max);

#endif
