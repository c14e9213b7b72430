#ifndef PTBENCH_SPINLOCK_H
#define PTBENCH_SPINLOCK_H

#include "types.h"

/* A mutual-exclusion lock that spins; holding one keeps interrupts off. */
struct spinlock {
	uint locked;
	const char *name;
	struct cpu *cpu; /* holder, for holding() checks */
};

void spin_init(struct spinlock *lk, const char *name);
void acquire(struct spinlock *lk);
void release(struct spinlock *lk);
int holding(struct spinlock *lk);
/* push_off/pop_off nest: interrupts come back on at the outermost pop
 * only if they were on at the outermost push. */
void push_off(void);
void pop_off(void);

#endif
