#ifndef PTBENCH_TYPES_H
#define PTBENCH_TYPES_H

/* UL(x): an unsigned long constant in C, a plain number in assembly, so
 * headers with addresses can be shared with .S files. */
#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##UL

/* Fixed-width names used throughout the kernel and user space. */
typedef unsigned char uchar;
typedef unsigned short ushort;
typedef unsigned int uint;
typedef unsigned long uint64;
typedef unsigned int uint32;
typedef unsigned short uint16;
typedef unsigned char uint8;
typedef long int64;

/* A page table is a page of 512 PTEs. */
typedef uint64 pte_t;
typedef uint64 *pagetable_t;

#ifndef NULL
#define NULL ((void *)0)
#endif
#endif /* __ASSEMBLER__ */

#endif
