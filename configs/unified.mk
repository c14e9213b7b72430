# unified: one page table per process holding both its user mappings
# and the kernel map (shared, without PTE_U), as Linux does; traps switch
# no table, the scheduler loads the process's table. copyin and
# copyinstr dereference user pointers with sstatus.SUM set for the copy.
DESIGN_DESC := one table per process holding user and kernel mappings; no satp switch on traps; copyin with SUM
DESIGN_KERNEL_TABLE := unified
DESIGN_COPYIN := sum
DESIGN_TRAP_SWITCH := no
DESIGN_USER_MIRROR := no
KPT_SRCS := kernel/kpt/design_unified.c kernel/kpt/common_slotstacks.c
