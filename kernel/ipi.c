/* Shootdowns by supervisor IPIs (ipi.h has the protocol). */
#include "kernel/ipi.h"
#include "kernel/counters.h"
#include "kernel/memlayout.h"
#include "kernel/param.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"
#include "kernel/vm.h"

/* Per hart: fence requests made of it, and the last it acknowledged
 * (done: every request up to it had its fence after it was made). */
static uint64 fence_req[NCPU];
static uint64 fence_ack[NCPU];

/* Raise hart's supervisor software interrupt (ACLINT SSWI SETSSIP). */
static void
ipi_send(int hart)
{
	volatile uint32 *setssip = (volatile uint32 *)(SSWI_VA + 4 * (uint64)hart);
	*setssip = 1;
	COUNT(ipis_sent, 1);
}

void
ipi_shootdown(uint64 harts, uint64 npages)
{
	uint64 want[NCPU];
	if (harts == 0)
		return;
	COUNT(shootdowns, 1);
	COUNT(shootdown_pages, npages);
	for (int h = 0; h < NCPU; h++) {
		if (!(harts >> h & 1))
			continue;
		/* The request, then the interrupt: the target reads it after
		 * it clears its pending bit. */
		want[h] = __atomic_add_fetch(&fence_req[h], 1, __ATOMIC_SEQ_CST);
		ipi_send(h);
	}
	for (int h = 0; h < NCPU; h++)
		while ((harts >> h & 1) && __atomic_load_n(&fence_ack[h], __ATOMIC_ACQUIRE) < want[h])
			; /* interrupts on: this hart answers others meanwhile */
}

void
ipi_intr(void)
{
	int me = cpuid();
	/* Clear first: a request made after the load below interrupts again. */
	csr_clear(sip, IRQ_SSI);
	COUNT(ipis_received, 1);
	uint64 req = __atomic_load_n(&fence_req[me], __ATOMIC_SEQ_CST);
	if (fence_ack[me] >= req)
		return;
	vm_flush();
	COUNT(remote_fences, 1);
	__atomic_store_n(&fence_ack[me], req, __ATOMIC_RELEASE);
}
