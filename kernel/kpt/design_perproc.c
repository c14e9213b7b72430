/*
 * Design "perproc": every process has its own kernel page table (the
 * kernel map plus its own kernel stack, common_private.c). The scheduler
 * loads it before switching to the process and puts the global table
 * back after: a satp write and a TLB flush each way (common_private.c).
 * copyin and copyinstr walk the user table in software, as in global
 * (common_walkcopy.c).
 */
#include "kernel/kpt/kpt.h"
#include "kernel/kpt/common_private.h"
#include "kernel/proc.h"

int
kpt_init(struct proc *p)
{
	return kpriv_create(p, KPRIV_SHARE);
}

void
kpt_free(struct proc *p)
{
	kpriv_destroy(p);
}
