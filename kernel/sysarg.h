#ifndef PTBENCH_SYSARG_H
#define PTBENCH_SYSARG_H

#include "proc.h"
#include "types.h"

/*
 * Fetching system call arguments from the current process's trap frame
 * (a0..a5). Handlers are "uint64 sys_name(void)" and return (uint64)-1 on
 * error.
 */
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
