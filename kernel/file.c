/*
 * Open files and the device switch.
 *
 * Locking: ftable.lock (spinlock) guards every file's ref and claiming a
 * slot (ref 0 means free). The other fields are set before the file is
 * handed out and never change, except an inode file's offset, which is
 * guarded by that inode's lock (taken around every read and write, so
 * concurrent users of one file see whole transfers).
 */
#include "kernel/file.h"
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/param.h"
#include "kernel/pipe.h"
#include "kernel/printf.h"
#include "kernel/proc.h"
#include "kernel/spinlock.h"
#include "kernel/stat.h"
#include "kernel/vm.h"

enum file_kind { FD_NONE, FD_PIPE, FD_INODE, FD_DEVICE };

struct file {
	enum file_kind kind;
	int ref; /* ftable.lock */
	char readable;
	char writable;
	struct pipe *pipe; /* FD_PIPE */
	struct inode *ip;  /* FD_INODE, FD_DEVICE */
	uint64 off;        /* FD_INODE: ip's lock */
	int major;         /* FD_DEVICE */
};

static struct {
	struct spinlock lock;
	struct file file[NFILE];
} ftable = {.lock = {.name = "ftable"}};

/* Registered once at boot, read-only afterwards. */
static const struct devsw *devsw[NDEV];

void
file_register_device(int major, const struct devsw *dev)
{
	if (major < 0 || major >= NDEV)
		panic("file_register_device: bad major %d", major);
	devsw[major] = dev;
}

/* The driver for major, or 0 when none is registered. */
static const struct devsw *
device(int major)
{
	if (major < 0 || major >= NDEV)
		return 0;
	return devsw[major];
}

/* An unused file with one reference and nothing attached, or 0 when the
 * table is full. */
static struct file *
file_alloc(void)
{
	acquire(&ftable.lock);
	for (struct file *f = ftable.file; f < ftable.file + NFILE; f++) {
		if (f->ref == 0) {
			f->ref = 1;
			f->kind = FD_NONE;
			f->pipe = 0;
			f->ip = 0;
			f->off = 0;
			release(&ftable.lock);
			return f;
		}
	}
	release(&ftable.lock);
	return 0;
}

struct file *
file_open(struct inode *ip, int flags)
{
	int type = itype(ip);
	int mode = flags & (O_WRONLY | O_RDWR);
	struct file *f = 0;

	if ((type == T_DIR && mode != O_RDONLY) || (type == T_DEVICE && !device(imajor(ip))) ||
	    !(f = file_alloc())) {
		iput(ip);
		return 0;
	}
	if ((flags & O_TRUNC) && type == T_FILE) {
		ilock(ip);
		itrunc(ip);
		iunlock(ip);
	}
	f->kind = type == T_DEVICE ? FD_DEVICE : FD_INODE;
	f->major = type == T_DEVICE ? imajor(ip) : 0;
	f->ip = ip;
	f->readable = mode != O_WRONLY;
	f->writable = mode != O_RDONLY;
	return f;
}

int
file_pipe(struct file **rf, struct file **wf)
{
	struct pipe *pi = pipe_alloc();
	if (!pi)
		return -1;
	*rf = file_alloc();
	*wf = *rf ? file_alloc() : 0;
	if (!*wf) {
		if (*rf)
			file_close(*rf); /* FD_NONE: just frees the slot */
		pipe_close(pi, 0);
		pipe_close(pi, 1);
		return -1;
	}
	(*rf)->kind = (*wf)->kind = FD_PIPE;
	(*rf)->pipe = (*wf)->pipe = pi;
	(*rf)->readable = 1;
	(*rf)->writable = 0;
	(*wf)->readable = 0;
	(*wf)->writable = 1;
	return 0;
}

struct file *
file_dup(struct file *f)
{
	acquire(&ftable.lock);
	if (f->ref < 1)
		panic("file_dup: file not open");
	f->ref++;
	release(&ftable.lock);
	return f;
}

void
file_close(struct file *f)
{
	acquire(&ftable.lock);
	if (f->ref < 1)
		panic("file_close: file not open");
	if (--f->ref > 0) {
		release(&ftable.lock);
		return;
	}
	struct file closing = *f;
	f->kind = FD_NONE;
	release(&ftable.lock);

	/* Outside ftable.lock: iput and pipe_close take locks of their own. */
	if (closing.kind == FD_PIPE)
		pipe_close(closing.pipe, closing.writable);
	else if (closing.ip)
		iput(closing.ip);
}

/* file_read and file_write on an inode: at the file's offset, which
 * ip's lock guards. Kept apart so that the pipe and device paths stay
 * plain tail calls. */
static __attribute__((noinline)) int
inode_rw(struct file *f, int write, uint64 addr, int n)
{
	int r;

	ilock(f->ip);
	if (write)
		r = n == 0 ? 0 : writei(f->ip, 1, addr, f->off, n);
	else
		r = readi(f->ip, 1, addr, f->off, n);
	if (r > 0)
		f->off += r;
	iunlock(f->ip);
	return r;
}

int
file_read(struct file *f, uint64 dst, int n)
{
	if (!f->readable || n < 0)
		return -1;
	switch (f->kind) {
	case FD_PIPE:
		return pipe_read(f->pipe, dst, n);
	case FD_DEVICE:
		return devsw[f->major]->read(dst, n);
	case FD_INODE:
		return inode_rw(f, 0, dst, n);
	default:
		panic("file_read: bad file kind %d", f->kind);
	}
}

int
file_write(struct file *f, uint64 src, int n)
{
	if (!f->writable || n < 0)
		return -1;
	switch (f->kind) {
	case FD_PIPE:
		return pipe_write(f->pipe, src, n);
	case FD_DEVICE:
		return devsw[f->major]->write(src, n);
	case FD_INODE:
		return inode_rw(f, 1, src, n);
	default:
		panic("file_write: bad file kind %d", f->kind);
	}
}

int
file_stat(struct file *f, uint64 st)
{
	struct stat s;

	if (f->kind != FD_INODE && f->kind != FD_DEVICE)
		return -1;
	ilock(f->ip);
	stati(f->ip, &s);
	iunlock(f->ip);
	return copyout(myproc()->vm->pagetable, st, &s, sizeof(s));
}
