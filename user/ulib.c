/*
 * The small C library every user program links: strings, memory and a
 * few conveniences over system calls. memset/memmove/memcpy move whole
 * 8-byte words when the alignment allows, since benchmarks copy large
 * buffers with them.
 */
#include "kernel/fcntl.h"
#include "kernel/stat.h"
#include "kernel/types.h"
#include "user/user.h"

#define WORD sizeof(uint64)
#define WORD_MASK (WORD - 1)

/* Fill *st with the status of the file at path. 0, or -1 if it cannot be
 * opened. */
int
stat(const char *path, struct stat *st)
{
	int fd, r;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	r = fstat(fd, st);
	close(fd);
	return r;
}

/* Copy the string src, NUL included, to dst. Returns dst. */
char *
strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++) != 0)
		;
	return dst;
}

/* <0, 0 or >0 as a sorts before, equal to or after b (unsigned bytes). */
int
strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (uchar)*a - (uchar)*b;
}

/* strcmp limited to the first n bytes. */
int
strncmp(const char *a, const char *b, uint n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b || *a == 0)
			return (uchar)*a - (uchar)*b;
	}
	return 0;
}

/* Number of bytes before the NUL. */
uint
strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

/* First occurrence of c in s, or 0. */
char *
strchr(const char *s, char c)
{
	for (; *s; s++) {
		if (*s == c)
			return (char *)s;
	}
	return 0;
}

/* Set n bytes at dst to c: bytes up to a word boundary, then words.
 * Returns dst. */
void *
memset(void *dst, int c, uint n)
{
	uchar *d = dst;
	uint64 w;

	while (n > 0 && ((uint64)d & WORD_MASK) != 0) {
		*d++ = c;
		n--;
	}
	w = (uchar)c * 0x0101010101010101UL;
	for (; n >= WORD; n -= WORD, d += WORD)
		*(uint64 *)d = w;
	while (n-- > 0)
		*d++ = c;
	return dst;
}

/* Copy n bytes upward (dst below src, or apart). Word copies when both
 * pointers share their alignment. */
static void
copy_up(uchar *d, const uchar *s, uint64 n)
{
	if ((((uint64)d ^ (uint64)s) & WORD_MASK) == 0) {
		while (n > 0 && ((uint64)d & WORD_MASK) != 0) {
			*d++ = *s++;
			n--;
		}
		for (; n >= 4 * WORD; n -= 4 * WORD, d += 4 * WORD, s += 4 * WORD) {
			uint64 a = ((const uint64 *)s)[0], b = ((const uint64 *)s)[1];
			uint64 c = ((const uint64 *)s)[2], e = ((const uint64 *)s)[3];
			((uint64 *)d)[0] = a;
			((uint64 *)d)[1] = b;
			((uint64 *)d)[2] = c;
			((uint64 *)d)[3] = e;
		}
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(uint64 *)d = *(const uint64 *)s;
	}
	while (n-- > 0)
		*d++ = *s++;
}

/* Copy n bytes downward, from the end (dst above an overlapping src). */
static void
copy_down(uchar *d, const uchar *s, uint64 n)
{
	d += n;
	s += n;
	if ((((uint64)d ^ (uint64)s) & WORD_MASK) == 0) {
		while (n > 0 && ((uint64)d & WORD_MASK) != 0) {
			*--d = *--s;
			n--;
		}
		for (; n >= WORD; n -= WORD) {
			d -= WORD;
			s -= WORD;
			*(uint64 *)d = *(const uint64 *)s;
		}
	}
	while (n-- > 0)
		*--d = *--s;
}

/* Copy n bytes from src to dst; the regions may overlap. Returns dst. */
void *
memmove(void *dst, const void *src, int n)
{
	if (n <= 0 || dst == src)
		return dst;
	if ((uchar *)dst < (const uchar *)src || (uchar *)dst >= (const uchar *)src + n)
		copy_up(dst, src, n);
	else
		copy_down(dst, src, n);
	return dst;
}

/* Copy n bytes from src to dst, which must not overlap. Returns dst. */
void *
memcpy(void *dst, const void *src, uint n)
{
	copy_up(dst, src, n);
	return dst;
}

/* Compare n bytes: <0, 0 or >0 like strcmp. */
int
memcmp(const void *a, const void *b, uint n)
{
	const uchar *p = a, *q = b;

	for (; n > 0; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
	}
	return 0;
}

/* Read one line from fd 0 into buf (at most max-1 bytes, newline kept,
 * NUL added). An empty string means end of input. Returns buf. */
char *
gets(char *buf, int max)
{
	int i = 0;
	char c;

	while (i + 1 < max) {
		if (read(0, &c, 1) != 1)
			break;
		buf[i++] = c;
		if (c == '\n' || c == '\r')
			break;
	}
	buf[i] = 0;
	return buf;
}

/* Decimal value of the leading digits of s, after an optional '-'. */
int
atoi(const char *s)
{
	int neg = 0, v = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return neg ? -v : v;
}

/* Wait until child pid exits, reaping any other child met meanwhile. Its
 * exit status, or -1 when pid is not (or no longer) a child. */
int
wait_pid(int pid)
{
	int r, status;

	for (;;) {
		r = wait(&status);
		if (r == pid)
			return status;
		if (r < 0)
			return -1;
	}
}

int
design_trait(const char *key, char *out, int n)
{
	char line[256];
	int klen = strlen(key);

	if (design(line, sizeof(line)) < 0)
		return -1;
	for (char *w = line; *w;) {
		char *end = strchr(w, ' ');
		int wlen = end ? end - w : (int)strlen(w);
		if (wlen > klen && strncmp(w, key, klen) == 0 && w[klen] == '=') {
			int vlen = wlen - klen - 1;
			if (vlen >= n)
				return -1;
			memmove(out, w + klen + 1, vlen);
			out[vlen] = 0;
			return vlen;
		}
		w += wlen;
		while (*w == ' ')
			w++;
	}
	return -1;
}
