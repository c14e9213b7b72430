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

/* A leader's gstate: what its process's threads are ending for. */
#define GROUP_EXIT 1 /* exit() from one of them: all end, the first status */
#define GROUP_EXEC 2 /* exec from one of them (gexec): the others end */

/* Per-hart state. In S-mode, tp points at the hart's struct cpu. */
struct cpu {
	struct proc *proc;      /* running process, or 0; first: myproc() */
	struct context context; /* swtch() here to enter the scheduler */
	int noff;               /* push_off() depth */
	int intena;             /* interrupts on before the first push_off()? */
	int id;                 /* hart id */
	int up;                 /* 1 once it runs its scheduler */
	int idle;               /* 1 while its scheduler looks for work (wakeup IPIs it) */
};

extern struct cpu cpus[NCPU];

enum procstate { UNUSED, USED, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

struct inode;
struct file;

/*
 * An address space: what the threads of one process share (user table,
 * size, stack guard, the user table's ASID, and where the design has one
 * the kernel table that goes with it: perproc's and perproc_copy's
 * table, umap's table with its mirror; unified's kernel map lives in the
 * user table itself). One per process; its threads point at it.
 *
 * Locking. A single-threaded address space (refs == 1) is its thread's
 * own: only that thread changes it or copies through it, and only that
 * thread can add a second one (thread_create), so the fast paths test
 * refs and take nothing. With refs > 1, lock guards sz, the tables'
 * user part and tslots, and is held across every copy to or from user
 * memory (vmspace_lock_copy), so a shrink never frees a page under a
 * copy; resizing serialises grow, shrink (whose shootdown waits for
 * other harts) and fork's copy (proc_grow).
 */
struct vmspace {
	struct spinlock lock;
	int refs;               /* threads using it (under lock) */
	int resizing;           /* a grow, shrink or fork copy in progress (under lock) */
	uint64 tslots;          /* thread slots in use, a bit each (under lock) */
	pagetable_t pagetable;  /* user page table */
	uint64 sz;              /* user memory size in bytes */
	uint64 guardva;         /* user stack guard page: in [0, sz), no PTE_U; fixed by exec */
	pagetable_t kpagetable; /* kernel table of the address space, or 0 (global, unified) */
	struct aspace uas;      /* the user table's ASID (aspace.h) */
	struct aspace kas;      /* the kernel table's, if any */
};

/* A thread. The first thread of a process is its leader: its pid is the
 * process's, it holds the process's parent, children, descriptors and
 * cwd, and it is what the parent's wait() reaps, once every other thread
 * of the process is gone. Fields under p->lock unless noted. */
struct proc {
	struct spinlock lock;
	enum procstate state;
	void *chan; /* sleeping on this */
	int killed; /* nonzero: exit at the next chance */
	int xstate; /* exit status for the parent's wait() (leader), for join (thread) */
	int pid;    /* the process's (getpid), the same in every thread */
	int tid;    /* the thread's own id; the leader's is its pid */
	int slot;   /* index in the process table (fixed) */
	int pinned; /* 1 + the only hart it may run on (pin()); 0: any */

	struct proc *parent; /* leaders only; under wait_lock */
	struct proc *leader; /* the process's first thread (itself for it) */
	int gstate;          /* leaders only, under wait_lock: GROUP_EXIT, GROUP_EXEC or 0 */
	struct proc *gexec;  /* with GROUP_EXEC: the thread that execs */

	/* Private to the thread: no lock needed by the thread itself. */
	struct vmspace *vm;   /* its address space, shared by its process's threads */
	int tslot;            /* thread slot in vm: trap frame and kernel stack addresses */
	uint64 tfva;          /* where the trap frame is mapped in the user table */
	uint64 tf_uid;        /* ASID ids its trap frame's satp values were made with */
	uint64 tf_kid;
	uint64 kstack;        /* kernel stack bottom (VA) */
	struct trapframe *trapframe;
	struct context context;
	struct file *ofile[NOFILE]; /* the leader's are the process's */
	struct inode *cwd;          /* likewise */
	char name[16];
};

/* The process's descriptor table (its leader's, shared by its threads). */
static inline struct file **
proc_ofile(struct proc *p)
{
	return p->leader->ofile;
}

/* Whether p's address space (and so its descriptors) is shared with
 * other threads. Only p can make it so, so the answer holds for the
 * rest of a call that got 0. */
static inline int
proc_shared(struct proc *p)
{
	return __atomic_load_n(&p->vm->refs, __ATOMIC_RELAXED) > 1;
}

/* Take p's address-space lock around a copy to or from user memory if
 * other threads share it (they may shrink it); 1 if taken. */
static inline int
vmspace_lock_copy(struct proc *p)
{
	if (!proc_shared(p))
		return 0;
	acquire(&p->vm->lock);
	return 1;
}

static inline void
vmspace_unlock_copy(struct proc *p, int locked)
{
	if (locked)
		release(&p->vm->lock);
}

/* A design's copy into the kernel: copyin's or copyinstr's body. */
typedef int (*vmspace_copy_fn)(struct proc *p, char *dst, uint64 srcva, uint64 n);
/* fn(p, dst, srcva, n) under p's address-space lock: the path of the
 * designs' copyin and copyinstr when other threads share the address
 * space (out of line, so that the single-threaded path stays as lean). */
int vmspace_copy_locked(struct proc *p, vmspace_copy_fn fn, char *dst, uint64 srcva, uint64 n);

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
/* A timer tick in the running process (interrupts off): give the hart up
 * if another process it may run is runnable; else run on, as a real
 * kernel's tick does not reschedule a hart with nothing else to do (so
 * that a thread spinning on a hart of its own stays on it, the running
 * process a shootdown sees). */
void proc_tick(void);
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
/* sbrk: grow (n > 0) or shrink user memory by n bytes; the size it
 * changed from in *old (with threads, another thread's sbrk may come
 * just before). 0, or -1 (and nothing changed) when out of memory, past
 * USERTOP, or below proc_brk_floor. */
int proc_grow(int64 n, uint64 *old);
/* A fresh user table with p's trap frame mapped at TRAPFRAME, or 0. */
pagetable_t proc_pagetable(struct proc *p);
/* Free user table pt of sz bytes of memory with a trap frame at tfva. */
void proc_freepagetable(pagetable_t pt, uint64 sz, uint64 tfva);
/* thread_create(fn, arg, stacktop): a new thread of the caller's process
 * that shares its address space and descriptors and starts at fn(arg) in
 * user mode with sp = stacktop (16-byte aligned, inside user memory, off
 * the guard page); ra is 0, so returning from fn faults: a thread ends
 * with thread_exit. Its tid, or -1 (bad fn or stack, NTHREAD threads
 * already, no process slot or memory) with nothing changed. */
int proc_thread_create(uint64 fn, uint64 arg, uint64 stacktop);
/* thread_join(tid, status_va): wait for thread tid of the caller's
 * process (not the caller, not the leader) to end, store its status
 * unless status_va is 0, free it. tid, or -1 (no such thread, already
 * joined, bad pointer, or the caller killed). */
int proc_thread_join(int tid, uint64 status_va);
/* thread_exit(status): end the calling thread. In the leader (the
 * process's first thread) it is exit(status) of the whole process. */
void proc_thread_exit(int status) __attribute__((noreturn));
/* exec from a thread: end every other thread of the process and make
 * the caller its only thread (and its leader). 0, or -1 when the caller
 * was killed meanwhile. Called before exec touches anything. */
int proc_single(void);
/* Processes in use (for kstats). */
int proc_count(void);
/* Console ^P: list processes. */
void proc_dump(void);

/*
 * The user-range rule: which bytes a process may hand the kernel by
 * address, stated here once for every design and every call. They are
 * those of [0, p->vm->sz) outside the stack guard page [p->vm->guardva,
 * p->vm->guardva + PGSIZE). Syscalls check their buffers with it before they
 * move a byte; copyin and copyinstr accept exactly these bytes in every
 * design (the walk designs walk only after it, umap and designs like it
 * dereference only after it).
 *
 * It follows the memory because the guard cannot move: exec puts the
 * guard page (mapped without PTE_U) and the stack above the program, and
 * sbrk never shrinks below the top of that stack (proc_brk_floor), so
 * for the life of an image the guard is mapped without PTE_U and every
 * other page of [0, p->vm->sz) is mapped user-readable. A byte the rule
 * accepts is thus readable in every design, and one it refuses is
 * refused by all, whether they check by range or by walking.
 *
 * proc_user_span: how many bytes of [va, va+len), from va on, the rule
 * accepts: len, or fewer where the range runs into the guard page or
 * past p->vm->sz, or 0 when va itself is refused. The range is cut, never
 * wrapped. For copyinstr, which may stop at the NUL before the cut.
 */
static inline uint64
proc_user_span(struct proc *p, uint64 va, uint64 len)
{
	/* Below the guard the span ends at it, else at p->vm->sz; the guard
	 * lies inside [0, p->vm->sz) (or both are 0, before the first exec). */
	uint64 g = p->vm->guardva, end = va < g ? g : p->vm->sz;
	if (va >= end || va - g < PGSIZE)
		return 0;
	return len < end - va ? len : end - va;
}

/* Whether the rule accepts all of [va, va+n). An empty range touches no
 * byte and is accepted anywhere up to p->vm->sz. */
static inline int
proc_range_ok(struct proc *p, uint64 va, uint64 n)
{
	if (n == 0)
		return va <= p->vm->sz;
	return proc_user_span(p, va, n) == n;
}

/* The lowest break sbrk may set: the top of the USTACK_PAGES stack pages
 * exec put above the guard page. Keeping the break there keeps the guard
 * page a guard (see the rule above). */
static inline uint64
proc_brk_floor(struct proc *p)
{
	return p->vm->guardva + (USTACK_PAGES + 1) * PGSIZE;
}

/* swtch.S */
void swtch(struct context *old, struct context *new);

#endif
