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
 *
 * Failures are reported on fd 2 with a non-zero exit status.
 */
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
	fprintf(2, "usage: uthelper ret N | kptcheck | floor | pieces F P C\n");
	return 254;
}
