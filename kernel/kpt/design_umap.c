/*
 * Design "umap": per-process kernel tables as in perproc (common_private.c)
 * that also mirror the process's user mappings, without PTE_U, in a
 * private level-1 table under root slot 0. copyin and copyinstr then
 * dereference user addresses directly after checking the range.
 *
 * Invariant: in the mirror, [0, p->vm->sz) holds exactly the user table's
 * PTE_U pages with PTE_U cleared; the only page of [0, p->vm->sz) without
 * PTE_U is the stack guard (p->vm->guardva), which is not mirrored, and the
 * copy routines accept only what the user-range rule accepts (proc.h:
 * proc_user_span), never the guard, so they never fault.
 */
#include "kernel/aspace.h"
#include "kernel/counters.h"
#include "kernel/klib.h"
#include "kernel/kpt/common_private.h"
#include "kernel/kpt/kpt.h"
#include "kernel/memlayout.h"
#include "kernel/printf.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"
#include "kernel/vm.h"

/* Level-1 slots of root[0] that belong to the mirror (below PLIC); the
 * rest of the global level-1 table (PLIC, UART) is shared. */
#define MIRROR_L1 PX(1, USERTOP)
#define MIRROR_SPAN (1UL << PX_SHIFT(1)) /* bytes one level-0 table maps */
#define PTE_MIRROR_MASK (PTE_PERM & ~PTE_U)

static pagetable_t
mirror_l1(struct proc *p)
{
	return (pagetable_t)PTE2PA(p->vm->kpagetable[0]);
}

_Static_assert(USERTOP % MIRROR_SPAN == 0 && PX(2, USERTOP - 1) == 0,
               "USERTOP must end a level-0 span in root slot 0");

int
kpt_init(struct proc *p)
{
	if (kpriv_create(p, KPRIV_SHARE) != 0)
		return -1;
	pagetable_t l1 = vm_table_alloc(PT_KPROC);
	if (l1 == 0) {
		kpriv_destroy(p);
		return -1;
	}
	vm_share(l1, mirror_l1(p), MIRROR_L1, 512);
	p->vm->kpagetable[0] = PA2PTE(l1) | PTE_V;
	return 0;
}

/* The mirror's tables are p's own: kpriv_destroy frees them with the
 * rest (the user frames they map are the user table's). */
void
kpt_free(struct proc *p)
{
	kpriv_destroy(p);
}

/* The mirror of [lo, hi) changed: fence what a TLB may hold of it. */
static void
mirror_fence(struct proc *p, uint64 lo, uint64 hi)
{
	lo = PGROUNDUP(lo);
	hi = PGROUNDUP(hi);
	if (hi > lo)
		aspace_changed(p->vm->kpagetable, &p->vm->kas, lo, (hi - lo) / PGSIZE);
}

/* Mirror upt's user pages in [lo, hi) (lo rounded up to a page). 0, or -1
 * when a table page cannot be allocated (partial mirror left). */
static int
mirror_map(struct proc *p, pagetable_t upt, uint64 lo, uint64 hi)
{
	pagetable_t kpt = p->vm->kpagetable;
	for (uint64 va = PGROUNDUP(lo); va < hi; va += PGSIZE) {
		pte_t *u = vm_walk(upt, va, PT_NONE);
		if (u == 0 || !(*u & PTE_V))
			panic("mirror_map: user page %p missing", va);
		if (!(*u & PTE_U))
			continue; /* the stack guard */
		pte_t *k = vm_walk(kpt, va, PT_KPROC);
		if (k == 0)
			return -1;
		*k = PA2PTE(PTE2PA(*u)) | (*u & PTE_MIRROR_MASK);
	}
	return 0;
}

/* Remove the mirror of [lo, hi) (lo rounded up to a page). */
static void
mirror_unmap(struct proc *p, uint64 lo, uint64 hi)
{
	pagetable_t kpt = p->vm->kpagetable;
	for (uint64 va = PGROUNDUP(lo); va < hi; va += PGSIZE) {
		pte_t *k = vm_walk(kpt, va, PT_NONE);
		if (k)
			*k = 0;
	}
}

int
kpt_user_changed(struct proc *p, uint64 oldsz, uint64 newsz)
{
	int r = 0;
	if (newsz > oldsz) {
		r = mirror_map(p, p->vm->pagetable, oldsz, newsz);
	} else if (newsz < oldsz) {
		mirror_unmap(p, newsz, oldsz);
		mirror_fence(p, newsz, oldsz);
	}
	return r;
}

int
kpt_user_replaced(struct proc *p, pagetable_t newpt, uint64 newsz)
{
	/* Allocate every level-0 table first, so that once the old mirror
	 * is gone nothing can fail. */
	for (uint64 va = 0; va < newsz; va += MIRROR_SPAN)
		if (vm_walk(p->vm->kpagetable, va, PT_KPROC) == 0)
			return -1;
	mirror_unmap(p, 0, p->vm->sz);
	if (mirror_map(p, newpt, 0, newsz) != 0)
		panic("kpt_user_replaced: mirror tables vanished");
	/* What the new image maps over the old one's pages changed too. */
	mirror_fence(p, 0, p->vm->sz > newsz ? p->vm->sz : newsz);
	return 0;
}

void
kpt_user_committed(struct proc *p, pagetable_t oldpt)
{
}

/* copyin's and copyinstr's copies, inlined into both of their paths. */
static inline __attribute__((always_inline)) int
direct_in(struct proc *p, char *dst, uint64 srcva, uint64 len)
{
	if (!proc_range_ok(p, srcva, len))
		return -1;
	memmove(dst, (const void *)srcva, len);
	return 0;
}

static inline __attribute__((always_inline)) int
direct_instr(struct proc *p, char *dst, uint64 srcva, uint64 max)
{
	uint64 n = proc_user_span(p, srcva, max);
	const char *src = (const char *)srcva;
	for (uint64 i = 0; i < n; i++) {
		if ((dst[i] = src[i]) == 0) {
			COUNT(copyinstr_bytes, i + 1);
			return 0;
		}
	}
	COUNT(copyinstr_bytes, n);
	return -1;
}

int
copyin(struct proc *p, char *dst, uint64 srcva, uint64 len)
{
	COUNT(copyin_calls, 1);
	COUNT(copyin_bytes, len);
	if (proc_shared(p))
		return vmspace_copy_locked(p, direct_in, dst, srcva, len);
	return direct_in(p, dst, srcva, len);
}

int
copyinstr(struct proc *p, char *dst, uint64 srcva, uint64 max)
{
	COUNT(copyinstr_calls, 1);
	if (proc_shared(p))
		return vmspace_copy_locked(p, direct_instr, dst, srcva, max);
	return direct_instr(p, dst, srcva, max);
}

int
kpt_check(struct proc *p)
{
	int bad = 0;
	for (uint64 va = 0; va < USERTOP; va += PGSIZE) {
		if (va % MIRROR_SPAN == 0 && va >= p->vm->sz &&
		    vm_walk(p->vm->kpagetable, va, PT_NONE) == 0) {
			va += MIRROR_SPAN - PGSIZE; /* no mirror table here */
			continue;
		}
		pte_t *u = va < p->vm->sz ? vm_walk(p->vm->pagetable, va, PT_NONE) : 0;
		pte_t *k = vm_walk(p->vm->kpagetable, va, PT_NONE);
		pte_t want = 0, have = k ? (*k & (~0x3FFUL | PTE_MIRROR_MASK)) : 0;
		if (u && (*u & PTE_V) && (*u & PTE_U))
			want = PA2PTE(PTE2PA(*u)) | (*u & PTE_MIRROR_MASK);
		if (have != want)
			bad++;
	}
	return bad;
}
