/* 16550 UART: polled transmit, receive interrupts (IRQ 10). */
#include "kernel/uart.h"
#include "kernel/console.h"
#include "kernel/memlayout.h"
#include "kernel/types.h"

/* Register offsets (16550 data sheet). */
#define RBR 0 /* receive buffer (read) */
#define THR 0 /* transmit holding (write) */
#define IER 1 /* interrupt enable */
#define FCR 2 /* FIFO control (write) */
#define LCR 3 /* line control */
#define LSR 5 /* line status */

#define IER_RX 0x01
#define FCR_ENABLE_CLEAR 0x07
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
#define LSR_DATA 0x01
#define LSR_THRE 0x20

#define REG(r) ((volatile uint8 *)(UART0 + (r)))

void
uart_init(void)
{
	*REG(IER) = 0;
	*REG(LCR) = LCR_DLAB;
	*REG(0) = 3; /* divisor 3: 38400 baud (QEMU ignores it) */
	*REG(1) = 0;
	*REG(LCR) = LCR_8N1;
	*REG(FCR) = FCR_ENABLE_CLEAR;
	*REG(IER) = IER_RX;
}

void
uart_putc(int c)
{
	while ((*REG(LSR) & LSR_THRE) == 0)
		;
	*REG(THR) = c;
}

void
uart_intr(void)
{
	while (*REG(LSR) & LSR_DATA)
		console_intr(*REG(RBR));
}
