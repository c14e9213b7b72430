# umap: per-process kernel tables as in perproc that also mirror the user
# mappings (without PTE_U), so copyin and copyinstr dereference user
# pointers directly.
KPT_SRCS := kernel/kpt_umap.c kernel/kpt_private.c
