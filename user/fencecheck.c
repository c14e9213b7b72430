/*
 * fencecheck: workloads for the TLB model's stale-translation checker
 * (tools/tlbsim, check=1), each reusing a virtual address after the
 * kernel changed what it maps, so that a fence the kernel left out shows
 * as a hit on a stale translation. tools/mutate.py runs them against
 * kernels with one fence site removed.
 *
 *   fencecheck shrink    sbrk grow, touch, copy through the kernel, shrink,
 *                        grow again (same addresses, new frames), touch
 *                        and copy again
 *   fencecheck migrate   the same moved between harts (pin): it uses the
 *                        pages on hart 0, shrinks and grows back on hart 1,
 *                        and uses them again on hart 0 (2+ harts)
 *   fencecheck exec      copy through the kernel from a heap page, then exec
 *                        itself, which copies from the same address again
 *                        (umap's mirror of the old image must be fenced)
 *   fencecheck procs     fork, exec and exit a few processes (ASIDs handed
 *                        out, rolled over with asidbits=2)
 *   fencecheck threads   shrink as above while a second thread of the
 *                        process sleeps (the shared address space's path)
 *   fencecheck remote    a thread on hart 1 loads from a heap page that the
 *                        first thread, on hart 0, takes away (while the
 *                        loader pauses) and maps again to another frame:
 *                        a shootdown (2+ harts)
 *   fencecheck slots     threads made, run, joined and made again in the
 *                        same slot: their trap frames and (per-process
 *                        kernel tables) kernel stacks are new frames at
 *                        the addresses the ended thread used
 *
 * "Copy through the kernel": write() from the pages into a pipe and read()
 * back into them, which the kernel does with copyin/copyout (in umap,
 * through its mirror of user memory). Prints "fencecheck: NAME ok" and
 * exits 0, or says what went wrong and exits 1.
 */
#include "user/user.h"

#define PAGE 4096
#define PAGES 4
#define ROUNDS 8

static int fds[2];    /* a pipe to copy through */

/* Fail with a message. */
static void
die(const char *what)
{
	printf("fencecheck: %s failed\n", what);
	exit(1);
}

/* Store v into the first word of each of n pages from p. */
static void
touch(char *p, int n, int v)
{
	for (int i = 0; i < n; i++)
		p[i * PAGE] = (char)(v + i);
}

/* Copy the first 64 bytes of each page out through the pipe and back,
 * then check they still hold what touch(p, n, v) stored. */
static void
copy_through_kernel(char *p, int n, int v)
{
	for (int i = 0; i < n; i++) {
		if (write(fds[1], p + i * PAGE, 64) != 64)
			die("write from the heap");
		if (read(fds[0], p + i * PAGE, 64) != 64)
			die("read into the heap");
		if (p[i * PAGE] != (char)(v + i))
			die("copy through the kernel");
	}
}

/* Grow the heap by n pages; their address. */
static char *
grow(int n)
{
	char *p = sbrk(n * PAGE);
	if (p == (char *)-1)
		die("sbrk grow");
	return p;
}

/* Run on hart h from now on (migrate). */
static void
move_to(int h)
{
	/* The other harts come up a little after the first process runs. */
	for (int tries = 0; pin(h) < 0; tries++) {
		if (tries == 10)
			die("pin (migrate needs 2 harts)");
		sleep(1);
	}
}

/* One round: grow, use, shrink, grow at the same address, use again;
 * with migrate the use is on hart 0 and the shrink and regrowth on hart
 * 1, so that hart 0 must fence what it cached before it runs the process
 * again (a fence deferred from hart 1). */
static void
round_trip(int r, int migrate)
{
	if (migrate)
		move_to(0);
	char *p = grow(PAGES);
	touch(p, PAGES, r);
	copy_through_kernel(p, PAGES, r);
	if (migrate)
		move_to(1);
	sbrk(-PAGES * PAGE);
	char *q = grow(PAGES);
	if (q != p)
		die("heap reuse at the same address");
	if (migrate)
		move_to(0);
	touch(q, PAGES, r + 7);
	copy_through_kernel(q, PAGES, r + 7);
	sbrk(-PAGES * PAGE);
}

static void
shrink_rounds(int migrate)
{
	for (int r = 0; r < ROUNDS; r++)
		round_trip(r, migrate);
	if (migrate)
		move_to(-1);
}

/* exec: before (argv[2] absent) and after the exec of itself. */
static void
exec_step(int after)
{
	char *p = grow(PAGES);
	touch(p, PAGES, after ? 40 : 20);
	copy_through_kernel(p, PAGES, after ? 40 : 20);
	if (after)
		return;
	char *argv[] = {"fencecheck", "exec", "after", 0};
	exec("fencecheck", argv);
	die("exec");
}

/* procs: a few generations of short-lived processes. */
static void
procs(void)
{
	for (int i = 0; i < 12; i++) {
		int pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			char *p = grow(2);
			touch(p, 2, i);
			copy_through_kernel(p, 2, i);
			exit(0);
		}
		char *p = grow(1);
		touch(p, 1, i);
		wait(0);
		copy_through_kernel(p, 1, i);
		sbrk(-PAGE);
	}
}

static char stacks[2][PAGE] __attribute__((aligned(16)));
static volatile int stop;

/* A thread that sleeps until told to stop. */
static void
sleeper(void *arg)
{
	while (!stop)
		sleep(1);
	thread_exit(0);
}

/* A thread that makes a few system calls (each trap saves its registers
 * in its trap frame, on its kernel stack) and ends. */
static void
caller(void *arg)
{
	for (int i = 0; i < 20; i++)
		getpid();
	thread_exit(0);
}

/* threads: the shrink rounds while the address space is shared. */
static void
threads(void)
{
	int tid = thread_create(sleeper, 0, stacks[0] + PAGE);
	if (tid < 0)
		die("thread_create");
	shrink_rounds(0);
	stop = 1;
	if (thread_join(tid, 0) != tid)
		die("thread_join");
}

static volatile char *remote_page;
static volatile int remote_go;     /* the loader may load */
static volatile int remote_paused; /* the loader saw remote_go clear */
static volatile int remote_loads;  /* loads the loader made */

/* remote's loader: on hart 1, load the page's first byte while allowed,
 * saying when it has stopped, until stop. */
static void
loader(void *arg)
{
	move_to(1);
	while (!stop) {
		if (remote_go) {
			(void)remote_page[0];
			__sync_synchronize();
			remote_loads++;
		} else {
			remote_paused = 1;
		}
	}
	thread_exit(0);
}

/* remote: the loader on hart 1 loads from a page (its hart caches the
 * translation), pauses (still running, so a shootdown's target), the
 * first thread on hart 0 shrinks by two pages (that page and the one
 * above) and grows back by two, so that the page is mapped again at the
 * same address to the other page's frame (the allocator hands back the
 * last page freed first); then the loader loads again and must not use
 * its old translation. Rounds of it. */
static void
remote(void)
{
	move_to(0);
	char *p = grow(2);
	touch(p, 2, 1);
	remote_page = p;
	remote_go = 1;
	int tid = thread_create(loader, 0, stacks[1] + PAGE);
	if (tid < 0)
		die("thread_create");
	for (int r = 0; r < ROUNDS; r++) {
		int seen = remote_loads;
		while (remote_loads < seen + 10)
			;
		remote_paused = 0;
		remote_go = 0;
		__sync_synchronize();
		while (!remote_paused)
			;
		sbrk(-2 * PAGE);
		if (grow(2) != p)
			die("heap reuse at the same address");
		touch(p, 2, r);
		remote_go = 1;
	}
	stop = 1;
	if (thread_join(tid, 0) != tid)
		die("thread_join");
	sbrk(-2 * PAGE);
	move_to(-1);
}

/* slots: the same thread slot used again and again; after each join a
 * heap page takes the frame the ended thread's trap frame had (the
 * allocator hands back the last page freed), so that the next thread's
 * trap frame is a new frame at the old address. */
static void
slots(void)
{
	for (int i = 0; i < ROUNDS; i++) {
		int tid = thread_create(caller, 0, stacks[1] + PAGE);
		if (tid < 0 || thread_join(tid, 0) != tid)
			die("thread_create/join");
		touch(grow(1), 1, i);
	}
	sbrk(-ROUNDS * PAGE);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		printf("usage: fencecheck shrink|migrate|exec|procs|threads|slots|remote\n");
		exit(2);
	}
	if (pipe(fds) < 0)
		die("pipe");
	if (strcmp(argv[1], "shrink") == 0)
		shrink_rounds(0);
	else if (strcmp(argv[1], "migrate") == 0)
		shrink_rounds(1);
	else if (strcmp(argv[1], "exec") == 0)
		exec_step(argc > 2);
	else if (strcmp(argv[1], "procs") == 0)
		procs();
	else if (strcmp(argv[1], "threads") == 0)
		threads();
	else if (strcmp(argv[1], "slots") == 0)
		slots();
	else if (strcmp(argv[1], "remote") == 0)
		remote();
	else {
		printf("fencecheck: unknown workload %s\n", argv[1]);
		exit(2);
	}
	printf("fencecheck: %s ok\n", argv[1]);
	exit(0);
}
