/*
 * tlbmodel: set-associative TLB arrays tagged with page size, ASID and
 * global bit, and the I/D + L2 arrangement of one hart (see tlbmodel.h).
 * Pure C, no QEMU.
 */
#include "tlbmodel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct way {
	uint64_t tag;   /* (va >> page shift) >> sector bits */
	uint64_t stamp; /* LRU: clock at the last use; FIFO: at the fill */
	uint32_t asid;
	uint8_t size;  /* enum tlb_pgsize */
	uint8_t valid; /* one bit per sector */
	bool global;
};

/*
 * A way is alive when its stamp is above flushed_at and a sector bit is
 * set, so emptying the array is one assignment however large it is
 * (sfence.vma is frequent: xv6-style kernels flush on every trap). The
 * clock never goes back, so the stamps of flushed ways are below every
 * live one, and a way a fence emptied gets stamp 0: the victim choice
 * (smallest stamp) takes empty ways first.
 */
struct tlb {
	struct tlb_shape shape;
	unsigned nsets, tag_ways, sector_bits;
	bool pow2;         /* nsets is a power of two: index with set_mask */
	uint64_t set_mask; /* nsets - 1 */
	uint64_t clock;    /* advances on every fill and LRU use */
	uint64_t flushed_at;
	/* The way of the latest hit or fill and the key it answered (page at
	 * its size, size, ASID); NULL after anything that may drop entries.
	 * It is the most recently used way of the array, so a repeat of it is
	 * a hit that changes no replacement state: the fast path skips the set. */
	struct way *last;
	uint64_t last_page;
	uint32_t last_asid;
	uint8_t last_size;
	struct tlb_stats stats;
	struct way *way; /* nsets x tag_ways, set by set */
};

unsigned
tlb_config_ways(unsigned entries, unsigned ways)
{
	return ways == 0 ? entries : ways;
}

static bool
is_pow2(unsigned n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

/* What is wrong with *s, by kind; SHAPE_OK if nothing. */
enum shape_problem { SHAPE_OK, SHAPE_SIZE, SHAPE_WAYS, SHAPE_SECTORS, SHAPE_PAGES };

static enum shape_problem
shape_problem(const struct tlb_shape *s)
{
	unsigned ways = tlb_config_ways(s->entries, s->ways);

	if (s->entries == 0 || s->entries > TLB_MAX_ENTRIES)
		return SHAPE_SIZE;
	if (ways > s->entries || s->entries % ways != 0)
		return SHAPE_WAYS;
	if (!is_pow2(s->sectors) || s->sectors > TLB_MAX_SECTORS || ways % s->sectors != 0)
		return SHAPE_SECTORS;
	if (s->sizes == 0 || (s->sizes & ~TLB_ALL_SIZES) != 0)
		return SHAPE_PAGES;
	return SHAPE_OK;
}

const char *
tlb_shape_check(const struct tlb_shape *s)
{
	static const char *const msg[] = {
	    [SHAPE_OK] = NULL,
	    [SHAPE_SIZE] = "entries must be 1..1048576",
	    [SHAPE_WAYS] = "ways must divide entries",
	    [SHAPE_SECTORS] = "sectors must be a power of 2, at most 8, dividing the ways",
	    [SHAPE_PAGES] = "the array holds no page size",
	};
	return msg[shape_problem(s)];
}

struct tlb *
tlb_new(const struct tlb_shape *s)
{
	struct tlb *t;

	if (tlb_shape_check(s) != NULL)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->shape = *s;
	t->shape.ways = tlb_config_ways(s->entries, s->ways);
	t->tag_ways = t->shape.ways / s->sectors;
	t->nsets = s->entries / t->shape.ways;
	t->sector_bits = (unsigned)__builtin_ctz(s->sectors);
	t->pow2 = is_pow2(t->nsets);
	t->set_mask = t->nsets - 1;
	t->way = calloc((size_t)t->nsets * t->tag_ways, sizeof(struct way));
	if (t->way == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
tlb_free(struct tlb *t)
{
	if (t != NULL)
		free(t->way);
	free(t);
}

const struct tlb_shape *
tlb_shape(const struct tlb *t)
{
	return &t->shape;
}

bool
tlb_holds(const struct tlb *t, unsigned size)
{
	return (t->shape.sizes & TLB_SIZE_BIT(size)) != 0;
}

static bool
way_alive(const struct tlb *t, const struct way *w)
{
	return w->stamp > t->flushed_at && w->valid != 0;
}

/* First way of the set that tag maps to: the low bits of the tag (the
 * page number above the sector bits) select it, as in hardware. */
static struct way *
tlb_set(struct tlb *t, uint64_t tag)
{
	uint64_t set = t->pow2 ? tag & t->set_mask : tag % t->nsets;
	return &t->way[set * t->tag_ways];
}

static bool
asid_match(const struct tlb *t, const struct way *w, uint32_t asid)
{
	return w->global || !t->shape.asid_tags || w->asid == asid;
}

/* The live way holding page (at size) for asid, or NULL. */
static struct way *
tlb_find(struct tlb *t, uint64_t page, const struct tlb_xlate *x)
{
	uint64_t tag = page >> t->sector_bits;
	unsigned bit = 1u << (page & (t->shape.sectors - 1));
	struct way *w = tlb_set(t, tag);

	for (unsigned i = 0; i < t->tag_ways; i++) {
		if (w[i].tag == tag && w[i].size == x->size && (w[i].valid & bit) &&
		    way_alive(t, &w[i]) && asid_match(t, &w[i], x->asid))
			return &w[i];
	}
	return NULL;
}

static void
set_last(struct tlb *t, struct way *w, uint64_t page, const struct tlb_xlate *x)
{
	t->last = w;
	t->last_page = page;
	t->last_size = x->size;
	t->last_asid = x->asid;
}

bool
tlb_lookup(struct tlb *t, const struct tlb_xlate *x)
{
	uint64_t page = x->va >> tlb_page_shift(x->size);
	struct way *w;

	t->stats.accesses++;
	if (t->last != NULL && page == t->last_page && x->size == t->last_size &&
	    (x->asid == t->last_asid || !t->shape.asid_tags))
		return true;
	w = tlb_find(t, page, x);
	if (w == NULL) {
		t->stats.misses++;
		return false;
	}
	if (t->shape.repl == TLB_LRU)
		w->stamp = ++t->clock;
	set_last(t, w, page, x);
	return true;
}

/* Whether x may fill a sector of live way w, whose tag and size match:
 * entries that carry an ASID share a tag only within one address space. */
static bool
sector_shares(const struct tlb *t, const struct way *w, const struct tlb_xlate *x)
{
	return !t->shape.asid_tags || (w->asid == x->asid && w->global == x->global);
}

void
tlb_insert(struct tlb *t, const struct tlb_xlate *x)
{
	uint64_t page = x->va >> tlb_page_shift(x->size);
	uint64_t tag = page >> t->sector_bits;
	unsigned bit = 1u << (page & (t->shape.sectors - 1));
	struct way *w = tlb_set(t, tag), *victim = &w[0];

	for (unsigned i = 0; i < t->tag_ways; i++) {
		if (w[i].tag == tag && w[i].size == x->size && way_alive(t, &w[i]) &&
		    sector_shares(t, &w[i], x)) {
			w[i].valid |= bit;
			w[i].global = w[i].global && x->global;
			if (t->shape.repl == TLB_LRU)
				w[i].stamp = ++t->clock;
			set_last(t, &w[i], page, x);
			return;
		}
		if (w[i].stamp < victim->stamp)
			victim = &w[i];
	}
	victim->tag = tag;
	victim->size = x->size;
	victim->asid = x->asid;
	victim->global = x->global;
	victim->valid = (uint8_t)bit;
	victim->stamp = ++t->clock;
	set_last(t, victim, page, x);
}

bool
tlb_access(struct tlb *t, const struct tlb_xlate *x)
{
	if (tlb_lookup(t, x))
		return true;
	tlb_insert(t, x);
	return false;
}

void
tlb_flush(struct tlb *t)
{
	t->flushed_at = t->clock;
	t->last = NULL;
	t->stats.flushes++;
}

/* Clear the sector bits bits of w; an emptied way gets stamp 0. */
static void
way_drop(struct tlb *t, struct way *w, unsigned bits)
{
	t->stats.dropped += (uint64_t)__builtin_popcount(w->valid & bits);
	w->valid &= (uint8_t)~bits;
	if (w->valid == 0 && !t->shape.fifo_keeps_order)
		w->stamp = 0;
}

/* The valid sector bit of w whose page contains va, or 0. */
static unsigned
way_covers(const struct tlb *t, const struct way *w, uint64_t va)
{
	uint64_t page = va >> tlb_page_shift(w->size);

	if ((page >> t->sector_bits) != w->tag)
		return 0;
	return w->valid & (1u << (page & (t->shape.sectors - 1)));
}

void
tlb_fence(struct tlb *t, enum tlb_fence kind, uint64_t va, uint32_t asid, bool any_asid)
{
	size_t n = (size_t)t->nsets * t->tag_ways;

	if (kind == TLB_FENCE_ALL) {
		tlb_flush(t);
		return;
	}
	t->last = NULL;
	for (size_t i = 0; i < n; i++) {
		struct way *w = &t->way[i];
		unsigned bit;

		if (!way_alive(t, w))
			continue;
		if (kind == TLB_FENCE_ASID) {
			if (!w->global && (any_asid || w->asid == asid))
				way_drop(t, w, w->valid);
			continue;
		}
		bit = way_covers(t, w, va);
		if (bit != 0 &&
		    (kind == TLB_FENCE_ADDR || any_asid || (!w->global && w->asid == asid)))
			way_drop(t, w, bit);
	}
}

struct tlb_stats
tlb_stats(const struct tlb *t)
{
	return t->stats;
}

/*
 * Presets. Each follows the public source named in its .source; what a
 * source leaves open (the replacement policy of the U54, Rocket's
 * pseudo-LRU) is modelled as exact LRU.
 */
/* clang-format off */
#define ARRAY(n, w, sec, pages, repl, tags) {(n), (w), (sec), (pages), (repl), (tags)}
#define NONE ARRAY(0, 0, 1, 0, TLB_LRU, false)
#define UNIT(main, super, satp) {main, super, satp, false}
#define UNIT_ASID_FLUSH(main, super, satp) {main, super, satp, true}
#define ARRAY_FIFO_ORDER(n, w, tags) {(n), (w), 1, TLB_ALL_SIZES, TLB_FIFO, (tags), true}
/* clang-format on */

/* U54: I and D translation caches of 32 entries, fully associative;
 * 2 MiB and 1 GiB pages in the same entries (the manual names no
 * others); no L2; no ASID bits. */
#define U54_L1 UNIT(ARRAY(32, 0, 1, TLB_ALL_SIZES, TLB_LRU, false), NONE, false)
/* Rocket (rocket-chip defaults): 32 pages in 8 sectored entries of 4
 * pages each, fully associative, 4 KiB only; 4 superpage entries apart. */
#define ROCKET_L1                                                                                  \
	UNIT(ARRAY(32, 0, 4, TLB_SIZE_BIT(TLB_4K), TLB_LRU, false),                                \
	     ARRAY(4, 0, 1, TLB_SUPERPAGES, TLB_LRU, false), false)
/* The L2 of Chipyard's WithL2TLBs(1024): direct mapped (nL2TLBWays 1);
 * the page-table walker refills it with 4 KiB leaves only. */
#define ROCKET_L2 UNIT(ARRAY(1024, 1, 1, TLB_SIZE_BIT(TLB_4K), TLB_LRU, false), NONE, false)
/* C906 (openc906 RTL): 10-entry fully associative micro-TLBs without
 * ASIDs, emptied by every satp write and whole by any ASID fence
 * (aq_mmu_utlb_entry.v); a 128-entry 2-way jTLB (64 sets) tagged with a
 * 16-bit ASID, page size and G, refilled into the way its per-set FIFO
 * bit names even when the other is empty (aq_mmu_ptw.v). */
#define C906_L1 UNIT_ASID_FLUSH(ARRAY(10, 0, 1, TLB_ALL_SIZES, TLB_LRU, false), NONE, true)
#define C906_L2 UNIT(ARRAY_FIFO_ORDER(128, 2, true), NONE, false)
/* C910 (XuanTie C910 user manual): I-uTLB 32 and D-uTLB 17 entries, fully
 * associative, emptied by satp writes like the C906's (assumption: the
 * manual does not say); a 1024-entry 4-way jTLB with 16-bit ASIDs. */
#define C910_I UNIT_ASID_FLUSH(ARRAY(32, 0, 1, TLB_ALL_SIZES, TLB_LRU, false), NONE, true)
#define C910_D UNIT_ASID_FLUSH(ARRAY(17, 0, 1, TLB_ALL_SIZES, TLB_LRU, false), NONE, true)
#define C910_L2 UNIT(ARRAY(1024, 4, 1, TLB_ALL_SIZES, TLB_LRU, true), NONE, false)
/* U74 (JH7110 device tree: i-tlb-size 40, d-tlb-size 40, fully
 * associative); no L2 TLB is published, nor ASID bits in use. */
#define U74_L1 UNIT(ARRAY(40, 0, 1, TLB_ALL_SIZES, TLB_LRU, false), NONE, false)
/* Costs from the C906/C910 manuals: a jTLB hit takes at least 3 cycles;
 * a walk at least 16 with the PTEs in the cache, about 6 per level read
 * for a 3-level walk (16 / 3 rounded up). */
#define XUANTIE_WALK_PER_LEVEL 6
#define XUANTIE_L2HIT 3
/* Rocket's PTE cache: 8 entries (rocket-chip RocketCoreParams,
 * nPTECacheEntries); a hit is looked up in the walker's request stage
 * instead of a D-cache access: 1 cycle (assumption). */
#define ROCKET_PTC 8
#define ROCKET_PTC_HIT 1
/* Fence, satp and Svinval costs: no core's is published (docs/anchors.md),
 * so every preset takes the defaults (assumption). */
#define FENCE_SATP_DEFAULTS                                                                        \
	.fence = {TLB_FENCE_DEFAULT, TLB_FENCE_DEFAULT, TLB_FENCE_DEFAULT, TLB_FENCE_DEFAULT},     \
	.satp = TLB_SATP_DEFAULT, .sinval = TLB_SINVAL_DEFAULT,                                    \
	.inval_fence = TLB_INVAL_FENCE_DEFAULT

static const struct tlb_config presets[] = {
    {.preset = "u54",
     .source = "SiFive U54 manual (MMU): 32-entry fully associative I and D translation caches, "
               "2 MiB and 1 GiB pages in the same entries; no ASID bits on the HiFive Unleashed",
     .l1 = {U54_L1, U54_L1},
     .l2 = UNIT(NONE, NONE, false),
     .walk = TLB_WALK_DEFAULT,
     .l2hit = TLB_L2HIT_DEFAULT,
     FENCE_SATP_DEFAULTS},
    {.preset = "rocket",
     .source = "rocket-chip defaults: ASIdBits 0; L1 TLBs of 32 ways in 4-page sectors plus 4 "
               "superpage entries; nL2TLBEntries 0; an 8-entry PTE cache",
     .l1 = {ROCKET_L1, ROCKET_L1},
     .l2 = UNIT(NONE, NONE, false),
     .ptc = ROCKET_PTC,
     .walk = TLB_WALK_DEFAULT,
     .ptc_hit = ROCKET_PTC_HIT,
     .l2hit = TLB_L2HIT_DEFAULT,
     FENCE_SATP_DEFAULTS},
    {.preset = "rocket-l2",
     .source = "rocket with Chipyard's WithL2TLBs(1024): a 1024-entry direct-mapped L2 TLB of "
               "4 KiB leaves",
     .l1 = {ROCKET_L1, ROCKET_L1},
     .l2 = ROCKET_L2,
     .ptc = ROCKET_PTC,
     .walk = TLB_WALK_DEFAULT,
     .ptc_hit = ROCKET_PTC_HIT,
     .l2hit = TLB_L2HIT_DEFAULT,
     FENCE_SATP_DEFAULTS},
    {.preset = "c906",
     .source = "openc906 RTL: 10-entry micro-TLBs without ASIDs emptied by satp writes; 128-entry "
               "2-way jTLB tagged with 16-bit ASID, page size and G, kept across satp writes",
     .asid_bits = 16,
     .l1 = {C906_L1, C906_L1},
     .l2 = C906_L2,
     .walk = XUANTIE_WALK_PER_LEVEL,
     .l2hit = XUANTIE_L2HIT,
     FENCE_SATP_DEFAULTS},
    {.preset = "c910",
     .source = "XuanTie C910 manual: 32-entry I and 17-entry D micro-TLBs, 1024-entry 4-way jTLB "
               "with 16-bit ASIDs; micro-TLB flushing as the C906's (assumed)",
     .asid_bits = 16,
     .l1 = {C910_I, C910_D},
     .l2 = C910_L2,
     .walk = XUANTIE_WALK_PER_LEVEL,
     .l2hit = XUANTIE_L2HIT,
     FENCE_SATP_DEFAULTS},
    {.preset = "u74",
     .source = "SiFive U74 in the JH7110 (device tree): 40-entry fully associative I and D TLBs; "
               "no L2 TLB or ASIDs published (assumed none)",
     .l1 = {U74_L1, U74_L1},
     .l2 = UNIT(NONE, NONE, false),
     .walk = TLB_WALK_DEFAULT,
     .l2hit = TLB_L2HIT_DEFAULT,
     FENCE_SATP_DEFAULTS},
};

int
tlb_config_preset(struct tlb_config *c, const char *name)
{
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
		if (strcmp(presets[i].preset, name) == 0) {
			*c = presets[i];
			return 0;
		}
	}
	return -1;
}

const char *
tlb_preset_names(void)
{
	return "u54, rocket, rocket-l2, c906, c910, u74";
}

void
tlb_config_set_asids(struct tlb_config *c, bool on)
{
	struct tlb_unit_config *u[] = {&c->l1[TLB_FETCH], &c->l1[TLB_DATA], &c->l2};

	if (!on) {
		c->asid_bits = 0;
		return;
	}
	if (c->asid_bits != 0)
		return;
	c->asid_bits = TLB_ASID_BITS_DEFAULT;
	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		u[i]->main.asid_tags = true;
		u[i]->super.asid_tags = true;
	}
}

/* Message for array s, named by the options that set it, or NULL. */
static const char *
array_check(const struct tlb_shape *s, const char *entries_name, const char *ways_name)
{
	static char msg[160];

	switch (shape_problem(s)) {
	case SHAPE_OK:
		return NULL;
	case SHAPE_SIZE:
		snprintf(msg, sizeof(msg), "%s must be 1..%u entries", entries_name,
		         TLB_MAX_ENTRIES);
		break;
	case SHAPE_WAYS:
		snprintf(msg, sizeof(msg), "%s must divide %s", ways_name, entries_name);
		break;
	case SHAPE_SECTORS:
		snprintf(msg, sizeof(msg), "%s of %s must be a multiple of its %u-page sectors",
		         ways_name, entries_name, s->sectors);
		break;
	case SHAPE_PAGES:
		snprintf(msg, sizeof(msg), "%s holds no page size", entries_name);
		break;
	}
	return msg;
}

/* Message for unit u (main array named by its options), or NULL. */
static const char *
unit_check(const struct tlb_unit_config *u, const char *entries_name, const char *ways_name,
           bool l1)
{
	const char *msg;
	unsigned sizes = u->main.sizes;

	if (!l1 && u->main.entries == 0)
		return NULL; /* no L2 */
	msg = array_check(&u->main, entries_name, ways_name);
	if (msg == NULL && u->super.entries != 0) {
		msg = array_check(&u->super, "superpage array", "its ways");
		sizes |= u->super.sizes;
	}
	if (msg == NULL && l1 && sizes != TLB_ALL_SIZES)
		msg = "an L1 TLB must hold every page size";
	return msg;
}

const char *
tlb_config_check(const struct tlb_config *c)
{
	const char *msg;

	msg = unit_check(&c->l1[TLB_FETCH], "itlb", "iways", true);
	if (msg == NULL)
		msg = unit_check(&c->l1[TLB_DATA], "dtlb", "dways", true);
	if (msg == NULL)
		msg = unit_check(&c->l2, "l2", "l2ways", false);
	if (msg == NULL && c->ptc > TLB_MAX_PTC)
		msg = "ptc must be 0..64 entries";
	return msg;
}

uint64_t
tlb_est_cycles(const struct tlb_config *c, const struct tlb_work *w)
{
	uint64_t est = w->insns + w->l2_hits * c->l2hit + (w->pte_reads - w->ptc_hits) * c->walk +
	               w->ptc_hits * c->ptc_hit + w->satp_writes * c->satp +
	               w->sinvals * c->sinval + w->inval_fences * c->inval_fence;

	for (int k = 0; k < TLB_NFENCE; k++)
		est += w->fence[k] * c->fence[k];
	return est;
}

static void
unit_destroy(struct tlb_unit *u)
{
	tlb_free(u->main);
	tlb_free(u->super);
	memset(u, 0, sizeof(*u));
}

/* Build u as uc says (a level without entries stays NULL). Returns 0 or -1. */
static int
unit_init(struct tlb_unit *u, const struct tlb_unit_config *uc)
{
	memset(u, 0, sizeof(*u));
	u->satp_flush = uc->satp_flush;
	u->asid_fence_flush = uc->asid_fence_flush;
	if (uc->main.entries == 0)
		return 0;
	u->main = tlb_new(&uc->main);
	if (uc->super.entries != 0)
		u->super = tlb_new(&uc->super);
	if (u->main == NULL || (uc->super.entries != 0 && u->super == NULL)) {
		unit_destroy(u);
		return -1;
	}
	return 0;
}

int
tlb_hier_init(struct tlb_hier *h, const struct tlb_config *c)
{
	memset(h, 0, sizeof(*h));
	if (tlb_config_check(c) != NULL)
		return -1;
	h->asids = c->asid_bits != 0;
	h->ptc.n = c->ptc;
	if (unit_init(&h->l1[TLB_FETCH], &c->l1[TLB_FETCH]) != 0 ||
	    unit_init(&h->l1[TLB_DATA], &c->l1[TLB_DATA]) != 0 || unit_init(&h->l2, &c->l2) != 0) {
		tlb_hier_destroy(h);
		return -1;
	}
	return 0;
}

void
tlb_hier_destroy(struct tlb_hier *h)
{
	unit_destroy(&h->l1[TLB_FETCH]);
	unit_destroy(&h->l1[TLB_DATA]);
	unit_destroy(&h->l2);
}

/* The array of u that holds pages of size size, or NULL if none does. */
static struct tlb *
unit_array(const struct tlb_unit *u, unsigned size)
{
	if (u->super != NULL && tlb_holds(u->super, size))
		return u->super;
	if (u->main != NULL && tlb_holds(u->main, size))
		return u->main;
	return NULL;
}

enum tlb_outcome
tlb_hier_access(struct tlb_hier *h, enum tlb_side side, const struct tlb_xlate *x)
{
	struct tlb *l1 = unit_array(&h->l1[side], x->size);
	struct tlb *l2;

	if (tlb_lookup(l1, x))
		return TLB_L1_HIT;
	tlb_insert(l1, x);
	l2 = unit_array(&h->l2, x->size);
	if (l2 == NULL)
		return TLB_WALK;
	return tlb_access(l2, x) ? TLB_L2_HIT : TLB_WALK;
}

/* Apply kind to every array of u. */
static void
unit_fence(struct tlb_unit *u, enum tlb_fence kind, uint64_t va, uint32_t asid, bool any_asid)
{
	if (kind == TLB_FENCE_ASID && u->asid_fence_flush)
		kind = TLB_FENCE_ALL;
	if (u->main != NULL)
		tlb_fence(u->main, kind, va, asid, any_asid);
	if (u->super != NULL)
		tlb_fence(u->super, kind, va, asid, any_asid);
}

void
tlb_hier_flush(struct tlb_hier *h)
{
	tlb_hier_fence(h, TLB_FENCE_ALL, 0, 0);
}

/* Empty the PTE cache: no tags, and stamps older than any use. */
static void
ptc_flush(struct tlb_ptc *p)
{
	memset(p->tag, 0, sizeof(p->tag));
	memset(p->stamp, 0, sizeof(p->stamp));
}

/* Whether the PTE cache holds pa; on a miss pa replaces the least
 * recently used entry (an empty one first: its stamp is 0). */
static bool
ptc_access(struct tlb_ptc *p, uint64_t pa)
{
	unsigned victim = 0;

	for (unsigned i = 0; i < p->n; i++) {
		if (p->tag[i] == pa) {
			p->stamp[i] = ++p->clock;
			return true;
		}
		if (p->stamp[i] < p->stamp[victim])
			victim = i;
	}
	p->tag[victim] = pa;
	p->stamp[victim] = ++p->clock;
	return false;
}

unsigned
tlb_hier_ptc_walk(struct tlb_hier *h, const uint64_t *path, unsigned n)
{
	unsigned hits = 0;

	for (unsigned i = 0; h->ptc.n != 0 && i < n; i++)
		hits += ptc_access(&h->ptc, path[i]);
	return hits;
}

void
tlb_hier_satp(struct tlb_hier *h, bool asid_kernel)
{
	struct tlb_unit *u[] = {&h->l1[TLB_FETCH], &h->l1[TLB_DATA], &h->l2};

	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++)
		if (u[i]->satp_flush || (!h->asids && asid_kernel))
			unit_fence(u[i], TLB_FENCE_ALL, 0, 0, true);
	if (!h->asids && asid_kernel)
		ptc_flush(&h->ptc);
}

void
tlb_hier_fence(struct tlb_hier *h, enum tlb_fence kind, uint64_t va, uint32_t asid)
{
	unit_fence(&h->l1[TLB_FETCH], kind, va, asid, !h->asids);
	unit_fence(&h->l1[TLB_DATA], kind, va, asid, !h->asids);
	unit_fence(&h->l2, kind, va, asid, !h->asids);
	/* Rocket empties its PTE cache on a fence without an address. */
	if (kind == TLB_FENCE_ALL || kind == TLB_FENCE_ASID)
		ptc_flush(&h->ptc);
}
