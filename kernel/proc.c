/*
 * Processes: the table, creation (fork), exit and wait, the scheduler,
 * and sleep/wakeup. Page-table work goes through vm.h and the design
 * interface kpt.h; nothing here depends on the design.
 */
#include "kernel/proc.h"
#include "kernel/counters.h"
#include "kernel/exec.h"
#include "kernel/file.h"
#include "kernel/fs.h"
#include "kernel/kalloc.h"
#include "kernel/klib.h"
#include "kernel/kpt/kpt.h"
#include "kernel/memlayout.h"
#include "kernel/printf.h"
#include "kernel/riscv.h"
#include "kernel/trap.h"
#include "kernel/vm.h"

struct cpu cpus[NCPU];
static struct proc procs[NPROC];
static struct proc *initproc;
static int nextpid = 1;
static struct spinlock pid_lock;

/* Guards every p->parent, and orders exit's wakeup against wait's sleep.
 * Taken before any p->lock. */
static struct spinlock wait_lock;

/* Command for /init from the boot arguments (make run CMD=...). */
static char init_cmd[BOOTARGS_MAX];

static void forkret(void);

void
proc_init(void)
{
	spin_init(&pid_lock, "nextpid");
	spin_init(&wait_lock, "wait");
	for (int i = 0; i < NPROC; i++) {
		spin_init(&procs[i].lock, "proc");
		procs[i].state = UNUSED;
		procs[i].slot = i;
	}
}

void
cpu_init_tp(void)
{
	uint64 hart = r_tp();
	cpus[hart].id = hart;
	w_tp((uint64)&cpus[hart]);
}

static int
alloc_pid(void)
{
	acquire(&pid_lock);
	int pid = nextpid++;
	release(&pid_lock);
	return pid;
}

pagetable_t
proc_pagetable(struct proc *p)
{
	return uvm_create((uint64)p->trapframe);
}

void
proc_freepagetable(pagetable_t pt, uint64 sz)
{
	uvm_free(pt, sz);
}

/* Release everything p holds except its slot's lock; p->lock held. */
static void
free_proc(struct proc *p)
{
	/* The design's part first: it may have linked the kernel map into
	 * the user table (unified), which must be undone before freeing. */
	if (p->kstack)
		kpt_free(p);
	if (p->pagetable)
		proc_freepagetable(p->pagetable, p->sz);
	if (p->trapframe)
		kfree(p->trapframe);
	p->trapframe = 0;
	p->pagetable = 0;
	aspace_reset(&p->uas);
	aspace_reset(&p->kas);
	p->kpagetable = 0;
	p->kstack = 0;
	p->sz = 0;
	p->guardva = 0;
	p->pid = 0;
	p->parent = 0;
	p->name[0] = 0;
	p->chan = 0;
	p->killed = 0;
	p->pinned = 0;
	p->xstate = 0;
	p->state = UNUSED;
}

/* A fresh process in state USED with trap frame, empty user table and
 * kernel stack, returned with p->lock held; or 0 when the table is full
 * or memory runs out. */
static struct proc *
alloc_proc(void)
{
	struct proc *p;
	for (p = procs; p < &procs[NPROC]; p++) {
		if (p->state != UNUSED)
			continue;
		acquire(&p->lock);
		if (p->state == UNUSED)
			goto found;
		release(&p->lock);
	}
	return 0;

found:
	p->pid = alloc_pid();
	p->state = USED;
	if ((p->trapframe = kalloc()) == 0 || (p->pagetable = proc_pagetable(p)) == 0 ||
	    kpt_init(p) != 0) {
		free_proc(p);
		release(&p->lock);
		return 0;
	}
	memset(&p->context, 0, sizeof(p->context));
	p->context.ra = (uint64)forkret;
	p->context.sp = p->kstack + KSTACK_PAGES * PGSIZE;
	return p;
}

int
proc_count(void)
{
	int n = 0;
	for (int i = 0; i < NPROC; i++)
		n += procs[i].state != UNUSED;
	return n;
}

void
proc_userinit(const char *cmd)
{
	/* namei may sleep: look "/" up before taking p->lock. */
	struct inode *root = namei("/");
	if (root == 0)
		panic("proc_userinit: no root directory");
	struct proc *p = alloc_proc();
	if (p == 0)
		panic("proc_userinit: no memory");
	initproc = p;
	if (cmd)
		safestrcpy(init_cmd, cmd, sizeof(init_cmd));
	safestrcpy(p->name, "init", sizeof(p->name));
	p->cwd = root;
	p->state = RUNNABLE;
	release(&p->lock);
}

/* First code of every new process, from swtch with p->lock held. */
static void
forkret(void)
{
	struct proc *p = myproc();
	release(&p->lock);
	if (p == initproc && p->sz == 0) {
		char *argv[3] = {"init", init_cmd[0] ? init_cmd : 0, 0};
		if (exec("/init", argv) < 0)
			panic("forkret: cannot exec /init");
		p->trapframe->x[REG_A0] = init_cmd[0] ? 2 : 1;
	}
	usertrapret();
}

int
proc_grow(int64 n)
{
	struct proc *p = myproc();
	uint64 oldsz = p->sz, newsz = oldsz;
	if (n > 0) {
		if ((uint64)n > USERTOP - oldsz)
			return -1;
		newsz = uvm_alloc(p->pagetable, oldsz, oldsz + n, VM_W);
		if (newsz == 0)
			return -1;
		if (kpt_user_changed(p, oldsz, newsz) != 0) {
			kpt_user_changed(p, newsz, oldsz);
			uvm_dealloc(p->pagetable, newsz, oldsz);
			return -1;
		}
	} else if (n < 0) {
		uint64 floor = proc_brk_floor(p);
		if (oldsz < floor || (uint64)-n > oldsz - floor)
			return -1;
		newsz = oldsz - (uint64)-n;
		/* Mirror first: no kernel mapping may outlive its page. */
		kpt_user_changed(p, oldsz, newsz);
		uvm_dealloc(p->pagetable, oldsz, newsz);
		aspace_user_shrunk(p->pagetable, &p->uas, PGROUNDUP(newsz),
		                   (PGROUNDUP(oldsz) - PGROUNDUP(newsz)) / PGSIZE);
	}
	p->sz = newsz;
	return 0;
}

int
proc_fork(void)
{
	struct proc *p = myproc(), *np = alloc_proc();
	if (np == 0)
		return -1;
	if (uvm_copy(p->pagetable, np->pagetable, p->sz) != 0) {
		free_proc(np);
		release(&np->lock);
		return -1;
	}
	np->sz = p->sz;
	if (kpt_user_changed(np, 0, np->sz) != 0) {
		free_proc(np);
		release(&np->lock);
		return -1;
	}
	np->guardva = p->guardva;
	*np->trapframe = *p->trapframe;
	np->trapframe->x[REG_A0] = 0; /* fork returns 0 in the child */
	for (int i = 0; i < NOFILE; i++)
		if (p->ofile[i])
			np->ofile[i] = file_dup(p->ofile[i]);
	np->cwd = idup(p->cwd);
	safestrcpy(np->name, p->name, sizeof(np->name));
	int pid = np->pid;
	release(&np->lock);

	acquire(&wait_lock);
	np->parent = p;
	release(&wait_lock);

	acquire(&np->lock);
	np->state = RUNNABLE;
	release(&np->lock);
	return pid;
}

/* Give p's children to init. wait_lock held. */
static void
reparent(struct proc *p)
{
	for (struct proc *pp = procs; pp < &procs[NPROC]; pp++) {
		if (pp->parent == p) {
			pp->parent = initproc;
			wakeup(initproc);
		}
	}
}

void
proc_exit(int status)
{
	struct proc *p = myproc();
	if (p == initproc)
		panic("proc_exit: init exiting");
	for (int fd = 0; fd < NOFILE; fd++) {
		if (p->ofile[fd]) {
			file_close(p->ofile[fd]);
			p->ofile[fd] = 0;
		}
	}
	iput(p->cwd);
	p->cwd = 0;

	acquire(&wait_lock);
	reparent(p);
	wakeup(p->parent);
	acquire(&p->lock);
	p->xstate = status;
	p->state = ZOMBIE;
	release(&wait_lock);
	sched();
	panic("proc_exit: zombie ran");
}

int
proc_wait(uint64 status_va)
{
	struct proc *p = myproc();
	acquire(&wait_lock);
	for (;;) {
		int have_kids = 0;
		for (struct proc *pp = procs; pp < &procs[NPROC]; pp++) {
			if (pp->parent != p)
				continue;
			acquire(&pp->lock);
			have_kids = 1;
			if (pp->state == ZOMBIE) {
				int pid = pp->pid;
				if (status_va != 0 && copyout(p->pagetable, status_va, &pp->xstate,
				                              sizeof(int)) < 0) {
					release(&pp->lock);
					release(&wait_lock);
					return -1;
				}
				free_proc(pp);
				release(&pp->lock);
				release(&wait_lock);
				return pid;
			}
			release(&pp->lock);
		}
		if (!have_kids || proc_killed(p)) {
			release(&wait_lock);
			return -1;
		}
		sleep(p, &wait_lock);
	}
}

/* Each hart ends here after boot: pick a runnable process and run it.
 * The table is peeked without locks and rechecked under p->lock, so a
 * pass over idle slots costs a load each. */
void
scheduler(void)
{
	struct cpu *c = mycpu();
	c->proc = 0;
	__atomic_store_n(&c->up, 1, __ATOMIC_RELEASE);
	for (;;) {
		int ran = 0;
		intr_on(); /* let pending interrupts in between passes */
		intr_off();
		for (struct proc *p = procs; p < &procs[NPROC]; p++) {
			if (__atomic_load_n(&p->state, __ATOMIC_RELAXED) != RUNNABLE ||
			    (p->pinned && p->pinned != c->id + 1))
				continue;
			acquire(&p->lock);
			if (p->state == RUNNABLE) {
				p->state = RUNNING;
				c->proc = p;
				COUNT(ctx_switches, 1);
				/* Its satp values (and ASIDs) first: the switch
				 * and its traps load them. */
				trap_proc_enter(p);
				kpt_switch_to(p);
				swtch(&c->context, &p->context);
				kpt_switch_back();
				c->proc = 0;
				ran = 1;
			}
			release(&p->lock);
		}
		if (!ran) {
			/* Interrupts are off: wfi still wakes on a pending one,
			 * which intr_on() then takes. No wakeup is lost. */
			COUNT(idle_entries, 1);
			asm volatile("wfi");
		}
	}
}

/* Switch to the scheduler. p->lock must be held (only), state already
 * changed from RUNNING. */
void
sched(void)
{
	struct proc *p = myproc();
	struct cpu *c = mycpu();
	if (!holding(&p->lock))
		panic("sched: p->lock not held");
	if (c->noff != 1)
		panic("sched: other locks held");
	if (p->state == RUNNING)
		panic("sched: still running");
	if (intr_get())
		panic("sched: interrupts on");
	int intena = c->intena;
	swtch(&p->context, &c->context);
	mycpu()->intena = intena;
}

/* pin(hart): the calling process runs on hart only from now on (-1:
 * on any), moving there before it returns. -1 for a hart that is not
 * running (yet: the others start their schedulers a little after hart 0
 * runs init). Not inherited by fork. */
int
proc_pin(int hart)
{
	struct proc *p = myproc();
	if (hart < -1 || hart >= NCPU ||
	    (hart >= 0 && !__atomic_load_n(&cpus[hart].up, __ATOMIC_ACQUIRE)))
		return -1;
	p->pinned = hart + 1;
	if (hart >= 0 && hart != cpuid())
		yield(); /* this hart's scheduler passes it over now */
	return 0;
}

void
yield(void)
{
	struct proc *p = myproc();
	acquire(&p->lock);
	p->state = RUNNABLE;
	sched();
	release(&p->lock);
}

/* Atomically release lk and sleep on chan; lk is held again on return. */
void
sleep(void *chan, struct spinlock *lk)
{
	struct proc *p = myproc();
	acquire(&p->lock);
	/* Visible before lk is released: wakeup() peeks without p->lock. */
	p->chan = chan;
	p->state = SLEEPING;
	release(lk);
	sched();
	p->chan = 0;
	release(&p->lock);
	acquire(lk);
}

/* Wake every process sleeping on chan. Callers hold the lock the
 * sleepers passed to sleep(), so a sleeper's state and chan are visible
 * here and the unlocked peek cannot miss one. */
void
wakeup(void *chan)
{
	struct proc *me = myproc();
	for (struct proc *p = procs; p < &procs[NPROC]; p++) {
		if (p == me || __atomic_load_n(&p->state, __ATOMIC_RELAXED) != SLEEPING ||
		    __atomic_load_n(&p->chan, __ATOMIC_RELAXED) != chan)
			continue;
		acquire(&p->lock);
		if (p->state == SLEEPING && p->chan == chan)
			p->state = RUNNABLE;
		release(&p->lock);
	}
}

int
proc_kill(int pid)
{
	for (struct proc *p = procs; p < &procs[NPROC]; p++) {
		acquire(&p->lock);
		if (p->pid == pid && p->state != UNUSED) {
			if (p == initproc) {
				release(&p->lock);
				return -1;
			}
			if (p->state != ZOMBIE)
				p->killed = 1;
			if (p->state == SLEEPING)
				p->state = RUNNABLE;
			release(&p->lock);
			return 0;
		}
		release(&p->lock);
	}
	return -1;
}

/* Whether q is root or descends from it. wait_lock held. */
static int
proc_descends(struct proc *q, struct proc *root)
{
	for (; q; q = q->parent)
		if (q == root)
			return 1;
	return 0;
}

int
proc_kill_tree(int pid, int ppid)
{
	struct proc *root = 0;
	int n = 0;
	acquire(&wait_lock);
	for (struct proc *p = procs; p < &procs[NPROC]; p++)
		if (p->state != UNUSED && p->pid == pid && p != initproc && p->parent &&
		    p->parent->pid == ppid)
			root = p;
	for (struct proc *p = procs; root && p < &procs[NPROC]; p++) {
		if (p->state == UNUSED || p == initproc || !proc_descends(p, root))
			continue;
		acquire(&p->lock);
		p->killed = 1;
		if (p->state == SLEEPING)
			p->state = RUNNABLE;
		release(&p->lock);
		n++;
	}
	release(&wait_lock);
	return n;
}

void
proc_setkilled(struct proc *p)
{
	__atomic_store_n(&p->killed, 1, __ATOMIC_RELAXED);
}

void
proc_dump(void)
{
	static const char *names[] = {"unused", "used", "sleep", "runnable", "run", "zombie"};
	kprintf("\n");
	for (struct proc *p = procs; p < &procs[NPROC]; p++)
		if (p->state != UNUSED)
			kprintf("%d %s %s\n", p->pid, names[p->state], p->name);
}
