#ifndef PTBENCH_BOOTARGS_H
#define PTBENCH_BOOTARGS_H

#include "types.h"

/* Copy /chosen/bootargs out of the device tree at dtb (before the page
 * allocator can reuse its memory). */
void bootargs_init(uint64 dtb);
/* 1 if the device tree lists the Svinval extension for the harts. */
extern int bootargs_has_svinval;
/* Value of key=value in the boot arguments, or 0. "cmd=" takes the rest
 * of the line, spaces included. Copies into buf (n bytes). */
const char *bootarg(const char *key, char *buf, int n);

#endif
