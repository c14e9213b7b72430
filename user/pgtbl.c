/*
 * pgtbl: print this process's page tables on standard output, for reports
 * on the designs (so `pgtbl -k | wc -l` and `pgtbl > file` work).
 *
 *   pgtbl [-u | -k] [-t | -l | -s]
 *
 *   -u    the user table only     -k    the kernel table only (the one the
 *                                       kernel runs on for this process)
 *   -t    tree: every valid entry in the MIT 6.S081 (2020) lab's format
 *         (default for the user table)
 *   -l    one line per leaf: virtual range, physical address, permissions
 *   -s    summary: one line per run of leaves contiguous in virtual memory
 *         with the same permissions, its first physical address and
 *         whether the run is contiguous in physical memory too (default
 *         for the kernel table)
 *
 * Leaves may sit at any level: a level-1 leaf maps 2 MiB (a megapage), a
 * root-level one 1 GiB. The entries come from the ptdump system call.
 */
#include "kernel/ptdump.h"
#include "user/user.h"

/* Sv39 PTE bits, as the privileged spec numbers them. */
#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_PERMS (PTE_R | PTE_W | PTE_X | PTE_U | PTE_G)
#define PTE_PA(pte) (((pte) >> 10) << 12)
#define IS_LEAF(pte) (((pte) & (PTE_R | PTE_W | PTE_X)) != 0)
#define LEVELS 3
#define CHUNK 64

enum mode { TREE, LEAVES, SUMMARY, DEFAULT };

static struct ptdump_entry ents[CHUNK];

/* A run of contiguous leaves being gathered (summary mode). */
static struct {
	int open;
	int scattered; /* physical pages not contiguous */
	uint64 va, end, pa, perms;
	long count[LEVELS]; /* leaves of each depth in the run */
} run;

static long nlines;

static uint64
leaf_bytes(int depth)
{
	return 1UL << (12 + 9 * (LEVELS - 1 - depth));
}

/* "rwxug" with '-' for a missing permission. */
static const char *
perm_string(uint64 pte)
{
	static char s[6];
	const char *letters = "rwxug";
	const uint64 bits[] = {PTE_R, PTE_W, PTE_X, PTE_U, PTE_G};
	for (int i = 0; i < 5; i++)
		s[i] = (pte & bits[i]) ? letters[i] : '-';
	s[5] = 0;
	return s;
}

static const char *
size_name(int depth)
{
	static const char *names[LEVELS] = {"1G", "2M", "4K"};
	return names[depth];
}

static void
print_tree(const struct ptdump_entry *e)
{
	static const char *prefix[LEVELS] = {"..", ".. ..", ".. .. .."};
	printf("%s%d: pte %p pa %p\n", prefix[e->depth], e->index, e->pte, PTE_PA(e->pte));
	nlines++;
}

static void
print_leaf(const struct ptdump_entry *e)
{
	printf("%p-%p pa %p %s %s\n", e->va, e->va + leaf_bytes(e->depth), PTE_PA(e->pte),
	       perm_string(e->pte), size_name(e->depth));
	nlines++;
}

/* Print the open run, if any, as one line. */
static void
run_end(void)
{
	if (!run.open)
		return;
	uint64 kib = (run.end - run.va) / 1024;
	printf("%p-%p pa %p%s %s %ld KiB:", run.va, run.end, run.pa,
	       run.scattered ? " (scattered)" : "", perm_string(run.perms), kib);
	const char *sep = " ";
	for (int d = 0; d < LEVELS; d++) {
		if (run.count[d]) {
			printf("%s%ld x %s", sep, run.count[d], size_name(d));
			sep = " + ";
		}
	}
	printf("\n");
	nlines++;
	run.open = 0;
}

/* Add a leaf to the open run, or end that run and start another. */
static void
run_add(const struct ptdump_entry *e)
{
	uint64 perms = e->pte & PTE_PERMS, pa = PTE_PA(e->pte);
	if (!run.open || e->va != run.end || perms != run.perms) {
		run_end();
		run.open = 1;
		run.scattered = 0;
		run.va = run.end = e->va;
		run.pa = pa;
		run.perms = perms;
		for (int d = 0; d < LEVELS; d++)
			run.count[d] = 0;
	}
	if (pa != run.pa + (run.end - run.va))
		run.scattered = 1;
	run.end += leaf_bytes(e->depth);
	run.count[e->depth]++;
}

/* Print table which in mode m. 0, or -1 when the kernel refused. */
static int
show(int which, enum mode m)
{
	uint64 key = 0;
	int n, first = 1;
	while ((n = ptdump(which, key, ents, CHUNK)) > 0) {
		for (int i = 0; i < n; i++) {
			const struct ptdump_entry *e = &ents[i];
			if (first && m == TREE) {
				printf("page table %p\n", e->table);
				nlines++;
			}
			first = 0;
			if (m == TREE)
				print_tree(e);
			else if (IS_LEAF(e->pte) && m == LEAVES)
				print_leaf(e);
			else if (IS_LEAF(e->pte))
				run_add(e);
		}
		key = (ents[n - 1].va | ents[n - 1].depth) + 1;
	}
	run_end();
	return n < 0 ? -1 : 0;
}

static void
usage(void)
{
	fprintf(2, "usage: pgtbl [-u | -k] [-t | -l | -s]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	char name[32];
	int user = 1, kernel = 1;
	enum mode m = DEFAULT;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-u") == 0 && kernel && user)
			kernel = 0;
		else if (strcmp(argv[i], "-k") == 0 && kernel && user)
			user = 0;
		else if (strcmp(argv[i], "-t") == 0 && m == DEFAULT)
			m = TREE;
		else if (strcmp(argv[i], "-l") == 0 && m == DEFAULT)
			m = LEAVES;
		else if (strcmp(argv[i], "-s") == 0 && m == DEFAULT)
			m = SUMMARY;
		else
			usage();
	}
	if (design_trait("config", name, sizeof(name)) < 0)
		return 1;
	if (user) {
		printf("pid %d user table (config %s):\n", getpid(), name);
		if (show(PTDUMP_USER, m == DEFAULT ? TREE : m) < 0)
			return 1;
	}
	if (kernel) {
		printf("pid %d kernel table (config %s):\n", getpid(), name);
		if (show(PTDUMP_KERNEL, m == DEFAULT ? SUMMARY : m) < 0)
			return 1;
	}
	return 0;
}
