/* Locks that may be held across sleep(): the waiter gives up the hart. */
#include "kernel/sleeplock.h"
#include "kernel/proc.h"

void
sleeplock_init(struct sleeplock *l, const char *name)
{
	spin_init(&l->lk, name);
	l->locked = 0;
	l->pid = 0;
}

/* Wait (sleeping) until l is free, then take it. May sleep. */
void
sleeplock_acquire(struct sleeplock *l)
{
	acquire(&l->lk);
	while (l->locked)
		sleep(l, &l->lk);
	l->locked = 1;
	l->pid = myproc() ? myproc()->pid : 0;
	release(&l->lk);
}

void
sleeplock_release(struct sleeplock *l)
{
	acquire(&l->lk);
	l->locked = 0;
	l->pid = 0;
	wakeup(l);
	release(&l->lk);
}

int
sleeplock_holding(struct sleeplock *l)
{
	acquire(&l->lk);
	int r = l->locked && l->pid == (myproc() ? myproc()->pid : 0);
	release(&l->lk);
	return r;
}
