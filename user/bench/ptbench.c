/*
 * ptbench: runs every benchmark (or the ones named) and prints one
 * machine-readable line per sample (bench.h). tools/bench.sh collects
 * them into results/<design>.csv.
 *
 *   ptbench [-q] [name...]     -q: quick (few iterations, for smoke tests)
 */
#include "kernel/fcntl.h"
#include "kernel/kstats.h"
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

/* --- benchmark families --------------------------------------------- */

static const long copy_sizes[] = {1, 8, 64, 512, 1024, 4095, 4096, 4097, 8192, 16384, 65536};
#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int
run_point(const char *name, long param, const char *unit, int iters, int (*op)(void *), void *arg)
{
	struct bench b = {name, param, unit, iters, bench_samples(), op, arg};
	return bench_run(&b);
}

static int
bench_getpid(void)
{
	return run_point("getpid", 0, "none", bench_iters(2000), op_getpid, 0);
}

static int
bench_write_null(void)
{
	int r = 0;
	for (int i = 0; i < NELEM(copy_sizes); i++) {
		long n = copy_sizes[i];
		int it = bench_iters(n >= 16384 ? 100 : 400);
		r |= run_point("write_null", n, "bytes", it, op_write_null, (void *)n);
		r |= run_point("write_null_ua", n, "bytes", it, op_write_null_ua, (void *)n);
	}
	return r;
}

static int
bench_open_missing(void)
{
	static const int lens[] = {2, 16, 32, 64, 120, 127};
	int r = 0;
	for (int i = 0; i < NELEM(lens); i++) {
		/* "/zzz...": one missing name of len-1 bytes (too long ones fail
		 * in the name lookup as fast as missing ones). */
		path[0] = '/';
		for (int j = 1; j < lens[i]; j++)
			path[j] = 'z';
		path[lens[i]] = 0;
		r |= run_point("open_missing", lens[i], "bytes", bench_iters(500), op_open_missing,
		               0);
	}
	return r;
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

static int
bench_read_file(void)
{
	static const long sizes[] = {1, 64, 512, 4096, 8192, 65536};
	int r = 0;
	if (make_file() < 0)
		return -1;
	for (int i = 0; i < NELEM(sizes); i++) {
		long n = sizes[i];
		/* Warm-up and samples read the file once through: stay in it. */
		long it = FILE_SIZE / (n * (bench_samples() + 1));
		if (it > bench_iters(400))
			it = bench_iters(400);
		file_fd = open("/benchfile", O_RDONLY);
		r |= run_point("read_file", n, "bytes", it, op_read_file, (void *)n);
		close(file_fd);
	}
	unlink("/benchfile");
	return r;
}

static int
bench_pipe_rw(void)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	int r = run_point("pipe_rw", 4096, "bytes", bench_iters(400), op_pipe_rw, p);
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

/* Grow this process to kib KiB in all (no-op if already larger). */
static void
grow_to(long kib)
{
	long now = (long)sbrk(0);
	if (kib * KIB > now)
		sbrk(kib * KIB - now);
}

/* fork_exit_wait: the process itself is the one forked, grown to each
 * size. The copy buffer is let go first, so the smallest size is reached
 * (the program alone is about 32 KiB); the parameter is the size the
 * process really has. */
static int
bench_fork(void)
{
	static const long sizes[] = {64, 256, 1024, 4096, 16384};
	int r = 0;
	buf_free();
	for (int i = 0; i < NELEM(sizes); i++) {
		grow_to(sizes[i]);
		long kib = (long)sbrk(0) / KIB;
		int it = bench_iters(sizes[i] >= 4096 ? 10 : 40);
		r |= run_point("fork_exit_wait", kib, "KiB", it, op_fork_exit_wait, 0);
	}
	buf_free();
	return buf_alloc() | r;
}

static int
bench_exec(void)
{
	return run_point("fork_exec_wait", 0, "none", bench_iters(40), op_fork_exec_wait, 0);
}

static int
bench_sbrk(void)
{
	static const long pages[] = {1, 4, 16, 64, 256};
	int r = 0;
	for (int i = 0; i < NELEM(pages); i++)
		r |= run_point("sbrk", pages[i], "pages", bench_iters(pages[i] >= 64 ? 20 : 100),
		               op_sbrk, (void *)pages[i]);
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
	int r = run_point("pingpong", 1, "bytes", bench_iters(1000), op_pingpong, 0);
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
bench_ptpages(void)
{
	static const long sizes[] = {64, 1024, 4096, 16384};
	int r = 0;
	buf_free(); /* so that the children start below the smallest size */
	for (int i = 0; i < NELEM(sizes); i++) {
		struct bench b = {"ptpages",  sizes[i],         "KiB",         1, bench_samples(),
		                  op_ptpages, (void *)sizes[i], release_holder};
		r |= bench_run(&b);
	}
	return buf_alloc() | r;
}

struct family {
	const char *name;
	int (*run)(void);
};

static const struct family families[] = {
    {"getpid", bench_getpid},
    {"write_null", bench_write_null},
    {"open_missing", bench_open_missing},
    {"read_file", bench_read_file},
    {"pipe_rw", bench_pipe_rw},
    {"fork_exit_wait", bench_fork},
    {"fork_exec_wait", bench_exec},
    {"sbrk", bench_sbrk},
    {"pingpong", bench_pingpong},
    {"ptpages", bench_ptpages},
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
	char traits[256];
	int first = 1, failed = 0;
	if (argc > 1 && strcmp(argv[1], "-q") == 0) {
		bench_quick = 1;
		first = 2;
	}
	heap_base = sbrk(0);
	if (buf_alloc() < 0)
		return 1;
	null_fd = open("/null", O_WRONLY);
	if (null_fd < 0 || design(traits, sizeof(traits)) < 0) {
		fprintf(2, "ptbench: cannot open /null\n");
		return 1;
	}
	printf("@ptbench %s quick=%d kstats=%d\n", traits, bench_quick,
	       (int)(sizeof(struct kstats) / sizeof(unsigned long)));
	for (int i = 0; i < NELEM(families); i++) {
		if (!wanted(families[i].name, argc, argv, first))
			continue;
		bench_progress(families[i].name);
		if (families[i].run() != 0)
			failed++;
	}
	printf("@end failed=%d\n", failed);
	return failed ? 1 : 0;
}
