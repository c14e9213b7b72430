/*
 * The console device (major CONSOLE) on the UART, and the null device
 * (major DEVNULL).
 *
 * Console input is line-edited here: console_intr() gets each received
 * byte from the UART interrupt, echoes it and keeps it in a ring:
 *
 *   buf:  ...| handed out | ready for read() | line being typed |...
 *                         ^rd                ^ready             ^edit
 *
 * A line becomes readable (ready moves up to edit) at a newline, at ^D,
 * or when the ring is full. Backspace/DEL erases the last typed byte, ^U
 * the whole line being typed, ^P lists the processes. The counters wrap
 * at 2^32; CONS_BUF divides that, so the ring index is count % CONS_BUF.
 *
 * ^C drops the line being typed and kills the foreground job: the
 * processes an interactive shell marked with fgset() while it waits for
 * them (each with everything it forked), never the shell itself nor init
 * (proc_kill_tree kills only the shell's own children and their
 * descendants). With no foreground job it ends an empty line, so the shell
 * prompts again.
 *
 * Locking: cons.lock (spinlock) guards the input ring and the foreground
 * set; readers sleep on &cons.rd. out_lock keeps one write()'s chunk
 * together on the UART.
 */
#include "kernel/console.h"
#include "kernel/fcntl.h"
#include "kernel/file.h"
#include "kernel/klib.h"
#include "kernel/kpt/kpt.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sysarg.h"
#include "kernel/uart.h"
#include "kernel/vm.h"

#define CONS_BUF 128   /* input ring bytes */
#define CONS_NFG 16    /* foreground processes at once (a pipeline's stages) */
#define CONS_CHUNK 128 /* bytes copied in per output pass */
#define CTRL(c) ((c) - '@')
#define DEL 0x7f

_Static_assert((CONS_BUF & (CONS_BUF - 1)) == 0, "CONS_BUF divides 2^32");

static struct {
	struct spinlock lock;
	char buf[CONS_BUF];
	uint rd;    /* next byte read() takes */
	uint ready; /* bytes before it are complete lines */
	uint edit;  /* end of the line being typed */
	int fg[CONS_NFG]; /* the foreground job's processes (pids) */
	int nfg;
	int fg_owner; /* pid of the shell that set them */
} cons;

static struct spinlock out_lock;

/* Where the null device's writes land. Harts may overwrite each other's
 * bytes here: nobody reads them, but the copy in must really happen (the
 * null-write benchmark measures copyin). */
static char null_sink[PGSIZE] __attribute__((aligned(64)));

/* Send c to the UART, a newline as CR LF. */
static void
cons_putc(int c)
{
	if (c == '\n')
		uart_putc('\r');
	uart_putc(c);
}

/* Take back the last echoed character on the terminal. */
static void
cons_erase(void)
{
	uart_putc('\b');
	uart_putc(' ');
	uart_putc('\b');
}

/* read(): wait for a ready line, then copy up to n bytes of it (through
 * the newline at most) to user dst. ^D ends the read before it; alone, it
 * is consumed and the read returns 0 (end of input). Bytes read, or -1
 * on a bad address or when killed while waiting. */
static int
console_read(uint64 dst, int n)
{
	char line[CONS_BUF];
	int m = 0;

	acquire(&cons.lock);
	while (cons.rd == cons.ready) {
		if (proc_killed(myproc())) {
			release(&cons.lock);
			return -1;
		}
		sleep(&cons.rd, &cons.lock);
	}
	/* Take the bytes only once they reached the user: a read into a bad
	 * buffer fails without losing the typed line. copyout never sleeps,
	 * so it may run under the lock. */
	uint rd = cons.rd;
	while (m < n && rd != cons.ready) {
		char c = cons.buf[rd % CONS_BUF];
		if (c == CTRL('D')) {
			if (m == 0)
				rd++;
			break;
		}
		rd++;
		line[m++] = c;
		if (c == '\n')
			break;
	}
	if (m > 0 && copyout(myproc()->vm->pagetable, dst, line, m) < 0) {
		release(&cons.lock);
		return -1;
	}
	cons.rd = rd;
	release(&cons.lock);
	return m;
}

/* write(): copy user bytes in a chunk at a time and send them out. n,
 * or -1 on a bad address. */
static int
console_write(uint64 src, int n)
{
	char chunk[CONS_CHUNK];

	for (int done = 0; done < n;) {
		int m = n - done < CONS_CHUNK ? n - done : CONS_CHUNK;
		if (copyin(myproc(), chunk, src + done, m) < 0)
			return -1;
		acquire(&out_lock);
		for (int i = 0; i < m; i++)
			cons_putc(chunk[i]);
		release(&out_lock);
		done += m;
	}
	return n;
}

/* The null device reads as empty. */
static int
null_read(uint64 dst, int n)
{
	return 0;
}

/* The null device copies the bytes in, up to a page per copyin, and
 * discards them. n, or -1 on a bad address. */
static int
null_write(uint64 src, int n)
{
	for (int done = 0; done < n;) {
		int m = n - done < PGSIZE ? n - done : PGSIZE;
		if (copyin(myproc(), null_sink, src + done, m) < 0)
			return -1;
		done += m;
	}
	return n;
}

static const struct devsw console_dev = {console_read, console_write};
static const struct devsw null_dev = {null_read, null_write};

void
console_init(void)
{
	spin_init(&cons.lock, "cons");
	spin_init(&out_lock, "cons_out");
	file_register_device(CONSOLE, &console_dev);
	file_register_device(DEVNULL, &null_dev);
}

/* Apply one typed byte c (not ^P) to the line being edited. Holds
 * cons.lock. */
static void
cons_edit(int c)
{
	switch (c) {
	case CTRL('U'):
		/* Everything past ready is the line being typed. */
		for (; cons.edit != cons.ready; cons.edit--)
			cons_erase();
		break;
	case '\b':
	case DEL:
		if (cons.edit != cons.ready) {
			cons.edit--;
			cons_erase();
		}
		break;
	default:
		if (c == 0 || cons.edit - cons.rd == CONS_BUF)
			break; /* full: drop it */
		if (c == '\r')
			c = '\n';
		if (c != CTRL('D'))
			cons_putc(c);
		cons.buf[cons.edit++ % CONS_BUF] = c;
		if (c == '\n' || c == CTRL('D') || cons.edit - cons.rd == CONS_BUF) {
			cons.ready = cons.edit;
			wakeup(&cons.rd);
		}
	}
}

/* fgset(pid): pid > 0 adds pid to the foreground job (a job set by
 * another process is replaced); 0 empties it. The caller owns the job:
 * ^C kills only the caller's children among its pids. A child of the
 * owner may add itself (fgset(its own pid)) without taking the job over,
 * as a shell's child does before its parent may have run. 0, or -1 when
 * the set is full or pid is negative. */
uint64
sys_fgset(void)
{
	struct proc *p = myproc();
	struct proc *parent = __atomic_load_n(&p->leader->parent, __ATOMIC_RELAXED);
	int pid = argint(0), me = p->pid, r = 0;
	int ppid = parent ? parent->pid : 0;
	if (pid < 0)
		return -1;
	acquire(&cons.lock);
	if (pid == me && ppid == cons.fg_owner)
		me = ppid; /* a child joining its parent's job */
	if (pid == 0 || cons.fg_owner != me)
		cons.nfg = 0;
	cons.fg_owner = me;
	if (pid > 0 && cons.nfg == CONS_NFG)
		r = -1;
	else if (pid > 0)
		cons.fg[cons.nfg++] = pid;
	release(&cons.lock);
	return r;
}

/* ^C: drop the typed line, then kill the foreground job, or with none
 * end an empty line so that the shell prompts again. */
static void
cons_interrupt(void)
{
	int fg[CONS_NFG], n, owner;

	acquire(&cons.lock);
	cons.edit = cons.ready;
	uart_putc('^');
	uart_putc('C');
	cons_putc('\n');
	n = cons.nfg;
	owner = cons.fg_owner;
	memmove(fg, cons.fg, n * sizeof(int));
	if (n == 0 && cons.edit - cons.rd < CONS_BUF) {
		cons.buf[cons.edit++ % CONS_BUF] = '\n';
		cons.ready = cons.edit;
		wakeup(&cons.rd);
	}
	release(&cons.lock);
	for (int i = 0; i < n; i++)
		proc_kill_tree(fg[i], owner);
}

void
console_intr(int c)
{
	if (c == CTRL('P')) {
		proc_dump(); /* outside cons.lock: it prints at length */
		return;
	}
	if (c == CTRL('C')) {
		cons_interrupt();
		return;
	}
	acquire(&cons.lock);
	cons_edit(c);
	release(&cons.lock);
}
