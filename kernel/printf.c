/* Kernel console output, serialized by a lock so lines do not interleave. */
#include <stdarg.h>

#include "kernel/power.h"
#include "kernel/printf.h"
#include "kernel/spinlock.h"
#include "kernel/uart.h"

static struct spinlock print_lock;
static volatile int panicked;

void
printf_init(void)
{
	spin_init(&print_lock, "printf");
}

static void
put_char(int c)
{
	if (c == '\n')
		uart_putc('\r');
	uart_putc(c);
}

static void
put_num(uint64 x, int base, int sign, int width)
{
	static const char digits[] = "0123456789abcdef";
	char buf[24];
	int i = 0, neg = 0;

	if (sign && (int64)x < 0) {
		neg = 1;
		x = -(int64)x;
	}
	do {
		buf[i++] = digits[x % base];
		x /= base;
	} while (x != 0);
	while (i < width)
		buf[i++] = '0';
	if (neg)
		buf[i++] = '-';
	while (--i >= 0)
		put_char(buf[i]);
}

/* Format onto the console: %d %u %x (with an l prefix for 64 bits), %p,
 * %s, %c, %%. */
static void
vformat(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put_char(*fmt);
			continue;
		}
		int lng = 0;
		fmt++;
		while (*fmt == 'l') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
			put_num(lng ? va_arg(ap, int64) : va_arg(ap, int), 10, 1, 0);
			break;
		case 'u':
			put_num(lng ? va_arg(ap, uint64) : va_arg(ap, uint), 10, 0, 0);
			break;
		case 'x':
			put_num(lng ? va_arg(ap, uint64) : va_arg(ap, uint), 16, 0, 0);
			break;
		case 'p':
			put_char('0');
			put_char('x');
			put_num(va_arg(ap, uint64), 16, 0, 16);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			for (s = s ? s : "(null)"; *s; s++)
				put_char(*s);
			break;
		}
		case 'c':
			put_char(va_arg(ap, int));
			break;
		case 0:
			return;
		default:
			put_char('%');
			put_char(*fmt);
		}
	}
}

void
kprintf(const char *fmt, ...)
{
	va_list ap;
	int locking = !panicked;
	if (locking)
		acquire(&print_lock);
	va_start(ap, fmt);
	vformat(fmt, ap);
	va_end(ap);
	if (locking)
		release(&print_lock);
}

/* Report a broken kernel invariant and stop the machine: the host sees
 * the "panic: " line and exit status PANIC_STATUS. */
void
panic(const char *fmt, ...)
{
	va_list ap;
	panicked = 1;
	put_char('\n');
	for (const char *s = "panic: "; *s; s++)
		put_char(*s);
	va_start(ap, fmt);
	vformat(fmt, ap);
	va_end(ap);
	put_char('\n');
	power_off(PANIC_STATUS);
}
