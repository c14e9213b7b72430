/*
 * M-mode start: runs once per hart straight from entry.S, then drops to
 * S-mode in main(). M-mode keeps nothing for itself: every trap and
 * interrupt is delegated, and S-mode programs its own timer through the
 * Sstc extension (stimecmp), so no M-mode handler is ever entered.
 */
#include "kernel/memlayout.h"
#include "kernel/param.h"
#include "kernel/riscv.h"
#include "kernel/types.h"

void main(void);

/* Device tree address from the boot hart, for bootargs_init(). */
uint64 boot_dtb;

#define MENVCFG_STCE (1UL << 63) /* Sstc: S-mode may use stimecmp */
#define PMP_NAPOT_RWX 0x1f       /* pmpcfg: A=NAPOT, R, W, X */

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

	/* All exceptions and interrupts go to S-mode. */
	csr_write(medeleg, 0xffff);
	csr_write(mideleg, 0xffff);
	csr_set(sie, IRQ_SEI | IRQ_STI | IRQ_SSI);

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
