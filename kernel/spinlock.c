/* Spinning mutual exclusion. */
#include "kernel/spinlock.h"
#include "kernel/printf.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"

void
spin_init(struct spinlock *lk, const char *name)
{
	lk->locked = 0;
	lk->name = name;
	lk->cpu = 0;
}

/* Spin until lk is ours. Interrupts stay off until the matching release,
 * so an interrupt handler on this hart cannot deadlock on lk. */
void
acquire(struct spinlock *lk)
{
	push_off();
	if (holding(lk))
		panic("acquire: %s already held", lk->name);
	while (__sync_lock_test_and_set(&lk->locked, 1) != 0)
		;
	/* Acquire ordering: the critical section stays after this point. */
	__sync_synchronize();
	lk->cpu = mycpu();
}

void
release(struct spinlock *lk)
{
	if (!holding(lk))
		panic("release: %s not held", lk->name);
	lk->cpu = 0;
	__sync_synchronize();
	__sync_lock_release(&lk->locked);
	pop_off();
}

/* Whether this hart holds lk. Interrupts must be off. */
int
holding(struct spinlock *lk)
{
	return lk->locked && lk->cpu == mycpu();
}

void
push_off(void)
{
	int old = intr_get();
	intr_off();
	struct cpu *c = mycpu();
	if (c->noff == 0)
		c->intena = old;
	c->noff++;
}

void
pop_off(void)
{
	struct cpu *c = mycpu();
	if (intr_get())
		panic("pop_off: interrupts on");
	if (c->noff < 1)
		panic("pop_off: unbalanced");
	c->noff--;
	if (c->noff == 0 && c->intena)
		intr_on();
}
