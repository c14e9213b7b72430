/*
 * tlbstrict: the strict mode's model of one hart (see tlbstrict.h).
 *
 * State, all in clock values:
 *
 *   full, asid_fence[A]   the last full fence, the last fence of ASID A
 *   ran[(R, A)]           per table the hart has run: since when it may
 *                         hold walks of it (first), and when it last
 *                         left it (left); a fence of A while the hart was
 *                         elsewhere starts a new "first" at the next entry
 *   addr[(page, size, A)] the last fence by an address in that page, for
 *                         ASID A or for every ASID (ANY_ASID)
 *   done[pte_pa]          the valid_at already reported for that PTE
 *
 * The fast test, one comparison per PTE read: nothing on the path
 * became valid at or after lo = max(first of the current table, last
 * full or ASID fence). Only a PTE that did looks at addr and done.
 */
#include "tlbstrict.h"

#include <stdlib.h>
#include <string.h>

#define HASH_MULT 0x9E3779B97F4A7C15ULL /* 2^64 / golden ratio */
#define MAP_INITIAL 1024u
#define ASID_LIMIT (1u << 16)
#define ANY_ASID ASID_LIMIT /* an address fence for every address space */
#define EMPTY_KEY UINT64_MAX

/* An open-addressing map from uint64 keys (not EMPTY_KEY) to two values. */
struct map {
	struct slot {
		uint64_t key, a, b;
	} *slot;
	size_t cap, used; /* cap: a power of two */
};

struct tlbstrict {
	uint64_t full;
	uint64_t *asid_fence; /* ASID_LIMIT of them */
	struct map ran, addr, done;
	uint64_t key; /* (R, A) of the current table */
	uint32_t asid;
	bool translating;
	uint64_t lo; /* the fast test's bound (above) */
	struct tlbstrict_stats stats;
	bool oom;
};

static int
map_init(struct map *m)
{
	m->cap = MAP_INITIAL;
	m->used = 0;
	m->slot = malloc(m->cap * sizeof(*m->slot));
	if (m->slot == NULL)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		m->slot[i].key = EMPTY_KEY;
	return 0;
}

static struct slot *
map_find(const struct map *m, uint64_t key)
{
	size_t i = (size_t)((key * HASH_MULT) >> 20) & (m->cap - 1);

	while (m->slot[i].key != key && m->slot[i].key != EMPTY_KEY)
		i = (i + 1) & (m->cap - 1);
	return &m->slot[i];
}

/* Double m; false out of memory. */
static bool
map_grow(struct map *m)
{
	struct map bigger = {NULL, 2 * m->cap, m->used};

	bigger.slot = malloc(bigger.cap * sizeof(*bigger.slot));
	if (bigger.slot == NULL)
		return false;
	for (size_t i = 0; i < bigger.cap; i++)
		bigger.slot[i].key = EMPTY_KEY;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slot[i].key != EMPTY_KEY)
			*map_find(&bigger, m->slot[i].key) = m->slot[i];
	free(m->slot);
	*m = bigger;
	return true;
}

/* The slot of key, made (values 0) if new; NULL out of memory. */
static struct slot *
map_get(struct map *m, uint64_t key)
{
	struct slot *s = map_find(m, key);

	if (s->key == key)
		return s;
	if (2 * (m->used + 1) > m->cap) {
		if (!map_grow(m))
			return NULL;
		s = map_find(m, key);
	}
	s->key = key;
	s->a = s->b = 0;
	m->used++;
	return s;
}

struct tlbstrict *
tlbstrict_new(void)
{
	struct tlbstrict *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->asid_fence = calloc(ASID_LIMIT, sizeof(*s->asid_fence));
	if (s->asid_fence == NULL || map_init(&s->ran) != 0 || map_init(&s->addr) != 0 ||
	    map_init(&s->done) != 0) {
		tlbstrict_free(s);
		return NULL;
	}
	return s;
}

void
tlbstrict_free(struct tlbstrict *s)
{
	if (s == NULL)
		return;
	free(s->asid_fence);
	free(s->ran.slot);
	free(s->addr.slot);
	free(s->done.slot);
	free(s);
}

/* The last full fence or fence of asid on this hart. */
static uint64_t
fenced_asid(const struct tlbstrict *s, uint32_t asid)
{
	return s->full > s->asid_fence[asid] ? s->full : s->asid_fence[asid];
}

/* Recompute the fast test's bound for the current table. */
static void
set_lo(struct tlbstrict *s)
{
	struct slot *r = map_find(&s->ran, s->key);
	uint64_t f = fenced_asid(s, s->asid);

	s->lo = UINT64_MAX;
	if (s->translating && r->key == s->key)
		s->lo = r->a > f ? r->a : f;
}

void
tlbstrict_satp(struct tlbstrict *s, uint64_t root, uint32_t asid, bool translating, uint64_t now)
{
	struct slot *r;

	if (s->translating && (r = map_find(&s->ran, s->key))->key == s->key)
		r->b = now; /* left */
	s->asid = asid % ASID_LIMIT;
	s->key = (root >> 12) << 16 | s->asid;
	s->translating = translating;
	if (translating) {
		r = map_get(&s->ran, s->key);
		if (r == NULL)
			s->oom = true;
		else if (r->a == 0 || r->b < fenced_asid(s, s->asid))
			r->a = now; /* new, or every walk it kept was fenced since */
	}
	set_lo(s);
}

/* addr's key: the page of va at size, and asid (or ANY_ASID). */
static uint64_t
addr_key(uint64_t va, unsigned size, uint32_t asid)
{
	uint64_t page = (va >> tlb_page_shift(size)) & ((1ULL << 40) - 1);

	return page << 20 | (uint64_t)size << 17 | asid;
}

void
tlbstrict_fence(struct tlbstrict *s, enum tlb_fence kind, uint64_t va, uint32_t asid, uint64_t now)
{
	asid %= ASID_LIMIT;
	if (kind == TLB_FENCE_ALL) {
		s->full = now;
	} else if (kind == TLB_FENCE_ASID) {
		s->asid_fence[asid] = now;
	} else {
		uint32_t a = kind == TLB_FENCE_ADDR ? ANY_ASID : asid;
		for (unsigned size = 0; size < TLB_NSIZES; size++) {
			struct slot *f = map_get(&s->addr, addr_key(va, size, a));
			if (f == NULL)
				s->oom = true;
			else
				f->a = now;
		}
	}
	set_lo(s);
}

/* The last fence on this hart covering the leaf of va (size) under the
 * current ASID, address fences included. */
static uint64_t
fenced_leaf(const struct tlbstrict *s, uint64_t va, unsigned size)
{
	uint64_t f = fenced_asid(s, s->asid);
	const struct slot *any = map_find(&s->addr, addr_key(va, size, ANY_ASID));
	const struct slot *mine = map_find(&s->addr, addr_key(va, size, s->asid));

	if (any->key != EMPTY_KEY && any->a > f)
		f = any->a;
	if (mine->key != EMPTY_KEY && mine->a > f)
		f = mine->a;
	return f;
}

/* Whether PTE i of p is to be reported (and is, once: into done). */
static bool
judge_pte(struct tlbstrict *s, uint64_t va, const struct tlbstrict_path *p, unsigned i,
          struct tlbstrict_why *why)
{
	uint64_t t = p->valid_at[i];
	uint64_t f = i + 1 == p->n ? fenced_leaf(s, va, p->leaf_size) : fenced_asid(s, s->asid);
	struct slot *d;

	if (t < f)
		return false; /* fenced since it became valid */
	d = map_get(&s->done, p->pte_pa[i]);
	if (d == NULL) {
		s->oom = true;
		return false;
	}
	if (d->a == t)
		return false; /* reported */
	d->a = t;
	why->index = i;
	why->pte_pa = p->pte_pa[i];
	why->valid_at = t;
	why->ran_since = s->lo;
	why->fenced_at = f;
	return true;
}

bool
tlbstrict_access(struct tlbstrict *s, uint64_t va, const struct tlbstrict_path *p,
                 struct tlbstrict_why *why)
{
	struct tlbstrict_why other;
	bool found = false;

	/* Every PTE is judged (and recorded as reported), the first found
	 * (the one nearest the root) is the one said. */
	for (unsigned i = 0; i < p->n; i++) {
		if (p->valid_at[i] < s->lo)
			continue;
		s->stats.checked++;
		if (judge_pte(s, va, p, i, found ? &other : why))
			found = true;
	}
	s->stats.found += found;
	return found;
}

struct tlbstrict_stats
tlbstrict_stats(const struct tlbstrict *s)
{
	return s->stats;
}

bool
tlbstrict_oom(const struct tlbstrict *s)
{
	return s->oom;
}
