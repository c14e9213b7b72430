#ifndef PTBENCH_IPI_H
#define PTBENCH_IPI_H

#include "kernel/types.h"

/*
 * Remote TLB fences (shootdowns) by supervisor IPIs: QEMU's virt machine
 * with aclint=on (tools/run.sh) has an ACLINT SSWI device, whose word per
 * hart raises that hart's supervisor software interrupt when 1 is written
 * to it (SSWI_PA, memlayout.h). Each hart has a request count that
 * initiators raise and an acknowledged count that the hart raises once it
 * has fenced; an initiator waits until every target has acknowledged its
 * request.
 */

/* Make every hart of the mask harts (never the caller's) empty its TLB
 * (sfence.vma zero, zero) and wait until each has: a shootdown of npages
 * pages, counted (kstats: shootdowns, shootdown_pages, ipis_sent; the
 * targets count ipis_received and remote_fences). Interrupts must be on
 * and no spinlock held: a target may be waiting for this hart's own
 * acknowledgement meanwhile. */
void ipi_shootdown(uint64 harts, uint64 npages);
/* The supervisor software interrupt: fence if a request is pending and
 * acknowledge it. From devintr, interrupts off. */
void ipi_intr(void);

#endif
