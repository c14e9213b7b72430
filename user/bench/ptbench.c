/*
 * ptbench: runs every benchmark (or the ones named) and prints one
 * machine-readable line per sample (bench.h). tools/bench.sh collects
 * them into <config>.csv.
 *
 *   ptbench [-q] [-n] [NAME[:P[:P...]]...]
 *
 *   -q        quick: few iterations and samples (smoke tests, never reference)
 *   -n        check the arguments and print the plan ("@plan NAME P..."
 *             per benchmark), measure nothing
 *   NAME      run only the benchmarks named (in their usual order, not the
 *             arguments'); when none is named, every single-hart
 *             benchmark on a 1-hart machine, every shootdown family
 *             (shoot_*) on a machine of 2 or more harts; a shootdown
 *             family named on 1 hart is refused
 *   NAME:P:P  ... at these sweep points only (e.g. write_null:4096:65536),
 *             each inside the benchmark's range; a benchmark with a fixed
 *             parameter takes no points
 *
 * A refused argument prints "ptbench: ..." on stderr and exits 2.
 */
#include <stdarg.h>

#include "kernel/fcntl.h"
#include "kernel/kstats.h"
#include "kernel/shoot.h"
#include "user/bench/bench.h"
#include "user/user.h"

#define KIB 1024
#define FILE_SIZE (1024 * KIB) /* read_file's file */

static char *buf; /* 64 KiB (+1 for unaligned use), page aligned: copy source/target */
static int null_fd;
static int file_fd;
static int pp_a[2], pp_b[2]; /* pingpong pipes */
static char path[128];

/* --- operations ------------------------------------------------------- */

static int
op_getpid(void *arg)
{
	getpid();
	return 0;
}

static int
op_write_null(void *arg)
{
	long n = (long)arg;
	return write(null_fd, buf, n) == n ? 0 : -1;
}

static int
op_write_null_ua(void *arg)
{
	long n = (long)arg;
	return write(null_fd, buf + 1, n) == n ? 0 : -1;
}

static int
op_open_missing(void *arg)
{
	return open(path, O_RDONLY) < 0 ? 0 : -1;
}

static int
op_read_file(void *arg)
{
	long n = (long)arg;
	return read(file_fd, buf, n) == n ? 0 : -1;
}

static int
op_pipe_rw(void *arg)
{
	int *p = arg;
	for (int i = 0; i < 8; i++) {
		if (write(p[1], buf, 512) != 512 || read(p[0], buf, 512) != 512)
			return -1;
	}
	return 0;
}

static int
op_fork_exit_wait(void *arg)
{
	int pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		exit(0);
	return wait(0) == pid ? 0 : -1;
}

static int
op_fork_exec_wait(void *arg)
{
	static char *argv[] = {"benchnop", 0};
	int pid = fork(), status = -1;
	if (pid < 0)
		return -1;
	if (pid == 0) {
		exec("/benchnop", argv);
		exit(99);
	}
	if (wait(&status) != pid || status != 0)
		return -1;
	return 0;
}

static int
op_sbrk(void *arg)
{
	int bytes = (long)arg * 4096;
	if (sbrk(bytes) == (char *)-1)
		return -1;
	return sbrk(-bytes) == (char *)-1 ? -1 : 0;
}

static int
op_pingpong(void *arg)
{
	char c = 'p';
	if (write(pp_a[1], &c, 1) != 1 || read(pp_b[0], &c, 1) != 1)
		return -1;
	return 0;
}

static int
op_shoot(void *arg)
{
	int bytes = (long)arg * 4096;
	if (sbrk(-bytes) == (char *)-1)
		return -1;
	return sbrk(bytes) == (char *)-1 ? -1 : 0;
}

/* --- benchmark families --------------------------------------------- */

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAXPOINTS 32 /* sweep points one benchmark may be given */

static int
run_point(const char *name, long param, const char *unit, int iters, int (*op)(void *), void *arg)
{
	struct bench b = {name, param, unit, iters, bench_samples(), op, arg};
	return bench_run(&b);
}

static int
point_getpid(long param)
{
	return run_point("getpid", param, "none", bench_iters(2000), op_getpid, 0);
}

static int
copy_iters(long n)
{
	return bench_iters(n >= 16384 ? 100 : 400);
}

static int
point_write_null(long n)
{
	return run_point("write_null", n, "bytes", copy_iters(n), op_write_null, (void *)n);
}

static int
point_write_null_ua(long n)
{
	return run_point("write_null_ua", n, "bytes", copy_iters(n), op_write_null_ua, (void *)n);
}

/* "/zzz...": one missing name of len-1 bytes. Names of DIRSIZ bytes or
 * more are refused by the lookup before it scans the directory, so the
 * cost is not monotonic in len (the report says so). */
static int
point_open_missing(long len)
{
	path[0] = '/';
	for (int j = 1; j < len; j++)
		path[j] = 'z';
	path[len] = 0;
	return run_point("open_missing", len, "bytes", bench_iters(500), op_open_missing, 0);
}

/* Make /benchfile of FILE_SIZE bytes. */
static int
make_file(void)
{
	int fd = open("/benchfile", O_CREATE | O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -1;
	for (int off = 0; off < FILE_SIZE; off += 65536)
		if (write(fd, buf, 65536) != 65536)
			return -1;
	close(fd);
	return 0;
}

static void
remove_file(void)
{
	unlink("/benchfile");
}

static int
point_read_file(long n)
{
	/* Warm-up and samples read the file once through: stay in it. */
	long it = FILE_SIZE / (n * (bench_samples() + 1));
	if (it > bench_iters(400))
		it = bench_iters(400);
	if (it < 1)
		it = 1;
	file_fd = open("/benchfile", O_RDONLY);
	if (file_fd < 0)
		return -1;
	int r = run_point("read_file", n, "bytes", it, op_read_file, (void *)n);
	close(file_fd);
	return r;
}

static int
point_pipe_rw(long bytes)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	int r = run_point("pipe_rw", bytes, "bytes", bench_iters(400), op_pipe_rw, p);
	close(p[0]);
	close(p[1]);
	return r;
}

/* The copy buffer: BUF_BYTES at a page boundary, at the top of the heap
 * (heap_base is the break before it), filled with 'b'. 0 or -1. */
#define BUF_BYTES (65536 + 4096) /* 64 KiB, plus room to align and offset */
static char *heap_base;

static int
buf_alloc(void)
{
	char *p = sbrk(BUF_BYTES);
	if (p == (char *)-1)
		return -1;
	buf = (char *)(((uint64)p + 4095) & ~4095UL);
	memset(buf, 'b', 65536);
	return 0;
}

/* Shrink the heap back to heap_base, buffer included. */
static void
buf_free(void)
{
	sbrk(heap_base - sbrk(0));
	buf = 0;
}

/* Let the copy buffer go, so that the smallest sizes are reached (the
 * program alone is about 32 KiB). 0. */
static int
small_setup(void)
{
	buf_free();
	return 0;
}

/* Shrink back and take the copy buffer again. */
static void
small_teardown(void)
{
	buf_free();
	buf_alloc();
}

/* Grow this process to kib KiB in all (no-op if already larger). */
static void
grow_to(long kib)
{
	long now = (long)sbrk(0);
	if (kib * KIB > now)
		sbrk(kib * KIB - now);
}

/* fork_exit_wait: the process itself is the one forked, grown to each
 * size; the parameter is the size the process really has. */
static int
point_fork(long size)
{
	grow_to(size);
	long kib = (long)sbrk(0) / KIB;
	int it = bench_iters(size >= 4096 ? 10 : 40);
	return run_point("fork_exit_wait", kib, "KiB", it, op_fork_exit_wait, 0);
}

static int
point_exec(long param)
{
	return run_point("fork_exec_wait", param, "none", bench_iters(40), op_fork_exec_wait, 0);
}

static int
point_sbrk(long pages)
{
	return run_point("sbrk", pages, "pages", bench_iters(pages >= 64 ? 20 : 100), op_sbrk,
	                 (void *)pages);
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
point_pingpong(long bytes)
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
	int r = run_point("pingpong", bytes, "bytes", bench_iters(1000), op_pingpong, 0);
	close(pp_a[1]);
	close(pp_b[0]);
	wait(0);
	return r;
}

/* ptpages: each sample forks a child that grows to the size and says
 * so; the sample's counter deltas are the child's page-table pages. The
 * child is released and reaped after the sample, outside the region. */
static int ready_pipe[2], hold_pipe[2];
static int holder;

static int
op_ptpages(void *arg)
{
	char c;
	if (pipe(ready_pipe) < 0 || pipe(hold_pipe) < 0)
		return -1;
	holder = fork();
	if (holder < 0)
		return -1;
	if (holder == 0) {
		close(hold_pipe[1]); /* so that the parent's close ends the read */
		close(ready_pipe[0]);
		grow_to((long)arg);
		write(ready_pipe[1], "r", 1);
		read(hold_pipe[0], &c, 1);
		exit(0);
	}
	return read(ready_pipe[0], &c, 1) == 1 ? 0 : -1;
}

static void
release_holder(void *arg)
{
	close(hold_pipe[1]);
	if (holder > 0)
		wait(0);
	holder = 0;
	close(hold_pipe[0]);
	close(ready_pipe[0]);
	close(ready_pipe[1]);
}

static int
point_ptpages(long size)
{
	struct bench b = {"ptpages", size, "KiB", 1, bench_samples(), op_ptpages, (void *)size,
	                  release_holder};
	return bench_run(&b);
}

/* A benchmark: its default sweep, the points it accepts, and how to run
 * one point. min == max: a fixed parameter that takes no points. */
/*
 * Shootdowns, in the will-it-scale style. The first thread, on hart 0,
 * shrinks the heap by N pages and grows it back (one operation) while
 * other threads of the process read SHOOT_TOUCH shared pages over and
 * over: one thread on hart 1, or (shoot_wide) one on each other hart.
 * Before the readers start, the process has run on every hart once, so
 * that an address space's mask (kernel/shoot.h) holds them all, as a
 * process's would after a while. Each shrink is a shootdown
 * (kernel/ipi.h) under the family's policy, set with shootctl for the
 * family and restored after. On a machine of k harts
 * (tools/bench.sh --cpus k): every other hart is up, and only the
 * readers' harts run the address space.
 *
 * Under -icount, cycles and instret are virtual time, which every
 * hart's instructions advance (the readers' loops, and the initiator's
 * spin while QEMU runs the other harts, a time slice each): the
 * counters (IPIs, fences by form, local and remote) are the figures per
 * operation; the wait is reported as what it is (kstats shoot_wait).
 */
#define SHOOT_TOUCH 16
#define SHOOT_STACK 4096
/* Operations per sample, quick or not: each waits for QEMU to run the
 * other harts, and the counters are exact. */
#define SHOOT_ITERS 2
struct shoot_variant {
	int knob[SHOOT_NKNOB];
	int wide; /* a reader on every other hart, not only on hart 1 */
};
static const struct shoot_variant shoot_variants[] = {
#define SV(t, th, via, sv, w)                                                                      \
	{{[SHOOT_TARGET] = t, [SHOOT_THRESHOLD] = th, [SHOOT_VIA] = via, [SHOOT_SVINVAL] = sv}, w}
    SV(SHOOT_ALL, 64, SHOOT_SSWI, 0, 0),   SV(SHOOT_MASK, 64, SHOOT_SSWI, 0, 0),
    SV(SHOOT_LAZY, 64, SHOOT_SSWI, 0, 0),  SV(SHOOT_LAZY, 1, SHOOT_SSWI, 0, 0),
    SV(SHOOT_LAZY, 33, SHOOT_SSWI, 0, 0),  SV(SHOOT_LAZY, 64, SHOOT_MMODE, 0, 0),
    SV(SHOOT_LAZY, 64, SHOOT_SSWI, 1, 0),  SV(SHOOT_LAZY, 64, SHOOT_SSWI, 0, 1),
#undef SV
};
static int harts;               /* harts up (counted with pin at start) */
static int cur_family;          /* run_family's: which family runs */
static char *shoot_mem;         /* SHOOT_TOUCH pages the readers read */
static char *shoot_stacks;      /* their stacks */
static volatile int shoot_stop; /* readers: end */
static volatile int shoot_on;   /* readers on their harts */

static void
shoot_reader(void *arg)
{
	long hart = (long)arg;
	volatile char *m = shoot_mem;
	if (pin(hart) < 0)
		thread_exit(1);
	__atomic_fetch_add(&shoot_on, 1, __ATOMIC_SEQ_CST);
	while (!shoot_stop)
		for (int i = 0; i < SHOOT_TOUCH; i++)
			(void)m[i * 4096];
	thread_exit(0);
}

/* The readers' memory and stacks, below the heap's top: 0 or -1. */
static int
shoot_setup(void)
{
	shoot_mem = sbrk(SHOOT_TOUCH * 4096 + harts * SHOOT_STACK);
	if (shoot_mem == (char *)-1)
		return -1;
	memset(shoot_mem, 1, SHOOT_TOUCH * 4096);
	shoot_stacks = shoot_mem + SHOOT_TOUCH * 4096;
	return 0;
}

static void
shoot_teardown(void)
{
	sbrk(-(SHOOT_TOUCH * 4096 + harts * SHOOT_STACK));
}

/*
 * thr_pingpong: a byte each way through two pipes between the first
 * thread, pinned to hart 0, and a second thread of the same process
 * pinned to hart 1: each hart switches only between its thread and its
 * idle scheduler, and each wakeup of the other thread interrupts that
 * thread's idle hart (a wakeup IPI). 2 or more harts. Both harts wait in
 * wfi, so QEMU runs whichever has work: no time slice is waited out.
 */
static int tp_a[2], tp_b[2];

static void
tp_partner(void *arg)
{
	char c;
	if (pin(1) < 0)
		thread_exit(1);
	while (read(tp_a[0], &c, 1) == 1 && c != 'q')
		if (write(tp_b[1], &c, 1) != 1)
			break;
	thread_exit(0);
}

static int
op_thr_pingpong(void *arg)
{
	char c = 'p';
	if (write(tp_a[1], &c, 1) != 1 || read(tp_b[0], &c, 1) != 1)
		return -1;
	return 0;
}

static int
point_thr_pingpong(long bytes)
{
	char c = 'q';
	int tid, r = -1;
	if (pipe(tp_a) < 0)
		return -1;
	if (pipe(tp_b) < 0 || pin(0) < 0)
		goto out;
	tid = thread_create(tp_partner, 0, shoot_stacks + SHOOT_STACK);
	if (tid < 0)
		goto out;
	r = run_point("thr_pingpong", bytes, "bytes", bench_iters(200), op_thr_pingpong, 0);
	if (write(tp_a[1], &c, 1) != 1 || thread_join(tid, 0) != tid)
		r = -1;
out:
	pin(-1);
	close(tp_a[0]);
	close(tp_a[1]);
	if (tp_b[0] > 0) {
		close(tp_b[0]);
		close(tp_b[1]);
	}
	return r;
}

static int first_shoot_family(void);
static const char *family_name(int f);

/* One point: the policy set, the readers started, N pages at the top. */
static int
point_shoot(long pages)
{
	const struct shoot_variant *v = &shoot_variants[cur_family - first_shoot_family()];
	const char *name = family_name(cur_family);
	int old[SHOOT_NKNOB], tid[64], n = 0, r = -1;
	for (int k = 0; k < SHOOT_NKNOB; k++)
		old[k] = shootctl(k, v->knob[k]);
	if (old[SHOOT_SVINVAL] < 0) {
		fprintf(2, "@error %s: the kernel refused its policy (no Svinval?)\n", name);
		goto restore;
	}
	if (sbrk(pages * 4096) == (char *)-1)
		goto restore;
	for (int h = harts - 1; h >= 0; h--) { /* a stay on each hart, ending on 0 */
		if (pin(h) < 0)
			goto restore;
		shoot_mem[0] = 1;
	}
	shoot_stop = 0;
	shoot_on = 0;
	int readers = v->wide ? harts - 1 : 1;
	for (long h = 1; h <= readers; h++) {
		tid[n] = thread_create(shoot_reader, (void *)h, shoot_stacks + h * SHOOT_STACK);
		if (tid[n] < 0)
			break;
		n++;
	}
	while (n == readers && shoot_on < n)
		;
	if (n == readers)
		r = run_point(name, pages, "pages", SHOOT_ITERS, op_shoot, (void *)pages);
	shoot_stop = 1;
	for (int i = 0; i < n; i++)
		if (thread_join(tid[i], 0) != tid[i])
			r = -1;
	sbrk(-pages * 4096);
restore:
	pin(-1);
	for (int k = 0; k < SHOOT_NKNOB; k++)
		if (old[k] >= 0)
			shootctl(k, old[k]);
	return r;
}

struct family {
	const char *name;
	const long *points; /* default sweep, ascending */
	int npoints;
	long min, max;
	int (*setup)(void);     /* optional, before the first point: 0 or -1 */
	void (*teardown)(void); /* optional, after the last */
	int (*point)(long param);
	int smp; /* 1: a shootdown family, run on 2 or more harts only */
};

static const long copy_sizes[] = {1, 8, 64, 512, 1024, 4095, 4096, 4097, 8192, 16384, 65536};
static const long path_lens[] = {2, 16, 32, 64, 120, 127};
static const long read_sizes[] = {1, 64, 512, 4096, 8192, 65536};
static const long fork_sizes[] = {64, 256, 1024, 4096, 16384};
static const long sbrk_pages[] = {1, 4, 16, 64, 256};
static const long pt_sizes[] = {64, 1024, 4096, 16384};
static const long zero[] = {0}, one[] = {1}, page[] = {4096};
/* Around each threshold of the shootdown families (1, 33, 64). */
static const long shoot_pages[] = {1, 4, 16, 32, 33, 64, 65, 256};

#define SWEEP(a) a, NELEM(a)
static const struct family families[] = {
    {"getpid", SWEEP(zero), 0, 0, 0, 0, point_getpid},
    {"write_null", SWEEP(copy_sizes), 1, 65536, 0, 0, point_write_null},
    {"write_null_ua", SWEEP(copy_sizes), 1, 65536, 0, 0, point_write_null_ua},
    {"open_missing", SWEEP(path_lens), 2, sizeof(path) - 1, 0, 0, point_open_missing},
    {"read_file", SWEEP(read_sizes), 1, 65536, make_file, remove_file, point_read_file},
    {"pipe_rw", SWEEP(page), 4096, 4096, 0, 0, point_pipe_rw},
    {"fork_exit_wait", SWEEP(fork_sizes), 1, 32768, small_setup, small_teardown, point_fork},
    {"fork_exec_wait", SWEEP(zero), 0, 0, 0, 0, point_exec},
    {"sbrk", SWEEP(sbrk_pages), 1, 8192, 0, 0, point_sbrk},
    {"pingpong", SWEEP(one), 1, 1, 0, 0, point_pingpong},
    {"ptpages", SWEEP(pt_sizes), 1, 65536, small_setup, small_teardown, point_ptpages},
    /* In shoot_variants' order: targeting; then threshold, delivery,
     * batching and readers on every hart against shoot_lazy. */
#define SHOOT(name) {name, SWEEP(shoot_pages), 1, 1024, shoot_setup, shoot_teardown, point_shoot, 1}
    SHOOT("shoot_all"), SHOOT("shoot_mask"), SHOOT("shoot_lazy"), SHOOT("shoot_lazy_t1"),
    SHOOT("shoot_lazy_t33"), SHOOT("shoot_mmode"), SHOOT("shoot_svinval"), SHOOT("shoot_wide"),
#undef SHOOT
    {"thr_pingpong", SWEEP(one), 1, 1, shoot_setup, shoot_teardown, point_thr_pingpong, 1},
};
#define NFAMILY NELEM(families)
_Static_assert(NELEM(shoot_variants) == 8, "one shoot_variants entry per shoot family");

static int
first_shoot_family(void)
{
	int f = 0;
	while (!families[f].smp)
		f++;
	return f;
}

static const char *
family_name(int f)
{
	return families[f].name;
}

/* What to run of each family: chosen at all, and its points (0 = default). */
static struct {
	int chosen;
	int npoints;
	long points[MAXPOINTS];
} plan[NFAMILY];

/* Refuse an argument: "ptbench: " and the message on stderr, exit 2. */
static void
refuse(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(2, "ptbench: ");
	vfprintf(2, fmt, ap);
	fprintf(2, "\n");
	va_end(ap);
	exit(2);
}

/* s as a decimal number in *v: 0, or -1 if it is not one. */
static int
parse_long(const char *s, long *v)
{
	long n = 0;
	if (*s == 0)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > 100000000)
			return -1;
		n = n * 10 + (*s - '0');
	}
	*v = n;
	return 0;
}

/* Insert v into family f's chosen points, kept ascending, no duplicates. */
static void
add_point(int f, long v)
{
	int i, n = plan[f].npoints;
	for (i = 0; i < n && plan[f].points[i] < v; i++)
		;
	if (i < n && plan[f].points[i] == v)
		return;
	if (n == MAXPOINTS)
		refuse("%s: more than %d points", families[f].name, MAXPOINTS);
	memmove(&plan[f].points[i + 1], &plan[f].points[i], (n - i) * sizeof(long));
	plan[f].points[i] = v;
	plan[f].npoints++;
}

/* "getpid, write_null, ...": every family's name, for messages. */
static const char *
family_names(void)
{
	static char names[256];
	int n = 0;
	for (int f = 0; f < NFAMILY; f++)
		n += snprintf(names + n, sizeof(names) - n, "%s%s", f ? ", " : "", families[f].name);
	return names;
}

static int
family_index(const char *name)
{
	for (int f = 0; f < NFAMILY; f++)
		if (strcmp(families[f].name, name) == 0)
			return f;
	return -1;
}

/* One argument NAME or NAME:P:P... into plan; refuses a bad one. */
static void
choose(char *arg)
{
	char *colon = strchr(arg, ':');
	if (colon)
		*colon = 0;
	int f = family_index(arg);
	if (f < 0)
		refuse("unknown benchmark '%s'; benchmarks are %s", arg, family_names());
	if (families[f].smp && harts < 2)
		refuse("%s needs 2 or more harts (make bench CPUS=2, or more); this machine has %d",
		       arg, harts);
	plan[f].chosen = 1;
	const struct family *fm = &families[f];
	while (colon) {
		char *p = colon + 1;
		long v;
		colon = strchr(p, ':');
		if (colon)
			*colon = 0;
		if (fm->min == fm->max)
			refuse("%s takes no points (its parameter is fixed at %ld)", fm->name, fm->min);
		if (parse_long(p, &v) < 0 || v < fm->min || v > fm->max)
			refuse("%s: point '%s' is not a whole number in %ld..%ld", fm->name, p, fm->min,
			       fm->max);
		add_point(f, v);
	}
}

/* Run family f at its chosen points (or its default sweep). 0, or -1 if
 * any point failed. */
static int
run_family(int f)
{
	const struct family *fm = &families[f];
	const long *pts = plan[f].npoints ? plan[f].points : fm->points;
	int n = plan[f].npoints ? plan[f].npoints : fm->npoints, r = 0;
	if (fm->setup && fm->setup() < 0)
		return -1;
	cur_family = f;
	for (int i = 0; i < n; i++)
		r |= fm->point(pts[i]);
	if (fm->teardown)
		fm->teardown();
	return r;
}

/* -n: one line per chosen family with the points it would run. */
static void
print_plan(void)
{
	for (int f = 0; f < NFAMILY; f++) {
		if (!plan[f].chosen)
			continue;
		const long *pts = plan[f].npoints ? plan[f].points : families[f].points;
		int n = plan[f].npoints ? plan[f].npoints : families[f].npoints;
		printf("@plan %s", families[f].name);
		for (int i = 0; i < n; i++)
			printf(" %ld", pts[i]);
		printf("\n");
	}
}

/* Options and benchmark arguments into plan; *dry set by -n. */
static void
parse_args(int argc, char *argv[], int *dry)
{
	int i = 1, named = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-q") == 0)
			bench_quick = 1;
		else if (strcmp(argv[i], "-n") == 0)
			*dry = 1;
		else
			refuse("unknown option '%s'; usage: ptbench [-q] [-n] [NAME[:P[:P...]]...]",
			       argv[i]);
	}
	for (; i < argc; i++, named++)
		choose(argv[i]);
	/* None named: at 1 hart the single-hart benchmarks, at more the
	 * shootdown families. */
	for (int f = 0; f < NFAMILY && !named; f++)
		plan[f].chosen = families[f].smp == (harts > 1);
}

int
main(int argc, char *argv[])
{
	char traits[256];
	int dry = 0, failed = 0;
	/* Harts up: those this process can be pinned to (the others may
	 * still be on their way into their schedulers: a few ticks each). */
	for (int tries = 0; harts < 64 && tries < 10; tries++) {
		if (pin(harts) == 0) {
			harts++;
			tries = -1;
		} else {
			sleep(1);
		}
	}
	pin(-1);
	parse_args(argc, argv, &dry);
	if (dry) {
		print_plan();
		return 0;
	}
	heap_base = sbrk(0);
	if (buf_alloc() < 0)
		return 1;
	null_fd = open("/null", O_WRONLY);
	if (null_fd < 0 || design(traits, sizeof(traits)) < 0) {
		fprintf(2, "ptbench: cannot open /null\n");
		return 1;
	}
	struct kstats ks;
	if (kstats(&ks) < 0)
		return 1;
	/* The kernel map as booted, for the meta file: it does not change. */
	printf("@ptbench %s quick=%d kstats=%d harts=%d kmap_pages=%lu kmap_leaves_4k=%lu "
	       "kmap_leaves_2m=%lu asid_bits=%lu\n",
	       traits, bench_quick, (int)(sizeof(struct kstats) / sizeof(unsigned long)), harts,
	       ks.ptpages_kernel, ks.kmap_leaves_4k, ks.kmap_leaves_2m, ks.asid_bits);
	for (int f = 0; f < NFAMILY; f++) {
		if (!plan[f].chosen)
			continue;
		bench_progress(families[f].name);
		if (run_family(f) != 0)
			failed++;
	}
	printf("@end failed=%d\n", failed);
	return failed ? 1 : 0;
}
