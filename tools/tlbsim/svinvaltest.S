# svinvaltest.S: a bare-metal guest that invalidates with Svinval, for the
# end-to-end tests of the tlbsim plugin's sinval.vma, sfence.w.inval and
# sfence.inval.ir (tests/test_tlbsim.py). Boots under
#   qemu-system-riscv64 -machine virt -cpu rv64,svinval=on -bios none \
#       -kernel svinvaltest.elf
# in M-mode at 0x80000000, builds one Sv39 address space, runs in S-mode
# under ASID 1 and powers off through the finisher (status 0; 1 on an
# unexpected trap, such as an Svinval instruction on a hart without it).
# It tells the plugin nothing.
#
# Address space:
#
#   VA                       maps                              PTE
#   0x0000000..0x003ffff     64 pages of frames, 4 KiB         V R W A D
#   0x80000000..0x87ffffff   RAM identity, 64 x 2 MiB leaves   V R W X G A D
#
# Regions: twins, the same accesses and invalidations of the same
# operands, starting from the same state (a full fence, then pages 0..3
# loaded):
#
#   30  sfence.vma va0, ASID 1; sfence.vma va1, x0; load pages 0, 1, 2;
#       sfence.vma x0, ASID 1; load page 3; sfence.vma x0, x0; load
#       page 2: one fence of each form
#   31  the same with sinval.vma in place of each sfence.vma, between
#       sfence.w.inval and sfence.inval.ir: 2 instructions more, no
#       sfence.vma, 4 sinval.vma, 2 inval fences; every TLB count as 30's
#
# Then, outside any region, two remaps of an ASID 1 page for the checker
# (check=1), each fenced the Svinval way:
#   covered   sfence.w.inval; sinval.vma va, ASID 1; sfence.inval.ir:
#             no report
#   left out  sfence.w.inval; sfence.inval.ir with no sinval.vma between:
#             reported at sv_stale_ld (QEMU itself, which flushes only at
#             sinval.vma, reads the old frame there too)

	.option arch, +svinval

	.equ FINISHER, 0x100000
	.equ FINISH_PASS, 0x5555
	.equ FINISH_FAIL, 0x13333          # (1 << 16) | 0x3333: status 1
	.equ MCAUSE_ECALL_S, 9
	.equ MSTATUS_MPP, 0x1800
	.equ MSTATUS_MPP_S, 0x0800
	.equ PMP_NAPOT_RWX, 0x1f
	.equ PAGE, 4096
	.equ MEGA, 0x200000
	.equ RAM, 0x80000000
	.equ SATP_MODE, 8                  # Sv39, satp bits 63..60
	.equ SATP_ASID_SHIFT, 44
	.equ PTE_SHIFT, 10                 # PPN position in a PTE
	.equ PTE_TABLE, 0x01               # V
	.equ PTE_DATA, 0xc7                # V R W A D
	.equ PTE_KERNEL, 0xef              # V R W X G A D
	.equ UPAGES, 64
	.equ MEGAS, 64                     # 128 MiB of RAM
	.equ ASID, 1

	.macro BEGIN id
	.insn i 0x13, 0, x0, x0, \id
	.endm
	.macro END
	.insn i 0x13, 0, x0, x0, -1
	.endm

	# The twins' common start: everything fenced, then pages 0..3 loaded
	# (s2, s3, s5, s6: their VAs; s4: the ASID). Uses t0..t3.
	.macro PREPARE
	sfence.vma
	li t0, 0
	li t1, 4
	lui t2, 1
99:	ld t3, 0(t0)
	add t0, t0, t2
	addi t1, t1, -1
	bnez t1, 99b
	li s2, 0
	li s3, PAGE
	li s5, 2 * PAGE
	li s6, 3 * PAGE
	li s4, ASID
	.endm

	# The twins' body, with op (sfence.vma or sinval.vma) for every
	# invalidation.
	.macro BODY op
	\op s2, s4                         # page 0 of ASID 1
	\op s3, x0                         # page 1, any ASID
	ld t3, 0(s2)                       # misses
	ld t3, 0(s3)                       # misses
	ld t3, 0(s5)                       # hits
	\op x0, s4                         # ASID 1's non-global entries
	ld t3, 0(s6)                       # misses
	\op x0, x0                         # everything, the code's too
	ld t3, 0(s5)                       # misses, after a fetch miss
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
	call build_table
	la s0, root                        # s0: satp of ASID 1
	srli s0, s0, 12
	li t0, SATP_MODE
	slli t0, t0, 60
	or s0, s0, t0
	li t0, ASID
	slli t0, t0, SATP_ASID_SHIFT
	or s0, s0, t0
	li t0, MSTATUS_MPP
	csrc mstatus, t0
	li t0, MSTATUS_MPP_S
	csrs mstatus, t0
	la t0, s_main
	csrw mepc, t0
	mret

# Trap handler (M-mode): an ecall from S-mode means done; anything else
# is a failure.
	.balign 4
trap:
	csrr t0, mcause
	li t1, MCAUSE_ECALL_S
	li t2, FINISHER
	li t3, FINISH_PASS
	beq t0, t1, 1f
	li t3, FINISH_FAIL
1:	sw t3, 0(t2)
park:
	wfi
	j park

# set_pte(a0 = table, a1 = index, a2 = physical address, a3 = flags):
# table[index] = the PTE. Leaf; uses t0.
set_pte:
	srli a2, a2, 12
	slli a2, a2, PTE_SHIFT
	or a2, a2, a3
	slli t0, a1, 3
	add t0, t0, a0
	sd a2, 0(t0)
	ret

# build_table: the address space above. Uses s2..s5.
build_table:
	mv s5, ra
	la t0, tables_start                # zero the table pages
	la t1, tables_end
1:	sd zero, 0(t0)
	addi t0, t0, 8
	bltu t0, t1, 1b
	li s2, 0                           # 2 MiB leaves of RAM
	li s3, RAM
2:	la a0, l1_ram
	mv a1, s2
	mv a2, s3
	li a3, PTE_KERNEL
	call set_pte
	li t0, MEGA
	add s3, s3, t0
	addi s2, s2, 1
	li t0, MEGAS
	bltu s2, t0, 2b
	li s2, 0                           # the 4 KiB pages
3:	slli s3, s2, 12
	la a0, l0
	mv a1, s2
	la a2, frames
	add a2, a2, s3
	li a3, PTE_DATA
	call set_pte
	addi s2, s2, 1
	li t0, UPAGES
	bltu s2, t0, 3b
	la a0, root                        # root[0] -> l1 -> l0
	li a1, 0
	la a2, l1
	li a3, PTE_TABLE
	call set_pte
	la a0, l1
	li a1, 0
	la a2, l0
	li a3, PTE_TABLE
	call set_pte
	la a0, root                        # root[2] -> l1_ram
	li a1, 2
	la a2, l1_ram
	li a3, PTE_TABLE
	call set_pte
	mv ra, s5
	ret

# S-mode from here on, under ASID 1.
s_main:
	csrw satp, s0
	sfence.vma

	PREPARE
	BEGIN 30
	BODY sfence.vma
	END

	PREPARE
	BEGIN 31
	sfence.w.inval
	BODY sinval.vma
	sfence.inval.ir
	END

	# Checker: a remap covered by its sinval.vma.
	li s2, 0x20000                     # page 32
	ld t3, 0(s2)
	la a0, l0
	li a1, 32
	la a2, spare
	li a3, PTE_DATA
	call set_pte
	sfence.w.inval
	sinval.vma s2, s4
	sfence.inval.ir
	ld t3, 0(s2)

	# Checker: a remap whose sinval.vma is left out.
	li s2, 0x21000                     # page 33
	ld t3, 0(s2)
	la a0, l0
	li a1, 33
	la a2, spare + PAGE
	li a3, PTE_DATA
	call set_pte
	sfence.w.inval
	sfence.inval.ir
	.globl sv_stale_ld
sv_stale_ld:
	ld t3, 0(s2)

	ecall

	.bss
	.balign PAGE
tables_start:
root:	.space PAGE
l1:	.space PAGE
l0:	.space PAGE
l1_ram:	.space PAGE
tables_end:
	.globl frames, spare
frames:	.space UPAGES * PAGE
spare:	.space 2 * PAGE
