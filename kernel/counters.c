/* Kernel event counters for the kstats system call. */
#include "kernel/counters.h"
#include "kernel/kalloc.h"
#include "kernel/proc.h"

struct kstats kcounters;

void
counters_snapshot(struct kstats *out)
{
	/* Word by word with atomic loads: each field is exact, the set is a
	 * snapshot only when no other hart is busy (as in benchmarks). */
	unsigned long *src = (unsigned long *)&kcounters;
	unsigned long *dst = (unsigned long *)out;
	for (uint64 i = 0; i < sizeof(*out) / sizeof(unsigned long); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
	/* sfence.vma is counted once, by its form */
	out->sfences = out->sfence_all + out->sfence_addr + out->sfence_asid + out->sfence_addr_asid;
	out->free_pages = kalloc_free_pages();
	out->nproc = proc_count();
}
