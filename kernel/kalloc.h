#ifndef PTBENCH_KALLOC_H
#define PTBENCH_KALLOC_H

#include "types.h"

/* Physical page allocator over [end of kernel, PHYSTOP). */
void kalloc_init(void);
/* One 4 KiB page, contents undefined, or 0 when memory is exhausted. */
void *kalloc(void);
/* As kalloc, zero-filled. */
void *kzalloc(void);
void kfree(void *pa);
/* Pages on the free list now. */
uint64 kalloc_free_pages(void);

#endif
