# The trampoline page: mapped at TRAMPOLINE in every table (user tables,
# the global kernel table, per-process kernel tables), so these
# instructions keep running while satp changes under them.
#
# uservec:  user -> kernel. stvec points here while a process runs in
#           user mode. Saves x1..x31 into the trap frame (mapped in the
#           user table at the address sscratch holds: TRAPFRAME for a
#           process's first thread, below it by thread slot for the
#           others, set by the scheduler; layout in proc.h: x<i> at
#           40 + 8*i), loads the kernel's satp, sp, tp and jumps to
#           usertrap(). One satp write and one sfence.vma (counted by
#           usertrap()), in the designs whose traps switch tables
#           (KPT_TRAP_SWITCH, from the config's trap_switch trait).
# userret:  kernel -> user, called by usertrapret() with a0 = user satp
#           (and, with ASIDs, a1 = flush or not).
#           One satp write and one sfence.vma (counted by usertrapret()),
#           likewise.
#include "config.h"
#include "kernel/memlayout.h"

#define TF_KSATP 0
#define TF_KSP 8
#define TF_KTRAP 16
#define TF_KTP 32
#define TF_X(i) (40 + 8 * (i))
#define TF_KFLUSH 296

	.section .trampoline, "ax"
	.balign 4
	.globl uservec
uservec:
	csrrw a0, sscratch, a0 # a0: the trap frame; sscratch: user a0
	sd x1, TF_X(1)(a0)
	sd x2, TF_X(2)(a0)
	sd x3, TF_X(3)(a0)
	sd x4, TF_X(4)(a0)
	sd x5, TF_X(5)(a0)
	sd x6, TF_X(6)(a0)
	sd x7, TF_X(7)(a0)
	sd x8, TF_X(8)(a0)
	sd x9, TF_X(9)(a0)
	sd x11, TF_X(11)(a0)
	sd x12, TF_X(12)(a0)
	sd x13, TF_X(13)(a0)
	sd x14, TF_X(14)(a0)
	sd x15, TF_X(15)(a0)
	sd x16, TF_X(16)(a0)
	sd x17, TF_X(17)(a0)
	sd x18, TF_X(18)(a0)
	sd x19, TF_X(19)(a0)
	sd x20, TF_X(20)(a0)
	sd x21, TF_X(21)(a0)
	sd x22, TF_X(22)(a0)
	sd x23, TF_X(23)(a0)
	sd x24, TF_X(24)(a0)
	sd x25, TF_X(25)(a0)
	sd x26, TF_X(26)(a0)
	sd x27, TF_X(27)(a0)
	sd x28, TF_X(28)(a0)
	sd x29, TF_X(29)(a0)
	sd x30, TF_X(30)(a0)
	sd x31, TF_X(31)(a0)
	csrrw t0, sscratch, a0 # user a0 out, the trap frame's address back
	sd t0, TF_X(10)(a0)

	ld sp, TF_KSP(a0)
	ld tp, TF_KTP(a0)
	ld t0, TF_KTRAP(a0)
#if KPT_TRAP_SWITCH
	ld t1, TF_KSATP(a0)
#if KPT_ASID
	ld t3, TF_KFLUSH(a0)
	csrw satp, t1
	beqz t3, 1f            # ASIDs in use: no flush
	sfence.vma zero, zero
1:
#else
	csrw satp, t1
	sfence.vma zero, zero
#endif
#endif
	jr t0

	.org USERRET_OFF       # memlayout.h: USERRET_VA
	.globl userret
userret:
#if KPT_TRAP_SWITCH
#if KPT_ASID
	csrw satp, a0
	beqz a1, 1f            # a1: nonzero if satp writes flush
	sfence.vma zero, zero
1:
#else
	csrw satp, a0
	sfence.vma zero, zero
#endif
#endif
	csrr a0, sscratch      # the trap frame
	ld x1, TF_X(1)(a0)
	ld x2, TF_X(2)(a0)
	ld x3, TF_X(3)(a0)
	ld x4, TF_X(4)(a0)
	ld x5, TF_X(5)(a0)
	ld x6, TF_X(6)(a0)
	ld x7, TF_X(7)(a0)
	ld x8, TF_X(8)(a0)
	ld x9, TF_X(9)(a0)
	ld x11, TF_X(11)(a0)
	ld x12, TF_X(12)(a0)
	ld x13, TF_X(13)(a0)
	ld x14, TF_X(14)(a0)
	ld x15, TF_X(15)(a0)
	ld x16, TF_X(16)(a0)
	ld x17, TF_X(17)(a0)
	ld x18, TF_X(18)(a0)
	ld x19, TF_X(19)(a0)
	ld x20, TF_X(20)(a0)
	ld x21, TF_X(21)(a0)
	ld x22, TF_X(22)(a0)
	ld x23, TF_X(23)(a0)
	ld x24, TF_X(24)(a0)
	ld x25, TF_X(25)(a0)
	ld x26, TF_X(26)(a0)
	ld x27, TF_X(27)(a0)
	ld x28, TF_X(28)(a0)
	ld x29, TF_X(29)(a0)
	ld x30, TF_X(30)(a0)
	ld x31, TF_X(31)(a0)
	ld a0, TF_X(10)(a0)
	sret
