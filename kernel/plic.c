/* Platform-level interrupt controller: only the UART is enabled. */
#include "kernel/plic.h"
#include "kernel/memlayout.h"
#include "kernel/proc.h"

#define R32(a) (*(volatile uint32 *)(a))

void
plic_init(void)
{
	R32(PLIC_PRIORITY(UART0_IRQ)) = 1;
}

void
plic_hart_init(void)
{
	int hart = cpuid();
	R32(PLIC_SENABLE(hart)) = 1U << UART0_IRQ;
	R32(PLIC_SPRIORITY(hart)) = 0;
}

/* The highest-priority pending interrupt, or 0. */
int
plic_claim(void)
{
	return R32(PLIC_SCLAIM(cpuid()));
}

void
plic_complete(int irq)
{
	R32(PLIC_SCLAIM(cpuid())) = irq;
}
