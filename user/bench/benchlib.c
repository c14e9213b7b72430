/* Measurement library for the benchmarks (see bench.h). */
#include "kernel/kstats.h"
#include "user/bench/bench.h"
#include "user/user.h"

#define NCOUNTERS (sizeof(struct kstats) / sizeof(unsigned long))

int bench_quick;
static int region; /* markers executed so far, in order: the join key */

struct meas {
	int region; /* which marker region (1, 2, ... in execution order) */
	uint64 cycles;
	uint64 instret;
	long k[NCOUNTERS];
};

int
bench_iters(int full)
{
	int n = bench_quick ? full / 20 : full;
	return n < 1 ? 1 : n;
}

int
bench_samples(void)
{
	return bench_quick ? 2 : 5;
}

void
bench_progress(const char *name)
{
	printf("@progress %s\n", name);
}

static int
empty_op(void *arg)
{
	(void)arg;
	return 0;
}

/* The sample's counters: kstats, then cycle and instret right next to
 * the region markers, so that the TLB model's region and instret cover
 * the same instructions (up to a constant the empty sample removes). */
#define MEASURE(MARK)                                                                              \
	do {                                                                                       \
		if (kstats(&k0) < 0)                                                               \
			return -1;                                                                 \
		c0 = rdcycle();                                                                    \
		i0 = rdinstret();                                                                  \
		MARK();                                                                            \
		for (int i = 0; i < iters && r == 0; i++)                                          \
			r = op(arg);                                                               \
		BENCH_MARK_END();                                                                  \
		i1 = rdinstret();                                                                  \
		c1 = rdcycle();                                                                    \
		if (kstats(&k1) < 0)                                                               \
			return -1;                                                                 \
	} while (0)

/* Measure iters runs of op into *m; empty selects the overhead marker.
 * Returns op's failure (-1) or 0. */
static int
measure(int (*op)(void *), void *arg, int iters, int empty, struct meas *m)
{
	struct kstats k0, k1;
	uint64 c0, c1, i0, i1;
	int r = 0;
	if (empty)
		MEASURE(BENCH_MARK_EMPTY);
	else
		MEASURE(BENCH_MARK_SAMPLE);
	m->region = ++region;
	m->cycles = c1 - c0;
	m->instret = i1 - i0;
	unsigned long *a = (unsigned long *)&k0, *b = (unsigned long *)&k1;
	for (int i = 0; i < NCOUNTERS; i++)
		m->k[i] = (long)(b[i] - a[i]);
	return r;
}

static void
print_sample(const struct bench *b, int sample, const struct meas *m, const struct meas *o)
{
	int idle_i = __builtin_offsetof(struct kstats, idle_entries) / sizeof(unsigned long);
	long idled = m->k[idle_i] - o->k[idle_i] > 0;
	printf("@B,%d,%d,%s,%ld,%s,%d,%d,%ld,%ld,%ld", m->region, o->region, b->name, b->param,
	       b->unit, sample, b->iters, (long)(m->cycles - o->cycles),
	       (long)(m->instret - o->instret), idled);
	for (int i = 0; i < NCOUNTERS; i++)
		printf(",%ld", m->k[i] - o->k[i]);
	printf("\n");
}

int
bench_run(const struct bench *b)
{
	struct meas m, o;
	/* Warm-up: caches of the kernel's own state (free lists, inodes). */
	if (measure(b->op, b->arg, b->iters, 0, &m) < 0)
		goto fail;
	if (b->after)
		b->after(b->arg);
	if (measure(empty_op, 0, b->iters, 1, &o) < 0)
		goto fail;
	for (int s = 1; s <= b->samples; s++) {
		int r = measure(b->op, b->arg, b->iters, 0, &m);
		if (b->after)
			b->after(b->arg);
		if (r < 0)
			goto fail;
		print_sample(b, s, &m, &o);
	}
	return 0;
fail:
	fprintf(2, "@error %s param %ld: operation failed\n", b->name, b->param);
	return -1;
}
