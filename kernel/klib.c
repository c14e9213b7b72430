/* Memory and string helpers. The copy and fill loops move 8-byte words
 * (four per iteration) wherever the alignment allows: copies dominate
 * the cost of copyin, copyout, fork and exec. */
#include "kernel/klib.h"

void *
memset(void *dst, int c, uint64 n)
{
	uint8 *d = dst;
	uint64 w = (uint8)c;
	w |= w << 8;
	w |= w << 16;
	w |= w << 32;
	while (n > 0 && ((uint64)d & 7)) {
		*d++ = c;
		n--;
	}
	uint64 *dw = (uint64 *)d;
	for (; n >= 32; n -= 32, dw += 4) {
		dw[0] = w;
		dw[1] = w;
		dw[2] = w;
		dw[3] = w;
	}
	for (; n >= 8; n -= 8)
		*dw++ = w;
	d = (uint8 *)dw;
	while (n-- > 0)
		*d++ = c;
	return dst;
}

/* dst and src share their offset within a word: copy aligned words. */
static void
copy_words(uint64 *d, const uint64 *s, uint64 nw)
{
	for (; nw >= 4; nw -= 4, d += 4, s += 4) {
		uint64 a = s[0], b = s[1], c = s[2], e = s[3];
		d[0] = a;
		d[1] = b;
		d[2] = c;
		d[3] = e;
	}
	while (nw-- > 0)
		*d++ = *s++;
}

/* dst is word aligned, src is off (1..7) bytes past a word boundary:
 * read aligned source words and splice neighbours with shifts (little
 * endian). Reads stay within the aligned words holding source bytes, so
 * they never touch a page the copy does not cover. */
static void
copy_shifted(uint64 *d, const uint8 *src, uint64 nw)
{
	uint64 off = (uint64)src & 7;
	const uint64 *s = (const uint64 *)(src - off);
	uint64 rs = off * 8, ls = 64 - rs;
	uint64 lo = *s++;
	for (; nw >= 4; nw -= 4, s += 4, d += 4) {
		uint64 a = s[0], b = s[1], c = s[2], e = s[3];
		d[0] = (lo >> rs) | (a << ls);
		d[1] = (a >> rs) | (b << ls);
		d[2] = (b >> rs) | (c << ls);
		d[3] = (c >> rs) | (e << ls);
		lo = e;
	}
	while (nw-- > 0) {
		uint64 hi = *s++;
		*d++ = (lo >> rs) | (hi << ls);
		lo = hi;
	}
}

void *
memmove(void *dst, const void *src, uint64 n)
{
	uint8 *d = dst;
	const uint8 *s = src;
	if (d == s || n == 0)
		return dst;
	if (d > s && d < s + n) {
		/* Overlap with dst above src: copy backwards, bytewise. */
		while (n-- > 0)
			d[n] = s[n];
		return dst;
	}
	while (n > 0 && ((uint64)d & 7)) {
		*d++ = *s++;
		n--;
	}
	uint64 nw = n / 8;
	if (nw > 0) {
		if (((uint64)s & 7) == 0)
			copy_words((uint64 *)d, (const uint64 *)s, nw);
		else
			copy_shifted((uint64 *)d, s, nw);
		d += nw * 8;
		s += nw * 8;
		n -= nw * 8;
	}
	while (n-- > 0)
		*d++ = *s++;
	return dst;
}

void *
memcpy(void *dst, const void *src, uint64 n)
{
	return memmove(dst, src, n);
}

int
memcmp(const void *a, const void *b, uint64 n)
{
	const uint8 *x = a, *y = b;
	for (; n > 0; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

uint64
strlen(const char *s)
{
	const char *p = s;
	while (*p)
		p++;
	return p - s;
}

int
strncmp(const char *a, const char *b, uint64 n)
{
	for (; n > 0 && *a && *a == *b; n--, a++, b++)
		;
	if (n == 0)
		return 0;
	return (uint8)*a - (uint8)*b;
}

char *
safestrcpy(char *dst, const char *src, int n)
{
	char *d = dst;
	if (n <= 0)
		return dst;
	while (--n > 0 && (*d = *src) != 0)
		d++, src++;
	*d = 0;
	return dst;
}
