/*
 * Pipes. Each pipe is a slot in a fixed table (a pipe needs two open
 * files, so NFILE/2 slots suffice) plus one kalloc'd page of ring buffer.
 *
 * nread and nwrite count bytes since the pipe was made; they wrap at
 * 2^32, and as PIPESIZE divides 2^32 the ring index is simply n %
 * PIPESIZE and the fill nwrite - nread. A transfer moves as much as it
 * can per pass with at most two copies (the ring may wrap once), and
 * wakes the other side once per pass, and only when it is asleep: the
 * rwait/wwait counts say so, which spares a wakeup() scan of the process
 * table on every call of a streaming pipe. No byte is handled one at a
 * time.
 *
 * Locking: pi->lock (spinlock) guards every field of a pipe in use.
 * copyin/copyout run under it: they never sleep. ptable.lock guards
 * claiming and releasing slots (buf != 0 means in use).
 */
#include "kernel/pipe.h"
#include "kernel/kalloc.h"
#include "kernel/kpt/kpt.h"
#include "kernel/param.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/vm.h"

_Static_assert(PIPESIZE <= PGSIZE, "the ring is one page");
_Static_assert((PIPESIZE & (PIPESIZE - 1)) == 0, "PIPESIZE divides 2^32");

#define NPIPE (NFILE / 2)

struct pipe {
	struct spinlock lock;
	char *buf;     /* the ring; 0 when the slot is free (ptable.lock) */
	uint nread;    /* bytes read so far */
	uint nwrite;   /* bytes written so far */
	int readopen;  /* read end still open */
	int writeopen; /* write end still open */
	int rwait;     /* readers asleep on &nread */
	int wwait;     /* writers asleep on &nwrite */
};

static struct {
	struct spinlock lock;
	struct pipe pipe[NPIPE];
} ptable = {.lock = {.name = "ptable"}};

static inline uint
min_uint(uint a, uint b)
{
	return a < b ? a : b;
}

/* wakeup(chan) when sleepers says someone sleeps on it: a wakeup()
 * scans the whole process table. Holds pi->lock. */
static inline void
pipe_wake(int sleepers, void *chan)
{
	if (sleepers)
		wakeup(chan);
}

struct pipe *
pipe_alloc(void)
{
	char *buf = kalloc();
	if (!buf)
		return 0;
	acquire(&ptable.lock);
	for (struct pipe *pi = ptable.pipe; pi < ptable.pipe + NPIPE; pi++) {
		if (pi->buf)
			continue;
		spin_init(&pi->lock, "pipe");
		pi->buf = buf;
		pi->nread = pi->nwrite = 0;
		pi->readopen = pi->writeopen = 1;
		pi->rwait = pi->wwait = 0;
		release(&ptable.lock);
		return pi;
	}
	release(&ptable.lock);
	kfree(buf);
	return 0;
}

void
pipe_close(struct pipe *pi, int writable)
{
	acquire(&pi->lock);
	if (writable) {
		pi->writeopen = 0;
		pipe_wake(pi->rwait, &pi->nread);
	} else {
		pi->readopen = 0;
		pipe_wake(pi->wwait, &pi->nwrite);
	}
	int last = !pi->readopen && !pi->writeopen;
	release(&pi->lock);
	if (!last)
		return;
	/* Both ends closed: nobody else can reach pi now. */
	kfree(pi->buf);
	acquire(&ptable.lock);
	pi->buf = 0;
	release(&ptable.lock);
}

/*
 * The writer holds pi->lock for the whole call except while asleep, so a
 * reader cannot see the bytes any earlier than when the writer sleeps or
 * returns: that is when it is woken, once per pass. Each step copies one
 * contiguous piece of the ring (a pass over its end takes two). A killed
 * process is caught only when it would wait: a write the pipe can take at
 * once completes.
 */
int
pipe_write(struct pipe *pi, uint64 src, int n)
{
	struct proc *p = myproc();
	int done = 0;

	acquire(&pi->lock);
	while (done < n) {
		uint used = pi->nwrite - pi->nread;
		if (!pi->readopen) {
			done = -1;
			break;
		}
		if (used == PIPESIZE) {
			pipe_wake(pi->rwait, &pi->nread);
			if (proc_killed(p)) {
				done = -1;
				break;
			}
			pi->wwait++;
			sleep(&pi->nwrite, &pi->lock);
			pi->wwait--;
			continue;
		}
		uint at = pi->nwrite % PIPESIZE;
		uint m = min_uint(min_uint(n - done, PIPESIZE - used), PIPESIZE - at);
		if (copyin(p, pi->buf + at, src + done, m) < 0) {
			done = -1;
			break;
		}
		pi->nwrite += m;
		done += m;
	}
	pipe_wake(pi->rwait, &pi->nread);
	release(&pi->lock);
	return done;
}

/* Copy the n bytes at the ring's head (at most the fill) to user dst, in
 * one or two pieces, without consuming them. 0 or -1. Holds pi->lock. */
static int
ring_drain(struct pipe *pi, struct proc *p, uint64 dst, uint n)
{
	uint at = pi->nread % PIPESIZE;
	uint first = min_uint(n, PIPESIZE - at);

	if (copyout(p->vm->pagetable, dst, pi->buf + at, first) < 0)
		return -1;
	if (n > first && copyout(p->vm->pagetable, dst + first, pi->buf, n - first) < 0)
		return -1;
	return 0;
}

int
pipe_read(struct pipe *pi, uint64 dst, int n)
{
	struct proc *p = myproc();
	int m = -1;

	if (n == 0)
		return 0;
	acquire(&pi->lock);
	while (pi->nread == pi->nwrite && pi->writeopen) {
		if (proc_killed(p))
			goto out;
		pi->rwait++;
		sleep(&pi->nread, &pi->lock);
		pi->rwait--;
	}
	m = min_uint(n, pi->nwrite - pi->nread);
	if (m > 0 && ring_drain(pi, p, dst, m) < 0) {
		m = -1;
		goto out;
	}
	pi->nread += m;
	pipe_wake(pi->wwait, &pi->nwrite);
out:
	release(&pi->lock);
	return m;
}
