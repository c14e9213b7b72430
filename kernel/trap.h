#ifndef PTBENCH_TRAP_H
#define PTBENCH_TRAP_H

#include "spinlock.h"
#include "types.h"

extern uint64 ticks; /* timer interrupts since boot (hart 0) */
extern struct spinlock tickslock;

void trap_hart_init(void); /* point stvec at kernelvec */
void usertrap(void);
void usertrapret(void);
/* kernelvec.S: 0 if a byte load from va works in S-mode now, 1 if it
 * faults (kerneltrap turns the fault into the return). */
int uprobe_read(uint64 va);

#endif
