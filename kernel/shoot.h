#ifndef PTBENCH_SHOOT_H
#define PTBENCH_SHOOT_H

/*
 * TLB shootdown policies (kernel/ipi.c), shared with user space: the
 * shootctl system call reads and sets them, the boot arguments give
 * their starting values. Each is a variant a report compares; a change
 * takes effect at the next shootdown (each reads the policy once).
 *
 *   SHOOT_TARGET     which harts a shrink of a live address space interrupts
 *                    (boot argument shoot=all|mask|lazy, default lazy):
 *     SHOOT_ALL      every other hart that is up;
 *     SHOOT_MASK     every other hart that loaded the address space under
 *                    its ASID (Linux's mm_cpumask, never cleared with ASIDs);
 *                    without ASIDs a hart that switches away flushes, so
 *                    the mask is the harts that run it now;
 *     SHOOT_LAZY     the harts that run it now; the others in the mask are
 *                    marked and fence its ASID before they load it again
 *                    (their bit cleared then).
 *   SHOOT_THRESHOLD  a change of at most this many pages is fenced page by
 *                    page (sfence.vma va, asid), locally and remotely; a
 *                    larger one by ASID (or everything, without ASIDs).
 *                    Boot argument shootpages=N, default 64 (Linux RISC-V;
 *                    OpenSBI behaves as 1, x86 as 33); 0: never by page.
 *   SHOOT_VIA        how an IPI is delivered (boot argument ipi=sswi|mmode,
 *                    default sswi): SHOOT_SSWI writes the target's ACLINT
 *                    SSWI word; SHOOT_MMODE asks M-mode (ecall, as an SBI
 *                    send-IPI call), which raises the target's machine
 *                    software interrupt, whose handler sets its sip.SSIP.
 *   SHOOT_SVINVAL    1: page-by-page fences are batched with Svinval
 *                    (sfence.w.inval; sinval.vma per page;
 *                    sfence.inval.ir); boot argument svinval=1; refused on
 *                    a hart whose device tree lists no Svinval.
 */
#define SHOOT_TARGET 0
#define SHOOT_THRESHOLD 1
#define SHOOT_VIA 2
#define SHOOT_SVINVAL 3
#define SHOOT_NKNOB 4

#define SHOOT_ALL 0
#define SHOOT_MASK 1
#define SHOOT_LAZY 2

#define SHOOT_SSWI 0
#define SHOOT_MMODE 1

#define SHOOT_THRESHOLD_MAX 4096

#endif
