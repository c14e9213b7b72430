# Traps taken in S-mode (interrupts while in the kernel, kernel faults):
# save the caller-saved registers on the current kernel stack, call
# kerneltrap(), restore and return. Callee-saved registers are preserved
# by kerneltrap() itself under the C calling convention.

	.section .text
	.balign 4
	.globl kernelvec
kernelvec:
	addi sp, sp, -144
	sd ra, 0(sp)
	sd gp, 8(sp)
	sd t0, 16(sp)
	sd t1, 24(sp)
	sd t2, 32(sp)
	sd a0, 40(sp)
	sd a1, 48(sp)
	sd a2, 56(sp)
	sd a3, 64(sp)
	sd a4, 72(sp)
	sd a5, 80(sp)
	sd a6, 88(sp)
	sd a7, 96(sp)
	sd t3, 104(sp)
	sd t4, 112(sp)
	sd t5, 120(sp)
	sd t6, 128(sp)
	call kerneltrap
	ld t6, 128(sp)
	ld ra, 0(sp)
	ld gp, 8(sp)
	ld t0, 16(sp)
	ld t1, 24(sp)
	ld t2, 32(sp)
	ld a0, 40(sp)
	ld a1, 48(sp)
	ld a2, 56(sp)
	ld a3, 64(sp)
	ld a4, 72(sp)
	ld a5, 80(sp)
	ld a6, 88(sp)
	ld a7, 96(sp)
	ld t3, 104(sp)
	ld t4, 112(sp)
	ld t5, 120(sp)
	addi sp, sp, 144
	sret

# uprobe_read(va): 0 if a byte load from va works in S-mode as things
# stand (SUM as it is), 1 if it faults. kerneltrap sends a load page
# fault at uprobe_load to uprobe_fault. For the test that kernel code
# outside the copy routines cannot touch user memory (sys_uprobe).
	.globl uprobe_read
	.globl uprobe_load
	.globl uprobe_fault
uprobe_read:
uprobe_load:
	lb t0, 0(a0)
	li a0, 0
	ret
uprobe_fault:
	li a0, 1
	ret
