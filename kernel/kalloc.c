/* Physical page allocator: a locked free list of 4 KiB pages. */
#include "kernel/kalloc.h"
#include "kernel/counters.h"
#include "kernel/klib.h"
#include "kernel/memlayout.h"
#include "kernel/printf.h"
#include "kernel/spinlock.h"

extern char end[]; /* first byte after the kernel image (kernel.ld) */

struct free_page {
	struct free_page *next;
};

static struct {
	struct spinlock lock;
	struct free_page *head;
	uint64 nfree;
} pages;

/* Hand every page from the end of the kernel image to PHYSTOP to the
 * free list. Call once, after bootargs_init() has read the device tree. */
void
kalloc_init(void)
{
	spin_init(&pages.lock, "kalloc");
	for (uint64 pa = PGROUNDUP((uint64)end); pa + PGSIZE <= PHYSTOP; pa += PGSIZE)
		kfree((void *)pa);
}

void
kfree(void *pa)
{
	uint64 a = (uint64)pa;
	if ((a & (PGSIZE - 1)) || a < (uint64)end || a >= PHYSTOP)
		panic("kfree: bad page %p", a);
	struct free_page *fp = pa;
	acquire(&pages.lock);
	fp->next = pages.head;
	pages.head = fp;
	pages.nfree++;
	release(&pages.lock);
}

void *
kalloc(void)
{
	acquire(&pages.lock);
	struct free_page *fp = pages.head;
	if (fp) {
		pages.head = fp->next;
		pages.nfree--;
	}
	release(&pages.lock);
	return fp;
}

void *
kzalloc(void)
{
	void *pa = kalloc();
	if (pa)
		memset(pa, 0, PGSIZE);
	return pa;
}

uint64
kalloc_free_pages(void)
{
	return pages.nfree;
}
