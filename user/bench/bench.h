#ifndef PTBENCH_BENCH_H
#define PTBENCH_BENCH_H

/*
 * The benchmarks' measurement library (benchlib.c).
 *
 * A benchmark is an operation run `iters` times per sample. Around each
 * sample the library reads the kernel counters (kstats), then cycle and
 * instret, and marks the region for the TLB model with
 * `addi x0, x0, ID` (BENCH_MARK_*): the plugin sees the same region the
 * counters do. Every sample prints one line:
 *
 *   @B,region,oregion,bench,param,unit,sample,iters,cycles,instret,idled,<kstats deltas>
 *
 * region is the sample's marker region (counted from 1 in execution
 * order, warm-ups included), oregion the empty sample's. The measurement
 * overhead (that empty sample, of the same iters) is
 * already subtracted from cycles, instret and the counter deltas. The
 * kstats deltas are totals for the sample, in struct kstats order, so the
 * host divides by iters.
 */

#include "kernel/kstats.h"
#include "kernel/types.h"

/* Region markers for tools/tlbsim: 4-byte NOPs the plugin decodes. */
#define BENCH_MARK_SAMPLE() asm volatile(".insn i 0x13, 0, x0, x0, 1" ::: "memory")
#define BENCH_MARK_EMPTY() asm volatile(".insn i 0x13, 0, x0, x0, 2" ::: "memory")
#define BENCH_MARK_END() asm volatile(".insn i 0x13, 0, x0, x0, -1" ::: "memory")

/* One benchmark point. */
struct bench {
	const char *name; /* e.g. "write_null" */
	long param;       /* swept parameter, e.g. bytes */
	const char *unit; /* its unit: "bytes", "pages", "KiB", "none" */
	int iters;        /* operations per sample */
	int samples;      /* recorded samples (after one warm-up sample) */
	/* The operation; returns 0, or -1 to abort the point (reported). */
	int (*op)(void *arg);
	void *arg;
	/* Optional: run after each measured sample, outside the region. */
	void (*after)(void *arg);
};

/* Scale of this run: 1 normally, 0 with -q (QUICK=1): fewer iterations. */
extern int bench_quick;

/* Run a point: warm-up, overhead, samples; prints its @B lines. 0 or -1. */
int bench_run(const struct bench *b);
/* Iteration count scaled for quick runs (at least 1). */
int bench_iters(int full);
/* Samples for this run. */
int bench_samples(void);
/* Announce the start of a benchmark family (progress, on the console). */
void bench_progress(const char *name);

#endif
