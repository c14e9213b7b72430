# perproc: a kernel page table per process (a private root sharing the
# global table's subtrees, plus the process's own kernel stack), loaded
# by the scheduler on every switch. copyin and copyinstr walk the user
# page table as in global.
DESIGN_DESC := a kernel page table per process sharing the global subtrees; copyin walks
DESIGN_KERNEL_TABLE := private-root
DESIGN_COPYIN := walk
DESIGN_TRAP_SWITCH := yes
DESIGN_USER_MIRROR := no
KPT_SRCS := kernel/kpt/design_perproc.c kernel/kpt/common_private.c kernel/kpt/common_walkcopy.c
