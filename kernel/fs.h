#ifndef PTBENCH_FS_H
#define PTBENCH_FS_H

#include "kernel/param.h"
#include "kernel/types.h"

/*
 * RAM file system, filled at boot from the newc
 * cpio archive that fsimage.S links into the kernel.
 *
 * The first block is shared with user space (ls reads directories with
 * read() and includes this header): keep it free of kernel types.
 */

#define ROOTDEV 1   /* st_dev of every inode: there is one file system */
#define ROOTINO 1   /* inode number of "/" */
#define BSIZE 4096  /* bytes per data page ("block") */
#define MAXFILE 512 /* most data pages per inode: one index page of pointers */
#define MAXFILE_BYTES ((uint64)MAXFILE * BSIZE) /* 2 MiB */

/*
 * One directory entry; a directory's data is an array of them, 32 bytes
 * each, starting with "." and "..". inum 0 marks a free slot (its name is
 * all zero too). A name has at most DIRSIZ-1 characters, NUL-padded.
 */
struct dirent {
	uint inum;
	char name[DIRSIZ];
};

/* --- kernel interface ---------------------------------------------------
 *
 * Inodes come back referenced and unlocked; give each reference back with
 * iput(). Lock order: the namespace lock inside namei() and fs_*() comes
 * before any inode lock, so never call them with an inode locked.
 */
struct inode;
struct stat;

/* Hart 0, once, after kalloc_init(): load the archive, then create
 * /console and /null if the archive did not. Panics on a bad archive. */
void fs_init(void);
/* Parse the newc archive [start, end) into the file system (fs_init). */
void cpio_load(const char *start, const char *end);

/* The inode path names (from myproc()->cwd when relative, or from / when
 * there is no current process), or 0. May sleep. */
struct inode *namei(const char *path);
/* Make ip the cwd that *cwd holds (taking over the caller's reference)
 * under the namespace lock, which lookups of relative paths hold while
 * they use the cwd (threads share it); the old one, for the caller to
 * iput. */
struct inode *fs_swap_cwd(struct inode **cwd, struct inode *ip);
/* A new reference to the cwd *cwd holds, taken under that lock. */
struct inode *idup_cwd(struct inode **cwd);
/* Create path as type T_FILE, T_DIR or T_DEVICE (with major and minor).
 * When path exists and both it and type are files (an existing device
 * counts as a file), return it instead; otherwise an existing path is an
 * error. 0 on error: missing parent, name too long, parent removed, out
 * of inodes or memory. May sleep. */
struct inode *fs_create(const char *path, int type, int major, int minor);
/* Remove the name path. -1 when missing, "." or "..", or a non-empty
 * directory. The inode lives on until its last reference goes. */
int fs_unlink(const char *path);
/* Give the inode oldpath names the extra name newpath. -1 when oldpath is
 * missing or a directory, or newpath exists or cannot be made. */
int fs_link(const char *oldpath, const char *newpath);

/* Reference counting: idup returns ip with one more reference; iput
 * drops one, freeing the inode and its pages when it was the last one and
 * no directory names it any more. Neither sleeps. */
struct inode *idup(struct inode *ip);
void iput(struct inode *ip);
/* The inode's sleeplock, guarding its size, data and nlink. May sleep. */
void ilock(struct inode *ip);
void iunlock(struct inode *ip);

/* The rest need ip locked. */

/* Copy up to n bytes from offset off into dst, a user VA of myproc() when
 * user_dst, else a kernel address. Bytes read (0 at or past the end), or
 * -1 when dst is bad. */
int readi(struct inode *ip, int user_dst, uint64 dst, uint64 off, uint64 n);
/* Write n bytes from src (user VA of myproc() when user_src) at off,
 * which may be at most the size (no holes). Bytes written: short when
 * MAXFILE_BYTES or memory runs out; -1 when nothing could be written or
 * src is bad. */
int writei(struct inode *ip, int user_src, uint64 src, uint64 off, uint64 n);
/* Free all of ip's data; its size becomes 0. */
void itrunc(struct inode *ip);
void stati(struct inode *ip, struct stat *st);

/* Fixed for the inode's life: no lock needed while holding a reference. */
int itype(struct inode *ip);  /* T_DIR, T_FILE or T_DEVICE */
int imajor(struct inode *ip); /* T_DEVICE's major */

#endif
