/*
 * Design "global": one kernel page table for every process. Each process
 * uses its slot's kernel stack (common_slotstacks.c); copyin and
 * copyinstr walk the user table in software (common_walkcopy.c).
 */
#include "kernel/aspace.h"
#include "kernel/kpt/kpt.h"
#include "kernel/memlayout.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"
#include "kernel/vm.h"

int
kpt_init(struct proc *p)
{
	p->kstack = KSTACK(p->slot);
	p->vm->kpagetable = 0;
	return 0;
}

void
kpt_free(struct proc *p)
{
	(void)p; /* slot stacks live as long as the kernel */
}

void
kpt_switch_to(struct proc *p)
{
	(void)p;
}

void
kpt_switch_back(void)
{
}

uint64
kpt_satp(struct proc *p)
{
	(void)p;
	return aspace_satp(kernel_pagetable, 0);
}

void
kpt_print(struct proc *p)
{
	vmprint(kernel_pagetable);
}
