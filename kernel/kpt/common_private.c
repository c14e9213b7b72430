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

/* Map a kernel stack for thread slot tslot into root; 0, or -1 when out
 * of memory (pages mapped so far left for stack_unmap). */
static int
stack_map(pagetable_t root, int tslot)
{
	for (int i = 0; i < KSTACK_PAGES; i++) {
		void *pa = kalloc();
		if (pa == 0 || vm_map(root, KSTACK_PRIV_SLOT(tslot) + i * PGSIZE, PGSIZE, (uint64)pa,
		                      PTE_R | PTE_W, PT_KPROC) != 0) {
			if (pa)
				kfree(pa);
			return -1;
		}
	}
	return 0;
}

static void
stack_unmap(pagetable_t root, int tslot)
{
	vm_unmap(root, KSTACK_PRIV_SLOT(tslot), KSTACK_PAGES, 1, 1);
}

_Static_assert(PX(1, KSTACK_PRIV_SLOT(NTHREAD)) == PX(1, KSTACK_PRIV),
               "every thread slot's kernel stack in one level-0 table");

int
kpriv_create(struct proc *p, enum kpriv_build how)
{
	pagetable_t root = root_build(how);
	if (root == 0)
		return -1;
	p->vm->kpagetable = root;
	p->kstack = KSTACK_PRIV_SLOT(p->tslot);
	if (stack_map(root, p->tslot) != 0) {
		kpriv_destroy(p);
		return -1;
	}
	return 0;
}

void
kpriv_destroy(struct proc *p)
{
	stack_unmap(p->vm->kpagetable, p->tslot);
	vm_table_free_private(p->vm->kpagetable, PT_KPROC);
	aspace_reset(&p->vm->kas);
	p->vm->kpagetable = 0;
	p->kstack = 0;
}

/* The address space's table is live: adding a stack needs no fence (the
 * entries were invalid), but another thread may build table pages on the
 * way at the same time, so under the address space's lock. */
int
kpt_thread_init(struct proc *t)
{
	acquire(&t->vm->lock);
	int r = stack_map(t->vm->kpagetable, t->tslot);
	if (r != 0)
		stack_unmap(t->vm->kpagetable, t->tslot);
	release(&t->vm->lock);
	if (r == 0)
		t->kstack = KSTACK_PRIV_SLOT(t->tslot);
	return r;
}

void
kpt_thread_free(struct proc *t)
{
	acquire(&t->vm->lock);
	stack_unmap(t->vm->kpagetable, t->tslot);
	release(&t->vm->lock);
	aspace_changed(t->vm->kpagetable, &t->vm->kas, KSTACK_PRIV_SLOT(t->tslot), KSTACK_PAGES);
	t->kstack = 0;
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
	return aspace_satp(p->vm->kpagetable, &p->vm->kas);
}

void
kpt_print(struct proc *p)
{
	vmprint(p->vm->kpagetable);
}
