/*
 * Design "global": one kernel page table for every process. Each process
 * slot has a kernel stack mapped in it at boot (KSTACK(slot), guard page
 * below); copyin and copyinstr walk the user table in software.
 */
#include "kernel/kalloc.h"
#include "kernel/kpt.h"
#include "kernel/memlayout.h"
#include "kernel/printf.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"
#include "kernel/vm.h"

const char kpt_design[] = "global";

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

int
kpt_user_changed(struct proc *p, uint64 oldsz, uint64 newsz)
{
	return 0;
}

int
kpt_user_replaced(struct proc *p, pagetable_t newpt, uint64 newsz)
{
	return 0;
}

int
copyin(struct proc *p, char *dst, uint64 srcva, uint64 len)
{
	return vm_copyin_walk(p->pagetable, p->sz, dst, srcva, len);
}

int
copyinstr(struct proc *p, char *dst, uint64 srcva, uint64 max)
{
	return vm_copyinstr_walk(p->pagetable, p->sz, dst, srcva, max);
}

void
kpt_print(struct proc *p)
{
	vmprint(kernel_pagetable);
}

int
kpt_check(struct proc *p)
{
	return 0;
}
