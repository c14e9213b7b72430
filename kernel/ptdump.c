/*
 * ptdump: a page table's valid entries copied out to user space, for
 * pgtbl (ptdump.h has the call's contract). A read-only walk: it changes
 * no table and takes no lock (a process's user table changes only under
 * the process itself; the kernel tables it reads are not freed while the
 * process runs on them).
 */
#include "kernel/ptdump.h"
#include "kernel/kpt/kpt.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"
#include "kernel/sysarg.h"
#include "kernel/vm.h"

#define PTDUMP_CHUNK 16            /* entries gathered per copyout */
#define SATP_PPN_MASK ((1UL << 44) - 1)
#define SV39_LEVELS 3
#define SV39_VA_SIGN (1UL << 38)   /* bit 38 is copied into bits 39..63 */
#define SV39_VA_HIGH (~((1UL << 39) - 1))
#define PTE_IS_LEAF(pte) (((pte) & (PTE_R | PTE_W | PTE_X)) != 0)

struct dump {
	struct proc *p;
	uint64 start; /* first key wanted */
	uint64 dst;   /* user buffer */
	int max;      /* entries wanted */
	int done;     /* entries copied out */
	int nbuf;
	int err;
	struct ptdump_entry buf[PTDUMP_CHUNK];
};

/* Copy the gathered entries out; sets d->err on a bad buffer. */
static void
dump_flush(struct dump *d)
{
	uint64 bytes = d->nbuf * sizeof(struct ptdump_entry);
	uint64 at = d->dst + (d->done - d->nbuf) * sizeof(struct ptdump_entry);
	if (d->nbuf > 0 && copyout(d->p->vm->pagetable, at, d->buf, bytes) < 0)
		d->err = 1;
	d->nbuf = 0;
}

/* Bytes one entry covers at depth (1 GiB, 2 MiB, 4 KiB). */
static uint64
span(int depth)
{
	return 1UL << (PGSHIFT + 9 * (SV39_LEVELS - 1 - depth));
}

static void
dump_add(struct dump *d, uint64 va, pte_t pte, pagetable_t pt, int depth, int i)
{
	d->buf[d->nbuf++] = (struct ptdump_entry){va, pte, (uint64)pt, depth, i};
	d->done++;
	if (d->nbuf == PTDUMP_CHUNK || d->done == d->max)
		dump_flush(d);
}

/* Walk pt (at depth, covering from base) in order, adding the entries
 * whose key is >= d->start until d->max are added. */
static void
dump_table(struct dump *d, pagetable_t pt, int depth, uint64 base)
{
	for (int i = 0; i < 512 && d->done < d->max && !d->err; i++) {
		pte_t pte = pt[i];
		uint64 va = base + i * span(depth);
		if (depth == 0 && (va & SV39_VA_SIGN))
			va |= SV39_VA_HIGH;
		if (!(pte & PTE_V) || ((va + span(depth) - PGSIZE) | (SV39_LEVELS - 1)) < d->start)
			continue; /* invalid, or every key inside is before start */
		if ((va | depth) >= d->start)
			dump_add(d, va, pte, pt, depth, i);
		if (!PTE_IS_LEAF(pte) && depth < SV39_LEVELS - 1)
			dump_table(d, (pagetable_t)PTE2PA(pte), depth + 1, va);
	}
}

static uint64
read_satp(void)
{
	uint64 x;
	asm volatile("csrr %0, satp" : "=r"(x));
	return x;
}

/* ptdump(which, start, buf, n): see ptdump.h. */
uint64
sys_ptdump(void)
{
	struct dump d = {.p = myproc(), .start = argaddr(1), .dst = argaddr(2), .max = argint(3)};
	int which = argint(0);
	pagetable_t pt;

	if (which == PTDUMP_USER)
		pt = d.p->vm->pagetable;
	else if (which == PTDUMP_KERNEL)
		pt = (pagetable_t)((read_satp() & SATP_PPN_MASK) << PGSHIFT);
	else
		return -1;
	/* The entries go out in chunks: check the whole buffer first, so that
	 * a refused call has written no byte (vm.h: copyout_check). */
	uint64 bytes = (uint64)d.max * sizeof(struct ptdump_entry);
	if (d.max < 0 || !proc_range_ok(d.p, d.dst, bytes) ||
	    !copyout_check(d.p->vm->pagetable, d.dst, bytes))
		return -1;
	dump_table(&d, pt, 0, 0);
	dump_flush(&d);
	return d.err ? -1 : d.done;
}
