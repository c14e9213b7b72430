/*
 * rm FILE...: remove directory entries (an empty directory included).
 */
#include "kernel/types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
	int i, status = 0;

	if (argc < 2) {
		fprintf(2, "usage: rm FILE...\n");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		if (unlink(argv[i]) < 0) {
			fprintf(2, "rm: %s: cannot remove\n", argv[i]);
			status = 1;
		}
	}
	return status;
}
