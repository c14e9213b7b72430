/*
 * usertests: tests of the kernel through its system calls.
 *
 *   usertests            run every test
 *   usertests -q         run the quick ones (skip those marked slow)
 *   usertests NAME...    run the named tests
 *
 * Each test is a function run in a forked child; the child's exit status
 * is the verdict (0 passes). A failing check writes its reason to a pipe
 * the parent reads. The parent counts free pages before the fork and
 * after the wait: a page missing afterwards fails the test as a leak.
 * One line per test, "test NAME: OK" or "test NAME: FAILED (reason)",
 * then "N passed, N failed"; the exit status is 0 only if all passed.
 *
 * Tests work in the scratch directory /utmp and remove what they create,
 * so that the free page count can come back to where it was.
 */
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/kstats.h"
#include "kernel/param.h"
#include "kernel/ptdump.h"
#include "kernel/shoot.h"
#include "kernel/stat.h"
#include "kernel/types.h"
#include "user/elfflaw.h"
#include "user/user.h"

#define PGSIZE 4096
#define PGROUNDUP(a) (((uint64)(a) + PGSIZE - 1) & ~(uint64)(PGSIZE - 1))
#define PLIC_ADDR 0x0c000000UL /* user memory may not reach the PLIC */
#define KERNEL_ADDR 0x80000000UL
#define TOP_VA ((1UL << 38) - PGSIZE) /* the trampoline page: no PTE_U */
#define SCRATCH "/utmp"
#define SETTLE_TICKS 30 /* wait for init to reap a test's orphans */

struct test {
	const char *name;
	void (*fn)(void);
	int slow; /* skipped by -q */
};

extern char end[]; /* user/user.ld: end of .bss */

static int reason_fd = -1; /* in a test's processes: the reason pipe */
static uint64 stack_top;   /* top of the stack: the break when main started */

/* Shared scratch buffers (each test runs in its own copy). */
static char buf[8192];
static char big[16384];
static char argbuf[MAXARG + 8][MAXARGLEN + 1];
static char *args[MAXARG + 9];

/* Record why the running test failed and end this process with status 1. */
static void fail(const char *fmt, ...) __attribute__((noreturn));
static void
fail(const char *fmt, ...)
{
	char reason[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(reason) - 1)
		n = sizeof(reason) - 1;
	write(reason_fd >= 0 ? reason_fd : 2, reason, n);
	exit(1);
}

/* Fail with the failed condition and its line when c is false. */
#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c))                                                                          \
			fail("%s, line %d", #c, __LINE__);                                         \
	} while (0)

/* fork() or fail. */
/* Whether the kernel's trait key (design()) has value want. */
static int
trait_is(const char *key, const char *want)
{
	char v[32];
	return design_trait(key, v, sizeof(v)) >= 0 && strcmp(v, want) == 0;
}

static int
xfork(void)
{
	int pid = fork();

	if (pid < 0)
		fail("fork failed");
	return pid;
}

/* Children reaped by xwait while it waited for another one. */
static struct {
	int pid;
	int status;
} reaped[NPROC];
static int nreaped;

/* Wait for child pid; its status. Other children met meanwhile are kept
 * for their own xwait, so children may be waited for in any order. Fails
 * the test when pid is not a child. */
static int
xwait(int pid)
{
	int r, i, status;

	for (i = 0; i < nreaped; i++) {
		if (reaped[i].pid == pid) {
			status = reaped[i].status;
			reaped[i] = reaped[--nreaped];
			return status;
		}
	}
	for (;;) {
		r = wait(&status);
		if (r == pid)
			return status;
		if (r < 0)
			fail("wait for %d returned -1", pid);
		if (nreaped < NPROC) {
			reaped[nreaped].pid = r;
			reaped[nreaped].status = status;
			nreaped++;
		}
	}
}

/* pipe() or fail. */
static void
xpipe(int fds[2])
{
	if (pipe(fds) < 0)
		fail("pipe failed");
}

/* Read exactly n bytes from fd (several reads if need be), or fail. */
static void
read_full(int fd, void *dst, int n)
{
	int got = 0, r;

	while (got < n) {
		r = read(fd, (char *)dst + got, n - got);
		if (r <= 0)
			fail("read returned %d after %d of %d bytes", r, got, n);
		got += r;
	}
}

/* Kill pid after ticks ticks, from a child of our own: the watchdog's
 * pid. */
static int
watchdog(int pid, int ticks)
{
	int w = xfork();

	if (w == 0) {
		sleep(ticks);
		kill(pid);
		exit(0);
	}
	return w;
}

/* Run path with argv in a child whose fds 1 and 2 go into a pipe. The
 * output (at most max-1 bytes kept, NUL-terminated) goes to out; the
 * child's exit status to *status. A child still running after ticks
 * ticks (unless ticks is 0) is killed, so its status is -1. Returns the
 * number of bytes kept. */
static int
capture_within(const char *path, char **argv, char *out, int max, int *status, int ticks)
{
	int fds[2], pid, dog = 0, n = 0, r;
	static char drain[256];

	xpipe(fds);
	pid = xfork();
	if (pid == 0) {
		close(1);
		dup(fds[1]);
		close(2);
		dup(fds[1]);
		close(fds[0]);
		close(fds[1]);
		exec(path, argv);
		fprintf(2, "exec %s failed", path);
		exit(255);
	}
	close(fds[1]);
	if (ticks > 0)
		dog = watchdog(pid, ticks);
	while ((r = read(fds[0], n < max - 1 ? out + n : drain,
	                 n < max - 1 ? max - 1 - n : (int)sizeof(drain))) > 0) {
		if (n < max - 1)
			n += r;
	}
	out[n] = 0;
	close(fds[0]);
	*status = xwait(pid);
	if (dog > 0) {
		kill(dog);
		xwait(dog);
	}
	return n;
}

/* capture_within with no time limit. */
static int
capture(const char *path, char **argv, char *out, int max, int *status)
{
	return capture_within(path, argv, out, max, status, 0);
}

/* Run "sh -c cmd" and check its output (unless want is 0) and exit
 * status. */
static void
check_sh(const char *cmd, const char *want, int want_status)
{
	char *argv[] = {"sh", "-c", (char *)cmd, 0};
	int status;

	capture("/sh", argv, big, sizeof(big), &status);
	if (want != 0 && strcmp(big, want) != 0)
		fail("sh -c '%s' printed '%s'", cmd, big);
	if (status != want_status)
		fail("sh -c '%s' exited %d, not %d", cmd, status, want_status);
}

/* Fill n bytes at p with a pattern depending on seed and position. */
static void
pattern_fill(char *p, int n, int seed)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (char)(seed * 31 + i * 7 + (i >> 8));
}

/* Index of the first byte of p that differs from the pattern, or -1. */
static int
pattern_check(const char *p, int n, int seed)
{
	int i;

	for (i = 0; i < n; i++) {
		if (p[i] != (char)(seed * 31 + i * 7 + (i >> 8)))
			return i;
	}
	return -1;
}

/* Create file name holding n bytes of pattern seed. */
static void
make_file(const char *name, int n, int seed)
{
	int fd;

	fd = open(name, O_CREATE | O_TRUNC | O_RDWR);
	if (fd < 0)
		fail("cannot create %s", name);
	while (n > 0) {
		int chunk = n < (int)sizeof(buf) ? n : (int)sizeof(buf);

		pattern_fill(buf, chunk, seed);
		if (write(fd, buf, chunk) != chunk)
			fail("write to %s failed", name);
		n -= chunk;
	}
	close(fd);
}

/* Size of the file at path, or fail. */
static uint64
file_size(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		fail("cannot stat %s", path);
	return st.size;
}

/* Current free page count. */
static uint64
free_pages(void)
{
	struct kstats ks;

	if (kstats(&ks) < 0)
		return 0;
	return ks.free_pages;
}

/* Fail unless free pages, processes and page-table pages (user tables,
 * per-process kernel tables) are as in before. The message says after
 * what, and with how many pages free if k >= 0. */
static void
check_same(const struct kstats *before, const char *what, int k)
{
	struct kstats now;
	char when[80];

	CHECK(kstats(&now) == 0);
	if (now.free_pages == before->free_pages && now.nproc == before->nproc &&
	    now.ptpages_user == before->ptpages_user && now.ptpages_kproc == before->ptpages_kproc)
		return;
	if (k >= 0)
		snprintf(when, sizeof(when), "%s with %d pages free", what, k);
	else
		snprintf(when, sizeof(when), "%s", what);
	fail("%s: free %ld (was %ld), nproc %ld (was %ld), user pt %ld (was %ld), "
	     "kernel pt %ld (was %ld)",
	     when, now.free_pages, before->free_pages, now.nproc, before->nproc, now.ptpages_user,
	     before->ptpages_user, now.ptpages_kproc, before->ptpages_kproc);
}

/* Like check_same, after giving init a few ticks to reap orphans. */
static void
check_settled(const struct kstats *before, const char *what)
{
	struct kstats now;
	int i;

	for (i = 0; i < SETTLE_TICKS; i++) {
		CHECK(kstats(&now) == 0);
		if (now.free_pages == before->free_pages && now.nproc == before->nproc &&
		    now.ptpages_user == before->ptpages_user &&
		    now.ptpages_kproc == before->ptpages_kproc)
			return;
		sleep(1);
	}
	check_same(before, what, -1);
}

/* ==== processes: fork, exit, wait, exec ================================ */

/* fork returns the child's pid to the parent, 0 to the child, and the
 * child's getpid() is that pid; wait returns it with status 0. */
static void
test_forkwait(void)
{
	int fds[2], pid, child_pid = 0, status;

	xpipe(fds);
	pid = xfork();
	if (pid == 0) {
		child_pid = getpid();
		write(fds[1], &child_pid, sizeof(child_pid));
		exit(0);
	}
	CHECK(pid > 0 && pid != getpid());
	read_full(fds[0], &child_pid, sizeof(child_pid));
	CHECK(child_pid == pid);
	CHECK(wait(&status) == pid);
	CHECK(status == 0);
}

/* Exit statuses 0..255 reach the parent unchanged. */
static void
test_exitstatus(void)
{
	static const int values[] = {0, 1, 2, 3, 42, 100, 127, 128, 200, 254, 255};
	int i, pid, status;

	for (i = 0; i < (int)(sizeof(values) / sizeof(values[0])); i++) {
		pid = xfork();
		if (pid == 0)
			exit(values[i]);
		status = xwait(pid);
		if (status != values[i])
			fail("exit(%d) gave status %d", values[i], status);
	}
}

/* Ten children, each reaped exactly once with its own status. */
static void
test_waitmany(void)
{
	int pids[10], seen[10], i, j, r, status;

	for (i = 0; i < 10; i++) {
		pids[i] = xfork();
		if (pids[i] == 0) {
			sleep(i % 3);
			exit(10 + i);
		}
		seen[i] = 0;
	}
	for (j = 0; j < 10; j++) {
		r = wait(&status);
		for (i = 0; i < 10 && pids[i] != r; i++)
			;
		if (i == 10)
			fail("wait returned %d, not a child", r);
		CHECK(!seen[i] && status == 10 + i);
		seen[i] = 1;
	}
	CHECK(wait(0) == -1);
}

/* wait with no children returns -1 at once. */
static void
test_waitnochild(void)
{
	int status = 1234;

	CHECK(wait(&status) == -1);
	CHECK(wait(0) == -1);
	CHECK(status == 1234);
}

/* wait(0) reaps a child without storing its status. */
static void
test_waitnull(void)
{
	int pid;

	pid = xfork();
	if (pid == 0)
		exit(7);
	CHECK(wait(0) == pid);
	CHECK(wait(0) == -1);
}

/* A grandchild outlives its parent: it keeps running (reparented to init)
 * and is not ours to wait for. */
static void
test_orphan(void)
{
	int fds[2], pid;
	char c = 0;

	xpipe(fds);
	pid = xfork();
	if (pid == 0) {
		if (fork() == 0) {
			sleep(3);
			write(fds[1], "g", 1);
			exit(0);
		}
		exit(0);
	}
	close(fds[1]);
	CHECK(xwait(pid) == 0);
	CHECK(read(fds[0], &c, 1) == 1 && c == 'g');
	CHECK(read(fds[0], &c, 1) == 0);
	CHECK(wait(0) == -1);
}

/* Fork until the process table is full (fork returns -1), let all the
 * children exit, and fork again; every slot and page comes back. */
static void
test_proctable(void)
{
	static int pids[NPROC + 8];
	struct kstats start;
	int gate[2], n, pid, i;
	char c;

	CHECK(kstats(&start) == 0);
	xpipe(gate);
	for (n = 0; n < NPROC + 8; n++) {
		pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			close(gate[1]);
			read(gate[0], &c, 1);
			exit(0);
		}
		pids[n] = pid;
	}
	close(gate[1]);
	close(gate[0]);
	if (n >= NPROC + 8)
		fail("%d forks all succeeded", n);
	CHECK(n > 0);
	for (i = 0; i < n; i++)
		CHECK(xwait(pids[i]) == 0);
	pid = xfork();
	if (pid == 0)
		exit(0);
	CHECK(xwait(pid) == 0);
	check_settled(&start, "after filling the process table");
}

/* A grown process forks: the child sees a copy of the parent's memory,
 * and writes to either copy stay private. */
static void
test_forkgrown(void)
{
	int n = 64 * PGSIZE, pid;
	char *p;

	p = sbrk(n);
	CHECK(p != (char *)-1);
	pattern_fill(p, n, 5);
	pid = xfork();
	if (pid == 0) {
		CHECK(pattern_check(p, n, 5) == -1);
		pattern_fill(p, n, 6);
		exit(0);
	}
	CHECK(xwait(pid) == 0);
	CHECK(pattern_check(p, n, 5) == -1);
	CHECK(sbrk(-n) != (char *)-1);
}

/* Four children fork and reap 25 grandchildren each, concurrently. */
static void
test_forkstress(void)
{
	int pids[4], i, j, pid;

	for (i = 0; i < 4; i++) {
		pids[i] = xfork();
		if (pids[i] != 0)
			continue;
		for (j = 0; j < 25; j++) {
			pid = xfork();
			if (pid == 0)
				exit(j);
			if (xwait(pid) != j)
				exit(1);
		}
		exit(0);
	}
	for (i = 0; i < 4; i++)
		CHECK(xwait(pids[i]) == 0);
}

/* getpid is stable in a process and differs between parent and child. */
static void
test_getpid(void)
{
	int me = getpid(), pid, fds[2], other;

	CHECK(me > 0 && getpid() == me);
	xpipe(fds);
	pid = xfork();
	if (pid == 0) {
		other = getpid();
		write(fds[1], &other, sizeof(other));
		exit(0);
	}
	read_full(fds[0], &other, sizeof(other));
	CHECK(other != me && other == pid);
	CHECK(xwait(pid) == 0);
}

/* exec of a missing file, a directory or a non-ELF file returns -1 and
 * the process goes on. */
static void
test_execmissing(void)
{
	char *argv[] = {"x", 0};

	CHECK(exec("/no-such-program", argv) == -1);
	CHECK(exec("", argv) == -1);
	CHECK(exec("/", argv) == -1);
	CHECK(exec("/etc/hello.sh", argv) == -1);
	CHECK(exec("/etc", argv) == -1);
}

/* Fill args[] with n arguments of len characters each (argv[0] the
 * helper's name when len is 0), NULL-terminated. */
static void
make_args(int n, int len)
{
	int i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < len; j++)
			argbuf[i][j] = 'A' + (i + j) % 26;
		argbuf[i][len] = 0;
		args[i] = argbuf[i];
	}
	args[n] = 0;
}

/* Check that big holds argecho's output for args[0..n). */
static void
check_argecho_output(int n)
{
	char *p = big;
	int i, len;

	if (atoi(p) != n)
		fail("argecho saw argc %d, not %d", atoi(p), n);
	p = strchr(p, '\n');
	CHECK(p != 0);
	p++;
	for (i = 0; i < n; i++) {
		len = strlen(args[i]);
		if (strncmp(p, args[i], len) != 0 || p[len] != '\n')
			fail("argument %d arrived wrong", i);
		p += len + 1;
	}
	CHECK(*p == 0);
}

/* exec passes argc and the argument strings (checked through a helper
 * whose output comes back through a pipe). */
static void
test_execargs(void)
{
	static char *argv[] = {"argecho", "one", "", "three four", "x", 0};
	int status, i;

	for (i = 0; argv[i] != 0; i++)
		args[i] = argv[i];
	args[i] = 0;
	capture("/argecho", args, big, sizeof(big), &status);
	CHECK(status == 0);
	check_argecho_output(i);
}

/* MAXARG arguments of MAXARGLEN-1 characters each are accepted. */
static void
test_execmaxarg(void)
{
	int status;

	make_args(MAXARG, MAXARGLEN - 1);
	capture("/argecho", args, big, sizeof(big), &status);
	if (status != 0)
		fail("exec with %d arguments of %d chars: status %d", MAXARG, MAXARGLEN - 1,
		     status);
	check_argecho_output(MAXARG);
}

/* More than MAXARG arguments, or one of MAXARGLEN characters, makes exec
 * return -1 (and the caller keeps running). */
static void
test_exectoomany(void)
{
	make_args(MAXARG + 1, 3);
	CHECK(exec("/argecho", args) == -1);
	make_args(2, MAXARGLEN);
	CHECK(exec("/argecho", args) == -1);
	make_args(MAXARG + 8, MAXARGLEN - 1);
	CHECK(exec("/argecho", args) == -1);
	CHECK(getpid() > 0);
}

/* A program returning from main exits with main's return value. */
static void
test_execret(void)
{
	static char *ret0[] = {"uthelper", "ret", "0", 0};
	static char *ret77[] = {"uthelper", "ret", "77", 0};
	static char *ret255[] = {"uthelper", "ret", "255", 0};
	int status;

	capture("/uthelper", ret0, buf, sizeof(buf), &status);
	CHECK(status == 0);
	capture("/uthelper", ret77, buf, sizeof(buf), &status);
	CHECK(status == 77);
	capture("/uthelper", ret255, buf, sizeof(buf), &status);
	CHECK(status == 255);
}

/* exec from a grown process frees the old image (the leak check). */
static void
test_execgrown(void)
{
	static char *argv[] = {"uthelper", "ret", "5", 0};
	int pid;
	char *p;

	pid = xfork();
	if (pid == 0) {
		p = sbrk(256 * PGSIZE);
		if (p == (char *)-1)
			exit(100);
		memset(p, 1, 256 * PGSIZE);
		exec("/uthelper", argv);
		exit(101);
	}
	CHECK(xwait(pid) == 5);
}

/* A process exiting with files and pipes open releases them all. */
static void
test_exitclose(void)
{
	int pid, fds[2];

	pid = xfork();
	if (pid == 0) {
		xpipe(fds);
		write(fds[1], "abc", 3);
		xpipe(fds);
		make_file("ec", 5000, 1);
		open("ec", O_RDWR);
		open("ec", O_RDONLY);
		unlink("ec");
		exit(0);
	}
	CHECK(xwait(pid) == 0);
	CHECK(open("ec", O_RDONLY) == -1);
}

/* ==== exec of malformed executables ===================================== */

#define ELF_ROOM 32768 /* bytes for an image: uthelper and its flawed copies */

/* A valid executable read from the file system, a flawed copy being
 * made, and the copy made before (to skip variants that change nothing). */
static uint64 elf_base[ELF_ROOM / 8], elf_work[ELF_ROOM / 8], elf_prev[ELF_ROOM / 8];

/* Read the whole file at path into dst (max bytes of room): its length,
 * or fail. */
static int
read_file(const char *path, char *dst, int max)
{
	int fd, n = 0, r;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		fail("cannot open %s", path);
	while ((r = read(fd, dst + n, max - n)) > 0)
		n += r;
	close(fd);
	if (r < 0 || n == max)
		fail("cannot read %s whole", path);
	return n;
}

/* Make path hold exactly the n bytes at src, or fail. */
static void
write_image(const char *path, const char *src, int n)
{
	int fd;

	fd = open(path, O_CREATE | O_TRUNC | O_WRONLY);
	if (fd < 0 || (n > 0 && write(fd, src, n) != n))
		fail("cannot write %s", path);
	close(fd);
}

/* exec path in a child: 0 when exec returned -1 there, else the status
 * of whatever ran. */
static int
exec_status(const char *path, char **argv)
{
	int pid = xfork();

	if (pid == 0)
		exit(exec(path, argv) == -1 ? 0 : 200);
	return xwait(pid);
}

/* Copy /uthelper (n bytes in elf_base) into im with flaw f in variant v.
 * 1, or 0 when the variant gives the same file as the one before. */
static int
flawed_image(struct elf_image *im, int n, int f, uint64 v, int *prevlen)
{
	CHECK(elf_copy(im, (char *)elf_base, n) == 0);
	if (elf_flaw(im, f, v) < 0)
		fail("cannot give /uthelper the flaw '%s'", elf_flaw_name[f]);
	if (im->len == *prevlen && memcmp(im->buf, elf_prev, im->len) == 0)
		return 0;
	memmove(elf_prev, im->buf, im->len);
	*prevlen = im->len;
	return 1;
}

/* exec refuses every flaw of user/elfflaw.h in every variant tried
 * (made at run time from a copy of /uthelper, which runs when unflawed):
 * -1, the process goes on, and no page, process or table page is lost. */
static void
test_execbad(void)
{
	static const uint64 variants[] = {0, 1,   2,    3,    4,       5,        6,
	                                  7, 100, 4095, 4096, 0x12345, 0xfffffff};
	static char *argv[] = {"uthelper", "ret", "42", 0};
	struct elf_image im = {(char *)elf_work, 0, sizeof(elf_work)};
	struct kstats before;
	int n, f, k, status, prevlen = -1;

	n = read_file("/uthelper", (char *)elf_base, sizeof(elf_base));
	CHECK(elf_copy(&im, (char *)elf_base, n) == 0);
	write_image("ebad", im.buf, im.len);
	CHECK(exec_status("ebad", argv) == 42);
	for (f = 0; f < NELF_FLAWS; f++) {
		for (k = 0; k < (int)(sizeof(variants) / sizeof(variants[0])); k++) {
			if (!flawed_image(&im, n, f, variants[k], &prevlen))
				continue;
			write_image("ebad", im.buf, im.len);
			CHECK(kstats(&before) == 0);
			status = exec_status("ebad", argv);
			if (status != 0)
				fail("exec of an ELF with '%s' (variant %ld): status %d",
				     elf_flaw_name[f], (long)variants[k], status);
			check_same(&before, elf_flaw_name[f], -1);
		}
	}
	CHECK(unlink("ebad") == 0);
}

/* exec of what is no regular file (directories, devices), of an empty
 * file and of a text file returns -1 and loses nothing. */
static void
test_execnotfile(void)
{
	static const char *const paths[] = {"/",     "/etc",  ".",      "/console",
	                                    "/null", "enull", "eempty", "/etc/hello.sh"};
	static char *argv[] = {"x", 0};
	struct kstats before;
	int i;

	CHECK(mknod("enull", DEVNULL, 0) == 0);
	write_image("eempty", "", 0);
	for (i = 0; i < (int)(sizeof(paths) / sizeof(paths[0])); i++) {
		CHECK(kstats(&before) == 0);
		if (exec(paths[i], argv) != -1)
			fail("exec(%s) did not fail", paths[i]);
		check_same(&before, paths[i], -1);
	}
	CHECK(unlink("enull") == 0 && unlink("eempty") == 0);
}

/* ==== kill ============================================================== */

/* Kill child pid after a moment; its wait status must be -1. */
static void
kill_and_check(int pid)
{
	sleep(2);
	CHECK(kill(pid) == 0);
	if (xwait(pid) != -1)
		fail("killed child did not exit with -1");
}

/* A child spinning in user mode is killed. */
static void
test_killspin(void)
{
	volatile int spin = 1;
	int pid;

	pid = xfork();
	if (pid == 0) {
		while (spin)
			;
		exit(0);
	}
	kill_and_check(pid);
}

/* A child blocked reading an empty pipe is killed. */
static void
test_killpipe(void)
{
	int fds[2], pid;
	char c;

	xpipe(fds);
	pid = xfork();
	if (pid == 0) {
		read(fds[0], &c, 1);
		exit(0);
	}
	kill_and_check(pid);
}

/* A child in a long sleep is killed at once, not at the end of it. */
static void
test_killsleep(void)
{
	int pid, t0;

	t0 = uptime();
	pid = xfork();
	if (pid == 0) {
		sleep(1000);
		exit(0);
	}
	kill_and_check(pid);
	if (uptime() - t0 > 200)
		fail("killed sleeper took %d ticks to exit", uptime() - t0);
}

/* A child waiting for its own child is killed. */
static void
test_killwait(void)
{
	int fds[2], pid;
	char c;

	xpipe(fds);
	pid = xfork();
	if (pid == 0) {
		if (xfork() == 0) {
			close(fds[1]);
			read(fds[0], &c, 1); /* until its parent is gone */
			exit(0);
		}
		close(fds[0]);
		wait(0);
		exit(0);
	}
	close(fds[0]);
	close(fds[1]);
	kill_and_check(pid);
}

/* A process that kills itself exits with -1 as the call returns: not
 * one more instruction of its own runs. */
static void
test_killself(void)
{
	int fds[2], pid;
	char c;

	xpipe(fds);
	pid = xfork();
	if (pid == 0) {
		close(fds[0]);
		kill(getpid());
		write(fds[1], "x", 1);
		exit(0);
	}
	close(fds[1]);
	CHECK(read(fds[0], &c, 1) == 0);
	CHECK(xwait(pid) == -1);
	close(fds[0]);
}

/* kill of a pid that does not exist returns -1. */
static void
test_killbad(void)
{
	CHECK(kill(-1) == -1);
	CHECK(kill(0) == -1);
	CHECK(kill(1000000) == -1);
}

/* kill(1) is refused, again and again, and by the kill utility; init
 * lives on and reaps orphans. (Before, init was marked and exited, and
 * the kernel panicked, at its next return to user mode: an orphan's
 * exit makes it return.) */
static void
test_killinit(void)
{
	struct kstats start;
	int i, pid;

	CHECK(kstats(&start) == 0);
	for (i = 0; i < 20; i++)
		CHECK(kill(1) == -1);
	check_sh("kill 1", "kill: 1: init cannot be killed\n", 1);
	check_sh("kill 0001", 0, 1);
	pid = xfork();
	if (pid == 0) {
		if (fork() == 0) {
			sleep(2);
			exit(0);
		}
		exit(0);
	}
	CHECK(xwait(pid) == 0);
	check_settled(&start, "an orphan's exit after kill(1)");
	CHECK(kill(1) == -1);
}

/* kill of a zombie returns 0 and leaves its exit status as it was; once
 * the zombie is reaped its pid is gone. */
static void
test_killzombie(void)
{
	int fds[2], pid, i;
	char c;

	for (i = 0; i < 3; i++) {
		xpipe(fds);
		pid = xfork();
		if (pid == 0) {
			close(fds[0]);
			exit(40 + i);
		}
		close(fds[1]);
		/* End of file: the child is in exit, its status fixed. */
		CHECK(read(fds[0], &c, 1) == 0);
		close(fds[0]);
		sleep(i);
		CHECK(kill(pid) == 0);
		CHECK(kill(pid) == 0);
		if (xwait(pid) != 40 + i)
			fail("killing a zombie changed its exit status");
		CHECK(kill(pid) == -1);
	}
}

/* A child kills its parent, which is asleep in wait: the parent exits
 * with -1, the child (now init's) goes on and exits by itself. */
static void
test_killparent(void)
{
	int fds[2], pid;
	char c;

	xpipe(fds);
	pid = xfork();
	if (pid == 0) {
		int parent = getpid();

		if (xfork() == 0) {
			sleep(1);
			exit(kill(parent) == 0 && write(fds[1], "k", 1) == 1 ? 0 : 1);
		}
		close(fds[1]);
		wait(0);
		exit(0);
	}
	close(fds[1]);
	CHECK(xwait(pid) == -1);
	CHECK(read(fds[0], &c, 1) == 1 && c == 'k');
	CHECK(read(fds[0], &c, 1) == 0);
	close(fds[0]);
}

/* ==== time, counters, kernel statistics ================================= */

/* sleep(n) lasts at least n ticks and uptime advances. */
static void
test_sleep(void)
{
	int t0, t1;

	t0 = uptime();
	CHECK(sleep(3) == 0);
	t1 = uptime();
	if (t1 - t0 < 3 || t1 - t0 > 100)
		fail("sleep(3) took %d ticks", t1 - t0);
	CHECK(sleep(0) == 0);
}

/* cycle, instret and time count up in user mode. */
static void
test_counters(void)
{
	uint64 c0, i0, t0, c1, i1, t1;
	volatile int k;

	c0 = rdcycle();
	i0 = rdinstret();
	t0 = rdtime();
	for (k = 0; k < 1000; k++)
		;
	c1 = rdcycle();
	i1 = rdinstret();
	CHECK(c1 > c0 + 1000);
	CHECK(i1 > i0 + 1000);
	sleep(1);
	t1 = rdtime();
	CHECK(t1 > t0);
	CHECK(rdcycle() > c1 && rdinstret() > i1);
}

/* kstats fills sane values and counts our system calls. */
static void
test_kstats(void)
{
	struct kstats a, b;
	int i;

	CHECK(kstats(&a) == 0);
	for (i = 0; i < 10; i++)
		getpid();
	CHECK(kstats(&b) == 0);
	CHECK(a.free_pages > 0 && a.free_pages < 32768);
	CHECK(b.syscalls >= a.syscalls + 11);
	CHECK(a.nproc >= 3 && a.nproc <= NPROC);
	CHECK(a.ptpages_user > 0);
	CHECK(b.ctx_switches >= a.ctx_switches);
	CHECK(b.copyout_calls > a.copyout_calls);
}

/* design() returns the config's traits line; its config is its design
 * name plus the axes that are on. */
static void
test_design(void)
{
	char line[256], cfg[32], dname[32], asid[4], mega[4], want[48];
	int n;

	memset(line, 0, sizeof(line));
	n = design(line, sizeof(line));
	CHECK(n > 0 && n == strlen(line));
	CHECK(design(line, n) == -1); /* no room for the NUL */
	CHECK(design_trait("config", cfg, sizeof(cfg)) > 0);
	CHECK(design_trait("design", dname, sizeof(dname)) > 0);
	CHECK(design_trait("asid", asid, sizeof(asid)) == 1);
	CHECK(design_trait("megapages", mega, sizeof(mega)) == 1);
	CHECK(design_trait("copyin", want, sizeof(want)) > 0);
	CHECK(design_trait("trap_switch", want, sizeof(want)) > 0);
	CHECK(design_trait("nosuchkey", want, sizeof(want)) == -1);
	CHECK(design_trait("config", want, 2) == -1);
	snprintf(want, sizeof(want), "%s%s%s", dname, asid[0] == '1' ? "-asid" : "",
	         mega[0] == '1' ? "-mega" : "");
	CHECK(strcmp(cfg, want) == 0);
}

/* The kernel mirror of the user table stays consistent after fork, exec
 * and sbrk up and down (kptcheck is 0 in designs without a mirror). */
/* One window of the exact-count test: two kstats() around 10 getpid(),
 * 3 writes of 100 bytes to /null and one open() of a missing 10-byte path.
 * Returns 0 when the window saw an interrupt (to be tried again). */
static int
kstats_window(struct kstats *a, struct kstats *b, int fd, const char *src)
{
	int i;

	CHECK(kstats(a) == 0);
	for (i = 0; i < 10; i++)
		getpid();
	for (i = 0; i < 3; i++)
		CHECK(write(fd, src, 100) == 100);
	CHECK(open(src + 1024, O_RDONLY) == -1); /* "/nonexist" */
	CHECK(kstats(b) == 0);
	return b->interrupts == a->interrupts;
}

/* The kernel's counters are exact: between two
 * kstats() calls the deltas are exactly what the calls made do. The
 * first kstats' return and the second's entry are in the window. */
static void
test_kstatsexact(void)
{
	struct kstats *a, *b;
	char name[32], *page;
	int fd, tries;

	page = sbrk(2 * PGSIZE);
	CHECK(page != (char *)-1);
	page = (char *)PGROUNDUP(page); /* a and b, and the source, in one page */
	a = (struct kstats *)page;
	b = a + 1;
	strcpy(page + 2048, "/nonexist");
	CHECK(design_trait("config", name, sizeof(name)) > 0);
	fd = open("/null", O_WRONLY);
	CHECK(fd >= 0);
	for (tries = 0; !kstats_window(a, b, fd, page + 1024); tries++)
		CHECK(tries < 5);
	CHECK(b->syscalls - a->syscalls == 10 + 3 + 1 + 1); /* getpid, write, open, kstats */
	/* The trampoline switches tables in and out (trap_switch=yes), with a
	 * flush each time unless ASIDs make it unneeded. */
	CHECK(b->satp_writes - a->satp_writes == (trait_is("trap_switch", "yes") ? 2 * 15 : 0));
	CHECK(b->sfences - a->sfences ==
	      (trait_is("trap_switch", "yes") && trait_is("asid", "0") ? 2 * 15 : 0));
	CHECK(b->sfences - a->sfences == (b->sfence_all - a->sfence_all) +
	                                     (b->sfence_asid - a->sfence_asid) +
	                                     (b->sfence_addr - a->sfence_addr) +
	                                     (b->sfence_addr_asid - a->sfence_addr_asid));
	CHECK(b->copyin_calls - a->copyin_calls == 3);
	CHECK(b->copyin_bytes - a->copyin_bytes == 300);
	CHECK(b->copyinstr_calls - a->copyinstr_calls == 1);
	CHECK(b->copyinstr_bytes - a->copyinstr_bytes == 10); /* "/nonexist" and its NUL */
	CHECK(b->copyout_calls - a->copyout_calls == 1);      /* the first kstats' result */
	CHECK(b->copyout_bytes - a->copyout_bytes == sizeof(struct kstats));
	CHECK(b->ctx_switches == a->ctx_switches && b->idle_entries == a->idle_entries);
	/* Page-walk steps: 3 levels per page walked. The walk designs walk for
	 * every copy (3 writes, 1 path, 1 result); the others only for
	 * copyout. */
	if (!trait_is("copyin", "walk"))
		CHECK(b->walk_steps - a->walk_steps == 3);
	else
		CHECK(b->walk_steps - a->walk_steps == 3 * 5);
	close(fd);
}

static uint64 guard_page(void);

/* Kernel code outside the copy routines cannot read user memory by
 * accident: the kernel's read of a user page faults, unless the design
 * maps user memory into the kernel table on purpose (copyin=direct, the
 * mirror). With copyin=sum this shows SUM is clear outside the copies.
 * The stack guard page faults in every design, for the kernel too (in
 * unified the kernel runs on the user table, so its PTE must not be a
 * readable one whatever PTE_U says), while the stack's bottom page above
 * it is ordinary user memory. */
static void
test_uprobe(void)
{
	char *page = sbrk(PGSIZE);
	int want = trait_is("copyin", "direct") ? 0 : 1;
	uint64 g = guard_page();

	CHECK(page != (char *)-1);
	page[0] = 1;
	CHECK(uprobe(page) == want);
	CHECK(uprobe(0) == want); /* the first text page */
	CHECK(uprobe((void *)0x0c000000) == -1); /* not a user address */
	if (uprobe((void *)g) != 1 || uprobe((void *)(g + PGSIZE - 8)) != 1)
		fail("a kernel read of the stack guard page did not fault");
	CHECK(uprobe((void *)(g + PGSIZE)) == want);
	CHECK(sbrk(-PGSIZE) != (char *)-1);
}

/* pin(): a hart that is not running, or no hart number at all, is
 * refused and changes nothing; hart 0 always runs; -1 unpins. */
static void
test_pin(void)
{
	CHECK(pin(-2) == -1);
	CHECK(pin(64) == -1);
	CHECK(pin(0x7fffffff) == -1);
	CHECK(pin(0) == 0);
	CHECK(getpid() > 0);
	CHECK(pin(0) == 0); /* already there */
	CHECK(pin(-1) == 0);
}

/* Per-process kernel tables and mirrors of many processes are freed: 40
 * children each grow by 1 MiB (a mirror level-0 page in umap) and exit;
 * afterwards the page-table page counts are what they were. */
static void
test_kptmany(void)
{
	struct kstats before, during, after;
	int pids[40], i, fds[2];
	char c;

	CHECK(kstats(&before) == 0);
	xpipe(fds);
	for (i = 0; i < 40; i++) {
		pids[i] = xfork();
		if (pids[i] == 0) {
			close(fds[1]);
			if (sbrk(1024 * 1024) == (char *)-1)
				exit(2);
			if (kptcheck() != 0)
				exit(3);
			read(fds[0], &c, 1); /* hold the tables until released */
			exit(0);
		}
	}
	sleep(2);
	CHECK(kstats(&during) == 0);
	/* every child holds at least its user root and level-1 pages */
	CHECK(during.ptpages_user >= before.ptpages_user + 40 * 2);
	close(fds[1]);
	for (i = 0; i < 40; i++) {
		int status = xwait(pids[i]);
		if (status != 0)
			fail("child %d exited with %d", i, status);
	}
	close(fds[0]);
	CHECK(kstats(&after) == 0);
	if (after.ptpages_user != before.ptpages_user || after.ptpages_kproc != before.ptpages_kproc)
		fail("table pages: user %ld -> %ld, kproc %ld -> %ld", before.ptpages_user,
		     after.ptpages_user, before.ptpages_kproc, after.ptpages_kproc);
}

/* Write n bytes at src to a file and read them back; 0 when they came
 * back intact, -1 when the write was refused (and wrote nothing). */
static int
roundtrip(const char *src, int n)
{
	struct stat st;
	int fd, r;

	fd = open("cedge.tmp", O_CREATE | O_RDWR | O_TRUNC);
	CHECK(fd >= 0);
	r = write(fd, src, n);
	CHECK(fstat(fd, &st) == 0);
	close(fd);
	if (r == n) {
		CHECK(st.size == n);
		fd = open("cedge.tmp", O_RDONLY);
		CHECK(fd >= 0);
		read_full(fd, big, n);
		close(fd);
		if (memcmp(big, src, n) != 0)
			fail("bytes changed on their way through the kernel");
	} else if (r != -1 || st.size != 0) {
		fail("refused write returned %d and wrote %ld bytes", r, (long)st.size);
	}
	CHECK(unlink("cedge.tmp") == 0);
	return r == n ? 0 : -1;
}

/* copyin and copyinstr across page boundaries and at the very end of user
 * memory, with the break not page aligned (the rest of the last page is
 * mapped in the user table but is not the process's memory): every design
 * must give the same answers. */
static void
test_copyedge(void)
{
	char *base, *end;
	int i;

	base = sbrk(3 * PGSIZE + 123);
	CHECK(base != (char *)-1);
	end = sbrk(0);
	CHECK(kptcheck() == 0);
	for (i = 0; i < 3 * PGSIZE + 123; i++)
		base[i] = 'a' + i % 26;
	/* across one and two page boundaries, from unaligned starts */
	CHECK(roundtrip(base + PGSIZE - 5, 10) == 0);
	CHECK(roundtrip(base + PGSIZE - 1, 2 * PGSIZE + 2) == 0);
	CHECK(roundtrip(base + 1, 3 * PGSIZE + 122) == 0); /* fits big[] */
	/* the last byte is in; one more is not, though its page is mapped */
	CHECK(roundtrip(end - 1, 1) == 0);
	CHECK(roundtrip(end - 1, 2) == -1);
	CHECK(roundtrip(end, 1) == -1);
	/* strings: NUL on the last byte works, NUL just past the end does not */
	memmove(end - 6, "/cedg", 5);
	end[-1] = 0;
	CHECK(mkdir(end - 6) == 0);
	CHECK(unlink(end - 6) == 0);
	end[-1] = 'x';
	CHECK(mkdir(end - 6) == -1);
	CHECK(open(end - 6, O_RDONLY) == -1);
	/* a path that crosses into the next page */
	memmove(base + PGSIZE - 3, "/cross", 7);
	CHECK(mkdir(base + PGSIZE - 3) == 0);
	CHECK(unlink("/cross") == 0);
	/* shrink by a part of a page: the bytes past the new break are out */
	CHECK(sbrk(-100) == end);
	CHECK(kptcheck() == 0);
	CHECK(roundtrip(end - 101, 1) == 0);
	CHECK(roundtrip(end - 100, 1) == -1);
}

static void
test_kptcheck(void)
{
	static char *argv[] = {"uthelper", "kptcheck", 0};
	int pid, status, i;

	CHECK(kptcheck() == 0);
	for (i = 1; i <= 8; i++) {
		CHECK(sbrk(i * 3 * PGSIZE + 100) != (char *)-1);
		CHECK(kptcheck() == 0);
		CHECK(sbrk(-(i * 2 * PGSIZE)) != (char *)-1);
		CHECK(kptcheck() == 0);
	}
	pid = xfork();
	if (pid == 0)
		exit(kptcheck() == 0 ? 0 : 1);
	CHECK(xwait(pid) == 0);
	CHECK(kptcheck() == 0);
	capture("/uthelper", argv, buf, sizeof(buf), &status);
	if (status != 0)
		fail("after exec: kptcheck status %d", status);
	CHECK(kptcheck() == 0);
}

/* ==== threads ============================================================= */

#define THR_STACK 4096
static char thr_stacks[NTHREAD][THR_STACK] __attribute__((aligned(16)));
static volatile uint64 thr_shared[NTHREAD]; /* one word per thread */
static volatile uint64 thr_total;           /* added to by every thread */
static volatile int thr_go;                 /* set to let spinning threads end */

/* The top of thread stack i. */
static void *
thr_top(int i)
{
	return thr_stacks[i] + THR_STACK;
}

/* thread_create or fail. */
static int
xthread(void (*fn)(void *), uint64 arg, int stack)
{
	int tid = thread_create(fn, (void *)arg, thr_top(stack));
	if (tid < 0)
		fail("thread_create %d failed", stack);
	return tid;
}

/* Add 1 to its own word and to the shared total 1000 times, then end
 * with its index plus 10 as status. */
static void
thr_adder(void *arg)
{
	uint64 i = (uint64)arg;
	for (int n = 0; n < 1000; n++) {
		thr_shared[i]++;
		__atomic_fetch_add(&thr_total, 1, __ATOMIC_RELAXED);
	}
	thread_exit((int)i + 10);
}

/* Spin until thr_go, then end with status 3; or forever. */
static void
thr_spin(void *arg)
{
	while (!thr_go)
		;
	thread_exit(3);
}

/* Threads share memory: NTHREAD - 1 threads add to their own words and
 * a shared total; each is joined with its own status, every sum is
 * exact, and what they wrote is the caller's memory (and a pipe opened
 * by the caller is theirs). A second join of a tid fails. */
static void
test_thrshare(void)
{
	int tids[NTHREAD], i, status;

	thr_total = 0;
	for (i = 1; i < NTHREAD; i++)
		tids[i] = xthread(thr_adder, i, i);
	for (i = 1; i < NTHREAD; i++) {
		CHECK(thread_join(tids[i], &status) == tids[i]);
		CHECK(status == i + 10);
		CHECK(thr_shared[i] == 1000);
		CHECK(thread_join(tids[i], 0) == -1);
	}
	CHECK(thr_total == 1000 * (NTHREAD - 1));
	CHECK(kptcheck() == 0);
}

/* thr_sbrk's grower: 40 times, grow by 1-8 pages, fill them, check
 * them, shrink back; then thr_go. */
static void
thr_grower(void *arg)
{
	for (int r = 0; r < 40; r++) {
		int n = (r % 8 + 1) * PGSIZE;
		char *a = sbrk(n);
		if (a == (char *)-1)
			fail("thread sbrk(%d) failed", n);
		memset(a, r, n);
		for (int j = 0; j < n; j += PGSIZE)
			if (a[j] != (char)r)
				fail("thread sbrk: page %d lost", j / PGSIZE);
		if (sbrk(-n) == (char *)-1)
			fail("thread sbrk(-%d) failed", n);
	}
	thr_go = 1;
	thread_exit(0);
}

/* thr_sbrk's readers: until thr_go, read the caller's memory below the
 * break (by load, and through write() to /null), and write() from just
 * under the moving break (the call may fail as it shrinks, never more). */
static void
thr_reader(void *arg)
{
	int fd = (int)(uint64)arg;
	uint64 sum = 0;
	while (!thr_go) {
		for (int i = 0; i < (int)sizeof(big); i += 512)
			sum += big[i];
		if (write(fd, big, sizeof(big)) != sizeof(big))
			fail("write of stable memory failed");
		char *brk = sbrk(0);
		struct kstats ks;
		int r = write(fd, brk - 2 * PGSIZE, 2 * PGSIZE);
		if (r != 2 * PGSIZE && r != -1)
			fail("write across a shrinking break: %d", r);
		/* copyout and copyinstr racing the shrink: 0 or -1 (or, for
		 * open, whatever the bytes there name) */
		if (kstats((struct kstats *)(brk - sizeof(ks))) < -1)
			fail("kstats near the break");
		int ofd = open(brk - 200, O_RDONLY); /* whatever is there: no crash */
		if (ofd >= 0)
			close(ofd);
	}
	thread_exit(sum == 0 ? 0 : 1);
}

/* A thread grows and shrinks the shared memory while others read it and
 * copy from it: no reader faults or sees a change below the break, and
 * afterwards the memory is as before (umap: the mirror too). */
static void
test_thrsbrk(void)
{
	int tids[4], i, status, fd = open("/null", O_WRONLY);
	char *brk0 = sbrk(0);

	CHECK(fd >= 0);
	memset(big, 0, sizeof(big));
	thr_go = 0;
	for (i = 1; i < 4; i++)
		tids[i] = xthread(thr_reader, fd, i);
	tids[0] = xthread(thr_grower, 0, 0);
	for (i = 0; i < 4; i++) {
		CHECK(thread_join(tids[i], &status) == tids[i]);
		CHECK(status == 0);
	}
	CHECK(sbrk(0) == brk0);
	CHECK(kptcheck() == 0);
	close(fd);
}

static char *thr_pages[4][10]; /* thrsbrkrace: what each thread's sbrk gave */

/* Grow by a page 10 times, stamping each page with the thread's index. */
static void
thr_sbrker(void *arg)
{
	int i = (int)(uint64)arg;
	for (int k = 0; k < 10; k++) {
		char *a = sbrk(PGSIZE);
		if (a == (char *)-1)
			fail("thread sbrk failed");
		memset(a, 'a' + i, PGSIZE);
		thr_pages[i][k] = a;
	}
	thread_exit(0);
}

/* Four threads grow the shared memory at once, a page at a time: each
 * sbrk returns the start of a page no other got (the old break of its
 * own change), and every page holds what its thread wrote. */
static void
test_thrsbrkrace(void)
{
	int tids[4], i, k, j, l;
	char *brk0 = sbrk(0);

	for (i = 0; i < 4; i++)
		tids[i] = xthread(thr_sbrker, i, i);
	for (i = 0; i < 4; i++)
		CHECK(thread_join(tids[i], 0) == tids[i]);
	CHECK(sbrk(0) == brk0 + 40 * PGSIZE);
	for (i = 0; i < 4; i++)
		for (k = 0; k < 10; k++) {
			char *a = thr_pages[i][k];
			CHECK(a >= brk0 && a < brk0 + 40 * PGSIZE && (uint64)a % PGSIZE == 0);
			CHECK(a[0] == 'a' + i && a[PGSIZE - 1] == 'a' + i);
			for (j = 0; j < 4; j++)
				for (l = 0; l < 10; l++)
					CHECK((j == i && l == k) || thr_pages[j][l] != a);
		}
	CHECK(sbrk(-40 * PGSIZE) == brk0 + 40 * PGSIZE);
	CHECK(kptcheck() == 0);
}

/* A child with spinning threads; one thread calls fn. The child's exit
 * status. */
static int
thr_child(void (*fn)(void *), int nspin)
{
	int pid = xfork();
	if (pid == 0) {
		thr_go = 0;
		for (int i = 1; i <= nspin; i++)
			xthread(thr_spin, 0, i);
		xthread(fn, 0, 0);
		for (;;)
			sleep(1);
	}
	return xwait(pid);
}

static void
thr_exit7(void *arg)
{
	sleep(2);
	exit(7);
}

static void
thr_exitmain(void *arg)
{
	thread_exit(5);
}

/* exit() in a thread ends the whole process with its status, its other
 * threads (spinning, or the leader asleep) with it; thread_exit in the
 * leader is exit; a thread that ends by itself is joined with its
 * status, and one left unjoined is freed when its process ends. */
static void
test_threxit(void)
{
	int pid, status;

	CHECK(thr_child(thr_exit7, 3) == 7);
	pid = xfork();
	if (pid == 0) {
		xthread(thr_exitmain, 0, 0); /* never joined */
		xthread(thr_spin, 0, 1);
		thread_exit(9); /* the leader: the process ends */
	}
	CHECK(xwait(pid) == 9);
	pid = xfork();
	if (pid == 0) {
		int tid = xthread(thr_exitmain, 0, 0);
		CHECK(thread_join(tid, &status) == tid && status == 5);
		exit(0);
	}
	CHECK(xwait(pid) == 0);
}

static void
thr_sleeper(void *arg)
{
	for (;;)
		sleep(1000);
}

static void
thr_piper(void *arg)
{
	char c;
	read((int)(uint64)arg, &c, 1); /* nobody writes */
	thread_exit(0);
}

/* kill(pid) of a process kills every thread, spinning, asleep, blocked
 * in a pipe or in thread_join: wait gives -1; kill of the pid a second
 * time, once it is reaped, fails. A thread killing its own process ends
 * it too. */
static void
test_thrkill(void)
{
	int fds[2], pid;

	xpipe(fds);
	pid = xfork();
	if (pid == 0) {
		xthread(thr_spin, 0, 1);
		xthread(thr_sleeper, 0, 2);
		xthread(thr_piper, fds[0], 3);
		int tid = xthread(thr_spin, 0, 4);
		thread_join(tid, 0);
		exit(0);
	}
	sleep(5);
	CHECK(kill(pid) == 0);
	CHECK(xwait(pid) == -1);
	CHECK(kill(pid) == -1);
	pid = xfork();
	if (pid == 0) {
		xthread(thr_sleeper, 0, 1);
		kill(getpid());
		exit(0);
	}
	CHECK(xwait(pid) == -1);
	close(fds[0]);
	close(fds[1]);
}

/* thr_forkexec's forker: fork; the child (single-threaded) checks its
 * copy of memory and exits 40 + how many threads it could add (1). */
static void
thr_forker(void *arg)
{
	thr_shared[0] = 77;
	int pid = fork();
	if (pid == 0) {
		int ok = thr_shared[0] == 77;
		thr_go = 1; /* its own copy */
		int tid = thread_create(thr_spin, 0, thr_top(2));
		exit(ok && tid > 0 && thread_join(tid, 0) == tid ? 41 : 1);
	}
	int status = xwait(pid);
	thread_exit(status == 41 && thr_go == 0 ? 0 : 1);
}

static void
thr_execer(void *arg)
{
	static char *argv[] = {"echo", "exec from a thread", 0};
	sleep(2);
	exec("/echo", argv);
	exit(99);
}

/* fork from a thread gives a single-threaded child with a copy of the
 * memory; exec from a thread (not the leader) ends the other threads,
 * spinning and asleep, and runs the program as the process (the parent
 * reaps it with the program's status). */
static void
test_thrforkexec(void)
{
	int status, tid, pid, fds[2];

	thr_go = 0;
	xthread(thr_spin, 0, 1);
	tid = xthread(thr_forker, 0, 0);
	CHECK(thread_join(tid, &status) == tid);
	CHECK(status == 0);
	thr_go = 1;
	xpipe(fds);
	pid = xfork();
	if (pid == 0) {
		close(fds[0]);
		close(1);
		dup(fds[1]); /* fd 1: the program writes into the pipe */
		close(fds[1]);
		thr_go = 0;
		xthread(thr_spin, 0, 1);
		xthread(thr_sleeper, 0, 2);
		xthread(thr_execer, 0, 3);
		for (;;)
			sleep(1);
	}
	close(fds[1]);
	int n = 0, r;
	while ((r = read(fds[0], buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	buf[n] = 0;
	close(fds[0]);
	CHECK(xwait(pid) == 0);
	CHECK(strcmp(buf, "exec from a thread\n") == 0);
}

static volatile char *thr_page; /* thrshrink's page */
static volatile int thr_reading;

/* Load thr_page's first byte forever. */
static void
thr_loader(void *arg)
{
	uint64 sum = 0;
	for (;;) {
		sum += thr_page[0];
		thr_reading = 1;
	}
}

/* A thread keeps loading from a page that another thread's sbrk then
 * takes away: the loading thread faults (no translation of the page
 * survives the shrink on its hart: aspace.h), and the fault kills the
 * process (status -1); the page's frame is not freed under it before
 * that (the free-page count checks the rest). */
static void
test_thrshrink(void)
{
	int pid = xfork();
	if (pid == 0) {
		char *a = sbrk(PGSIZE);
		if (a == (char *)-1)
			fail("sbrk failed");
		a[0] = 1;
		thr_page = a;
		xthread(thr_loader, 0, 1);
		while (!thr_reading)
			;
		if (sbrk(-PGSIZE) == (char *)-1)
			fail("sbrk(-PGSIZE) failed");
		for (;;)
			sleep(1);
	}
	CHECK(xwait(pid) == -1);
}

static volatile int thr_pinned; /* thripi: 1 on hart 1, -1 when there is none */

/* Run on hart 1 and spin until thr_go (or end at once without hart 1). */
static void
thr_on_hart1(void *arg)
{
	for (int tries = 0; pin(1) < 0; tries++) {
		if (tries == 10) {
			thr_pinned = -1;
			thread_exit(0);
		}
		sleep(1);
	}
	thr_pinned = 1;
	while (!thr_go)
		;
	thread_exit(0);
}

/* The shootdown policy the thread tests' counts assume (kernel/shoot.h:
 * lazy targeting, by page up to 64, direct IPIs, no Svinval); the
 * policy before goes into old. */
static void
shoot_default(int old[SHOOT_NKNOB])
{
	static const int want[SHOOT_NKNOB] = {
	    [SHOOT_TARGET] = SHOOT_LAZY, [SHOOT_THRESHOLD] = 64,
	    [SHOOT_VIA] = SHOOT_SSWI,    [SHOOT_SVINVAL] = 0,
	};
	for (int k = 0; k < SHOOT_NKNOB; k++) {
		old[k] = shootctl(k, want[k]);
		CHECK(old[k] >= 0);
	}
}

static void
shoot_restore(const int old[SHOOT_NKNOB])
{
	for (int k = 0; k < SHOOT_NKNOB; k++)
		CHECK(shootctl(k, old[k]) >= 0);
}

/* Whether a target fences at all (ipi.h): not where traps switch satp
 * without ASIDs and the kernel table maps no user memory. */
static int
remote_fences_needed(const struct kstats *k)
{
	return !(trait_is("trap_switch", "yes") && trait_is("user_mirror", "no") &&
	         k->asid_bits == 0);
}

/* A shrink while another thread of the address space runs on another
 * hart is a shootdown: one IPI to that hart, which fences and
 * acknowledges before sbrk returns (kstats: shootdowns, shootdown_pages,
 * ipis_sent, ipis_received, remote_fences). At 1 hart there is no other
 * hart, and no shootdown. */
static void
test_thripi(void)
{
	struct kstats a, b;
	int tid;

	int old[SHOOT_NKNOB];

	shoot_default(old);
	CHECK(pin(0) == 0);
	thr_go = 0;
	thr_pinned = 0;
	CHECK(sbrk(4 * PGSIZE) != (char *)-1);
	tid = xthread(thr_on_hart1, 0, 1);
	while (thr_pinned == 0)
		sleep(1);
	CHECK(kstats(&a) == 0);
	CHECK(sbrk(-4 * PGSIZE) != (char *)-1);
	CHECK(kstats(&b) == 0);
	shoot_restore(old);
	if (thr_pinned > 0) {
		/* Where traps switch satp without ASIDs and the kernel table
		 * maps no user memory, the IPI's trap has flushed the user
		 * entries: the target only acknowledges. Else it fences the 4
		 * pages (at the default threshold, 64) in each ASID of the
		 * address space (umap-asid: 2), or in every one. */
		int fences = remote_fences_needed(&b);
		unsigned long pages = b.remote_fence_pages - a.remote_fence_pages;
		CHECK(b.shootdowns - a.shootdowns == 1);
		CHECK(b.shootdown_pages - a.shootdown_pages == 4);
		CHECK(b.ipis_sent - a.ipis_sent == 1);
		CHECK(b.ipis_received - a.ipis_received >= 1);
		CHECK(b.remote_fences - a.remote_fences == fences);
		CHECK(fences ? pages == 4 || pages == 8 : pages == 0);
		CHECK(b.remote_fence_asids == a.remote_fence_asids &&
		      b.remote_fence_alls == a.remote_fence_alls);
	} else {
		CHECK(b.shootdowns == a.shootdowns && b.ipis_sent == a.ipis_sent);
	}
	thr_go = 1;
	CHECK(thread_join(tid, 0) == tid);
	CHECK(pin(-1) == 0);
}

/* One 4-page shrink with a thread of the address space on hart 1 (or,
 * with alone set, with none: the process itself ran on hart 1 before),
 * under policy target / threshold / via / svinval; the counters'
 * differences into *d. 0, or -1 without a hart 1. */
static int
shoot_once(int target, int threshold, int via, int svinval, int alone, struct kstats *d)
{
	struct kstats a, b;
	int old[SHOOT_NKNOB], tid = 0;
	unsigned long *pa = (unsigned long *)&a, *pb = (unsigned long *)&b, *pd = (unsigned long *)d;

	shoot_default(old);
	CHECK(shootctl(SHOOT_TARGET, target) >= 0);
	CHECK(shootctl(SHOOT_THRESHOLD, threshold) >= 0);
	CHECK(shootctl(SHOOT_VIA, via) >= 0);
	if (shootctl(SHOOT_SVINVAL, svinval) < 0) {
		CHECK(svinval == 1); /* the harts lack Svinval: refused */
		shoot_restore(old);
		return -1;
	}
	thr_go = 0;
	thr_pinned = 0;
	char *p = sbrk(4 * PGSIZE);
	CHECK(p != (char *)-1);
	if (alone) {
		if (pin(1) < 0) {
			shoot_restore(old);
			CHECK(sbrk(-4 * PGSIZE) != (char *)-1);
			return -1;
		}
		p[0] = 1; /* loaded and cached on hart 1 */
		CHECK(pin(0) == 0);
	} else {
		CHECK(pin(0) == 0);
		tid = xthread(thr_on_hart1, 0, 1);
		while (thr_pinned == 0)
			sleep(1);
	}
	CHECK(kstats(&a) == 0);
	CHECK(sbrk(-4 * PGSIZE) != (char *)-1);
	CHECK(kstats(&b) == 0);
	shoot_restore(old);
	if (!alone) {
		thr_go = 1;
		CHECK(thread_join(tid, 0) == tid);
	}
	CHECK(pin(-1) == 0);
	if (!alone && thr_pinned < 0)
		return -1;
	for (int i = 0; i < (int)(sizeof(a) / sizeof(unsigned long)); i++)
		pd[i] = pb[i] - pa[i];
	d->asid_bits = b.asid_bits; /* state, not an event */
	return 0;
}

/* Each shootdown policy (kernel/shoot.h) does what it says: every
 * targeting policy interrupts hart 1 when a thread runs there; with the
 * process alone, after it ran on hart 1, the mask policy still does
 * where ASIDs keep hart 1's entries (Linux's mm_cpumask), the lazy one
 * never (hart 1 fences when it next loads the address space); a shrink
 * above the threshold fences whole ASIDs (or everything) remotely, at
 * or below it page by page; M-mode delivery makes one ecall per
 * shootdown; Svinval turns page fences into sinval.vma between the two
 * ordering fences. At 1 hart: nothing to check. */
static void
test_thrpolicy(void)
{
	struct kstats d;
	CHECK(shootctl(SHOOT_TARGET, -1) >= 0);
	CHECK(shootctl(SHOOT_NKNOB, 0) == -1 && shootctl(-1, -1) == -1);
	CHECK(shootctl(SHOOT_TARGET, SHOOT_LAZY + 1) == -1);
	CHECK(shootctl(SHOOT_THRESHOLD, SHOOT_THRESHOLD_MAX + 1) == -1);
	for (int t = SHOOT_ALL; t <= SHOOT_LAZY; t++) {
		if (shoot_once(t, 64, SHOOT_SSWI, 0, 0, &d) < 0)
			return; /* no hart 1 */
		int fences = remote_fences_needed(&d);
		CHECK(d.shootdowns == 1 && d.ipis_sent >= 1 && d.ipis_received >= 1);
		CHECK(d.remote_fences == (unsigned long)(fences ? d.ipis_sent : 0) || t == SHOOT_ALL);
		CHECK(d.remote_fence_asids == 0 && d.remote_fence_alls == 0);
		CHECK(fences ? d.remote_fence_pages >= 4 : d.remote_fence_pages == 0);
		CHECK(d.ipi_ecalls == 0 && d.sinvals == 0);
	}
	/* Above the threshold: whole ASIDs, or everything without ASIDs. */
	CHECK(shoot_once(SHOOT_LAZY, 2, SHOOT_SSWI, 0, 0, &d) == 0);
	CHECK(d.remote_fence_pages == 0);
	if (remote_fences_needed(&d))
		CHECK(d.remote_fence_asids + d.remote_fence_alls >= 1);
	/* Through M-mode: one ecall. */
	CHECK(shoot_once(SHOOT_LAZY, 64, SHOOT_MMODE, 0, 0, &d) == 0);
	CHECK(d.ipi_ecalls == 1 && d.ipis_sent == 1 && d.ipis_received >= 1);
	/* Svinval, where the harts have it: no sfence.vma by address. */
	if (shoot_once(SHOOT_LAZY, 64, SHOOT_SSWI, 1, 0, &d) == 0) {
		CHECK(d.sfence_addr == 0 && d.sfence_addr_asid == 0);
		CHECK(d.sinvals % 4 == 0 && d.inval_fences == d.sinvals / 2);
		if (remote_fences_needed(&d))
			CHECK(d.sinvals >= 4);
	}
	/* Alone after a stay on hart 1: mask interrupts it where ASIDs keep
	 * what it cached, lazy never. */
	CHECK(shoot_once(SHOOT_MASK, 64, SHOOT_SSWI, 0, 1, &d) == 0);
	CHECK(d.ipis_sent == (d.asid_bits != 0 ? 1UL : 0UL));
	CHECK(shoot_once(SHOOT_LAZY, 64, SHOOT_SSWI, 0, 1, &d) == 0);
	CHECK(d.ipis_sent == 0 && d.shootdowns == 0);
}

/* Bad arguments change nothing: thread_create with a stack that is
 * unaligned, 0, past the break, on the guard page, in the kernel, or a
 * function past the break; thread_join of itself, of the leader, of 0,
 * -1, a tid never made, or with a status pointer that is not the
 * caller's memory (the thread stays joinable); no more than NTHREAD
 * threads. */
static void
test_thrbad(void)
{
	uint64 guard = guard_page();
	char *brk = sbrk(0);
	int tids[NTHREAD], i, status;

	CHECK(thread_create(thr_spin, 0, (char *)thr_top(1) - 8) == -1);
	CHECK(thread_create(thr_spin, 0, 0) == -1);
	CHECK(thread_create(thr_spin, 0, brk + 16 * PGSIZE) == -1);
	CHECK(thread_create(thr_spin, 0, (void *)(guard + PGSIZE / 2)) == -1);
	CHECK(thread_create(thr_spin, 0, (void *)(KERNEL_ADDR + 4096)) == -1);
	CHECK(thread_create(thr_spin, 0, (void *)TOP_VA) == -1);
	CHECK(thread_create((void (*)(void *))(brk + PGSIZE), 0, thr_top(1)) == -1);
	CHECK(thread_create((void (*)(void *))KERNEL_ADDR, 0, thr_top(1)) == -1);
	CHECK(thread_join(0, 0) == -1);
	CHECK(thread_join(-1, 0) == -1);
	CHECK(thread_join(getpid(), 0) == -1);
	CHECK(thread_join(0x7fffffff, 0) == -1);
	thr_go = 0;
	for (i = 1; i < NTHREAD; i++)
		tids[i] = xthread(thr_spin, 0, i);
	CHECK(thread_create(thr_spin, 0, thr_top(0)) == -1); /* NTHREAD in all */
	thr_go = 1;
	CHECK(thread_join(tids[1], (int *)KERNEL_ADDR) == -1);
	CHECK(thread_join(tids[1], (int *)(brk + PGSIZE)) == -1);
	CHECK(thread_join(tids[1], (int *)guard) == -1);
	for (i = 1; i < NTHREAD; i++) {
		CHECK(thread_join(tids[i], &status) == tids[i]);
		CHECK(status == 3);
	}
}

/* Threads come and go: 150 made and joined, a few at a time, and the
 * process's memory and process slots are back where they were (the
 * free-page count of every test checks the rest). */
static void
test_thrmany(void)
{
	int tids[4], i, j, status;
	struct kstats a, b;

	CHECK(kstats(&a) == 0);
	for (i = 0; i < 50; i++) {
		thr_total = 0;
		for (j = 1; j < 4; j++)
			tids[j] = xthread(thr_adder, j, j);
		for (j = 1; j < 4; j++)
			CHECK(thread_join(tids[j], &status) == tids[j] && status == j + 10);
	}
	CHECK(kstats(&b) == 0);
	CHECK(a.nproc == b.nproc && a.free_pages == b.free_pages);
	CHECK(a.ptpages_user == b.ptpages_user && a.ptpages_kproc == b.ptpages_kproc);
}

/* ==== memory: sbrk, out of memory, the stack guard ====================== */

/* sbrk returns the old break, moves it by n (pages or single bytes) and
 * the new memory can be written and read. */
static void
test_sbrkbasic(void)
{
	char *a, *b;
	int i;

	a = sbrk(0);
	CHECK(sbrk(0) == a);
	CHECK(sbrk(PGSIZE) == a);
	CHECK(sbrk(0) == a + PGSIZE);
	for (i = 0; i < PGSIZE; i++)
		a[i] = i;
	for (i = 0; i < PGSIZE; i++)
		CHECK(a[i] == (char)i);
	CHECK(sbrk(-PGSIZE) == a + PGSIZE);
	CHECK(sbrk(0) == a);
	b = sbrk(1);
	CHECK(b == a);
	*b = 'x';
	CHECK(sbrk(0) == a + 1);
	CHECK(sbrk(-1) == a + 1);
	CHECK(sbrk(0) == a);
}

/* Grow by 1 MiB, touch every page, shrink back. */
static void
test_sbrkbig(void)
{
	int n = 1024 * 1024, i;
	uint64 before = free_pages();
	char *a;

	a = sbrk(n);
	CHECK(a != (char *)-1);
	CHECK(free_pages() + n / PGSIZE <= before);
	for (i = 0; i < n; i += PGSIZE) {
		CHECK(a[i] == 0 && a[i + PGSIZE - 1] == 0);
		a[i] = i / PGSIZE + 1;
	}
	for (i = 0; i < n; i += PGSIZE)
		CHECK(a[i] == (char)(i / PGSIZE + 1));
	CHECK(sbrk(-n) == a + n);
	CHECK(free_pages() + 2 >= before);
}

/* Shrinking by more than the whole process fails and changes nothing. */
static void
test_sbrkneg(void)
{
	char *a = sbrk(0);

	CHECK(sbrk(-(int)((uint64)a + PGSIZE)) == (char *)-1);
	CHECK(sbrk(0) == a);
	CHECK(sbrk(-0x7fffffff) == (char *)-1);
	CHECK(sbrk(0) == a);
}

/* Growing past the PLIC address (or by an absurd amount) fails in every
 * design, and leaves the break where it was. */
static void
test_sbrkplic(void)
{
	char *a = sbrk(0);

	CHECK(sbrk((int)(PLIC_ADDR - (uint64)a + PGSIZE)) == (char *)-1);
	CHECK(sbrk(0) == a);
	CHECK(sbrk(0x7fffffff) == (char *)-1);
	CHECK(sbrk(0) == a);
	CHECK(sbrk(PGSIZE) == a);
	CHECK(sbrk(-PGSIZE) == a + PGSIZE);
}

/* Memory given back by sbrk is unmapped: touching it kills the process. */
static void
test_sbrkdealloc(void)
{
	int pid;
	char *a;

	pid = xfork();
	if (pid == 0) {
		a = sbrk(2 * PGSIZE);
		a[PGSIZE] = 1;
		sbrk(-2 * PGSIZE);
		*(volatile char *)(a + PGSIZE) = 2;
		exit(0);
	}
	CHECK(xwait(pid) == -1);
}

/* System calls read from and write into freshly sbrk'd memory, across a
 * page boundary. */
static void
test_sbrkcopy(void)
{
	int fds[2];
	char *a;

	a = sbrk(2 * PGSIZE);
	CHECK(a != (char *)-1);
	xpipe(fds);
	pattern_fill(buf, 3000, 9);
	CHECK(write(fds[1], buf, 3000) == 3000);
	read_full(fds[0], a + PGSIZE - 1000, 3000);
	CHECK(pattern_check(a + PGSIZE - 1000, 3000, 9) == -1);
	CHECK(write(fds[1], a + PGSIZE - 1000, 3000) == 3000);
	memset(buf, 0, 3000);
	read_full(fds[0], buf, 3000);
	CHECK(pattern_check(buf, 3000, 9) == -1);
}

/* Grow in steps of size until sbrk fails. Bytes added. */
static uint64
grow_until_failure(int size)
{
	uint64 total = 0;

	while (sbrk(size) != (char *)-1)
		total += size;
	return total;
}

/* A child takes all memory; sbrk then fails cleanly, fork fails, and
 * once the child is gone every page is back, table pages (user tables,
 * per-process kernel tables and mirrors) included. */
static void
test_oom(void)
{
	struct kstats start;
	int pid, r;
	char *p;

	CHECK(kstats(&start) == 0);
	pid = xfork();
	if (pid == 0) {
		if (grow_until_failure(1024 * 1024) + grow_until_failure(PGSIZE) < 4 * 1024 * 1024)
			fail("could only grow by a few MiB");
		r = fork();
		if (r == 0)
			exit(0);
		if (r > 0)
			wait(0);
		CHECK(kptcheck() == 0);
		exit(0);
	}
	CHECK(xwait(pid) == 0);
	check_settled(&start, "after the memory hog");
	p = sbrk(8 * 1024 * 1024);
	CHECK(p != (char *)-1);
	p[8 * 1024 * 1024 - 1] = 1;
	CHECK(sbrk(-8 * 1024 * 1024) != (char *)-1);
}

/* ==== stress: out of memory at every step, mass kills and exits ========= */

/* A ballast process for oomsteps: it holds all memory but what it is
 * told to leave free. Commands come as ints on cmd[0] (a target number
 * of free pages; negative: exit), each answered on reply[1] with the free
 * page count it reached. */
static void
ballast_run(int cmd, int reply)
{
	uint64 held = 0;
	int target, now;

	while (read(cmd, &target, sizeof(target)) == sizeof(target) && target >= 0) {
		/* Big steps first, then single pages; growing may take a
		 * table page or two more, which shrinking page by page
		 * gives back exactly (table pages stay). */
		while ((int)free_pages() > target + 600 && sbrk(512 * PGSIZE) != (char *)-1)
			held += 512 * PGSIZE;
		while ((int)free_pages() > target && sbrk(PGSIZE) != (char *)-1)
			held += PGSIZE;
		while ((int)free_pages() < target && held > 0) {
			sbrk(-PGSIZE);
			held -= PGSIZE;
		}
		now = free_pages();
		write(reply, &now, sizeof(now));
	}
	exit(0);
}

/* The running ballast: its command and reply pipes, and its pid. */
static struct {
	int cmd[2];
	int reply[2];
	int pid;
} ballast;

/* Start the ballast. */
static void
ballast_start(void)
{
	xpipe(ballast.cmd);
	xpipe(ballast.reply);
	ballast.pid = xfork();
	if (ballast.pid == 0) {
		close(ballast.cmd[1]);
		close(ballast.reply[0]);
		ballast_run(ballast.cmd[0], ballast.reply[1]);
	}
	close(ballast.cmd[0]);
	close(ballast.reply[1]);
}

/* Have the ballast leave exactly k pages free, or fail. */
static void
ballast_leave(int k)
{
	int now;

	CHECK(write(ballast.cmd[1], &k, sizeof(k)) == sizeof(k));
	read_full(ballast.reply[0], &now, sizeof(now));
	if (now != k)
		fail("the ballast left %d pages free, not %d", now, k);
}

/* Tell the ballast to exit, and reap it. */
static void
ballast_stop(void)
{
	int stop = -1;

	CHECK(write(ballast.cmd[1], &stop, sizeof(stop)) == sizeof(stop));
	CHECK(xwait(ballast.pid) == 0);
	close(ballast.cmd[1]);
	close(ballast.reply[0]);
}

/* fork with k pages free, for k = 0, 1, ... until it works: each failed
 * fork gives back every page it took. The k it first worked at. */
static int
oom_forks(void)
{
	struct kstats before;
	int k, pid;

	for (k = 0; k < 400; k++) {
		ballast_leave(k);
		CHECK(kstats(&before) == 0);
		pid = fork();
		if (pid == 0)
			exit(0);
		if (pid > 0)
			CHECK(xwait(pid) == 0);
		check_same(&before, pid > 0 ? "fork, exit and wait" : "a failed fork", k);
		if (pid > 0)
			return k;
	}
	fail("fork never worked with up to %d pages free", k);
}

/* Fail unless every page missing since before is a table page now in
 * use (user or per-process kernel): a failed sbrk may keep the tables it
 * made, as shrinking keeps them, until the process exits. */
static void
check_only_tables(const struct kstats *before, int k)
{
	struct kstats now;
	long tables;

	CHECK(kstats(&now) == 0);
	tables =
	    (now.ptpages_user - before->ptpages_user) + (now.ptpages_kproc - before->ptpages_kproc);
	if ((long)(before->free_pages - now.free_pages) != tables || tables < 0)
		fail("a failed sbrk with %d pages free took %ld pages, %ld of them tables", k,
		     (long)(before->free_pages - now.free_pages), tables);
}

/* In a child (whose table pages go when it exits): sbrk of one page into
 * a fresh 2 MiB span, which needs a new user level-0 table and, in umap,
 * a new mirror table, with k pages free, k = 0, 1, ... until it works:
 * each failure gives back every page but the tables it kept, and leaves
 * the mirror exact. */
static void
oom_sbrks(void)
{
	struct kstats before;
	uint64 span = 2 * 1024 * 1024, top;
	int k, pid;

	ballast_leave(2000);
	pid = xfork();
	if (pid != 0) {
		CHECK(xwait(pid) == 0);
		return;
	}
	top = (uint64)sbrk(0);
	CHECK(sbrk((int)((top + span - 1) / span * span - top)) != (char *)-1);
	for (k = 0; k < 16; k++) {
		ballast_leave(k);
		CHECK(kstats(&before) == 0);
		if (sbrk(PGSIZE) != (char *)-1)
			break;
		check_only_tables(&before, k);
		CHECK(kptcheck() == 0);
	}
	CHECK(k > 0 && k < 16);
	CHECK(kptcheck() == 0);
	exit(0);
}

/* exec with k pages free, in a child made beforehand, k = 0, 1, ...
 * until it works: each failed exec gives back every page it took. */
static int
oom_execs(void)
{
	static char *argv[] = {"uthelper", "ret", "7", 0};
	struct kstats before, after;
	int k, pid, go[2], status;
	char c;

	for (k = 0; k < 200; k++) {
		ballast_leave(1000);
		xpipe(go);
		pid = xfork();
		if (pid == 0) {
			close(go[1]);
			read_full(go[0], &c, 1);
			CHECK(kstats(&before) == 0);
			exec("/uthelper", argv);
			CHECK(kstats(&after) == 0);
			check_same(&before, "a failed exec", (int)after.free_pages);
			exit(3);
		}
		close(go[0]);
		ballast_leave(k);
		CHECK(write(go[1], "g", 1) == 1);
		close(go[1]);
		status = xwait(pid);
		if (status == 7)
			return k;
		if (status != 3)
			fail("exec child with %d pages free: status %d", k, status);
	}
	fail("exec never worked with up to %d pages free", k);
}

/* With a ballast holding all memory but k pages, fork, sbrk and exec are
 * tried at every k from 0 up until each works, so that each fails at
 * every allocation it makes in turn (trap frame, user table, per-process
 * kernel table and stack, user pages, mirror tables): every failure must
 * give back exactly what it took, in every design. At the end every
 * page, process and table page is back. */
static void
test_oomsteps(void)
{
	struct kstats start;
	int kf, ke;

	CHECK(kstats(&start) == 0);
	ballast_start();
	kf = oom_forks();
	oom_sbrks();
	ke = oom_execs();
	ballast_stop();
	CHECK(kf > 4 && ke > 4);
	check_settled(&start, "after oomsteps");
}

/* Thirty children blocked on one pipe all exit at once when it closes;
 * each is reaped once with its own status, and every process and page
 * comes back. */
static void
test_exitmany(void)
{
	int gate[2], pids[30], i, j, r, status, seen[30];
	struct kstats start;
	char c;

	CHECK(kstats(&start) == 0);
	xpipe(gate);
	for (i = 0; i < 30; i++) {
		pids[i] = xfork();
		if (pids[i] == 0) {
			close(gate[1]);
			read(gate[0], &c, 1);
			exit(100 + i);
		}
		seen[i] = 0;
	}
	close(gate[0]);
	close(gate[1]);
	for (j = 0; j < 30; j++) {
		r = wait(&status);
		for (i = 0; i < 30 && pids[i] != r; i++)
			;
		if (i == 30)
			fail("wait returned %d, not a child", r);
		CHECK(!seen[i] && status == 100 + i);
		seen[i] = 1;
	}
	CHECK(wait(0) == -1);
	check_settled(&start, "after 30 exits");
}

/* Ten children blocked reading an empty pipe, ten writing into a full
 * one and ten asleep are all killed: each exits with -1, and every
 * process and page comes back. */
static void
test_killmany(void)
{
	int empty[2], full[2], pids[30], i;
	struct kstats start;
	char c;

	CHECK(kstats(&start) == 0);
	xpipe(empty);
	xpipe(full);
	for (i = 0; i < 30; i++) {
		pids[i] = xfork();
		if (pids[i] != 0)
			continue;
		if (i < 10)
			read(empty[0], &c, 1);
		else if (i < 20)
			write(full[1], big, PIPESIZE + 1);
		else
			sleep(1000);
		exit(0);
	}
	sleep(5); /* let them all block */
	for (i = 0; i < 30; i++)
		CHECK(kill(pids[i]) == 0);
	for (i = 0; i < 30; i++)
		if (xwait(pids[i]) != -1)
			fail("child %d (blocked in %s) did not exit with -1", i,
			     i < 10   ? "read"
			     : i < 20 ? "write"
			              : "sleep");
	close(empty[0]);
	close(empty[1]);
	close(full[0]);
	close(full[1]);
	check_settled(&start, "after 30 kills");
}

/* Lowest address of the guard page below this process's stack. */
static uint64
guard_page(void)
{
	return stack_top - (uint64)(USTACK_PAGES + 1) * PGSIZE;
}

/* The page below the stack is a guard: touching it kills the process,
 * and system calls refuse it as a buffer. */
static void
test_stackguard(void)
{
	char *g = (char *)guard_page();
	int pid, fds[2];

	xpipe(fds);
	CHECK(write(fds[1], "abcd", 4) == 4);
	CHECK(read(fds[0], g + PGSIZE - 2, 4) == -1);
	CHECK(write(fds[1], g + 8, 4) == -1);
	CHECK(write(fds[1], g + PGSIZE - 2, 4) == -1);
	pid = xfork();
	if (pid == 0) {
		*(volatile char *)(g + 100) = 1;
		exit(0);
	}
	CHECK(xwait(pid) == -1);
	pid = xfork();
	if (pid == 0) {
		exit(*(volatile char *)(g + PGSIZE - 1) == 0 ? 0 : 1);
	}
	CHECK(xwait(pid) == -1);
}

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Whether a store (store = 1) or a load at va kills a child. */
static int
access_kills(uint64 va, int store)
{
	int pid = xfork();

	if (pid == 0) {
		if (store)
			*(volatile char *)va = 1;
		else
			exit(*(volatile char *)va == 0 ? 0 : 1);
		exit(0);
	}
	return xwait(pid) == -1;
}

/* The stack guard page g is still one (what says after which sbrk path):
 * loads and stores kill; buffers, strings and argv on it or running into
 * it are refused by every call; the stack's bottom page above it is
 * ordinary memory. */
static void
guard_holds(uint64 g, const char *what)
{
	char *argv[] = {"uthelper", (char *)g, 0};
	char *gp = (char *)g, *bottom = (char *)(g + PGSIZE), got[8];
	int fds[2], fd;

	if (!access_kills(g, 1) || !access_kills(g + PGSIZE - 1, 0))
		fail("%s: the guard page took a load or a store", what);
	if (uprobe(gp) != 1)
		fail("%s: a kernel read of the guard page did not fault", what);
	xpipe(fds);
	CHECK(write(fds[1], "abcd", 4) == 4);
	fd = open("/null", O_RDWR);
	CHECK(fd >= 0);
	if (read(fds[0], gp, 4) != -1 || read(fds[0], gp + PGSIZE - 2, 4) != -1 ||
	    write(fds[1], gp, 4) != -1 || write(fd, gp + PGSIZE - 2, 4) != -1 ||
	    fstat(fd, (struct stat *)gp) != -1 || pipe((int *)gp) != -1 ||
	    kstats((struct kstats *)gp) != -1)
		fail("%s: a call took a buffer on the guard page", what);
	if (open(gp, O_RDONLY) != -1 || mkdir(gp) != -1 || exec(gp, argv) != -1 ||
	    exec("/uthelper", (char **)gp) != -1 || exec("/uthelper", argv) != -1)
		fail("%s: a call took a string or argv on the guard page", what);
	memmove(bottom, "ok", 2);
	CHECK(write(fds[1], bottom, 2) == 2);
	read_full(fds[0], got, 6);
	CHECK(memcmp(got, "abcdok", 6) == 0);
	close(fds[0]);
	close(fds[1]);
	close(fd);
}

/* The break comes down to the top of the stack and no lower, by any
 * path: below it (by a byte, a page, into the stack, onto the guard or
 * under it, by everything) sbrk fails and changes nothing, from the
 * floor itself or from above it, in this process, a forked child and a
 * fresh image. The guard page stays a guard after each path. */
static void
test_guardsbrk(void)
{
	static const int below[] = {-1,
	                            -100,
	                            -PGSIZE,
	                            -USTACK_PAGES * PGSIZE,
	                            -(USTACK_PAGES + 1) * PGSIZE,
	                            -(USTACK_PAGES + 2) * PGSIZE,
	                            -0x7fffffff,
	                            (int)0x80000000};
	static char *floor_argv[] = {"uthelper", "floor", 0};
	char *top = (char *)stack_top, *b = sbrk(0);
	uint64 g = guard_page();
	int i, pid, status;

	CHECK(b >= top && sbrk(top - b) == b && sbrk(0) == top);
	for (i = 0; i < NELEM(below); i++)
		if (sbrk(below[i]) != (char *)-1 || sbrk(0) != top)
			fail("sbrk(%d) from the top of the stack did not fail", below[i]);
	guard_holds(g, "at the floor");
	CHECK(sbrk(100) == top && sbrk(-101) == (char *)-1 && sbrk(-100) == top + 100);
	CHECK(sbrk(8 * PGSIZE) == top);
	memset(top, 7, 8 * PGSIZE);
	CHECK(sbrk(-8 * PGSIZE - 1) == (char *)-1 && sbrk(0) == top + 8 * PGSIZE);
	CHECK(sbrk(-(int)((uint64)top + 8 * PGSIZE - g)) == (char *)-1); /* onto the guard */
	CHECK(sbrk(-(int)((uint64)top + 8 * PGSIZE - g + PGSIZE)) == (char *)-1);
	CHECK(top[0] == 7 && top[8 * PGSIZE - 1] == 7);
	CHECK(sbrk(-8 * PGSIZE) == top + 8 * PGSIZE && sbrk(0) == top);
	guard_holds(g, "after growing and shrinking back");
	pid = xfork();
	if (pid == 0) {
		if (sbrk(-1) != (char *)-1 || sbrk(PGSIZE) != top ||
		    sbrk(-PGSIZE - 1) != (char *)-1)
			fail("a forked child's break went below the stack");
		guard_holds(g, "in a forked child");
		exit(0);
	}
	CHECK(xwait(pid) == 0);
	pid = xfork();
	if (pid == 0) {
		CHECK(sbrk(64 * PGSIZE) != (char *)-1);
		exec("/uthelper", floor_argv);
		exit(255);
	}
	if ((status = xwait(pid)) != 0)
		fail("uthelper floor, exec'd by a grown process: status %d", status);
	capture("/uthelper", floor_argv, buf, sizeof(buf), &status);
	if (status != 0)
		fail("uthelper floor: status %d: %s", status, buf);
}

/* Strings and argv next to the guard page get the same answers in every
 * design: a path ending on the last byte below it works, one running
 * into it does not, one starting on the stack's bottom above it works;
 * an argv array whose next element would come from the guard is
 * refused, as is an argument running into it. */
static void
test_guardstr(void)
{
	uint64 g = guard_page();
	char *below = (char *)g, *bottom = (char *)(g + PGSIZE), **av;
	char *runs_in[] = {"argecho", below - 3, 0};
	static char *args1[] = {"x", 0};
	int status;

	if (g - (uint64)end < 8)
		fail("no room below the guard: .bss ends at %p", end);
	memmove(below - 3, "gq", 3);
	CHECK(mkdir(below - 3) == 0 && unlink("gq") == 0);
	below[-1] = 'x';
	CHECK(mkdir(below - 3) == -1 && open(below - 3, O_RDONLY) == -1);
	CHECK(exec(below - 3, args1) == -1 && exec_status("/argecho", runs_in) == 0);
	memmove(bottom, "gs", 3);
	CHECK(mkdir(bottom) == 0 && unlink("gs") == 0);
	av = (char **)(below - 8);
	av[0] = "argecho";
	CHECK(exec_status("/argecho", av) == 0);
	av[0] = 0;
	capture("/argecho", av, big, sizeof(big), &status);
	CHECK(status == 0 && strcmp(big, "0\n") == 0);
	av = (char **)bottom;
	av[0] = "argecho";
	av[1] = bottom + 64;
	av[2] = 0;
	memmove(bottom + 64, "b", 2);
	capture("/argecho", av, big, sizeof(big), &status);
	CHECK(status == 0 && strcmp(big, "2\nargecho\nb\n") == 0);
}

/* Loads and stores at kernel or unmapped addresses kill the process. */
static void
test_badaccess(void)
{
	static const uint64 addrs[] = {KERNEL_ADDR, 0xffffffffffffffffUL, PLIC_ADDR - PGSIZE,
	                               TOP_VA};
	int i, pid;

	for (i = 0; i < (int)(sizeof(addrs) / sizeof(addrs[0])); i++) {
		pid = xfork();
		if (pid == 0) {
			*(volatile char *)addrs[i] = 1;
			exit(0);
		}
		if (xwait(pid) != -1)
			fail("store to %p did not kill", (void *)addrs[i]);
		pid = xfork();
		if (pid == 0) {
			exit(*(volatile char *)addrs[i] == 0 ? 0 : 1);
		}
		if (xwait(pid) != -1)
			fail("load from %p did not kill", (void *)addrs[i]);
	}
	pid = xfork();
	if (pid == 0) {
		((void (*)(void))KERNEL_ADDR)();
		exit(0);
	}
	CHECK(xwait(pid) == -1);
}

/* ==== bad arguments: the call fails, the process goes on ================ */

/* Addresses no system call may read or write through: the kernel, the
 * PLIC region, all ones, the trampoline, just past the break. */
static uint64 bad_addrs[8];

/* Fill bad_addrs[] (the last one depends on the current break). Count. */
static int
collect_bad_addrs(void)
{
	int n = 0;

	bad_addrs[n++] = KERNEL_ADDR;
	bad_addrs[n++] = KERNEL_ADDR + 0x100000;
	bad_addrs[n++] = 0xffffffffffffffffUL;
	bad_addrs[n++] = PLIC_ADDR - PGSIZE;
	bad_addrs[n++] = TOP_VA;
	bad_addrs[n++] = (uint64)sbrk(0);
	bad_addrs[n++] = guard_page();
	return n;
}

/* read and write with buffers at bad addresses, or running off the end
 * of memory, return -1; the data source is intact afterwards. */
static void
test_badptrrw(void)
{
	int n, i, fds[2], fd;
	char *end;

	n = collect_bad_addrs();
	xpipe(fds);
	make_file("bp", 100, 3);
	fd = open("bp", O_RDWR);
	CHECK(fd >= 0);
	CHECK(write(fds[1], "0123456789", 10) == 10);
	for (i = 0; i < n; i++) {
		if (read(fds[0], (void *)bad_addrs[i], 10) != -1)
			fail("pipe read into %p did not fail", (void *)bad_addrs[i]);
		if (write(fds[1], (void *)bad_addrs[i], 10) != -1)
			fail("pipe write from %p did not fail", (void *)bad_addrs[i]);
		if (read(fd, (void *)bad_addrs[i], 10) != -1)
			fail("file read into %p did not fail", (void *)bad_addrs[i]);
		if (write(fd, (void *)bad_addrs[i], 10) != -1)
			fail("file write from %p did not fail", (void *)bad_addrs[i]);
	}
	end = sbrk(0);
	CHECK(read(fd, end - 4, 8) == -1);
	CHECK(write(fds[1], end - 4, 8) == -1);
	close(fd);
	CHECK(unlink("bp") == 0);
}

/* A negative length is refused (-1) by read and write. */
static void
test_badlen(void)
{
	int fds[2];

	xpipe(fds);
	CHECK(write(fds[1], "abc", 3) == 3);
	CHECK(write(fds[1], buf, -1) == -1);
	CHECK(read(fds[0], buf, -1) == -1);
	CHECK(read(fds[0], buf, 3) == 3);
}

/* Put "aaaa..." (n characters, no NUL) at the very end of memory. Its
 * start. */
static char *
unterminated_string(int n)
{
	char *end;

	CHECK(sbrk(PGSIZE) != (char *)-1);
	end = sbrk(0);
	memset(end - n, 'a', n);
	return end - n;
}

/* Path arguments at bad addresses, or not terminated before the end of
 * memory, make every path call return -1. */
static void
test_badptrpath(void)
{
	char *argv[] = {"argecho", 0};
	char *s;
	int n, i;

	s = unterminated_string(20);
	n = collect_bad_addrs();
	bad_addrs[n++] = (uint64)s;
	for (i = 0; i < n; i++) {
		char *p = (char *)bad_addrs[i];

		if (open(p, O_RDONLY) != -1 || open(p, O_CREATE | O_RDWR) != -1)
			fail("open(%p) did not fail", p);
		if (exec(p, argv) != -1)
			fail("exec(%p) did not fail", p);
		if (mkdir(p) != -1 || chdir(p) != -1 || unlink(p) != -1)
			fail("mkdir/chdir/unlink(%p) did not fail", p);
		if (link(p, "bpl") != -1 || link("/etc/hello.sh", p) != -1)
			fail("link with %p did not fail", p);
		if (mknod(p, DEVNULL, 0) != -1)
			fail("mknod(%p) did not fail", p);
	}
	CHECK(open("bpl", O_RDONLY) == -1);
}

/* exec with a bad argv array, a bad string in it, or an array that runs
 * off the end of memory returns -1. */
static void
test_badargv(void)
{
	static char *bad_elem[] = {"argecho", (char *)KERNEL_ADDR, 0};
	char **tail;
	int n, i;

	n = collect_bad_addrs();
	for (i = 0; i < n; i++) {
		if (exec("/argecho", (char **)bad_addrs[i]) != -1)
			fail("exec with argv %p did not fail", (void *)bad_addrs[i]);
	}
	CHECK(exec("/argecho", bad_elem) == -1);
	CHECK(sbrk(PGSIZE) != (char *)-1);
	tail = (char **)sbrk(0) - 4;
	for (i = 0; i < 4; i++)
		tail[i] = "x";
	CHECK(exec("/argecho", tail) == -1);
	tail[0] = unterminated_string(5);
	tail[1] = 0;
	CHECK(exec("/argecho", tail) == -1);
}

/* pipe, fstat, wait, kstats and design with bad pointers return -1. */
static void
test_badptrmisc(void)
{
	int n, i, pid, fd, r;
	uint64 free0;

	n = collect_bad_addrs();
	fd = open("/", O_RDONLY);
	CHECK(fd >= 0);
	r = open("/", O_RDONLY);
	CHECK(r >= 0 && close(r) == 0);
	free0 = free_pages();
	for (i = 0; i < n; i++) {
		void *p = (void *)bad_addrs[i];

		if (pipe(p) != -1)
			fail("pipe(%p) did not fail", p);
		if (fstat(fd, p) != -1)
			fail("fstat(fd, %p) did not fail", p);
		if (kstats(p) != -1)
			fail("kstats(%p) did not fail", p);
		if (design(p, 16) != -1)
			fail("design(%p) did not fail", p);
	}
	CHECK(pipe((int *)((char *)sbrk(0) - 4)) == -1);
	if (free_pages() + 2 < free0)
		fail("failed pipe() calls lost %d pages", (int)(free0 - free_pages()));
	/* Descriptors of failed pipe() calls were released: the lowest
	 * free one is still the same. */
	CHECK(open("/", O_RDONLY) == r);
	close(r);
	pid = xfork();
	if (pid == 0)
		exit(3);
	sleep(1);
	CHECK(wait((int *)KERNEL_ADDR) == -1);
	r = wait(0);
	CHECK(r == pid || r == -1);
}

/* Calls with bad descriptors, or the wrong direction, return -1. */
static void
test_badfd(void)
{
	static const int fds[] = {-1, NOFILE, 100, 3000000, -1000};
	struct stat st;
	int i, fd;

	for (i = 0; i < (int)(sizeof(fds) / sizeof(fds[0])); i++) {
		CHECK(read(fds[i], buf, 1) == -1);
		CHECK(write(fds[i], buf, 1) == -1);
		CHECK(close(fds[i]) == -1);
		CHECK(fstat(fds[i], &st) == -1);
		CHECK(dup(fds[i]) == -1);
	}
	fd = open("/etc/hello.sh", O_RDONLY);
	CHECK(fd >= 0);
	CHECK(write(fd, "x", 1) == -1);
	close(fd);
	CHECK(read(fd, buf, 1) == -1);
	CHECK(close(fd) == -1);
	make_file("bfd", 10, 1);
	fd = open("bfd", O_WRONLY);
	CHECK(fd >= 0 && read(fd, buf, 1) == -1);
	close(fd);
	CHECK(unlink("bfd") == 0);
}

/* ==== refused calls that copy in pieces move no byte ==================== */

#define PIECE 32 /* bytes moved across an edge: 16 before it, 16 after */

/* Make path a copy of /uthelper with two more segments after its .bss:
 * a writable page, then a read-only one (uthelper pieces). */
static void
make_pieces_image(const char *path)
{
	struct elf_image im = {(char *)elf_work, 0, sizeof(elf_work)};
	struct elf_phdr *d;
	uint64 w;
	int n;

	n = read_file("/uthelper", (char *)elf_base, sizeof(elf_base));
	CHECK(elf_copy(&im, (char *)elf_base, n) == 0);
	d = elf_ph(&im, elf_load_index(&im, 1));
	w = PGROUNDUP(d->vaddr + d->memsz);
	CHECK(elf_add_load(&im, w, PGSIZE, ELF_PF_R | ELF_PF_W) == 0);
	CHECK(elf_add_load(&im, w + PGSIZE, PGSIZE, ELF_PF_R) == 0);
	write_image(path, im.buf, im.len);
}

/* Open a file of two pages of pattern seed for reading, at offset
 * PGSIZE - PIECE/2: a read of PIECE bytes takes two pieces. Its fd. */
static int
open_at_file_edge(const char *name, int seed)
{
	int fd;

	make_file(name, 2 * PGSIZE, seed);
	fd = open(name, O_RDWR);
	CHECK(fd >= 0);
	read_full(fd, big, PGSIZE - PIECE / 2);
	return fd;
}

/* Make a pipe whose ring wraps PIECE/2 bytes past its next byte, holding
 * PIECE bytes of pattern seed. */
static void
pipe_at_ring_edge(int fds[2], int seed)
{
	xpipe(fds);
	CHECK(write(fds[1], big, PIPESIZE - PIECE / 2) == PIPESIZE - PIECE / 2);
	read_full(fds[0], big, PIPESIZE - PIECE / 2);
	pattern_fill(buf, PIECE, seed);
	CHECK(write(fds[1], buf, PIECE) == PIECE);
}

/* Reads that copy out in pieces into a buffer whose second piece lands
 * in a read-only page: a file read across a file page, a pipe read
 * across the ring's wrap, a console read (which must fail at once, not
 * wait for input). Each fails, the writable bytes before the edge are
 * unchanged, and nothing was consumed: uthelper (in an image with a
 * writable page, then a read-only one) then reads the file's and the
 * pipe's bytes intact, which are compared here byte for byte. */
static void
test_piecesread(void)
{
	char fdarg[3][8], want[2 * PIECE];
	char *argv[] = {"uthelper", "pieces", fdarg[0], fdarg[1], fdarg[2], 0};
	int file, pfds[2], cons, status, n;

	make_pieces_image("pieces");
	file = open_at_file_edge("pfile", 5);
	pipe_at_ring_edge(pfds, 6);
	cons = open("/console", O_RDONLY);
	CHECK(cons >= 0);
	snprintf(fdarg[0], 8, "%d", file);
	snprintf(fdarg[1], 8, "%d", pfds[0]);
	snprintf(fdarg[2], 8, "%d", cons);
	n = capture_within("pieces", argv, big, sizeof(big), &status, 300);
	if (status != 0)
		fail("uthelper pieces: status %d%s: %s", status,
		     status == -1 ? " (killed: a read waited)" : "", big);
	pattern_fill(buf, 2 * PGSIZE, 5);
	memmove(want, buf + PGSIZE - PIECE / 2, PIECE);
	pattern_fill(want + PIECE, PIECE, 6);
	CHECK(n == 2 * PIECE && memcmp(big, want, 2 * PIECE) == 0);
	close(file);
	close(pfds[0]);
	close(pfds[1]);
	close(cons);
	CHECK(unlink("pieces") == 0 && unlink("pfile") == 0);
}

/* The refused calls of test_piecesrange on one edge: reads into and
 * writes from [at, at+PIECE), which runs off the caller's memory after
 * PIECE/2 bytes, on a file and a pipe at a piece edge, the console and
 * the null device, and a console write from lead bytes before at (more
 * than one of its chunks). Each returns -1; the memory before the edge,
 * the file (compared whole) and the pipe's bytes are as they were. */
static void
pieces_refused(char *at, int lead, const char *edge)
{
	int file, pfds[2], cons, nul, k;
	char got[PIECE + 1];

	file = open_at_file_edge("prange", 8);
	pipe_at_ring_edge(pfds, 9);
	cons = open("/console", O_RDWR);
	nul = open("/null", O_RDWR);
	CHECK(cons >= 0 && nul >= 0);
	memset(at, 'Q', PIECE / 2);
	if (read(file, at, PIECE) != -1 || read(pfds[0], at, PIECE) != -1 ||
	    read(cons, at, PIECE) != -1 || read(nul, at, PIECE) != -1)
		fail("a read into memory %s did not fail", edge);
	for (k = 0; k < PIECE / 2; k++)
		if (at[k] != 'Q')
			fail("a refused read wrote into memory %s", edge);
	if (write(file, at, PIECE) != -1 || write(pfds[1], at, PIECE) != -1 ||
	    write(cons, at - lead, lead + PIECE) != -1 || write(nul, at, PIECE) != -1)
		fail("a write from memory %s did not fail", edge);
	CHECK(write(pfds[1], "!", 1) == 1);
	CHECK(read(pfds[0], got, sizeof(got)) == PIECE + 1 && got[PIECE] == '!');
	CHECK(pattern_check(got, PIECE, 9) == -1);
	close(file);
	CHECK(file_size("prange") == 2 * PGSIZE);
	file = open("prange", O_RDONLY);
	read_full(file, big, 2 * PGSIZE);
	CHECK(pattern_check(big, 2 * PGSIZE, 8) == -1);
	close(file);
	close(pfds[0]);
	close(pfds[1]);
	close(cons);
	close(nul);
	CHECK(unlink("prange") == 0);
}

/* Reads and writes across the break and into the stack guard, where
 * each would copy a first piece and then meet memory that is not the
 * caller's: all refused, nothing moved (pieces_refused). */
static void
test_piecesrange(void)
{
	char *brk;
	uint64 room = guard_page() - (uint64)end;

	CHECK(sbrk(2 * PGSIZE) != (char *)-1);
	brk = sbrk(0);
	pieces_refused(brk - PIECE / 2, 300, "past the break");
	if (room < PIECE / 2)
		fail("no room below the guard: .bss ends at %p", end);
	pieces_refused((char *)guard_page() - PIECE / 2, 0, "into the stack guard");
}

/* ==== hostile pointers: every design refuses them alike ================= */

/*
 * The hostile-pointer matrix: every system call that takes a pointer,
 * against every address a process may not hand the kernel (the kernel's
 * text and RAM, devices, the trap frame and trampoline, past the break,
 * the stack guard, past MAXVA, ranges that straddle or wrap), and
 * read-only text for the calls that write to user memory. Every case must
 * return -1, write nothing (sentinels around the targets and in valid
 * buffers, and the text, are compared after each call) and leave the
 * process running. The cases and their results are folded into a
 * signature, printed as "hostile: N cases, signature XXXXXXXX" before the
 * verdict: tools/test.sh checks that every design and both hart counts
 * print the same line.
 */

#define FINISHER_ADDR 0x100000UL
#define CLINT_ADDR 0x02000000UL
#define UART_ADDR 0x10000000UL
#define TRAPFRAME_VA (TOP_VA - PGSIZE)
#define MAXVA_ADDR (1UL << 38)
#define WRAP_ADDR 0xfffffffffffff000UL
#define HOSTILE_PIPED "0123456789" /* what the matrix's pipe holds */
#define HOSTILE_FILE_SEED 11       /* pattern of its 100-byte file */
#define WATCH_BYTES 64
#define NWATCH 5

/* The calls of the matrix, each with the pointer under test in one place. */
enum hostile_call {
	HC_READ_PIPE,
	HC_READ_FILE,
	HC_WRITE_PIPE,
	HC_WRITE_FILE,
	HC_WRITE_NULL,
	HC_OPEN,
	HC_OPEN_CREATE,
	HC_EXEC_PATH,
	HC_EXEC_ARGV,
	HC_EXEC_ARG,
	HC_CHDIR,
	HC_MKDIR,
	HC_MKNOD,
	HC_UNLINK,
	HC_LINK_OLD,
	HC_LINK_NEW,
	HC_PIPE,
	HC_FSTAT,
	HC_WAIT,
	HC_KSTATS,
	HC_DESIGN,
	HC_PTDUMP,
	NHC
};

static const char *const hostile_call_name[NHC] = {
    "read(pipe)",     "read(file)", "write(pipe)", "write(file)",   "write(null)", "open",
    "open(O_CREATE)", "exec(path)", "exec(argv)",  "exec(argv[1])", "chdir",       "mkdir",
    "mknod",          "unlink",     "link(old)",   "link(new)",     "pipe",        "fstat",
    "wait",           "kstats",     "design",      "ptdump",
};

/* One address under test, named for failure messages. */
struct hostile_addr {
	uint64 va;
	const char *what;
};

static struct {
	struct hostile_addr addr[24];
	int naddr;                  /* addresses no call may use */
	int nwritable;              /* naddr plus read-only text: for calls that write */
	struct hostile_addr *valid; /* after those: the sentinel page */
	char *page;                 /* the last page below the break, sentinel() letters */
	uint64 guard;               /* the stack guard page */
	char *watch[NWATCH];
	char copy[NWATCH][WATCH_BYTES];
	int pipefd[2]; /* holds HOSTILE_PIPED */
	int filefd;    /* 100 bytes of pattern HOSTILE_FILE_SEED, offset 0 */
	int nullfd;
	int zombie; /* a child that has exited with status 7 */
	int cases;
	uint sig;
} matrix;

/* The n-th byte of the sentinel page: letters, never NUL, so a string
 * there runs into the break. */
static char
sentinel(int i)
{
	return 'a' + i % 26;
}

/* Fold v into the FNV-1a hash h. */
static uint
hash_add(uint h, uint64 v)
{
	int i;

	for (i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 16777619u;
	}
	return h;
}

/* Append va to the address table. */
static void
hostile_add(uint64 va, const char *what)
{
	matrix.addr[matrix.naddr].va = va;
	matrix.addr[matrix.naddr].what = what;
	matrix.naddr++;
}

/* Fill the address table. The ones that depend on the layout: the break
 * (sz), the stack guard page (the page below the USTACK_PAGES stack pages
 * that end at the break main started with), and the unused tail of the
 * .bss page below the guard, where a string of letters is put that runs
 * into the guard. */
static void
hostile_addrs(void)
{
	uint64 brk, tail;
	int n;

	brk = (uint64)sbrk(0);
	matrix.guard = guard_page();
	/* Two bytes before an edge: even a 4-byte status runs across it. */
	tail = matrix.guard - (uint64)end < 2 ? matrix.guard - (uint64)end : 2;
	memset((char *)(matrix.guard - tail), 'g', tail);
	hostile_add(KERNEL_ADDR, "kernel text");
	hostile_add(KERNEL_ADDR + 0x100000, "kernel data");
	hostile_add(0x87fff000UL, "top of RAM");
	hostile_add(FINISHER_ADDR, "finisher");
	hostile_add(CLINT_ADDR, "CLINT");
	hostile_add(PLIC_ADDR, "PLIC");
	hostile_add(UART_ADDR, "UART");
	hostile_add(TRAPFRAME_VA, "trap frame");
	hostile_add(TOP_VA, "trampoline");
	hostile_add(MAXVA_ADDR, "MAXVA");
	hostile_add(WRAP_ADDR, "wrapping range");
	hostile_add(0xffffffffffffffffUL, "all ones");
	hostile_add(brk, "the break");
	hostile_add(brk - 2, "across the break");
	hostile_add(matrix.guard, "stack guard");
	hostile_add(matrix.guard - tail, "into the stack guard");
	hostile_add(matrix.guard + PGSIZE - 8, "out of the stack guard");
	n = matrix.naddr;
	/* Readable but not writable: only for calls that write. */
	hostile_add(0, "text at 0");
	hostile_add((uint64)test_forkwait, "text");
	hostile_add((uint64) "rodata", "read-only data");
	matrix.nwritable = matrix.naddr;
	matrix.naddr = n;
	/* Not hostile: the buffer for the bad-length cases. */
	matrix.valid = &matrix.addr[matrix.nwritable];
	matrix.valid->va = (uint64)matrix.page;
	matrix.valid->what = "a valid buffer";
}

/* Copy the watched bytes: below the stack guard, the stack's bottom, and
 * the text and read-only data that calls are asked to write. */
static void
hostile_snapshot(void)
{
	int i;

	for (i = 0; i < NWATCH; i++)
		memmove(matrix.copy[i], matrix.watch[i], WATCH_BYTES);
}

/* Fail unless the watched bytes and the sentinel page are unchanged. */
static void
hostile_unchanged(int call, const struct hostile_addr *a, int n)
{
	int i;

	for (i = 0; i < NWATCH; i++) {
		if (memcmp(matrix.copy[i], matrix.watch[i], WATCH_BYTES) != 0)
			fail("case %d: %s at %s (%p, n %d) wrote near %p", matrix.cases,
			     hostile_call_name[call], a->what, (void *)a->va, n, matrix.watch[i]);
	}
	for (i = 0; i < PGSIZE; i++) {
		if (matrix.page[i] != sentinel(i))
			fail("case %d: %s at %s (%p, n %d) wrote into a valid buffer", matrix.cases,
			     hostile_call_name[call], a->what, (void *)a->va, n);
	}
}

/* Make call with the pointer va (and length n where it takes one). */
static long
hostile_do(int call, uint64 va, int n)
{
	char *p = (char *)va;
	char *argv[3] = {"uthelper", 0, 0};

	switch (call) {
	case HC_READ_PIPE:
		return read(matrix.pipefd[0], p, n);
	case HC_READ_FILE:
		return read(matrix.filefd, p, n);
	case HC_WRITE_PIPE:
		return write(matrix.pipefd[1], p, n);
	case HC_WRITE_FILE:
		return write(matrix.filefd, p, n);
	case HC_WRITE_NULL:
		return write(matrix.nullfd, p, n);
	case HC_OPEN:
		return open(p, O_RDONLY);
	case HC_OPEN_CREATE:
		return open(p, O_CREATE | O_RDWR);
	case HC_EXEC_PATH:
		return exec(p, argv);
	case HC_EXEC_ARGV:
		return exec("/uthelper", (char **)p);
	case HC_EXEC_ARG:
		argv[1] = p;
		return exec("/uthelper", argv);
	case HC_CHDIR:
		return chdir(p);
	case HC_MKDIR:
		return mkdir(p);
	case HC_MKNOD:
		return mknod(p, DEVNULL, 0);
	case HC_UNLINK:
		return unlink(p);
	case HC_LINK_OLD:
		return link(p, "hostile-link");
	case HC_LINK_NEW:
		return link("/etc/hello.sh", p);
	case HC_PIPE:
		return pipe((int *)p);
	case HC_FSTAT:
		return fstat(matrix.filefd, (struct stat *)p);
	case HC_WAIT:
		return wait((int *)p);
	case HC_KSTATS:
		return kstats((struct kstats *)p);
	case HC_DESIGN:
		return design(p, 32);
	case HC_PTDUMP:
		return ptdump(PTDUMP_KERNEL, 0, (struct ptdump_entry *)p, 2);
	}
	fail("no hostile call %d", call);
}

/* One case: call with address a (length n); it must fail and change
 * nothing. Counted and folded into the signature. */
static void
hostile_case(int call, const struct hostile_addr *a, int n)
{
	long r;

	hostile_snapshot();
	r = hostile_do(call, a->va, n);
	hostile_unchanged(call, a, n);
	matrix.sig = hash_add(matrix.sig, matrix.cases);
	matrix.sig = hash_add(matrix.sig, (uint64)call << 32 | (uint)n);
	matrix.sig = hash_add(matrix.sig, (uint64)(a - matrix.addr));
	matrix.sig = hash_add(matrix.sig, (uint64)r);
	if (r != -1)
		fail("case %d: %s at %s (%p, n %d) returned %ld, not -1", matrix.cases,
		     hostile_call_name[call], a->what, (void *)a->va, n, r);
	matrix.cases++;
}

/* The pipe, file, null device, zombie child, sentinel page and watched
 * regions the cases use. */
static void
hostile_setup(void)
{
	int i;

	matrix.sig = 2166136261u; /* FNV-1a offset basis */
	matrix.page = sbrk(PGSIZE);
	CHECK(matrix.page != (char *)-1);
	for (i = 0; i < PGSIZE; i++)
		matrix.page[i] = sentinel(i);
	hostile_addrs();
	CHECK((uint64)sbrk(0) < FINISHER_ADDR); /* else the finisher is ours */
	matrix.watch[0] = (char *)matrix.guard - WATCH_BYTES;
	matrix.watch[1] = (char *)matrix.guard + PGSIZE;
	for (i = 0; i < 3; i++)
		matrix.watch[2 + i] = (char *)matrix.addr[matrix.naddr + i].va;
	xpipe(matrix.pipefd);
	CHECK(write(matrix.pipefd[1], HOSTILE_PIPED, 10) == 10);
	make_file("hostile", 100, HOSTILE_FILE_SEED);
	matrix.filefd = open("hostile", O_RDWR);
	matrix.nullfd = open("/null", O_RDWR);
	CHECK(matrix.filefd >= 0 && matrix.nullfd >= 0);
	matrix.zombie = xfork();
	if (matrix.zombie == 0)
		exit(7);
}

/* Entries of the current directory in use. */
static int
dir_entries(void)
{
	struct dirent de;
	int fd, n = 0;

	fd = open(".", O_RDONLY);
	CHECK(fd >= 0);
	while (read(fd, &de, sizeof(de)) == sizeof(de))
		n += de.inum != 0;
	close(fd);
	return n;
}

/* After the cases: the pipe, file, zombie and directory hold what they
 * held, and no descriptor leaked. */
static void
hostile_verify(int entries, int lowfd)
{
	char got[128];
	int status, fd;

	read_full(matrix.pipefd[0], got, 10);
	CHECK(memcmp(got, HOSTILE_PIPED, 10) == 0);
	CHECK(write(matrix.pipefd[1], "!", 1) == 1);
	CHECK(read(matrix.pipefd[0], got, sizeof(got)) == 1 && got[0] == '!');
	CHECK(read(matrix.filefd, big, sizeof(big)) == 100);
	CHECK(pattern_check(big, 100, HOSTILE_FILE_SEED) == -1);
	CHECK(wait(&status) == matrix.zombie && status == 7);
	CHECK(dir_entries() == entries);
	fd = open("/", O_RDONLY);
	CHECK(fd == lowfd);
	close(fd);
	close(matrix.filefd);
	CHECK(unlink("hostile") == 0);
}

/* The split-buffer cases: every call that copies out, given a buffer
 * whose first part is writable and the rest a read-only page, returns -1
 * and writes no byte (a call that copies in pieces must check the whole
 * buffer before its first piece). No image here has that layout, so they
 * run in uthelper split, in the image of test_piecesread; each line it
 * prints is one case, folded into the signature. */
static void
hostile_split(void)
{
	char *argv[] = {"uthelper", "split", 0};
	char *line, *nl;
	int status;

	make_pieces_image("hsplit");
	capture_within("hsplit", argv, big, sizeof(big), &status, 300);
	CHECK(unlink("hsplit") == 0);
	if (status != 0)
		fail("uthelper split: status %d: %s", status, big);
	for (line = big; (nl = strchr(line, '\n')) != 0; line = nl + 1) {
		CHECK(strncmp(line, "split ", 6) == 0);
		for (; line < nl; line++)
			matrix.sig = hash_add(matrix.sig, (uchar)*line);
		matrix.cases++;
	}
	CHECK(*line == 0);
}

/* The matrix (see above). */
static void
test_hostile(void)
{
	/* Each runs across the straddled edges (2 bytes before them). */
	static const int rw_lengths[] = {16, PGSIZE, 0x2000};
	static const int bad_lengths[] = {-1, 0x7fffffff, (int)0x80000000, 2 * PGSIZE};
	int entries, lowfd, call, i, k;

	hostile_setup();
	entries = dir_entries();
	lowfd = open("/", O_RDONLY);
	CHECK(lowfd >= 0 && close(lowfd) == 0);
	for (call = HC_READ_PIPE; call <= HC_WRITE_NULL; call++) {
		int reads = call == HC_READ_PIPE || call == HC_READ_FILE;

		for (i = 0; i < (reads ? matrix.nwritable : matrix.naddr); i++)
			for (k = 0; k < (int)(sizeof(rw_lengths) / sizeof(rw_lengths[0])); k++)
				hostile_case(call, &matrix.addr[i], rw_lengths[k]);
		for (k = 0; k < (int)(sizeof(bad_lengths) / sizeof(bad_lengths[0])); k++)
			hostile_case(call, matrix.valid, bad_lengths[k]);
	}
	for (call = HC_OPEN; call <= HC_LINK_NEW; call++)
		for (i = 0; i < matrix.naddr; i++)
			hostile_case(call, &matrix.addr[i], 0);
	for (call = HC_PIPE; call <= HC_PTDUMP; call++) {
		for (i = 0; i < matrix.nwritable; i++) {
			if (call == HC_WAIT && matrix.addr[i].va == 0)
				continue; /* wait(0) asks for no status */
			hostile_case(call, &matrix.addr[i], 0);
		}
	}
	hostile_verify(entries, lowfd);
	hostile_split();
	printf("hostile: %d cases, signature %08x\n", matrix.cases, matrix.sig);
}

/* ==== pipes ============================================================= */

/* Bytes written come out in order; reads may take fewer bytes than
 * available; closed descriptors are reused lowest first. */
static void
test_pipebasic(void)
{
	int fds[2], fds2[2];
	char got[16];

	xpipe(fds);
	CHECK(fds[0] >= 0 && fds[1] >= 0 && fds[0] != fds[1]);
	CHECK(write(fds[1], "hello, pipe", 11) == 11);
	CHECK(read(fds[0], got, 5) == 5 && memcmp(got, "hello", 5) == 0);
	CHECK(read(fds[0], got, 16) == 6 && memcmp(got, ", pipe", 6) == 0);
	CHECK(close(fds[0]) == 0 && close(fds[1]) == 0);
	xpipe(fds2);
	CHECK(fds2[0] == fds[0] && fds2[1] == fds[1]);
}

#define PIPEBIG (1024 * 1024)

/* 1 MiB from a child through a pipe, written in 4 KiB calls and read in
 * odd-sized ones; every byte and the total are checked. */
static void
test_pipebig(void)
{
	int fds[2], pid, i, n, total = 0, at;
	uint sum = 0, want = 0;

	xpipe(fds);
	pid = xfork();
	if (pid == 0) {
		close(fds[0]);
		for (i = 0; i < PIPEBIG / 4096; i++) {
			pattern_fill(buf, 4096, i);
			if (write(fds[1], buf, 4096) != 4096)
				fail("pipe write %d failed", i);
		}
		exit(0);
	}
	close(fds[1]);
	for (i = 0; i < PIPEBIG / 4096; i++) {
		pattern_fill(big, 4096, i);
		for (at = 0; at < 4096; at++)
			want = want * 31 + (uchar)big[at];
	}
	while ((n = read(fds[0], big, 3001)) > 0) {
		for (i = 0; i < n; i++)
			sum = sum * 31 + (uchar)big[i];
		total += n;
	}
	CHECK(n == 0);
	if (total != PIPEBIG)
		fail("received %d bytes of %d", total, PIPEBIG);
	CHECK(sum == want);
	CHECK(xwait(pid) == 0);
}

/* read returns 0 once every write end is closed, in every process, and
 * wakes a reader blocked at the time. */
static void
test_pipeeof(void)
{
	int fds[2], pid;
	char got[8];

	xpipe(fds);
	pid = xfork();
	if (pid == 0) {
		write(fds[1], "abc", 3);
		exit(0);
	}
	CHECK(xwait(pid) == 0);
	close(fds[1]);
	CHECK(read(fds[0], got, 8) == 3);
	CHECK(read(fds[0], got, 8) == 0);
	close(fds[0]);

	xpipe(fds);
	pid = xfork();
	if (pid == 0) {
		close(fds[1]);
		exit(read(fds[0], got, 8) == 0 ? 0 : 1);
	}
	sleep(2);
	close(fds[1]);
	CHECK(xwait(pid) == 0);
}

/* Writing to a pipe with no reader fails, also for a writer already
 * blocked on a full pipe when the last reader goes. */
static void
test_pipenoreader(void)
{
	int fds[2], pid, r;

	xpipe(fds);
	close(fds[0]);
	CHECK(write(fds[1], "x", 1) == -1);
	close(fds[1]);

	xpipe(fds);
	pid = xfork();
	if (pid == 0) {
		close(fds[0]);
		r = write(fds[1], big, 2 * PIPESIZE);
		exit(r == -1 || (r >= 0 && r < 2 * PIPESIZE) ? 0 : 1);
	}
	close(fds[1]);
	sleep(2);
	close(fds[0]);
	CHECK(xwait(pid) == 0);
}

#define NWRITERS 4
#define NREADERS 3
#define PER_WRITER 3000

/* Reader: count the bytes of each writer's value until end of file and
 * report the counts in one write to out. */
static void
many_reader(int in, int out)
{
	int counts[NWRITERS + 1], n, i;
	char chunk[37];

	memset(counts, 0, sizeof(counts));
	while ((n = read(in, chunk, sizeof(chunk))) > 0) {
		for (i = 0; i < n; i++)
			counts[chunk[i] >= 1 && chunk[i] <= NWRITERS ? (int)chunk[i] : 0]++;
	}
	write(out, counts, sizeof(counts));
	exit(0);
}

/* Several writers and readers share one pipe: no byte is lost,
 * duplicated or corrupted. */
static void
test_pipemany(void)
{
	int fds[2], res[2], pids[NWRITERS + NREADERS], i, j, n = 0;
	int counts[NWRITERS + 1], total[NWRITERS + 1];
	char rec[10];

	xpipe(fds);
	xpipe(res);
	for (i = 1; i <= NWRITERS; i++) {
		pids[n] = xfork();
		if (pids[n++] != 0)
			continue;
		memset(rec, i, sizeof(rec));
		for (j = 0; j < PER_WRITER / (int)sizeof(rec); j++)
			write(fds[1], rec, sizeof(rec));
		exit(0);
	}
	for (i = 0; i < NREADERS; i++) {
		pids[n] = xfork();
		if (pids[n++] == 0) {
			close(fds[1]);
			many_reader(fds[0], res[1]);
		}
	}
	close(fds[0]);
	close(fds[1]);
	for (i = 0; i < n; i++)
		CHECK(xwait(pids[i]) == 0);
	memset(total, 0, sizeof(total));
	for (i = 0; i < NREADERS; i++) {
		read_full(res[0], counts, sizeof(counts));
		for (j = 0; j <= NWRITERS; j++)
			total[j] += counts[j];
	}
	CHECK(total[0] == 0);
	for (j = 1; j <= NWRITERS; j++) {
		if (total[j] != PER_WRITER)
			fail("writer %d: %d bytes arrived of %d", j, total[j], PER_WRITER);
	}
}

/* A counter goes back and forth between two processes 200 times. */
static void
test_pingpong(void)
{
	int to_child[2], to_parent[2], pid, i, v;

	xpipe(to_child);
	xpipe(to_parent);
	pid = xfork();
	if (pid == 0) {
		for (i = 0; i < 200; i++) {
			read_full(to_child[0], &v, sizeof(v));
			v++;
			write(to_parent[1], &v, sizeof(v));
		}
		exit(0);
	}
	v = 0;
	for (i = 0; i < 200; i++) {
		write(to_child[1], &v, sizeof(v));
		read_full(to_parent[0], &v, sizeof(v));
		CHECK(v == 2 * i + 1);
		v++;
	}
	CHECK(xwait(pid) == 0);
}

/* ==== files and directories ============================================= */

/* Create, write, read back, unlink. */
static void
test_filebasic(void)
{
	int fd;

	fd = open("fb", O_CREATE | O_RDWR);
	CHECK(fd >= 0);
	pattern_fill(buf, 100, 4);
	CHECK(write(fd, buf, 100) == 100);
	CHECK(close(fd) == 0);
	fd = open("fb", O_RDONLY);
	CHECK(fd >= 0);
	memset(buf, 0, 200);
	CHECK(read(fd, buf, 200) == 100);
	CHECK(pattern_check(buf, 100, 4) == -1);
	CHECK(read(fd, buf, 200) == 0);
	close(fd);
	CHECK(file_size("fb") == 100);
	CHECK(unlink("fb") == 0);
	CHECK(open("fb", O_RDONLY) == -1);
	CHECK(unlink("fb") == -1);
}

/* Writing at the start of an existing file overwrites in place; O_CREATE
 * on an existing file opens it as it is. */
static void
test_overwrite(void)
{
	int fd;

	fd = open("ow", O_CREATE | O_WRONLY);
	CHECK(fd >= 0 && write(fd, "hello world", 11) == 11);
	close(fd);
	fd = open("ow", O_WRONLY);
	CHECK(fd >= 0 && write(fd, "HELLO", 5) == 5);
	close(fd);
	fd = open("ow", O_CREATE | O_RDWR);
	CHECK(fd >= 0);
	memset(buf, 0, 32);
	CHECK(read(fd, buf, 32) == 11);
	CHECK(strcmp(buf, "HELLO world") == 0);
	close(fd);
	CHECK(unlink("ow") == 0);
}

/* O_TRUNC empties a file (its pages come back: the leak check). */
static void
test_trunc(void)
{
	int fd;

	make_file("tr", 3 * PGSIZE + 10, 2);
	CHECK(file_size("tr") == 3 * PGSIZE + 10);
	fd = open("tr", O_TRUNC | O_WRONLY);
	CHECK(fd >= 0);
	CHECK(file_size("tr") == 0);
	CHECK(write(fd, "ab", 2) == 2);
	close(fd);
	fd = open("tr", O_RDONLY);
	CHECK(read(fd, buf, 10) == 2 && memcmp(buf, "ab", 2) == 0);
	close(fd);
	CHECK(unlink("tr") == 0);
}

/* A 1 MiB file written and read in 4 KiB calls. */
static void
test_filebig(void)
{
	int fd, i, n = 256;

	fd = open("big", O_CREATE | O_RDWR);
	CHECK(fd >= 0);
	for (i = 0; i < n; i++) {
		pattern_fill(buf, 4096, i);
		if (write(fd, buf, 4096) != 4096)
			fail("write %d failed", i);
	}
	close(fd);
	CHECK(file_size("big") == (uint64)n * 4096);
	fd = open("big", O_RDONLY);
	for (i = 0; i < n; i++) {
		read_full(fd, buf, 4096);
		if (pattern_check(buf, 4096, i) != -1)
			fail("block %d read back wrong", i);
	}
	CHECK(read(fd, buf, 1) == 0);
	close(fd);
	CHECK(unlink("big") == 0);
}

/* Writes stop at the largest file size: short or -1, never more. */
static void
test_filemax(void)
{
	uint64 total = 0;
	int fd, r;

	fd = open("max", O_CREATE | O_RDWR);
	CHECK(fd >= 0);
	memset(buf, 'm', sizeof(buf));
	while ((r = write(fd, buf, sizeof(buf))) == sizeof(buf))
		total += r;
	if (r > 0)
		total += r;
	close(fd);
	if (total != MAXFILE_BYTES)
		fail("file grew to %d bytes, not %d", (int)total, (int)MAXFILE_BYTES);
	CHECK(file_size("max") == MAXFILE_BYTES);
	CHECK(unlink("max") == 0);
}

/* Each open has its own offset; reads and writes advance it. */
static void
test_offsets(void)
{
	int a, b;
	char c;

	make_file("of", 10, 0);
	a = open("of", O_RDWR);
	b = open("of", O_RDONLY);
	CHECK(a >= 0 && b >= 0);
	CHECK(write(a, "XY", 2) == 2);
	CHECK(read(b, &c, 1) == 1 && c == 'X');
	CHECK(read(a, &c, 1) == 1 && c == buf[2]);
	CHECK(read(b, &c, 1) == 1 && c == 'Y');
	close(a);
	close(b);
	CHECK(unlink("of") == 0);
}

/* mkdir makes a directory that open and fstat see as one; it fails on an
 * existing name; a directory cannot be opened for writing. */
static void
test_mkdir(void)
{
	struct stat st;
	int fd;

	CHECK(mkdir("md") == 0);
	CHECK(mkdir("md") == -1);
	make_file("mf", 1, 0);
	CHECK(mkdir("mf") == -1);
	CHECK(mkdir("nodir/x") == -1);
	CHECK(mkdir("mf/x") == -1);
	fd = open("md", O_RDONLY);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.type == T_DIR);
	close(fd);
	CHECK(open("md", O_WRONLY) == -1);
	CHECK(open("md", O_RDWR) == -1);
	CHECK(unlink("md") == 0);
	CHECK(unlink("mf") == 0);
}

/* chdir changes where relative paths start; "." and ".." work; chdir to a
 * file or a missing path fails. */
static void
test_chdir(void)
{
	CHECK(mkdir("cd1") == 0);
	CHECK(chdir("cd1") == 0);
	make_file("f", 5, 0);
	CHECK(chdir("..") == 0);
	CHECK(file_size("cd1/f") == 5);
	CHECK(file_size(SCRATCH "/cd1/f") == 5);
	CHECK(chdir("cd1/../cd1/./") == 0);
	CHECK(file_size("./f") == 5);
	CHECK(file_size("../cd1/f") == 5);
	CHECK(chdir("nothere") == -1);
	CHECK(chdir("f") == -1);
	CHECK(chdir("/") == 0);
	CHECK(chdir(SCRATCH "/cd1") == 0);
	CHECK(unlink("f") == 0);
	CHECK(chdir("..") == 0);
	CHECK(unlink("cd1") == 0);
}

/* ".." of the root is the root; "a/b/.." is "a". */
static void
test_dotdot(void)
{
	struct stat root, up, a, ab;

	CHECK(stat("/", &root) == 0 && stat("/..", &up) == 0);
	CHECK(root.ino == up.ino && root.type == T_DIR);
	CHECK(stat("/./.././", &up) == 0 && up.ino == root.ino);
	CHECK(mkdir("dd") == 0 && mkdir("dd/b") == 0);
	CHECK(stat("dd", &a) == 0 && stat("dd/b/..", &ab) == 0);
	CHECK(a.ino == ab.ino);
	CHECK(stat("dd/b/.", &ab) == 0 && ab.ino != a.ino);
	CHECK(unlink("dd/b") == 0 && unlink("dd") == 0);
}

/* A directory with entries cannot be unlinked; an empty one can; "." and
 * ".." never. */
static void
test_unlinkdir(void)
{
	CHECK(mkdir("ud") == 0);
	make_file("ud/x", 10, 0);
	CHECK(unlink("ud") == -1);
	CHECK(unlink("ud/.") == -1);
	CHECK(unlink("ud/..") == -1);
	CHECK(unlink("ud/x") == 0);
	CHECK(unlink("ud") == 0);
	CHECK(unlink(".") == -1);
	CHECK(unlink("..") == -1);
	CHECK(stat("ud", (struct stat *)buf) == -1);
}

/* Nothing can be created in a current directory that was removed, and
 * leaving it works. */
static void
test_cwdremoved(void)
{
	CHECK(mkdir("gone") == 0);
	CHECK(chdir("gone") == 0);
	CHECK(unlink(SCRATCH "/gone") == 0);
	CHECK(open("f", O_CREATE | O_RDWR) == -1);
	CHECK(mkdir("d") == -1);
	CHECK(chdir(SCRATCH) == 0);
	CHECK(open("gone", O_RDONLY) == -1);
}

/* link gives a file a second name and nlink counts the names; the data
 * lives while one remains. */
static void
test_links(void)
{
	struct stat st;
	int fd;

	make_file("l1", 3, 8);
	CHECK(link("l1", "l2") == 0);
	CHECK(stat("l1", &st) == 0 && st.nlink == 2);
	CHECK(link("l1", "l2") == -1);
	CHECK(link("nothere", "l3") == -1);
	CHECK(link(".", "l4") == -1);
	CHECK(link("l1", "nodir/l5") == -1);
	CHECK(unlink("l1") == 0);
	CHECK(stat("l2", &st) == 0 && st.nlink == 1 && st.size == 3);
	fd = open("l2", O_RDONLY);
	CHECK(fd >= 0 && read(fd, big, 10) == 3 && pattern_check(big, 3, 8) == -1);
	close(fd);
	CHECK(unlink("l2") == 0);
}

/* A file unlinked while open stays readable and writable through its
 * descriptors; its pages come back after the last close. */
static void
test_unlinkopen(void)
{
	struct stat st;
	int fd, fd2;

	make_file("uo", 6000, 6);
	fd = open("uo", O_RDWR);
	fd2 = open("uo", O_RDONLY);
	CHECK(fd >= 0 && fd2 >= 0);
	CHECK(unlink("uo") == 0);
	CHECK(open("uo", O_RDONLY) == -1);
	CHECK(fstat(fd, &st) == 0 && st.nlink == 0 && st.size == 6000);
	read_full(fd2, big, 6000);
	CHECK(pattern_check(big, 6000, 6) == -1);
	CHECK(read(fd, big, 6000) == 6000);
	CHECK(write(fd, "more", 4) == 4);
	CHECK(read(fd2, big, 10) == 4 && memcmp(big, "more", 4) == 0);
	close(fd);
	close(fd2);
}

/* open until the descriptor table is full (-1), then closing one lets the
 * next open succeed. */
static void
test_openmany(void)
{
	int fds[NOFILE + 4], n, i;

	make_file("om", 1, 0);
	for (n = 0; n < NOFILE + 4; n++) {
		fds[n] = open("om", O_RDONLY);
		if (fds[n] < 0)
			break;
	}
	if (n == NOFILE + 4)
		fail("%d opens all succeeded", n);
	CHECK(n > NOFILE / 2);
	CHECK(dup(fds[0]) == -1);
	CHECK(pipe(fds + n) == -1);
	close(fds[n / 2]);
	fds[n / 2] = open("om", O_RDONLY);
	CHECK(fds[n / 2] >= 0);
	for (i = 0; i < n; i++)
		CHECK(close(fds[i]) == 0);
	CHECK(unlink("om") == 0);
}

/* Fill path with "./" pairs then name, len characters in all (len minus
 * strlen(name) must be even). */
static void
dotted_path(char *path, int len, const char *name)
{
	int i, pairs = (len - strlen(name)) / 2;

	for (i = 0; i < pairs; i++) {
		path[2 * i] = '.';
		path[2 * i + 1] = '/';
	}
	strcpy(path + 2 * pairs, name);
}

/* A name of DIRSIZ-1 characters works everywhere; one of DIRSIZ does
 * not. A path of MAXPATH-1 characters works; one of MAXPATH does not. */
static void
test_longname(void)
{
	char ok[DIRSIZ], bad[DIRSIZ + 1];
	static char path[MAXPATH + 8];
	int fd;

	memset(ok, 'n', DIRSIZ - 1);
	ok[DIRSIZ - 1] = 0;
	memset(bad, 'n', DIRSIZ);
	bad[DIRSIZ] = 0;
	fd = open(ok, O_CREATE | O_RDWR);
	CHECK(fd >= 0);
	close(fd);
	CHECK(file_size(ok) == 0);
	CHECK(open(bad, O_CREATE | O_RDWR) == -1);
	CHECK(open(bad, O_RDONLY) == -1);
	CHECK(mkdir(bad) == -1);
	CHECK(link(ok, bad) == -1);
	CHECK(unlink(ok) == 0);
	CHECK(mkdir(ok) == 0);
	CHECK(chdir(ok) == 0);
	CHECK(chdir("..") == 0);
	CHECK(unlink(ok) == 0);
	make_file("lp", 1, 0);
	make_file("lpx", 1, 0);
	dotted_path(path, MAXPATH - 1, (MAXPATH - 1) % 2 ? "lpx" : "lp");
	CHECK(strlen(path) == MAXPATH - 1 && file_size(path) == 1);
	dotted_path(path, MAXPATH, MAXPATH % 2 ? "lpx" : "lp");
	CHECK(strlen(path) == MAXPATH && stat(path, (struct stat *)buf) == -1);
	CHECK(unlink("lp") == 0 && unlink("lpx") == 0);
}

/* Reading a directory gives struct dirent entries: ".", ".." and each
 * name made in it. */
static void
test_readdir(void)
{
	static const char *names[] = {".", "..", "a", "bb", "nnnnnnnnnnnnnnnnnnnnnnnnnnn"};
	int found[5], fd, i, n = 5;
	struct dirent de;

	CHECK(mkdir("rd") == 0);
	for (i = 2; i < n; i++) {
		snprintf(buf, sizeof(buf), "rd/%s", names[i]);
		make_file(buf, i, 0);
	}
	memset(found, 0, sizeof(found));
	fd = open("rd", O_RDONLY);
	CHECK(fd >= 0);
	while (read(fd, &de, sizeof(de)) == sizeof(de)) {
		if (de.inum == 0)
			continue;
		for (i = 0; i < n && strncmp(de.name, names[i], DIRSIZ) != 0; i++)
			;
		if (i == n)
			fail("unexpected entry '%s'", de.name);
		CHECK(found[i] == 0);
		found[i] = 1;
	}
	close(fd);
	for (i = 0; i < n; i++) {
		if (!found[i])
			fail("entry '%s' missing", names[i]);
	}
	for (i = 2; i < n; i++) {
		snprintf(buf, sizeof(buf), "rd/%s", names[i]);
		CHECK(unlink(buf) == 0);
	}
	CHECK(unlink("rd") == 0);
}

/* dup returns the lowest free descriptor and shares the offset; closing
 * one copy leaves the other working. */
static void
test_dup(void)
{
	int fd, fd2;

	fd = open("du", O_CREATE | O_RDWR);
	CHECK(fd >= 0);
	fd2 = dup(fd);
	CHECK(fd2 >= 0 && close(fd2) == 0);
	CHECK(dup(fd) == fd2);
	CHECK(write(fd, "ab", 2) == 2 && write(fd2, "cd", 2) == 2);
	close(fd);
	CHECK(write(fd2, "e", 1) == 1);
	close(fd2);
	fd = open("du", O_RDONLY);
	CHECK(read(fd, buf, 10) == 5 && memcmp(buf, "abcde", 5) == 0);
	close(fd);
	CHECK(unlink("du") == 0);
}

/* A descriptor inherited through fork shares its offset with the parent. */
static void
test_forkoffset(void)
{
	int fd, pid;

	fd = open("fo", O_CREATE | O_RDWR);
	CHECK(fd >= 0);
	pid = xfork();
	if (pid == 0) {
		write(fd, "child ", 6);
		exit(0);
	}
	CHECK(xwait(pid) == 0);
	CHECK(write(fd, "parent", 6) == 6);
	close(fd);
	fd = open("fo", O_RDONLY);
	memset(buf, 0, 16);
	CHECK(read(fd, buf, 16) == 12 && strcmp(buf, "child parent") == 0);
	close(fd);
	CHECK(unlink("fo") == 0);
}

/* The null device swallows writes and reads as empty; so does a fresh
 * node made with mknod. */
static void
test_devnull(void)
{
	struct stat st;
	int fd;

	fd = open("/null", O_RDWR);
	CHECK(fd >= 0);
	CHECK(write(fd, big, 10000) == 10000);
	CHECK(read(fd, buf, 10) == 0);
	CHECK(fstat(fd, &st) == 0 && st.type == T_DEVICE);
	close(fd);
	CHECK(mknod("nul", DEVNULL, 0) == 0);
	fd = open("nul", O_RDWR);
	CHECK(fd >= 0 && write(fd, "x", 1) == 1 && read(fd, buf, 1) == 0);
	close(fd);
	CHECK(unlink("nul") == 0);
}

/* Four processes write through one shared descriptor: every byte lands,
 * none overwrites another. */
static void
test_sharedfd(void)
{
	int fd, pids[4], i, j, n, counts[4];

	fd = open("sf", O_CREATE | O_TRUNC | O_RDWR);
	CHECK(fd >= 0);
	for (i = 0; i < 4; i++) {
		pids[i] = xfork();
		if (pids[i] != 0)
			continue;
		memset(buf, 'a' + i, 10);
		for (j = 0; j < 100; j++) {
			if (write(fd, buf, 10) != 10)
				exit(1);
		}
		exit(0);
	}
	for (i = 0; i < 4; i++)
		CHECK(xwait(pids[i]) == 0);
	close(fd);
	CHECK(file_size("sf") == 4000);
	memset(counts, 0, sizeof(counts));
	fd = open("sf", O_RDONLY);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++) {
			if (buf[i] < 'a' || buf[i] > 'd')
				fail("stray byte %d in shared file", buf[i]);
			counts[buf[i] - 'a']++;
		}
	}
	close(fd);
	for (i = 0; i < 4; i++)
		CHECK(counts[i] == 1000);
	CHECK(unlink("sf") == 0);
}

/* Four processes each create, fill, check and remove their own files in
 * one directory at the same time. */
static void
test_concfiles(void)
{
	int pids[4], i, j, fd;
	char name[8];

	for (i = 0; i < 4; i++) {
		pids[i] = xfork();
		if (pids[i] != 0)
			continue;
		for (j = 0; j < 10; j++) {
			snprintf(name, sizeof(name), "c%d%d", i, j);
			make_file(name, 2000 + j * 100, i * 10 + j);
			fd = open(name, O_RDONLY);
			read_full(fd, big, 2000 + j * 100);
			close(fd);
			if (pattern_check(big, 2000 + j * 100, i * 10 + j) != -1)
				fail("file %s read back wrong", name);
			if (unlink(name) != 0)
				fail("unlink %s failed", name);
		}
		exit(0);
	}
	for (i = 0; i < 4; i++)
		CHECK(xwait(pids[i]) == 0);
}

/* ==== the shell and utilities =========================================== */

/* sh -c's exit status is that of the last command; exit N sets it. */
static void
test_shexit(void)
{
	check_sh("exit 3", "", 3);
	check_sh("exit", "", 0);
	check_sh("exit 255", "", 255);
	check_sh("echo a; exit 7; echo b", "a\n", 7);
	check_sh("(exit 9)", "", 9);
	check_sh("/uthelper ret 42", "", 42);
	check_sh("uthelper ret 4; echo x", "x\n", 0);
	check_sh("uthelper ret 4; echo $? \"[$?]\" '$?'; exit $?", "4 [4] $?\n", 0);
	check_sh("uthelper ret 5 || exit $?", "", 5);
}

/* An unknown command: message on stderr and status 127. */
static void
test_shnotfound(void)
{
	check_sh("nosuchcmd a b", "sh: nosuchcmd: not found\n", 127);
	check_sh("/no/such/cmd", "sh: /no/such/cmd: not found\n", 127);
}

/* Pipes: a pipeline's status is its last command's. */
static void
test_shpipe(void)
{
	check_sh("echo hello world | wc", "1 2 12\n", 0);
	check_sh("echo abc | cat | cat | wc", "1 1 4\n", 0);
	check_sh("echo x | uthelper ret 6", "", 6);
	check_sh("uthelper ret 6 | echo y", "y\n", 0);
}

/* Redirections: < > and >> (append). */
static void
test_shredir(void)
{
	check_sh("echo abc > shr; cat < shr; echo def >> shr; cat shr; rm shr", "abc\nabc\ndef\n",
	         0);
	check_sh("cat < nothere", "sh: nothere: cannot open\n", 1);
	check_sh("echo one > shr2; echo two > shr2; cat shr2; rm shr2", "two\n", 0);
}

/* Quotes and escapes group words and hide operators. */
static void
test_shquote(void)
{
	check_sh("echo 'a  b' \"c|d\" e\\ f \"\" g", "a  b c|d e f  g\n", 0);
	check_sh("echo \"it's\" 'say \"hi\"' # comment", "it's say \"hi\"\n", 0);
	check_sh("sh -c \"exit 3\"", "", 3);
	check_sh("echo 'unterminated", "sh: unterminated quote\n", 2);
}

/* Lists: ; && || & and parentheses. */
static void
test_shlist(void)
{
	check_sh("echo a; echo b && echo c || echo d", "a\nb\nc\n", 0);
	check_sh("uthelper ret 1 && echo no || echo yes", "yes\n", 0);
	check_sh("(echo e; echo f) | wc", "2 2 4\n", 0);
	check_sh("uthelper ret 3 & echo fg", "fg\n", 0);
	check_sh("echo a |", "sh: syntax error: missing command\n", 2);
	check_sh("echo a ;; echo b", 0, 2);
	check_sh("cd /etc; cat hello.sh | grep '^echo d'", "echo done\n", 0);
	check_sh("cd /nothere", "sh: cd: /nothere: cannot change directory\n", 1);
}

/* sh FILE runs a script line by line. */
static void
test_shscript(void)
{
	static char *argv[] = {"sh", "/etc/hello.sh", 0};
	int status;

	capture("/sh", argv, big, sizeof(big), &status);
	CHECK(status == 0);
	if (strcmp(big, "hello from a script\n1 3 14\ndone\n") != 0)
		fail("script printed '%s'", big);
}

/* mkdir, ln, rm, cat, wc, grep and ls do their jobs and fail cleanly. */
static void
test_utils(void)
{
	check_sh("mkdir ut && echo hi > ut/a && ln ut/a ut/b && cat ut/b && rm ut/a ut/b && rm ut",
	         "hi\n", 0);
	check_sh("rm nothere", "rm: nothere: cannot remove\n", 1);
	check_sh("echo a b; echo c | wc", "a b\n1 1 2\n", 0);
	check_sh("echo abc > g; echo xbcx >> g; echo aaac >> g; grep ^a.c$ g; rm g", "abc\n", 0);
	check_sh("echo abc > g; echo xbcx >> g; echo aaac >> g; grep a*c g; rm g",
	         "abc\nxbcx\naaac\n", 0);
	check_sh("echo abc | grep zz", "", 1);
	check_sh("echo a.b | grep 'a\\.b$'", "a.b\n", 0);
	check_sh("ls / | grep '^usertests '", 0, 0);
	check_sh("ls /etc | grep '^hello.sh '", 0, 0);
	check_sh("ls /etc/hello.sh | grep '^/etc/hello.sh  *2 '", 0, 0);
	check_sh("ls /nothere", "ls: /nothere: cannot open\n", 1);
	check_sh("kill 1000000", "kill: 1000000: no such process\n", 1);
}

/* ==== the user library ================================================== */

/* memset, memmove (both directions, any alignment) and memcpy. */
static void
test_ulibmem(void)
{
	static char a[300], ref[300];
	int off, len, i, dst;

	for (off = 0; off < 9; off++) {
		for (len = 0; len < 80; len += 7) {
			memset(a, 0, sizeof(a));
			CHECK(memset(a + off, 'z', len) == a + off);
			for (i = 0; i < 100; i++)
				CHECK(a[i] == (i >= off && i < off + len ? 'z' : 0));
		}
	}
	for (off = 0; off < 12; off++) {
		for (dst = 0; dst < 20; dst += 3) {
			for (i = 0; i < 300; i++)
				a[i] = ref[i] = i * 13;
			/* Reference: a byte-by-byte overlapping copy. */
			for (i = 0; i < 200; i++)
				buf[i] = ref[off + i];
			for (i = 0; i < 200; i++)
				ref[dst + i] = buf[i];
			CHECK(memmove(a + dst, a + off, 200) == a + dst);
			CHECK(memcmp(a, ref, 300) == 0);
		}
	}
	for (i = 0; i < 300; i++)
		a[i] = i;
	CHECK(memcpy(ref + 3, a + 5, 250) == ref + 3);
	CHECK(memcmp(ref + 3, a + 5, 250) == 0);
	CHECK(memcmp("abc", "abd", 3) < 0 && memcmp("abc", "abc", 3) == 0);
}

/* String functions and formatted output. */
static void
test_ulibfmt(void)
{
	char s[64];

	CHECK(strlen("") == 0 && strlen("hello") == 5);
	CHECK(strcmp("a", "b") < 0 && strcmp("b", "a") > 0 && strcmp("x", "x") == 0);
	CHECK(strncmp("abcd", "abcz", 3) == 0 && strncmp("abcd", "abcz", 4) < 0);
	CHECK(strchr("hello", 'l') != 0 && *strchr("hello", 'l') == 'l');
	CHECK(strchr("hello", 'z') == 0);
	CHECK(strcmp(strcpy(s, "copy"), "copy") == 0);
	CHECK(atoi("1234") == 1234 && atoi("-56") == -56 && atoi("7x") == 7);
	snprintf(s, sizeof(s), "%d %u %x %s %c %%", -42, 42u, 0xbeef, "str", 'c');
	CHECK(strcmp(s, "-42 42 beef str c %") == 0);
	snprintf(s, sizeof(s), "%ld %lx %lu", -5000000000L, 0x123456789aUL, 18000000000UL);
	CHECK(strcmp(s, "-5000000000 123456789a 18000000000") == 0);
	snprintf(s, sizeof(s), "[%5d][%-5d][%05d][%3s][%-3s]", 42, 42, -42, "a", "b");
	CHECK(strcmp(s, "[   42][42   ][-0042][  a][b  ]") == 0);
	snprintf(s, sizeof(s), "%p", (void *)0x1234);
	CHECK(strcmp(s, "0x0000000000001234") == 0);
	CHECK(snprintf(s, 4, "%s", "truncated") == 9 && strcmp(s, "tru") == 0);
}

/* malloc gives aligned, disjoint blocks; freed memory is reused. */
static void
test_malloc(void)
{
	static char *blocks[200];
	int i, j, n;
	char *p, *q;

	for (i = 0; i < 200; i++) {
		n = 1 + (i * 37) % 700;
		blocks[i] = malloc(n);
		CHECK(blocks[i] != 0 && ((uint64)blocks[i] & 15) == 0);
		memset(blocks[i], i, n);
	}
	for (i = 0; i < 200; i++) {
		n = 1 + (i * 37) % 700;
		for (j = 0; j < n; j++)
			CHECK(blocks[i][j] == (char)i);
	}
	for (i = 0; i < 200; i += 2)
		free(blocks[i]);
	for (i = 1; i < 200; i += 2)
		free(blocks[i]);
	p = malloc(50000);
	CHECK(p != 0);
	free(p);
	q = malloc(50000);
	CHECK(q == p);
	free(q);
	CHECK(malloc(0x7fffffff) == 0);
	free(0);
}

/* ==== the test table and the runner ===================================== */

static struct test tests[] = {
    {"forkwait", test_forkwait, 0},
    {"exitstatus", test_exitstatus, 0},
    {"waitmany", test_waitmany, 0},
    {"waitnochild", test_waitnochild, 0},
    {"waitnull", test_waitnull, 0},
    {"orphan", test_orphan, 0},
    {"proctable", test_proctable, 1},
    {"forkgrown", test_forkgrown, 0},
    {"forkstress", test_forkstress, 1},
    {"getpid", test_getpid, 0},
    {"execmissing", test_execmissing, 0},
    {"execargs", test_execargs, 0},
    {"execmaxarg", test_execmaxarg, 0},
    {"exectoomany", test_exectoomany, 0},
    {"execret", test_execret, 0},
    {"execgrown", test_execgrown, 0},
    {"exitclose", test_exitclose, 0},
    {"execbad", test_execbad, 0},
    {"execnotfile", test_execnotfile, 0},
    {"killspin", test_killspin, 0},
    {"killpipe", test_killpipe, 0},
    {"killsleep", test_killsleep, 0},
    {"killwait", test_killwait, 0},
    {"killself", test_killself, 0},
    {"killbad", test_killbad, 0},
    {"killinit", test_killinit, 0},
    {"killzombie", test_killzombie, 0},
    {"killparent", test_killparent, 0},
    {"sleep", test_sleep, 0},
    {"counters", test_counters, 0},
    {"kstats", test_kstats, 0},
    {"design", test_design, 0},
    {"kptcheck", test_kptcheck, 0},
    {"uprobe", test_uprobe, 0},
    {"pin", test_pin, 0},
    {"kptmany", test_kptmany, 0},
    {"kstatsexact", test_kstatsexact, 0},
    {"copyedge", test_copyedge, 0},
    {"sbrkbasic", test_sbrkbasic, 0},
    {"sbrkbig", test_sbrkbig, 0},
    {"sbrkneg", test_sbrkneg, 0},
    {"sbrkplic", test_sbrkplic, 0},
    {"sbrkdealloc", test_sbrkdealloc, 0},
    {"sbrkcopy", test_sbrkcopy, 0},
    {"oom", test_oom, 1},
    {"oomsteps", test_oomsteps, 1},
    {"exitmany", test_exitmany, 0},
    {"killmany", test_killmany, 0},
    {"stackguard", test_stackguard, 0},
    {"guardsbrk", test_guardsbrk, 0},
    {"guardstr", test_guardstr, 0},
    {"badaccess", test_badaccess, 0},
    {"badptrrw", test_badptrrw, 0},
    {"badlen", test_badlen, 0},
    {"badptrpath", test_badptrpath, 0},
    {"badargv", test_badargv, 0},
    {"badptrmisc", test_badptrmisc, 0},
    {"badfd", test_badfd, 0},
    {"hostile", test_hostile, 0},
    {"piecesread", test_piecesread, 0},
    {"piecesrange", test_piecesrange, 0},
    {"pipebasic", test_pipebasic, 0},
    {"pipebig", test_pipebig, 1},
    {"pipeeof", test_pipeeof, 0},
    {"pipenoreader", test_pipenoreader, 0},
    {"pipemany", test_pipemany, 0},
    {"pingpong", test_pingpong, 0},
    {"filebasic", test_filebasic, 0},
    {"overwrite", test_overwrite, 0},
    {"trunc", test_trunc, 0},
    {"filebig", test_filebig, 1},
    {"filemax", test_filemax, 1},
    {"offsets", test_offsets, 0},
    {"mkdir", test_mkdir, 0},
    {"chdir", test_chdir, 0},
    {"dotdot", test_dotdot, 0},
    {"unlinkdir", test_unlinkdir, 0},
    {"cwdremoved", test_cwdremoved, 0},
    {"links", test_links, 0},
    {"unlinkopen", test_unlinkopen, 0},
    {"openmany", test_openmany, 0},
    {"longname", test_longname, 0},
    {"readdir", test_readdir, 0},
    {"dup", test_dup, 0},
    {"forkoffset", test_forkoffset, 0},
    {"devnull", test_devnull, 0},
    {"sharedfd", test_sharedfd, 0},
    {"concfiles", test_concfiles, 0},
    {"shexit", test_shexit, 0},
    {"shnotfound", test_shnotfound, 0},
    {"shpipe", test_shpipe, 0},
    {"shredir", test_shredir, 0},
    {"shquote", test_shquote, 0},
    {"shlist", test_shlist, 0},
    {"shscript", test_shscript, 0},
    {"utils", test_utils, 0},
    {"ulibmem", test_ulibmem, 0},
    {"ulibfmt", test_ulibfmt, 0},
    {"malloc", test_malloc, 0},
    {"thrshare", test_thrshare, 0},
    {"thrsbrk", test_thrsbrk, 0},
    {"thrsbrkrace", test_thrsbrkrace, 0},
    {"threxit", test_threxit, 0},
    {"thrkill", test_thrkill, 0},
    {"thrforkexec", test_thrforkexec, 0},
    {"thrshrink", test_thrshrink, 0},
    {"thripi", test_thripi, 0},
    {"thrpolicy", test_thrpolicy, 0},
    {"thrbad", test_thrbad, 0},
    {"thrmany", test_thrmany, 0},
};

#define NTESTS ((int)(sizeof(tests) / sizeof(tests[0])))

/* Read what the test's processes wrote to the reason pipe, until every
 * one of them has closed it. */
static void
read_reason(int fd, char *reason, int max)
{
	int n = 0, r;
	char skip[64];

	while ((r = read(fd, n < max - 1 ? reason + n : skip,
	                 n < max - 1 ? max - 1 - n : (int)sizeof(skip))) > 0) {
		if (n < max - 1)
			n += r;
	}
	reason[n] = 0;
}

/* Pages lost by a test: free pages before minus after, given a few ticks
 * for init to reap the test's orphans. */
static int64
pages_lost(uint64 before)
{
	uint64 after = free_pages();
	int i;

	for (i = 0; i < SETTLE_TICKS && after < before; i++) {
		sleep(1);
		after = free_pages();
	}
	return after < before ? (int64)(before - after) : 0;
}

/* Run test t in a child and print its verdict line. 1 if it passed. */
static int
run_test(struct test *t)
{
	static char reason[200];
	int fds[2], pid, status;
	uint64 before;
	int64 lost;

	if (pipe(fds) < 0) {
		printf("test %s: FAILED (no pipe for the verdict)\n", t->name);
		return 0;
	}
	before = free_pages();
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		reason_fd = fds[1];
		t->fn();
		exit(0);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		printf("test %s: FAILED (fork failed)\n", t->name);
		return 0;
	}
	while (wait(&status) != pid)
		;
	read_reason(fds[0], reason, sizeof(reason));
	lost = pages_lost(before);
	close(fds[0]);
	if (status == 0 && reason[0] == 0 && lost == 0) {
		printf("test %s: OK\n", t->name);
		return 1;
	}
	if (reason[0] == 0 && status == -1)
		snprintf(reason, sizeof(reason), "killed");
	else if (reason[0] == 0 && status != 0)
		snprintf(reason, sizeof(reason), "exit status %d", status);
	else if (reason[0] == 0)
		snprintf(reason, sizeof(reason), "leaked %ld pages", lost);
	printf("test %s: FAILED (%s)\n", t->name, reason);
	return 0;
}

/* Make the scratch directory and our current directory, and grow it to
 * hold more entries than any test makes at once, so that a directory
 * growing during a test does not count as a leak. */
static int
setup_scratch(void)
{
	char name[8];
	int i, fd;

	mkdir(SCRATCH);
	if (chdir(SCRATCH) < 0)
		return -1;
	for (i = 0; i < 64; i++) {
		snprintf(name, sizeof(name), "w%d", i);
		fd = open(name, O_CREATE | O_RDWR);
		if (fd >= 0)
			close(fd);
	}
	for (i = 0; i < 64; i++) {
		snprintf(name, sizeof(name), "w%d", i);
		unlink(name);
	}
	return 0;
}

/* The test named name, or 0. */
static struct test *
find_test(const char *name)
{
	int i;

	for (i = 0; i < NTESTS; i++) {
		if (strcmp(tests[i].name, name) == 0)
			return &tests[i];
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	int quick = 0, named = 0, passed = 0, failed = 0, i;
	char name[32];

	/* exec leaves the break at the top of the stack, argv inside it. */
	stack_top = (uint64)sbrk(0);
	if ((uint64)argv >= stack_top || (uint64)argv < stack_top - USTACK_PAGES * PGSIZE) {
		fprintf(2, "usertests: argv %p is not in the stack below %p\n", argv,
		        (void *)stack_top);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-q") == 0) {
			quick = 1;
		} else if (find_test(argv[i]) == 0) {
			fprintf(2, "usertests: no test named %s\n", argv[i]);
			return 2;
		} else {
			named++;
		}
	}
	if (setup_scratch() < 0) {
		fprintf(2, "usertests: cannot make %s\n", SCRATCH);
		return 2;
	}
	memset(name, 0, sizeof(name));
	design_trait("config", name, sizeof(name));
	printf("usertests: design %s, %s\n", name,
	       named   ? "named tests"
	       : quick ? "quick tests"
	               : "all tests");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-q") != 0 && run_test(find_test(argv[i])))
			passed++;
		else if (strcmp(argv[i], "-q") != 0)
			failed++;
	}
	for (i = 0; !named && i < NTESTS; i++) {
		if (quick && tests[i].slow)
			continue;
		if (run_test(&tests[i]))
			passed++;
		else
			failed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
