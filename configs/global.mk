# global: one kernel page table shared by every process; copyin and
# copyinstr walk the user page table in software.
#
# Every design declares its traits here, once (docs/designs.md, "Adding a
# design"); the kernel reports them through design(), the results record
# them, and tests and the report read them from there.
DESIGN_DESC := one kernel page table shared by every process; copyin walks the user table
DESIGN_KERNEL_TABLE := shared
DESIGN_COPYIN := walk
DESIGN_TRAP_SWITCH := yes
DESIGN_USER_MIRROR := no
KPT_SRCS := kernel/kpt/design_global.c kernel/kpt/common_slotstacks.c kernel/kpt/common_walkcopy.c
