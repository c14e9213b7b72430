/*
 * tlbcheck: every translation a hart used, kept until a fence drops it
 * (see tlbcheck.h). A hash table of entries keyed by (page, size), each
 * chain holding every ASID's entry for that page.
 *
 * Fences that drop whole classes of entries do it by generation, in O(1):
 * an entry is live while its gen_all equals the table's (bumped by a full
 * fence) and, unless global, its gen_asid equals its ASID's (bumped by an
 * ASID fence). Dead entries are unlinked as chain walks meet them and by
 * a sweep when the table has grown. Address fences and marks find the
 * entries of a page through its chain, one chain per page size.
 */
#include "tlbcheck.h"

#include <stdlib.h>

#define INITIAL_BUCKETS 4096u
#define HASH_MULT 0x9E3779B97F4A7C15ULL /* 2^64 / golden ratio */

struct node {
	uint64_t page; /* va >> page shift of size */
	uint64_t frame;
	uint64_t mark_pc;
	uint64_t gen_all;
	uint32_t gen_asid;
	uint32_t asid;
	uint8_t size;
	bool global;
	bool marked;
	struct node *next;
};

struct tlbcheck {
	struct node **bucket;
	unsigned bucket_bits;
	size_t nodes; /* in the table, live or not yet unlinked */
	struct node *spare;
	uint64_t gen_all;
	uint32_t *asid_gen; /* TLBCHECK_ASID_LIMIT of them */
	struct tlbcheck_stats stats;
	bool oom;
};

struct tlbcheck *
tlbcheck_new(void)
{
	struct tlbcheck *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->bucket_bits = (unsigned)__builtin_ctz(INITIAL_BUCKETS);
	c->bucket = calloc(INITIAL_BUCKETS, sizeof(*c->bucket));
	c->asid_gen = calloc(TLBCHECK_ASID_LIMIT, sizeof(*c->asid_gen));
	if (c->bucket == NULL || c->asid_gen == NULL) {
		tlbcheck_free(c);
		return NULL;
	}
	return c;
}

static void
free_chain(struct node *n)
{
	while (n != NULL) {
		struct node *next = n->next;
		free(n);
		n = next;
	}
}

void
tlbcheck_free(struct tlbcheck *c)
{
	if (c == NULL)
		return;
	if (c->bucket != NULL)
		for (size_t i = 0; i < ((size_t)1 << c->bucket_bits); i++)
			free_chain(c->bucket[i]);
	free_chain(c->spare);
	free(c->bucket);
	free(c->asid_gen);
	free(c);
}

static size_t
bucket_of(unsigned bits, uint64_t page, unsigned size)
{
	return (size_t)(((page << 2 | size) * HASH_MULT) >> (64 - bits));
}

static bool
node_live(const struct tlbcheck *c, const struct node *n)
{
	return n->gen_all == c->gen_all && (n->global || n->gen_asid == c->asid_gen[n->asid]);
}

/* Unlink *pp (a node) from its chain and keep it for reuse. */
static void
unlink_node(struct tlbcheck *c, struct node **pp)
{
	struct node *n = *pp;

	*pp = n->next;
	n->next = c->spare;
	c->spare = n;
	c->nodes--;
}

/* Unlink every dead node; if the table is still crowded, double it. */
static void
sweep(struct tlbcheck *c)
{
	size_t n = (size_t)1 << c->bucket_bits;
	struct node **bigger;
	unsigned bits = c->bucket_bits + 1;

	for (size_t i = 0; i < n; i++)
		for (struct node **pp = &c->bucket[i]; *pp != NULL;)
			if (node_live(c, *pp))
				pp = &(*pp)->next;
			else
				unlink_node(c, pp);
	if (c->nodes <= n || (bigger = calloc(2 * n, sizeof(*bigger))) == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		while (c->bucket[i] != NULL) {
			struct node *m = c->bucket[i];
			size_t b = bucket_of(bits, m->page, m->size);
			c->bucket[i] = m->next;
			m->next = bigger[b];
			bigger[b] = m;
		}
	}
	free(c->bucket);
	c->bucket = bigger;
	c->bucket_bits = bits;
}

/* A new live node for x at the head of its chain, or NULL (out of memory). */
static struct node *
fill(struct tlbcheck *c, const struct tlb_xlate *x, uint64_t page, uint64_t frame)
{
	struct node *n = c->spare;
	size_t b;

	if (c->nodes >= 2 * ((size_t)1 << c->bucket_bits))
		sweep(c);
	if (n != NULL)
		c->spare = n->next;
	else if ((n = malloc(sizeof(*n))) == NULL)
		return NULL;
	n->page = page;
	n->size = x->size;
	n->asid = x->asid % TLBCHECK_ASID_LIMIT;
	n->global = x->global;
	n->frame = frame;
	n->marked = false;
	n->mark_pc = 0;
	n->gen_all = c->gen_all;
	n->gen_asid = c->asid_gen[n->asid];
	b = bucket_of(c->bucket_bits, page, x->size);
	n->next = c->bucket[b];
	c->bucket[b] = n;
	c->nodes++;
	return n;
}

/* Judge a hit on n by an access whose frame is frame; refresh n. */
static enum tlbcheck_verdict
judge(struct tlbcheck *c, struct node *n, uint64_t frame, struct tlbcheck_stale *why)
{
	enum tlbcheck_verdict v = TLBCHECK_HIT;

	if (n->marked)
		v = TLBCHECK_STALE_MARKED;
	else if (frame == TLBCHECK_UNMAPPED)
		v = TLBCHECK_STALE_GONE;
	else if (frame != TLBCHECK_NO_FRAME && n->frame != TLBCHECK_NO_FRAME && n->frame != frame)
		v = TLBCHECK_STALE_FRAME;
	if (v != TLBCHECK_HIT) {
		c->stats.stale++;
		if (why != NULL) {
			why->cached_frame = n->frame;
			why->mark_pc = n->mark_pc;
			why->entry_asid = n->asid;
			why->entry_global = n->global;
		}
		n->marked = false;
	}
	if (frame != TLBCHECK_NO_FRAME && frame != TLBCHECK_UNMAPPED)
		n->frame = frame;
	return v;
}

enum tlbcheck_verdict
tlbcheck_access(struct tlbcheck *c, const struct tlb_xlate *x, uint64_t frame,
                struct tlbcheck_stale *why)
{
	uint32_t asid = x->asid % TLBCHECK_ASID_LIMIT;

	c->stats.lookups++;
	/* Any live entry that covers va serves it, whatever its size: a
	 * table whose page size changed does not hide an older entry. */
	for (unsigned s = 0; s < TLB_NSIZES; s++) {
		uint64_t page = x->va >> tlb_page_shift(s);
		struct node **pp = &c->bucket[bucket_of(c->bucket_bits, page, s)];
		while (*pp != NULL) {
			struct node *n = *pp;
			if (!node_live(c, n)) {
				unlink_node(c, pp);
				continue;
			}
			if (n->page == page && n->size == s && (n->global || n->asid == asid))
				return judge(c, n, frame, why);
			pp = &n->next;
		}
	}
	if (frame == TLBCHECK_UNMAPPED)
		return TLBCHECK_FILL; /* nothing to cache */
	if (fill(c, x, x->va >> tlb_page_shift(x->size), frame) == NULL)
		c->oom = true;
	else
		c->stats.fills++;
	return TLBCHECK_FILL;
}

/* Whether an address fence of kind for asid drops live node n. */
static bool
addr_fence_drops(const struct node *n, enum tlb_fence kind, uint32_t asid)
{
	return kind == TLB_FENCE_ADDR || (!n->global && n->asid == asid);
}

void
tlbcheck_fence(struct tlbcheck *c, enum tlb_fence kind, uint64_t va, uint32_t asid)
{
	asid %= TLBCHECK_ASID_LIMIT;
	if (kind == TLB_FENCE_ALL) {
		c->gen_all++;
		return;
	}
	if (kind == TLB_FENCE_ASID) {
		c->asid_gen[asid]++;
		return;
	}
	for (unsigned s = 0; s < TLB_NSIZES; s++) {
		uint64_t page = va >> tlb_page_shift(s);
		struct node **pp = &c->bucket[bucket_of(c->bucket_bits, page, s)];
		while (*pp != NULL) {
			struct node *n = *pp;
			bool mine = n->page == page && n->size == s;
			if (!node_live(c, n) || (mine && addr_fence_drops(n, kind, asid))) {
				c->stats.dropped += node_live(c, n);
				unlink_node(c, pp);
			} else {
				pp = &n->next;
			}
		}
	}
}

unsigned
tlbcheck_mark(struct tlbcheck *c, uint64_t va, uint32_t asid, uint64_t pc)
{
	unsigned marked = 0;

	asid %= TLBCHECK_ASID_LIMIT;
	for (unsigned s = 0; s < TLB_NSIZES; s++) {
		uint64_t page = va >> tlb_page_shift(s);
		struct node *n = c->bucket[bucket_of(c->bucket_bits, page, s)];
		for (; n != NULL; n = n->next) {
			if (n->page != page || n->size != s || !node_live(c, n) ||
			    !(n->global || n->asid == asid))
				continue;
			n->marked = true;
			n->mark_pc = pc;
			marked++;
		}
	}
	c->stats.marked += marked;
	return marked;
}

struct tlbcheck_stats
tlbcheck_stats(const struct tlbcheck *c)
{
	struct tlbcheck_stats s = c->stats;

	s.live = c->nodes;
	return s;
}

bool
tlbcheck_oom(const struct tlbcheck *c)
{
	return c->oom;
}
