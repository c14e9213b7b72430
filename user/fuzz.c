/*
 * fuzz: a seeded system call fuzzer.
 *
 *   fuzz [-s SEED] [-n COUNT] [-b BATCH] [-v]
 *
 * Makes COUNT system calls (default 3000) with random and boundary
 * arguments drawn from a PRNG seeded with SEED (default 1): every call
 * number but poweroff, plus invalid ones, with descriptors it holds and
 * ones it does not, valid buffers and the hostile pointers of usertests'
 * matrix, lengths around a page and absurd ones, paths good and bad. The
 * calls run in batches of BATCH_CALLS, each in a forked child with its own
 * seed (derived from SEED and the batch number), so -b BATCH replays one
 * batch alone; -v prints every call as the parent reads it from the log.
 *
 * The child keeps the run alive and contained: its descriptors 0-2 are the
 * null device; it tracks its descriptors and pipes and never makes a read
 * or write that could block; a fork's child exits at once; kill is only
 * aimed at pids it made; sleeps are short; paths that create or remove
 * anything are relative to the batch's scratch directory /fuzz.PID, which
 * it never leaves; exec can only start /echo (a successful exec ends the
 * batch early, which is fine, with echo's status: 1 if the batch had
 * closed its output). It checks what it can predict: a
 * hostile pointer makes the call return -1, kptcheck() finds no mirror
 * mismatch, close/dup agree with its own descriptor table, sbrk moves the
 * break as asked and never below the top of the stack, kill(1) fails.
 * Before each call it writes the call to a log pipe, so the parent can
 * name the culprit if the child dies.
 *
 * One call in STEP_ODDS is a structured step instead of a random call:
 *   - exec of a malformed executable: /echo (read at the start) with
 *     valid segments added at random and then one flaw of
 *     user/elfflaw.h in a random variant, written to the scratch
 *     directory; exec must return -1 (one in ELF_VALID_ODDS is left
 *     valid, and must run);
 *   - an sbrk/fork/exec sequence: grow by a random amount, fill it,
 *     fork; the child checks its copy, that the break comes down to the
 *     top of the stack and no lower, that the guard page is refused, then
 *     exits, execs /echo or execs a malformed file (which must fail);
 *     the parent checks the child's verdict and its own memory, and
 *     shrinks back.
 *
 * The parent, after each batch: the child must exit 0 (killed, or an
 * oracle failure, fails the run; so does a batch that ended in its exec
 * of a malformed file), within WATCHDOG_TICKS (else a watchdog
 * kills it and the run fails); it then removes the scratch directory and
 * checks that free pages, processes and page-table pages (user and
 * per-process kernel) are back to what they were before the batch.
 *
 * Output: on failure, lines naming the seed, batch and call, then
 * "fuzz: FAILED ..."; else "fuzz: seed S, N calls, N children, OK".
 * Exit status 0 when OK, 1 on failure, 2 on bad usage.
 */
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/kstats.h"
#include "kernel/param.h"
#include "kernel/syscall.h"
#include "kernel/types.h"
#include "user/elfflaw.h"
#include "user/user.h"

#define PGSIZE 4096
#define BATCH_CALLS 200     /* calls per child */
#define WATCHDOG_TICKS 1000 /* a batch still running after this has hung */
#define SETTLE_TICKS 50     /* for init to reap a batch's orphans */
#define LOG_FD (NOFILE - 1) /* the child's log pipe: never fuzzed */
#define REGION_PAGES 8      /* the child's own buffer pages, at its break */
#define REGION_BYTES (REGION_PAGES * PGSIZE)
#define MAXKIDS 32
#define ORACLE_STATUS 3   /* a child's exit status when a check failed */
#define BROKEN_STATUS 4   /* ... when it could not set up or write its log */
#define STEP_ODDS 16      /* one call in this many is a structured step */
#define ELF_VALID_ODDS 16 /* one executable in this many is left valid */
#define ELF_ROOM 16384    /* bytes for /echo and a changed copy of it */
#define ELF_FILE "e.elf"  /* where a step writes its executable (scratch) */

/* ==== the PRNG: splitmix64 ============================================= */

static uint64 rng_state;

static uint64
rng_next(void)
{
	uint64 z = (rng_state += 0x9e3779b97f4a7c15UL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
	return z ^ (z >> 31);
}

/* A number in [0, n). */
static uint64
rng_below(uint64 n)
{
	return rng_next() % n;
}

/* One element of a constant table. */
#define PICK(table) ((table)[rng_below(sizeof(table) / sizeof((table)[0]))])

/* ==== the log: what the child is doing, for the parent =================== */

enum { REC_CALL, REC_FAIL, REC_BADEXEC, REC_DONE };

struct record {
	int kind;  /* REC_CALL: about to make it; REC_FAIL: a check failed;
	            * REC_BADEXEC: about to exec a malformed file (why: its
	            * flaw); REC_DONE: the batch made all its calls */
	int index; /* the call's number in its batch */
	long num;  /* system call number */
	long arg[6];
	long ret; /* REC_FAIL: what the call returned */
	char why[48];
};

/* Write a record to the log; the child cannot go on without it. */
static void
log_record(int kind, int index, long num, const long *arg, long ret, const char *why)
{
	struct record r;

	memset(&r, 0, sizeof(r));
	r.kind = kind;
	r.index = index;
	r.num = num;
	memmove(r.arg, arg, sizeof(r.arg));
	r.ret = ret;
	if (why)
		strcpy(r.why, why);
	if (write(LOG_FD, &r, sizeof(r)) != sizeof(r))
		exit(BROKEN_STATUS);
}

/* ==== the child's model of itself ======================================== */

enum fd_kind { FK_FREE, FK_PLAIN, FK_PIPE_R, FK_PIPE_W };

static struct {
	struct {
		int kind;
		int pipe; /* FK_PIPE_*: index in pipes[] */
	} fd[NOFILE];
	struct {
		int pending; /* bytes written and not yet read */
		int readers; /* our descriptors for each end */
		int writers;
	} pipes[NOFILE];
	char *region;      /* REGION_PAGES pages of our own, for the kernel to fill */
	uint64 grown;      /* bytes sbrk added above the region */
	uint64 guard;      /* the stack guard page */
	uint64 floor;      /* the top of the stack: sbrk may not go below it */
	int kids[MAXKIDS]; /* pids of our forks' children */
	int nkids;
	int pid;
	int index; /* the call being made */
} me;

/* What a pointer argument is, for the checks after the call. */
enum ptr_class {
	PC_VALID,    /* in the region or the heap above it: may work */
	PC_TEXT,     /* read-only text: never written */
	PC_STRADDLE, /* two bytes before an edge */
	PC_EDGE,     /* at the break or in the guard page: refused when n > 0 */
	PC_FAR,      /* above the break: always refused */
};

/* Where the pointer arguments of the call being made fell. */
static int arg_class[6];

/* Raw system call: a7 = num, a0..a5 = arg. A fork's child returns here
 * too (with 0); a successful exec does not return. */
static long
raw_syscall(long num, const long *arg)
{
	register long a0 asm("a0") = arg[0];
	register long a1 asm("a1") = arg[1];
	register long a2 asm("a2") = arg[2];
	register long a3 asm("a3") = arg[3];
	register long a4 asm("a4") = arg[4];
	register long a5 asm("a5") = arg[5];
	register long a7 asm("a7") = num;

	asm volatile("ecall"
	             : "+r"(a0)
	             : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
	             : "memory");
	return a0;
}

/* Report a failed check on the current call and end the child. */
static void
oracle_fail(long num, const long *arg, long ret, const char *why)
{
	log_record(REC_FAIL, me.index, num, arg, ret, why);
	exit(ORACLE_STATUS);
}

/* ==== arguments ========================================================== */

static const long hostile_ptrs[] = {
    0x80000000L,                /* kernel text */
    0x80100000L,                /* kernel data */
    0x87fff000L,                /* top of RAM */
    0x100000L,                  /* finisher */
    0x02000000L,                /* CLINT */
    0x0c000000L,                /* PLIC */
    0x10000000L,                /* UART */
    0x3fffffe000L,              /* trap frame */
    0x3ffffff000L,              /* trampoline */
    0x4000000000L,              /* MAXVA */
    (long)0xfffffffffffff000UL, /* wraps with a length */
    -1L,
};

static const long small_lengths[] = {0, 1, 2, 7, 8, 15, 16, 100};
static const long page_lengths[] = {PGSIZE - 1, PGSIZE, PGSIZE + 1, 2 * PGSIZE, REGION_BYTES};
static const long absurd_lengths[] = {-1, (int)0x80000000, 0x7fffffff, 0x10000000};

static const long hostile_fds[] = {-1, NOFILE, 100, (int)0x80000000, 0x7fffffff, LOG_FD + 1};

/* Relative to the scratch directory: may be created or removed. */
#define LONGEST_NAME "aaaaaaaaaaaaaaaaaaaaaaaaaaa" /* DIRSIZ-1 characters */
static const char *const scratch_paths[] = {
    "f0", "f1", "f2",   "d0",     "d1",     "d0/f0",      "d0/d1",         "d0/..",
    ".",  "",   "f0/x", "none/x", "d0//f1", LONGEST_NAME, LONGEST_NAME "a"};

/* Outside it: looked up only; the files among them opened read-only. */
static const char echo_path[] = "/echo";
static const char *const shared_paths[] = {
    "/null", "/", "/etc", "/etc/hello.sh", echo_path, "/no-such", "//", "/console/x",
};

extern char end[]; /* user/user.ld: end of .bss */

/* The current break. */
static uint64
brk(void)
{
	return (uint64)sbrk(0);
}

/* A pointer: into our region, at an edge, hostile, or text. Its class in
 * arg_class[slot]. */
static long
pick_ptr(int slot)
{
	uint64 r = rng_below(16), top = brk();
	uint64 region = (uint64)me.region;

	arg_class[slot] = PC_VALID;
	if (r < 7)
		return region + rng_below(REGION_BYTES);
	if (r < 9)
		return region + rng_below(REGION_PAGES) * PGSIZE; /* page aligned */
	if (r < 11) {
		long p = PICK(hostile_ptrs);

		/* Far unless the heap has grown past it (the finisher's 1 MiB). */
		arg_class[slot] = (uint64)p > top ? PC_FAR : PC_VALID;
		return p;
	}
	switch (rng_below(7)) {
	case 0:
		arg_class[slot] = PC_EDGE;
		return top;
	case 2:
		arg_class[slot] = PC_EDGE;
		return me.guard;
	case 3:
		/* Two bytes of .bss padding before the guard, if there are. */
		if ((uint64)end + 2 <= me.guard) {
			arg_class[slot] = PC_STRADDLE;
			return me.guard - 2;
		}
		/* fall through */
	case 1:
		arg_class[slot] = PC_STRADDLE;
		return top - 2;
	case 4:
		arg_class[slot] = PC_EDGE;
		return me.guard + PGSIZE - 8;
	case 5:
		arg_class[slot] = PC_TEXT;
		return 0;
	default:
		arg_class[slot] = PC_TEXT;
		return (long)rng_next;
	}
}

/* A descriptor: mostly one we hold, sometimes a free or impossible one. */
static long
pick_fd(void)
{
	int open[NOFILE], n = 0, fd;

	for (fd = 0; fd < NOFILE; fd++)
		if (me.fd[fd].kind != FK_FREE)
			open[n++] = fd;
	if (n > 0 && rng_below(4) != 0)
		return open[rng_below(n)];
	if (rng_below(2))
		return rng_below(LOG_FD); /* maybe free */
	return PICK(hostile_fds);
}

static long
pick_len(void)
{
	switch (rng_below(4)) {
	case 0:
		return PICK(small_lengths);
	case 1:
		return PICK(page_lengths);
	case 2:
		return PICK(absurd_lengths);
	default:
		return rng_below(3 * PGSIZE);
	}
}

/* A path for a call that may create or remove (scratch) or only look up
 * (shared too): a constant, or any pointer but into the text (a string
 * there could be any path, and cannot be tamed: see tame_path). */
static long
pick_path(int slot, int shared)
{
	long p;

	if (rng_below(4) == 0) {
		p = pick_ptr(slot);
		if (arg_class[slot] != PC_TEXT)
			return p;
	}
	arg_class[slot] = PC_VALID;
	if (shared && rng_below(3) == 0)
		return (long)PICK(shared_paths);
	return (long)PICK(scratch_paths);
}

/* Make a path in our own memory (random bytes) harmless: every '/' and
 * '.' becomes '_', so that it names one entry of the current directory,
 * never "..", never anything outside the scratch directory. */
static void
tame_path(long path)
{
	char *p = (char *)path, *top = (char *)brk();

	if (p < me.region || p >= top)
		return; /* a constant, hostile, or the .bss padding (zeros) */
	for (; p < top && *p; p++)
		if (*p == '/' || *p == '.')
			*p = '_';
}

/* Whether path is one of shared_paths. */
static int
shared_path(long path)
{
	int i;

	for (i = 0; i < (int)(sizeof(shared_paths) / sizeof(shared_paths[0])); i++)
		if (path == (long)shared_paths[i])
			return 1;
	return 0;
}

/* An argv array for exec: a good one now and then, else one whose
 * second element is any pointer (its class is the array's), or any
 * pointer as the array. The only program exec can start is /echo, which
 * exits 0 (1 if the batch had closed its output). */
static long
pick_argv(int slot)
{
	static char *echo_argv[] = {"echo", "fuzz", 0};
	static char *odd_argv[] = {"x", 0, 0};
	static char *empty_argv[] = {0};

	arg_class[slot] = PC_VALID;
	switch (rng_below(6)) {
	case 0:
		return (long)echo_argv;
	case 1:
		return (long)empty_argv;
	case 2:
		odd_argv[1] = (char *)pick_ptr(slot);
		return (long)odd_argv;
	default:
		return pick_ptr(slot);
	}
}

/* Whether [p, p+n) would be refused by the kernel's buffer check: the
 * range leaves our memory or touches the stack guard. */
static int
buf_refused(uint64 p, long n)
{
	uint64 top = brk();

	if (n < 0 || p > top || (uint64)n > top - p)
		return 1;
	return n > 0 && p < me.guard + PGSIZE && p + n > me.guard;
}

/* ==== the calls ========================================================== */

/* Arguments of the descriptor and buffer calls. */
static void
io_args(long num, long *arg)
{
	switch (num) {
	case SYS_read:
	case SYS_write:
		arg[0] = pick_fd();
		arg[1] = pick_ptr(1);
		arg[2] = pick_len();
		break;
	case SYS_close:
	case SYS_dup:
		arg[0] = pick_fd();
		break;
	case SYS_fstat:
		arg[0] = pick_fd();
		arg[1] = pick_ptr(1);
		break;
	case SYS_pipe:
	case SYS_wait:
	case SYS_kstats:
		arg[0] = rng_below(8) == 0 ? 0 : pick_ptr(0);
		break;
	case SYS_design:
		arg[0] = pick_ptr(0);
		arg[1] = pick_len();
		break;
	}
}

/* Arguments of the calls that take paths. */
static void
fs_args(long num, long *arg)
{
	static const long flags[] = {O_RDONLY,
	                             O_WRONLY,
	                             O_RDWR,
	                             O_CREATE | O_RDWR,
	                             O_CREATE | O_WRONLY | O_TRUNC,
	                             O_TRUNC,
	                             O_CREATE,
	                             O_WRONLY | O_RDWR,
	                             -1,
	                             0x7fffffff,
	                             0x100};
	static const long majors[] = {DEVNULL, 0, 3, 7, 8, -1, 1000, 0x7fffffff};
	static const long minors[] = {0, 1, -1, 32767, 32768, (int)0x80000000};

	switch (num) {
	case SYS_open:
		arg[0] = pick_path(0, 1);
		arg[1] = PICK(flags);
		break;
	case SYS_exec:
		arg[0] = rng_below(4) == 0 ? (long)echo_path : pick_path(0, 1);
		arg[1] = pick_argv(1);
		break;
	case SYS_chdir:
	case SYS_mkdir:
	case SYS_unlink:
		arg[0] = pick_path(0, 0);
		break;
	case SYS_mknod:
		/* Never CONSOLE: a console node would be a descriptor to block on. */
		arg[0] = pick_path(0, 0);
		arg[1] = PICK(majors);
		arg[2] = PICK(minors);
		break;
	case SYS_link:
		arg[0] = pick_path(0, 0);
		arg[1] = pick_path(1, 0);
		break;
	}
}

/* Arguments of the process and kernel calls. */
static void
proc_args(long num, long *arg)
{
	static const long sbrks[] = {
	    0,          1,           -1,           100,        PGSIZE,          -PGSIZE,
	    3 * PGSIZE, 16 * PGSIZE, -16 * PGSIZE, 0x7fffffff, (int)0x80000000, -0x7fffffff,
	    0x0c000000};
	static const long sleeps[] = {0, 1, 2, -1, (int)0x80000000};
	static const long pids[] = {0, -1, 1, (int)0x80000000, 0x7fffffff, 1000000};
	static const long tables[] = {-1, 2, 3, 99, (int)0x80000000, 0x7fffffff};

	switch (num) {
	case SYS_sbrk:
		arg[0] = PICK(sbrks);
		if (rng_below(8) == 0) /* below the top of the stack: must fail */
			arg[0] = -(long)(brk() - me.floor) - 1 - (long)rng_below(3 * PGSIZE);
		break;
	case SYS_sleep:
		arg[0] = PICK(sleeps); /* short: a sleep must not look like a hang */
		break;
	case SYS_kill:
		/* Only our forks' children and init (which must refuse): never
		 * our parent or ourselves. */
		arg[0] = me.nkids > 0 && rng_below(2) ? me.kids[rng_below(me.nkids)] : PICK(pids);
		break;
	case SYS_vmprint:
		arg[0] = PICK(tables); /* never 0 or 1: no table dumps */
		break;
	case SYS_thread_create:
		/* Any function, any stack but a 16-byte aligned one: a thread
		 * never starts, so nothing runs random code. */
		arg[0] = pick_ptr(0);
		arg[2] = pick_ptr(2) | 8;
		break;
	case SYS_thread_join:
		arg[1] = pick_ptr(1); /* any tid: the batch makes no threads */
		break;
	}
}

/* Fill arg for call num (exit and poweroff are never made by a batch:
 * see fuzz_call); arguments a call does not use hold noise. */
static void
make_args(long num, long *arg)
{
	int i;

	for (i = 0; i < 6; i++) {
		arg[i] = (long)rng_next();
		arg_class[i] = PC_VALID;
	}
	io_args(num, arg);
	fs_args(num, arg);
	proc_args(num, arg);
}

/* A read or write on one of our pipes that could block (the kernel would
 * accept the buffer, and the pipe is empty or too full, with the other
 * end open) moves what it can at once instead: nothing, or what fits. */
static void
tame_pipe_io(long num, long *arg)
{
	int fd = arg[0], p;

	if (fd < 0 || fd >= NOFILE || buf_refused(arg[1], (int)arg[2]))
		return;
	p = me.fd[fd].pipe;
	if (num == SYS_read && me.fd[fd].kind == FK_PIPE_R && me.pipes[p].pending == 0 &&
	    me.pipes[p].writers > 0)
		arg[2] = 0;
	if (num == SYS_write && me.fd[fd].kind == FK_PIPE_W && me.pipes[p].readers > 0 &&
	    (int)arg[2] > PIPESIZE - me.pipes[p].pending)
		arg[2] = PIPESIZE - me.pipes[p].pending;
}

/* Paths stay inside the scratch directory; outside it nothing is created
 * or truncated, and its regular files are not opened for writing. */
static void
tame_fs(long num, long *arg)
{
	if (num == SYS_open || num == SYS_exec || num == SYS_chdir || num == SYS_mkdir ||
	    num == SYS_unlink || num == SYS_mknod || num == SYS_link)
		tame_path(arg[0]);
	if (num == SYS_link)
		tame_path(arg[1]);
	/* echo, if this exec starts it, writes to descriptors 1 and 2: a
	 * pipe there (whose read end echo holds too) could block it. */
	if (num == SYS_exec && (me.fd[1].kind == FK_PIPE_W || me.fd[2].kind == FK_PIPE_W))
		arg[0] = (long)shared_paths[5]; /* "/no-such" */
	if (num == SYS_open && shared_path(arg[0]))
		arg[1] &= ~(long)(O_CREATE | O_TRUNC);
	if (num == SYS_open && (arg[0] == (long)shared_paths[3] || arg[0] == (long)echo_path))
		arg[1] = O_RDONLY;
}

/* Make arg safe for the run: no call that could block forever, touch a
 * file outside the scratch directory, or shrink memory we use (sbrk may
 * only give back what it added above the region, or try to go below
 * the top of the stack, which must fail). */
static void
tame_args(long num, long *arg)
{
	long n = (int)arg[0];

	if (num == SYS_read || num == SYS_write)
		tame_pipe_io(num, arg);
	tame_fs(num, arg);
	if (num == SYS_sbrk && n < 0 && (uint64)-n > me.grown && (uint64)-n <= brk() - me.floor)
		arg[0] = -(long)me.grown;
}

/* ==== the child's bookkeeping and checks ================================== */

/* A pipe slot with no descriptors, or -1. */
static int
free_pipe_slot(void)
{
	int i;

	for (i = 0; i < NOFILE; i++)
		if (me.pipes[i].readers + me.pipes[i].writers == 0)
			return i;
	return -1;
}

/* The lowest descriptor we do not hold. */
static int
lowest_free_fd(void)
{
	int fd;

	for (fd = 0; fd < LOG_FD; fd++)
		if (me.fd[fd].kind == FK_FREE)
			return fd;
	return -1;
}

/* Count fd's end of its pipe up (d = 1) or down (d = -1). */
static void
pipe_ref(int fd, int d)
{
	int p = me.fd[fd].pipe;

	if (me.fd[fd].kind == FK_PIPE_R)
		me.pipes[p].readers += d;
	else if (me.fd[fd].kind == FK_PIPE_W)
		me.pipes[p].writers += d;
}

/* After a successful pipe(fds): track both ends. */
static void
track_pipe(const int *fds)
{
	int p = free_pipe_slot();

	if (p < 0)
		oracle_fail(SYS_pipe, (long *)fds, 0, "more pipes than descriptors");
	me.pipes[p].pending = 0;
	me.pipes[p].readers = me.pipes[p].writers = 1;
	me.fd[fds[0]].kind = FK_PIPE_R;
	me.fd[fds[1]].kind = FK_PIPE_W;
	me.fd[fds[0]].pipe = me.fd[fds[1]].pipe = p;
}

/* Whether a call with these arguments must fail because of a pointer. */
static int
must_fail(long num, const long *arg)
{
	int c0 = arg_class[0], c1 = arg_class[1], n = arg[2];

	switch (num) {
	case SYS_read:
	case SYS_write:
		return c1 == PC_FAR || ((c1 == PC_EDGE || (c1 == PC_STRADDLE && n > 2)) && n > 0);
	case SYS_fstat:
		return c1 >= PC_TEXT;
	case SYS_pipe:
	case SYS_kstats:
	case SYS_wait:
		return arg[0] != 0 && c0 >= PC_TEXT;
	case SYS_design:
		return c0 >= PC_TEXT;
	case SYS_open:
	case SYS_chdir:
	case SYS_mkdir:
	case SYS_unlink:
	case SYS_mknod:
		return c0 >= PC_EDGE;
	case SYS_link:
		return c0 >= PC_EDGE || c1 >= PC_EDGE;
	case SYS_exec:
		return c0 >= PC_EDGE || c1 >= PC_EDGE;
	case SYS_thread_create: /* its stack is never aligned (proc_args) */
	case SYS_thread_join:   /* the batch has no thread to join */
		return 1;
	}
	return 0;
}

/* Bookkeeping and checks of the descriptor calls after num returned r:
 * open and dup give the lowest free descriptor, close and dup agree with
 * our table, a transfer moves at most what was asked. */
static void
after_fd_call(long num, const long *arg, long r)
{
	int fd = arg[0], held = fd >= 0 && fd < NOFILE && me.fd[fd].kind != FK_FREE;

	switch (num) {
	case SYS_open:
		if (r >= 0 && r != lowest_free_fd())
			oracle_fail(num, arg, r, "open: not the lowest free fd");
		if (r >= 0)
			me.fd[r].kind = FK_PLAIN;
		break;
	case SYS_pipe:
		if (r == 0)
			track_pipe((const int *)arg[0]);
		break;
	case SYS_dup:
		if (r != (held ? lowest_free_fd() : -1))
			oracle_fail(num, arg, r, "dup disagrees with our table");
		if (r >= 0) {
			me.fd[r] = me.fd[fd];
			pipe_ref(r, 1);
		}
		break;
	case SYS_close:
		if (r != (held ? 0 : -1))
			oracle_fail(num, arg, r, "close disagrees with our table");
		if (r == 0) {
			pipe_ref(fd, -1);
			me.fd[fd].kind = FK_FREE;
		}
		break;
	case SYS_read:
	case SYS_write:
		if ((r >= 0 && r > (int)arg[2]) || r < -1)
			oracle_fail(num, arg, r, "more bytes than asked");
		if (r > 0 && me.fd[fd].kind >= FK_PIPE_R)
			me.pipes[me.fd[fd].pipe].pending += num == SYS_read ? -r : r;
		break;
	}
}

/* Bookkeeping and checks after call num returned r; the break was
 * old_brk before it. */
static void
after_call(long num, const long *arg, long r, uint64 old_brk)
{
	int i;

	if (r != -1 && must_fail(num, arg))
		oracle_fail(num, arg, r, "hostile pointer accepted");
	after_fd_call(num, arg, r);
	switch (num) {
	case SYS_sbrk:
		if (r != -1 && (int)arg[0] < 0 && (uint64) - (int)arg[0] > old_brk - me.floor)
			oracle_fail(num, arg, r, "sbrk went below the top of the stack");
		if (r != -1 && ((uint64)r != old_brk || brk() != old_brk + (int)arg[0]))
			oracle_fail(num, arg, r, "sbrk moved the break wrongly");
		if (r == -1 && brk() != old_brk)
			oracle_fail(num, arg, r, "a failed sbrk moved the break");
		if (r != -1)
			me.grown += (int)arg[0];
		break;
	case SYS_wait:
		for (i = 0; r > 0 && i < me.nkids; i++)
			if (me.kids[i] == r)
				me.kids[i] = me.kids[--me.nkids];
		break;
	case SYS_kill:
		if ((int)arg[0] == 1 && r != -1)
			oracle_fail(num, arg, r, "kill(1) did not fail");
		break;
	case SYS_getpid:
		if (r != me.pid)
			oracle_fail(num, arg, r, "getpid changed");
		break;
	case SYS_kptcheck:
		if (r != 0)
			oracle_fail(num, arg, r, "kernel mirror mismatch");
		break;
	}
}

/* Call number num for batch call index: log it, make it, check it. A
 * fork's child exits at once; exit and poweroff are never made here. */
static void
fuzz_call(long num)
{
	long arg[6], r;
	uint64 old_brk;

	make_args(num, arg);
	tame_args(num, arg);
	old_brk = brk();
	log_record(REC_CALL, me.index, num, arg, 0, 0);
	r = raw_syscall(num, arg);
	if (num == SYS_fork && r == 0)
		exit(rng_below(256));
	if (num == SYS_fork && r > 0 && me.nkids < MAXKIDS)
		me.kids[me.nkids++] = r;
	after_call(num, arg, r, old_brk);
}

/* The call numbers a batch draws from: every one but exit (made by its
 * forks' children), thread_exit (the batch is its process's only thread:
 * it would be exit) and poweroff, and a few that do not exist. */
static long
pick_call(void)
{
	static const long invalid[] = {0,    NSYSCALL, NSYSCALL + 1,    99,
	                               1000, -1,       (int)0x80000000, 0x7fffffffffffffffL};
	long num;

	if (rng_below(40) == 0)
		return PICK(invalid);
	do
		num = 1 + rng_below(NSYSCALL - 1);
	while (num == SYS_exit || num == SYS_poweroff || num == SYS_thread_exit);
	return num;
}

/* ==== structured steps ===================================================== */

/* /echo as read at the start of the batch, and the copy a step changes. */
static uint64 elf_base[ELF_ROOM / 8], elf_work[ELF_ROOM / 8];
static int elf_base_len; /* 0 when /echo could not be read */

/* Read /echo into elf_base (at setup, before the descriptor model). */
static void
elf_read_base(void)
{
	int fd = open(echo_path, O_RDONLY), r;

	elf_base_len = 0;
	if (fd < 0)
		return;
	while ((r = read(fd, (char *)elf_base + elf_base_len, ELF_ROOM - elf_base_len)) > 0)
		elf_base_len += r;
	close(fd);
	if (r < 0 || elf_base_len == ELF_ROOM)
		elf_base_len = 0;
}

/* Append up to three valid segments above the image's last one, each
 * up to 8 pages, readable or read-write, after gaps of up to 3 pages. */
static void
elf_more_loads(struct elf_image *im)
{
	struct elf_phdr *d = elf_ph(im, elf_load_index(im, 1));
	uint64 at = (d->vaddr + d->memsz + PGSIZE - 1) & ~(uint64)(PGSIZE - 1);
	int n = rng_below(4), i;

	for (i = 0; i < n; i++) {
		uint64 size = PGSIZE * (1 + rng_below(8)) - rng_below(PGSIZE);

		at += PGSIZE * rng_below(4);
		if (elf_add_load(im, at, size, ELF_PF_R | (rng_below(2) ? ELF_PF_W : 0)) < 0)
			return;
		at = (at + size + PGSIZE - 1) & ~(uint64)(PGSIZE - 1);
	}
}

/* Write a changed copy of /echo to ELF_FILE: more segments now and then,
 * and a random flaw unless valid. Its flaw's name (or "valid") in why.
 * 0, or -1 (nothing to exec) when /echo was not read or no descriptor
 * is free. */
static int
elf_write_changed(int valid, char *why, int max)
{
	struct elf_image im = {(char *)elf_work, 0, sizeof(elf_work)};
	int flaw, fd, ok;

	if (elf_base_len == 0 || elf_copy(&im, (char *)elf_base, elf_base_len) < 0)
		return -1;
	if (rng_below(2))
		elf_more_loads(&im);
	snprintf(why, max, "elf: valid");
	if (!valid) {
		do
			flaw = rng_below(NELF_FLAWS);
		while (elf_flaw(&im, flaw, rng_next()) < 0);
		snprintf(why, max, "elf: %s", elf_flaw_name[flaw]);
	}
	fd = open(ELF_FILE, O_CREATE | O_TRUNC | O_WRONLY);
	if (fd < 0)
		return -1;
	ok = write(fd, im.buf, im.len) == im.len || im.len == 0;
	close(fd);
	return ok ? 0 : -1;
}

/* Step: exec a changed /echo. A flawed one must fail (if the kernel took
 * it, echo runs and the batch ends on a REC_BADEXEC record, which the
 * parent reports); a valid one must run, which ends the batch like any
 * exec of /echo, so it is made only when echo's output cannot block. */
static void
step_exec_changed(void)
{
	static char *argv[] = {"echo", "elf", 0};
	long arg[6] = {(long)ELF_FILE, (long)argv, 0, 0, 0, 0};
	int valid = rng_below(ELF_VALID_ODDS) == 0 && me.fd[1].kind != FK_PIPE_W &&
	            me.fd[2].kind != FK_PIPE_W;
	char why[sizeof(((struct record *)0)->why)];
	long r;

	if (elf_write_changed(valid, why, sizeof(why)) < 0)
		return;
	log_record(valid ? REC_CALL : REC_BADEXEC, me.index, SYS_exec, arg, 0, why);
	r = exec(ELF_FILE, argv);
	if (valid)
		oracle_fail(SYS_exec, arg, r, "a valid changed /echo was refused");
	if (r != -1)
		oracle_fail(SYS_exec, arg, r, "exec of a malformed file returned");
}

/* How a sequence's child ends, and its statuses. */
enum { SEQ_EXIT, SEQ_ECHO, SEQ_BADELF, NSEQ };
#define SEQ_REFUSED 5 /* exec of the malformed file failed, as it must */
#define SEQ_CHECK 10  /* plus the number of the child's check that failed */

/* Wait for child pid, forgetting the other children reaped meanwhile.
 * Its status, or SEQ_LOST when wait fails first. */
#define SEQ_LOST 1000
static int
wait_for(int pid)
{
	int r, status, i;

	while ((r = wait(&status)) != pid) {
		if (r < 0)
			return SEQ_LOST;
		for (i = 0; i < me.nkids; i++)
			if (me.kids[i] == r)
				me.kids[i] = me.kids[--me.nkids];
	}
	return status;
}

/* The forked child of a sequence: its copy of the g bytes at old holds
 * fill; the break comes down to the top of the stack and no lower, and
 * grows again; with descriptors 0-2 on the null device, the guard page
 * is refused as a buffer and the stack's bottom is not; the mirror is
 * consistent. Then it ends as how says. Never returns. */
static void
seq_child(uint64 old, uint64 g, char fill, int how)
{
	static char *argv[] = {"echo", "seq", 0};
	uint64 b = brk(), i;

	for (i = 0; i < g; i += 1 + rng_below(PGSIZE))
		if (((char *)old)[i] != fill)
			exit(SEQ_CHECK + 1);
	if (sbrk(-(int)(b - me.floor) - 1 - (int)rng_below(3 * PGSIZE)) != (char *)-1 || brk() != b)
		exit(SEQ_CHECK + 2);
	if (sbrk(-(int)(b - me.floor)) == (char *)-1 || brk() != me.floor ||
	    sbrk(PGSIZE * (1 + rng_below(4))) == (char *)-1)
		exit(SEQ_CHECK + 3);
	close(0);
	close(1);
	close(2);
	if (open("/null", O_RDWR) != 0 || dup(0) != 1 || dup(0) != 2)
		exit(SEQ_CHECK + 4);
	if (write(1, (char *)me.guard, 1) != -1 || write(1, (char *)me.guard + PGSIZE, 1) != 1)
		exit(SEQ_CHECK + 5);
	if (kptcheck() != 0)
		exit(SEQ_CHECK + 6);
	if (how == SEQ_ECHO)
		exec(echo_path, argv);
	if (how == SEQ_BADELF && exec(ELF_FILE, argv) == -1)
		exit(SEQ_REFUSED);
	exit(how == SEQ_EXIT ? 0 : SEQ_CHECK + 7);
}

/* Step: an sbrk/fork/exec sequence (see the top of the file). */
static void
step_sequence(void)
{
	int how = rng_below(NSEQ), pid, status;
	uint64 old = brk(), g = PGSIZE * rng_below(33) + (rng_below(2) ? rng_below(PGSIZE) : 0), i;
	char fill = 'a' + rng_below(26), why[sizeof(((struct record *)0)->why)];
	long arg[6] = {(long)g, how, 0, 0, 0, 0};

	if (how == SEQ_BADELF && elf_write_changed(0, why, sizeof(why)) < 0)
		how = SEQ_EXIT;
	arg[1] = how;
	log_record(REC_CALL, me.index, SYS_fork, arg, 0, "step: sbrk, fork, exec");
	if (sbrk(g) == (char *)-1)
		return; /* out of memory: nothing to check */
	memset((char *)old, fill, g);
	pid = fork();
	if (pid == 0)
		seq_child(old, g, fill, how);
	status = pid < 0 ? -1 : wait_for(pid);
	if (pid > 0 && status != (how == SEQ_BADELF ? SEQ_REFUSED : 0))
		oracle_fail(SYS_fork, arg, status,
		            how == SEQ_BADELF && status == 0 ? "malformed file ran after fork"
		                                             : "the sequence's child failed");
	for (i = 0; i < g; i += 1 + rng_below(PGSIZE))
		if (((char *)old)[i] != fill)
			oracle_fail(SYS_fork, arg, i, "memory changed under the sequence");
	if (sbrk(-(int)g) != (char *)(old + g) || brk() != old)
		oracle_fail(SYS_sbrk, arg, g, "the sequence could not shrink back");
}

/* One structured step in place of a random call. */
static void
fuzz_step(void)
{
	if (rng_below(2))
		step_exec_changed();
	else
		step_sequence();
}

/* ==== the child ========================================================== */

/* Move descriptor fd to the otherwise free descriptor want. */
static void
move_fd(int fd, int want)
{
	int held[NOFILE], n = 0, d;

	while ((d = dup(fd)) >= 0 && d < want)
		held[n++] = d;
	if (d != want)
		exit(BROKEN_STATUS);
	while (n > 0)
		close(held[--n]);
	close(fd);
}

/* Set the child up: log at LOG_FD, null device at 0-2, nothing else open,
 * the scratch directory as cwd, the region at the break, and a few
 * descriptors to play with. */
static void
child_setup(int logfd, const char *scratch, uint64 stack_top)
{
	static const int start_flags[] = {O_CREATE | O_RDWR, O_RDONLY, O_RDONLY};
	static const char *const start_paths[] = {"f0", "/", "/etc/hello.sh"};
	int fd, fds[2], i;

	move_fd(logfd, LOG_FD);
	for (fd = 0; fd < LOG_FD; fd++)
		close(fd);
	if (open("/null", O_RDWR) != 0 || dup(0) != 1 || dup(0) != 2 || chdir(scratch) < 0)
		exit(BROKEN_STATUS);
	elf_read_base();
	memset(&me, 0, sizeof(me));
	for (fd = 0; fd < 3; fd++)
		me.fd[fd].kind = FK_PLAIN;
	for (i = 0; i < 3; i++) {
		fd = open(start_paths[i], start_flags[i]);
		if (fd >= 0)
			me.fd[fd].kind = FK_PLAIN;
	}
	if (pipe(fds) == 0)
		track_pipe(fds);
	me.floor = stack_top;
	me.region = sbrk(REGION_BYTES);
	if (me.region == (char *)-1)
		exit(BROKEN_STATUS);
	for (i = 0; i < REGION_BYTES; i++)
		me.region[i] = rng_next();
	me.guard = stack_top - (uint64)(USTACK_PAGES + 1) * PGSIZE;
	me.pid = getpid();
}

/* A batch child: ncalls calls, then exit 0. */
static void
child_run(int logfd, const char *scratch, uint64 stack_top, int ncalls)
{
	child_setup(logfd, scratch, stack_top);
	for (me.index = 0; me.index < ncalls; me.index++) {
		if (rng_below(STEP_ODDS) == 0)
			fuzz_step();
		else
			fuzz_call(pick_call());
	}
	log_record(REC_DONE, me.index, 0, (long[6]){0}, 0, 0);
	exit(0);
}

/* ==== the parent ========================================================= */

static const char *const call_names[NSYSCALL] = {
    [SYS_fork] = "fork",         [SYS_exit] = "exit",         [SYS_wait] = "wait",
    [SYS_pipe] = "pipe",         [SYS_read] = "read",         [SYS_kill] = "kill",
    [SYS_exec] = "exec",         [SYS_fstat] = "fstat",       [SYS_chdir] = "chdir",
    [SYS_dup] = "dup",           [SYS_getpid] = "getpid",     [SYS_sbrk] = "sbrk",
    [SYS_sleep] = "sleep",       [SYS_uptime] = "uptime",     [SYS_open] = "open",
    [SYS_write] = "write",       [SYS_mknod] = "mknod",       [SYS_unlink] = "unlink",
    [SYS_link] = "link",         [SYS_mkdir] = "mkdir",       [SYS_close] = "close",
    [SYS_kstats] = "kstats",     [SYS_poweroff] = "poweroff", [SYS_vmprint] = "vmprint",
    [SYS_kptcheck] = "kptcheck", [SYS_design] = "design",
};

static struct {
	uint64 seed;
	int count;      /* calls wanted */
	int only_batch; /* -b, or -1 */
	int verbose;    /* -v */
	int calls;      /* calls made (logged) */
	int children;
	char scratch[32];
} run;

/* Seed the PRNG for batch b: the run's seed and b, mixed. */
static void
batch_seed(int b)
{
	rng_state = run.seed ^ ((uint64)b * 0xd1b54a32d192ed03UL);
	rng_next();
}

/* Print record r of batch b: "call I: name(args)", and why if it failed. */
static void
print_record(int b, const struct record *r)
{
	const char *name = r->num > 0 && r->num < NSYSCALL ? call_names[r->num] : "invalid";

	printf("fuzz: seed %lu batch %d call %d: %s[%ld](0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx)",
	       run.seed, b, r->index, name, r->num, r->arg[0], r->arg[1], r->arg[2], r->arg[3],
	       r->arg[4], r->arg[5]);
	if (r->kind == REC_FAIL)
		printf(" returned %ld: %s", r->ret, r->why);
	else if (r->why[0])
		printf(" (%s)", r->why);
	printf("\n");
}

/* Read the log until every writer is gone: the last call made and the
 * failure record, if any; calls counted in *calls, *done set when the
 * batch made them all. */
static void
read_log(int b, int fd, struct record *last, struct record *failed, int *calls, int *done)
{
	struct record r;
	int got = 0, n;

	while ((n = read(fd, (char *)&r + got, sizeof(r) - got)) > 0) {
		got += n;
		if (got < (int)sizeof(r))
			continue;
		got = 0;
		if (run.verbose)
			print_record(b, &r);
		if (r.kind == REC_CALL || r.kind == REC_BADEXEC) {
			*last = r;
			(*calls)++;
		} else if (r.kind == REC_DONE) {
			*done = 1;
		} else {
			*failed = r;
		}
	}
}

/* Remove the directory tree name (relative to cwd), entering it so that
 * paths stay short however deep it goes. 0, or -1 if anything stayed. */
static int
remove_tree(const char *name)
{
	struct dirent de;
	char entry[DIRSIZ + 1];
	int fd, r = 0;

	/* A file, a device or an empty directory goes at once (a device
	 * without a driver cannot even be opened, so no stat first). */
	if (unlink(name) == 0)
		return 0;
	if (chdir(name) < 0 || (fd = open(".", O_RDONLY)) < 0)
		return -1;
	while (read(fd, &de, sizeof(de)) == sizeof(de)) {
		if (de.inum == 0 || strcmp(de.name, ".") == 0 || strcmp(de.name, "..") == 0)
			continue;
		memmove(entry, de.name, DIRSIZ);
		entry[DIRSIZ] = 0;
		r |= remove_tree(entry);
	}
	close(fd);
	if (chdir("..") < 0)
		return -1;
	return unlink(name) | r;
}

/* Wait (a few ticks at most) for free pages and processes to come back
 * to before; 0 if they did, else -1 with the differences in why. */
static int
settle(const struct kstats *before, char *why, int max)
{
	struct kstats now;
	int i;

	for (i = 0; i <= SETTLE_TICKS; i++) {
		if (kstats(&now) < 0)
			break;
		if (now.free_pages == before->free_pages && now.nproc == before->nproc &&
		    now.ptpages_user == before->ptpages_user &&
		    now.ptpages_kproc == before->ptpages_kproc)
			return 0;
		sleep(1);
	}
	snprintf(why, max,
	         "after the batch: free pages %ld (was %ld), processes %ld (was %ld), "
	         "user table pages %ld (was %ld), kernel table pages %ld (was %ld)",
	         now.free_pages, before->free_pages, now.nproc, before->nproc, now.ptpages_user,
	         before->ptpages_user, now.ptpages_kproc, before->ptpages_kproc);
	return -1;
}

/* Start the watchdog: a child that kills pid after WATCHDOG_TICKS. */
static int
start_watchdog(int pid)
{
	int w = fork();

	if (w == 0) {
		sleep(WATCHDOG_TICKS);
		kill(pid);
		exit(0);
	}
	return w;
}

/* Wait for the batch child and the watchdog; the child's status, and
 * whether the watchdog fired in *hung. */
static int
reap_batch(int pid, int watchdog, int *hung)
{
	int r, status, child_status = 0, left = watchdog > 0 ? 2 : 1;

	*hung = 0;
	while (left > 0 && (r = wait(&status)) > 0) {
		left--;
		if (r == pid) {
			child_status = status;
			if (left > 0)
				kill(watchdog);
		} else if (r == watchdog && status == 0) {
			*hung = 1;
		}
	}
	return child_status;
}

/* One batch, as the parent sees it. */
struct batch {
	int b;
	int pid;              /* the child, or -1 if fork failed */
	int hung;             /* the watchdog killed it */
	int status;           /* its exit status */
	int calls;            /* calls it logged */
	int done;             /* it logged the end of its calls */
	struct record last;   /* the last of them */
	struct record failed; /* kind REC_FAIL if a check failed */
};

/* Why batch t failed, in why (empty if it did not fail): the child's own
 * fate only. */
static void
batch_problem(const struct batch *t, char *why, int max)
{
	why[0] = 0;
	if (t->pid < 0)
		snprintf(why, max, "fork failed");
	else if (t->hung)
		snprintf(why, max, "hung: killed after %d ticks", WATCHDOG_TICKS);
	else if (t->failed.kind == REC_FAIL)
		snprintf(why, max, "a check failed");
	else if (!t->done && t->calls > 0 && t->last.kind == REC_BADEXEC)
		snprintf(why, max, "exec ran a malformed file (status %d)", t->status);
	else if (t->status == -1)
		snprintf(why, max, "the child was killed");
	else if (t->status == BROKEN_STATUS)
		snprintf(why, max, "the child could not set up or write its log");
	else if (t->status != 0 && !(t->calls > 0 && t->last.num == SYS_exec && t->status == 1))
		snprintf(why, max, "the child exited with status %d", t->status);
}

/* Run batch t->b of ncalls calls in a child, under the watchdog, and
 * collect its log and status in t. */
static void
batch_run(struct batch *t, int ncalls, uint64 stack_top, int logp[2])
{
	int watchdog;

	batch_seed(t->b);
	t->pid = fork();
	if (t->pid == 0) {
		close(logp[0]);
		child_run(logp[1], run.scratch, stack_top, ncalls);
	}
	close(logp[1]);
	watchdog = t->pid > 0 ? start_watchdog(t->pid) : -1;
	t->failed.kind = -1;
	read_log(t->b, logp[0], &t->last, &t->failed, &t->calls, &t->done);
	close(logp[0]);
	if (t->pid > 0)
		t->status = reap_batch(t->pid, watchdog, &t->hung);
}

/* Run batch b of ncalls calls, then clean up after it and check that
 * nothing is lost. 0 if it passed, else -1 (reported). */
static int
run_batch(int b, int ncalls, uint64 stack_top)
{
	struct kstats before;
	struct batch t;
	char why[256];
	int logp[2];

	if (kstats(&before) < 0 || mkdir(run.scratch) < 0 || pipe(logp) < 0) {
		printf("fuzz: cannot set up batch %d (scratch %s)\n", b, run.scratch);
		return -1;
	}
	memset(&t, 0, sizeof(t));
	t.b = b;
	batch_run(&t, ncalls, stack_top, logp);
	run.calls += t.calls;
	run.children++;
	batch_problem(&t, why, sizeof(why));
	if (remove_tree(run.scratch) < 0 && !why[0])
		snprintf(why, sizeof(why), "could not remove %s", run.scratch);
	if (!why[0] && settle(&before, why, sizeof(why)) == 0)
		return 0;
	printf("fuzz: batch %d FAILED: %s\n", b, why);
	if (t.failed.kind == REC_FAIL)
		print_record(b, &t.failed);
	else if (t.calls > 0)
		print_record(b, &t.last);
	printf("fuzz: replay with: fuzz -s %lu -n %d -b %d\n", run.seed, BATCH_CALLS, b);
	return -1;
}

static int
usage(void)
{
	fprintf(2, "usage: fuzz [-s SEED] [-n COUNT] [-b BATCH] [-v]\n");
	return 2;
}

/* Parse argv into run; 0, or -1 on bad usage. */
static int
parse_args(int argc, char *argv[])
{
	int i;

	run.seed = 1;
	run.count = 3000;
	run.only_batch = -1;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0) {
			run.verbose = 1;
			continue;
		}
		if (i + 1 >= argc || argv[i + 1][0] < '0' || argv[i + 1][0] > '9')
			return -1;
		if (strcmp(argv[i], "-s") == 0)
			run.seed = atoi(argv[++i]);
		else if (strcmp(argv[i], "-n") == 0)
			run.count = atoi(argv[++i]);
		else if (strcmp(argv[i], "-b") == 0)
			run.only_batch = atoi(argv[++i]);
		else
			return -1;
	}
	return run.count > 0 ? 0 : -1;
}

int
main(int argc, char *argv[])
{
	uint64 stack_top = (uint64)sbrk(0); /* exec leaves the break at the stack's top */
	int b, failed = 0;

	if (parse_args(argc, argv) < 0)
		return usage();
	snprintf(run.scratch, sizeof(run.scratch), "/fuzz.%d", getpid());
	if (run.only_batch >= 0) {
		failed =
		    run_batch(run.only_batch, run.count < BATCH_CALLS ? run.count : BATCH_CALLS,
		              stack_top) < 0;
	} else {
		for (b = 0; run.calls < run.count && !failed; b++) {
			int left = run.count - run.calls;

			failed =
			    run_batch(b, left < BATCH_CALLS ? left : BATCH_CALLS, stack_top) < 0;
		}
	}
	if (failed) {
		printf("fuzz: FAILED: seed %lu, %d calls, %d children\n", run.seed, run.calls,
		       run.children);
		return 1;
	}
	printf("fuzz: seed %lu, %d calls, %d children, OK\n", run.seed, run.calls, run.children);
	return 0;
}
