# perproc_copy: a kernel page table per process built as a private copy
# of the whole kernel map (every table page copied, as the 6.S081 lab's
# usual solution does), plus the process's own kernel stack; loaded by the
# scheduler like perproc's. copyin and copyinstr walk the user table.
DESIGN_DESC := a per-process private copy of the whole kernel map; copyin walks
DESIGN_KERNEL_TABLE := private-copy
DESIGN_COPYIN := walk
DESIGN_TRAP_SWITCH := yes
DESIGN_USER_MIRROR := no
KPT_SRCS := kernel/kpt/design_perproc_copy.c kernel/kpt/common_private.c kernel/kpt/common_walkcopy.c
