#ifndef PTBENCH_UART_H
#define PTBENCH_UART_H

/* 16550 UART at UART0: polled output, interrupt-driven input. */
void uart_init(void);
/* Send one byte, waiting for the transmitter; safe with interrupts off
 * and from panic(). */
void uart_putc(int c);
/* Interrupt handler: hands each received byte to console_intr(). */
void uart_intr(void);

#endif
