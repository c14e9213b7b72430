/*
 * Design "perproc": every process has its own kernel page table (the
 * kernel map plus its own kernel stack, kpt_private.c). The scheduler
 * loads it before switching to the process and puts the global table
 * back after: a satp write and a TLB flush each way. copyin and
 * copyinstr walk the user table in software, as in global.
 */
#include "kernel/kpt.h"
#include "kernel/kpt_private.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"
#include "kernel/vm.h"

const char kpt_design[] = "perproc";

void
kpt_boot(void)
{
}

int
kpt_init(struct proc *p)
{
	return kpriv_create(p);
}

void
kpt_free(struct proc *p)
{
	kpriv_destroy(p);
}

void
kpt_switch_to(struct proc *p)
{
	kpriv_switch_to(p);
}

void
kpt_switch_back(void)
{
	kpriv_switch_back();
}

uint64
kpt_satp(struct proc *p)
{
	return MAKE_SATP(p->kpagetable);
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
	vmprint(p->kpagetable);
}

int
kpt_check(struct proc *p)
{
	return 0;
}
