/*
 * M-mode start: runs once per hart straight from entry.S, then drops to
 * S-mode in main(). M-mode keeps only IPIs delivered through it
 * (kernel/mtrap.S: ecalls from S-mode, machine software interrupts);
 * every other trap and interrupt is delegated, and S-mode programs its
 * own timer through the Sstc extension (stimecmp).
 */
#include "kernel/memlayout.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/types.h"

void main(void);
void mtrapvec(void);

/* Each hart's save area for mtrapvec (through mscratch). */
static uint64 msave[NCPU][4];

/* Device tree address from the boot hart, for bootargs_init(). */
uint64 boot_dtb;

#define MENVCFG_STCE (1UL << 63) /* Sstc: S-mode may use stimecmp */
#define PMP_NAPOT_RWX 0x1f       /* pmpcfg: A=NAPOT, R, W, X */
#define MCAUSE_ECALL_S 9         /* environment call from S-mode */
#define MIE_MSIE (1UL << 3)      /* machine software interrupt enable */

/* Configure this hart's machine mode and mret to main() in S-mode. */
void
start(uint64 hartid, uint64 dtb)
{
	if (hartid == 0)
		boot_dtb = dtb;

	uint64 ms = csr_read(mstatus);
	ms = (ms & ~MSTATUS_MPP_MASK) | MSTATUS_MPP_S;
	csr_write(mstatus, ms);
	csr_write(mepc, (uint64)main);
	csr_write(satp, 0);

	/* All exceptions and interrupts go to S-mode but ecalls from
	 * S-mode and the machine software interrupt: mtrapvec's. */
	csr_write(medeleg, 0xffff & ~(1UL << MCAUSE_ECALL_S));
	csr_write(mideleg, 0xffff);
	csr_set(sie, IRQ_SEI | IRQ_STI | IRQ_SSI);
	csr_write(mtvec, (uint64)mtrapvec);
	csr_write(mscratch, (uint64)msave[hartid]);
	csr_set(mie, MIE_MSIE);

	/* One PMP entry covering all of memory, so S and U may run. */
	csr_write(pmpaddr0, 0x3fffffffffffffUL);
	csr_write(pmpcfg0, PMP_NAPOT_RWX);

	/* cycle, time and instret readable below M-mode; stimecmp usable. */
	csr_write(mcounteren, COUNTEREN_CY_TM_IR);
	csr_set(0x30a, MENVCFG_STCE); /* menvcfg */
	csr_write(0x14d, ~0UL);       /* stimecmp: no timer until trap init */

	w_tp(hartid);
	asm volatile("mret");
}
