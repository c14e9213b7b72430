#ifndef PTBENCH_KPT_H
#define PTBENCH_KPT_H

#include "kernel/types.h"

/*
 * The design interface (docs/designs.md). Exactly one kpt/design_<design>.c
 * is linked, chosen by configs/<design>.mk. proc.c, exec.c and sysproc.c
 * call only these.
 */
struct proc;

/* The config this kernel was built as and its traits, one line of
 * key=value words ("config=global-asid design=global asid=1 ..."): made
 * by the Makefile from configs/<design>.mk (config.h). */
extern const char kpt_traits[];

/* Hart 0, after kvm_init: design-wide set-up (e.g. kernel stacks). */
void kpt_boot(void);
/* allocproc, after the (empty) user table of p's new address space is
 * made: give p a kernel stack (p->kstack) and, if the design has one, the
 * address space's kernel page table (p->vm->kpagetable), or the kernel
 * map inside p->vm->pagetable. 0, or -1 when out of memory (nothing
 * held). */
int kpt_init(struct proc *p);
/* freeproc of an address space's last thread p, before the user table
 * is freed: free p's kernel stack and what kpt_init made (never a shared
 * table or frame) and take the kernel map out of the user table if it
 * was put there. */
void kpt_free(struct proc *p);
/* thread_create: give t, a new thread of an existing address space
 * (t->vm, t->tslot set), its own kernel stack (t->kstack). 0, or -1 when
 * out of memory (nothing held). */
int kpt_thread_init(struct proc *t);
/* A thread leaves an address space that lives on: free what
 * kpt_thread_init made (fenced where the address space is cached, as
 * the slot may be reused). kpt_free is for the last thread. */
void kpt_thread_free(struct proc *t);
/* scheduler, before swtch into p / after swtch back. */
void kpt_switch_to(struct proc *p);
void kpt_switch_back(void);
/* satp value the trampoline loads on a trap from p's user mode. */
uint64 kpt_satp(struct proc *p);
/* p's user memory changed from oldsz to newsz in p->vm->pagetable (first
 * process, fork, sbrk up or down): called after the user table grew, or
 * after it shrank. 0, or -1 when out of memory, in which case the caller
 * undoes the change. */
int kpt_user_changed(struct proc *p, uint64 oldsz, uint64 newsz);
/* exec is about to make newpt (of size newsz) p's user table, and will
 * once this returns 0: nothing after it can fail. -1 when out of memory,
 * and then p's old mirror is untouched. */
int kpt_user_replaced(struct proc *p, pagetable_t newpt, uint64 newsz);
/* exec has just made p->vm->pagetable the new table and put its satp
 * values in p's trap frame; oldpt, the one it replaced, is freed next.
 * Cannot fail. */
void kpt_user_committed(struct proc *p, pagetable_t oldpt);
/* Copy from the current process's user memory. 0, or -1 when any byte of
 * [srcva, srcva+len) is not readable by the user. */
int copyin(struct proc *p, char *dst, uint64 srcva, uint64 len);
/* Copy a NUL-terminated string of at most max bytes (NUL included). 0, or
 * -1 when unreadable or no NUL within max. */
int copyinstr(struct proc *p, char *dst, uint64 srcva, uint64 max);
/* Print p's kernel table (the global one in the global design). */
void kpt_print(struct proc *p);
/* Mismatches between p's user table and its kernel mirror (umap); 0 in
 * designs without a mirror. */
int kpt_check(struct proc *p);

#endif
