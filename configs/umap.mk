# umap: per-process kernel tables as in perproc that also mirror the user
# mappings (without PTE_U), so copyin and copyinstr dereference user
# pointers directly.
DESIGN_DESC := per-process kernel tables mirroring the user mappings; copyin dereferences directly
DESIGN_KERNEL_TABLE := private-root
DESIGN_COPYIN := direct
DESIGN_TRAP_SWITCH := yes
DESIGN_USER_MIRROR := yes
KPT_SRCS := kernel/kpt/design_umap.c kernel/kpt/common_private.c
