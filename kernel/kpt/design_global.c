/*
 * Design "global": one kernel page table for every process. Each process
 * slot has a kernel stack mapped in it at boot (KSTACK(slot), guard page
 * below); copyin and copyinstr walk the user table in software
 * (common_walkcopy.c).
 */
#include "kernel/kalloc.h"
#include "kernel/kpt/kpt.h"
#include "kernel/memlayout.h"
#include "kernel/printf.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"
#include "kernel/vm.h"

void
kpt_boot(void)
{
	for (int slot = 0; slot < NPROC; slot++) {
		for (int i = 0; i < KSTACK_PAGES; i++) {
			void *pa = kalloc();
			if (pa == 0 || vm_map(kernel_pagetable, KSTACK(slot) + i * PGSIZE, PGSIZE,
			                      (uint64)pa, PTE_R | PTE_W, PT_KERNEL) != 0)
				panic("kpt_boot: out of memory");
		}
	}
}

int
kpt_init(struct proc *p)
{
	p->kstack = KSTACK(p->slot);
	p->kpagetable = 0;
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
	return MAKE_SATP(kernel_pagetable);
}

void
kpt_print(struct proc *p)
{
	vmprint(kernel_pagetable);
}
