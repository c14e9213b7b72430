#ifndef PTBENCH_CONSOLE_H
#define PTBENCH_CONSOLE_H

/* Console device (major CONSOLE) and null device (major DEVNULL). */
void console_init(void);
/* A byte typed at the console (from the UART interrupt). */
void console_intr(int c);

#endif
