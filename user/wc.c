/*
 * wc [-l] [-w] [-c] [FILE...]: count lines, words and bytes of each file
 * (or standard input), with a total when given several files; the flags
 * choose which counts are printed (all three without any).
 */
#include "kernel/fcntl.h"
#include "kernel/types.h"
#include "user/user.h"

struct counts {
	uint64 lines, words, bytes;
};

static char buf[4096];

/* Does c separate words? */
static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Add fd's counts to *k. 0, or -1 on a read error. */
static int
count(int fd, struct counts *k)
{
	int n, i, in_word = 0;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		k->bytes += n;
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n')
				k->lines++;
			if (is_space(buf[i])) {
				in_word = 0;
			} else if (!in_word) {
				in_word = 1;
				k->words++;
			}
		}
	}
	return n < 0 ? -1 : 0;
}

/* Which counts to print (-l, -w, -c); all of them when none is given. */
static int want_lines, want_words, want_bytes;

/* Print one line of the wanted counts, followed by name unless empty. */
static void
show(struct counts *k, const char *name)
{
	const char *sep = "";
	if (want_lines) {
		printf("%ld", k->lines);
		sep = " ";
	}
	if (want_words) {
		printf("%s%ld", sep, k->words);
		sep = " ";
	}
	if (want_bytes)
		printf("%s%ld", sep, k->bytes);
	printf("%s%s\n", name[0] ? " " : "", name);
}

/* Take the leading flags; the index of the first file argument, or -1
 * (with a message) for an unknown flag. */
static int
flags(int argc, char *argv[])
{
	int i;
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		for (char *f = argv[i] + 1; *f; f++) {
			if (*f == 'l')
				want_lines = 1;
			else if (*f == 'w')
				want_words = 1;
			else if (*f == 'c')
				want_bytes = 1;
			else {
				fprintf(2, "usage: wc [-l] [-w] [-c] [FILE...]\n");
				return -1;
			}
		}
	}
	if (!want_lines && !want_words && !want_bytes)
		want_lines = want_words = want_bytes = 1;
	return i;
}

int
main(int argc, char *argv[])
{
	struct counts total = {0, 0, 0}, k;
	int i, fd, status = 0, first = flags(argc, argv);

	if (first < 0)
		return 2;
	if (first == argc) {
		if (count(0, &total) < 0) {
			fprintf(2, "wc: read error\n");
			return 1;
		}
		show(&total, "");
		return 0;
	}
	for (i = first; i < argc; i++) {
		memset(&k, 0, sizeof(k));
		fd = open(argv[i], O_RDONLY);
		if (fd < 0 || count(fd, &k) < 0) {
			fprintf(2, "wc: %s: cannot read\n", argv[i]);
			status = 1;
		} else {
			show(&k, argv[i]);
		}
		if (fd >= 0)
			close(fd);
		total.lines += k.lines;
		total.words += k.words;
		total.bytes += k.bytes;
	}
	if (argc - first > 1)
		show(&total, "total");
	return status;
}
