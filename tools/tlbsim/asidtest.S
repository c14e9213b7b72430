# asidtest.S: a bare-metal guest with two Sv39 address spaces under ASIDs,
# for the end-to-end tests of the tlbsim plugin's ASID, global-mapping and
# superpage model and of its stale-translation checker (tests/test_tlbsim.py).
# Boots under
#   qemu-system-riscv64 -machine virt -bios none -kernel asidtest.elf
# in M-mode at 0x80000000, builds two Sv39 address spaces, runs in S-mode
# and powers off through the finisher (status 0; 1 on an unexpected trap).
# It tells the plugin nothing: the plugin reads satp and the fences'
# operands from the hart and walks the tables itself.
#
# Address spaces (both roots share the kernel part):
#
#   VA                       maps                              PTE
#   0x0000000..0x003ffff     64 pages: frames_a (ASID 1) or    V R W A D
#                            frames_b (ASID 2), 4 KiB
#   0x80000000..0x87ffffff   RAM identity, 64 x 2 MiB leaves   V R W X G A D
#
# Regions (marker ID: what it does; all presets agree unless said):
#
#   20  satp back to ASID 1 after 8 pages were touched in ASIDs 1 and 2,
#       then the 8 pages again: 1 fetch + 8 data misses; on c906 all 9 hit
#       the jTLB (its micro-TLBs are emptied, the jTLB keeps ASID and
#       global entries); on the others (no ASIDs) all 9 walk
#   21  sfence.vma x0, ASID 1, then a global page and an ASID 1 page:
#       1 data miss (the global entry survives)
#   22  after a full flush, 8 loads 256 KiB apart in one 2 MiB page, then
#       8 distinct 4 KiB pages: 9 data misses
#   23  sfence.vma by an address 1 MiB into a 2 MiB page: its entry goes,
#       1 data miss
#
# Then, outside any region, three remaps of an ASID 1 page for the checker:
#   covered   sfence.vma va, ASID 1 after the remap: no report
#   other     a fence of ASID 2 only (QEMU flushes its own TLB on any
#             fence, so QEMU re-walks; a real TLB would not): reported at
#             stale_other_ld
#   none      no fence at all: reported at stale_none_sd
# and two for the checker's strict mode (strict=1: a core without Svvptc
# may keep a walk that found an invalid PTE), each of a page unmapped
# (with its fence) and mapped again while the hart runs the table:
#   unfenced  no fence after the mapping: reported at strict_unfenced_ld
#             in strict mode, by no mode else
#   fenced    sfence.vma va, ASID 1 after the mapping: no report

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
	.equ ASID_A, 1
	.equ ASID_B, 2
	.equ GLOBAL_PAGE, 0x80400000       # a 2 MiB page no code or table is in
	.equ FENCED_MEGA, 0x80600000

	.macro BEGIN id
	.insn i 0x13, 0, x0, x0, \id
	.endm
	.macro END
	.insn i 0x13, 0, x0, x0, -1
	.endm

	# satp write to the value in reg (asid: what it loads, for the reader).
	.macro SATP reg, asid
	csrw satp, \reg
	.endm
	# One load from each of n pages from VA base; uses t0..t3.
	.macro TOUCH base, n
	li t0, \base
	li t1, \n
	lui t2, 1
99:	ld t3, 0(t0)
	add t0, t0, t2
	addi t1, t1, -1
	bnez t1, 99b
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
	call build_tables
	la s0, root_a                      # s0: satp of ASID 1, s1: of ASID 2
	srli s0, s0, 12
	li t0, SATP_MODE
	slli t0, t0, 60
	or s0, s0, t0
	la s1, root_b
	srli s1, s1, 12
	or s1, s1, t0
	csrw satp, s0                      # paging on, ASID 0
	sfence.vma
	li t0, ASID_A
	slli t0, t0, SATP_ASID_SHIFT
	or s0, s0, t0
	li t0, ASID_B
	slli t0, t0, SATP_ASID_SHIFT
	or s1, s1, t0
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

# pte_at(a0 = table, a1 = index, a2 = physical address, a3 = flags):
# table[index] = PTE. Leaf; uses t0.
pte_at:
	srli a2, a2, 12
	slli a2, a2, PTE_SHIFT
	or a2, a2, a3
	slli t0, a1, 3
	add t0, t0, a0
	sd a2, 0(t0)
	ret

# build_tables: both address spaces (see the top). Uses s2..s7.
build_tables:
	mv s7, ra
	la t0, tables_start                # zero every table page
	la t1, tables_end
1:	sd zero, 0(t0)
	addi t0, t0, 8
	bltu t0, t1, 1b
	la s2, root_a
	la s3, root_b
	li s4, 0                           # s4: 2 MiB leaves of RAM
	li s5, RAM
2:	la a0, l1_ram
	mv a1, s4
	mv a2, s5
	li a3, PTE_KERNEL
	call pte_at
	li t0, MEGA
	add s5, s5, t0
	addi s4, s4, 1
	li t0, MEGAS
	bltu s4, t0, 2b
	li s4, 0                           # user pages of both spaces
3:	slli s5, s4, 12
	la a0, l0_a
	mv a1, s4
	la a2, frames_a
	add a2, a2, s5
	li a3, PTE_DATA
	call pte_at
	la a0, l0_b
	mv a1, s4
	la a2, frames_b
	add a2, a2, s5
	li a3, PTE_DATA
	call pte_at
	addi s4, s4, 1
	li t0, UPAGES
	bltu s4, t0, 3b
	mv a0, s2                          # root_a
	la s6, l1_a
	la s5, l0_a
	call link_root
	mv a0, s3                          # root_b
	la s6, l1_b
	la s5, l0_b
	call link_root
	mv ra, s7
	ret

# link_root(a0 = root, s6 = its level-1 table for GiB 0, s5 = its level-0
# table): root[0] -> s6 -> s5; root[2] -> l1_ram.
link_root:
	mv s4, ra
	mv a4, a0
	li a1, 0
	mv a2, s6
	li a3, PTE_TABLE
	call pte_at
	mv a0, s6
	li a1, 0
	mv a2, s5
	li a3, PTE_TABLE
	call pte_at
	mv a0, a4
	li a1, 2
	la a2, l1_ram
	li a3, PTE_TABLE
	call pte_at
	mv ra, s4
	ret

# S-mode from here on, on root_a (ASID 0 until the first ASID write).
s_main:
	SATP s0, ASID_A
	sfence.vma                         # begin clean

	# 20: ASID-tagged entries across satp writes.
	TOUCH 0x8000, 8
	SATP s1, ASID_B
	TOUCH 0x8000, 8
	BEGIN 20
	SATP s0, ASID_A
	TOUCH 0x8000, 8
	END

	# 21: an ASID fence keeps global entries.
	li s2, GLOBAL_PAGE
	li s3, 0x8000
	ld t3, 0(s2)
	ld t3, 0(s3)
	li s4, ASID_A
	BEGIN 21
	sfence.vma x0, s4
	ld t3, 0(s2)
	ld t3, 0(s3)
	END

	# 22: one entry covers a 2 MiB page; 4 KiB pages take one each.
	sfence.vma
	BEGIN 22
	li t0, GLOBAL_PAGE
	li t1, 8
	lui t2, 64                         # 256 KiB
1:	ld t3, 0(t0)
	add t0, t0, t2
	addi t1, t1, -1
	bnez t1, 1b
	TOUCH 0x10000, 8
	END

	# 23: a fence by an address inside a 2 MiB page drops its entry.
	li s2, FENCED_MEGA
	li s3, FENCED_MEGA + 0x100000
	ld t3, 0(s2)
	BEGIN 23
	sfence.vma s3, x0
	ld t3, 0(s2)
	END

	# Checker: a remap covered by its fence.
	li s2, 0x20000                     # page 32 of ASID 1
	ld t3, 0(s2)
	la a0, l0_a
	li a1, 32
	la a2, spare
	li a3, PTE_DATA
	call pte_at
	li s4, ASID_A
	sfence.vma s2, s4
	ld t3, 0(s2)

	# Checker: a remap fenced for another ASID only.
	li s2, 0x21000                     # page 33
	ld t3, 0(s2)
	la a0, l0_a
	li a1, 33
	la a2, spare + PAGE
	li a3, PTE_DATA
	call pte_at
	li s4, ASID_B                      # QEMU flushes on any fence:
	sfence.vma x0, s4                  # it re-walks, a real TLB would not
	.globl stale_other_ld
stale_other_ld:
	ld t3, 0(s2)

	# Checker: a remap not fenced at all (QEMU's own TLB is emptied by a
	# fence of ASID 2, so QEMU itself uses the new frame).
	li s2, 0x22000                     # page 34
	ld t3, 0(s2)
	la a0, l0_a
	li a1, 34
	la a2, spare + 2 * PAGE
	li a3, PTE_DATA
	call pte_at
	sfence.vma x0, s4
	.globl stale_none_sd
stale_none_sd:
	sd zero, 0(s2)

	# Strict: page 40 unmapped (fenced), mapped again, used unfenced.
	li s2, 0x28000                     # page 40, never touched before
	li s4, ASID_A
	la a0, l0_a
	li a1, 40
	li a2, 0
	li a3, 0
	call pte_at                        # an invalid PTE
	sfence.vma s2, s4
	la a0, l0_a
	li a1, 40
	la a2, frames_a + 40 * PAGE
	li a3, PTE_DATA
	call pte_at
	.globl strict_unfenced_ld
strict_unfenced_ld:
	ld t3, 0(s2)

	# Strict: page 41 the same, with sfence.vma va, ASID 1 after mapping.
	li s2, 0x29000
	la a0, l0_a
	li a1, 41
	li a2, 0
	li a3, 0
	call pte_at
	sfence.vma s2, s4
	la a0, l0_a
	li a1, 41
	la a2, frames_a + 41 * PAGE
	li a3, PTE_DATA
	call pte_at
	sfence.vma s2, s4
	ld t3, 0(s2)

	ecall

	.bss
	.balign PAGE
tables_start:
root_a:	.space PAGE
root_b:	.space PAGE
l1_a:	.space PAGE
l1_b:	.space PAGE
l0_a:	.space PAGE
l0_b:	.space PAGE
l1_ram:	.space PAGE
tables_end:
	.globl frames_a, frames_b, spare
frames_a: .space UPAGES * PAGE
frames_b: .space UPAGES * PAGE
spare:	.space 3 * PAGE
