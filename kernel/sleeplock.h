#ifndef PTBENCH_SLEEPLOCK_H
#define PTBENCH_SLEEPLOCK_H

#include "spinlock.h"

/* A lock held across sleeps (long operations such as file writes). */
struct sleeplock {
	uint locked;
	struct spinlock lk;
	int pid; /* holder */
};

void sleeplock_init(struct sleeplock *l, const char *name);
void sleeplock_acquire(struct sleeplock *l);
void sleeplock_release(struct sleeplock *l);
int sleeplock_holding(struct sleeplock *l);

#endif
