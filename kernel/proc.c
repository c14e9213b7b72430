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
#include "kernel/ipi.h"
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
/* One address space per process, never more processes than slots. */
static struct vmspace vmspaces[NPROC];
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
		spin_init(&vmspaces[i].lock, "vmspace");
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
	return uvm_create((uint64)p->trapframe, p->tfva);
}

void
proc_freepagetable(pagetable_t pt, uint64 sz, uint64 tfva)
{
	uvm_free(pt, sz, tfva);
}

/* An unused address space, its refs set to 1, or 0 (none free). The
 * search starts at the one of the same index as process slot i, which
 * is free unless an exec from a thread left a process in another slot
 * than its address space's. Peeks, then checks under the lock. */
static struct vmspace *
vmspace_alloc(int i)
{
	for (int n = 0; n < NPROC; n++, i = (i + 1) % NPROC) {
		struct vmspace *vm = &vmspaces[i];
		if (__atomic_load_n(&vm->refs, __ATOMIC_RELAXED) != 0)
			continue;
		acquire(&vm->lock);
		if (vm->refs == 0) {
			vm->refs = 1;
			vm->tslots = 1; /* slot 0: the first thread's */
			release(&vm->lock);
			return vm;
		}
		release(&vm->lock);
	}
	return 0;
}

/* Free p's address space, of which p is the last thread: its user table
 * and memory, and the design's part (kernel table and p's kernel
 * stack). p->lock held. */
static void
vmspace_free(struct proc *p)
{
	struct vmspace *vm = p->vm;
	/* The design's part first: it may have linked the kernel map into
	 * the user table (unified), which must be undone before freeing. */
	if (p->kstack)
		kpt_free(p);
	if (vm->pagetable)
		proc_freepagetable(vm->pagetable, vm->sz, p->tfva);
	vm->pagetable = 0;
	aspace_reset(&vm->uas);
	aspace_reset(&vm->kas);
	vm->kpagetable = 0;
	vm->sz = 0;
	vm->guardva = 0;
	vm->resizing = 0;
	vm->tslots = 0;
	__atomic_store_n(&vm->refs, 0, __ATOMIC_RELEASE); /* free for vmspace_alloc */
}

/* p leaves its address space, which other threads still use: its trap
 * frame's mapping and its kernel stack go (fenced where other harts may
 * cache them, before a new thread can reuse the slot). p->lock held. */
static void
vmspace_leave(struct proc *p)
{
	struct vmspace *vm = p->vm;
	if (p->kstack)
		kpt_thread_free(p);
	uvm_unmap_trapframe(vm->pagetable, p->tfva);
	aspace_changed(vm->pagetable, &vm->uas, p->tfva, 1);
	acquire(&vm->lock);
	vm->tslots &= ~(UL(1) << p->tslot);
	vm->refs--;
	release(&vm->lock);
}

/* Release everything p holds except its slot's lock; p->lock held. */
static void
free_proc(struct proc *p)
{
	if (p->vm) {
		if (p->vm->refs > 1)
			vmspace_leave(p);
		else
			vmspace_free(p);
	}
	if (p->trapframe)
		kfree(p->trapframe);
	p->trapframe = 0;
	p->vm = 0;
	p->kstack = 0;
	p->tslot = 0;
	p->tfva = 0;
	p->tf_uid = p->tf_kid = 0;
	p->pid = p->tid = 0;
	p->parent = 0;
	p->leader = 0;
	p->name[0] = 0;
	p->chan = 0;
	p->killed = 0;
	p->pinned = 0;
	p->xstate = 0;
	p->gstate = 0;
	p->gexec = 0;
	p->state = UNUSED;
}

/* An unused process slot in state USED with a fresh id and a trap frame,
 * returned with p->lock held; or 0 when the table is full or memory
 * runs out. */
static struct proc *
alloc_slot(void)
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
	p->pid = p->tid = alloc_pid();
	p->leader = p;
	p->state = USED;
	if ((p->trapframe = kalloc()) == 0) {
		free_proc(p);
		release(&p->lock);
		return 0;
	}
	memset(&p->context, 0, sizeof(p->context));
	p->context.ra = (uint64)forkret;
	return p;
}

/* A fresh single-threaded process in state USED with trap frame, empty
 * user table and kernel stack, returned with p->lock held; or 0 when the
 * table is full or memory runs out. */
static struct proc *
alloc_proc(void)
{
	struct proc *p = alloc_slot();
	if (p == 0)
		return 0;
	p->tslot = 0;
	p->tfva = TRAPFRAME;
	if ((p->vm = vmspace_alloc(p->slot)) == 0 || (p->vm->pagetable = proc_pagetable(p)) == 0 ||
	    kpt_init(p) != 0) {
		free_proc(p);
		release(&p->lock);
		return 0;
	}
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
	if (p == initproc && p->vm->sz == 0) {
		char *argv[3] = {"init", init_cmd[0] ? init_cmd : 0, 0};
		if (exec("/init", argv) < 0)
			panic("forkret: cannot exec /init");
		p->trapframe->x[REG_A0] = init_cmd[0] ? 2 : 1;
	}
	usertrapret();
}

/* Grow user memory from oldsz by n > 0 bytes. 0, or -1 with nothing
 * changed. When shared, other threads may copy below oldsz meanwhile;
 * the new size is published under vm->lock once everything is mapped.
 * Inlined: the single-threaded path pays nothing for threads. */
static inline __attribute__((always_inline)) int
grow(struct proc *p, uint64 n, int shared)
{
	struct vmspace *vm = p->vm;
	uint64 oldsz = vm->sz, newsz;
	if (n > USERTOP - oldsz)
		return -1;
	newsz = uvm_alloc(vm->pagetable, oldsz, oldsz + n, VM_W);
	if (newsz == 0)
		return -1;
	if (kpt_user_changed(p, oldsz, newsz) != 0) {
		kpt_user_changed(p, newsz, oldsz);
		uvm_dealloc(vm->pagetable, newsz, oldsz);
		return -1;
	}
	if (shared)
		acquire(&vm->lock);
	vm->sz = newsz;
	if (shared)
		release(&vm->lock);
	return 0;
}

/* The harts other than this one that run a thread of vm now. Not
 * inlined: tools/mutate.py removes its bit-setting. */
static uint64 __attribute__((noinline))
harts_running(struct vmspace *vm, int me)
{
	uint64 harts = 0;
	for (int h = 0; h < NCPU; h++) {
		struct proc *q = __atomic_load_n(&cpus[h].proc, __ATOMIC_ACQUIRE);
		if (h != me && q && q->vm == vm)
			harts |= UL(1) << h;
	}
	return harts;
}

/* After a change that removed npages pages of vm's user memory from va:
 * make every other hart that may cache them fence them, and wait until
 * each has (a shootdown, kernel/ipi.h). Which harts, by the policy
 * (kernel/shoot.h): every hart up; those that loaded vm under its ASIDs
 * (without ASIDs: those that run it now, as a switch away flushes); or
 * lazily those that run it now, the others having been marked to fence
 * before they load it again (aspace_user_shrunk, before the peek). */
static void
vmspace_shootdown(struct vmspace *vm, uint64 va, uint64 npages)
{
	struct shoot s = {.va = va, .npages = npages};
	uint64 harts;
	__sync_synchronize(); /* the cleared PTEs and stale marks before the peek */
	push_off();
	int me = cpuid();
	switch (shoot_knob[SHOOT_TARGET]) {
	case SHOOT_ALL:
		harts = ipi_harts_up() & ~(UL(1) << me);
		break;
	case SHOOT_MASK:
		if (aspace_satp_flushes())
			harts = harts_running(vm, me);
		else
			harts = (aspace_harts(&vm->uas) | aspace_harts(&vm->kas)) & ~(UL(1) << me);
		break;
	default:
		harts = harts_running(vm, me);
		break;
	}
	pop_off();
	if (aspace_asid(&vm->uas, &s.asid[s.nasid]))
		s.nasid++;
	if (KPT_USER_MIRROR && aspace_asid(&vm->kas, &s.asid[s.nasid]))
		s.nasid++;
	ipi_shootdown(harts, &s);
}

/* Shrink user memory by n > 0 bytes, not below proc_brk_floor. 0, or -1
 * with nothing changed. Shared: the pages are unmapped under vm->lock
 * (no copy runs through them after), and freed only once no other hart
 * may still reach them through its TLB (a shootdown). */
static inline __attribute__((always_inline)) int
shrink(struct proc *p, uint64 n, int shared)
{
	struct vmspace *vm = p->vm;
	uint64 oldsz = vm->sz, floor = proc_brk_floor(p), newsz;
	if (oldsz < floor || n > oldsz - floor)
		return -1;
	newsz = oldsz - n;
	if (shared)
		acquire(&vm->lock);
	/* Mirror first: no kernel mapping may outlive its page. */
	kpt_user_changed(p, oldsz, newsz);
	if (shared)
		uvm_dealloc_keep(vm->pagetable, oldsz, newsz);
	else
		uvm_dealloc(vm->pagetable, oldsz, newsz);
	vm->sz = newsz;
	if (shared)
		release(&vm->lock);
	uint64 npages = (PGROUNDUP(oldsz) - PGROUNDUP(newsz)) / PGSIZE;
	aspace_user_shrunk(vm->pagetable, &vm->uas, PGROUNDUP(newsz), npages);
	/* Alone in vm, and lazy: no other hart runs it, the others that ran
	 * it are marked. The other policies interrupt them even so. */
	if (shared || shoot_knob[SHOOT_TARGET] != SHOOT_LAZY)
		vmspace_shootdown(vm, PGROUNDUP(newsz), npages);
	if (shared)
		uvm_free_kept(vm->pagetable, newsz, oldsz);
	return 0;
}

/* Begin a change of vm's user memory that other threads must not make
 * at the same time (grow, shrink, fork's copy); waits its turn. */
static void
resize_begin(struct vmspace *vm)
{
	acquire(&vm->lock);
	while (vm->resizing) {
		release(&vm->lock);
		yield();
		acquire(&vm->lock);
	}
	vm->resizing = 1;
	release(&vm->lock);
}

static void
resize_end(struct vmspace *vm)
{
	acquire(&vm->lock);
	vm->resizing = 0;
	release(&vm->lock);
}

/* proc_grow with other threads in the address space: one grow or
 * shrink at a time. */
static int __attribute__((noinline))
grow_shared(struct proc *p, int64 n, uint64 *old)
{
	int r = 0;
	resize_begin(p->vm);
	*old = p->vm->sz;
	if (n > 0)
		r = grow(p, n, 1);
	else if (n < 0)
		r = shrink(p, (uint64)-n, 1);
	resize_end(p->vm);
	return r;
}

int
proc_grow(int64 n, uint64 *old)
{
	struct proc *p = myproc();
	if (proc_shared(p))
		return grow_shared(p, n, old);
	*old = p->vm->sz;
	if (n > 0)
		return grow(p, n, 0);
	if (n < 0)
		return shrink(p, (uint64)-n, 0);
	return 0;
}

/* Copy p's user memory into np's fresh table; 0 or -1. */
static int
fork_copy(struct proc *p, struct proc *np)
{
	int shared = proc_shared(p), r = -1;
	if (shared)
		resize_begin(p->vm);
	if (uvm_copy(p->vm->pagetable, np->vm->pagetable, p->vm->sz) == 0) {
		np->vm->sz = p->vm->sz;
		np->vm->guardva = p->vm->guardva;
		r = kpt_user_changed(np, 0, np->vm->sz);
	}
	if (shared)
		resize_end(p->vm);
	return r;
}

/* np gets references to the descriptors and cwd of p's process; other
 * threads of it may change them meanwhile (sysfile.c's locking). */
static void
fork_files(struct proc *p, struct proc *np)
{
	struct proc *lp = p->leader;
	int locked = vmspace_lock_copy(p);
	for (int i = 0; i < NOFILE; i++)
		if (lp->ofile[i])
			np->ofile[i] = file_dup(lp->ofile[i]);
	vmspace_unlock_copy(p, locked);
	if (proc_shared(p)) {
		struct inode *cwd = idup_cwd(&lp->cwd);
		np->cwd = cwd;
	} else {
		np->cwd = idup(lp->cwd);
	}
}

int
proc_fork(void)
{
	struct proc *p = myproc(), *np = alloc_proc();
	struct proc *lp = p->leader;
	if (np == 0)
		return -1;
	if (fork_copy(p, np) != 0) {
		free_proc(np);
		release(&np->lock);
		return -1;
	}
	*np->trapframe = *p->trapframe;
	np->trapframe->x[REG_A0] = 0; /* fork returns 0 in the child */
	fork_files(p, np);
	safestrcpy(np->name, p->name, sizeof(np->name));
	int pid = np->pid;
	release(&np->lock);

	acquire(&wait_lock);
	np->parent = lp; /* the process's child, whichever thread forked */
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

/* Mark every thread of lp's process but me killed, waking sleepers.
 * wait_lock held. */
static void
kill_others(struct proc *lp, struct proc *me)
{
	for (struct proc *q = procs; q < &procs[NPROC]; q++) {
		if (q == me || q->leader != lp || q->state == UNUSED)
			continue;
		acquire(&q->lock);
		if (q->leader == lp && q->state != UNUSED && q->state != ZOMBIE) {
			q->killed = 1;
			if (q->state == SLEEPING)
				q->state = RUNNABLE;
		}
		release(&q->lock);
	}
}

/* Wait until every thread of lp's process but me has ended, and free
 * them; lp itself, when it is not me, is left a zombie (exec from a
 * thread takes its place). wait_lock held (released while asleep). */
static void
reap_others(struct proc *lp, struct proc *me)
{
	for (;;) {
		int alive = 0;
		for (struct proc *q = procs; q < &procs[NPROC]; q++) {
			if (q == me || q->leader != lp)
				continue;
			acquire(&q->lock);
			if (q->leader == lp && q->state == ZOMBIE && q != lp)
				free_proc(q);
			else if (q->leader == lp && q->state != UNUSED && q->state != ZOMBIE)
				alive++;
			release(&q->lock);
		}
		if (alive == 0)
			return;
		sleep(lp, &wait_lock);
	}
}

/* p becomes a zombie with status, for whoever waits for it, and gives
 * up its hart for good. wait_lock held (released here). */
static void __attribute__((noreturn))
become_zombie(struct proc *p, int status)
{
	acquire(&p->lock);
	p->xstate = status;
	p->state = ZOMBIE;
	release(&wait_lock);
	sched();
	panic("become_zombie: zombie ran");
}

/* End thread p that is not its process's last: a zombie for
 * thread_join (or for the leader to free). wait_lock held; does not
 * return. */
static void __attribute__((noreturn))
thread_die(struct proc *p, int status)
{
	wakeup(p->leader); /* joiners, and a leader or exec waiting for threads */
	become_zombie(p, status);
}

/* The leader's end of the process, once it is the only thread left. */
static void __attribute__((noreturn))
process_exit(struct proc *p, int status)
{
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
	become_zombie(p, status);
}

/* exit(status) from any thread ends the process: every other thread is
 * killed; the first exit's status is the process's. During an exec from
 * another thread, the caller ends as a thread (the exec goes on). */
void
proc_exit(int status)
{
	struct proc *p = myproc(), *lp = p->leader;
	if (p == initproc)
		panic("proc_exit: init exiting");
	if (!proc_shared(p))
		process_exit(p, status); /* the only thread: nobody else to end */
	acquire(&wait_lock);
	if (lp->gstate == GROUP_EXEC && lp->gexec != p)
		thread_die(p, status);
	if (lp->gstate == 0) {
		lp->gstate = GROUP_EXIT;
		lp->xstate = status;
		kill_others(lp, p);
	}
	if (p != lp)
		thread_die(p, status);
	reap_others(lp, p);
	status = lp->xstate;
	release(&wait_lock);
	process_exit(p, status);
}

void
proc_thread_exit(int status)
{
	struct proc *p = myproc();
	if (p == p->leader)
		proc_exit(status);
	acquire(&wait_lock);
	thread_die(p, status);
}

/* Make me its process's parent's child in place of lp (exec from a
 * thread), before lp can become a zombie the parent would reap; lp's
 * children become mine. wait_lock held. */
static void
take_family(struct proc *me, struct proc *lp)
{
	me->parent = lp->parent;
	lp->parent = 0;
	for (struct proc *pp = procs; pp < &procs[NPROC]; pp++)
		if (pp->parent == lp)
			pp->parent = me;
}

/* The rest of lp's role goes to me once every other thread is gone:
 * descriptors, cwd, the leader's tid. wait_lock held. */
static void
take_lead(struct proc *me, struct proc *lp)
{
	for (int fd = 0; fd < NOFILE; fd++) {
		me->ofile[fd] = lp->ofile[fd];
		lp->ofile[fd] = 0;
	}
	me->cwd = lp->cwd;
	lp->cwd = 0;
	me->tid = me->pid;
	me->gstate = 0;
	me->gexec = 0;
	me->leader = me;
}

int
proc_single(void)
{
	struct proc *p = myproc(), *lp = p->leader;
	if (!proc_shared(p))
		return 0;
	acquire(&wait_lock);
	if (lp->gstate != 0 || proc_killed(p)) {
		release(&wait_lock);
		return -1; /* another thread exits or execs: so does this one */
	}
	lp->gstate = GROUP_EXEC;
	lp->gexec = p;
	if (p != lp)
		take_family(p, lp);
	kill_others(lp, p);
	reap_others(lp, p);
	if (p != lp) {
		/* lp has ended as a thread (a zombie): take its place, free it. */
		acquire(&lp->lock);
		take_lead(p, lp);
		free_proc(lp);
		release(&lp->lock);
	} else {
		lp->gstate = 0;
		lp->gexec = 0;
	}
	release(&wait_lock);
	return 0;
}

/* A free thread slot of vm taken, with vm's refs counted up for the
 * new thread; -1 when all NTHREAD are in use. */
static int
tslot_take(struct vmspace *vm)
{
	int slot = -1;
	acquire(&vm->lock);
	for (int i = 0; i < NTHREAD && slot < 0; i++)
		if (!(vm->tslots >> i & 1))
			slot = i;
	if (slot >= 0) {
		vm->tslots |= UL(1) << slot;
		vm->refs++;
	}
	release(&vm->lock);
	return slot;
}

/* Whether stacktop can be a new thread's initial sp: 16-byte aligned
 * (RISC-V ABI) with the 16 bytes below it user memory. */
static int
thread_stack_ok(struct proc *p, uint64 stacktop)
{
	return stacktop % 16 == 0 && stacktop >= 16 && proc_range_ok(p, stacktop - 16, 16);
}

/* Give t (a fresh slot, locked) slot tslot of p's address space: its
 * trap frame mapped and its kernel stack. 0 or -1. */
static int
thread_attach(struct proc *t, struct proc *p, int tslot)
{
	struct vmspace *vm = p->vm;
	t->pid = p->pid;
	t->leader = p->leader;
	t->vm = vm;
	t->tslot = tslot;
	t->tfva = TRAPFRAME - (uint64)tslot * PGSIZE;
	acquire(&vm->lock);
	int r = uvm_map_trapframe(vm->pagetable, t->tfva, (uint64)t->trapframe);
	release(&vm->lock);
	if (r != 0 || kpt_thread_init(t) != 0)
		return -1;
	t->context.sp = t->kstack + KSTACK_PAGES * PGSIZE;
	return 0;
}

/* Make t, a new thread of p's process, runnable; or, when the process's
 * threads are ending (an exit or exec in another thread, or p killed),
 * free it and return -1. Under wait_lock, so that kill_others either
 * sees t or is seen here. */
static int
thread_start(struct proc *t, struct proc *p)
{
	int r = 0;
	acquire(&wait_lock);
	acquire(&t->lock);
	if (p->leader->gstate != 0 || proc_killed(p)) {
		free_proc(t);
		r = -1;
	} else {
		t->state = RUNNABLE;
	}
	release(&t->lock);
	release(&wait_lock);
	return r;
}

int
proc_thread_create(uint64 fn, uint64 arg, uint64 stacktop)
{
	struct proc *p = myproc(), *t;
	if (!proc_range_ok(p, fn, 4) || !thread_stack_ok(p, stacktop))
		return -1;
	int tslot = tslot_take(p->vm);
	if (tslot < 0)
		return -1;
	if ((t = alloc_slot()) == 0) {
		acquire(&p->vm->lock);
		p->vm->tslots &= ~(UL(1) << tslot);
		p->vm->refs--;
		release(&p->vm->lock);
		return -1;
	}
	if (thread_attach(t, p, tslot) != 0) {
		free_proc(t); /* gives the slot back (vmspace_leave) */
		release(&t->lock);
		return -1;
	}
	*t->trapframe = *p->trapframe;
	t->trapframe->epc = fn;
	t->trapframe->x[REG_SP] = stacktop;
	t->trapframe->x[REG_A0] = arg;
	t->trapframe->x[REG_RA] = 0;
	safestrcpy(t->name, p->name, sizeof(t->name));
	int tid = t->tid;
	release(&t->lock);
	return thread_start(t, p) == 0 ? tid : -1;
}

int
proc_thread_join(int tid, uint64 status_va)
{
	struct proc *p = myproc(), *lp = p->leader;
	if (tid == p->tid || tid == lp->tid)
		return -1;
	acquire(&wait_lock);
	for (;;) {
		struct proc *q = 0;
		for (struct proc *t = procs; t < &procs[NPROC]; t++)
			if (t->tid == tid && t->leader == lp && t->state != UNUSED)
				q = t;
		if (q == 0 || proc_killed(p)) {
			release(&wait_lock);
			return -1;
		}
		acquire(&q->lock);
		if (q->state == ZOMBIE) {
			int r = tid;
			if (status_va != 0 &&
			    copyout(p->vm->pagetable, status_va, &q->xstate, sizeof(int)) < 0)
				r = -1;
			else
				free_proc(q);
			release(&q->lock);
			release(&wait_lock);
			return r;
		}
		release(&q->lock);
		sleep(lp, &wait_lock);
	}
}

int
proc_wait(uint64 status_va)
{
	struct proc *p = myproc(), *lp = p->leader; /* the process's children */
	acquire(&wait_lock);
	for (;;) {
		int have_kids = 0;
		for (struct proc *pp = procs; pp < &procs[NPROC]; pp++) {
			if (pp->parent != lp)
				continue;
			acquire(&pp->lock);
			have_kids = 1;
			if (pp->state == ZOMBIE) {
				int pid = pp->pid;
				if (status_va != 0 && copyout(p->vm->pagetable, status_va, &pp->xstate,
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
		sleep(lp, &wait_lock);
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
		/* Idle from before the pass: a wakeup of a process pinned here
		 * that this pass misses sees it and interrupts the wfi. */
		__atomic_store_n(&c->idle, 1, __ATOMIC_SEQ_CST);
		for (struct proc *p = procs; p < &procs[NPROC]; p++) {
			if (__atomic_load_n(&p->state, __ATOMIC_RELAXED) != RUNNABLE ||
			    (p->pinned && p->pinned != c->id + 1))
				continue;
			acquire(&p->lock);
			if (p->state == RUNNABLE) {
				__atomic_store_n(&c->idle, 0, __ATOMIC_RELAXED);
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
proc_tick(void)
{
	struct proc *me = myproc();
	int hart = cpuid();
	for (struct proc *p = procs; p < &procs[NPROC]; p++) {
		if (p != me && __atomic_load_n(&p->state, __ATOMIC_RELAXED) == RUNNABLE &&
		    (!p->pinned || p->pinned == hart + 1)) {
			yield();
			return;
		}
	}
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
		if (p->state == SLEEPING && p->chan == chan) {
			p->state = RUNNABLE;
			/* Pinned to another hart that may be in wfi: wake it
			 * (an IPI with no request), as a real kernel's wakeup
			 * interrupts an idle CPU. Unpinned, any hart's next
			 * pass or this hart's takes it. */
			int h = p->pinned - 1;
			__sync_synchronize(); /* RUNNABLE before the idle peek */
			if (h >= 0 && h != cpuid() && __atomic_load_n(&cpus[h].idle, __ATOMIC_SEQ_CST))
				ipi_wake(h);
		}
		release(&p->lock);
	}
}

int
proc_kill(int pid)
{
	int found = 0;
	for (struct proc *p = procs; p < &procs[NPROC]; p++) {
		acquire(&p->lock);
		if (p->pid == pid && p->state != UNUSED) {
			if (p->leader == initproc) {
				release(&p->lock);
				return -1;
			}
			/* Every thread of the process; a zombie keeps its status. */
			if (p->state != ZOMBIE)
				p->killed = 1;
			if (p->state == SLEEPING)
				p->state = RUNNABLE;
			found = 1;
		}
		release(&p->lock);
	}
	return found ? 0 : -1;
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
		if (p->state != UNUSED && p->pid == pid && p == p->leader && p != initproc && p->parent &&
		    p->parent->pid == ppid)
			root = p;
	for (struct proc *p = procs; root && p < &procs[NPROC]; p++) {
		if (p->state == UNUSED || p->leader == initproc || !proc_descends(p->leader, root))
			continue;
		acquire(&p->lock);
		p->killed = 1;
		if (p->state == SLEEPING)
			p->state = RUNNABLE;
		release(&p->lock);
		n += p == p->leader; /* processes, not threads */
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

int
vmspace_copy_locked(struct proc *p, vmspace_copy_fn fn, char *dst, uint64 srcva, uint64 n)
{
	acquire(&p->vm->lock);
	int r = fn(p, dst, srcva, n);
	release(&p->vm->lock);
	return r;
}
