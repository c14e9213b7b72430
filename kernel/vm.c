/*
 * Common page-table machinery (Sv39, RISC-V privileged spec 4.4): the
 * global kernel table, user tables, and the software-walk copy routines.
 * Every design shares this file; what differs lives in kpt/design_<design>.c.
 */
#include "kernel/vm.h"
#include "config.h"
#include "kernel/aspace.h"
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
/* RSW bit 8 (software's, ignored by the hardware: privileged spec 4.4.1):
 * the entry was copied from another table and points at what that
 * table owns, so freeing this table must leave it alone. */
#define PTE_SHARED (1UL << 8)
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
		if (!(pte & PTE_V) || (pte & PTE_SHARED))
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

/* vm_table_free_private for pt, a table of level (level-0 tables hold
 * only leaves: nothing below them to free). */
static void
free_private(pagetable_t pt, int level, enum pt_kind kind)
{
	for (int i = 0; level > 0 && i < 512; i++) {
		pte_t pte = pt[i];
		if ((pte & (PTE_V | PTE_LEAF | PTE_SHARED)) == PTE_V)
			free_private((pagetable_t)PTE2PA(pte), level - 1, kind);
	}
	vm_table_free_page(pt, kind);
}

void
vm_table_free_private(pagetable_t pt, enum pt_kind kind)
{
	free_private(pt, 2, kind);
}

/* Write one PTE into a per-process kernel table, counted (kstats). */
static inline void
kpt_pte_set(pte_t *dst, pte_t v)
{
	*dst = v;
	COUNT(kpt_ptes, 1);
}

void
vm_share(pagetable_t dst, pagetable_t src, int first, int end)
{
	for (int i = first; i < end; i++)
		if (src[i] & PTE_V)
			kpt_pte_set(&dst[i], src[i] | PTE_SHARED);
}

/* vm_table_copy's work for src, a table of level: the whole page is
 * copied, then each table src owns is replaced by its copy (level-0
 * tables hold only leaves). Adds the PTE slots stored to *ptes. */
static pagetable_t
table_copy(pagetable_t src, int level, enum pt_kind kind, uint64 *ptes)
{
	pagetable_t dst = kalloc();
	if (dst == 0)
		return 0;
	count_table_pages(kind, 1);
	memmove(dst, src, PGSIZE);
	*ptes += 512;
	for (int i = 0; level > 0 && i < 512; i++) {
		pte_t pte = src[i];
		if ((pte & (PTE_V | PTE_LEAF | PTE_SHARED)) != PTE_V)
			continue; /* invalid, a leaf, or not src's own */
		pagetable_t sub = table_copy((pagetable_t)PTE2PA(pte), level - 1, kind, ptes);
		if (sub == 0) {
			for (int j = i; j < 512; j++)
				dst[j] = 0; /* still src's: not to be freed */
			free_private(dst, level, kind);
			return 0;
		}
		dst[i] = PA2PTE(sub) | PTE_FLAGS(pte);
	}
	return dst;
}

pagetable_t
vm_table_copy(pagetable_t src, enum pt_kind kind)
{
	uint64 ptes = 0;
	pagetable_t dst = table_copy(src, 2, kind, &ptes);
	COUNT(kpt_ptes, ptes);
	return dst;
}

/*
 * Where the kernel map enters a user table (unified). A user table owns
 * its root, the level-1 table under root slot 0 (user memory, which
 * stays below USERTOP, beside the devices) and the tables that hold its
 * trampoline and trap frame; every other table of it is the kernel's,
 * shared. Which slots of the owned tables get a kernel entry, and what
 * entry, is fixed once the kernel map is complete: the first link (the
 * first process, before any other hart runs) finds them by scanning, and
 * every later link and unlink stores or clears just those slots.
 */
#define LINK_SITES_MAX 64
struct link_site {
	uint64 va;  /* an address the entry maps */
	int level;  /* level of the table that holds the entry (2: root) */
	pte_t pte;  /* the kernel's entry, marked shared */
};
static struct link_site link_sites[LINK_SITES_MAX];
static int link_nsites = -1; /* -1: not found yet */

/* The first link: slot dst, of a table of level, for va, gets the
 * kernel's entry s; remembered as a site. */
static void
link_site_add(pte_t *dst, uint64 va, int level, pte_t s)
{
	if (link_nsites >= LINK_SITES_MAX)
		panic("link_site_add: more than %d sites", LINK_SITES_MAX);
	link_sites[link_nsites++] = (struct link_site){va, level, s | PTE_SHARED};
	kpt_pte_set(dst, s | PTE_SHARED);
}

/* Link src's entries into dst wherever dst has none, going down where
 * both have a table (dst's own leaves stay); dst is the table of level
 * that maps from va base. */
static void
link_level(pagetable_t dst, pagetable_t src, int level, uint64 base)
{
	for (int i = 0; i < 512; i++) {
		pte_t s = src[i], d = dst[i];
		uint64 va = base + ((uint64)i << PX_SHIFT(level));
		if (!(s & PTE_V) || dst == src)
			continue;
		if (!(d & PTE_V))
			link_site_add(&dst[i], va, level, s);
		else if (!(s & PTE_LEAF) && !(d & (PTE_LEAF | PTE_SHARED)))
			link_level((pagetable_t)PTE2PA(d), (pagetable_t)PTE2PA(s), level - 1, va);
	}
}

/* The PTE slot of site in user table pt: a walk of at most two levels
 * through tables pt owns; 0 when pt has no table of its own on the way
 * (a table whose link failed before it began). */
static pte_t *
link_slot(pagetable_t pt, const struct link_site *site)
{
	for (int level = 2; level > site->level; level--) {
		pte_t pte = pt[PX(level, site->va)];
		if ((pte & (PTE_V | PTE_LEAF | PTE_SHARED)) != PTE_V)
			return 0;
		pt = (pagetable_t)PTE2PA(pte);
	}
	return &pt[PX(site->level, site->va)];
}

int
vm_link_kernel(pagetable_t pt)
{
	/* User memory lives under root slot 0, next to the devices: that
	 * level-1 table must be pt's own, with the devices' entries shared. */
	if (!(pt[0] & PTE_V)) {
		pagetable_t l1 = vm_table_alloc(PT_USER);
		if (l1 == 0)
			return -1;
		pt[0] = PA2PTE(l1) | PTE_V;
	}
	if (link_nsites < 0) {
		link_nsites = 0;
		link_level(pt, kernel_pagetable, 2, 0);
		return 0;
	}
	for (int i = 0; i < link_nsites; i++) {
		pte_t *slot = link_slot(pt, &link_sites[i]);
		if (slot == 0)
			panic("vm_link_kernel: %p: no table of its own", link_sites[i].va);
		kpt_pte_set(slot, link_sites[i].pte);
	}
	return 0;
}

void
vm_unlink_kernel(pagetable_t pt)
{
	for (int i = 0; i < link_nsites; i++) {
		pte_t *slot = link_slot(pt, &link_sites[i]);
		if (slot)
			*slot = 0;
	}
}

pte_t *
vm_walk(pagetable_t pt, uint64 va, enum pt_kind kind)
{
	if (va >= MAXVA)
		return 0;
	for (int level = 2; level > 0; level--) {
		pte_t *pte = &pt[PX(level, va)];
		if ((*pte & PTE_V) && (*pte & PTE_LEAF))
			panic("vm_walk: %p lies in a superpage", va); /* only the kernel map has them */
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

/* The kernel's shared mappings are global where ASIDs are in use, so
 * that they stay in the TLB whatever ASID is loaded (aspace.h). */
static uint64
kernel_perm(uint64 perm)
{
	return KPT_ASID ? perm | PTE_G : perm;
}

static uint64
kernel_leaf_perm(int xflags)
{
	uint64 perm = PTE_R;
	if (xflags & VM_W)
		perm |= PTE_W;
	if (xflags & VM_X)
		perm |= PTE_X;
	return kernel_perm(perm);
}

void
kvm_map(uint64 va, uint64 pa, uint64 size, int xflags)
{
	if (vm_map(kernel_pagetable, va, size, pa, kernel_leaf_perm(xflags), PT_KERNEL) != 0)
		panic("kvm_map: out of memory");
}

/* One 2 MiB leaf at va in the kernel table; va and pa 2 MiB aligned.
 * Panics on anything already there: a megapage never overlaps. */
static void
kvm_map_mega(uint64 va, uint64 pa, uint64 perm)
{
	pte_t *root = &kernel_pagetable[PX(2, va)];
	if (!(*root & PTE_V)) {
		pagetable_t l1 = vm_table_alloc(PT_KERNEL);
		if (l1 == 0)
			panic("kvm_map_mega: out of memory");
		*root = PA2PTE(l1) | PTE_V;
	}
	pte_t *pte = &((pagetable_t)PTE2PA(*root))[PX(1, va)];
	if (*pte & PTE_V)
		panic("kvm_map_mega: %p already mapped", va);
	*pte = PA2PTE(pa) | perm | PTE_V;
}

/* kvm_map for RAM: in the megapage configs, 2 MiB leaves wherever va
 * and pa are aligned and the range covers the whole megapage. */
static void
kvm_map_ram(uint64 va, uint64 pa, uint64 size, int xflags)
{
	uint64 end = va + size;
	while (va < end) {
		uint64 step = PGSIZE;
		if (KPT_MEGA && ((va | pa) & (MEGAPAGE - 1)) == 0 && end - va >= MEGAPAGE) {
			step = MEGAPAGE;
			kvm_map_mega(va, pa, kernel_leaf_perm(xflags));
		} else {
			kvm_map(va, pa, PGSIZE, xflags);
		}
		va += step;
		pa += step;
	}
}

_Static_assert(SSWI_VA + PGSIZE < KSTACK(NPROC - 1) - PGSIZE, "SSWI page below every slot stack");
_Static_assert(PX(2, KSTACK(NPROC - 1)) == PX(2, KMISC_TOP - 1) &&
                   KSTACK(NPROC - 1) >= KMISC_TOP - (UL(1) << 21),
               "slot stacks and finisher share one level-0 table below the trampoline's");

void
kvm_init(void)
{
	kernel_pagetable = vm_table_alloc(PT_KERNEL);
	if (kernel_pagetable == 0)
		panic("kvm_init: out of memory");
	kvm_map(UART0, UART0, PGSIZE, VM_W);
	kvm_map(PLIC, PLIC, PLIC_SIZE, VM_W);
	kvm_map_ram(KERNBASE, KERNBASE, (uint64)etext - KERNBASE, VM_X);
	kvm_map_ram((uint64)etext, (uint64)etext, PHYSTOP - (uint64)etext, VM_W);
	kvm_map(TRAMPOLINE, (uint64)trampoline, PGSIZE, VM_X);
	kvm_map(FINISHER_VA, FINISHER_PA, PGSIZE, VM_W);
	kvm_map(SSWI_VA, SSWI_PA, PGSIZE, VM_W);
}

/* Count the leaves of kernel table pt of level (kstats kmap_leaves_*). */
static void
count_level(pagetable_t pt, int level)
{
	for (uint64 i = 0; i < 512; i++) {
		pte_t pte = pt[i];
		if (!(pte & PTE_V))
			continue;
		if ((pte & PTE_LEAF) && level > 0)
			COUNT(kmap_leaves_2m, 1);
		else if (pte & PTE_LEAF)
			COUNT(kmap_leaves_4k, 1);
		else if (level > 0)
			count_level((pagetable_t)PTE2PA(pte), level - 1);
	}
}

void
kvm_count_leaves(void)
{
	count_level(kernel_pagetable, 2);
}

void
kvm_hart_init(void)
{
	aspace_hart_init();
}

/* User tables ------------------------------------------------------------ */

pagetable_t
uvm_create(uint64 trapframe_pa, uint64 tfva)
{
	pagetable_t pt = vm_table_alloc(PT_USER);
	if (pt == 0)
		return 0;
	if (vm_map(pt, TRAMPOLINE, PGSIZE, (uint64)trampoline, kernel_perm(PTE_KRX), PT_USER) ==
	        0 &&
	    vm_map(pt, tfva, PGSIZE, trapframe_pa, PTE_KRW, PT_USER) == 0)
		return pt;
	vm_unmap(pt, TRAMPOLINE, 1, 0, 1);
	vm_unmap(pt, tfva, 1, 0, 1);
	vm_table_free(pt, PT_USER);
	return 0;
}

int
uvm_map_trapframe(pagetable_t pt, uint64 tfva, uint64 trapframe_pa)
{
	return vm_map(pt, tfva, PGSIZE, trapframe_pa, PTE_KRW, PT_USER);
}

void
uvm_unmap_trapframe(pagetable_t pt, uint64 tfva)
{
	vm_unmap(pt, tfva, 1, 0, 1);
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
uvm_dealloc_keep(pagetable_t pt, uint64 oldsz, uint64 newsz)
{
	for (uint64 a = PGROUNDUP(newsz); a < PGROUNDUP(oldsz); a += PGSIZE) {
		pte_t *pte = vm_walk(pt, a, PT_NONE);
		if (pte == 0 || !(*pte & PTE_V))
			panic("uvm_dealloc_keep: %p not mapped", a);
		*pte &= ~PTE_V;
	}
}

void
uvm_free_kept(pagetable_t pt, uint64 newsz, uint64 oldsz)
{
	for (uint64 a = PGROUNDUP(newsz); a < PGROUNDUP(oldsz); a += PGSIZE) {
		pte_t *pte = vm_walk(pt, a, PT_NONE);
		if (pte == 0 || (*pte & PTE_V) || PTE2PA(*pte) == 0)
			panic("uvm_free_kept: %p not kept", a);
		kfree((void *)PTE2PA(*pte));
		*pte = 0;
	}
}

void
uvm_free(pagetable_t pt, uint64 sz, uint64 tfva)
{
	vm_unmap(pt, TRAMPOLINE, 1, 0, 0);
	vm_unmap(pt, tfva, 1, 0, 0);
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

/* The guard keeps its frame and PTE_V, so that every walk of user memory
 * (fork's copy, unmapping, umap's mirror) still finds it mapped, but loses
 * R, W, X and U: a last-level PTE with V set and R = W = X = 0 is a pointer
 * to a next level that does not exist, and the hardware walk raises a page
 * fault for any access at any privilege, SUM or not (privileged spec
 * 4.3.2, step 4). So in unified, where the kernel runs on the user table,
 * a kernel access to the guard outside the checked copies faults too. */
void
uvm_guard(pagetable_t pt, uint64 va)
{
	pte_t *pte = vm_walk(pt, va, PT_NONE);
	if (pte == 0 || !(*pte & PTE_V))
		panic("uvm_guard: %p not mapped", va);
	*pte &= ~(PTE_U | PTE_LEAF);
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

/* A copy run under the lock of p's address space (another thread may
 * shrink it: proc.h). */
static int __attribute__((noinline))
walk_copy_locked(struct proc *p, pagetable_t pt, uint64 va, char *buf, uint64 len, int to_user)
{
	acquire(&p->vm->lock);
	int r = -1;
	if (to_user || proc_range_ok(p, va, len))
		r = walk_copy(pt, va, buf, len, to_user);
	release(&p->vm->lock);
	return r;
}

/* Copies run in the current thread (copyout's table is its own or, in
 * exec and fork, a new one no other thread uses); with other threads in
 * its address space they hold its lock. */
int
copyout(pagetable_t pt, uint64 dstva, const void *src, uint64 len)
{
	struct proc *p = myproc();
	COUNT(copyout_calls, 1);
	COUNT(copyout_bytes, len);
	if (proc_shared(p))
		return walk_copy_locked(p, pt, dstva, (char *)src, len, 1);
	return walk_copy(pt, dstva, (char *)src, len, 1);
}

int
vm_copyin_walk(struct proc *p, char *dst, uint64 srcva, uint64 len)
{
	COUNT(copyin_calls, 1);
	COUNT(copyin_bytes, len);
	if (proc_shared(p))
		return walk_copy_locked(p, p->vm->pagetable, srcva, dst, len, 0);
	if (!proc_range_ok(p, srcva, len))
		return -1;
	return walk_copy(p->vm->pagetable, srcva, dst, len, 0);
}

/* vm_copyinstr_walk's copy (inlined into both of its paths). */
static inline __attribute__((always_inline)) int
copyinstr_walk(struct proc *p, char *dst, uint64 srcva, uint64 max)
{
	uint64 steps = 0, copied = 0;
	int r = -1;
	max = proc_user_span(p, srcva, max);
	while (copied < max) {
		uint64 page = PGROUNDDOWN(srcva);
		pte_t *pte = user_pte(p->vm->pagetable, page, PTE_R, &steps);
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

/* The same under the lock of p's address space (threads: proc.h). */
static int __attribute__((noinline))
copyinstr_locked(struct proc *p, char *dst, uint64 srcva, uint64 max)
{
	acquire(&p->vm->lock);
	int r = copyinstr_walk(p, dst, srcva, max);
	release(&p->vm->lock);
	return r;
}

int
vm_copyinstr_walk(struct proc *p, char *dst, uint64 srcva, uint64 max)
{
	COUNT(copyinstr_calls, 1);
	if (proc_shared(p))
		return copyinstr_locked(p, dst, srcva, max);
	return copyinstr_walk(p, dst, srcva, max);
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
