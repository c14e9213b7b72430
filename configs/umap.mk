# umap: per-process kernel tables as in perproc that also mirror the user
# mappings (without PTE_U), so copyin and copyinstr dereference user
# pointers directly.
KPT_SRCS := kernel/kpt/design_umap.c kernel/kpt/common_private.c
