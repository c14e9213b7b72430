/*
 * Kernel stacks per process slot, for the designs without a per-process
 * kernel table (global, unified): at boot every slot's stack is mapped
 * in the global kernel table at KSTACK(slot), guard page below, and a
 * process uses its slot's for as long as the kernel runs.
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
			if (pa == 0)
				panic("kpt_boot: out of memory");
			kvm_map(KSTACK(slot) + i * PGSIZE, (uint64)pa, PGSIZE, VM_W);
		}
	}
}

/* A thread's kernel stack is its process slot's, as a process's is. */
int
kpt_thread_init(struct proc *t)
{
	t->kstack = KSTACK(t->slot);
	return 0;
}

void
kpt_thread_free(struct proc *t)
{
	t->kstack = 0;
}
