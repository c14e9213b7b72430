/*
 * Design "perproc_copy": a kernel page table per process, as in perproc,
 * but built as a private copy of the whole kernel map at the global
 * table's own granularity (every table page copied, the leaves pointing
 * at the same frames): what most solutions of the MIT 6.S081 page-table
 * lab build with a kvminit-like function. Loaded by the scheduler like
 * perproc's (common_private.c); copyin and copyinstr walk the user table
 * (common_walkcopy.c). Freeing it frees every table page it copied and
 * its kernel stack, never a frame the leaves map.
 */
#include "kernel/kpt/common_private.h"
#include "kernel/kpt/kpt.h"
#include "kernel/proc.h"

int
kpt_init(struct proc *p)
{
	return kpriv_create(p, KPRIV_COPY);
}

void
kpt_free(struct proc *p)
{
	kpriv_destroy(p);
}
