#ifndef PTBENCH_KSTATS_H
#define PTBENCH_KSTATS_H

/*
 * Kernel counters returned by the kstats system call.
 * Shared with user space: fields are only ever appended, never reordered.
 * The first block counts events since boot; the last block is the state
 * at the moment of the call.
 */
struct kstats {
	unsigned long syscalls;        /* system calls dispatched */
	unsigned long copyin_calls;    /* copyin() calls */
	unsigned long copyin_bytes;    /* bytes asked of copyin() */
	unsigned long copyinstr_calls; /* copyinstr() calls */
	unsigned long copyinstr_bytes; /* bytes copied by copyinstr(), NUL included */
	unsigned long copyout_calls;   /* copyout() calls */
	unsigned long copyout_bytes;   /* bytes asked of copyout() */
	unsigned long walk_steps;      /* page-table levels visited by the copy routines */
	unsigned long satp_writes;     /* csrw satp, trampoline included */
	unsigned long sfences;         /* sfence.vma executed, trampoline included: the
	                                  sum of the four forms below */
	unsigned long ctx_switches;    /* scheduler switches into a process */
	unsigned long idle_entries;    /* times a hart waited for an interrupt */
	unsigned long interrupts;      /* device and timer interrupts taken */
	/* state now */
	unsigned long ptpages_user;   /* page-table pages of user tables */
	unsigned long ptpages_kproc;  /* page-table pages of per-process kernel tables */
	unsigned long ptpages_kernel; /* page-table pages of the global kernel table */
	unsigned long free_pages;     /* pages on the allocator's free list */
	unsigned long nproc;          /* process slots in use */
	/* events, appended later (the sfence.vma forms sum to sfences) */
	unsigned long kpt_ptes;         /* PTEs written into per-process kernel tables */
	unsigned long sfence_all;       /* sfence.vma zero, zero: everything */
	unsigned long sfence_addr;      /* sfence.vma va, zero: one address, every ASID */
	unsigned long sfence_asid;      /* sfence.vma zero, asid: one ASID's non-global entries */
	unsigned long sfence_addr_asid; /* sfence.vma va, asid: one address in one ASID */
	unsigned long asid_rollovers;   /* ASID generations begun after the first */
	/* state now, appended later */
	unsigned long kmap_leaves_4k; /* 4 KiB leaves of the shared kernel map */
	unsigned long kmap_leaves_2m; /* 2 MiB leaves of the shared kernel map */
	unsigned long asid_bits;      /* ASID bits in use (0: no ASIDs) */
	/* events, appended later: shootdowns (kernel/ipi.h) */
	unsigned long ipis_sent;       /* supervisor IPIs sent */
	unsigned long ipis_received;   /* supervisor IPIs taken */
	unsigned long remote_fences;   /* fences made on request of another hart */
	unsigned long shootdowns;      /* shootdowns begun (one or more target harts) */
	unsigned long shootdown_pages; /* pages of the changes those shootdowns fenced */
	/* events, appended later: shootdown policies (kernel/shoot.h) */
	unsigned long remote_fence_pages; /* pages fenced page by page on another hart's request */
	unsigned long remote_fence_asids; /* whole-ASID fences on another hart's request */
	unsigned long remote_fence_alls;  /* whole-TLB fences on another hart's request */
	unsigned long sinvals;            /* sinval.vma executed (Svinval; not in sfences) */
	unsigned long inval_fences;       /* sfence.w.inval and sfence.inval.ir executed */
	unsigned long ipi_ecalls;         /* calls to M-mode to deliver IPIs (ipi=mmode) */
	unsigned long shoot_wait;         /* instret ticks initiators spent waiting for
	                                     acknowledgements (under -icount: virtual time) */
	unsigned long wake_ipis;          /* IPIs of wakeups to an idle hart (in ipis_sent) */
};

#endif
