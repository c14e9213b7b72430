# selftest.S: a bare-metal guest with known regions, for the end-to-end test
# of the tlbsim plugin (tests/test_tlbsim.py). Boots under
#   qemu-system-riscv64 -machine virt -bios none -kernel selftest.elf
# in M-mode at 0x80000000, runs its regions, prints instret deltas on the
# UART ("name=HEX" lines) and powers off through the finisher (status 0;
# 1 on an unexpected trap).
#
# Regions (marker ID: what it does; "insns" = instructions strictly
# between the markers):
#
#   M-mode, code at 0x8000xxxx (kernel class):
#   7   loop of exactly 1000 instructions; instret read right around the
#       markers (printed as loop=)
#   8   csr reads and writes of satp (4 writes), then one sfence.vma of each
#       form: 12 insns; the 2nd..4th sfence fetch misses (3 I-TLB misses)
#   9   jumps across 3 fresh pages after a flush: 4 insns, 3 I-TLB misses
#   10  loads from 32 pages x 3 passes (396 insns), then 40 x 2 (328);
#       the pages start 16 KiB aligned (4-page sectors on rocket)
#   11  a load that faults (access fault at 0); the trap handler skips it
#       (instret printed as fault=)
#   13  a UART store and load in mid-block, 5 insns (printed as mmio=)
#   12  an ecall from M-mode, skipped likewise (printed as ecall=)
#   S-mode, Sv39, code run through a low alias VA = PA - 0x80000000 (user
#   class):
#   9   the same jumps: 3 I-TLB misses, user
#   10  40 pages x 2 through the alias: user D-TLB misses
#
# Sv39 root table (gigapages, no U bit: S-mode runs them):
#
#   VPN[2]  VA range                 PA
#   0       0x00000000..0x3fffffff   0x80000000 (RAM alias)
#   1       0x40000000..0x7fffffff   0x00000000 (devices, unused)
#   2       0x80000000..0xbfffffff   0x80000000 (identity)

	.equ UART_THR, 0x10000000          # 16550 registers: transmit,
	.equ UART_LSR, 5                   # line status,
	.equ UART_SCR, 7                   # scratch
	.equ FINISHER, 0x100000
	.equ FINISH_PASS, 0x5555
	.equ FINISH_FAIL, 0x13333          # (1 << 16) | 0x3333: status 1
	.equ MCAUSE_LOAD_ACCESS, 5
	.equ MCAUSE_ECALL_S, 9
	.equ MCAUSE_ECALL_M, 11
	.equ MSTATUS_MPP, 0x1800
	.equ MSTATUS_MPP_S, 0x0800
	.equ SATP_SV39, 8                  # satp.MODE, bits 63..60
	.equ ALIAS, 0x80000000             # alias VA = PA - ALIAS
	.equ PTE_VRWXAD, 0xcf              # V R W X A D
	.equ PTE_PPN_SHIFT, 10
	.equ PAGE, 4096
	.equ PMP_NAPOT_RWX, 0x1f

	.macro BEGIN id
	.insn i 0x13, 0, x0, x0, \id
	.endm
	.macro END
	.insn i 0x13, 0, x0, x0, -1
	.endm

	.text
	.globl _start
_start:
	csrr t0, mhartid
	bnez t0, park
	la t0, trap
	csrw mtvec, t0
	li t0, -1                          # PMP: S-mode may use everything
	csrw pmpaddr0, t0
	li t0, PMP_NAPOT_RWX
	csrw pmpcfg0, t0

	call r_loop
	mv a1, a0
	la a0, name_loop
	call print_kv
	call r_flush
	call r_ipages
	la a0, buf
	li a1, 32
	li a2, 3
	call r_dpages
	la a0, buf
	li a1, 40
	li a2, 2
	call r_dpages
	call r_fault
	mv a1, a0
	la a0, name_fault
	call print_kv
	call r_mmio
	mv a1, a0
	la a0, name_mmio
	call print_kv
	call r_ecall
	mv a1, a0
	la a0, name_ecall
	call print_kv
	j to_smode

# Trap handler (M-mode): skip a faulting load or an M-mode ecall; an ecall
# from S-mode means the S-mode part is done. Uses t0 and t1 only.
	.balign 4                          # mtvec's low two bits are its mode
trap:
	csrr t0, mcause
	li t1, MCAUSE_ECALL_S
	beq t0, t1, finish
	li t1, MCAUSE_LOAD_ACCESS
	beq t0, t1, skip
	li t1, MCAUSE_ECALL_M
	beq t0, t1, skip
	j fail
skip:
	csrr t0, mepc
	addi t0, t0, 4
	csrw mepc, t0
	mret
finish:
	la a0, name_done
	li a1, 0
	call print_kv
	li t0, FINISHER
	li t1, FINISH_PASS
	sw t1, 0(t0)
	j park
fail:
	li t0, FINISHER
	li t1, FINISH_FAIL
	sw t1, 0(t0)
park:
	wfi
	j park

# print_kv(a0 = NUL-terminated name, a1 = value): "name=HEX\n" on the
# UART, M-mode only. Leaf; uses t0..t3.
print_kv:
	li t0, UART_THR
1:	lbu t1, 0(a0)
	beqz t1, 2f
	sb t1, 0(t0)
	addi a0, a0, 1
	j 1b
2:	li t1, '='
	sb t1, 0(t0)
	li t2, 60                          # shift of the top hex digit
3:	srl t1, a1, t2
	andi t1, t1, 15
	li t3, 10
	blt t1, t3, 4f
	addi t1, t1, 'a' - '0' - 10
4:	addi t1, t1, '0'
	sb t1, 0(t0)
	addi t2, t2, -4
	bgez t2, 3b
	li t1, '\n'
	sb t1, 0(t0)
	ret

# Region 7: 500 x (addi, bnez) = 1000 instructions. Returns the instret
# delta across the markers in a0.
r_loop:
	li t0, 500
	csrr t1, instret
	BEGIN 7
1:	addi t0, t0, -1
	bnez t0, 1b
	END
	csrr t2, instret
	sub a0, t2, t1
	ret

# Region 11: one load that takes an access fault. Returns the instret delta.
r_fault:
	csrr t3, instret
	BEGIN 11
	.option push
	.option norvc                      # 4 bytes: the handler skips 4
	ld t2, 0(zero)
	.option pop
	END
	csrr t4, instret
	sub a0, t4, t3
	ret

# Region 13: a UART register write and read in mid-block (device
# accesses QEMU handles specially under -icount). Returns the delta.
r_mmio:
	li t5, UART_THR
	csrr t3, instret
	BEGIN 13
	li t6, 1
	sb t6, UART_SCR(t5)                # scratch register: prints nothing
	lbu t6, UART_LSR(t5)
	addi t6, t6, 1
	addi t6, t6, 1
	END
	csrr t4, instret
	sub a0, t4, t3
	ret

# Region 12: one ecall from M-mode. Returns the instret delta.
r_ecall:
	csrr t3, instret
	BEGIN 12
	ecall
	END
	csrr t4, instret
	sub a0, t4, t3
	ret

# Switch to S-mode with Sv39 on, continuing at s_main through the alias.
to_smode:
	la t0, root
	li t1, PAGE / 8
1:	sd zero, 0(t0)
	addi t0, t0, 8
	addi t1, t1, -1
	bnez t1, 1b
	la t0, root
	li t1, ((ALIAS >> 12) << PTE_PPN_SHIFT) | PTE_VRWXAD
	sd t1, 0(t0)
	sd t1, 16(t0)
	li t1, PTE_VRWXAD
	sd t1, 8(t0)
	srli t0, t0, 12
	li t1, SATP_SV39
	slli t1, t1, 60
	or t0, t0, t1
	csrw satp, t0
	sfence.vma
	li t0, MSTATUS_MPP
	csrc mstatus, t0
	li t0, MSTATUS_MPP_S
	csrs mstatus, t0
	la t0, s_main
	li t1, ALIAS
	sub t0, t0, t1
	csrw mepc, t0
	mret

# Region 8: satp accesses and every sfence.vma form, on one page.
	.balign PAGE
r_flush:
	li t3, 0                           # zero, but not x0: a write
	li t4, 1                           # an ASID
	la t5, buf                         # an address
	sfence.vma
	BEGIN 8
	csrr t0, satp                      # read (csrrs rs1=x0)
	csrw satp, t0                      # write 1 (csrrw)
	csrwi satp, 0                      # write 2 (csrrwi)
	csrrs x0, satp, x0                 # read
	csrrsi x0, satp, 0                 # read
	csrrc x0, satp, x0                 # read
	csrrs x0, satp, t3                 # write 3
	csrrci x0, satp, 1                 # write 4
	sfence.vma                         # all
	sfence.vma t5                      # address
	sfence.vma x0, t4                  # ASID
	sfence.vma t5, t4                  # address and ASID
	END
	ret

# Region 9: after a flush, jump through three pages not yet fetched from.
	.balign PAGE
r_ipages:
	sfence.vma
	BEGIN 9
	j 1f
	.balign PAGE
1:	j 2f
	.balign PAGE
2:	j 3f
	.balign PAGE
3:	nop
	END
	ret

# Region 10: a1 pages from a0, one load each, a2 passes, after a flush.
# a2 x (2 + 4 a1 + 2) instructions; code on one page.
	.balign PAGE
r_dpages:
	lui t4, 1                          # PAGE
	sfence.vma
	BEGIN 10
1:	mv t0, a0
	mv t1, a1
2:	ld t2, 0(t0)
	add t0, t0, t4
	addi t1, t1, -1
	bnez t1, 2b
	addi a2, a2, -1
	bnez a2, 1b
	END
	ret

# S-mode, running at alias addresses: la and call are pc-relative, so
# they stay in the alias.
s_main:
	call r_ipages
	la a0, buf
	li a1, 40
	li a2, 2
	call r_dpages
	ecall

	.section .rodata
name_loop:  .asciz "loop"
name_fault: .asciz "fault"
name_ecall: .asciz "ecall"
name_mmio:  .asciz "mmio"
name_done:  .asciz "done"

	.bss
	.balign PAGE
root:	.space PAGE
	.balign 4 * PAGE                   # Rocket's sectors: 32 pages = 8 tags
buf:	.space 40 * PAGE
