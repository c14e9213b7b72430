/*
 * Design "unified": no kernel table apart. Each process's one table
 * holds its user mappings (PTE_U) and the kernel map, whose subtrees are
 * linked in shared and without PTE_U (vm_link_kernel), as Linux does on
 * RISC-V. Traps switch no table: the trampoline writes no satp and
 * issues no sfence.vma (trampoline.S, trap_switch=no in the config); the
 * scheduler loads the process's table when it switches to it, and the
 * global table (which only the scheduler and boot run on) after.
 *
 * copyin and copyinstr dereference user addresses directly with
 * sstatus.SUM set for the length of the copy only (supervisor accesses
 * to PTE_U pages fault while it is clear: privileged spec 4.3.1), after
 * the one user-range rule every design shares (proc.h: proc_user_span).
 * Inside [0, p->vm->sz) every page but the stack guard is a readable user
 * page, and the rule refuses the guard, so a copy never faults.
 *
 * Kernel stacks are per process slot, as in global (common_slotstacks.c).
 */
#include "kernel/aspace.h"
#include "kernel/counters.h"
#include "kernel/klib.h"
#include "kernel/kpt/kpt.h"
#include "kernel/memlayout.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/vm.h"

int
kpt_init(struct proc *p)
{
	p->kstack = KSTACK(p->slot);
	p->vm->kpagetable = 0;
	return vm_link_kernel(p->vm->pagetable);
}

void
kpt_free(struct proc *p)
{
	if (p->vm->pagetable)
		vm_unlink_kernel(p->vm->pagetable);
}

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
	return aspace_satp(p->vm->pagetable, &p->vm->uas);
}

/* A shrink of the loaded table is flushed by the common code
 * (proc_grow); growing needs nothing (no entry was valid before). */
int
kpt_user_changed(struct proc *p, uint64 oldsz, uint64 newsz)
{
	return 0;
}

int
kpt_user_replaced(struct proc *p, pagetable_t newpt, uint64 newsz)
{
	return vm_link_kernel(newpt);
}

/* Run on the new table before the old one loses the kernel map: the
 * satp value exec just made for it (a switch in between loads the same). */
void
kpt_user_committed(struct proc *p, pagetable_t oldpt)
{
	aspace_write(p->trapframe->kernel_satp);
	vm_unlink_kernel(oldpt);
}

/* copyin's and copyinstr's copies, inlined into both of their paths. */
static inline __attribute__((always_inline)) int
sum_in(struct proc *p, char *dst, uint64 srcva, uint64 len)
{
	if (!proc_range_ok(p, srcva, len))
		return -1;
	csr_set(sstatus, SSTATUS_SUM);
	memmove(dst, (const void *)srcva, len);
	csr_clear(sstatus, SSTATUS_SUM);
	return 0;
}

static inline __attribute__((always_inline)) int
sum_instr(struct proc *p, char *dst, uint64 srcva, uint64 max)
{
	uint64 n = proc_user_span(p, srcva, max);
	const char *src = (const char *)srcva;
	uint64 i = 0;
	int r = -1;
	csr_set(sstatus, SSTATUS_SUM);
	for (; i < n; i++) {
		if ((dst[i] = src[i]) == 0) {
			r = 0;
			i++;
			break;
		}
	}
	csr_clear(sstatus, SSTATUS_SUM);
	COUNT(copyinstr_bytes, i);
	return r;
}

int
copyin(struct proc *p, char *dst, uint64 srcva, uint64 len)
{
	COUNT(copyin_calls, 1);
	COUNT(copyin_bytes, len);
	if (proc_shared(p))
		return vmspace_copy_locked(p, sum_in, dst, srcva, len);
	return sum_in(p, dst, srcva, len);
}

int
copyinstr(struct proc *p, char *dst, uint64 srcva, uint64 max)
{
	COUNT(copyinstr_calls, 1);
	if (proc_shared(p))
		return vmspace_copy_locked(p, sum_instr, dst, srcva, max);
	return sum_instr(p, dst, srcva, max);
}

void
kpt_print(struct proc *p)
{
	vmprint(p->vm->pagetable);
}

int
kpt_check(struct proc *p)
{
	return 0;
}
