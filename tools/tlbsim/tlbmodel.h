#ifndef TLBSIM_TLBMODEL_H
#define TLBSIM_TLBMODEL_H

/*
 * tlbmodel: a TLB model in plain C, with no QEMU dependency (tlbsim.c
 * drives it from a QEMU plugin; test_tlbmodel.c from synthetic streams).
 *
 * A struct tlb is one set-associative array of translations. Each entry
 * is tagged with the page size of the leaf that maps it (4 KiB, 2 MiB or
 * 1 GiB: one entry covers its whole page), an ASID and a global bit; an
 * array may be sectored (one tag for a group of consecutive pages, each
 * with its own valid bit, as Rocket's L1 TLBs are). A struct tlb_unit is
 * one level of a core: a main array and, if the core keeps superpages
 * apart, a superpage array. A struct tlb_hier is one hart: L1 units for
 * fetches and data and, optionally, a shared L2 unit behind them:
 *
 *   fetch --> L1 I unit --miss--+
 *                               +--> L2 unit (if any) --miss--> page walk
 *   data  --> L1 D unit --miss--+
 *
 * An L1 miss that hits the L2 refills the L1 from it; a miss in both
 * walks the page table and fills both, the L2 only if it holds
 * translations of that page size. The L2 is not kept inclusive. A walk
 * may find the non-leaf PTEs it reads in a PTE cache (struct tlb_ptc, as
 * Rocket's page-table walker has): tagged by the PTE's physical address,
 * fully associative, LRU, emptied by every sfence.vma without an address
 * operand (rocket-chip PTW.scala) and by the flushes a kernel relying on
 * missing ASIDs would issue (tlb_hier_satp).
 *
 * ASIDs: a hit needs the entry's ASID to be the access's, or the entry to
 * be global; an array without ASID tags (a C906 micro-TLB) matches any
 * ASID and relies on being emptied at every satp write. On a core without
 * ASID bits (tlb_config.asid_bits == 0) fences ignore ASIDs (it cannot
 * tell address spaces apart), and a kernel that uses ASIDs is priced as
 * it would run there: every satp write empties the whole core.
 *
 * sfence.vma acts as the privileged spec says, by its operands:
 *   rs1 = x0, rs2 = x0   every entry
 *   rs1 = x0, rs2 = A    the non-global entries of ASID A
 *   rs1 = va, rs2 = x0   every entry whose page contains va, global included
 *   rs1 = va, rs2 = A    the non-global entries of ASID A whose page
 *                        contains va
 * Svinval's sinval.vma invalidates what an sfence.vma of the same operands
 * does (privileged spec, "Svinval"): callers fence for it alike.
 * Nothing here is thread-safe: each hart owns its own struct tlb_hier.
 */

#include <stdbool.h>
#include <stdint.h>

/* Largest array accepted, in translations: keeps typos from eating memory. */
#define TLB_MAX_ENTRIES (1u << 20)
/* Most pages one sectored entry may hold. */
#define TLB_MAX_SECTORS 8u

/* Sizes of Sv39 leaves; the shift of each is 12 + 9 x size. */
enum tlb_pgsize { TLB_4K = 0, TLB_2M = 1, TLB_1G = 2, TLB_NSIZES = 3 };
#define TLB_SIZE_BIT(s) (1u << (s))
#define TLB_ALL_SIZES 7u
#define TLB_SUPERPAGES (TLB_SIZE_BIT(TLB_2M) | TLB_SIZE_BIT(TLB_1G))

static inline unsigned
tlb_page_shift(unsigned size)
{
	return 12 + 9 * size;
}

/* One translation: what an access looks up and, on a miss, fills. */
struct tlb_xlate {
	uint64_t va;   /* virtual address (only its page matters) */
	uint32_t asid; /* address space the hart is in */
	uint8_t size;  /* enum tlb_pgsize of the leaf that maps va */
	bool global;   /* that leaf is global (PTE_G) */
};

/* The four operand forms of sfence.vma (privileged ISA, "SFENCE.VMA"). */
enum tlb_fence { TLB_FENCE_ALL, TLB_FENCE_ADDR, TLB_FENCE_ASID, TLB_FENCE_ADDR_ASID };

enum tlb_repl { TLB_LRU, TLB_FIFO };

/* The shape of one array. */
struct tlb_shape {
	unsigned entries; /* translations (pages) it holds, all sectors counted */
	unsigned ways;    /* translations per set; 0 = fully associative */
	unsigned sectors; /* consecutive pages per tag, a power of 2 (1 = none) */
	unsigned sizes;   /* page sizes it holds: TLB_SIZE_BIT()s */
	enum tlb_repl repl;
	bool asid_tags; /* entries carry an ASID (else hits ignore it) */
	/* FIFO only: a refill goes to the way the set's FIFO order names even
	 * when a fence emptied another (the C906 jTLB's per-set FIFO bit);
	 * otherwise an emptied way is filled first. */
	bool fifo_keeps_order;
};

struct tlb;

/* Counts since tlb_new. */
struct tlb_stats {
	uint64_t accesses; /* lookups, hit or miss */
	uint64_t misses;
	uint64_t flushes; /* times emptied whole */
	uint64_t dropped; /* translations dropped by partial fences */
};

/* NULL if *s can be built, else a message saying what is wrong. */
const char *tlb_shape_check(const struct tlb_shape *s);
/* A new empty array shaped *s; NULL if *s is invalid or memory runs out. */
struct tlb *tlb_new(const struct tlb_shape *s);
void tlb_free(struct tlb *t);
const struct tlb_shape *tlb_shape(const struct tlb *t);
/* Whether the array holds translations of page size size. */
bool tlb_holds(const struct tlb *t, unsigned size);

/* Whether a valid entry translates x. A hit makes it its set's most
 * recently used entry (LRU arrays); a miss changes nothing but counts. */
bool tlb_lookup(struct tlb *t, const struct tlb_xlate *x);
/* Put x (known absent) in: into its sector of a matching tag if there is
 * one, else over a free way or the set's replacement victim. */
void tlb_insert(struct tlb *t, const struct tlb_xlate *x);
/* tlb_lookup, then tlb_insert on a miss. Returns whether it hit. */
bool tlb_access(struct tlb *t, const struct tlb_xlate *x);
/* Empty the array. */
void tlb_flush(struct tlb *t);
/* sfence.vma of the given form; any_asid makes the ASID operand match
 * every entry, global ones included for an address fence (a core without
 * ASIDs cannot tell them apart). */
void tlb_fence(struct tlb *t, enum tlb_fence kind, uint64_t va, uint32_t asid, bool any_asid);
struct tlb_stats tlb_stats(const struct tlb *t);

/* One level of a core. */
struct tlb_unit_config {
	struct tlb_shape main;  /* entries 0: no such level (the L2 only) */
	struct tlb_shape super; /* entries 0: superpages, if held, go to main */
	bool satp_flush;        /* emptied by every satp write */
	bool asid_fence_flush;  /* emptied whole by sfence.vma x0, asid (C906 uTLBs) */
};

#define TLB_NFENCE 4 /* forms of enum tlb_fence */

/* The shape of one hart's TLBs and the costs used for estimated cycles.
 * Costs are cycles on top of the one instruction the count of executed
 * instructions already charges for a fence or a satp write. */
struct tlb_config {
	const char *preset;           /* name it started from, for the record */
	const char *source;           /* what the preset follows, one line */
	unsigned asid_bits;           /* 0: no ASIDs (satp writes empty it all) */
	struct tlb_unit_config l1[2]; /* indexed by enum tlb_side */
	struct tlb_unit_config l2;
	unsigned ptc;               /* PTE-cache entries; 0: none */
	unsigned walk;              /* cycles per PTE a walk reads past the PTE cache */
	unsigned ptc_hit;           /* cycles per PTE a walk finds in the PTE cache */
	unsigned l2hit;             /* cycles of an L1 miss that hits the L2 */
	unsigned fence[TLB_NFENCE]; /* cycles per sfence.vma, by enum tlb_fence */
	unsigned satp;              /* cycles per satp write */
	unsigned sinval;            /* cycles per sinval.vma (Svinval), any form */
	unsigned inval_fence;       /* cycles per sfence.w.inval or sfence.inval.ir */
};

/* Default costs, in cycles (assumptions: README.md, "Costs"). */
#define TLB_WALK_DEFAULT 7
#define TLB_L2HIT_DEFAULT 4
#define TLB_FENCE_DEFAULT 50
#define TLB_SATP_DEFAULT 50
/* Svinval: a sinval.vma invalidates without ordering; the ordering is
 * paid at sfence.w.inval and sfence.inval.ir, each charged as a plain
 * fence is (assumptions: no core publishes these). */
#define TLB_SINVAL_DEFAULT 10
#define TLB_INVAL_FENCE_DEFAULT TLB_FENCE_DEFAULT
/* Largest PTE cache accepted. */
#define TLB_MAX_PTC 64u
/* ASID width given to a core that has none when asids=1 asks for them. */
#define TLB_ASID_BITS_DEFAULT 16

/* Fill *c from the preset called name, default costs included. Returns
 * 0, or -1 for an unknown name (*c untouched). */
int tlb_config_preset(struct tlb_config *c, const char *name);
/* Names of the presets, comma-separated, for messages. */
const char *tlb_preset_names(void);
/* NULL if *c can be built, else a message saying what is wrong. */
const char *tlb_config_check(const struct tlb_config *c);
/* Give a core without ASIDs TLB_ASID_BITS_DEFAULT of them, every entry
 * tagged (on; a core that has some keeps its own), or take them away
 * (off: the core is then priced as tlb_hier_satp says). */
void tlb_config_set_asids(struct tlb_config *c, bool on);
/* Ways actually used for (entries, ways): 0 means entries. */
unsigned tlb_config_ways(unsigned entries, unsigned ways);
/* What a stretch of execution did, for its estimated cycles. */
struct tlb_work {
	uint64_t insns;             /* instructions executed */
	uint64_t l2_hits;           /* L1 misses that hit the L2 */
	uint64_t pte_reads;         /* PTEs read by walks, PTE-cache hits included */
	uint64_t ptc_hits;          /* of those, found in the PTE cache */
	uint64_t fence[TLB_NFENCE]; /* sfence.vma executed, by enum tlb_fence */
	uint64_t satp_writes;
	uint64_t sinvals;      /* sinval.vma executed, any form */
	uint64_t inval_fences; /* sfence.w.inval and sfence.inval.ir executed */
};

/* Estimated cycles: insns + l2_hits x l2hit + (pte_reads - ptc_hits) x
 * walk + ptc_hits x ptc_hit + the fences, satp writes, sinvals and
 * inval fences at their costs. */
uint64_t tlb_est_cycles(const struct tlb_config *c, const struct tlb_work *w);

enum tlb_side { TLB_FETCH = 0, TLB_DATA = 1 };
enum tlb_outcome { TLB_L1_HIT, TLB_L2_HIT, TLB_WALK };

struct tlb_unit {
	struct tlb *main;  /* NULL: no such level */
	struct tlb *super; /* NULL: superpages share main */
	bool satp_flush;
	bool asid_fence_flush;
};

/* A PTE cache: physical addresses of non-leaf PTEs, fully associative,
 * LRU. */
struct tlb_ptc {
	unsigned n;                  /* entries; 0: no PTE cache */
	uint64_t tag[TLB_MAX_PTC];   /* PTE address; 0: empty */
	uint64_t stamp[TLB_MAX_PTC]; /* last use, for LRU */
	uint64_t clock;
};

struct tlb_hier {
	struct tlb_unit l1[2]; /* indexed by enum tlb_side */
	struct tlb_unit l2;    /* l2.main NULL when the core has none */
	struct tlb_ptc ptc;
	bool asids; /* the core has ASIDs */
};

/* Build h as c describes. Returns 0, or -1 (c invalid or out of memory;
 * h then holds nothing to free). */
int tlb_hier_init(struct tlb_hier *h, const struct tlb_config *c);
void tlb_hier_destroy(struct tlb_hier *h);
/* Translate x for a fetch or a data access; says where it was found. */
enum tlb_outcome tlb_hier_access(struct tlb_hier *h, enum tlb_side side, const struct tlb_xlate *x);
/* Empty every level. */
void tlb_hier_flush(struct tlb_hier *h);
/* A satp write: empties the levels the core empties (satp_flush). If
 * asid_kernel, the kernel relies on ASIDs and so does not flush after
 * satp writes; a core without ASIDs is then emptied whole, as the kernel
 * would have flushed had it found no ASID bits. */
void tlb_hier_satp(struct tlb_hier *h, bool asid_kernel);
/* sfence.vma (or sinval.vma) of the given form, at every level and in
 * the PTE cache. */
void tlb_hier_fence(struct tlb_hier *h, enum tlb_fence kind, uint64_t va, uint32_t asid);
/* A walk that read the non-leaf PTEs at path[0..n): how many the PTE
 * cache held; those it did not are put in. 0 without a PTE cache. */
unsigned tlb_hier_ptc_walk(struct tlb_hier *h, const uint64_t *path, unsigned n);

#endif
