# global: one kernel page table shared by every process; copyin and
# copyinstr walk the user page table in software.
KPT_SRCS := kernel/kpt/design_global.c kernel/kpt/common_walkcopy.c
