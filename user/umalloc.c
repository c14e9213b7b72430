/*
 * malloc and free over sbrk.
 *
 * Every block, used or free, starts with a 16-byte header holding its
 * total size; payloads are 16-byte aligned. Free blocks are kept in a
 * list sorted by address so that free() can merge a block with the free
 * neighbours on either side. malloc() takes the first free block that is
 * large enough, splitting off the rest, and grows the heap with sbrk()
 * (at least HEAP_STEP bytes at a time) when none is.
 */
#include "kernel/types.h"
#include "user/user.h"

#define ALIGN 16
#define HEAP_STEP (64 * 1024)
#define MAX_REQUEST 0x40000000UL /* larger requests fail outright */

struct block {
	uint64 size;        /* bytes, header included; a multiple of ALIGN */
	struct block *next; /* next free block by address (free blocks only) */
};

#define HDR ((uint64)sizeof(struct block))
#define MIN_BLOCK (2 * HDR)

static struct block *free_list;

/* Put b back in the address-ordered free list, merging it with the
 * blocks just before and after it when they touch. */
static void
insert_free(struct block *b)
{
	struct block *prev = 0, *cur = free_list;

	while (cur != 0 && cur < b) {
		prev = cur;
		cur = cur->next;
	}
	b->next = cur;
	if (cur != 0 && (char *)b + b->size == (char *)cur) {
		b->size += cur->size;
		b->next = cur->next;
	}
	if (prev == 0) {
		free_list = b;
	} else if ((char *)prev + prev->size == (char *)b) {
		prev->size += b->size;
		prev->next = b->next;
	} else {
		prev->next = b;
	}
}

/* Add at least need bytes of fresh heap to the free list. 0, or -1 when
 * sbrk fails. */
static int
grow_heap(uint64 need)
{
	uint64 n = need < HEAP_STEP ? HEAP_STEP : need;
	uint64 start, skip;
	struct block *b;
	char *p;

	start = (uint64)sbrk(0);
	skip = (ALIGN - (start & (ALIGN - 1))) & (ALIGN - 1);
	p = sbrk(n + skip);
	if (p == (char *)-1)
		return -1;
	b = (struct block *)(p + skip);
	b->size = n;
	insert_free(b);
	return 0;
}

/* Take need bytes from the first free block that has them. The block's
 * payload, or 0 when none is large enough. */
static void *
take_first_fit(uint64 need)
{
	struct block **link = &free_list;
	struct block *b, *rest;

	for (b = free_list; b != 0; link = &b->next, b = b->next) {
		if (b->size < need)
			continue;
		if (b->size - need >= MIN_BLOCK) {
			rest = (struct block *)((char *)b + need);
			rest->size = b->size - need;
			rest->next = b->next;
			*link = rest;
			b->size = need;
		} else {
			*link = b->next;
		}
		b->next = 0;
		return (char *)b + HDR;
	}
	return 0;
}

/* n bytes of 16-byte aligned memory, or 0 when the heap cannot grow. */
void *
malloc(uint n)
{
	uint64 need;
	void *p;

	if (n > MAX_REQUEST)
		return 0;
	need = (n + HDR + ALIGN - 1) & ~(uint64)(ALIGN - 1);
	if (need < MIN_BLOCK)
		need = MIN_BLOCK;
	p = take_first_fit(need);
	if (p == 0) {
		if (grow_heap(need) < 0)
			return 0;
		p = take_first_fit(need);
	}
	return p;
}

/* Return memory from malloc to the heap; free(0) does nothing. */
void
free(void *p)
{
	if (p == 0)
		return;
	insert_free((struct block *)((char *)p - HDR));
}
