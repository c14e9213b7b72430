#ifndef PTBENCH_COUNTERS_H
#define PTBENCH_COUNTERS_H

#include "kstats.h"

/*
 * Kernel event counters. Updated with one atomic
 * add each, so they are exact on any number of harts.
 */
extern struct kstats kcounters;

#define COUNT(field, n) __atomic_fetch_add(&kcounters.field, (unsigned long)(n), __ATOMIC_RELAXED)
#define UNCOUNT(field, n) __atomic_fetch_sub(&kcounters.field, (unsigned long)(n), __ATOMIC_RELAXED)

/* Fill *out with the counters and the current state. */
void counters_snapshot(struct kstats *out);

#endif
