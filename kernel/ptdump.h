#ifndef PTBENCH_PTDUMP_H
#define PTBENCH_PTDUMP_H

/*
 * The ptdump system call (kernel/ptdump.c), shared with user space
 * (user/pgtbl.c): a page table's valid entries, copied out in the order a
 * depth-first walk meets them.
 *
 *   int ptdump(int which, uint64 start, struct ptdump_entry *buf, int n)
 *
 * which: PTDUMP_USER, the caller's user table, or PTDUMP_KERNEL, the table
 * the kernel runs on while it serves the caller (read from satp: the global
 * table, or the process's own kernel table). Entries are ordered by the key
 * va | depth (va is page aligned, depth 0..2); the call copies up to n
 * entries whose key is >= start and returns how many, 0 past the last one,
 * or -1 for a bad buffer or which: the whole buffer of n entries must be
 * the caller's and writable, else no byte of it is written. To read a
 * whole table, call again with start = the last entry's key + 1.
 *
 * An entry is a leaf when its PTE has any of R, W, X: at depth 0 it maps
 * 1 GiB, at depth 1 2 MiB (a megapage), at depth 2 4 KiB.
 */

#include "kernel/types.h"

#define PTDUMP_USER 0
#define PTDUMP_KERNEL 1

struct ptdump_entry {
	uint64 va;    /* first virtual address the entry covers */
	uint64 pte;   /* the entry as the hardware reads it */
	uint64 table; /* physical address of the table page holding it */
	int depth;    /* 0 in the root, 1, 2 in a last-level table */
	int index;    /* its slot in that table, 0..511 */
};

#endif
