#ifndef PTBENCH_ASPACE_H
#define PTBENCH_ASPACE_H

#include "config.h"
#include "kernel/types.h"

/*
 * Address spaces: what a satp write loads, which ASID tags it, and the
 * fences that changes to a live address space need. Every design loads
 * tables only through here, so the ASID axis (configs <design>-asid) is
 * one file, whatever the design.
 *
 * Without ASIDs (KPT_ASID 0, or a hart with no ASID bits, or the boot
 * argument asidbits=0) every satp write is followed by sfence.vma zero,
 * zero, as in xv6, and every table is ASID 0.
 *
 * With ASIDs, the allocator follows Linux's since 5.12: an aspace's id
 * is generation << 16 | asid. An id of an older generation than the
 * current one is stale: the aspace gets a fresh ASID when it is next
 * loaded. When the ASIDs of a generation run out, a new generation
 * begins (a rollover): its ASIDs are free again, and each hart empties
 * its TLB once before it loads any of them. ASID 0 is the global kernel
 * table's, always. The kernel's shared mappings are global (PTE_G), so
 * that they survive in the TLB across ASIDs. Since a freed ASID is not
 * handed out again before a rollover, nothing needs flushing when an
 * address space dies (exit, or exec's old table).
 *
 * Each hart has its own TLB. An aspace records the harts it was loaded
 * on under its current id; when its mappings change on one hart, that
 * hart fences the ASID at once and the others do before they next load
 * it (as Linux tracks an mm's CPUs).
 */

struct proc;

struct aspace {
	uint64 id;       /* generation << ASID_ID_SHIFT | asid; 0: none yet */
	uint64 ran_on;   /* harts that loaded it under id (bit per hart) */
	uint64 stale_on; /* harts that must fence its ASID before loading it */
};

/* Hart 0 once, after the kernel map is complete: find the ASID bits (and
 * apply the boot argument asidbits=N), and count the kernel map's
 * leaves. */
void aspace_boot(void);
/* Every hart: load the global kernel table (ASID 0). */
void aspace_hart_init(void);
/* satp value that loads pt as aspace as (0: the global kernel table),
 * with a valid ASID of the current generation; does this hart's pending
 * rollover flush and as's pending fence here. Interrupts off. */
uint64 aspace_satp(void *pt, struct aspace *as);
/* Load the global kernel table (ASID 0), without the ASID checks it
 * never needs. Interrupts off. */
void aspace_load_kernel(void);
/* Write satp value v (from aspace_satp, perhaps kept in a trap frame),
 * flushing when satp writes need it; counted. Interrupts off. */
void aspace_write(uint64 v);
extern int aspace_asid_bits; /* ASID bits in use; 0 without ASIDs */

/* Whether a satp write needs sfence.vma zero, zero after it (no ASIDs
 * in use): the trampoline asks this through the trap frame. */
static inline int
aspace_satp_flushes(void)
{
	return !KPT_ASID || aspace_asid_bits == 0;
}
/* p is about to run on this hart (the scheduler), or has a new user
 * table (exec). With ASIDs, validates its ASIDs here, once. Stores in
 * its trap frame the satp values that its traps then load as they are
 * for as long as it runs on this hart: trap entry and exit compute no
 * satp. Interrupts off. */
void aspace_proc_enter(struct proc *p);
/* The same without the fast path: exec, whose new user table's satp
 * value the trap frame does not hold yet. Interrupts off. */
void aspace_proc_reload(struct proc *p);
/* Leaves of live aspace as in pt for [va, va + npages pages) were
 * removed or changed: fence what a TLB may hold of them. */
void aspace_changed(void *pt, struct aspace *as, uint64 va, uint64 npages);
/* The same for a user table that sbrk shrank (a mutation build drops
 * this fence: tools/tlbsim's checker must catch it). */
void aspace_user_shrunk(void *pt, struct aspace *as, uint64 va, uint64 npages);
/* Harts that loaded as under its id (kept with ASIDs only:
 * aspace_satp_flushes() false). */
uint64 aspace_harts(struct aspace *as);
/* as's ASID into *asid: 1, or 0 when it has none (no ASIDs, never loaded). */
int aspace_asid(struct aspace *as, uint64 *asid);

/* This hart's fences, counted. tlb_fence_pages: [va, va + npages pages)
 * in ASID asid (use_asid) or in every address space, one fence per
 * page, batched with Svinval when the policy says so (shoot.h);
 * tlb_fence_asid: the whole ASID. */
void tlb_fence_pages(uint64 va, uint64 npages, int use_asid, uint64 asid);
void tlb_fence_asid(uint64 asid);

/* pt's table is new, or gone: as holds no ASID any more. */
void aspace_reset(struct aspace *as);

#endif
