#ifndef PTBENCH_RISCV_H
#define PTBENCH_RISCV_H

#include "types.h"

/* Privileged-architecture constants (RISC-V privileged spec v1.12). */

#define PGSIZE UL(4096)
#define PGSHIFT 12
#define PGROUNDUP(a) (((a) + PGSIZE - 1) & ~(PGSIZE - 1))
#define PGROUNDDOWN(a) ((a) & ~(PGSIZE - 1))
#define MEGAPAGE (UL(1) << 21) /* an Sv39 level-1 leaf */

/* mstatus / sstatus fields (3.1.6) */
#define MSTATUS_MPP_MASK (3UL << 11)
#define MSTATUS_MPP_S (1UL << 11)
#define MSTATUS_MIE (1UL << 3)
#define SSTATUS_SUM (1UL << 18) /* supervisor may access PTE_U pages */
#define SSTATUS_SPP (1UL << 8)  /* previous mode: 1 = supervisor */
#define SSTATUS_SPIE (1UL << 5) /* interrupts enabled before the trap */
#define SSTATUS_SIE (1UL << 1)

/* interrupt enable / pending bits (mie, sie, mip, sip) */
#define IRQ_SSI (1UL << 1)
#define IRQ_MTI (1UL << 7)
#define IRQ_SEI (1UL << 9)
#define IRQ_STI (1UL << 5)

/* scause values (4.1.9): interrupt bit set for interrupts */
#define SCAUSE_INTR (1UL << 63)
#define SCAUSE_SSI (SCAUSE_INTR | 1)
#define SCAUSE_SEI (SCAUSE_INTR | 9)
#define SCAUSE_ECALL_U 8
#define SCAUSE_FETCH_PAGE 12
#define SCAUSE_LOAD_PAGE 13
#define SCAUSE_STORE_PAGE 15

/* counter enable bits: cycle, time, instret */
#define COUNTEREN_CY_TM_IR 0x7

/* satp (4.1.11): Sv39 mode in bits 63..60 */
#define SATP_SV39 (8UL << 60)
#define MAKE_SATP(pt) (SATP_SV39 | (((uint64)(pt)) >> PGSHIFT))

/* PTE bits (4.3.1); only vm code and the design files use them. */
#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_PERM (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_G)

#define PA2PTE(pa) ((((uint64)(pa)) >> 12) << 10)
#define PTE2PA(pte) (((pte) >> 10) << 12)
#define PTE_FLAGS(pte) ((pte)&0x3FF)

/* Sv39: three levels of 9 index bits above the 12-bit page offset. */
#define PX_SHIFT(level) (PGSHIFT + 9 * (level))
#define PX(level, va) ((((uint64)(va)) >> PX_SHIFT(level)) & 0x1FF)

#ifndef __ASSEMBLER__
#define csr_read(name)                                                                             \
	({                                                                                         \
		uint64 v_;                                                                         \
		asm volatile("csrr %0, " #name : "=r"(v_));                                        \
		v_;                                                                                \
	})
#define csr_write(name, val) asm volatile("csrw " #name ", %0" : : "r"((uint64)(val)))
#define csr_set(name, bits) asm volatile("csrs " #name ", %0" : : "r"((uint64)(bits)))
#define csr_clear(name, bits) asm volatile("csrc " #name ", %0" : : "r"((uint64)(bits)))

static inline uint64
r_tp(void)
{
	uint64 x;
	asm volatile("mv %0, tp" : "=r"(x));
	return x;
}

static inline void
w_tp(uint64 x)
{
	asm volatile("mv tp, %0" : : "r"(x));
}

static inline uint64
r_sp(void)
{
	uint64 x;
	asm volatile("mv %0, sp" : "=r"(x));
	return x;
}

static inline void
intr_on(void)
{
	csr_set(sstatus, SSTATUS_SIE);
}

static inline void
intr_off(void)
{
	csr_clear(sstatus, SSTATUS_SIE);
}

static inline int
intr_get(void)
{
	return (csr_read(sstatus) & SSTATUS_SIE) != 0;
}

#endif /* __ASSEMBLER__ */

#endif
