#ifndef PTBENCH_PRINTF_H
#define PTBENCH_PRINTF_H

/* Kernel console output: %d %u %x %p %s %c %l (long prefix) and %%. */
void kprintf(const char *fmt, ...);
/* Print "panic: " and the message, then power off with PANIC_STATUS. */
void panic(const char *fmt, ...) __attribute__((noreturn));
void printf_init(void);

/* Exit status QEMU reports after a kernel panic. */
#define PANIC_STATUS 101

#endif
