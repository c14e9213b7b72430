#ifndef PTBENCH_PLIC_H
#define PTBENCH_PLIC_H

void plic_init(void);      /* hart 0: device priorities */
void plic_hart_init(void); /* every hart: enable its S-mode context */
int plic_claim(void);
void plic_complete(int irq);

#endif
