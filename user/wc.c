/*
 * wc [FILE...]: count lines, words and bytes of each file (or standard
 * input), with a total when given several files.
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

/* Print one line of counts, followed by name unless it is empty. */
static void
show(struct counts *k, const char *name)
{
	printf("%ld %ld %ld%s%s\n", k->lines, k->words, k->bytes, name[0] ? " " : "", name);
}

int
main(int argc, char *argv[])
{
	struct counts total = {0, 0, 0}, k;
	int i, fd, status = 0;

	if (argc < 2) {
		if (count(0, &total) < 0) {
			fprintf(2, "wc: read error\n");
			return 1;
		}
		show(&total, "");
		return 0;
	}
	for (i = 1; i < argc; i++) {
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
	if (argc > 2)
		show(&total, "total");
	return status;
}
