/* Traps: system calls, device and timer interrupts, faults. */
#include "kernel/trap.h"
#include "config.h"
#include "kernel/aspace.h"
#include "kernel/counters.h"
#include "kernel/ipi.h"
#include "kernel/kpt/kpt.h"
#include "kernel/memlayout.h"
#include "kernel/plic.h"
#include "kernel/printf.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"
#include "kernel/sysarg.h"
#include "kernel/uart.h"

uint64 ticks;
struct spinlock tickslock;

extern char trampoline[], uservec[], userret[];
void kernelvec(void);
extern char uprobe_load[], uprobe_fault[]; /* kernelvec.S */

#define SCAUSE_STI (SCAUSE_INTR | 5)

/* trampoline.S and swtch.S hard-code these offsets (tables in proc.h). */
#define OFF(type, field) __builtin_offsetof(struct type, field)
_Static_assert(OFF(trapframe, kernel_satp) == 0, "trampoline.S TF_KSATP");
_Static_assert(OFF(trapframe, kernel_sp) == 8, "trampoline.S TF_KSP");
_Static_assert(OFF(trapframe, kernel_trap) == 16, "trampoline.S TF_KTRAP");
_Static_assert(OFF(trapframe, epc) == 24, "trampoline.S epc");
_Static_assert(OFF(trapframe, kernel_tp) == 32, "trampoline.S TF_KTP");
_Static_assert(OFF(trapframe, x) == 40, "trampoline.S TF_X(0)");
_Static_assert(OFF(trapframe, kernel_flush) == 296, "trampoline.S TF_KFLUSH");
_Static_assert(OFF(context, ra) == 0 && OFF(context, sp) == 8 && OFF(context, s) == 16,
               "swtch.S context layout");
_Static_assert(OFF(cpu, proc) == 0, "myproc() loads 0(tp)");

/* Run the call named by p's a7 with its a0..a5; result in a0. An
 * unknown number returns -1. Inline: it is the whole of every trap's
 * work that is not entry and exit. */
static inline void
syscall(struct proc *p)
{
	struct trapframe *tf = p->trapframe;
	uint64 num = tf->x[REG_A7];
	COUNT(syscalls, 1);
	if (num < NSYSCALL && syscall_table[num])
		tf->x[REG_A0] = syscall_table[num]();
	else
		syscall_unknown(p);
}

/* Count one of the trampoline's satp writes and the flush after it. */
static inline void
count_trampoline_satp(void)
{
	COUNT(satp_writes, 1);
	if (aspace_satp_flushes()) {
		COUNT(sfence_all, 1);
	}
}

/* What devintr() found. */
enum intr_kind { INTR_NONE, INTR_DEVICE, INTR_TIMER };

static void
timer_arm(void)
{
	csr_write(0x14d, csr_read(time) + TICK_INTERVAL); /* stimecmp (Sstc) */
}

void
trap_hart_init(void)
{
	if (cpuid() == 0)
		spin_init(&tickslock, "ticks");
	if ((uint64)uservec != (uint64)trampoline ||
	    (uint64)userret != (uint64)trampoline + USERRET_OFF)
		panic("trap_hart_init: trampoline.S and memlayout.h disagree");
	csr_write(stvec, (uint64)kernelvec);
	timer_arm();
}

/* Handle an interrupt, if cause is one. */
static enum intr_kind
devintr(uint64 cause)
{
	if (cause == SCAUSE_SEI) {
		COUNT(interrupts, 1);
		int irq = plic_claim();
		if (irq == UART0_IRQ)
			uart_intr();
		if (irq)
			plic_complete(irq);
		return INTR_DEVICE;
	}
	if (cause == SCAUSE_SSI) {
		ipi_intr();
		return INTR_DEVICE;
	}
	if (cause == SCAUSE_STI) {
		COUNT(interrupts, 1);
		if (cpuid() == 0) {
			acquire(&tickslock);
			ticks++;
			wakeup(&ticks);
			release(&tickslock);
		}
		timer_arm();
		return INTR_TIMER;
	}
	return INTR_NONE;
}

/* Entered from uservec on the process's kernel stack and kernel table,
 * with interrupts off. */
void
usertrap(void)
{
	if (KPT_TRAP_SWITCH)
		count_trampoline_satp(); /* the way in */
	csr_write(stvec, (uint64)kernelvec);

	struct proc *p = myproc();
	uint64 cause = csr_read(scause);
	enum intr_kind kind = INTR_NONE;
	p->trapframe->epc = csr_read(sepc);

	if (cause == SCAUSE_ECALL_U) {
		if (proc_killed(p))
			proc_exit(-1);
		p->trapframe->epc += 4; /* return past the ecall */
		intr_on();
		syscall(p);
	} else if ((kind = devintr(cause)) == INTR_NONE) {
		kprintf("pid %d (%s): user trap scause %lx sepc %p stval %p: killed\n", p->pid,
		        p->name, cause, csr_read(sepc), csr_read(stval));
		proc_setkilled(p);
	}
	if (proc_killed(p))
		proc_exit(-1);
	if (kind == INTR_TIMER)
		proc_tick();
	usertrapret();
}

void
trap_proc_enter(struct proc *p)
{
	struct trapframe *tf = p->trapframe;
	aspace_proc_enter(p);
	tf->kernel_sp = p->kstack + KSTACK_PAGES * PGSIZE;
	tf->kernel_trap = (uint64)usertrap;
	tf->kernel_tp = r_tp();
	csr_write(sscratch, p->tfva); /* uservec's and userret's trap frame */
}

/* Return to the current process's user mode through userret. */
void
usertrapret(void)
{
	struct proc *p = myproc();
	/* Interrupts off before stvec points at uservec; sret then goes to
	 * user mode (SPP clear) with interrupts on (SPIE). */
	csr_clear(sstatus, SSTATUS_SIE | SSTATUS_SPP);
	csr_write(stvec, USERVEC_VA);

	struct trapframe *tf = p->trapframe;
	/* What uservec loads was set when p was switched to this hart
	 * (trap_proc_enter). */
	csr_set(sstatus, SSTATUS_SPIE);
	csr_write(sepc, tf->epc);

	if (KPT_TRAP_SWITCH)
		count_trampoline_satp(); /* the way out */
	uint64 ret = USERRET_VA;
	if (KPT_ASID)
		((void (*)(uint64, uint64))ret)(tf->user_satp, tf->kernel_flush);
	else
		((void (*)(uint64))ret)(tf->user_satp);
}

/* Interrupts and faults taken in S-mode, through kernelvec. */
void
kerneltrap(void)
{
	uint64 sepc = csr_read(sepc);
	uint64 sstatus = csr_read(sstatus);
	uint64 cause = csr_read(scause);

	if (!(sstatus & SSTATUS_SPP))
		panic("kerneltrap: not from supervisor mode");
	if (intr_get())
		panic("kerneltrap: interrupts enabled");
	if (cause == SCAUSE_LOAD_PAGE && sepc == (uint64)uprobe_load) {
		csr_write(sepc, (uint64)uprobe_fault); /* the probe's "it faulted" */
		return;
	}
	/* No handler touches user memory: a copy it interrupted gets its
	 * SUM back with sstatus below. */
	csr_clear(sstatus, SSTATUS_SUM);
	enum intr_kind kind = devintr(cause);
	if (kind == INTR_NONE)
		panic("kerneltrap: scause %lx sepc %p stval %p", cause, sepc, csr_read(stval));
	if (kind == INTR_TIMER && myproc() != 0)
		proc_tick();
	/* yield() may have trapped again: restore what sret needs. */
	csr_write(sepc, sepc);
	csr_write(sstatus, sstatus);
}
