/* System call dispatch and argument fetching. */
#include "kernel/syscall.h"
#include "kernel/counters.h"
#include "kernel/klib.h"
#include "kernel/kpt/kpt.h"
#include "kernel/printf.h"
#include "kernel/proc.h"
#include "kernel/sysarg.h"

uint64 sys_fork(void), sys_exit(void), sys_wait(void), sys_pipe(void);
uint64 sys_read(void), sys_kill(void), sys_exec(void), sys_fstat(void);
uint64 sys_chdir(void), sys_dup(void), sys_getpid(void), sys_sbrk(void);
uint64 sys_sleep(void), sys_uptime(void), sys_open(void), sys_write(void);
uint64 sys_mknod(void), sys_unlink(void), sys_link(void), sys_mkdir(void);
uint64 sys_close(void), sys_kstats(void), sys_poweroff(void), sys_vmprint(void);
uint64 sys_kptcheck(void), sys_design(void), sys_ptdump(void), sys_fgset(void);
uint64 sys_uprobe(void);
uint64 sys_pin(void);
uint64 sys_thread_create(void), sys_thread_join(void), sys_thread_exit(void);
uint64 sys_shootctl(void);

uint64 (*const syscall_table[NSYSCALL])(void) = {
    [SYS_fork] = sys_fork,         [SYS_exit] = sys_exit,         [SYS_wait] = sys_wait,
    [SYS_pipe] = sys_pipe,         [SYS_read] = sys_read,         [SYS_kill] = sys_kill,
    [SYS_exec] = sys_exec,         [SYS_fstat] = sys_fstat,       [SYS_chdir] = sys_chdir,
    [SYS_dup] = sys_dup,           [SYS_getpid] = sys_getpid,     [SYS_sbrk] = sys_sbrk,
    [SYS_sleep] = sys_sleep,       [SYS_uptime] = sys_uptime,     [SYS_open] = sys_open,
    [SYS_write] = sys_write,       [SYS_mknod] = sys_mknod,       [SYS_unlink] = sys_unlink,
    [SYS_link] = sys_link,         [SYS_mkdir] = sys_mkdir,       [SYS_close] = sys_close,
    [SYS_kstats] = sys_kstats,     [SYS_poweroff] = sys_poweroff, [SYS_vmprint] = sys_vmprint,
    [SYS_kptcheck] = sys_kptcheck, [SYS_design] = sys_design,     [SYS_ptdump] = sys_ptdump,
    [SYS_fgset] = sys_fgset,       [SYS_uprobe] = sys_uprobe,
    [SYS_pin] = sys_pin,
    [SYS_thread_create] = sys_thread_create,
    [SYS_thread_join] = sys_thread_join,
    [SYS_thread_exit] = sys_thread_exit,
    [SYS_shootctl] = sys_shootctl,
};

void
syscall_unknown(struct proc *p)
{
	kprintf("pid %d (%s): unknown system call %ld\n", p->pid, p->name,
	        p->trapframe->x[REG_A7]);
	p->trapframe->x[REG_A0] = -1;
}

int
argstr(int n, char *buf, int max)
{
	if (copyinstr(myproc(), buf, argaddr(n), max) < 0)
		return -1;
	return strlen(buf);
}
