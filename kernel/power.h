#ifndef PTBENCH_POWER_H
#define PTBENCH_POWER_H

/* Power the machine off through the sifive_test finisher; QEMU exits
 * with status & 0xff (0 means success). */
void power_off(int status) __attribute__((noreturn));

#endif
