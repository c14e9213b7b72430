#ifndef PTBENCH_IPI_H
#define PTBENCH_IPI_H

#include "kernel/shoot.h"
#include "kernel/types.h"

/*
 * TLB shootdowns: a hart that removed or restricted mappings of an
 * address space that other harts may cache makes each of them fence
 * before the change is done. Targets, granularity, delivery and
 * batching follow the policy (kernel/shoot.h).
 *
 * The protocol. Each hart has a request slot: what it is asked to fence
 * (pages of up to two ASIDs, whole ASIDs, or everything; two requests
 * that meet in the slot merge into the wider one), how many requests
 * were made of it and how many it has served. An initiator writes its
 * request into each target's slot, raises each target's supervisor
 * software interrupt (directly through the ACLINT SSWI device of QEMU's
 * virt machine with aclint=on, or through M-mode), then waits until each
 * target has served it. A target takes its slot's request in its
 * interrupt handler, fences, and counts it served.
 *
 * Where traps switch satp and every satp write flushes (the
 * trap-switching designs without ASIDs), the interrupt itself has
 * emptied the target's TLB of user entries: the target only
 * acknowledges.
 */

/* The policy now (shoot.h's knobs), from the boot arguments first. */
extern int shoot_knob[SHOOT_NKNOB];

/* A shootdown's fence: npages pages from va in the nasid ASIDs asid[]
 * (nasid 0: in every address space). */
struct shoot {
	uint64 va, npages;
	int nasid;
	uint64 asid[2];
};

/* Hart 0, once: the policy from the boot arguments. */
void shoot_boot(void);
/* Knob k's value (v < 0: leave it) or set it to v: the old value, or -1
 * if k or v is out of range (svinval=1 without Svinval). */
int shoot_ctl(int k, int v);
/* This hart is up: the harts SHOOT_ALL interrupts. */
void ipi_hart_up(void);
/* Make every hart of the mask harts (never the caller's) fence s and
 * wait until each has; counted (kstats: shootdowns, shootdown_pages,
 * ipis_sent, ipi_ecalls, shoot_wait; the targets count ipis_received,
 * remote_fences and remote_fence_*). Interrupts must be on and no
 * spinlock held: a target may be waiting for this hart meanwhile. */
void ipi_shootdown(uint64 harts, const struct shoot *s);
/* Interrupt hart (never the caller's) with no request: it leaves wfi
 * (a wakeup of a process pinned to it); counted (ipis_sent, wake_ipis). */
void ipi_wake(int hart);
/* The harts up now, as a mask. */
uint64 ipi_harts_up(void);
/* The supervisor software interrupt: serve this hart's pending request.
 * From devintr, interrupts off. */
void ipi_intr(void);

#endif
