/*
 * pgtbl: print this process's page tables in the MIT 6.S081 (2020) lab
 * format, for reports on the designs.
 *
 *   pgtbl        user table, then kernel table
 *   pgtbl -u     user table only
 *   pgtbl -k     kernel table only (the global table in design global)
 */
#include "user/user.h"

int
main(int argc, char *argv[])
{
	char name[32];
	int user = 1, kernel = 1;
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "-u") != 0 && strcmp(argv[1], "-k") != 0)) {
		fprintf(2, "usage: pgtbl [-u | -k]\n");
		return 2;
	}
	if (argc == 2) {
		user = argv[1][1] == 'u';
		kernel = !user;
	}
	if (design_trait("config", name, sizeof(name)) < 0)
		return 1;
	if (user) {
		printf("pid %d user table (design %s):\n", getpid(), name);
		if (vmprint(0) < 0)
			return 1;
	}
	if (kernel) {
		printf("pid %d kernel table (design %s):\n", getpid(), name);
		if (vmprint(1) < 0)
			return 1;
	}
	return 0;
}
