/*
 * test_tlbmodel: host unit tests of tlbmodel.c (the TLB model), tlbcheck.c
 * (the stale-translation checker), tlbstrict.c (its strict mode) and tlbwalk.c (the shadow of memory
 * and the Sv39 walker), driven by synthetic streams and tables whose
 * outcomes are known by construction.
 *
 * Each test runs in a forked child (a crash fails that test only) and
 * prints one line, "ok NAME" or "FAIL NAME: why"; the last line is
 * "N passed, N failed". Exit status 0 only if every test passed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tlbcheck.h"
#include "tlbmodel.h"
#include "tlbstrict.h"
#include "tlbwalk.h"

#define KIB 1024ULL
#define MIB (1024 * KIB)
#define GIB (1024 * MIB)
#define PAGE (4 * KIB)

static int failed;       /* in the child: this test has failed */
static char reason[256]; /* in the child: why, the first failure only */

static void fail_at(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record a failure of the running test unless cond holds. */
#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fail_at(__LINE__, __VA_ARGS__);                                            \
	} while (0)

static void
fail_at(int line, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (failed++)
		return; /* the first reason is enough */
	len = snprintf(reason, sizeof(reason), "line %d: ", line);
	va_start(ap, fmt);
	vsnprintf(reason + len, sizeof(reason) - len, fmt, ap);
	va_end(ap);
}

/* A 4 KiB, non-global translation of va in address space asid. */
static struct tlb_xlate
xl(uint64_t va, uint32_t asid)
{
	struct tlb_xlate x = {va, asid, TLB_4K, false};
	return x;
}

/* The same, of page size size and global bit g. */
static struct tlb_xlate
xls(uint64_t va, uint32_t asid, unsigned size, bool g)
{
	struct tlb_xlate x = {va, asid, (uint8_t)size, g};
	return x;
}

/* A fully associative (ways 0) or set-associative array of 4 KiB and
 * superpages, LRU, with ASID tags. */
static struct tlb *
array(unsigned entries, unsigned ways)
{
	struct tlb_shape s = {entries, ways, 1, TLB_ALL_SIZES, TLB_LRU, true};
	return tlb_new(&s);
}

static bool
acc(struct tlb *t, uint64_t va, uint32_t asid)
{
	struct tlb_xlate x = xl(va, asid);
	return tlb_access(t, &x);
}

static bool
look(struct tlb *t, uint64_t va, uint32_t asid)
{
	struct tlb_xlate x = xl(va, asid);
	return tlb_lookup(t, &x);
}

/* Access pages first..first+n-1 (each times stride), passes times over,
 * through t in ASID 0; returns the misses. */
static unsigned
cycle(struct tlb *t, unsigned first, unsigned n, unsigned stride, unsigned passes)
{
	unsigned misses = 0;

	for (unsigned p = 0; p < passes; p++)
		for (unsigned i = 0; i < n; i++)
			misses += !acc(t, (first + i) * (uint64_t)stride * PAGE, 0);
	return misses;
}

static void
test_fa_fits(void)
{
	struct tlb *t = array(32, 0);
	unsigned m = cycle(t, 100, 32, 1, 10);
	struct tlb_stats s = tlb_stats(t);

	CHECK(m == 32, "32 pages in 32-entry FA: %u misses, want 32 cold\n", m);
	CHECK(s.accesses == 320 && s.misses == 32, "stats %llu/%llu, want 320/32\n",
	      (unsigned long long)s.accesses, (unsigned long long)s.misses);
	tlb_free(t);
}

static void
test_fa_lru_overflow(void)
{
	struct tlb *t = array(32, 32);
	unsigned m = cycle(t, 0, 33, 1, 10);

	CHECK(m == 330, "33 pages cycled in 32-entry LRU: %u misses, want all 330\n", m);
	tlb_free(t);
}

static void
test_lru_order(void)
{
	struct tlb *t = array(2, 0); /* one set of two ways */

	CHECK(!acc(t, 1 * PAGE, 0) && !acc(t, 2 * PAGE, 0), "cold accesses hit\n");
	CHECK(acc(t, 1 * PAGE, 0), "1 should still be present\n");
	CHECK(!acc(t, 3 * PAGE, 0), "3 should miss\n"); /* evicts 2, the LRU */
	CHECK(acc(t, 1 * PAGE, 0), "1 was recently used, should survive\n");
	CHECK(!acc(t, 2 * PAGE, 0), "2 was least recently used, should be gone\n");
	/* A lookup miss changes nothing; a hit makes the page MRU. */
	CHECK(!look(t, 9 * PAGE, 0), "9 never inserted\n");
	CHECK(look(t, 1 * PAGE, 0) && look(t, 2 * PAGE, 0), "1 and 2 should be present\n");
	tlb_free(t);
}

static void
test_fifo_order(void)
{
	struct tlb_shape s = {2, 0, 1, TLB_ALL_SIZES, TLB_FIFO, true};
	struct tlb *t = tlb_new(&s);

	acc(t, 1 * PAGE, 0);
	acc(t, 2 * PAGE, 0);
	CHECK(acc(t, 1 * PAGE, 0), "1 should hit\n");
	CHECK(!acc(t, 3 * PAGE, 0), "3 should miss\n"); /* FIFO: evicts 1, filled first */
	CHECK(!look(t, 1 * PAGE, 0), "FIFO kept 1 although it was filled first\n");
	CHECK(look(t, 2 * PAGE, 0) && look(t, 3 * PAGE, 0), "2 and 3 should be present\n");
	tlb_free(t);
}

static void
test_direct_mapped_conflict(void)
{
	struct tlb *t = array(8, 1);
	unsigned m;

	m = cycle(t, 0, 2, 8, 10); /* pages 0 and 8: both in set 0 */
	CHECK(m == 20, "pages 0,8 in 8-entry DM: %u misses, want 20\n", m);
	tlb_flush(t);
	m = cycle(t, 0, 8, 1, 10); /* pages 0..7: one per set */
	CHECK(m == 8, "pages 0..7 in 8-entry DM: %u misses, want 8\n", m);
	tlb_free(t);
}

static void
test_set_assoc(void)
{
	struct tlb *t = array(8, 2); /* 4 sets of 2 */
	unsigned m;

	m = cycle(t, 0, 3, 4, 5); /* 0,4,8 share set 0 */
	CHECK(m == 15, "3 pages in a 2-way set: %u misses, want 15\n", m);
	tlb_flush(t);
	m = cycle(t, 0, 8, 1, 5); /* two per set: fits */
	CHECK(m == 8, "8 pages over 4 2-way sets: %u misses, want 8\n", m);
	tlb_free(t);
}

static void
test_non_power_of_two_sets(void)
{
	struct tlb *t = array(12, 4); /* 3 sets of 4: set = page % 3 */
	unsigned m;

	m = cycle(t, 0, 5, 3, 4); /* 0,3,6,9,12 share set 0 */
	CHECK(m == 20, "5 pages in a 4-way set: %u misses, want 20\n", m);
	tlb_flush(t);
	m = cycle(t, 0, 4, 3, 4);
	CHECK(m == 4, "4 pages in a 4-way set: %u misses, want 4\n", m);
	tlb_free(t);
}

static void
test_flush(void)
{
	struct tlb *t = array(32, 0);
	unsigned m;

	cycle(t, 0, 16, 1, 1);
	tlb_flush(t);
	CHECK(!acc(t, 15 * PAGE, 0), "the last page before a flush hit after it\n");
	m = cycle(t, 0, 16, 1, 2);
	CHECK(m == 15, "refill after flush: %u misses, want 15\n", m);
	CHECK(tlb_stats(t).flushes == 1, "flushes %llu, want 1\n",
	      (unsigned long long)tlb_stats(t).flushes);
	tlb_free(t);
}

static void
test_flush_leaves_no_ghosts(void)
{
	struct tlb *t = array(2, 0);

	acc(t, 1 * PAGE, 0);
	acc(t, 2 * PAGE, 0);
	tlb_flush(t);
	/* Each page misses once after the flush, then both fit. */
	CHECK(!acc(t, 2 * PAGE, 0) && !acc(t, 1 * PAGE, 0), "flushed pages hit\n");
	CHECK(acc(t, 2 * PAGE, 0) && acc(t, 1 * PAGE, 0), "refilled pages miss\n");
	CHECK(!acc(t, 3 * PAGE, 0) && !acc(t, 2 * PAGE, 0), "LRU wrong after a flush\n");
	tlb_free(t);
}

static void
test_bad_shapes(void)
{
	struct tlb_shape s[] = {
	    {0, 0, 1, TLB_ALL_SIZES, TLB_LRU, true},                   /* no entries */
	    {10, 4, 1, TLB_ALL_SIZES, TLB_LRU, true},                  /* ways do not divide */
	    {8, 16, 1, TLB_ALL_SIZES, TLB_LRU, true},                  /* more ways than entries */
	    {TLB_MAX_ENTRIES + 1, 1, 1, TLB_ALL_SIZES, TLB_LRU, true}, /* too large */
	    {32, 0, 3, TLB_ALL_SIZES, TLB_LRU, true},                  /* sectors not 2^n */
	    {32, 2, 4, TLB_ALL_SIZES, TLB_LRU, true},                  /* sectors > ways */
	    {32, 0, 1, 0, TLB_LRU, true},                              /* no page size */
	};
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		CHECK(tlb_new(&s[i]) == NULL, "bad shape %zu accepted\n", i);
		CHECK(tlb_shape_check(&s[i]) != NULL, "bad shape %zu passes the check\n", i);
	}
}

static void
test_superpage_covers(void)
{
	struct tlb *t = array(4, 0);
	struct tlb_xlate a = xls(0x80000000, 0, TLB_2M, false);
	struct tlb_xlate b = xls(0x80000000 + MIB + 0x123, 0, TLB_2M, false);
	struct tlb_xlate c = xls(0x80000000 + 2 * MIB, 0, TLB_2M, false);
	struct tlb_xlate g = xls(0x40000000, 0, TLB_1G, false);
	struct tlb_xlate g2 = xls(0x40000000 + 700 * MIB, 0, TLB_1G, false);
	struct tlb_xlate small = xl(0x80000000, 0);

	CHECK(!tlb_access(t, &a), "cold 2 MiB access hit\n");
	CHECK(tlb_access(t, &b), "an address 1 MiB into the 2 MiB page missed\n");
	CHECK(!tlb_access(t, &c), "the next 2 MiB page hit\n");
	CHECK(!tlb_access(t, &g) && tlb_access(t, &g2), "a 1 GiB entry does not cover its page\n");
	CHECK(!tlb_lookup(t, &small), "a 2 MiB entry answered a 4 KiB lookup\n");
	tlb_free(t);
}

static void
test_asid_hits(void)
{
	struct tlb *t = array(8, 0);
	struct tlb_xlate g = xls(0x5000, 1, TLB_4K, true), g7 = xls(0x5000, 7, TLB_4K, true);

	CHECK(!acc(t, 0x1000, 1), "cold access hit\n");
	CHECK(!look(t, 0x1000, 2), "an entry of ASID 1 served ASID 2\n");
	CHECK(look(t, 0x1000, 1), "the entry of ASID 1 is gone\n");
	CHECK(!tlb_access(t, &g) && tlb_lookup(t, &g7), "a global entry did not serve ASID 7\n");
	tlb_free(t);
}

static void
test_no_asid_tags(void)
{
	struct tlb_shape s = {8, 0, 1, TLB_ALL_SIZES, TLB_LRU, false};
	struct tlb *t = tlb_new(&s);

	acc(t, 0x1000, 1);
	CHECK(look(t, 0x1000, 2), "an array without ASID tags told ASIDs apart\n");
	tlb_free(t);
}

/* Fill: global G at 0x5000, ASID 1 and 2 at 0x1000, ASID 1 at 0x2000. */
static struct tlb *
mixed(void)
{
	struct tlb *t = array(16, 0);
	struct tlb_xlate g = xls(0x5000, 1, TLB_4K, true);

	tlb_access(t, &g);
	acc(t, 0x1000, 1);
	acc(t, 0x1000, 2);
	acc(t, 0x2000, 1);
	return t;
}

static void
test_fence_asid_keeps_global(void)
{
	struct tlb *t = mixed();

	tlb_fence(t, TLB_FENCE_ASID, 0, 1, false);
	CHECK(!look(t, 0x1000, 1) && !look(t, 0x2000, 1), "ASID 1 entries survived its fence\n");
	CHECK(look(t, 0x1000, 2), "ASID 2 lost an entry to a fence of ASID 1\n");
	CHECK(look(t, 0x5000, 1), "a global entry was dropped by an ASID fence\n");
	CHECK(tlb_stats(t).dropped == 2, "dropped %llu, want 2\n",
	      (unsigned long long)tlb_stats(t).dropped);
	tlb_free(t);
}

static void
test_fence_addr(void)
{
	struct tlb *t = mixed();

	tlb_fence(t, TLB_FENCE_ADDR, 0x1abc, 9, false);
	CHECK(!look(t, 0x1000, 1) && !look(t, 0x1000, 2),
	      "an address fence left an ASID's entry\n");
	CHECK(look(t, 0x2000, 1) && look(t, 0x5000, 3), "an address fence dropped other pages\n");
	tlb_fence(t, TLB_FENCE_ADDR, 0x5000, 0, false);
	CHECK(!look(t, 0x5000, 1), "an address fence with rs2 = x0 left a global entry\n");
	tlb_free(t);
}

static void
test_fence_addr_asid(void)
{
	struct tlb *t = mixed();

	tlb_fence(t, TLB_FENCE_ADDR_ASID, 0x1000, 1, false);
	CHECK(!look(t, 0x1000, 1), "the fenced entry survived\n");
	CHECK(look(t, 0x1000, 2) && look(t, 0x2000, 1), "other entries dropped\n");
	tlb_fence(t, TLB_FENCE_ADDR_ASID, 0x5000, 1, false);
	CHECK(look(t, 0x5000, 1), "an ASID-scoped address fence dropped a global entry\n");
	tlb_free(t);
}

static void
test_fence_any_asid(void)
{
	struct tlb *t = mixed();

	tlb_fence(t, TLB_FENCE_ASID, 0, 3, true);
	CHECK(!look(t, 0x1000, 2) && !look(t, 0x2000, 1), "any-ASID fence left non-global\n");
	CHECK(look(t, 0x5000, 1), "any-ASID ASID fence dropped the global entry\n");
	tlb_fence(t, TLB_FENCE_ADDR_ASID, 0x5000, 3, true);
	CHECK(!look(t, 0x5000, 1), "any-ASID address fence kept the global entry\n");
	tlb_free(t);
}

static void
test_fence_superpage(void)
{
	struct tlb *t = array(4, 0);
	struct tlb_xlate a = xls(0x80200000, 0, TLB_2M, false);

	tlb_access(t, &a);
	tlb_fence(t, TLB_FENCE_ADDR, 0x80200000 + MIB + 0x40, 0, false);
	CHECK(!tlb_lookup(t, &a), "a fence inside a 2 MiB page left its entry\n");
	tlb_access(t, &a);
	tlb_fence(t, TLB_FENCE_ADDR, 0x80200000 + 2 * MIB, 0, false);
	CHECK(tlb_lookup(t, &a), "a fence in the next 2 MiB page dropped the entry\n");
	tlb_free(t);
}

static void
test_sectors(void)
{
	/* Rocket's L1: 32 pages as 8 tags of 4 sectors, fully associative. */
	struct tlb_shape s = {32, 0, 4, TLB_SIZE_BIT(TLB_4K), TLB_LRU, false};
	struct tlb *t = tlb_new(&s);
	unsigned m = cycle(t, 0, 32, 1, 3);

	CHECK(m == 32, "32 aligned pages in 8 x 4 sectors: %u misses, want 32\n", m);
	tlb_flush(t);
	m = cycle(t, 1, 32, 1, 2); /* 9 groups of 4: one more than the tags */
	CHECK(m == 64, "32 unaligned pages in 8 x 4 sectors: %u misses, want 64\n", m);
	tlb_flush(t);
	cycle(t, 0, 4, 1, 1);
	tlb_fence(t, TLB_FENCE_ADDR, 2 * PAGE, 0, false);
	CHECK(!look(t, 2 * PAGE, 0), "the fenced sector survived\n");
	CHECK(look(t, 0, 0) && look(t, 3 * PAGE, 0), "a fence dropped the other sectors\n");
	tlb_free(t);
}

static void
test_sectors_per_asid(void)
{
	struct tlb_shape s = {8, 0, 4, TLB_SIZE_BIT(TLB_4K), TLB_LRU, true};
	struct tlb *t = tlb_new(&s);

	acc(t, 0, 1);
	acc(t, PAGE, 2); /* same tag, other ASID: a tag of its own */
	CHECK(look(t, 0, 1) && look(t, PAGE, 2), "sectors of two ASIDs clash\n");
	CHECK(!look(t, PAGE, 1), "a sector filled for ASID 2 served ASID 1\n");
	tlb_free(t);
}

/* A hierarchy from a preset, checked to build. */
static struct tlb_hier
hier(const char *preset)
{
	struct tlb_config c;
	struct tlb_hier h;

	memset(&h, 0, sizeof(h));
	CHECK(tlb_config_preset(&c, preset) == 0, "preset %s missing\n", preset);
	CHECK(tlb_hier_init(&h, &c) == 0, "preset %s does not build\n", preset);
	return h;
}

/* Counts of each outcome of a stream through h on side. */
struct tally {
	unsigned l1_hit, l2_hit, walk;
};

static void
tally_add(struct tally *t, enum tlb_outcome o)
{
	if (o == TLB_L1_HIT)
		t->l1_hit++;
	else if (o == TLB_L2_HIT)
		t->l2_hit++;
	else
		t->walk++;
}

/* n pages of size size from va, passes times, ASID 0. */
static struct tally
run(struct tlb_hier *h, enum tlb_side side, uint64_t va, unsigned size, unsigned n, unsigned passes)
{
	struct tally t = {0, 0, 0};

	for (unsigned p = 0; p < passes; p++) {
		for (unsigned i = 0; i < n; i++) {
			struct tlb_xlate x =
			    xls(va + ((uint64_t)i << tlb_page_shift(size)), 0, size, false);
			tally_add(&t, tlb_hier_access(h, side, &x));
		}
	}
	return t;
}

static void
test_l2_catches_capacity_misses(void)
{
	struct tlb_hier h = hier("rocket-l2"); /* 8 x 4 sectors L1, 1024 DM L2 */
	struct tally t = run(&h, TLB_DATA, 0x80000000, TLB_4K, 40, 2);

	CHECK(t.l1_hit == 0 && t.walk == 40 && t.l2_hit == 40,
	      "40 pages x2: %u L1 hits, %u L2 hits, %u walks; want 0, 40, 40\n", t.l1_hit, t.l2_hit,
	      t.walk);
	tlb_hier_destroy(&h);
}

static void
test_no_l2(void)
{
	struct tlb_hier h = hier("u54");
	struct tally t = run(&h, TLB_DATA, 0, TLB_4K, 40, 2);

	CHECK(h.l2.main == NULL, "u54 has an L2\n");
	CHECK(t.walk == 80 && t.l2_hit == 0, "u54 40 pages x2: %u walks, want 80\n", t.walk);
	tlb_hier_destroy(&h);
}

static void
test_c906_micro_tlb(void)
{
	struct tlb_hier h = hier("c906"); /* 10 FA L1, 128 2-way FIFO jTLB */
	struct tally t = run(&h, TLB_FETCH, 0, TLB_4K, 11, 3);

	CHECK(t.l1_hit == 0 && t.walk == 11 && t.l2_hit == 22,
	      "11 pages x3: %u L1 hits, %u L2 hits, %u walks; want 0, 22, 11\n", t.l1_hit, t.l2_hit,
	      t.walk);
	tlb_hier_destroy(&h);
}

static void
test_fetch_and_data_are_separate(void)
{
	struct tlb_hier h = hier("rocket-l2");
	struct tlb_xlate x = xl(7 * PAGE, 0);

	CHECK(tlb_hier_access(&h, TLB_FETCH, &x) == TLB_WALK, "cold fetch did not walk\n");
	CHECK(tlb_hier_access(&h, TLB_DATA, &x) == TLB_L2_HIT, "data access missed the L2\n");
	CHECK(tlb_hier_access(&h, TLB_FETCH, &x) == TLB_L1_HIT, "fetch missed the I-TLB\n");
	CHECK(tlb_hier_access(&h, TLB_DATA, &x) == TLB_L1_HIT, "data missed the D-TLB\n");
	tlb_hier_destroy(&h);
}

static void
test_hier_flush(void)
{
	struct tlb_hier h = hier("rocket-l2");

	run(&h, TLB_DATA, 0, TLB_4K, 8, 1);
	tlb_hier_flush(&h);
	struct tally t = run(&h, TLB_DATA, 0, TLB_4K, 8, 1);
	CHECK(t.walk == 8, "after a flush: %u walks, want 8 (L2 flushed too)\n", t.walk);
	tlb_hier_destroy(&h);
}

static void
test_rocket_superpages_apart(void)
{
	struct tlb_hier h = hier("rocket-l2");
	struct tally t;

	/* 28 small pages (7 sector tags) stay while 2 MiB pages come and go. */
	run(&h, TLB_DATA, 0x10000, TLB_4K, 28, 1);
	t = run(&h, TLB_DATA, 0x80000000, TLB_2M, 5, 2);
	CHECK(t.walk == 10 && t.l2_hit == 0,
	      "5 x 2 MiB x2 in 4 superpage entries: %u walks, %u L2 hits; want 10, 0 (the L2 "
	      "holds 4 KiB only)\n",
	      t.walk, t.l2_hit);
	t = run(&h, TLB_DATA, 0x80000000, TLB_2M, 4, 2);
	CHECK(t.walk == 4 && t.l1_hit == 4, "4 x 2 MiB x2: %u walks, want 4\n", t.walk);
	t = run(&h, TLB_DATA, 0x10000, TLB_4K, 28, 1);
	CHECK(t.l1_hit == 28, "superpages evicted small pages: %u of 28 hit\n", t.l1_hit);
	tlb_hier_destroy(&h);
}

static void
test_u54_superpages_shared(void)
{
	struct tlb_hier h = hier("u54");
	struct tally t = {0, 0, 0};

	for (unsigned p = 0; p < 2; p++) {
		struct tally a = run(&h, TLB_DATA, 0x10000, TLB_4K, 20, 1);
		struct tally b = run(&h, TLB_DATA, 0x80000000, TLB_2M, 20, 1);
		t.walk += a.walk + b.walk;
	}
	CHECK(t.walk == 80, "20 small + 20 huge pages in 32 shared entries: %u walks, want 80\n",
	      t.walk);
	tlb_hier_destroy(&h);
}

static void
test_c906_satp(void)
{
	struct tlb_hier h = hier("c906");
	struct tlb_xlate a1 = xl(0x1000, 1), a2 = xl(0x1000, 2);

	tlb_hier_access(&h, TLB_DATA, &a1);
	CHECK(tlb_hier_access(&h, TLB_DATA, &a1) == TLB_L1_HIT, "no micro-TLB hit\n");
	tlb_hier_satp(&h, true);
	CHECK(tlb_hier_access(&h, TLB_DATA, &a2) == TLB_WALK, "ASID 2 hit ASID 1's translation\n");
	tlb_hier_satp(&h, true);
	CHECK(tlb_hier_access(&h, TLB_DATA, &a1) == TLB_L2_HIT,
	      "after two satp writes ASID 1's jTLB entry is gone, or the micro-TLB kept it\n");
	tlb_hier_destroy(&h);
}

static void
test_no_asid_core_satp(void)
{
	struct tlb_hier h = hier("u54");
	struct tlb_xlate a = xl(0x1000, 1);

	tlb_hier_access(&h, TLB_DATA, &a);
	tlb_hier_satp(&h, false); /* a kernel that flushes for itself */
	CHECK(tlb_hier_access(&h, TLB_DATA, &a) == TLB_L1_HIT, "satp write emptied the u54\n");
	tlb_hier_satp(&h, true); /* a kernel that relies on ASIDs */
	CHECK(tlb_hier_access(&h, TLB_DATA, &a) == TLB_WALK,
	      "an ASID kernel's satp write left the u54's entries\n");
	tlb_hier_destroy(&h);
}

static void
test_set_asids(void)
{
	struct tlb_config c;
	struct tlb_hier h;
	struct tlb_xlate a1 = xl(0x1000, 1), a2 = xl(0x1000, 2);

	tlb_config_preset(&c, "u54");
	tlb_config_set_asids(&c, true);
	CHECK(c.asid_bits == TLB_ASID_BITS_DEFAULT, "asids=1 gave %u bits\n", c.asid_bits);
	CHECK(tlb_hier_init(&h, &c) == 0, "u54 with ASIDs does not build\n");
	tlb_hier_access(&h, TLB_DATA, &a1);
	tlb_hier_satp(&h, true);
	CHECK(tlb_hier_access(&h, TLB_DATA, &a2) == TLB_WALK, "ASID 2 hit ASID 1's entry\n");
	CHECK(tlb_hier_access(&h, TLB_DATA, &a1) == TLB_L1_HIT, "ASID 1's entry was dropped\n");
	tlb_hier_destroy(&h);
	tlb_config_preset(&c, "c906");
	tlb_config_set_asids(&c, false);
	CHECK(c.asid_bits == 0, "asids=0 left %u bits\n", c.asid_bits);
}

static void
test_presets(void)
{
	struct tlb_config c;

	CHECK(tlb_config_preset(&c, "u54") == 0 && c.l1[TLB_FETCH].main.entries == 32 &&
	          c.l1[TLB_DATA].main.entries == 32 && c.l2.main.entries == 0 &&
	          c.l1[TLB_DATA].super.entries == 0 && c.asid_bits == 0,
	      "u54 is not 32-entry shared I and D, no L2, no ASIDs\n");
	CHECK(tlb_config_preset(&c, "rocket") == 0 && c.l1[TLB_DATA].main.sectors == 4 &&
	          c.l1[TLB_DATA].super.entries == 4 && c.l2.main.entries == 0 && c.asid_bits == 0,
	      "rocket is not 8 x 4 sectors + 4 superpages, no L2, no ASIDs\n");
	CHECK(tlb_config_preset(&c, "rocket-l2") == 0 && c.l2.main.entries == 1024 &&
	          c.l2.main.ways == 1 && c.l2.main.sizes == TLB_SIZE_BIT(TLB_4K),
	      "rocket-l2 has no 1024-entry direct-mapped 4 KiB L2\n");
	CHECK(tlb_config_preset(&c, "c906") == 0 && c.l1[TLB_DATA].main.entries == 10 &&
	          c.l1[TLB_DATA].satp_flush && !c.l1[TLB_DATA].main.asid_tags &&
	          c.l2.main.entries == 128 && c.l2.main.ways == 2 && c.l2.main.asid_tags &&
	          !c.l2.satp_flush && c.l2.main.repl == TLB_FIFO && c.asid_bits == 16,
	      "c906 is not 10-entry micro-TLBs + 128 2-way FIFO jTLB with ASIDs\n");
	CHECK(tlb_config_preset(&c, "u54") == 0 && c.walk == TLB_WALK_DEFAULT &&
	          c.l2hit == TLB_L2HIT_DEFAULT && c.satp == TLB_SATP_DEFAULT &&
	          c.fence[TLB_FENCE_ALL] == TLB_FENCE_DEFAULT &&
	          c.fence[TLB_FENCE_ADDR_ASID] == TLB_FENCE_DEFAULT && c.ptc == 0,
	      "u54 costs are not the defaults\n");
	/* Svinval's costs: the defaults in every preset (no core publishes
	 * them); the inval fences charged as a plain fence. */
	const char *names[] = {"u54", "rocket", "rocket-l2", "c906", "c910", "u74"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		CHECK(tlb_config_preset(&c, names[i]) == 0 && c.sinval == TLB_SINVAL_DEFAULT &&
		          c.inval_fence == TLB_INVAL_FENCE_DEFAULT,
		      "%s: sinval %u, inval_fence %u, not the defaults\n", names[i], c.sinval,
		      c.inval_fence);
	CHECK(TLB_SINVAL_DEFAULT == 10 && TLB_INVAL_FENCE_DEFAULT == TLB_FENCE_DEFAULT,
	      "Svinval defaults are not 10 and the fence default\n");
	CHECK(tlb_config_preset(&c, "pentium") == -1, "unknown preset accepted\n");
}

static void
test_config_check(void)
{
	struct tlb_config c;
	const char *m;

	tlb_config_preset(&c, "u54");
	CHECK(tlb_config_check(&c) == NULL, "u54 rejected\n");
	c.l1[TLB_FETCH].main.ways = 5;
	m = tlb_config_check(&c);
	CHECK(m != NULL && strcmp(m, "iways must divide itlb") == 0, "iways 5: %s\n", m);
	c.l1[TLB_FETCH].main.ways = 4;
	c.l1[TLB_DATA].main.entries = 0;
	m = tlb_config_check(&c);
	CHECK(m != NULL && strncmp(m, "dtlb must be 1..", 16) == 0, "dtlb 0: %s\n", m);
	c.l1[TLB_DATA].main.entries = 12;
	c.l1[TLB_DATA].main.ways = 3;
	c.l2.main.ways = 7; /* ignored without an L2 */
	CHECK(tlb_config_check(&c) == NULL, "12-entry 3-way D-TLB rejected\n");
	c.l2.main = c.l1[TLB_DATA].main;
	c.l2.main.entries = 100;
	c.l2.main.ways = 7;
	m = tlb_config_check(&c);
	CHECK(m != NULL && strcmp(m, "l2ways must divide l2") == 0, "l2ways 7: %s\n", m);
	tlb_config_preset(&c, "rocket");
	c.l1[TLB_DATA].main.ways = 2; /* below its 4-page sectors */
	CHECK(tlb_config_check(&c) != NULL, "2 ways of 4-page sectors accepted\n");
}

static void
test_est_cycles(void)
{
	struct tlb_config c;
	struct tlb_work w = {.insns = 1000, .l2_hits = 4, .pte_reads = 15};

	tlb_config_preset(&c, "rocket-l2");
	c.walk = 7;
	c.l2hit = 4;
	c.satp = 0;
	memset(c.fence, 0, sizeof(c.fence));
	/* 1000 insns, 4 L2 hits, walks that read 15 PTEs in all. */
	uint64_t e = tlb_est_cycles(&c, &w);
	CHECK(e == 1000 + 4 * 4 + 15 * 7, "est %llu, want 1121\n", (unsigned long long)e);
	/* 3 of the 15 from the PTE cache at 1 cycle; 2 satp writes at 50;
	 * one fence of each form at 10, 20, 30, 40. */
	w.ptc_hits = 3;
	w.satp_writes = 2;
	c.ptc_hit = 1;
	c.satp = 50;
	for (int k = 0; k < TLB_NFENCE; k++) {
		w.fence[k] = 1;
		c.fence[k] = 10 * (k + 1);
	}
	e = tlb_est_cycles(&c, &w);
	CHECK(e == 1000 + 16 + 12 * 7 + 3 + 100 + 100, "est %llu, want 1303\n",
	      (unsigned long long)e);
	/* Svinval: 5 sinval.vma at 10, 2 inval fences at 50; none of them in
	 * the sfence.vma forms. */
	w.sinvals = 5;
	w.inval_fences = 2;
	c.sinval = 10;
	c.inval_fence = 50;
	e = tlb_est_cycles(&c, &w);
	CHECK(e == 1303 + 50 + 100, "est %llu, want 1453\n", (unsigned long long)e);
	c.sinval = 0;
	c.inval_fence = 0;
	e = tlb_est_cycles(&c, &w);
	CHECK(e == 1303, "est %llu at Svinval costs 0, want 1303\n", (unsigned long long)e);
}

/* Rocket's PTE cache: 8 entries, LRU over PTE addresses; a fence without
 * an address empties it, an address fence does not. */
static void
test_ptc(void)
{
	struct tlb_config c;
	struct tlb_hier h;
	uint64_t path[2] = {0x80001000, 0x80002000};
	uint64_t many[9];
	unsigned hits;

	tlb_config_preset(&c, "rocket");
	CHECK(c.ptc == 8 && tlb_hier_init(&h, &c) == 0, "rocket has no 8-entry PTE cache\n");
	hits = tlb_hier_ptc_walk(&h, path, 2);
	CHECK(hits == 0, "cold PTE cache: %u hits\n", hits);
	hits = tlb_hier_ptc_walk(&h, path, 2);
	CHECK(hits == 2, "warm PTE cache: %u hits, want 2\n", hits);
	tlb_hier_fence(&h, TLB_FENCE_ADDR, 0x1000, 0);
	hits = tlb_hier_ptc_walk(&h, path, 2);
	CHECK(hits == 2, "after an address fence: %u hits, want 2\n", hits);
	tlb_hier_fence(&h, TLB_FENCE_ASID, 0, 1);
	hits = tlb_hier_ptc_walk(&h, path, 2);
	CHECK(hits == 0, "after an ASID fence: %u hits, want 0\n", hits);
	for (int i = 0; i < 9; i++)
		many[i] = 0x80010000 + 8 * i;
	tlb_hier_ptc_walk(&h, many, 9); /* 9 more: path[0] and path[1] are evicted */
	hits = tlb_hier_ptc_walk(&h, many + 1, 8);
	CHECK(hits == 8, "the 8 most recent: %u hits, want 8\n", hits);
	hits = tlb_hier_ptc_walk(&h, path, 2);
	CHECK(hits == 0, "evicted entries: %u hits, want 0\n", hits);
	tlb_hier_destroy(&h);
	tlb_config_preset(&c, "u54");
	CHECK(c.ptc == 0 && tlb_hier_init(&h, &c) == 0, "u54 has a PTE cache\n");
	tlb_hier_ptc_walk(&h, path, 2);
	CHECK(tlb_hier_ptc_walk(&h, path, 2) == 0, "u54 without a PTE cache hit in it\n");
	tlb_hier_destroy(&h);
	c.ptc = TLB_MAX_PTC + 1;
	CHECK(tlb_config_check(&c) != NULL, "a %u-entry PTE cache accepted\n", c.ptc);
}

/* --- the checker ------------------------------------------------------ */

static enum tlbcheck_verdict
chk(struct tlbcheck *c, uint64_t va, uint32_t asid, uint64_t frame)
{
	struct tlb_xlate x = xl(va, asid);
	return tlbcheck_access(c, &x, frame, NULL);
}

static void
test_check_fill_hit(void)
{
	struct tlbcheck *c = tlbcheck_new();

	CHECK(chk(c, 0x1000, 1, 0x80001000) == TLBCHECK_FILL, "cold access not a fill\n");
	CHECK(chk(c, 0x1000, 1, 0x80001000) == TLBCHECK_HIT, "repeat not a hit\n");
	CHECK(chk(c, 0x1000, 2, 0x80009000) == TLBCHECK_FILL, "ASID 2 hit ASID 1's entry\n");
	tlbcheck_free(c);
}

static void
test_check_frame_change(void)
{
	struct tlbcheck *c = tlbcheck_new();
	struct tlbcheck_stale why;
	struct tlb_xlate x = xl(0x1000, 1);

	chk(c, 0x1000, 1, 0x80001000);
	CHECK(tlbcheck_access(c, &x, 0x80002000, &why) == TLBCHECK_STALE_FRAME,
	      "a changed frame was not caught\n");
	CHECK(why.cached_frame == 0x80001000 && why.entry_asid == 1, "stale report: %llx %u\n",
	      (unsigned long long)why.cached_frame, why.entry_asid);
	CHECK(chk(c, 0x1000, 1, 0x80002000) == TLBCHECK_HIT, "reported twice\n");
	CHECK(tlbcheck_stats(c).stale == 1, "stale count %llu\n",
	      (unsigned long long)tlbcheck_stats(c).stale);
	tlbcheck_free(c);
}

static void
test_check_mark(void)
{
	struct tlbcheck *c = tlbcheck_new();
	struct tlbcheck_stale why;
	struct tlb_xlate x = xl(0x3000, 1);

	chk(c, 0x3000, 1, 0x80003000);
	chk(c, 0x3000, 2, 0x80007000);
	CHECK(tlbcheck_mark(c, 0x3000, 1, 0x80000abc) == 1, "mark did not find one entry\n");
	CHECK(chk(c, 0x3000, 2, 0x80007000) == TLBCHECK_HIT, "ASID 2 caught in ASID 1's mark\n");
	CHECK(tlbcheck_access(c, &x, 0x80003000, &why) == TLBCHECK_STALE_MARKED,
	      "a marked entry hit without a report (same frame)\n");
	CHECK(why.mark_pc == 0x80000abc, "mark pc %llx\n", (unsigned long long)why.mark_pc);
	CHECK(chk(c, 0x3000, 1, 0x80003000) == TLBCHECK_HIT, "reported twice\n");
	tlbcheck_free(c);
}

static void
test_check_covering_fences(void)
{
	struct tlbcheck *c = tlbcheck_new();

	chk(c, 0x3000, 1, 0x80003000);
	tlbcheck_mark(c, 0x3000, 1, 0);
	tlbcheck_fence(c, TLB_FENCE_ADDR_ASID, 0x3000, 1);
	CHECK(chk(c, 0x3000, 1, 0x80004000) == TLBCHECK_FILL,
	      "address+ASID fence left the entry\n");
	tlbcheck_mark(c, 0x3000, 1, 0);
	tlbcheck_fence(c, TLB_FENCE_ASID, 0, 1);
	CHECK(chk(c, 0x3000, 1, 0x80005000) == TLBCHECK_FILL, "ASID fence left the entry\n");
	tlbcheck_mark(c, 0x3000, 1, 0);
	tlbcheck_fence(c, TLB_FENCE_ADDR, 0x3fff, 0);
	CHECK(chk(c, 0x3000, 1, 0x80006000) == TLBCHECK_FILL, "address fence left the entry\n");
	tlbcheck_mark(c, 0x3000, 1, 0);
	tlbcheck_fence(c, TLB_FENCE_ALL, 0, 0);
	CHECK(chk(c, 0x3000, 1, 0x80007000) == TLBCHECK_FILL, "full fence left the entry\n");
	tlbcheck_mark(c, 0x3000, 1, 0);
	tlbcheck_fence(c, TLB_FENCE_ADDR_ASID, 0x3000, 2); /* another ASID: no cover */
	tlbcheck_fence(c, TLB_FENCE_ADDR, 0x4000, 0);      /* another page: no cover */
	CHECK(chk(c, 0x3000, 1, 0x80007000) == TLBCHECK_STALE_MARKED,
	      "a fence that does not cover the entry cleared it\n");
	tlbcheck_free(c);
}

static void
test_check_global_survives_asid_fence(void)
{
	struct tlbcheck *c = tlbcheck_new();
	struct tlb_xlate g = xls(0x80200000, 1, TLB_2M, true), g2 = g;

	g2.asid = 5;
	tlbcheck_access(c, &g, 0x80200000, NULL);
	tlbcheck_fence(c, TLB_FENCE_ASID, 0, 1);
	CHECK(tlbcheck_access(c, &g2, 0x80200000, NULL) == TLBCHECK_HIT,
	      "a global entry did not survive an ASID fence, or did not serve ASID 5\n");
	CHECK(tlbcheck_access(c, &g2, 0x80400000, NULL) == TLBCHECK_STALE_FRAME,
	      "a moved global mapping kept after an ASID fence was not caught\n");
	tlbcheck_free(c);
}

static void
test_check_superpage(void)
{
	struct tlbcheck *c = tlbcheck_new();
	struct tlb_xlate a = xls(0x80200000, 0, TLB_2M, false);
	struct tlb_xlate inside = xls(0x80200000 + 0x1234, 0, TLB_2M, false);

	tlbcheck_access(c, &a, 0x80200000, NULL);
	CHECK(tlbcheck_access(c, &inside, 0x80200000, NULL) == TLBCHECK_HIT,
	      "the 2 MiB entry does not cover an address inside\n");
	tlbcheck_fence(c, TLB_FENCE_ADDR, 0x80200000 + MIB, 0);
	CHECK(tlbcheck_access(c, &a, 0x80200000, NULL) == TLBCHECK_FILL,
	      "a fence by an address inside the 2 MiB page left its entry\n");
	CHECK(tlbcheck_mark(c, 0x80200000 + 5 * PAGE, 0, 0) == 1,
	      "a mark inside the 2 MiB page missed its entry\n");
	tlbcheck_free(c);
}

static void
test_check_fetch_then_data(void)
{
	struct tlbcheck *c = tlbcheck_new();

	chk(c, 0x0, 3, TLBCHECK_NO_FRAME);
	CHECK(chk(c, 0x0, 3, 0x87000000) == TLBCHECK_HIT, "a frame learnt late is stale\n");
	CHECK(chk(c, 0x0, 3, 0x87001000) == TLBCHECK_STALE_FRAME, "frame change missed\n");
	tlbcheck_free(c);
}

static void
test_check_many(void)
{
	struct tlbcheck *c = tlbcheck_new();
	unsigned fills = 0;

	for (unsigned round = 0; round < 3; round++) {
		for (unsigned i = 0; i < 50000; i++)
			fills += chk(c, (uint64_t)i * PAGE, round,
			             0x80000000 + (uint64_t)i * PAGE) == TLBCHECK_FILL;
		tlbcheck_fence(c, TLB_FENCE_ALL, 0, 0);
	}
	CHECK(fills == 150000, "%u fills, want 150000\n", fills);
	CHECK(!tlbcheck_oom(c), "out of memory\n");
	for (unsigned i = 0; i < 50000; i++)
		chk(c, (uint64_t)i * PAGE, 9, 0x80000000);
	CHECK(tlbcheck_stats(c).live <= 100000, "%llu entries kept for 50000 live\n",
	      (unsigned long long)tlbcheck_stats(c).live);
	tlbcheck_free(c);
}

/* --- the announcement decoder ----------------------------------------- */

/* Decode kind/value by h into k; returns the protocol message or NULL. */
/* --- presets as their sources say ------------------------------------ */

/* C906: sfence.vma x0, asid empties both micro-TLBs whole, global and
 * other ASIDs' entries included (aq_mmu_utlb_entry.v); the jTLB drops
 * only that ASID's non-global entries. */
static void
test_c906_asid_fence_empties_utlbs(void)
{
	struct tlb_config c;
	struct tlb_hier h;
	struct tlb_xlate g = {0x80000000, 1, TLB_2M, true}, other = xl(0x5000, 2);

	tlb_config_preset(&c, "c906");
	CHECK(tlb_hier_init(&h, &c) == 0, "no c906\n");
	tlb_hier_access(&h, TLB_DATA, &g);
	tlb_hier_access(&h, TLB_DATA, &other);
	tlb_hier_fence(&h, TLB_FENCE_ASID, 0, 1);
	CHECK(tlb_hier_access(&h, TLB_DATA, &g) == TLB_L2_HIT,
	      "global entry kept in the uTLB, or dropped from the jTLB\n");
	CHECK(tlb_hier_access(&h, TLB_DATA, &other) == TLB_L2_HIT,
	      "another ASID's entry kept in the uTLB, or dropped from the jTLB\n");
	tlb_hier_destroy(&h);
}

/* C906 jTLB: a refill goes to the way the set's FIFO bit names, even
 * when a fence emptied the other way (aq_mmu_ptw.v). */
static void
test_c906_jtlb_fifo_keeps_order(void)
{
	struct tlb_config c;
	struct tlb *t;
	/* Three pages of one set (64 sets of 4 KiB pages: 64 pages apart). */
	struct tlb_xlate a = xl(0, 1), b = xl(64 * PAGE, 1), d = xl(128 * PAGE, 1);

	tlb_config_preset(&c, "c906");
	t = tlb_new(&c.l2.main);
	CHECK(t != NULL, "no jTLB\n");
	tlb_access(t, &a); /* way 0 */
	tlb_access(t, &b); /* way 1; FIFO now names way 0 (a) */
	tlb_fence(t, TLB_FENCE_ADDR_ASID, 64 * PAGE, 1, false); /* empties b's way */
	tlb_access(t, &d); /* refills a's way, not the empty one */
	CHECK(!tlb_lookup(t, &a), "refill took the emptied way, not the FIFO-named one\n");
	CHECK(tlb_lookup(t, &d), "refill lost\n");
	tlb_free(t);
	/* A plain FIFO array (fifo_keeps_order off) fills the emptied way. */
	c.l2.main.fifo_keeps_order = false;
	t = tlb_new(&c.l2.main);
	tlb_access(t, &a);
	tlb_access(t, &b);
	tlb_fence(t, TLB_FENCE_ADDR_ASID, 64 * PAGE, 1, false);
	tlb_access(t, &d);
	CHECK(tlb_lookup(t, &a), "plain FIFO evicted a live way with one empty\n");
	tlb_free(t);
}

static void
test_new_presets(void)
{
	struct tlb_config c;

	CHECK(tlb_config_preset(&c, "c906") == 0 && c.walk == 6 && c.l2hit == 3,
	      "c906 costs are not the manual's (3-cycle jTLB hit, 16+ cycle walk)\n");
	CHECK(tlb_config_preset(&c, "c910") == 0 && c.l1[TLB_FETCH].main.entries == 32 &&
	          c.l1[TLB_DATA].main.entries == 17 && c.l2.main.entries == 1024 &&
	          c.l2.main.ways == 4 && c.asid_bits == 16 && c.l2hit == 3,
	      "c910 is not 32 I / 17 D uTLBs + 1024 4-way jTLB, 16 ASID bits\n");
	CHECK(tlb_config_preset(&c, "u74") == 0 && c.l1[TLB_FETCH].main.entries == 40 &&
	          c.l1[TLB_DATA].main.entries == 40 && c.l1[TLB_DATA].main.ways == 0 &&
	          c.l2.main.entries == 0,
	      "u74 is not 40/40 fully associative\n");
	CHECK(tlb_config_check(&c) == NULL, "u74 does not build\n");
	tlb_config_preset(&c, "c910");
	CHECK(tlb_config_check(&c) == NULL, "c910 does not build\n");
}

/* --- the shadow and the Sv39 walker --------------------------------- */

#define RAM 0x80000000ULL
/* A PTE for physical address pa with flags. */
#define PTE(pa, flags) ((((pa) >> 12) << 10) | (flags))
#define V SV39_PTE_V
#define R SV39_PTE_R
#define W SV39_PTE_W
#define X SV39_PTE_X
#define U SV39_PTE_U
#define G SV39_PTE_G
#define VPN2(va) (((va) >> 30) & 0x1ff)
#define VPN1(va) (((va) >> 21) & 0x1ff)
#define VPN0(va) (((va) >> 12) & 0x1ff)

/* Store a PTE as the guest would (8 bytes, by the instruction at pc). */
static void
put(struct shadow *s, uint64_t table, unsigned idx, uint64_t pte, uint64_t pc)
{
	shadow_store(s, table + 8 * idx, 8, pte, pc);
}

static void
test_shadow_store_read(void)
{
	struct shadow s;

	CHECK(shadow_init(&s, RAM, 16 * MIB) == 0, "no shadow\n");
	CHECK(shadow_read64(&s, RAM + 64) == 0, "untouched memory not zero\n");
	shadow_store(&s, RAM + 64, 8, 0x1122334455667788ULL, 0x80001000);
	shadow_store(&s, RAM + 65, 1, 0xab, 0x80001004);
	CHECK(shadow_read64(&s, RAM + 64) == 0x112233445566ab88ULL, "bytes not merged: %llx\n",
	      (unsigned long long)shadow_read64(&s, RAM + 64));
	CHECK(shadow_store_pc(&s, RAM + 64) == 0x80001004, "last storing pc not kept\n");
	shadow_store(&s, RAM + 16 * MIB, 8, 1, 0); /* outside: ignored */
	CHECK(shadow_read64(&s, RAM + 16 * MIB) == 0, "outside the range read back\n");
	CHECK(shadow_read64(&s, RAM + 60) == 0, "misaligned word read\n");
	shadow_destroy(&s);
}

/* A table: root at RAM, level-1 table at RAM+4K, level-0 at RAM+8K;
 * maps 0x1000 (4 KiB, U RW), 0x200000 (2 MiB, RX, G), 1 GiB at 0x80000000
 * (RWX, G) and leaves the rest invalid. */
static void
build_table(struct shadow *s)
{
	put(s, RAM, VPN2(0x1000), PTE(RAM + 4 * KIB, V), 1);
	put(s, RAM + 4 * KIB, VPN1(0x1000), PTE(RAM + 8 * KIB, V), 2);
	put(s, RAM + 8 * KIB, VPN0(0x1000), PTE(RAM + 1 * MIB, V | R | W | U), 3);
	put(s, RAM + 4 * KIB, VPN1(0x200000), PTE(RAM + 2 * MIB, V | R | X | G), 4);
	put(s, RAM, VPN2(0x80000000), PTE(0x80000000, V | R | W | X | G), 5);
}

static void
test_walk_levels_and_sizes(void)
{
	struct shadow s;
	struct sv39_walk w;

	CHECK(shadow_init(&s, RAM, 16 * MIB) == 0, "no shadow\n");
	build_table(&s);
	CHECK(sv39_walk(&s, RAM, 0x1234, &w) && w.levels == 3 && w.size == TLB_4K && !w.global &&
	          w.frame == RAM + 1 * MIB && w.perms == (R | W | U) &&
	          w.pte_pa == RAM + 8 * KIB + 8 * VPN0(0x1000),
	      "4 KiB leaf: levels %u size %u frame %llx\n", w.levels, w.size,
	      (unsigned long long)w.frame);
	CHECK(sv39_walk(&s, RAM, 0x2fffff, &w) && w.levels == 2 && w.size == TLB_2M && w.global &&
	          w.frame == RAM + 2 * MIB && w.perms == (R | X),
	      "2 MiB leaf: levels %u size %u\n", w.levels, w.size);
	CHECK(sv39_walk(&s, RAM, 0x80123456, &w) && w.levels == 1 && w.size == TLB_1G && w.global,
	      "1 GiB leaf: levels %u size %u\n", w.levels, w.size);
	CHECK(!sv39_walk(&s, RAM, 0x2000, &w) && w.levels == 3, "invalid leaf: levels %u\n",
	      w.levels);
	CHECK(!sv39_walk(&s, RAM, 0x40000000, &w) && w.levels == 1 &&
	          shadow_store_pc(&s, w.pte_pa) == 0,
	      "invalid root entry: levels %u\n", w.levels);
	shadow_destroy(&s);
}

/* Whether two walks found the same (every field sv39_walk sets). */
static bool
same_walk(const struct sv39_walk *a, const struct sv39_walk *b)
{
	return a->valid == b->valid && a->levels == b->levels && a->size == b->size &&
	       a->global == b->global && a->perms == b->perms && a->frame == b->frame &&
	       a->pte_pa == b->pte_pa && memcmp(a->path, b->path, sizeof(a->path)) == 0;
}

/* sv39_walk_memo gives sv39_walk's result through random stores of every
 * size to the table pages (and to other memory), walks of random
 * addresses from two roots, and stores that straddle two pages. */
static void
test_walk_memo(void)
{
	enum { POOL = 8, STEPS = 200000 };
	struct shadow s;
	uint64_t seed = 12345;

	CHECK(shadow_init(&s, RAM, 16 * MIB) == 0, "no shadow\n");
	for (int i = 0; i < STEPS; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		uint64_t r = seed >> 16;
		uint64_t page = RAM + (r % POOL) * 4 * KIB; /* a table page */
		if (r % 32 == 0) {
			/* A PTE: to a table page, a leaf, or junk; any size. */
			unsigned len = 1u << (r >> 8 & 3);
			uint64_t target = RAM + (r >> 12 & (POOL - 1)) * 4 * KIB;
			uint64_t bits[] = {V, V | R | W | U, V | R | X | G, V | W, R, V | G};
			uint64_t pte = PTE(target, bits[(r >> 20) % 6]);
			uint64_t at = page + ((r >> 24 & 511) * 8 & ~(uint64_t)(len - 1));
			if (r >> 40 & 1)
				pte >>= 8 * (r >> 33 & 7); /* part of a PTE */
			if ((r >> 41 & 3) == 0)
				at = page + 4 * KIB - 4, len = 8; /* straddles two pages */
			if ((r >> 45 & 7) == 0)
				at = RAM + 1 * MIB + (r & 0xffff); /* not a table page */
			shadow_store(&s, at, len, pte, (uint64_t)i);
		}
		uint64_t root = RAM + (r >> 30 & 1) * 4 * KIB;
		uint64_t va = (r >> 5 & 1) << 30 | (r >> 6 & 1) << 21 | (r >> 7 & 3) << 12 | (r >> 9 & 0xfff);
		struct sv39_walk plain, memo;
		bool pv = sv39_walk(&s, root, va, &plain);
		bool mv = sv39_walk_memo(&s, root, va, &memo);
		CHECK(pv == mv && same_walk(&plain, &memo),
		      "step %d: memo walk of %llx from %llx differs (valid %d/%d, levels %u/%u)\n", i,
		      (unsigned long long)va, (unsigned long long)root, pv, mv, plain.levels,
		      memo.levels);
	}
	/* Remembered walks must be used, or this is no test of them. */
	CHECK(s.memo_hits > STEPS / 4, "walks remembered: %llu of %d\n",
	      (unsigned long long)s.memo_hits, STEPS);
	shadow_destroy(&s);

	/* A store that begins on a page no walk read and ends on one a
	 * remembered walk did: the root at 8 MiB maps its first GiB; the
	 * store's last 4 bytes clear that PTE's low half. */
	struct sv39_walk w;
	uint64_t root = RAM + 8 * MIB;
	CHECK(shadow_init(&s, RAM, 16 * MIB) == 0, "no shadow\n");
	put(&s, root, 0, PTE(0, V | R | W | X), 1);
	CHECK(sv39_walk_memo(&s, root, 0x1000, &w), "the gigapage did not translate\n");
	shadow_store(&s, root - 4, 8, 0, 2);
	CHECK(!sv39_walk_memo(&s, root, 0x1000, &w), "a straddling store left the walk remembered\n");
	shadow_destroy(&s);
}

static void
test_walk_rules(void)
{
	struct shadow s;
	struct sv39_walk w;

	CHECK(shadow_init(&s, RAM, 16 * MIB) == 0, "no shadow\n");
	build_table(&s);
	/* W without R is reserved: no translation. */
	put(&s, RAM + 8 * KIB, VPN0(0x1000), PTE(RAM + 1 * MIB, V | W), 6);
	CHECK(!sv39_walk(&s, RAM, 0x1000, &w), "W without R translated\n");
	CHECK(shadow_store_pc(&s, w.pte_pa) == 6, "the changing store's pc lost\n");
	/* A misaligned 2 MiB leaf is invalid. */
	put(&s, RAM + 4 * KIB, VPN1(0x200000), PTE(RAM + 2 * MIB + 4 * KIB, V | R), 7);
	CHECK(!sv39_walk(&s, RAM, 0x200000, &w), "misaligned superpage translated\n");
	/* G on a table PTE makes the leaves under it global. */
	put(&s, RAM, VPN2(0x1000), PTE(RAM + 4 * KIB, V | G), 8);
	put(&s, RAM + 8 * KIB, VPN0(0x1000), PTE(RAM + 1 * MIB, V | R), 9);
	CHECK(sv39_walk(&s, RAM, 0x1000, &w) && w.global, "G above the leaf ignored\n");
	/* A/D set by the hardware without a store do not matter, nor do they
	 * show: the leaf reads as stored. */
	CHECK(w.perms == R, "perms %x\n", w.perms);
	shadow_destroy(&s);
}

/* --- the checker judging by the table -------------------------------- */

static void
test_check_unmapped_and_perms(void)
{
	struct tlbcheck *c = tlbcheck_new();
	struct tlbcheck_stale why;
	struct tlb_xlate x = xl(0x5000, 3);

	CHECK(c != NULL, "no checker\n");
	CHECK(tlbcheck_access(c, &x, 0x90000000 | R | W | U, NULL) == TLBCHECK_FILL, "no fill\n");
	CHECK(tlbcheck_access(c, &x, 0x90000000 | R | U, &why) == TLBCHECK_STALE_FRAME &&
	          why.cached_frame == (0x90000000 | R | W | U),
	      "a permission change went unseen\n");
	CHECK(tlbcheck_access(c, &x, TLBCHECK_UNMAPPED, &why) == TLBCHECK_STALE_GONE,
	      "a hit on a page the table no longer maps went unseen\n");
	tlbcheck_fence(c, TLB_FENCE_ADDR_ASID, 0x5000, 3);
	CHECK(tlbcheck_access(c, &x, TLBCHECK_UNMAPPED, NULL) == TLBCHECK_FILL,
	      "fenced entry still judged\n");
	CHECK(tlbcheck_access(c, &x, TLBCHECK_UNMAPPED, NULL) == TLBCHECK_FILL,
	      "an unmapped page was cached\n");
	tlbcheck_free(c);
}

static void
test_check_size_change(void)
{
	struct tlbcheck *c = tlbcheck_new();
	struct tlb_xlate big = {0x200000, 1, TLB_2M, false};
	struct tlb_xlate small = xl(0x201000, 1);

	CHECK(c != NULL, "no checker\n");
	tlbcheck_access(c, &big, 0x80200000 | R, NULL);
	/* The table now maps 4 KiB pages there: the 2 MiB entry still serves
	 * 0x201000, with another frame than the table's. */
	CHECK(tlbcheck_access(c, &small, 0x90001000 | R, NULL) == TLBCHECK_STALE_FRAME,
	      "a superpage split without a fence went unseen\n");
	tlbcheck_free(c);
}


/* --- the strict mode (no Svvptc) ------------------------------------- */

/* A one-PTE path (a 4 KiB leaf at pte_pa) that became valid at t. */
static struct tlbstrict_path
leaf_path(uint64_t pte_pa, uint64_t t)
{
	struct tlbstrict_path p = {1, TLB_4K, {pte_pa}, {t}};
	return p;
}

static void
test_shadow_valid_at(void)
{
	struct shadow s;

	CHECK(shadow_init(&s, RAM, 16 * MIB) == 0 && shadow_track_valid(&s) == 0, "no shadow\n");
	s.now = 5;
	put(&s, RAM, 0, PTE(RAM + PAGE, V | R), 1);
	CHECK(shadow_valid_at(&s, RAM) == 5, "invalid to valid not stamped: %llu\n",
	      (unsigned long long)shadow_valid_at(&s, RAM));
	s.now = 6;
	put(&s, RAM, 0, PTE(RAM + 2 * PAGE, V | R | W), 2); /* valid to valid */
	CHECK(shadow_valid_at(&s, RAM) == 5, "a valid-to-valid store restamped\n");
	put(&s, RAM, 0, 0, 3);
	CHECK(shadow_valid_at(&s, RAM) == 5, "an invalidating store stamped\n");
	s.now = 7;
	shadow_store(&s, RAM, 1, V, 4); /* one byte makes it valid again */
	CHECK(shadow_valid_at(&s, RAM) == 7, "a byte store's validation not stamped\n");
	s.now = 8;
	put(&s, RAM, 1, PTE(RAM, V | W), 5); /* W without R: not valid */
	CHECK(shadow_valid_at(&s, RAM + 8) == 0, "a reserved PTE counted as valid\n");
	shadow_destroy(&s);
}

/* The model's core case: the hart runs a table, the PTE is made valid
 * (no fence), the hart uses it: reported once; a fence after the store
 * covers it. */
static void
test_strict_unfenced_mapping(void)
{
	struct tlbstrict *s = tlbstrict_new();
	struct tlbstrict_why why;
	struct tlbstrict_path p = leaf_path(RAM + 8, 3);

	CHECK(s != NULL, "no model\n");
	tlbstrict_satp(s, RAM, 1, true, 2);
	CHECK(tlbstrict_access(s, 0x1000, &p, &why) && why.valid_at == 3 && why.index == 0 &&
	          why.ran_since == 2,
	      "a PTE made valid while the table ran, used unfenced, not reported\n");
	CHECK(!tlbstrict_access(s, 0x1000, &p, &why), "reported twice\n");
	p.valid_at[0] = 5; /* made invalid and valid again, later */
	CHECK(tlbstrict_access(s, 0x1000, &p, &why), "the second validation not reported\n");
	tlbstrict_fence(s, TLB_FENCE_ADDR_ASID, 0x1000, 1, 6);
	p.valid_at[0] = 6; /* stored after the fence, same clock */
	CHECK(tlbstrict_access(s, 0x1000, &p, &why), "a store after the fence not reported\n");
	tlbstrict_fence(s, TLB_FENCE_ADDR, 0x1000, 0, 7);
	p.valid_at[0] = 6;
	p.pte_pa[0] = RAM + 16;
	CHECK(!tlbstrict_access(s, 0x1000, &p, &why), "an address fence after the store ignored\n");
	tlbstrict_free(s);
}

/* Stored before the hart ever ran the table (exec, fork): nothing to
 * report; ran, left, and a fence of the ASID while away: a fresh start. */
static void
test_strict_new_table(void)
{
	struct tlbstrict *s = tlbstrict_new();
	struct tlbstrict_why why;
	struct tlbstrict_path p = leaf_path(RAM + 8, 3);

	tlbstrict_satp(s, RAM, 1, true, 4);
	CHECK(!tlbstrict_access(s, 0x1000, &p, &why), "a table built before it ran reported\n");
	tlbstrict_satp(s, RAM + 64 * PAGE, 2, true, 5); /* away */
	p.valid_at[0] = 5;
	tlbstrict_satp(s, RAM, 1, true, 6); /* back, no fence */
	CHECK(tlbstrict_access(s, 0x1000, &p, &why) && why.ran_since == 4,
	      "a PTE made valid while away (walks kept under the ASID) not reported\n");
	tlbstrict_satp(s, RAM + 64 * PAGE, 2, true, 7);
	tlbstrict_fence(s, TLB_FENCE_ASID, 0, 1, 8); /* fences ASID 1 while away */
	p.valid_at[0] = 8;
	p.pte_pa[0] = RAM + 16;
	tlbstrict_satp(s, RAM, 1, true, 9);
	CHECK(!tlbstrict_access(s, 0x1000, &p, &why),
	      "an ASID fence while away did not clear the table's walks\n");
	tlbstrict_free(s);
}

/* An address fence orders leaf PTEs only: a table PTE made valid needs a
 * fence with rs1 = x0. A full fence covers both. Not translating (bare,
 * M-mode): nothing kept. */
static void
test_strict_table_pte_and_full_fence(void)
{
	struct tlbstrict *s = tlbstrict_new();
	struct tlbstrict_why why;
	struct tlbstrict_path p = {3, TLB_4K, {RAM, RAM + PAGE, RAM + 2 * PAGE}, {1, 3, 3}};

	tlbstrict_satp(s, RAM, 0, true, 2);
	tlbstrict_fence(s, TLB_FENCE_ADDR, 0x200000, 0, 4);
	CHECK(tlbstrict_access(s, 0x200000, &p, &why) && why.index == 1 &&
	          why.pte_pa == RAM + PAGE,
	      "a table PTE made valid, fenced by address only, not reported (index %u)\n",
	      why.index);
	p.valid_at[1] = 5;
	p.valid_at[2] = 5;
	p.pte_pa[1] = RAM + PAGE + 8;
	p.pte_pa[2] = RAM + 2 * PAGE + 8;
	tlbstrict_fence(s, TLB_FENCE_ALL, 0, 0, 6);
	CHECK(!tlbstrict_access(s, 0x201000, &p, &why), "a full fence did not cover\n");
	tlbstrict_satp(s, 0, 0, false, 7);
	p.valid_at[1] = p.valid_at[2] = 8;
	CHECK(!tlbstrict_access(s, 0x201000, &p, &why), "reported while not translating\n");
	tlbstrict_free(s);
}


static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
    {"fa_fits", test_fa_fits},
    {"fa_lru_overflow", test_fa_lru_overflow},
    {"lru_order", test_lru_order},
    {"fifo_order", test_fifo_order},
    {"direct_mapped_conflict", test_direct_mapped_conflict},
    {"set_assoc", test_set_assoc},
    {"non_power_of_two_sets", test_non_power_of_two_sets},
    {"flush", test_flush},
    {"flush_leaves_no_ghosts", test_flush_leaves_no_ghosts},
    {"bad_shapes", test_bad_shapes},
    {"superpage_covers", test_superpage_covers},
    {"asid_hits", test_asid_hits},
    {"no_asid_tags", test_no_asid_tags},
    {"fence_asid_keeps_global", test_fence_asid_keeps_global},
    {"fence_addr", test_fence_addr},
    {"fence_addr_asid", test_fence_addr_asid},
    {"fence_any_asid", test_fence_any_asid},
    {"fence_superpage", test_fence_superpage},
    {"sectors", test_sectors},
    {"sectors_per_asid", test_sectors_per_asid},
    {"l2_catches_capacity_misses", test_l2_catches_capacity_misses},
    {"no_l2", test_no_l2},
    {"c906_micro_tlb", test_c906_micro_tlb},
    {"fetch_and_data_are_separate", test_fetch_and_data_are_separate},
    {"hier_flush", test_hier_flush},
    {"rocket_superpages_apart", test_rocket_superpages_apart},
    {"u54_superpages_shared", test_u54_superpages_shared},
    {"c906_satp", test_c906_satp},
    {"no_asid_core_satp", test_no_asid_core_satp},
    {"set_asids", test_set_asids},
    {"presets", test_presets},
    {"config_check", test_config_check},
    {"est_cycles", test_est_cycles},
    {"ptc", test_ptc},
    {"check_fill_hit", test_check_fill_hit},
    {"check_frame_change", test_check_frame_change},
    {"check_mark", test_check_mark},
    {"check_covering_fences", test_check_covering_fences},
    {"check_global_survives_asid_fence", test_check_global_survives_asid_fence},
    {"check_superpage", test_check_superpage},
    {"check_fetch_then_data", test_check_fetch_then_data},
    {"check_many", test_check_many},
    {"c906_asid_fence_empties_utlbs", test_c906_asid_fence_empties_utlbs},
    {"c906_jtlb_fifo_keeps_order", test_c906_jtlb_fifo_keeps_order},
    {"new_presets", test_new_presets},
    {"shadow_store_read", test_shadow_store_read},
    {"walk_levels_and_sizes", test_walk_levels_and_sizes},
    {"walk_rules", test_walk_rules},
    {"walk_memo", test_walk_memo},
    {"check_unmapped_and_perms", test_check_unmapped_and_perms},
    {"check_size_change", test_check_size_change},
    {"shadow_valid_at", test_shadow_valid_at},
    {"strict_unfenced_mapping", test_strict_unfenced_mapping},
    {"strict_new_table", test_strict_new_table},
    {"strict_table_pte_and_full_fence", test_strict_table_pte_and_full_fence},
};

/* Run one test in a child; returns whether it passed. */
static int
run_test(const char *name, void (*fn)(void))
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("FAIL %s: fork failed\n", name);
		return 0;
	}
	if (pid == 0) {
		fn();
		if (failed)
			printf("FAIL %s: %s", name, reason);
		else
			printf("ok %s\n", name);
		fflush(stdout);
		_exit(failed ? 1 : 0);
	}
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		printf("FAIL %s: killed by signal %d\n", name, WTERMSIG(status));
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int
main(void)
{
	int passed = 0, nfailed = 0;

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (run_test(tests[i].name, tests[i].fn))
			passed++;
		else
			nfailed++;
	}
	printf("%d passed, %d failed\n", passed, nfailed);
	return nfailed == 0 ? 0 : 1;
}
