/*
 * The part of the design interface shared by the designs whose kernel
 * tables do not mirror user memory (global, perproc): nothing to mirror,
 * and copyin/copyinstr walk the user table in software (kernel/vm.c).
 */
#include "kernel/kpt/kpt.h"
#include "kernel/proc.h"
#include "kernel/vm.h"

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

void
kpt_user_committed(struct proc *p, pagetable_t oldpt)
{
}

int
copyin(struct proc *p, char *dst, uint64 srcva, uint64 len)
{
	return vm_copyin_walk(p, dst, srcva, len);
}

int
copyinstr(struct proc *p, char *dst, uint64 srcva, uint64 max)
{
	return vm_copyinstr_walk(p, dst, srcva, max);
}

int
kpt_check(struct proc *p)
{
	return 0;
}
