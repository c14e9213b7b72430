#ifndef TLBSIM_TLBMODEL_H
#define TLBSIM_TLBMODEL_H

/*
 * tlbmodel: a TLB model in plain C, with no QEMU dependency (tlbsim.c
 * drives it from a QEMU plugin; test_tlbmodel.c from synthetic streams).
 *
 * A struct tlb is one set-associative TLB keyed by virtual page number,
 * least-recently-used replacement within a set. A struct tlb_hier is the
 * arrangement of one hart: separate L1 TLBs for fetches and data, and
 * optionally a shared L2 TLB behind them:
 *
 *   fetch --> L1 I-TLB --miss--+
 *                              +--> L2 TLB (if any) --miss--> page walk
 *   data  --> L1 D-TLB --miss--+
 *
 * An L1 miss that hits the L2 refills the L1 from it; a miss in both
 * walks the page table (modelled as a fixed cost) and fills both. The L2
 * is not kept inclusive: evicting from it leaves the L1 alone.
 * Nothing here is thread-safe: each hart owns its own struct tlb_hier.
 */

#include <stdbool.h>
#include <stdint.h>

/* Largest TLB accepted, in entries: keeps typos from eating memory. */
#define TLB_MAX_ENTRIES (1u << 20)

struct tlb;

/* Counts since tlb_new. */
struct tlb_stats {
	uint64_t accesses; /* lookups, hit or miss */
	uint64_t misses;
	uint64_t flushes;
};

/* A new empty TLB of entries entries, ways ways per set (0 = fully
 * associative). Returns NULL if ways does not divide entries, entries is
 * 0 or above TLB_MAX_ENTRIES, or memory runs out. */
struct tlb *tlb_new(unsigned entries, unsigned ways);
void tlb_free(struct tlb *t);
unsigned tlb_entries(const struct tlb *t);
unsigned tlb_ways(const struct tlb *t);

/* Whether page is present. A hit makes it its set's most recently used
 * entry; a miss changes nothing but the statistics. */
bool tlb_lookup(struct tlb *t, uint64_t page);
/* Put page (known absent) into its set, in a free way or over the least
 * recently used one; it becomes the most recently used. */
void tlb_insert(struct tlb *t, uint64_t page);
/* tlb_lookup, then tlb_insert on a miss. Returns whether it hit. */
bool tlb_access(struct tlb *t, uint64_t page);
/* Empty the TLB. */
void tlb_flush(struct tlb *t);
struct tlb_stats tlb_stats(const struct tlb *t);

/* The shape of one hart's TLBs and the costs used for estimated cycles. */
struct tlb_config {
	const char *preset;   /* name it started from, for the record */
	unsigned itlb, iways; /* L1 fetch TLB: entries, ways (0 = full) */
	unsigned dtlb, dways; /* L1 data TLB */
	unsigned l2, l2ways;  /* shared L2: entries (0 = none), ways */
	unsigned walk;        /* cycles of a miss that walks the table */
	unsigned l2hit;       /* cycles of an L1 miss that hits the L2 */
};

/* Default costs, in cycles. */
#define TLB_WALK_DEFAULT 20
#define TLB_L2HIT_DEFAULT 4

/* Fill *c from the preset called name (u54, rocket, c906), default costs
 * included. Returns 0, or -1 for an unknown name (*c untouched). */
int tlb_config_preset(struct tlb_config *c, const char *name);
/* Names of the presets, comma-separated, for messages. */
const char *tlb_preset_names(void);
/* NULL if *c can be built, else a message saying what is wrong. */
const char *tlb_config_check(const struct tlb_config *c);
/* Ways actually used for a level given as (entries, ways): 0 means fully
 * associative, that is, entries ways. */
unsigned tlb_config_ways(unsigned entries, unsigned ways);
/* Estimated cycles: insns + l2_hits x l2hit + walks x walk, where walks
 * are the L1 misses that did not hit an L2. */
uint64_t tlb_est_cycles(const struct tlb_config *c, uint64_t insns, uint64_t l1_misses,
                        uint64_t l2_hits);

enum tlb_side { TLB_FETCH = 0, TLB_DATA = 1 };
enum tlb_outcome { TLB_L1_HIT, TLB_L2_HIT, TLB_WALK };

struct tlb_hier {
	struct tlb *l1[2]; /* indexed by enum tlb_side */
	struct tlb *l2;    /* NULL when the configuration has none */
};

/* Build h as c describes. Returns 0, or -1 (c invalid or out of memory;
 * h then holds nothing to free). */
int tlb_hier_init(struct tlb_hier *h, const struct tlb_config *c);
void tlb_hier_destroy(struct tlb_hier *h);
/* Translate page for a fetch or a data access; says where it was found. */
enum tlb_outcome tlb_hier_access(struct tlb_hier *h, enum tlb_side side, uint64_t page);
/* Empty every level (what sfence.vma asks of the hart). */
void tlb_hier_flush(struct tlb_hier *h);

#endif
