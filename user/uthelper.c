/*
 * uthelper: usertests' helper for checks that need a freshly exec'd
 * program.
 *
 *   uthelper ret N     return N from main (exit status of a plain return)
 *   uthelper kptcheck  exit with kptcheck()'s count (0 when consistent),
 *                      checking again after growing and shrinking memory
 */
#include "kernel/types.h"
#include "user/user.h"

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

int
main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "ret") == 0)
		return atoi(argv[2]);
	if (argc == 2 && strcmp(argv[1], "kptcheck") == 0)
		return check_mirror();
	fprintf(2, "usage: uthelper ret N | uthelper kptcheck\n");
	return 254;
}
