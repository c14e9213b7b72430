/*
 * File system calls, with xv6-riscv's arguments and results. Each checks
 * its arguments (descriptor, pointer, length, flags, path) and returns -1
 * on any bad one; the work is done in file.c and fs.c.
 *
 * A process's descriptor table is its leader's (proc_ofile), shared by
 * its threads. A single-threaded process's table is its own: no lock,
 * and a descriptor's file is used without a reference of its own. With
 * other threads (proc_shared), the table changes under the address
 * space's lock, and a call takes a reference to the file it uses
 * (fd_get/fd_put), so that a close in another thread cannot free it
 * under the call.
 */
#include "kernel/fcntl.h"
#include "kernel/file.h"
#include "kernel/fs.h"
#include "kernel/param.h"
#include "kernel/proc.h"
#include "kernel/stat.h"
#include "kernel/sysarg.h"
#include "kernel/vm.h"

#define OPEN_MODE_MASK (O_WRONLY | O_RDWR)
#define OPEN_FLAGS (OPEN_MODE_MASK | O_CREATE | O_TRUNC)
#define MINOR_MAX 32767 /* minors are shorts */

/* p's open file for descriptor fd, or 0 if fd is not one; *held is 1
 * when the caller got a reference of its own (threads), for fd_put. */
static struct file *
fd_get(struct proc *p, int fd, int *held)
{
	struct file *f;
	*held = 0;
	if (fd < 0 || fd >= NOFILE)
		return 0;
	if (!proc_shared(p))
		return proc_ofile(p)[fd];
	acquire(&p->vm->lock);
	if ((f = proc_ofile(p)[fd]) != 0) {
		file_dup(f);
		*held = 1;
	}
	release(&p->vm->lock);
	return f;
}

/* The end of a call that used f from fd_get. */
static void
fd_put(struct file *f, int held)
{
	if (held)
		file_close(f);
}

/* The open file behind argument n (a descriptor), or 0 if it is not one;
 * the descriptor itself in *fdp when fdp is not 0; *held as fd_get. */
static struct file *
arg_file(int n, int *fdp, int *held)
{
	int fd = argint(n);

	if (fdp)
		*fdp = fd;
	return fd_get(myproc(), fd, held);
}

/* Set descriptor fd of p's table to f, or find the lowest free one and
 * give it f (fd < 0), taking over the caller's reference when f is not
 * 0. The descriptor, or -1 when none is free; fd's old file in *old. */
static int
fd_set(struct proc *p, int fd, struct file *f, struct file **old)
{
	struct file **ofile = proc_ofile(p);
	int locked = vmspace_lock_copy(p);
	if (fd < 0) {
		for (int i = 0; i < NOFILE && fd < 0; i++)
			if (!ofile[i])
				fd = i;
	}
	if (fd >= 0) {
		*old = ofile[fd];
		ofile[fd] = f;
	}
	vmspace_unlock_copy(p, locked);
	return fd;
}

/* Give f the lowest free descriptor of the current process (taking over
 * the caller's reference): the descriptor, or -1 when none is free. */
static int
fd_alloc(struct file *f)
{
	struct file *old;
	return fd_set(myproc(), -1, f, &old);
}

/* Whether [buf, buf+n) may be read(fd, buf, n)'s buffer (to_user) or
 * write(fd, buf, n)'s: n is not negative and [buf, buf+n) is all the
 * caller's memory (proc.h: proc_range_ok). A length past the end of
 * memory is refused even when fewer bytes would move: a pipe write could
 * otherwise fill the pipe and block. A read also needs every page of the
 * buffer writable (vm.h: copyout_check): files, pipes and devices copy
 * out in pieces or after a wait, and a refused read must write no byte
 * and not wait. A write needs no more: every byte the rule accepts is
 * readable. */
static int
rw_ok(struct proc *p, uint64 buf, int n, int to_user)
{
	if (n < 0 || !proc_range_ok(p, buf, n))
		return 0;
	return !to_user || copyout_check(p->vm->pagetable, buf, n);
}

/* The open file, buffer and count of read(fd, buf, n) and write(fd, buf,
 * n) in a single-threaded process; 0 when fd is not a descriptor or the
 * buffer is refused (rw_ok). */
static struct file *
rw_args(uint64 *buf, int *n, int to_user)
{
	struct proc *p = myproc();
	int fd = argint(0);
	struct file *f = fd < 0 || fd >= NOFILE ? 0 : proc_ofile(p)[fd];

	*buf = argaddr(1);
	*n = argint(2);
	if (!f || !rw_ok(p, *buf, *n, to_user))
		return 0;
	return f;
}

/* read (to_user) or write in a process with threads: as below, holding a
 * reference to the file for the length of the call. */
static uint64 __attribute__((noinline))
rw_shared(struct proc *p, int to_user)
{
	int held, n = argint(2), r = -1;
	uint64 buf = argaddr(1);
	struct file *f = fd_get(p, argint(0), &held);

	if (!f)
		return -1;
	if (rw_ok(p, buf, n, to_user))
		r = to_user ? file_read(f, buf, n) : file_write(f, buf, n);
	fd_put(f, held);
	return r;
}

/* read(fd, buf, n): bytes read, 0 at end of file. */
uint64
sys_read(void)
{
	uint64 buf;
	int n;
	struct proc *p = myproc();

	if (proc_shared(p))
		return rw_shared(p, 1);
	struct file *f = rw_args(&buf, &n, 1);
	if (!f)
		return -1;
	return file_read(f, buf, n);
}

/* write(fd, buf, n): bytes written. */
uint64
sys_write(void)
{
	uint64 buf;
	int n;
	struct proc *p = myproc();

	if (proc_shared(p))
		return rw_shared(p, 0);
	struct file *f = rw_args(&buf, &n, 0);
	if (!f)
		return -1;
	return file_write(f, buf, n);
}

/* close(fd). */
uint64
sys_close(void)
{
	int fd = argint(0);
	struct file *f = 0;

	if (fd < 0 || fd >= NOFILE)
		return -1;
	fd_set(myproc(), fd, 0, &f);
	if (!f)
		return -1;
	file_close(f);
	return 0;
}

/* dup(fd): a new descriptor for the same open file. */
uint64
sys_dup(void)
{
	int held, fd;
	struct file *f = arg_file(0, 0, &held);

	if (!f)
		return -1;
	file_dup(f);
	if ((fd = fd_alloc(f)) < 0)
		file_close(f);
	fd_put(f, held);
	return fd;
}

/* fstat(fd, struct stat *st). */
uint64
sys_fstat(void)
{
	int held, r = -1;
	struct file *f = arg_file(0, 0, &held);
	uint64 st = argaddr(1);

	if (!f)
		return -1;
	if (proc_range_ok(myproc(), st, sizeof(struct stat)))
		r = file_stat(f, st);
	fd_put(f, held);
	return r;
}

/* open(path, flags): the new descriptor. Unknown flag bits, or both
 * O_WRONLY and O_RDWR, are errors. */
uint64
sys_open(void)
{
	char path[MAXPATH];
	int flags = argint(1);
	struct inode *ip;
	struct file *f;
	int fd;

	if ((flags & ~OPEN_FLAGS) || (flags & OPEN_MODE_MASK) == OPEN_MODE_MASK ||
	    argstr(0, path, MAXPATH) < 0)
		return -1;
	if (flags & O_CREATE)
		ip = fs_create(path, T_FILE, 0, 0);
	else
		ip = namei(path);
	if (!ip || !(f = file_open(ip, flags)))
		return -1;
	if ((fd = fd_alloc(f)) < 0) {
		file_close(f);
		return -1;
	}
	return fd;
}

/* mknod(path, major, minor): a device node; major must be below NDEV. */
uint64
sys_mknod(void)
{
	char path[MAXPATH];
	int major = argint(1), minor = argint(2);
	struct inode *ip;

	if (major < 0 || major >= NDEV || minor < 0 || minor > MINOR_MAX ||
	    argstr(0, path, MAXPATH) < 0 || !(ip = fs_create(path, T_DEVICE, major, minor)))
		return -1;
	iput(ip);
	return 0;
}

/* unlink(path). */
uint64
sys_unlink(void)
{
	char path[MAXPATH];

	if (argstr(0, path, MAXPATH) < 0)
		return -1;
	return fs_unlink(path);
}

/* link(oldpath, newpath). */
uint64
sys_link(void)
{
	char oldpath[MAXPATH], newpath[MAXPATH];

	if (argstr(0, oldpath, MAXPATH) < 0 || argstr(1, newpath, MAXPATH) < 0)
		return -1;
	return fs_link(oldpath, newpath);
}

/* mkdir(path). */
uint64
sys_mkdir(void)
{
	char path[MAXPATH];
	struct inode *ip;

	if (argstr(0, path, MAXPATH) < 0 || !(ip = fs_create(path, T_DIR, 0, 0)))
		return -1;
	iput(ip);
	return 0;
}

/* chdir(path): path must be a directory. */
uint64
sys_chdir(void)
{
	char path[MAXPATH];
	struct proc *p = myproc();
	struct inode *ip;

	if (argstr(0, path, MAXPATH) < 0 || !(ip = namei(path)))
		return -1;
	if (itype(ip) != T_DIR) {
		iput(ip);
		return -1;
	}
	struct inode *old = fs_swap_cwd(&p->leader->cwd, ip);
	if (old)
		iput(old);
	return 0;
}

/* pipe(int fd[2]): fd[0] the read end, fd[1] the write end. */
uint64
sys_pipe(void)
{
	uint64 fdarray = argaddr(0);
	struct proc *p = myproc();
	struct file *rf, *wf;
	int fds[2];

	if (!proc_range_ok(p, fdarray, sizeof(fds)) || file_pipe(&rf, &wf) < 0)
		return -1;
	fds[0] = fd_alloc(rf);
	fds[1] = fds[0] < 0 ? -1 : fd_alloc(wf);
	if (fds[1] < 0 || copyout(p->vm->pagetable, fdarray, fds, sizeof(fds)) < 0) {
		struct file *old;
		if (fds[0] >= 0)
			fd_set(p, fds[0], 0, &old);
		if (fds[1] >= 0)
			fd_set(p, fds[1], 0, &old);
		file_close(rf);
		file_close(wf);
		return -1;
	}
	return 0;
}
