/*
 * Common page-table machinery (Sv39, RISC-V privileged spec 4.4): the
 * global kernel table, user tables, and the software-walk copy routines.
 * Every design shares this file; what differs lives in kpt/design_<design>.c.
 */
#include "kernel/vm.h"
#include "kernel/counters.h"
#include "kernel/kalloc.h"
#include "kernel/klib.h"
#include "kernel/memlayout.h"
#include "kernel/printf.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"

pagetable_t kernel_pagetable;

extern char etext[];      /* end of kernel text (kernel.ld) */
extern char trampoline[]; /* trampoline.S */

#define PTE_LEAF (PTE_R | PTE_W | PTE_X)
#define PTE_KRW (PTE_R | PTE_W)
#define PTE_KRX (PTE_R | PTE_X)

static void
count_table_pages(enum pt_kind kind, long n)
{
	if (kind == PT_USER)
		COUNT(ptpages_user, n);
	else if (kind == PT_KPROC)
		COUNT(ptpages_kproc, n);
	else
		COUNT(ptpages_kernel, n);
}

pagetable_t
vm_table_alloc(enum pt_kind kind)
{
	pagetable_t pt = kzalloc();
	if (pt)
		count_table_pages(kind, 1);
	return pt;
}

void
vm_table_free(pagetable_t pt, enum pt_kind kind)
{
	for (int i = 0; i < 512; i++) {
		pte_t pte = pt[i];
		if (!(pte & PTE_V))
			continue;
		if (pte & PTE_LEAF)
			panic("vm_table_free: leaf still mapped");
		vm_table_free((pagetable_t)PTE2PA(pte), kind);
	}
	kfree(pt);
	count_table_pages(kind, -1);
}

void
vm_table_free_page(pagetable_t pt, enum pt_kind kind)
{
	kfree(pt);
	count_table_pages(kind, -1);
}

pte_t *
vm_walk(pagetable_t pt, uint64 va, enum pt_kind kind)
{
	if (va >= MAXVA)
		return 0;
	for (int level = 2; level > 0; level--) {
		pte_t *pte = &pt[PX(level, va)];
		if (*pte & PTE_V) {
			pt = (pagetable_t)PTE2PA(*pte);
			continue;
		}
		if (kind == PT_NONE || (pt = vm_table_alloc(kind)) == 0)
			return 0;
		*pte = PA2PTE(pt) | PTE_V;
	}
	return &pt[PX(0, va)];
}

int
vm_map(pagetable_t pt, uint64 va, uint64 size, uint64 pa, uint64 perm, enum pt_kind kind)
{
	if ((va | size | pa) & (PGSIZE - 1))
		panic("vm_map: unaligned");
	for (uint64 off = 0; off < size; off += PGSIZE) {
		pte_t *pte = vm_walk(pt, va + off, kind);
		if (pte == 0)
			return -1;
		if (*pte & PTE_V)
			panic("vm_map: remap of %p", va + off);
		*pte = PA2PTE(pa + off) | perm | PTE_V;
	}
	return 0;
}

void
vm_unmap(pagetable_t pt, uint64 va, uint64 n, int do_free, int skip_missing)
{
	for (uint64 a = va; a < va + n * PGSIZE; a += PGSIZE) {
		pte_t *pte = vm_walk(pt, a, PT_NONE);
		if (pte == 0 || !(*pte & PTE_V)) {
			if (skip_missing)
				continue;
			panic("vm_unmap: %p not mapped", a);
		}
		if (do_free)
			kfree((void *)PTE2PA(*pte));
		*pte = 0;
	}
}

void
vm_load(pagetable_t pt)
{
	csr_write(satp, MAKE_SATP(pt));
	COUNT(satp_writes, 1);
	vm_flush();
}

static void
kvm_map(uint64 va, uint64 pa, uint64 size, uint64 perm)
{
	if (vm_map(kernel_pagetable, va, size, pa, perm, PT_KERNEL) != 0)
		panic("kvm_map: out of memory");
}

void
kvm_init(void)
{
	kernel_pagetable = vm_table_alloc(PT_KERNEL);
	if (kernel_pagetable == 0)
		panic("kvm_init: out of memory");
	kvm_map(UART0, UART0, PGSIZE, PTE_KRW);
	kvm_map(PLIC, PLIC, PLIC_SIZE, PTE_KRW);
	kvm_map(KERNBASE, KERNBASE, (uint64)etext - KERNBASE, PTE_KRX);
	kvm_map((uint64)etext, (uint64)etext, PHYSTOP - (uint64)etext, PTE_KRW);
	kvm_map(TRAMPOLINE, (uint64)trampoline, PGSIZE, PTE_KRX);
	kvm_map(FINISHER_VA, FINISHER_PA, PGSIZE, PTE_KRW);
}

void
kvm_hart_init(void)
{
	vm_load(kernel_pagetable);
}

/* User tables ------------------------------------------------------------ */

pagetable_t
uvm_create(uint64 trapframe_pa)
{
	pagetable_t pt = vm_table_alloc(PT_USER);
	if (pt == 0)
		return 0;
	if (vm_map(pt, TRAMPOLINE, PGSIZE, (uint64)trampoline, PTE_KRX, PT_USER) == 0 &&
	    vm_map(pt, TRAPFRAME, PGSIZE, trapframe_pa, PTE_KRW, PT_USER) == 0)
		return pt;
	vm_unmap(pt, TRAMPOLINE, 1, 0, 1);
	vm_unmap(pt, TRAPFRAME, 1, 0, 1);
	vm_table_free(pt, PT_USER);
	return 0;
}

static uint64
user_perm(int xflags)
{
	uint64 perm = PTE_R | PTE_U;
	if (xflags & VM_W)
		perm |= PTE_W;
	if (xflags & VM_X)
		perm |= PTE_X;
	return perm;
}

uint64
uvm_alloc(pagetable_t pt, uint64 oldsz, uint64 newsz, int xflags)
{
	if (newsz <= oldsz)
		return oldsz;
	if (newsz > USERTOP)
		return 0;
	uint64 perm = user_perm(xflags);
	for (uint64 a = PGROUNDUP(oldsz); a < newsz; a += PGSIZE) {
		void *mem = kzalloc();
		if (mem == 0 || vm_map(pt, a, PGSIZE, (uint64)mem, perm, PT_USER) != 0) {
			if (mem)
				kfree(mem);
			uvm_dealloc(pt, a, oldsz);
			return 0;
		}
	}
	return newsz;
}

uint64
uvm_dealloc(pagetable_t pt, uint64 oldsz, uint64 newsz)
{
	if (newsz >= oldsz)
		return oldsz;
	uint64 lo = PGROUNDUP(newsz), hi = PGROUNDUP(oldsz);
	if (hi > lo)
		vm_unmap(pt, lo, (hi - lo) / PGSIZE, 1, 0);
	return newsz;
}

void
uvm_free(pagetable_t pt, uint64 sz)
{
	vm_unmap(pt, TRAMPOLINE, 1, 0, 0);
	vm_unmap(pt, TRAPFRAME, 1, 0, 0);
	if (sz > 0)
		vm_unmap(pt, 0, PGROUNDUP(sz) / PGSIZE, 1, 0);
	vm_table_free(pt, PT_USER);
}

int
uvm_copy(pagetable_t parent, pagetable_t child, uint64 sz)
{
	for (uint64 a = 0; a < sz; a += PGSIZE) {
		pte_t *pte = vm_walk(parent, a, PT_NONE);
		if (pte == 0 || !(*pte & PTE_V))
			panic("uvm_copy: %p not mapped", a);
		void *mem = kalloc();
		if (mem == 0) {
			vm_unmap(child, 0, a / PGSIZE, 1, 0);
			return -1;
		}
		memmove(mem, (void *)PTE2PA(*pte), PGSIZE);
		if (vm_map(child, a, PGSIZE, (uint64)mem, PTE_FLAGS(*pte) & PTE_PERM, PT_USER) !=
		    0) {
			kfree(mem);
			vm_unmap(child, 0, a / PGSIZE, 1, 0);
			return -1;
		}
	}
	return 0;
}

void
uvm_guard(pagetable_t pt, uint64 va)
{
	pte_t *pte = vm_walk(pt, va, PT_NONE);
	if (pte == 0)
		panic("uvm_guard: %p not mapped", va);
	*pte &= ~PTE_U;
}

/* Leaf PTE of va if it is valid and user-accessible with all of perm;
 * adds the levels visited to *steps (the copy routines' walk count). */
static inline __attribute__((always_inline)) pte_t *
user_pte(pagetable_t pt, uint64 va, uint64 perm, uint64 *steps)
{
	if (va >= MAXVA)
		return 0;
	for (int level = 2; level > 0; level--) {
		pte_t pte = pt[PX(level, va)];
		(*steps)++;
		if (!(pte & PTE_V) || (pte & PTE_LEAF))
			return 0;
		pt = (pagetable_t)PTE2PA(pte);
	}
	(*steps)++;
	pte_t *leaf = &pt[PX(0, va)];
	if ((*leaf & (PTE_V | PTE_U | perm)) != (PTE_V | PTE_U | perm))
		return 0;
	return leaf;
}

uint64
uvm_pa(pagetable_t pt, uint64 va)
{
	uint64 steps = 0;
	pte_t *pte = user_pte(pt, va, 0, &steps);
	return pte ? PTE2PA(*pte) : 0;
}

/* Whether [va, va+len) stays below MAXVA without wrapping. */
static int
range_ok(uint64 va, uint64 len)
{
	return va < MAXVA && len <= MAXVA - va;
}

/* Whether every page of [va, va+len) is user-accessible with perm. */
static int
user_range_mapped(pagetable_t pt, uint64 va, uint64 len, uint64 perm, uint64 *steps)
{
	for (uint64 page = PGROUNDDOWN(va); page < va + len; page += PGSIZE)
		if (user_pte(pt, page, perm, steps) == 0)
			return 0;
	return 1;
}

/* Whether copies into [va, va+len) cannot fail part way: the range does
 * not wrap, and lies in one page or has every page user-writable. */
static int
whole_writable(pagetable_t pt, uint64 va, uint64 len, uint64 *steps)
{
	if (!range_ok(va, len))
		return 0;
	if (len == 0 || PGROUNDDOWN(va) == PGROUNDDOWN(va + len - 1))
		return 1;
	return user_range_mapped(pt, va, len, PTE_W, steps);
}

int
copyout_check(pagetable_t pt, uint64 va, uint64 len)
{
	uint64 steps = 0;
	int ok = range_ok(va, len) && (len == 0 || user_range_mapped(pt, va, len, PTE_W, &steps));
	COUNT(walk_steps, steps);
	return ok;
}

/* Copy between kernel buf and user va page by page through the walk;
 * to_user picks the direction. 0 or -1. A copy to the user checks
 * first that it cannot fail part way, so that a refused copy has
 * written no byte. */
static int
walk_copy(pagetable_t pt, uint64 va, char *buf, uint64 len, int to_user)
{
	uint64 steps = 0;
	int r = 0;
	if (!range_ok(va, len))
		return -1;
	if (to_user && !whole_writable(pt, va, len, &steps)) {
		COUNT(walk_steps, steps);
		return -1;
	}
	while (len > 0) {
		uint64 page = PGROUNDDOWN(va);
		pte_t *pte = user_pte(pt, page, to_user ? PTE_W : PTE_R, &steps);
		if (pte == 0) {
			r = -1;
			break;
		}
		uint64 n = PGSIZE - (va - page);
		if (n > len)
			n = len;
		char *kva = (char *)(PTE2PA(*pte) + (va - page));
		if (to_user)
			memmove(kva, buf, n);
		else
			memmove(buf, kva, n);
		len -= n;
		buf += n;
		va += n;
	}
	COUNT(walk_steps, steps);
	return r;
}

int
copyout(pagetable_t pt, uint64 dstva, const void *src, uint64 len)
{
	COUNT(copyout_calls, 1);
	COUNT(copyout_bytes, len);
	return walk_copy(pt, dstva, (char *)src, len, 1);
}

int
vm_copyin_walk(struct proc *p, char *dst, uint64 srcva, uint64 len)
{
	COUNT(copyin_calls, 1);
	COUNT(copyin_bytes, len);
	if (!proc_range_ok(p, srcva, len))
		return -1;
	return walk_copy(p->pagetable, srcva, dst, len, 0);
}

int
vm_copyinstr_walk(struct proc *p, char *dst, uint64 srcva, uint64 max)
{
	uint64 steps = 0, copied = 0;
	int r = -1;
	COUNT(copyinstr_calls, 1);
	max = proc_user_span(p, srcva, max);
	while (copied < max) {
		uint64 page = PGROUNDDOWN(srcva);
		pte_t *pte = user_pte(p->pagetable, page, PTE_R, &steps);
		if (pte == 0)
			break;
		uint64 n = PGSIZE - (srcva - page);
		if (n > max - copied)
			n = max - copied;
		const char *src = (const char *)(PTE2PA(*pte) + (srcva - page));
		uint64 i = 0;
		while (i < n && (dst[i] = src[i]) != 0)
			i++;
		copied += i;
		if (i < n) {
			copied++; /* the NUL */
			r = 0;
			break;
		}
		dst += n;
		srcva += n;
	}
	COUNT(walk_steps, steps);
	COUNT(copyinstr_bytes, copied);
	return r;
}

/* vmprint ------------------------------------------------------------- */

static void
vmprint_level(pagetable_t pt, int depth)
{
	static const char *prefix[] = {"..", ".. ..", ".. .. .."};
	for (int i = 0; i < 512; i++) {
		pte_t pte = pt[i];
		if (!(pte & PTE_V))
			continue;
		kprintf("%s%d: pte %p pa %p\n", prefix[depth], i, pte, PTE2PA(pte));
		if (!(pte & PTE_LEAF) && depth < 2)
			vmprint_level((pagetable_t)PTE2PA(pte), depth + 1);
	}
}

void
vmprint(pagetable_t pt)
{
	kprintf("page table %p\n", (uint64)pt);
	vmprint_level(pt, 0);
}
