/* Per-process kernel tables shared by perproc and umap (common_private.h). */
#include "kernel/kpt/common_private.h"
#include "kernel/kalloc.h"
#include "kernel/kpt/kpt.h"
#include "kernel/memlayout.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"
#include "kernel/vm.h"

int
kpriv_create(struct proc *p)
{
	pagetable_t root = vm_table_alloc(PT_KPROC);
	if (root == 0)
		return -1;
	for (int i = 0; i < 512; i++)
		root[i] = kernel_pagetable[i];
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
	pagetable_t root = p->kpagetable;
	vm_unmap(root, KSTACK_PRIV, KSTACK_PAGES, 1, 1);
	pte_t stack_l1 = root[KSTACK_PRIV_ROOT];
	if (stack_l1 & PTE_V)
		vm_table_free((pagetable_t)PTE2PA(stack_l1), PT_KPROC);
	vm_table_free_page(root, PT_KPROC);
	p->kpagetable = 0;
	p->kstack = 0;
}

/* The design interface's table switching, the same for every design
 * with per-process kernel tables. */
void
kpt_switch_to(struct proc *p)
{
	vm_load(p->kpagetable);
}

void
kpt_switch_back(void)
{
	vm_load(kernel_pagetable);
}

uint64
kpt_satp(struct proc *p)
{
	return MAKE_SATP(p->kpagetable);
}

void
kpt_print(struct proc *p)
{
	vmprint(p->kpagetable);
}
