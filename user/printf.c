/*
 * Formatted output: printf, fprintf, snprintf and their va_list forms.
 *
 * Conversions: %d %u %x %p %s %c %%, with an optional 'l' (or "ll") for
 * long arguments, a field width, and the flags '-' (left-justify) and
 * '0' (pad numbers with zeros). Output to a descriptor is gathered in a
 * buffer and written in as few write() calls as possible, so that lines
 * from different processes interleave less.
 */
#include "kernel/types.h"
#include "user/user.h"

/* Where formatted bytes go: a descriptor (fd >= 0, flushed from buf when
 * full) or a caller's string (fd < 0, extra bytes counted but dropped). */
struct sink {
	int fd;
	char *buf;
	int cap;
	int len;   /* bytes in buf */
	int total; /* bytes produced so far */
};

/* Write out what a descriptor sink holds. */
static void
sink_flush(struct sink *k)
{
	if (k->fd >= 0 && k->len > 0)
		write(k->fd, k->buf, k->len);
	if (k->fd >= 0)
		k->len = 0;
}

/* Add one byte, flushing a full descriptor sink first. */
static void
sink_putc(struct sink *k, char c)
{
	k->total++;
	if (k->len >= k->cap) {
		if (k->fd < 0)
			return;
		sink_flush(k);
	}
	k->buf[k->len++] = c;
}

/* Emit s (n bytes) padded to width: on the left with pad, or on the right
 * with spaces when left is set. */
static void
put_field(struct sink *k, const char *s, int n, int width, int left, char pad)
{
	int i;

	if (!left && pad == '0' && n > 0 && s[0] == '-') {
		/* The sign goes before the zeros. */
		sink_putc(k, '-');
		s++;
		n--;
		width--;
	}
	for (i = n; !left && i < width; i++)
		sink_putc(k, pad);
	for (i = 0; i < n; i++)
		sink_putc(k, s[i]);
	for (i = n; left && i < width; i++)
		sink_putc(k, ' ');
}

/* Digits of v in base (10 or 16) into the end of buf[24], with a '-' if
 * neg. Returns the first character. */
static char *
format_number(char *buf, uint64 v, int base, int neg)
{
	static const char digits[] = "0123456789abcdef";
	char *p = buf + 24;

	do {
		*--p = digits[v % base];
		v /= base;
	} while (v != 0);
	if (neg)
		*--p = '-';
	return p;
}

/* Fetch the next integer argument of the given size and signedness. */
static uint64
next_int(va_list *ap, int longs, int is_signed, int *neg)
{
	int64 s;

	*neg = 0;
	if (!is_signed)
		return longs ? va_arg(*ap, uint64) : va_arg(*ap, uint);
	s = longs ? va_arg(*ap, int64) : va_arg(*ap, int);
	if (s < 0) {
		*neg = 1;
		return -(uint64)s;
	}
	return s;
}

/* Format one conversion (c) with its modifiers; ap advances past it. */
static void
convert(struct sink *k, char c, int longs, int width, int left, char pad, va_list *ap)
{
	char num[24], ch;
	const char *s;
	uint64 v;
	int neg;

	switch (c) {
	case 'd':
	case 'u':
	case 'x':
		v = next_int(ap, longs, c == 'd', &neg);
		s = format_number(num, v, c == 'x' ? 16 : 10, neg);
		put_field(k, s, num + 24 - s, width, left, pad);
		break;
	case 'p':
		v = (uint64)va_arg(*ap, void *);
		sink_putc(k, '0');
		sink_putc(k, 'x');
		s = format_number(num, v, 16, 0);
		put_field(k, s, num + 24 - s, 16, 0, '0');
		break;
	case 's':
		s = va_arg(*ap, const char *);
		if (s == 0)
			s = "(null)";
		put_field(k, s, strlen(s), width, left, ' ');
		break;
	case 'c':
		ch = va_arg(*ap, int);
		put_field(k, &ch, 1, width, left, ' ');
		break;
	case '%':
		sink_putc(k, '%');
		break;
	default:
		/* Unknown conversion: show it as written. */
		sink_putc(k, '%');
		sink_putc(k, c);
		break;
	}
}

/* Run the format string fmt through the sink. */
static void
format(struct sink *k, const char *fmt, va_list ap)
{
	int longs, width, left;
	char pad;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			sink_putc(k, *fmt);
			continue;
		}
		fmt++;
		left = 0;
		pad = ' ';
		for (; *fmt == '-' || *fmt == '0'; fmt++) {
			if (*fmt == '-')
				left = 1;
			else
				pad = '0';
		}
		for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (longs = 0; *fmt == 'l'; fmt++)
			longs = 1;
		if (*fmt == 0)
			break;
		convert(k, *fmt, longs, width, left, left ? ' ' : pad, &ap);
	}
}

/* Write the formatted string to fd. */
void
vfprintf(int fd, const char *fmt, va_list ap)
{
	char buf[128];
	struct sink k = {fd, buf, sizeof(buf), 0, 0};

	format(&k, fmt, ap);
	sink_flush(&k);
}

/* Write the formatted string to fd. */
void
fprintf(int fd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(fd, fmt, ap);
	va_end(ap);
}

/* Write the formatted string to standard output (fd 1). */
void
printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(1, fmt, ap);
	va_end(ap);
}

/* Format into buf (n bytes, always NUL-terminated when n > 0). Returns
 * the length the whole result would have had. */
int
vsnprintf(char *buf, int n, const char *fmt, va_list ap)
{
	struct sink k = {-1, buf, n > 0 ? n - 1 : 0, 0, 0};

	format(&k, fmt, ap);
	if (n > 0)
		buf[k.len] = 0;
	return k.total;
}

/* Format into buf (n bytes); see vsnprintf. */
int
snprintf(char *buf, int n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}
