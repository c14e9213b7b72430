#ifndef PTBENCH_VM_H
#define PTBENCH_VM_H

#include "counters.h"
#include "types.h"

/*
 * Common page-table machinery, shared by every design (docs/designs.md).
 * Callers outside vm.c and the kpt_*.c design files speak in VM_* access
 * flags; PTE bits stay inside.
 */

/* Which counter a table page is charged to (struct kstats). */
enum pt_kind {
	PT_NONE = -1,  /* vm_walk: do not allocate missing levels */
	PT_USER = 0,   /* a process's user table */
	PT_KPROC = 1,  /* a per-process kernel table (perproc, umap) */
	PT_KERNEL = 2, /* the global kernel table */
};

/* Access flags for user memory. */
#define VM_R 0x1
#define VM_W 0x2
#define VM_X 0x4

struct proc;

extern pagetable_t kernel_pagetable;

/* Build the global kernel table (hart 0, once) and load it (every hart). */
void kvm_init(void);
void kvm_hart_init(void);

/* Map [va, va+size) to pa in the global kernel table, readable and
 * VM_W/VM_X as xflags say, global when ASIDs are in use. Boot only:
 * panics when out of memory. */
void kvm_map(uint64 va, uint64 pa, uint64 size, int xflags);
/* Count the kernel map's leaves (kstats kmap_leaves_*). Hart 0, once. */
void kvm_count_leaves(void);
/* Flush this hart's TLB (sfence.vma of everything), counted. */
static inline void
vm_flush(void)
{
	asm volatile("sfence.vma zero, zero");
	COUNT(sfence_all, 1);
}

/* A zeroed table page charged to kind, or 0 when out of memory. */
pagetable_t vm_table_alloc(enum pt_kind kind);
/* Free table pages below and including pt; every leaf must be unmapped
 * already (panics otherwise). */
void vm_table_free(pagetable_t pt, enum pt_kind kind);
/* Free the one table page pt, not what its entries point to (used for
 * roots whose entries are shared with another table). */
void vm_table_free_page(pagetable_t pt, enum pt_kind kind);
/* Free pt and every table page below it that pt owns: entries copied
 * from another table (vm_share, vm_link_kernel) and leaves are left
 * alone, so no mapped frame is freed. */
void vm_table_free_private(pagetable_t pt, enum pt_kind kind);
/* Copy src's valid entries [first, end) into dst, marked shared: dst then
 * maps what src's subtrees map without owning them. Counted in kpt_ptes. */
void vm_share(pagetable_t dst, pagetable_t src, int first, int end);
/* A private copy of the tree under root table src, at src's own
 * granularity: new table pages of kind for every table src owns, the
 * same leaves (and src's shared entries shared). 0 when out of memory,
 * with nothing left allocated. Counted in kpt_ptes: each copied table
 * page stores all its 512 slots. */
pagetable_t vm_table_copy(pagetable_t src, enum pt_kind kind);
/* Give user table pt the kernel map: every subtree of the global kernel
 * table is linked in, shared, wherever pt maps nothing (pt keeps its own
 * trampoline and trap frame, and its own level-1 table for user memory,
 * allocated here if missing). 0, or -1 when out of memory (pt as it was).
 * vm_unlink_kernel undoes it; it must run before the table is freed. */
int vm_link_kernel(pagetable_t pt);
void vm_unlink_kernel(pagetable_t pt);
/* Level-0 PTE for va, allocating missing levels unless kind is PT_NONE.
 * Returns 0 when va >= MAXVA, a level is missing, or memory runs out. */
pte_t *vm_walk(pagetable_t pt, uint64 va, enum pt_kind kind);
/* Map [va, va+size) to [pa, ...) with raw PTE permission bits. Returns 0,
 * or -1 when a table page cannot be allocated (partial mappings remain for
 * the caller to remove). Panics on a remap. */
int vm_map(pagetable_t pt, uint64 va, uint64 size, uint64 pa, uint64 perm, enum pt_kind kind);
/* Remove n mapped pages at va (must be mapped unless skip_missing), freeing
 * the physical pages when do_free. */
void vm_unmap(pagetable_t pt, uint64 va, uint64 n, int do_free, int skip_missing);

/* User tables ---------------------------------------------------------- */

/* A user table with the trampoline and the given trap frame page mapped
 * at tfva (TRAPFRAME for a process's first thread). */
pagetable_t uvm_create(uint64 trapframe_pa, uint64 tfva);
/* Map a further thread's trap frame page at tfva (below TRAPFRAME, by
 * thread slot), or unmap one (not freeing the frame; nothing mapped is
 * fine). Map: 0, or -1 when out of memory. */
int uvm_map_trapframe(pagetable_t pt, uint64 tfva, uint64 trapframe_pa);
void uvm_unmap_trapframe(pagetable_t pt, uint64 tfva);
/* Grow user memory from oldsz to newsz with zeroed pages of access flags
 * VM_R|xflags. Returns newsz, or 0 (and nothing changed) when out of
 * memory or newsz passes USERTOP. */
uint64 uvm_alloc(pagetable_t pt, uint64 oldsz, uint64 newsz, int xflags);
/* Shrink user memory from oldsz to newsz; returns newsz. */
uint64 uvm_dealloc(pagetable_t pt, uint64 oldsz, uint64 newsz);
/* Shrink from oldsz to newsz as uvm_dealloc does, but keep the frames:
 * each PTE loses PTE_V and keeps its frame's address, for uvm_free_kept
 * to free once no hart can reach the page any more (threads). */
void uvm_dealloc_keep(pagetable_t pt, uint64 oldsz, uint64 newsz);
void uvm_free_kept(pagetable_t pt, uint64 newsz, uint64 oldsz);
/* Free user memory [0, sz), the trampoline and the trap frame mapping at
 * tfva (the last thread's) and the table itself. */
void uvm_free(pagetable_t pt, uint64 sz, uint64 tfva);
/* Copy parent's [0, sz) into child's table (fork). 0, or -1 with the
 * child's copied pages freed again. */
int uvm_copy(pagetable_t parent, pagetable_t child, uint64 sz);
/* Make the page at va the stack guard: mapped (its frame is kept, copied
 * by fork, freed with the rest) but faulting for every access, user or
 * kernel (no R, W, X or U). */
void uvm_guard(pagetable_t pt, uint64 va);
/* Physical address of a user-accessible page, or 0. */
uint64 uvm_pa(pagetable_t pt, uint64 va);

/* Copy len bytes from kernel src to user dstva. 0 on success, -1 when any
 * byte is not mapped user-writable, and then no byte is written. Counted
 * in kstats (a copy spanning pages walks each twice: check, then copy). */
int copyout(pagetable_t pt, uint64 dstva, const void *src, uint64 len);
/* Whether every byte of [va, va+len) is mapped user-writable (all its
 * pages walked; an empty range is). For calls that copy out to one user
 * buffer in pieces or after a wait (read() of a file across a file page,
 * of a pipe across the ring's wrap, of the console once a line is
 * typed): checking first, the caller refuses before its first piece and
 * before it waits, so that a refused call has written no byte and never
 * blocks. Walk steps counted (kstats). */
int copyout_check(pagetable_t pt, uint64 va, uint64 len);
/* Software walk versions of copyin/copyinstr used by global and perproc.
 * Like every design's copyin they accept exactly the bytes of the
 * user-range rule (proc.h: proc_user_span), so all designs give the same
 * answers. They count calls, bytes and walk steps (kstats). */
int vm_copyin_walk(struct proc *p, char *dst, uint64 srcva, uint64 len);
int vm_copyinstr_walk(struct proc *p, char *dst, uint64 srcva, uint64 max);

/* Print a table in the MIT 6.S081 (2020) page-table lab format. */
void vmprint(pagetable_t pt);

#endif
