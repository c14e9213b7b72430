#ifndef PTBENCH_FILE_H
#define PTBENCH_FILE_H

#include "kernel/types.h"

/*
 * Open files: a fixed table (NFILE) of reference-counted files, each a
 * pipe end, a file system inode, or a device. Processes hold them in
 * p->ofile[]; fork shares them with file_dup().
 */
struct file;
struct inode;

/* A device driver's read and write, registered under its major: move up
 * to n bytes to or from user address addr of the current process. Bytes
 * moved, or -1 (bad address, killed while waiting). */
struct devsw {
	int (*read)(uint64 dst, int n);
	int (*write)(uint64 src, int n);
};

#define NDEV 8 /* device majors 0..NDEV-1 */

/* Install the driver for major (console_init). */
void file_register_device(int major, const struct devsw *dev);

/* Open ip with open() flags (O_CREATE aside: the caller made ip), taking
 * over the caller's reference to ip. O_TRUNC empties a regular file. The
 * file, or 0 (ip put) when the mode does not suit the inode (a directory
 * opened for writing, a device without a driver) or the table is full.
 * May sleep. */
struct file *file_open(struct inode *ip, int flags);
/* A new pipe as a read end *rf and a write end *wf. 0 or -1. */
int file_pipe(struct file **rf, struct file **wf);
/* One more reference to f. */
struct file *file_dup(struct file *f);
/* Drop a reference; the last one closes the pipe end or puts the inode. */
void file_close(struct file *f);
/* read(), write() and fstat() on f, with user addresses of the current
 * process: bytes moved (0 for fstat), or -1. May sleep. */
int file_read(struct file *f, uint64 dst, int n);
int file_write(struct file *f, uint64 src, int n);
int file_stat(struct file *f, uint64 st);

#endif
