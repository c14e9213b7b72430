#ifndef TLBSIM_TLBCHECK_H
#define TLBSIM_TLBCHECK_H

/*
 * tlbcheck: the stale-translation checker's model of one hart, in plain C
 * (tlbsim.c drives it; test_tlbmodel.c tests it).
 *
 * It is the largest TLB the privileged spec allows: every translation the
 * hart has used stays cached, per ASID (or global), at the size of its
 * leaf, until an sfence.vma that covers it drops it. No capacity, no
 * replacement, and satp writes drop nothing: so a hit here is a hit that
 * some real TLB could serve, and a correct kernel must never get a stale
 * one. The caller passes, with each access, what a walk of the hart's
 * current table gives now (tlbsim.c walks it itself: tlbwalk.h), as a
 * frame key: the page's physical base with the leaf's permission bits in
 * its low bits. A translation is found stale on a hit when
 *
 *   - the key differs from the one cached at fill (the page moved, or
 *     its permissions changed), or the table now has no translation for
 *     it (TLBCHECK_UNMAPPED), and no fence covering the entry ran on this
 *     hart since; or
 *   - it is marked (tlbcheck_mark: a caller that knows of a change).
 *
 * A stale hit is reported once: the entry then takes the current frame
 * and loses its mark, as if refilled.
 */

#include <stdbool.h>
#include <stdint.h>

#include "tlbmodel.h"

/* A frame not known. */
#define TLBCHECK_NO_FRAME UINT64_MAX
/* The current table maps nothing there. */
#define TLBCHECK_UNMAPPED (UINT64_MAX - 1)
/* ASIDs are 16 bits at most (Sv39 satp.ASID). */
#define TLBCHECK_ASID_LIMIT (1u << 16)

struct tlbcheck;

enum tlbcheck_verdict {
	TLBCHECK_FILL,         /* not cached: now it is */
	TLBCHECK_HIT,          /* cached and current */
	TLBCHECK_STALE_MARKED, /* cached, and the kernel changed the leaf since */
	TLBCHECK_STALE_FRAME,  /* cached with another frame key than the table's now */
	TLBCHECK_STALE_GONE,   /* cached, and the table now maps nothing there */
};

/* What a stale hit found. */
struct tlbcheck_stale {
	uint64_t cached_frame; /* physical base of the page at fill (or NO_FRAME) */
	uint64_t mark_pc;      /* pc of the announcement that marked it */
	uint32_t entry_asid;   /* ASID of the entry that hit */
	bool entry_global;
};

/* Counts since tlbcheck_new. */
struct tlbcheck_stats {
	uint64_t lookups, fills, stale, marked, dropped, live;
};

/* An empty model; NULL when memory runs out. */
struct tlbcheck *tlbcheck_new(void);
void tlbcheck_free(struct tlbcheck *c);

/* An access translated by x; frame is the physical base of its page
 * (physical address minus the offset within the page at x->size), or
 * TLBCHECK_NO_FRAME. Fills on a miss. On a stale verdict *why (if not
 * NULL) says what was cached. Out of memory, a miss returns
 * TLBCHECK_FILL without filling (tlbcheck_oom says so). */
enum tlbcheck_verdict tlbcheck_access(struct tlbcheck *c, const struct tlb_xlate *x, uint64_t frame,
                                      struct tlbcheck_stale *why);
/* sfence.vma of the given form on this hart (asid below the limit). */
void tlbcheck_fence(struct tlbcheck *c, enum tlb_fence kind, uint64_t va, uint32_t asid);
/* The kernel changed the leaf of va in address space asid (pc: where it
 * said so): mark every live entry that would serve (va, asid). Returns
 * how many it marked. */
unsigned tlbcheck_mark(struct tlbcheck *c, uint64_t va, uint32_t asid, uint64_t pc);
struct tlbcheck_stats tlbcheck_stats(const struct tlbcheck *c);
/* Whether a fill was lost for want of memory (the check is then partial). */
bool tlbcheck_oom(const struct tlbcheck *c);

#endif
