# perproc: a kernel page table per process (the kernel map plus the
# process's own kernel stack), loaded by the scheduler on every switch.
# copyin and copyinstr walk the user page table as in global.
KPT_SRCS := kernel/kpt/design_perproc.c kernel/kpt/common_private.c kernel/kpt/common_walkcopy.c
