/*
 * echo [ARG...]: print the arguments separated by spaces, then a newline.
 */
#include "kernel/types.h"
#include "user/user.h"

/* Write all n bytes of s to fd 1. 0, or -1 on a write error. */
static int
put(const char *s, int n)
{
	return write(1, s, n) == n ? 0 : -1;
}

int
main(int argc, char *argv[])
{
	int i;

	for (i = 1; i < argc; i++) {
		if (put(argv[i], strlen(argv[i])) < 0 || put(i + 1 < argc ? " " : "\n", 1) < 0) {
			fprintf(2, "echo: write error\n");
			return 1;
		}
	}
	if (argc < 2 && put("\n", 1) < 0) {
		fprintf(2, "echo: write error\n");
		return 1;
	}
	return 0;
}
