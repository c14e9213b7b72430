#ifndef PTBENCH_PROC_H
#define PTBENCH_PROC_H

#include "aspace.h"
#include "param.h"
#include "riscv.h"
#include "spinlock.h"
#include "types.h"

/* Callee-saved registers swtch() saves and restores. */
struct context {
	uint64 ra;
	uint64 sp;
	uint64 s[12]; /* s0..s11 */
};

/*
 * Per-process page the trampoline saves user registers into; mapped at
 * TRAPFRAME in the user table. Offsets are shared with trampoline.S:
 *
 *   offset  field
 *   0       kernel_satp    table the trampoline loads on a trap
 *   8       kernel_sp      top of the process's kernel stack
 *   16      kernel_trap    address of usertrap()
 *   24      epc            user pc
 *   32      kernel_tp      tp for the kernel: this hart's struct cpu
 *   40+8*i  x[i]           user register x<i> (x[0] unused)
 *   296     kernel_flush   with ASIDs: nonzero if satp writes must flush
 *   304     user_satp      with ASIDs: what userret loads (aspace.h)
 */
struct trapframe {
	uint64 kernel_satp;
	uint64 kernel_sp;
	uint64 kernel_trap;
	uint64 epc;
	uint64 kernel_tp;
	uint64 x[32];
	uint64 kernel_flush;
	uint64 user_satp;
};

#define REG_RA 1
#define REG_SP 2
#define REG_A0 10
#define REG_A1 11
#define REG_A7 17

/* Per-hart state. In S-mode, tp points at the hart's struct cpu. */
struct cpu {
	struct proc *proc;      /* running process, or 0; first: myproc() */
	struct context context; /* swtch() here to enter the scheduler */
	int noff;               /* push_off() depth */
	int intena;             /* interrupts on before the first push_off()? */
	int id;                 /* hart id */
	int up;                 /* 1 once it runs its scheduler */
};

extern struct cpu cpus[NCPU];

enum procstate { UNUSED, USED, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

struct inode;
struct file;

/* A process. Fields under p->lock unless noted. */
struct proc {
	struct spinlock lock;
	enum procstate state;
	void *chan; /* sleeping on this */
	int killed; /* nonzero: exit at the next chance */
	int xstate; /* exit status for the parent's wait() */
	int pid;
	int slot; /* index in the process table (fixed) */
	int pinned; /* 1 + the only hart it may run on (pin()); 0: any */

	struct proc *parent; /* under wait_lock */

	/* Private to the process: no lock needed by the process itself. */
	uint64 kstack;          /* kernel stack bottom (VA) */
	uint64 guardva;         /* user stack guard page: in [0, sz), no PTE_U; fixed by exec */
	pagetable_t kpagetable; /* per-process kernel table, or 0 (global) */
	uint64 sz;              /* user memory size in bytes */
	pagetable_t pagetable;  /* user page table */
	struct aspace uas;      /* the user table's ASID (aspace.h) */
	struct aspace kas;      /* the per-process kernel table's, if any */
	struct trapframe *trapframe;
	struct context context;
	struct file *ofile[NOFILE];
	struct inode *cwd;
	char name[16];
};

/* Point tp at this hart's struct cpu; tp held the hart id (start.c). */
void cpu_init_tp(void);

/* This hart's state. Interrupts must be off, or the caller may move to
 * another hart. */
static inline struct cpu *
mycpu(void)
{
	struct cpu *c;
	asm volatile("mv %0, tp" : "=r"(c));
	return c;
}

static inline int
cpuid(void)
{
	return mycpu()->id;
}

/* The running process, or 0 in the scheduler. One load through tp: if
 * the process moves to another hart around it, both harts' cpu->proc
 * name this same process at the moment of the load, so no interrupt
 * masking is needed. */
static inline struct proc *
myproc(void)
{
	struct proc *p;
	asm volatile("ld %0, 0(tp)" : "=r"(p));
	return p;
}

void proc_init(void);
/* Create the first process; it execs /init with the given arguments. */
void proc_userinit(const char *cmd);
void scheduler(void) __attribute__((noreturn));
void sched(void);
void yield(void);
int proc_pin(int hart);
void sleep(void *chan, struct spinlock *lk);
void wakeup(void *chan);
int proc_fork(void);
void proc_exit(int status) __attribute__((noreturn));
int proc_wait(uint64 status_va);
/* kill(pid): mark process pid to exit with status -1 when it next
 * returns to user mode, waking it if it sleeps. 0, or -1 when no process
 * has that pid or it is init's: init must outlive anything a process can
 * do, so the kernel refuses to kill it. A zombie gives 0 and keeps its
 * exit status; the caller killing itself exits as the call returns. */
int proc_kill(int pid);
/* Console ^C: mark pid and every process descended from it killed, if
 * pid is a child of process ppid (so never ppid, its ancestors or init).
 * How many were marked. Callable from an interrupt handler. */
int proc_kill_tree(int pid, int ppid);
/* Whether p was killed (no lock: a relaxed load, checked again at the
 * next trap); inline, as every trap asks it twice. */
static inline int
proc_killed(struct proc *p)
{
	return __atomic_load_n(&p->killed, __ATOMIC_RELAXED);
}
void proc_setkilled(struct proc *p);
/* sbrk: grow (n > 0) or shrink user memory by n bytes. 0, or -1 (and
 * nothing changed) when out of memory, past USERTOP, or below
 * proc_brk_floor. */
int proc_grow(int64 n);
/* A fresh user table for p with its trap frame mapped, or 0. */
pagetable_t proc_pagetable(struct proc *p);
void proc_freepagetable(pagetable_t pt, uint64 sz);
/* Processes in use (for kstats). */
int proc_count(void);
/* Console ^P: list processes. */
void proc_dump(void);

/*
 * The user-range rule: which bytes a process may hand the kernel by
 * address, stated here once for every design and every call. They are
 * those of [0, p->sz) outside the stack guard page [p->guardva,
 * p->guardva + PGSIZE). Syscalls check their buffers with it before they
 * move a byte; copyin and copyinstr accept exactly these bytes in every
 * design (the walk designs walk only after it, umap and designs like it
 * dereference only after it).
 *
 * It follows the memory because the guard cannot move: exec puts the
 * guard page (mapped without PTE_U) and the stack above the program, and
 * sbrk never shrinks below the top of that stack (proc_brk_floor), so
 * for the life of an image the guard is mapped without PTE_U and every
 * other page of [0, p->sz) is mapped user-readable. A byte the rule
 * accepts is thus readable in every design, and one it refuses is
 * refused by all, whether they check by range or by walking.
 *
 * proc_user_span: how many bytes of [va, va+len), from va on, the rule
 * accepts: len, or fewer where the range runs into the guard page or
 * past p->sz, or 0 when va itself is refused. The range is cut, never
 * wrapped. For copyinstr, which may stop at the NUL before the cut.
 */
static inline uint64
proc_user_span(struct proc *p, uint64 va, uint64 len)
{
	/* Below the guard the span ends at it, else at p->sz; the guard
	 * lies inside [0, p->sz) (or both are 0, before the first exec). */
	uint64 g = p->guardva, end = va < g ? g : p->sz;
	if (va >= end || va - g < PGSIZE)
		return 0;
	return len < end - va ? len : end - va;
}

/* Whether the rule accepts all of [va, va+n). An empty range touches no
 * byte and is accepted anywhere up to p->sz. */
static inline int
proc_range_ok(struct proc *p, uint64 va, uint64 n)
{
	if (n == 0)
		return va <= p->sz;
	return proc_user_span(p, va, n) == n;
}

/* The lowest break sbrk may set: the top of the USTACK_PAGES stack pages
 * exec put above the guard page. Keeping the break there keeps the guard
 * page a guard (see the rule above). */
static inline uint64
proc_brk_floor(struct proc *p)
{
	return p->guardva + (USTACK_PAGES + 1) * PGSIZE;
}

/* swtch.S */
void swtch(struct context *old, struct context *new);

#endif
