#ifndef TLBSIM_TLBSTRICT_H
#define TLBSIM_TLBSTRICT_H

/*
 * tlbstrict: the checker's strict mode for one hart, in plain C
 * (tlbsim.c drives it with strict=1; test_tlbmodel.c tests it).
 *
 * A core without Svvptc may cache a walk that found an invalid PTE
 * (privileged spec, "Supervisor Memory-Management Fence Instruction":
 * after an invalid PTE is made valid, the old, invalid one may still be
 * used until an sfence.vma, and the access faults). A kernel that does
 * not fence after mapping a page and does not treat the fault as
 * spurious needs Svvptc. The plugin never sees an access that faults,
 * nor the walks a core may make speculatively, so this model assumes
 * the worst the spec allows: while a hart runs a table under an ASID,
 * it may have walked any address of it, and kept every walk that found
 * an invalid PTE, per ASID, until a fence that covers it.
 *
 * Time is a clock the caller advances (shadow.now in tlbsim.c): once at
 * every satp write and every fence, on any hart. The shadow stamps each
 * PTE word with the clock when it last became valid (tlbwalk.h). An
 * access on this hart at va under (root R, ASID A) whose walk read a PTE
 * that became valid at time T is reported when
 *
 *   - this hart ran R under A at or before T (so it may have walked va
 *     while the PTE was still invalid) with no full fence, nor fence of
 *     ASID A, on this hart since it first did (or since the fence, if it
 *     was running R then); and
 *   - T is at or after the last fence on this hart that covers that PTE:
 *     a full fence or one of ASID A for any PTE; for the leaf also a
 *     fence by an address inside its page (any ASID, or A). An address
 *     fence orders only leaf PTEs (the spec), so a table PTE made valid
 *     needs a fence with rs1 = x0.
 *
 * Approximations. On the side of reporting: an address fence before T
 * is not asked whether the hart ran R between it and T; speculative
 * walks are assumed to reach every address. On the other side: a walk
 * kept under another root with the same ASID is not considered (a
 * kernel that gives one ASID to two tables without a fence is caught by
 * the non-strict rule where both map the address). Each (PTE, T) is
 * reported once per hart: a core that faulted on it would walk again.
 */

#include <stdbool.h>
#include <stdint.h>

#include "tlbmodel.h"

struct tlbstrict;

/* The PTEs one walk read, root's first, and when each became valid. */
struct tlbstrict_path {
	unsigned n;         /* PTEs read (1..3); the last is the leaf */
	unsigned leaf_size; /* enum tlb_pgsize of the leaf */
	uint64_t pte_pa[3];
	uint64_t valid_at[3]; /* clock when each last became valid; 0: never seen */
};

/* What a report says. */
struct tlbstrict_why {
	unsigned index; /* which PTE of the path (n - 1: the leaf) */
	uint64_t pte_pa;
	uint64_t valid_at;  /* when it became valid */
	uint64_t ran_since; /* when the hart started running the table, fences considered */
	uint64_t fenced_at; /* the last covering fence on this hart, 0 if none */
};

/* Counts since tlbstrict_new. */
struct tlbstrict_stats {
	uint64_t checked; /* accesses that needed more than the fast test */
	uint64_t found;
};

/* An empty model (the hart has run nothing); NULL out of memory. */
struct tlbstrict *tlbstrict_new(void);
void tlbstrict_free(struct tlbstrict *s);
/* The hart's satp now gives root and asid (translating: Sv39 on, not in
 * M-mode), at clock now. */
void tlbstrict_satp(struct tlbstrict *s, uint64_t root, uint32_t asid, bool translating,
                    uint64_t now);
/* sfence.vma of the given form on this hart at clock now. */
void tlbstrict_fence(struct tlbstrict *s, enum tlb_fence kind, uint64_t va, uint32_t asid,
                     uint64_t now);
/* An access at va through the valid walk p of the hart's current table.
 * Returns true (and fills *why) when some PTE of p became valid while the
 * hart could hold the walk that found it invalid (above). */
bool tlbstrict_access(struct tlbstrict *s, uint64_t va, const struct tlbstrict_path *p,
                      struct tlbstrict_why *why);
struct tlbstrict_stats tlbstrict_stats(const struct tlbstrict *s);
/* Whether a record was lost for want of memory (the check is then partial). */
bool tlbstrict_oom(const struct tlbstrict *s);

#endif
