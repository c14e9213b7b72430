#ifndef PTBENCH_MEMLAYOUT_H
#define PTBENCH_MEMLAYOUT_H

#include "param.h"
#include "riscv.h"

/*
 * Physical map of QEMU's virt machine (the parts we use):
 *
 *   0x00100000  sifive_test finisher (power off, exit status)
 *   0x02000000  CLINT (mtime, mtimecmp): M-mode only, never mapped
 *   0x0c000000  PLIC
 *   0x10000000  UART 16550, IRQ 10
 *   0x80000000  RAM start: QEMU loads the kernel here (-bios none)
 *   0x88000000  RAM end (128 MiB)
 *
 * Kernel virtual map (Sv39, lower half only; VA < MAXVA):
 *
 *   0x0000000000 .. USERTOP   user memory: mapped only in user tables and,
 *                             in the umap design, mirrored in the per-process
 *                             kernel table without PTE_U
 *   PLIC, UART                identity mapped
 *   KERNBASE .. PHYSTOP       identity mapped: text R-X, the rest RW-
 *   KSTACK_PRIV               perproc, umap, perproc_copy: the process's own stack
 *   KSTACK(slot)              global, unified: one stack per process slot, guard below
 *   FINISHER_VA               the finisher page, away from user addresses
 *   SSWI_VA                   ACLINT SSWI (IPIs), below the slot stacks
 *   TRAPFRAME                 user tables only: the process's trap frame
 *   TRAMPOLINE                every table: trap entry/exit code, R-X
 */

#define FINISHER_PA UL(0x100000)
#define CLINT UL(0x2000000)
#define CLINT_MTIMECMP(hart) (CLINT + 0x4000 + 8 * (hart))
#define CLINT_MTIME (CLINT + 0xBFF8)
/* ACLINT MSWI (the CLINT's first part): one 32-bit MSIP word per hart;
 * M-mode raises machine software interrupts with it (kernel/mtrap.S). */
#define MSWI_PA CLINT

#define PLIC UL(0x0c000000)
#define PLIC_SIZE UL(0x400000)
#define PLIC_PRIORITY(irq) (PLIC + 4 * (irq))
#define PLIC_SENABLE(hart) (PLIC + 0x2080 + (hart)*0x100)
#define PLIC_SPRIORITY(hart) (PLIC + 0x201000 + (hart)*0x2000)
#define PLIC_SCLAIM(hart) (PLIC + 0x201004 + (hart)*0x2000)

#define UART0 UL(0x10000000)
#define UART0_IRQ 10

#define KERNBASE UL(0x80000000)
#define PHYSTOP (KERNBASE + 128 * 1024 * 1024)

/* One past the highest Sv39 address we use: bit 38 clear keeps the
 * address sign extension trivial. */
#define MAXVA (UL(1) << 38)

/* User memory may not reach PLIC, in any design, so that the umap
 * mirror never collides with device mappings. */
#define USERTOP PLIC

#define TRAMPOLINE (MAXVA - PGSIZE)
#define TRAPFRAME (TRAMPOLINE - PGSIZE)
/* Where the trampoline's two entries sit in it (trampoline.S places them
 * there; trap.c checks at boot), so that C loads their addresses as
 * constants. */
#define USERRET_OFF 0x100
#define USERVEC_VA TRAMPOLINE
#define USERRET_VA (TRAMPOLINE + USERRET_OFF)

/* The finisher and the slot stacks live in the 2 MiB below the one that
 * holds the trampoline and the trap frame: a table that holds both user
 * and kernel mappings (unified) then shares that level-0 table whole. */
#define KMISC_TOP (MAXVA - (UL(1) << 21))
#define FINISHER_VA (KMISC_TOP - PGSIZE)

/* ACLINT SSWI (QEMU virt, aclint=on): one 32-bit SETSSIP word per hart
 * (kernel/ipi.h). Mapped for the kernel at the bottom of the 2 MiB that
 * holds the slot stacks, away from user addresses. */
#define SSWI_PA UL(0x2f00000)
#define SSWI_VA (KMISC_TOP - (UL(1) << 21))

/* Slot i's stack (global, unified), with one unmapped guard page below. */
#define KSTACK(slot) (FINISHER_VA - ((slot) + 1) * (KSTACK_PAGES + 1) * PGSIZE)

/* perproc/umap: every process sees its own stack at this one address,
 * in a root slot of its own (see common_private.c). */
#define KSTACK_PRIV_ROOT UL(254)
#define KSTACK_PRIV ((KSTACK_PRIV_ROOT << 30) + PGSIZE)
/* Thread slot s's stack in its address space's kernel table, a guard
 * page between each (slot 0: KSTACK_PRIV); all in one level-0 table. */
#define KSTACK_PRIV_SLOT(s) (KSTACK_PRIV + (uint64)(s) * (KSTACK_PAGES + 1) * PGSIZE)

#endif
