#ifndef PTBENCH_TRAP_H
#define PTBENCH_TRAP_H

#include "spinlock.h"
#include "types.h"

extern uint64 ticks; /* timer interrupts since boot (hart 0) */
extern struct spinlock tickslock;

void trap_hart_init(void); /* point stvec at kernelvec */
struct proc;
/* The scheduler, p->lock held, interrupts off: p is about to run on this
 * hart. Fills in what uservec and userret load from p's trap frame (its
 * satp values, kernel stack, this hart's tp), once per switch. */
void trap_proc_enter(struct proc *p);
void usertrap(void);
void usertrapret(void);
/* kernelvec.S: 0 if a byte load from va works in S-mode now, 1 if it
 * faults (kerneltrap turns the fault into the return). */
int uprobe_read(uint64 va);

#endif
