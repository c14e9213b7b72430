/* Process system calls and ptbench's own (kstats, poweroff, vmprint...). */
#include "config.h"
#include "kernel/counters.h"
#include "kernel/exec.h"
#include "kernel/ipi.h"
#include "kernel/kalloc.h"
#include "kernel/klib.h"
#include "kernel/kpt/kpt.h"
#include "kernel/memlayout.h"
#include "kernel/param.h"
#include "kernel/power.h"
#include "kernel/proc.h"
#include "kernel/sysarg.h"
#include "kernel/trap.h"
#include "kernel/vm.h"

uint64
sys_exit(void)
{
	proc_exit(argint(0));
}

uint64
sys_getpid(void)
{
	return myproc()->pid;
}

uint64
sys_fork(void)
{
	return proc_fork();
}

/* wait(int *status): a child's pid, its exit status stored unless
 * status is 0; -1 with no child or a bad status pointer. */
uint64
sys_wait(void)
{
	uint64 status = argaddr(0);

	if (status != 0 && !proc_range_ok(myproc(), status, sizeof(int)))
		return -1;
	return proc_wait(status);
}

/* sbrk(n): grow or shrink user memory; returns the old end, or -1 (past
 * USERTOP, out of memory, or below the top of the stack: proc_grow). */
uint64
sys_sbrk(void)
{
	uint64 old;
	if (proc_grow(argint(0), &old) < 0)
		return -1;
	return old;
}

uint64
sys_sleep(void)
{
	int n = argint(0);
	if (n < 0)
		n = 0;
	acquire(&tickslock);
	uint64 start = ticks;
	while (ticks - start < (uint64)n) {
		if (proc_killed(myproc())) {
			release(&tickslock);
			return -1;
		}
		sleep(&ticks, &tickslock);
	}
	release(&tickslock);
	return 0;
}

uint64
sys_uptime(void)
{
	acquire(&tickslock);
	uint64 t = ticks;
	release(&tickslock);
	return t;
}

uint64
sys_kill(void)
{
	return proc_kill(argint(0));
}

/* Free the argument pages of sys_exec. */
static void
free_args(char *pages[2])
{
	for (int i = 0; i < 2; i++)
		if (pages[i])
			kfree(pages[i]);
}

/* exec(path, argv): copy the path and up to MAXARG strings of at most
 * MAXARGLEN bytes (in two pages, 16 slots each), then exec(). */
uint64
sys_exec(void)
{
	char path[MAXPATH];
	char *argv[MAXARG + 1];
	char *pages[2] = {0, 0};
	struct proc *p = myproc();
	uint64 uargv = argaddr(1);
	int r = -1;

	if (argstr(0, path, MAXPATH) < 0)
		return -1;
	if ((pages[0] = kalloc()) == 0 || (pages[1] = kalloc()) == 0)
		goto out;
	for (int i = 0;; i++) {
		uint64 uarg;
		if (i > MAXARG || copyin(p, (char *)&uarg, uargv + i * sizeof(uint64), sizeof(uarg)) < 0)
			goto out;
		if (uarg == 0) {
			argv[i] = 0;
			break;
		}
		if (i == MAXARG)
			goto out;
		argv[i] = pages[i / 16] + (i % 16) * MAXARGLEN;
		if (copyinstr(p, argv[i], uarg, MAXARGLEN) < 0)
			goto out;
	}
	r = exec(path, argv);
out:
	free_args(pages);
	return r;
}

uint64
sys_kstats(void)
{
	struct kstats ks;
	struct proc *p = myproc();
	uint64 dst = argaddr(0);

	if (!proc_range_ok(p, dst, sizeof(ks)))
		return -1;
	counters_snapshot(&ks);
	return copyout(p->vm->pagetable, dst, &ks, sizeof(ks));
}

uint64
sys_poweroff(void)
{
	power_off(argint(0));
}

/* vmprint(which): 0 prints the caller's user table, 1 its kernel table. */
uint64
sys_vmprint(void)
{
	struct proc *p = myproc();
	int which = argint(0);
	if (which == 0)
		vmprint(p->vm->pagetable);
	else if (which == 1)
		kpt_print(p);
	else
		return -1;
	return 0;
}

uint64
sys_kptcheck(void)
{
	return kpt_check(myproc());
}

const char kpt_traits[] = KPT_TRAITS;

/* design(buf, n): copy the config's traits line (kpt.h, with its NUL)
 * if it fits in n; returns its length. */
uint64
sys_design(void)
{
	int n = argint(1);
	uint64 len = strlen(kpt_traits) + 1, dst = argaddr(0);
	struct proc *p = myproc();
	if (n < 0 || (uint64)n < len || !proc_range_ok(p, dst, len))
		return -1;
	if (copyout(p->vm->pagetable, dst, kpt_traits, len) < 0)
		return -1;
	return len - 1;
}

/* uprobe(va): whether kernel code outside the copy routines faults on a
 * read of user address va (1) or reads it (0); -1 for va outside user
 * memory's range. For usertests: with copyin=sum, SUM is clear outside
 * the copies, so such a read must fault. */
uint64
sys_pin(void)
{
	return proc_pin((int)argint(0));
}

/* thread_create(fn, arg, stacktop): proc_thread_create. */
uint64
sys_thread_create(void)
{
	return proc_thread_create(argaddr(0), argaddr(1), argaddr(2));
}

/* thread_join(tid, status): the tid, or -1 (also for a status pointer
 * outside the caller's memory, before anything is freed). */
uint64
sys_thread_join(void)
{
	uint64 status = argaddr(1);
	if (status != 0 && !proc_range_ok(myproc(), status, sizeof(int)))
		return -1;
	return proc_thread_join(argint(0), status);
}

uint64
sys_thread_exit(void)
{
	proc_thread_exit(argint(0));
}

/* shootctl(knob, value): the shootdown policy's knob (kernel/shoot.h)
 * read (value -1) or set; the old value, or -1. */
uint64
sys_shootctl(void)
{
	return shoot_ctl((int)argint(0), (int)argint(1));
}

uint64
sys_uprobe(void)
{
	uint64 va = argaddr(0);
	if (va >= USERTOP)
		return -1;
	return uprobe_read(va);
}
