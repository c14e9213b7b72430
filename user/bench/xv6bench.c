/*
 * xv6bench: ptbench's benchmarks in a form any xv6-riscv kernel can run,
 * measured from outside by the tlbsim plugin (tools/xv6bench.sh runs it,
 * in ptbench's kernels and in outside xv6 trees alike).
 *
 *   xv6bench [-q] [-c] [name...]
 *     -q  quick: one iteration per sample, two samples, and the sweeps
 *         of fork and sbrk only up to QUICK_KIB and QUICK_PAGES (tests:
 *         an xv6 fork of 16 MiB takes 0.2 G instructions)
 *     -c  also read cycle and instret around each region (only where
 *         the kernel lets user code read them: ptbench's, not xv6's)
 *
 * Only xv6's 21 system calls are used: xv6 has no kstats, no null device
 * and no user-readable counters. Each benchmark point runs like
 * benchlib.c's: a warm-up sample, an empty sample of the same iterations
 * (the overhead, subtracted on the host), then the samples, each region
 * between `addi x0, x0, ID` markers (bench.h) that the plugin counts.
 * Output lines, one per sample:
 *
 *   @xv6bench version=1 quick=Q counters=C     first
 *   @X,region,oregion,bench,param,unit,sample,iters[,cycles,instret]
 *   @end failed=N                               last
 *
 * region and oregion number the sample's and the empty sample's marker
 * regions from 1 in execution order (the plugin's row order). With -c,
 * cycles and instret are the sample's minus the empty sample's.
 *
 * Determinism. An xv6 kernel is driven through its shell, so the moment
 * the workload starts, and with it the phase of the timer interrupts,
 * depends on the host. Before measuring, sync_to_tick() ties the workload
 * to a tick: the tick that ends its second sleep hits a child spinning on
 * one jump in user mode, so what runs after it no longer depends on when
 * the workload started. Everything that reads the disk runs once before
 * that (warm_up()), since a disk's completion time is the host's too.
 */
#include "kernel/fcntl.h"
#include "user/bench/bench.h"
#include "user/user.h"

#define KIB 1024
#define PAGE 4096
#define CHUNK 512 /* pipe transfers: xv6's PIPESIZE, so one write never blocks */
#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define QUICK_KIB 1024 /* largest fork size of a quick run */
#define QUICK_PAGES 64 /* largest sbrk of a quick run */

static int quick, counters;
static int region; /* marker regions so far: the join key */
static char buf[CHUNK];
static char path[128]; /* open_missing's path; xv6's MAXPATH */
static int pp_a[2], pp_b[2];
static int rw_pipe[2];
static char *exec_argv[] = {"benchnop", 0};

/* --- operations: 0, or -1 when the call did not do what it should ---- */

static int
op_empty(long arg)
{
	return 0;
}

static int
op_getpid(long arg)
{
	getpid();
	return 0;
}

/* arg bytes into the pipe and back out, in CHUNK-byte calls. */
static int
op_pipe_rw(long arg)
{
	for (long done = 0; done < arg; done += CHUNK) {
		int n = arg - done < CHUNK ? arg - done : CHUNK;
		if (write(rw_pipe[1], buf, n) != n || read(rw_pipe[0], buf, n) != n)
			return -1;
	}
	return 0;
}

static int
op_open_missing(long arg)
{
	return open(path, O_RDONLY) < 0 ? 0 : -1;
}

static int
op_fork_exit_wait(long arg)
{
	int pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		exit(0);
	return wait(0) == pid ? 0 : -1;
}

static int
op_fork_exec_wait(long arg)
{
	int status = -1, pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		exec("/benchnop", exec_argv);
		exit(99);
	}
	return wait(&status) == pid && status == 0 ? 0 : -1;
}

static int
op_sbrk(long arg)
{
	int bytes = arg * PAGE;
	if (sbrk(bytes) == (char *)-1)
		return -1;
	return sbrk(-bytes) == (char *)-1 ? -1 : 0;
}

static int
op_pingpong(long arg)
{
	char c = 'p';
	return write(pp_a[1], &c, 1) == 1 && read(pp_b[0], &c, 1) == 1 ? 0 : -1;
}

/* --- measuring ------------------------------------------------------- */

struct point {
	const char *bench;
	long param;
	const char *unit;
	int iters;
	int (*op)(long arg);
	long arg;
};

struct sample {
	int region;
	uint64 cycles, instret; /* with -c only */
};

/* The region: iters runs of op between a marker (BEGIN) and the end
 * marker, the counters read right outside them with -c. */
#define REGION(BEGIN)                                                                              \
	do {                                                                                       \
		if (counters) {                                                                    \
			c0 = rdcycle();                                                            \
			i0 = rdinstret();                                                          \
		}                                                                                  \
		BEGIN();                                                                           \
		for (int i = 0; i < iters && r == 0; i++)                                          \
			r = op(arg);                                                               \
		BENCH_MARK_END();                                                                  \
		if (counters) {                                                                    \
			i1 = rdinstret();                                                          \
			c1 = rdcycle();                                                            \
		}                                                                                  \
	} while (0)

/* Run one sample (empty: the overhead sample) into *s. op's result. */
static int
measure(int (*op)(long), long arg, int iters, int empty, struct sample *s)
{
	uint64 c0 = 0, c1 = 0, i0 = 0, i1 = 0;
	int r = 0;
	if (empty)
		REGION(BENCH_MARK_EMPTY);
	else
		REGION(BENCH_MARK_SAMPLE);
	s->region = ++region;
	s->cycles = c1 - c0;
	s->instret = i1 - i0;
	return r;
}

/* Warm-up, empty sample, then the samples, one @X line each. 0 or -1. */
static int
run_point(const struct point *p)
{
	struct sample m, o;
	int samples = quick ? 2 : 5;
	if (measure(p->op, p->arg, p->iters, 0, &m) < 0 ||
	    measure(op_empty, 0, p->iters, 1, &o) < 0)
		goto fail;
	for (int s = 1; s <= samples; s++) {
		if (measure(p->op, p->arg, p->iters, 0, &m) < 0)
			goto fail;
		printf("@X,%d,%d,%s,%ld,%s,%d,%d", m.region, o.region, p->bench, p->param, p->unit,
		       s, p->iters);
		if (counters)
			printf(",%ld,%ld", (long)(m.cycles - o.cycles),
			       (long)(m.instret - o.instret));
		printf("\n");
	}
	return 0;
fail:
	fprintf(2, "@error %s param %ld: operation failed\n", p->bench, p->param);
	return -1;
}

/* Iterations: full normally, one in a quick run. */
static int
iters(int full)
{
	return quick ? 1 : full;
}

/* --- benchmark families ---------------------------------------------- */

static int
bench_getpid(void)
{
	struct point p = {"getpid", 0, "none", iters(1000), op_getpid, 0};
	return run_point(&p);
}

static int
bench_pipe_rw(void)
{
	static const long sizes[] = {1, 8, 64, 512, 4096};
	int r = 0;
	if (pipe(rw_pipe) < 0)
		return -1;
	for (int i = 0; i < NELEM(sizes); i++) {
		int it = iters(sizes[i] >= 4096 ? 5 : sizes[i] >= 512 ? 20 : 50);
		struct point p = {"pipe_rw", sizes[i], "bytes", it, op_pipe_rw, sizes[i]};
		r |= run_point(&p);
	}
	close(rw_pipe[0]);
	close(rw_pipe[1]);
	return r;
}

static const int path_lens[] = {2, 16, 32, 64, 120, 127};

/* path = "/zzz...", len bytes: one missing name (as ptbench's). */
static void
set_path(int len)
{
	path[0] = '/';
	for (int j = 1; j < len; j++)
		path[j] = 'z';
	path[len] = 0;
}

static int
bench_open_missing(void)
{
	int r = 0;
	for (int i = 0; i < NELEM(path_lens); i++) {
		set_path(path_lens[i]);
		struct point p = {"open_missing", path_lens[i],    "bytes",
		                  iters(50),      op_open_missing, 0};
		r |= run_point(&p);
	}
	return r;
}

/* Grow this process to kib KiB in all (nothing if already larger). */
static void
grow_to(long kib)
{
	long now = (long)sbrk(0);
	if (kib * KIB > now)
		sbrk(kib * KIB - now);
}

/* fork_exit_wait: this process, first as loaded (size 0: no growth),
 * then grown to each size; the parameter is the size it really has
 * (sbrk(0)), as in ptbench. */
static int
bench_fork(void)
{
	static const long sizes[] = {0, 64, 256, 1024, 4096, 16384};
	static const int full[] = {5, 5, 4, 2, 1, 1};
	char *base = sbrk(0);
	int r = 0;
	for (int i = 0; i < NELEM(sizes) && !(quick && sizes[i] > QUICK_KIB); i++) {
		grow_to(sizes[i]);
		struct point p = {"fork_exit_wait", (long)sbrk(0) / KIB, "KiB",
		                  iters(full[i]),   op_fork_exit_wait,   0};
		r |= run_point(&p);
	}
	sbrk(base - sbrk(0));
	return r;
}

static int
bench_exec(void)
{
	struct point p = {"fork_exec_wait", 0, "none", iters(5), op_fork_exec_wait, 0};
	return run_point(&p);
}

static int
bench_sbrk(void)
{
	static const long pages[] = {1, 4, 16, 64, 256};
	static const int full[] = {20, 10, 5, 2, 1};
	int r = 0;
	for (int i = 0; i < NELEM(pages) && !(quick && pages[i] > QUICK_PAGES); i++) {
		struct point p = {"sbrk", pages[i], "pages", iters(full[i]), op_sbrk, pages[i]};
		r |= run_point(&p);
	}
	return r;
}

/* Child side of pingpong: echo bytes from pp_a to pp_b until EOF. */
static void
pong(void)
{
	char c;
	close(pp_a[1]);
	close(pp_b[0]);
	while (read(pp_a[0], &c, 1) == 1)
		if (write(pp_b[1], &c, 1) != 1)
			break;
	exit(0);
}

static int
bench_pingpong(void)
{
	if (pipe(pp_a) < 0 || pipe(pp_b) < 0)
		return -1;
	int pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		pong();
	close(pp_a[0]);
	close(pp_b[1]);
	struct point p = {"pingpong", 1, "bytes", iters(200), op_pingpong, 0};
	int r = run_point(&p);
	close(pp_a[1]);
	close(pp_b[0]);
	wait(0);
	return r;
}

/* --- before measuring ------------------------------------------------ */

/* What reads the disk, once: exec's program and the root directory. */
static int
warm_up(void)
{
	int r = op_fork_exec_wait(0);
	for (int i = 0; i < NELEM(path_lens); i++) {
		set_path(path_lens[i]);
		r |= op_open_missing(0);
	}
	return r;
}

/*
 * Tie what follows to a timer tick (see the top of the file). The child
 * spins on one jump; the first sleep ends at some tick, the second at the
 * next one, which finds the child in user mode at that jump whatever the
 * phase, and kills it (it was marked killed in between). 0 or -1.
 */
static int
sync_to_tick(void)
{
	int pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		for (;;)
			asm volatile("");
	sleep(1);
	kill(pid);
	sleep(1);
	return wait(0) == pid ? 0 : -1;
}

struct family {
	const char *name;
	int (*run)(void);
};

static const struct family families[] = {
    {"getpid", bench_getpid},
    {"pipe_rw", bench_pipe_rw},
    {"open_missing", bench_open_missing},
    {"fork_exit_wait", bench_fork},
    {"fork_exec_wait", bench_exec},
    {"sbrk", bench_sbrk},
    {"pingpong", bench_pingpong},
};

static int
wanted(const char *name, int argc, char **argv, int first)
{
	if (first >= argc)
		return 1;
	for (int i = first; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

int
main(int argc, char *argv[])
{
	int first = 1, failed = 0;
	for (; first < argc && argv[first][0] == '-'; first++) {
		if (strcmp(argv[first], "-q") == 0)
			quick = 1;
		else if (strcmp(argv[first], "-c") == 0)
			counters = 1;
		else {
			fprintf(2, "usage: xv6bench [-q] [-c] [name...]\n");
			exit(2);
		}
	}
	if (warm_up() < 0 || sync_to_tick() < 0) {
		fprintf(2, "@error xv6bench: warm-up failed (is /benchnop there?)\n");
		exit(1);
	}
	printf("@xv6bench version=1 quick=%d counters=%d\n", quick, counters);
	for (int i = 0; i < NELEM(families); i++) {
		if (!wanted(families[i].name, argc, argv, first))
			continue;
		if (families[i].run() != 0)
			failed++;
	}
	printf("@end failed=%d\n", failed);
	exit(failed ? 1 : 0);
}
