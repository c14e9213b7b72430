/*
 * tlbmodel: set-associative LRU TLBs and the I/D + L2 arrangement of one
 * hart (see tlbmodel.h). Pure C, no QEMU.
 */
#include "tlbmodel.h"

#include <stdlib.h>
#include <string.h>

/* No virtual page number is this large (pages are address >> 12). */
#define NO_PAGE UINT64_MAX

struct way {
	uint64_t page;
	uint64_t stamp; /* clock at the last use: larger = more recent */
};

/*
 * A way is valid when its stamp is above flushed_at, so a flush is one
 * assignment however large the TLB (sfence.vma is frequent: xv6-style
 * kernels flush on every trap). The clock never goes back, so stamps of
 * flushed or never-used ways are below every valid one and LRU victim
 * choice picks them first.
 */
struct tlb {
	unsigned entries, ways, nsets;
	bool pow2;         /* nsets is a power of two: index with set_mask */
	uint64_t set_mask; /* nsets - 1 */
	uint64_t clock;    /* advances on every use of an entry */
	uint64_t flushed_at;
	/* Page of the latest lookup hit or insert, NO_PAGE after a flush. It
	 * is the most recently used entry of the whole TLB, so a repeat of it
	 * is a hit that changes no LRU order: the fast path skips the set. */
	uint64_t last;
	struct tlb_stats stats;
	struct way *way; /* nsets x ways, set by set */
};

struct tlb *
tlb_new(unsigned entries, unsigned ways)
{
	struct tlb *t;

	ways = tlb_config_ways(entries, ways);
	if (entries == 0 || entries > TLB_MAX_ENTRIES || ways == 0 || entries % ways != 0)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->way = malloc(sizeof(struct way) * entries);
	if (t->way == NULL) {
		free(t);
		return NULL;
	}
	t->entries = entries;
	t->ways = ways;
	t->nsets = entries / ways;
	t->pow2 = (t->nsets & (t->nsets - 1)) == 0;
	t->set_mask = t->nsets - 1;
	for (unsigned i = 0; i < entries; i++) {
		t->way[i].page = NO_PAGE;
		t->way[i].stamp = 0;
	}
	t->last = NO_PAGE;
	return t;
}

void
tlb_free(struct tlb *t)
{
	if (t != NULL)
		free(t->way);
	free(t);
}

unsigned
tlb_entries(const struct tlb *t)
{
	return t->entries;
}

unsigned
tlb_ways(const struct tlb *t)
{
	return t->ways;
}

/* First way of the set that page maps to: the low bits of the page
 * number select the set, as in hardware. */
static struct way *
tlb_set(struct tlb *t, uint64_t page)
{
	uint64_t set = t->pow2 ? page & t->set_mask : page % t->nsets;
	return &t->way[set * t->ways];
}

bool
tlb_lookup(struct tlb *t, uint64_t page)
{
	struct way *w;

	t->stats.accesses++;
	if (page == t->last)
		return true;
	w = tlb_set(t, page);
	for (unsigned i = 0; i < t->ways; i++) {
		if (w[i].page == page && w[i].stamp > t->flushed_at) {
			w[i].stamp = ++t->clock;
			t->last = page;
			return true;
		}
	}
	t->stats.misses++;
	return false;
}

void
tlb_insert(struct tlb *t, uint64_t page)
{
	struct way *w = tlb_set(t, page);
	struct way *victim = &w[0];

	/* Free and flushed ways have the oldest stamps of all. */
	for (unsigned i = 1; i < t->ways; i++) {
		if (w[i].stamp < victim->stamp)
			victim = &w[i];
	}
	victim->page = page;
	victim->stamp = ++t->clock;
	t->last = page;
}

bool
tlb_access(struct tlb *t, uint64_t page)
{
	if (tlb_lookup(t, page))
		return true;
	tlb_insert(t, page);
	return false;
}

void
tlb_flush(struct tlb *t)
{
	t->flushed_at = t->clock;
	t->last = NO_PAGE;
	t->stats.flushes++;
}

struct tlb_stats
tlb_stats(const struct tlb *t)
{
	return t->stats;
}

/*
 * Presets: approximations of what the cores' public descriptions say,
 * not exact models (no ASIDs, no superpages, no replacement quirks).
 */
static const struct tlb_config presets[] = {
    /* SiFive U54: 32-entry fully associative I and D TLBs, no L2. */
    {"u54", 32, 0, 32, 0, 0, 0, TLB_WALK_DEFAULT, TLB_L2HIT_DEFAULT},
    /* Rocket (default config): 32-entry fully associative L1 I and D,
     * 512-entry direct-mapped shared L2. */
    {"rocket", 32, 0, 32, 0, 512, 1, TLB_WALK_DEFAULT, TLB_L2HIT_DEFAULT},
    /* T-Head C906: 10-entry fully associative I and D micro-TLBs, a
     * 512-entry 4-way shared jTLB. */
    {"c906", 10, 0, 10, 0, 512, 4, TLB_WALK_DEFAULT, TLB_L2HIT_DEFAULT},
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
	return "u54, rocket, c906";
}

unsigned
tlb_config_ways(unsigned entries, unsigned ways)
{
	return ways == 0 ? entries : ways;
}

/* Message for one level, or NULL if entries/ways make a valid TLB. */
static const char *
tlb_level_check(unsigned entries, unsigned ways, const char *bad_size, const char *bad_ways)
{
	if (entries == 0 || entries > TLB_MAX_ENTRIES)
		return bad_size;
	ways = tlb_config_ways(entries, ways);
	if (ways > entries || entries % ways != 0)
		return bad_ways;
	return NULL;
}

const char *
tlb_config_check(const struct tlb_config *c)
{
	const char *msg;

	msg = tlb_level_check(c->itlb, c->iways, "itlb must be 1..1048576 entries",
	                      "iways must divide itlb");
	if (msg == NULL)
		msg = tlb_level_check(c->dtlb, c->dways, "dtlb must be 1..1048576 entries",
		                      "dways must divide dtlb");
	if (msg == NULL && c->l2 != 0)
		msg = tlb_level_check(c->l2, c->l2ways, "l2 must be 0..1048576 entries",
		                      "l2ways must divide l2");
	return msg;
}

uint64_t
tlb_est_cycles(const struct tlb_config *c, uint64_t insns, uint64_t l1_misses, uint64_t l2_hits)
{
	return insns + l2_hits * c->l2hit + (l1_misses - l2_hits) * c->walk;
}

int
tlb_hier_init(struct tlb_hier *h, const struct tlb_config *c)
{
	memset(h, 0, sizeof(*h));
	if (tlb_config_check(c) != NULL)
		return -1;
	h->l1[TLB_FETCH] = tlb_new(c->itlb, c->iways);
	h->l1[TLB_DATA] = tlb_new(c->dtlb, c->dways);
	if (c->l2 != 0)
		h->l2 = tlb_new(c->l2, c->l2ways);
	if (h->l1[TLB_FETCH] == NULL || h->l1[TLB_DATA] == NULL || (c->l2 != 0 && h->l2 == NULL)) {
		tlb_hier_destroy(h);
		return -1;
	}
	return 0;
}

void
tlb_hier_destroy(struct tlb_hier *h)
{
	tlb_free(h->l1[TLB_FETCH]);
	tlb_free(h->l1[TLB_DATA]);
	tlb_free(h->l2);
	memset(h, 0, sizeof(*h));
}

enum tlb_outcome
tlb_hier_access(struct tlb_hier *h, enum tlb_side side, uint64_t page)
{
	struct tlb *l1 = h->l1[side];

	if (tlb_lookup(l1, page))
		return TLB_L1_HIT;
	tlb_insert(l1, page);
	if (h->l2 == NULL)
		return TLB_WALK;
	return tlb_access(h->l2, page) ? TLB_L2_HIT : TLB_WALK;
}

void
tlb_hier_flush(struct tlb_hier *h)
{
	tlb_flush(h->l1[TLB_FETCH]);
	tlb_flush(h->l1[TLB_DATA]);
	if (h->l2 != NULL)
		tlb_flush(h->l2);
}
