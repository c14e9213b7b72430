#ifndef PTBENCH_KPT_PRIVATE_H
#define PTBENCH_KPT_PRIVATE_H

#include "kernel/types.h"

/*
 * Per-process kernel tables, shared by the perproc and umap designs.
 *
 * A process's table is a root page of its own whose entries point at the
 * global kernel table's level-1 tables (kernel text and RAM, devices,
 * trampoline: shared, never freed), plus one private subtree in root slot
 * KSTACK_PRIV_ROOT that maps the process's own kernel stack at
 * KSTACK_PRIV. umap replaces root slot 0 with a private level-1 table too.
 * perproc_copy (KPRIV_COPY) copies every table instead of sharing: the
 * 6.S081 lab's usual per-process kernel table.
 *
 *   root[0]                 shared (perproc) / private mirror (umap)
 *   root[2]                 shared: KERNBASE..PHYSTOP
 *   root[KSTACK_PRIV_ROOT]  private: level-1 + level-0 + stack pages
 *   root[255]               shared: finisher, trampoline
 *
 * common_private.c also implements kpt_boot, kpt_switch_to, kpt_switch_back,
 * kpt_satp and kpt_print of kpt.h for these designs.
 */
struct proc;

/* How the kernel map gets into a per-process table. */
enum kpriv_build {
	KPRIV_SHARE, /* root entries point at the global table's subtrees */
	KPRIV_COPY,  /* a private copy of every table of the global one */
};

/* Build p->vm->kpagetable and p->kstack. 0, or -1 with nothing allocated. */
int kpriv_create(struct proc *p, enum kpriv_build how);
/* Free the stack and every table page p->vm->kpagetable owns (its private
 * subtrees included), never a shared table or a mapped frame. */
void kpriv_destroy(struct proc *p);

#endif
