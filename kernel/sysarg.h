#ifndef PTBENCH_SYSARG_H
#define PTBENCH_SYSARG_H

#include "proc.h"
#include "riscv.h"
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

/*
 * Whether the user buffer [va, va+n) lies inside p's memory [0, p->sz)
 * and clear of its stack guard page (an empty range touches nothing).
 * Calls that move bytes to or from a user buffer check it first, so that
 * a refused call has moved no byte, in any design: the copy routines
 * would otherwise fail part way, after a prefix was copied. Within the
 * range only read-only text, which comes first in memory, can still make
 * a copy out fail, and then at its first page.
 */
static inline int
arg_buf_ok(struct proc *p, uint64 va, uint64 n)
{
	if (va > p->sz || n > p->sz - va)
		return 0;
	return n == 0 || va >= p->guardva + PGSIZE || va + n <= p->guardva;
}

#endif
