/*
 * kill PID...: ask processes to exit (their status becomes -1). The
 * kernel refuses pids that name no process, and init's (INIT_PID).
 */
#include "kernel/types.h"
#include "user/user.h"

#define INIT_PID 1 /* the first process, which the kernel never kills */

/* Is s a non-empty string of decimal digits? */
static int
is_pid(const char *s)
{
	if (*s == 0)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
	}
	return 1;
}

int
main(int argc, char *argv[])
{
	int i, status = 0;

	if (argc < 2) {
		fprintf(2, "usage: kill PID...\n");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		if (!is_pid(argv[i])) {
			fprintf(2, "kill: %s: not a process id\n", argv[i]);
			status = 1;
		} else if (kill(atoi(argv[i])) < 0) {
			fprintf(2, "kill: %s: %s\n", argv[i],
			        atoi(argv[i]) == INIT_PID ? "init cannot be killed"
			                                  : "no such process");
			status = 1;
		}
	}
	return status;
}
