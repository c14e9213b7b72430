/*
 * argecho [ARG...]: usertests' helper for exec. Prints argc on the first
 * line, then every argv[i], argv[0] included, each on a line of its own,
 * so that the caller can check what exec passed.
 */
#include "kernel/types.h"
#include "user/user.h"

int
main(int argc, char *argv[])
{
	int i;

	printf("%d\n", argc);
	for (i = 0; i < argc; i++) {
		write(1, argv[i], strlen(argv[i]));
		write(1, "\n", 1);
	}
	return 0;
}
