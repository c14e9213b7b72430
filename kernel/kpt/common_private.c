/* Per-process kernel tables shared by perproc and umap (common_private.h). */
#include "kernel/kpt/common_private.h"
#include "kernel/aspace.h"
#include "kernel/kalloc.h"
#include "kernel/kpt/kpt.h"
#include "kernel/memlayout.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"
#include "kernel/vm.h"

/* The root of a new per-process table holding the kernel map, built
 * as how says. 0 when out of memory. */
static pagetable_t
root_build(enum kpriv_build how)
{
	if (how == KPRIV_COPY)
		return vm_table_copy(kernel_pagetable, PT_KPROC);
	pagetable_t root = vm_table_alloc(PT_KPROC);
	if (root)
		vm_share(root, kernel_pagetable, 0, 512);
	return root;
}

int
kpriv_create(struct proc *p, enum kpriv_build how)
{
	pagetable_t root = root_build(how);
	if (root == 0)
		return -1;
	p->kpagetable = root;
	p->kstack = KSTACK_PRIV;
	for (int i = 0; i < KSTACK_PAGES; i++) {
		void *pa = kalloc();
		if (pa == 0 || vm_map(root, KSTACK_PRIV + i * PGSIZE, PGSIZE, (uint64)pa,
		                      PTE_R | PTE_W, PT_KPROC) != 0) {
			if (pa)
				kfree(pa);
			kpriv_destroy(p);
			return -1;
		}
	}
	return 0;
}

void
kpriv_destroy(struct proc *p)
{
	vm_unmap(p->kpagetable, KSTACK_PRIV, KSTACK_PAGES, 1, 1);
	vm_table_free_private(p->kpagetable, PT_KPROC);
	aspace_reset(&p->kas);
	p->kpagetable = 0;
	p->kstack = 0;
}

/* Nothing design-wide to set up: each process's table comes with it. */
void
kpt_boot(void)
{
}

/* The design interface's table switching, the same for every design
 * with per-process kernel tables. */
void
kpt_switch_to(struct proc *p)
{
	aspace_write(p->trapframe->kernel_satp); /* aspace_proc_enter's */
}

void
kpt_switch_back(void)
{
	aspace_load_kernel();
}

uint64
kpt_satp(struct proc *p)
{
	return aspace_satp(p->kpagetable, &p->kas);
}

void
kpt_print(struct proc *p)
{
	vmprint(p->kpagetable);
}
