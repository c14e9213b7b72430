/*
 * test_tlbmodel: host unit tests of tlbmodel.c, driven by synthetic page
 * streams whose miss counts are known by construction.
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

#include "tlbmodel.h"

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

/* Access pages first..first+n-1 (each times stride), passes times over,
 * through t; returns the misses. */
static unsigned
cycle(struct tlb *t, unsigned first, unsigned n, unsigned stride, unsigned passes)
{
	unsigned misses = 0;

	for (unsigned p = 0; p < passes; p++)
		for (unsigned i = 0; i < n; i++)
			misses += !tlb_access(t, (first + i) * (uint64_t)stride);
	return misses;
}

static void
test_fa_fits(void)
{
	struct tlb *t = tlb_new(32, 0);
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
	struct tlb *t = tlb_new(32, 32);
	unsigned m = cycle(t, 0, 33, 1, 10);

	CHECK(m == 330, "33 pages cycled in 32-entry LRU: %u misses, want all 330\n", m);
	tlb_free(t);
}

static void
test_lru_order(void)
{
	struct tlb *t = tlb_new(2, 0); /* one set of two ways */

	CHECK(!tlb_access(t, 1) && !tlb_access(t, 2), "cold accesses hit\n");
	CHECK(tlb_access(t, 1), "1 should still be present\n");
	CHECK(!tlb_access(t, 3), "3 should miss\n"); /* evicts 2, the LRU */
	CHECK(tlb_access(t, 1), "1 was recently used, should survive\n");
	CHECK(!tlb_access(t, 2), "2 was least recently used, should be gone\n");
	/* A lookup miss changes nothing; a hit makes the page MRU. */
	CHECK(!tlb_lookup(t, 9), "9 never inserted\n");
	CHECK(tlb_lookup(t, 1) && tlb_lookup(t, 2), "1 and 2 should be present\n");
	tlb_free(t);
}

static void
test_direct_mapped_conflict(void)
{
	struct tlb *t = tlb_new(8, 1);
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
	struct tlb *t = tlb_new(8, 2); /* 4 sets of 2 */
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
	struct tlb *t = tlb_new(12, 4); /* 3 sets of 4: set = page % 3 */
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
	struct tlb *t = tlb_new(32, 0);
	unsigned m;

	cycle(t, 0, 16, 1, 1);
	tlb_flush(t);
	CHECK(!tlb_access(t, 15), "the last page before a flush hit after it\n");
	m = cycle(t, 0, 16, 1, 2);
	CHECK(m == 15, "refill after flush: %u misses, want 15\n", m);
	CHECK(tlb_stats(t).flushes == 1, "flushes %llu, want 1\n",
	      (unsigned long long)tlb_stats(t).flushes);
	tlb_free(t);
}

static void
test_flush_leaves_no_ghosts(void)
{
	struct tlb *t = tlb_new(2, 0);

	tlb_access(t, 1);
	tlb_access(t, 2);
	tlb_flush(t);
	/* Each page misses once after the flush, then both fit. */
	CHECK(!tlb_access(t, 2) && !tlb_access(t, 1), "flushed pages hit\n");
	CHECK(tlb_access(t, 2) && tlb_access(t, 1), "refilled pages miss\n");
	CHECK(!tlb_access(t, 3) && !tlb_access(t, 2), "LRU wrong after a flush\n");
	tlb_free(t);
}

static void
test_bad_shapes(void)
{
	CHECK(tlb_new(0, 0) == NULL, "0 entries accepted\n");
	CHECK(tlb_new(10, 4) == NULL, "4 ways of 10 entries accepted\n");
	CHECK(tlb_new(8, 16) == NULL, "more ways than entries accepted\n");
	CHECK(tlb_new(TLB_MAX_ENTRIES + 1, 1) == NULL, "oversized TLB accepted\n");
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

/* Counts of each outcome of a page stream through h on side. */
struct tally {
	unsigned l1_hit, l2_hit, walk;
};

static struct tally
run(struct tlb_hier *h, enum tlb_side side, unsigned first, unsigned n, unsigned passes)
{
	struct tally t = {0, 0, 0};

	for (unsigned p = 0; p < passes; p++) {
		for (unsigned i = 0; i < n; i++) {
			switch (tlb_hier_access(h, side, first + i)) {
			case TLB_L1_HIT:
				t.l1_hit++;
				break;
			case TLB_L2_HIT:
				t.l2_hit++;
				break;
			case TLB_WALK:
				t.walk++;
				break;
			}
		}
	}
	return t;
}

static void
test_l2_catches_capacity_misses(void)
{
	struct tlb_hier h = hier("rocket"); /* 32 FA L1, 512 DM L2 */
	struct tally t = run(&h, TLB_DATA, 0x80000, 40, 2);

	CHECK(t.l1_hit == 0 && t.walk == 40 && t.l2_hit == 40,
	      "40 pages x2: %u L1 hits, %u L2 hits, %u walks; want 0, 40, 40\n", t.l1_hit, t.l2_hit,
	      t.walk);
	tlb_hier_destroy(&h);
}

static void
test_no_l2(void)
{
	struct tlb_hier h = hier("u54");
	struct tally t = run(&h, TLB_DATA, 0, 40, 2);

	CHECK(h.l2 == NULL, "u54 has an L2\n");
	CHECK(t.walk == 80 && t.l2_hit == 0, "u54 40 pages x2: %u walks, want 80\n", t.walk);
	tlb_hier_destroy(&h);
}

static void
test_c906_micro_tlb(void)
{
	struct tlb_hier h = hier("c906"); /* 10 FA L1, 512 4-way L2 */
	struct tally t = run(&h, TLB_FETCH, 0, 11, 3);

	CHECK(t.l1_hit == 0 && t.walk == 11 && t.l2_hit == 22,
	      "11 pages x3: %u L1 hits, %u L2 hits, %u walks; want 0, 22, 11\n", t.l1_hit, t.l2_hit,
	      t.walk);
	tlb_hier_destroy(&h);
}

static void
test_fetch_and_data_are_separate(void)
{
	struct tlb_hier h = hier("rocket");

	CHECK(tlb_hier_access(&h, TLB_FETCH, 7) == TLB_WALK, "cold fetch did not walk\n");
	CHECK(tlb_hier_access(&h, TLB_DATA, 7) == TLB_L2_HIT, "data access missed the L2\n");
	CHECK(tlb_hier_access(&h, TLB_FETCH, 7) == TLB_L1_HIT, "fetch missed the I-TLB\n");
	CHECK(tlb_hier_access(&h, TLB_DATA, 7) == TLB_L1_HIT, "data missed the D-TLB\n");
	tlb_hier_destroy(&h);
}

static void
test_hier_flush(void)
{
	struct tlb_hier h = hier("rocket");

	run(&h, TLB_DATA, 0, 8, 1);
	tlb_hier_flush(&h);
	struct tally t = run(&h, TLB_DATA, 0, 8, 1);
	CHECK(t.walk == 8, "after a flush: %u walks, want 8 (L2 flushed too)\n", t.walk);
	tlb_hier_destroy(&h);
}

static void
test_presets(void)
{
	struct tlb_config c;

	CHECK(tlb_config_preset(&c, "u54") == 0 && c.itlb == 32 && c.dtlb == 32 && c.l2 == 0 &&
	          tlb_config_ways(c.itlb, c.iways) == 32,
	      "u54 is not 32-entry FA I and D without L2\n");
	CHECK(tlb_config_preset(&c, "rocket") == 0 && c.itlb == 32 && c.dtlb == 32 && c.l2 == 512 &&
	          c.l2ways == 1,
	      "rocket is not 32 FA + 512 direct-mapped L2\n");
	CHECK(tlb_config_preset(&c, "c906") == 0 && c.itlb == 10 && c.dtlb == 10 &&
	          tlb_config_ways(c.dtlb, c.dways) == 10 && c.l2 == 512 && c.l2ways == 4,
	      "c906 is not 10 FA + 512 4-way L2\n");
	CHECK(c.walk == 20 && c.l2hit == 4, "default costs are not walk 20, l2hit 4\n");
	CHECK(tlb_config_preset(&c, "pentium") == -1, "unknown preset accepted\n");
}

static void
test_config_check(void)
{
	struct tlb_config c;

	tlb_config_preset(&c, "u54");
	CHECK(tlb_config_check(&c) == NULL, "u54 rejected\n");
	c.iways = 5;
	CHECK(tlb_config_check(&c) != NULL, "iways 5 of 32 accepted\n");
	c.iways = 4;
	c.dtlb = 0;
	CHECK(tlb_config_check(&c) != NULL, "dtlb 0 accepted\n");
	c.dtlb = 12;
	c.dways = 3;
	c.l2ways = 7; /* ignored without an L2 */
	CHECK(tlb_config_check(&c) == NULL, "12-entry 3-way D-TLB rejected\n");
	c.l2 = 100;
	CHECK(tlb_config_check(&c) != NULL, "l2ways 7 of 100 accepted\n");
}

static void
test_est_cycles(void)
{
	struct tlb_config c;

	tlb_config_preset(&c, "rocket");
	/* 1000 insns, 10 L1 misses of which 4 hit the L2: 6 walks. */
	uint64_t e = tlb_est_cycles(&c, 1000, 10, 4);
	CHECK(e == 1000 + 4 * 4 + 6 * 20, "est %llu, want 1136\n", (unsigned long long)e);
	c.walk = 100;
	c.l2hit = 0;
	e = tlb_est_cycles(&c, 5, 3, 0);
	CHECK(e == 305, "est %llu, want 305\n", (unsigned long long)e);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
    {"fa_fits", test_fa_fits},
    {"fa_lru_overflow", test_fa_lru_overflow},
    {"lru_order", test_lru_order},
    {"direct_mapped_conflict", test_direct_mapped_conflict},
    {"set_assoc", test_set_assoc},
    {"non_power_of_two_sets", test_non_power_of_two_sets},
    {"flush", test_flush},
    {"flush_leaves_no_ghosts", test_flush_leaves_no_ghosts},
    {"bad_shapes", test_bad_shapes},
    {"l2_catches_capacity_misses", test_l2_catches_capacity_misses},
    {"no_l2", test_no_l2},
    {"c906_micro_tlb", test_c906_micro_tlb},
    {"fetch_and_data_are_separate", test_fetch_and_data_are_separate},
    {"hier_flush", test_hier_flush},
    {"presets", test_presets},
    {"config_check", test_config_check},
    {"est_cycles", test_est_cycles},
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
