/*
 * grep PATTERN [FILE...]: print the lines that match PATTERN.
 *
 * Patterns: c (a literal), . (any character), x* (zero or more of the
 * previous item), ^ at the start and $ at the end (anchors), \c (c taken
 * literally). Exit status 0 when a line matched, 1 when none did, 2 on
 * an error.
 */
#include "kernel/fcntl.h"
#include "kernel/types.h"
#include "user/user.h"

#define MAXATOMS 128
#define BUFSZ 4096

/* One pattern item: a character (or any, for '.'), maybe repeated. */
struct atom {
	char c;
	char any;
	char star;
};

static struct atom atoms[MAXATOMS];
static int natoms, anchor_start, anchor_end;
static char buf[BUFSZ + 1];
static const char *prefix; /* file name shown before matches, or 0 */

/* Turn pat into atoms[]. 0, or -1 (reported) when too long. */
static int
compile(const char *pat)
{
	natoms = 0;
	anchor_start = *pat == '^';
	if (anchor_start)
		pat++;
	for (; *pat; pat++) {
		if (*pat == '$' && pat[1] == 0) {
			anchor_end = 1;
			break;
		}
		if (*pat == '*' && natoms > 0 && !atoms[natoms - 1].star) {
			atoms[natoms - 1].star = 1;
			continue;
		}
		if (natoms >= MAXATOMS) {
			fprintf(2, "grep: pattern too long\n");
			return -1;
		}
		if (*pat == '\\' && pat[1] != 0)
			pat++;
		else
			atoms[natoms].any = *pat == '.';
		atoms[natoms].c = *pat;
		atoms[natoms].star = 0;
		natoms++;
	}
	return 0;
}

/* Does atom a accept character c (never the end of the text)? */
static int
accepts(const struct atom *a, char c)
{
	return c != 0 && (a->any || a->c == c);
}

/* Do atoms[i..] match text at its start (and reach its end if $)? */
static int
match_at(int i, const char *text)
{
	int run;

	for (; i < natoms; i++) {
		if (atoms[i].star) {
			/* Longest run first, then back off one at a time. */
			for (run = 0; accepts(&atoms[i], text[run]); run++)
				;
			for (; run >= 0; run--) {
				if (match_at(i + 1, text + run))
					return 1;
			}
			return 0;
		}
		if (!accepts(&atoms[i], *text))
			return 0;
		text++;
	}
	return !anchor_end || *text == 0;
}

/* Does the pattern match anywhere in line? */
static int
match_line(const char *line)
{
	if (anchor_start)
		return match_at(0, line);
	do {
		if (match_at(0, line))
			return 1;
	} while (*line++);
	return 0;
}

/* Print line (len bytes, no newline) if it matches. 1 if it did. */
static int
emit_if_match(char *line, int len)
{
	char saved = line[len];
	int m;

	line[len] = 0;
	m = match_line(line);
	line[len] = saved;
	if (m) {
		if (prefix != 0)
			printf("%s:", prefix);
		write(1, line, len);
		write(1, "\n", 1);
	}
	return m;
}

/* Print the matching lines of fd. 1 if any matched, 0 if none, -1 on a
 * read error. A line longer than the buffer is taken in pieces. */
static int
grep_fd(int fd)
{
	int have = 0, n, start, i, found = 0;

	while ((n = read(fd, buf + have, BUFSZ - have)) > 0) {
		have += n;
		start = 0;
		for (i = 0; i < have; i++) {
			if (buf[i] == '\n') {
				found |= emit_if_match(buf + start, i - start);
				start = i + 1;
			}
		}
		if (start == 0 && have == BUFSZ) {
			found |= emit_if_match(buf, have);
			start = have;
		}
		have -= start;
		memmove(buf, buf + start, have);
	}
	if (have > 0)
		found |= emit_if_match(buf, have);
	return n < 0 ? -1 : found;
}

int
main(int argc, char *argv[])
{
	int i, fd, r, found = 0, error = 0;

	if (argc < 2) {
		fprintf(2, "usage: grep PATTERN [FILE...]\n");
		return 2;
	}
	if (compile(argv[1]) < 0)
		return 2;
	if (argc == 2) {
		r = grep_fd(0);
		return r < 0 ? 2 : !r;
	}
	for (i = 2; i < argc; i++) {
		fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(2, "grep: %s: cannot open\n", argv[i]);
			error = 1;
			continue;
		}
		prefix = argc > 3 ? argv[i] : 0;
		r = grep_fd(fd);
		close(fd);
		if (r < 0) {
			fprintf(2, "grep: %s: read error\n", argv[i]);
			error = 1;
		}
		if (r > 0)
			found = 1;
	}
	return error ? 2 : !found;
}
