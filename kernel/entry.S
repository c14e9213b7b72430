# First code every hart runs, in M-mode, at 0x80000000 (QEMU -bios none):
# a0 = hart id, a1 = device tree address. Give each hart its own boot
# stack (boot_stacks + (hartid + 1) * BOOT_STACK) and call start().
#include "kernel/param.h"

#define BOOT_STACK 8192

	.section .text.entry
	.globl _entry
_entry:
	li t0, NCPU
	bgeu a0, t0, park          # harts beyond NCPU never join
	la sp, boot_stacks
	li t0, BOOT_STACK
	addi t1, a0, 1
	mul t0, t0, t1
	add sp, sp, t0
	call start
park:
	wfi
	j park

	.section .bss
	.balign 16
	.globl boot_stacks
boot_stacks:
	.space BOOT_STACK * NCPU
