/*
 * uthelper: usertests' helper for checks that need a freshly exec'd
 * program.
 *
 *   uthelper ret N     return N from main (exit status of a plain return)
 *   uthelper kptcheck  exit with kptcheck()'s count (0 when consistent),
 *                      checking again after growing and shrinking memory
 *   uthelper floor     check that sbrk cannot shrink the fresh image below
 *                      the top of its stack (proc.h: proc_brk_floor)
 *   uthelper pieces F P C
 *                      run in an image usertests made with two more
 *                      segments after .bss: a writable page W, then a
 *                      read-only page R. Reads from descriptors F (a file
 *                      16 bytes short of a file page), P (a pipe whose
 *                      ring wraps 16 bytes on) and C (the console) into
 *                      the last 16 bytes of W and on into R must fail and
 *                      write nothing; then 32 bytes from F and from P are
 *                      copied to fd 1, to show that nothing was consumed.
 *   uthelper split     in the same image: every call that copies out to a
 *                      user buffer, given one that starts in W and runs
 *                      into R (the split buffer), must return -1 and write
 *                      no byte of W, and consume or create nothing (the
 *                      pipe keeps its bytes, the file its offset, the
 *                      zombie child its status; no descriptor is left).
 *                      One line per case, "split CALL LEAD N R": the
 *                      bytes of the buffer in W, the count asked, the
 *                      result. usertests' hostile matrix folds the lines
 *                      into its signature.
 *
 * Failures are reported on fd 2 with a non-zero exit status.
 */
#include "kernel/kstats.h"
#include "kernel/ptdump.h"
#include "kernel/stat.h"
#include "kernel/types.h"
#include "user/user.h"

#define PGSIZE 4096
#define PIECE 32 /* bytes read across each edge: 16 before, 16 after */

extern char end[]; /* user/user.ld: end of .bss */

/* kptcheck() now, after sbrk up and after sbrk down: the first non-zero
 * count, capped at 255, or 0. */
static int
check_mirror(void)
{
	int r;

	r = kptcheck();
	if (r == 0 && sbrk(5 * 4096) != (char *)-1) {
		r = kptcheck();
		if (r == 0 && sbrk(-3 * 4096) != (char *)-1)
			r = kptcheck();
	}
	return r < 0 || r > 255 ? 255 : r;
}

/* Report a failed check of mode on fd 2; the exit status. */
static int
bad(const char *mode, const char *what)
{
	fprintf(2, "uthelper %s: %s\n", mode, what);
	return 1;
}

/* The break exec left is the top of the stack: sbrk may not go below it
 * by a byte, a page, the stack or everything, and may come back to it. */
static int
check_floor(void)
{
	char *top = sbrk(0);
	static const int down[] = {-1, -PGSIZE, -5 * PGSIZE, -0x7fffffff};
	int i;

	for (i = 0; i < (int)(sizeof(down) / sizeof(down[0])); i++)
		if (sbrk(down[i]) != (char *)-1 || sbrk(0) != top)
			return bad("floor", "sbrk shrank a fresh image below its stack");
	if (sbrk(PGSIZE + 1) != top || sbrk(-(PGSIZE + 1)) != top + PGSIZE + 1 || sbrk(0) != top)
		return bad("floor", "sbrk could not grow and shrink back to the stack top");
	return 0;
}

/* Reads across the W/R edge into buf (the last 16 bytes of W) from each
 * of fds[0..n) fail and leave W as filled. */
static int
check_refused(const int *fds, int n, char *w)
{
	char *buf = w + PGSIZE - PIECE / 2;
	int i, k;

	memset(w, 'W', PGSIZE);
	for (i = 0; i < n; i++) {
		if (read(fds[i], w + PGSIZE, PIECE / 2) != -1)
			return bad("pieces", "a read into the read-only page worked");
		if (read(fds[i], buf, PIECE) != -1)
			return bad("pieces", "a read across into the read-only page worked");
		for (k = 0; k < PGSIZE; k++)
			if (w[k] != 'W')
				return bad("pieces", "a refused read wrote into the writable page");
	}
	return 0;
}

/* uthelper pieces F P C (see above). */
static int
check_pieces(char **argv)
{
	char *w = (char *)(((uint64)end + PGSIZE - 1) & ~(uint64)(PGSIZE - 1));
	int fds[3], i, r;

	for (i = 0; i < 3; i++)
		fds[i] = atoi(argv[2 + i]);
	if ((uint64)sbrk(0) < (uint64)w + 2 * PGSIZE)
		return bad("pieces", "the image lacks the W and R pages");
	if (w[PGSIZE] != 0 || w[2 * PGSIZE - 1] != 0)
		return bad("pieces", "the R page is not zeroed");
	if ((r = check_refused(fds, 3, w)) != 0)
		return r;
	for (i = 0; i < 2; i++) {
		if (read(fds[i], w, PIECE) != PIECE)
			return bad("pieces", "the bytes were gone after the refused reads");
		if (write(1, w, PIECE) != PIECE)
			return bad("pieces", "cannot write the bytes out");
	}
	return 0;
}

/* The calls of uthelper split, each given a buffer that starts lead
 * bytes below R (n is the count asked, where the call takes one). */
enum split_call {
	SC_READ_PIPE,
	SC_READ_FILE,
	SC_FSTAT,
	SC_PIPE,
	SC_WAIT,
	SC_KSTATS,
	SC_DESIGN,
	SC_PTDUMP_USER,
	SC_PTDUMP_KERNEL
};

static const struct split_case {
	enum split_call call;
	const char *name;
	int lead, n;
} split_cases[] = {
    {SC_READ_PIPE, "read(pipe)", PIECE / 2, PIECE},
    {SC_READ_FILE, "read(file)", PIECE / 2, PIECE},
    {SC_FSTAT, "fstat", 8, 0},
    {SC_PIPE, "pipe", 4, 0},
    {SC_WAIT, "wait", 2, 0},
    {SC_KSTATS, "kstats", 16, 0},
    {SC_DESIGN, "design", 16, PIECE},
    {SC_PTDUMP_USER, "ptdump(user)", 16, 1},
    /* The kernel dumped its entries 16 at a time: 17 entries whose last
     * one crosses into R, then 48 whose 33rd does (two whole chunks
     * before it). */
    {SC_PTDUMP_KERNEL, "ptdump(kernel)", 16 * sizeof(struct ptdump_entry) + 16, 17},
    {SC_PTDUMP_KERNEL, "ptdump(kernel)", 32 * sizeof(struct ptdump_entry) + 16, 48},
};

/* What the split cases use: a pipe holding PIECE bytes, a file at
 * offset 0, a zombie child that exited with status 7. */
static struct {
	int pfds[2], file, zombie;
} split;

/* Make call c with buffer buf; its result. */
static long
split_do(const struct split_case *c, char *buf)
{
	switch (c->call) {
	case SC_READ_PIPE:
		return read(split.pfds[0], buf, c->n);
	case SC_READ_FILE:
		return read(split.file, buf, c->n);
	case SC_FSTAT:
		return fstat(split.file, (struct stat *)buf);
	case SC_PIPE:
		return pipe((int *)buf);
	case SC_WAIT:
		return wait((int *)buf);
	case SC_KSTATS:
		return kstats((struct kstats *)buf);
	case SC_DESIGN:
		return design(buf, c->n);
	case SC_PTDUMP_USER:
		return ptdump(PTDUMP_USER, 0, (struct ptdump_entry *)buf, c->n);
	case SC_PTDUMP_KERNEL:
		return ptdump(PTDUMP_KERNEL, 0, (struct ptdump_entry *)buf, c->n);
	}
	return -2;
}

/* After the cases: nothing was consumed or created (see split_cases). */
static int
split_unchanged(char *w)
{
	int status, fd;

	if (read(split.pfds[0], w, PIECE) != PIECE)
		return bad("split", "the pipe lost its bytes");
	for (int k = 0; k < PIECE; k++)
		if (w[k] != (char)('a' + k))
			return bad("split", "the pipe's bytes changed");
	if (read(split.file, w, 4) != 4 || memcmp(w,
	                                          "\x7f"
	                                          "ELF",
	                                          4) != 0)
		return bad("split", "the file's offset moved");
	if (wait(&status) != split.zombie || status != 7)
		return bad("split", "the zombie child was reaped");
	fd = open("/", 0);
	if (fd != split.file + 1)
		return bad("split", "a descriptor was left open");
	close(fd);
	return 0;
}

/* uthelper split (see above). */
static int
check_split(void)
{
	char *w = (char *)(((uint64)end + PGSIZE - 1) & ~(uint64)(PGSIZE - 1));
	char line[PIECE];
	int i, k;

	if ((uint64)sbrk(0) < (uint64)w + 2 * PGSIZE)
		return bad("split", "the image lacks the W and R pages");
	for (k = 0; k < PIECE; k++)
		line[k] = 'a' + k;
	if (pipe(split.pfds) != 0 || write(split.pfds[1], line, PIECE) != PIECE)
		return bad("split", "cannot make the pipe");
	if ((split.file = open("/uthelper", 0)) < 0)
		return bad("split", "cannot open /uthelper");
	if ((split.zombie = fork()) == 0)
		exit(7);
	sleep(1); /* let it become a zombie: wait must not sleep on it */
	for (i = 0; i < (int)(sizeof(split_cases) / sizeof(split_cases[0])); i++) {
		const struct split_case *c = &split_cases[i];
		long r;

		memset(w, 'W', PGSIZE);
		r = split_do(c, w + PGSIZE - c->lead);
		printf("split %s %d %d %ld\n", c->name, c->lead, c->n, r);
		if (r != -1)
			return bad("split", "a call took a buffer running into a read-only page");
		for (k = 0; k < PGSIZE; k++)
			if (w[k] != 'W')
				return bad("split", "a refused call wrote into the writable page");
	}
	return split_unchanged(w);
}

int
main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "ret") == 0)
		return atoi(argv[2]);
	if (argc == 2 && strcmp(argv[1], "kptcheck") == 0)
		return check_mirror();
	if (argc == 2 && strcmp(argv[1], "floor") == 0)
		return check_floor();
	if (argc == 5 && strcmp(argv[1], "pieces") == 0)
		return check_pieces(argv);
	if (argc == 2 && strcmp(argv[1], "split") == 0)
		return check_split();
	fprintf(2, "usage: uthelper ret N | kptcheck | floor | pieces F P C | split\n");
	return 254;
}
