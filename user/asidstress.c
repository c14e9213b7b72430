/*
 * asidstress: make address spaces fast, so that ASID generations roll
 * over, while long-lived processes check their memory.
 *
 *   asidstress [-k KEEPERS] [-f FORKS] [-e EXECS] [-c CHAINS] [-r MIN]
 *
 * Three kinds of process run at once, all children of the first:
 *   - KEEPERS (default 3) long-lived keepers: each fills static data, a
 *     heap and stack frames with a pattern of its own, then, round after
 *     round, reads them all back, grows its heap by 1-4 pages (filled and
 *     checked) and shrinks it again, and every fourth round forks a child
 *     that checks the copy, writes over it and exits, after which the
 *     keeper's own pages must be unchanged. They stop once the others are
 *     done (a file, STOP_FILE, appears) and have done MIN_ROUNDS rounds;
 *   - a forker: FORKS (default 150) fork + exit + wait, each child
 *     touching its stack and data first;
 *   - CHAINS (default 2) exec chains of EXECS (default 40) steps each: a
 *     process that checks its argument, heap and stack, forks a child that
 *     exits, and execs itself for the next step. An exec whose new address
 *     space makes the ASIDs roll over, while the keepers keep running, is
 *     the case of kernel/aspace.c's rule about satp during a rollover.
 *
 * A page read back wrong, a failed call or a child's non-zero status is a
 * failure. With -r MIN the run also fails unless the kernel counted at
 * least MIN ASID rollovers (kstats) during it, so that a run meant to roll
 * over shows that it did.
 *
 * Prints one line, then exits 0 on success, 1 on failure:
 *   asidstress: ok spaces N rollovers R asidbits B
 *   asidstress: FAILED <what>
 * (N counts the address spaces the forker and the chains made, forks and
 * execs, and the first process's forks; not the keepers' own forks, whose
 * number depends on timing.) Details of a
 * failure go to fd 2 first, one line each, prefixed "asidstress:".
 */
#include "kernel/fcntl.h"
#include "kernel/kstats.h"
#include "kernel/types.h"
#include "user/user.h"

#define PGSIZE 4096
#define STOP_FILE "/asidstress.stop"
#define MIN_ROUNDS 4    /* rounds a keeper does however fast the rest is */
#define DATA_WORDS 1024 /* a keeper's static data: two pages of words */
#define HEAP_PAGES 4    /* a keeper's heap, and an exec step's */
#define GROW_MAX 4      /* pages a keeper grows by at most, per round */
#define FRAME_WORDS 64
#define FRAME_DEPTH 6 /* stack frames a check recurses through */

static uint64 data[DATA_WORDS];

/* Word i of the pattern of seed: differs per seed and per word. */
static uint64
pat(uint64 seed, uint64 i)
{
	return (seed << 40) ^ (i * 0x9e3779b97f4a7c15UL) ^ 0x5a5a;
}

/* Report what failed (on fd 2) and exit 1. */
static void
die(const char *who, const char *what)
{
	fprintf(2, "asidstress: %s (pid %d): %s\n", who, getpid(), what);
	exit(1);
}

static void
fill(uint64 *p, int n, uint64 seed)
{
	for (int i = 0; i < n; i++)
		p[i] = pat(seed, i);
}

/* Whether n words at p hold the pattern of seed. */
static int
holds(const uint64 *p, int n, uint64 seed)
{
	for (int i = 0; i < n; i++)
		if (p[i] != pat(seed, i))
			return 0;
	return 1;
}

/* Fill a frame on the stack, recurse depth more frames, then check the
 * frame: 1 if every frame on the way held its pattern. */
static int
stack_check(int depth, uint64 seed)
{
	volatile uint64 frame[FRAME_WORDS];
	int ok = 1;

	fill((uint64 *)frame, FRAME_WORDS, seed + depth);
	if (depth > 0)
		ok = stack_check(depth - 1, seed);
	return ok && holds((uint64 *)frame, FRAME_WORDS, seed + depth);
}

/* sbrk(n) or die. */
static char *
xsbrk(const char *who, int n)
{
	char *p = sbrk(n);
	if (p == (char *)-1)
		die(who, "sbrk failed");
	return p;
}

/* fork() or die. */
static int
xfork(const char *who)
{
	int pid = fork();
	if (pid < 0)
		die(who, "fork failed");
	return pid;
}

/* Wait for pid, which must exit 0. */
static void
reap(const char *who, int pid)
{
	if (wait_pid(pid) != 0)
		die(who, "a child failed");
}

/* Whether the others are done (STOP_FILE exists). */
static int
stopped(void)
{
	int fd = open(STOP_FILE, O_RDONLY);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* A keeper's fork: the child checks its copy of data and heap, writes
 * its own pattern over them and checks that; the keeper then checks that
 * its own are unchanged. */
static void
keeper_fork(uint64 seed, uint64 *heap)
{
	int pid = xfork("keeper");
	if (pid == 0) {
		if (!holds(data, DATA_WORDS, seed) || !holds(heap, HEAP_PAGES * 512, seed + 1))
			die("keeper's child", "the forked copy differs");
		fill(data, DATA_WORDS, ~seed);
		fill(heap, HEAP_PAGES * 512, ~seed);
		if (!holds(data, DATA_WORDS, ~seed) || !holds(heap, HEAP_PAGES * 512, ~seed) ||
		    !stack_check(FRAME_DEPTH, ~seed))
			die("keeper's child", "its own pages read back wrong");
		exit(0);
	}
	reap("keeper", pid);
}

/* One keeper round: check, grow by 1-4 pages and back, fork now and then. */
static void
keeper_round(int round, uint64 seed, uint64 *heap)
{
	int grow = 1 + round % GROW_MAX;
	uint64 *more;

	if (!holds(data, DATA_WORDS, seed) || !holds(heap, HEAP_PAGES * 512, seed + 1) ||
	    !stack_check(FRAME_DEPTH, seed + round))
		die("keeper", "its data, heap or stack read back wrong");
	more = (uint64 *)xsbrk("keeper", grow * PGSIZE);
	fill(more, grow * 512, seed + round);
	if (!stack_check(FRAME_DEPTH, seed) || !holds(more, grow * 512, seed + round))
		die("keeper", "grown pages read back wrong");
	xsbrk("keeper", -grow * PGSIZE);
	if (round % 4 == 3)
		keeper_fork(seed, heap);
}

/* A long-lived process (see the top): exits 0 when done. */
static void
keeper(int id)
{
	uint64 seed = 0x1000 + id;
	uint64 *heap = (uint64 *)xsbrk("keeper", HEAP_PAGES * PGSIZE);
	int round;

	fill(data, DATA_WORDS, seed);
	fill(heap, HEAP_PAGES * 512, seed + 1);
	for (round = 0; round < MIN_ROUNDS || !stopped(); round++)
		keeper_round(round, seed, heap);
	exit(0);
}

/* fork + exit + wait, n times; each child touches stack and data. */
static void
forker(int n)
{
	for (int i = 0; i < n; i++) {
		int pid = xfork("forker");
		if (pid == 0) {
			data[i % DATA_WORDS] = i;
			exit(stack_check(1, i) && data[i % DATA_WORDS] == (uint64)i ? 0 : 1);
		}
		reap("forker", pid);
	}
	exit(0);
}

/* One step of an exec chain: left steps to go, seed from the last. */
static void
chain_step(int left, int seed)
{
	char a1[16], a2[16];
	char *argv[] = {"asidstress", "-x", a1, a2, 0};
	uint64 *heap = (uint64 *)xsbrk("exec chain", HEAP_PAGES * PGSIZE);
	int pid;

	fill(heap, HEAP_PAGES * 512, seed);
	fill(data, DATA_WORDS, seed + 1);
	pid = xfork("exec chain");
	if (pid == 0)
		exit(holds(heap, HEAP_PAGES * 512, seed) ? 0 : 1);
	reap("exec chain", pid);
	if (!stack_check(FRAME_DEPTH, seed) || !holds(heap, HEAP_PAGES * 512, seed) ||
	    !holds(data, DATA_WORDS, seed + 1))
		die("exec chain", "its pages read back wrong");
	if (left == 0)
		exit(0);
	snprintf(a1, sizeof(a1), "%d", left - 1);
	snprintf(a2, sizeof(a2), "%d", seed + 7);
	exec("/asidstress", argv);
	die("exec chain", "exec failed");
}

static struct {
	int keepers, forks, execs, chains, min_rollovers;
} opt = {3, 150, 40, 2};

/* Parse the options into opt; 0, or -1 on a bad one. */
static int
parse(int argc, char **argv)
{
	for (int i = 1; i < argc; i += 2) {
		int *v = 0;
		if (strcmp(argv[i], "-k") == 0)
			v = &opt.keepers;
		else if (strcmp(argv[i], "-f") == 0)
			v = &opt.forks;
		else if (strcmp(argv[i], "-e") == 0)
			v = &opt.execs;
		else if (strcmp(argv[i], "-c") == 0)
			v = &opt.chains;
		else if (strcmp(argv[i], "-r") == 0)
			v = &opt.min_rollovers;
		if (v == 0 || i + 1 >= argc || argv[i + 1][0] < '0' || argv[i + 1][0] > '9')
			return -1;
		*v = atoi(argv[i + 1]);
	}
	return opt.keepers <= 8 && opt.chains <= 8 ? 0 : -1;
}

/* Start fn(arg) in a child; its pid. */
static int
spawn(void (*fn)(int), int arg)
{
	int pid = xfork("asidstress");
	if (pid == 0) {
		fn(arg);
		exit(1); /* fn exits itself */
	}
	return pid;
}

static void
chain(int steps)
{
	chain_step(steps, 0x77);
}

/* Wait for the children in pids[0..n) (0: none there); a keeper that
 * ends meanwhile becomes 0 in keepers, with *keepers_bad set if it
 * failed. 1 if each of pids exited 0. */
static int
reap_all(int *pids, int n, int *keepers, int nkeepers, int *keepers_bad)
{
	int left = 0, ok = 1, status, pid, i;

	for (i = 0; i < n; i++)
		left += pids[i] != 0;
	while (left > 0 && (pid = wait(&status)) > 0) {
		for (i = 0; i < n; i++) {
			if (pids[i] == pid && pid != 0) {
				pids[i] = 0;
				left--;
				ok &= status == 0;
			}
		}
		for (i = 0; i < nkeepers; i++) {
			if (keepers[i] == pid) {
				keepers[i] = 0;
				*keepers_bad |= status != 0;
			}
		}
	}
	return ok && left == 0;
}

/* Run everything; the failure, or 0. */
static const char *
run(void)
{
	int keepers[8], others[9], nothers = 0, kbad = 0, i, none = 0;
	const char *bad = 0;

	for (i = 0; i < opt.keepers; i++)
		keepers[i] = spawn(keeper, i);
	others[nothers++] = spawn(forker, opt.forks);
	for (i = 0; i < opt.chains; i++)
		others[nothers++] = spawn(chain, opt.execs);
	if (!reap_all(others, nothers, keepers, opt.keepers, &kbad))
		bad = "a forker or exec chain failed";
	close(open(STOP_FILE, O_CREATE | O_RDWR));
	/* those already reaped are 0 now and match no pid */
	if (!reap_all(keepers, opt.keepers, &none, 0, &kbad))
		kbad = 1;
	if (kbad)
		bad = "a keeper failed";
	unlink(STOP_FILE);
	return bad;
}

int
main(int argc, char *argv[])
{
	struct kstats before, after;
	const char *bad;
	long rollovers, spaces;

	if (argc == 4 && strcmp(argv[1], "-x") == 0)
		chain_step(atoi(argv[2]), atoi(argv[3]));
	if (parse(argc, argv) < 0) {
		fprintf(2, "usage: asidstress [-k KEEPERS<=8] [-f FORKS] [-e EXECS] [-c CHAINS<=8] "
		           "[-r MIN_ROLLOVERS]\n");
		exit(2);
	}
	unlink(STOP_FILE);
	if (kstats(&before) < 0)
		die("asidstress", "kstats failed");
	bad = run();
	if (kstats(&after) < 0)
		die("asidstress", "kstats failed");
	rollovers = after.asid_rollovers - before.asid_rollovers;
	/* each chain: the fork that starts it, then per step a fork, and an
	 * exec for all but the last of its execs + 1 steps */
	spaces = opt.keepers + 1 + opt.forks + (long)opt.chains * (2 * opt.execs + 2);
	if (!bad && rollovers < opt.min_rollovers)
		bad = "too few ASID rollovers";
	if (bad) {
		printf("asidstress: FAILED %s (rollovers %ld, asidbits %ld)\n", bad, rollovers,
		       after.asid_bits);
		exit(1);
	}
	printf("asidstress: ok spaces %ld rollovers %ld asidbits %ld\n", spaces, rollovers,
	       after.asid_bits);
	exit(0);
}
