# M-mode's only work: IPIs delivered through M-mode (ipi=mmode, as an
# SBI send-IPI call does it). start.c points mtvec here, leaves ecalls
# from S-mode undelegated and enables the machine software interrupt;
# everything else goes to S-mode.
#
#   ecall from S-mode, a0 = mask of harts: raise each one's machine
#     software interrupt (ACLINT MSWI, QEMU virt: a 32-bit MSIP word per
#     hart at 0x2000000); return after the ecall.
#   machine software interrupt: clear this hart's MSIP and set sip.SSIP
#     (writable from M-mode), so that S-mode takes its supervisor
#     software interrupt (kernel/ipi.c) once it may.
#
# mscratch holds this hart's save area (start.c: 3 words); t0..t3 are
# the only registers used, and restored.
#include "kernel/memlayout.h"

#define MCAUSE_ECALL_S 9
#define MIP_SSIP 2

	.section .text
	.globl mtrapvec
	.balign 4
mtrapvec:
	csrrw t0, mscratch, t0
	sd t1, 0(t0)
	sd t2, 8(t0)
	sd t3, 16(t0)
	li t2, MSWI_PA
	csrr t1, mcause
	bltz t1, msoft                 # an interrupt: only MSIP is enabled
	li t3, MCAUSE_ECALL_S
	bne t1, t3, mstuck             # nothing else comes here
	mv t3, a0
1:	beqz t3, 3f
	andi t1, t3, 1
	beqz t1, 2f
	li t1, 1
	sw t1, 0(t2)                   # raise that hart's MSIP
2:	srli t3, t3, 1
	addi t2, t2, 4
	j 1b
3:	csrr t1, mepc
	addi t1, t1, 4
	csrw mepc, t1
	j mout
msoft:
	csrr t1, mhartid
	slli t1, t1, 2
	add t2, t2, t1
	sw zero, 0(t2)                 # clear this hart's MSIP
	li t1, MIP_SSIP
	csrs mip, t1
mout:
	ld t1, 0(t0)
	ld t2, 8(t0)
	ld t3, 16(t0)
	csrrw t0, mscratch, t0
	mret
mstuck:
	wfi                            # an exception in M-mode: cannot happen
	j mstuck
