/*
 * RAM file system: the inode table below is the whole file system. It is
 * filled at boot from the cpio archive (cpio.c) and changed at run time;
 * everything vanishes at power-off.
 *
 * Data layout. An inode's bytes (a file's contents, or a directory's
 * array of struct dirent) sit in 4 KiB pages reached through one index
 * page of page pointers, allocated on the first write:
 *
 *   ip->index --> +--------+--------+-----+----------+
 *                 | page 0 | page 1 | ... | page 511 |   one page of pointers
 *                 +--------+--------+-----+----------+
 *                      |
 *                      v
 *                 bytes [0, 4096) of the inode
 *
 * There are no holes: a write starts at most at the current size, so the
 * pages in use are always index[0..k) and index[k] is the first null.
 * Inode number i is itable.inode[i-1]; "/" is inode ROOTINO.
 *
 * Locking, outermost first (take them only in this order):
 *
 *   ns_lock      sleeplock, the namespace: all directory entries and all
 *                nlink counts. A lookup holds it while it walks a path;
 *                create, unlink and link hold it from lookup to the end.
 *   ip->lock     sleeplock per inode: size, index, data pages, nlink.
 *   itable.lock  spinlock: ref counts, and claiming or freeing slots.
 *
 * A directory's entries (and any nlink) change only with both ns_lock
 * and the inode's lock held, so a lookup (ns_lock alone) and a read() of
 * the directory (its lock alone) each see it stable. A directory reached
 * by name cannot be freed while ns_lock is held (unlinking needs it), so
 * a walk takes no references on the directories it passes through.
 *
 * An inode's slot is free when type is 0. An inode lives while it has a
 * name (nlink > 0) or a reference (ref > 0): iput() frees the pages of an
 * unnamed inode as its last reference goes. Nobody else can reach such an
 * inode, so that needs no inode lock. A removed directory is emptied at
 * once (no "." or ".." left): lookups in a removed current directory then
 * fail instead of following ".." to a slot that may have been reused.
 *
 * Sleeplocks need no process while uncontended, so fs_init() uses the
 * ordinary paths at boot, alone on hart 0.
 */
#include "kernel/fs.h"
#include "kernel/fcntl.h"
#include "kernel/kalloc.h"
#include "kernel/klib.h"
#include "kernel/kpt/kpt.h"
#include "kernel/printf.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"
#include "kernel/sleeplock.h"
#include "kernel/spinlock.h"
#include "kernel/stat.h"
#include "kernel/vm.h"

_Static_assert(BSIZE == PGSIZE, "a data page is a kalloc page");
_Static_assert(MAXFILE * sizeof(char *) == PGSIZE, "the index fills one page");
_Static_assert(sizeof(struct dirent) == 32, "directory entries are 32 bytes");
_Static_assert(PGSIZE % sizeof(struct dirent) == 0, "no entry straddles a page");
_Static_assert(DIRSIZ % 4 == 0, "names compare a 32-bit word at a time");

#define DIRENTS_PER_PAGE (PGSIZE / sizeof(struct dirent))
#define NLINK_MAX 32767 /* nlink is a short in struct stat */

struct inode {
	struct sleeplock lock;
	int ref;      /* itable.lock: references held (files, cwds, callers) */
	short type;   /* 0 for a free slot; else fixed while the inode lives */
	short major;  /* T_DEVICE: device switch index; fixed */
	short minor;  /* T_DEVICE; fixed */
	short nlink;  /* directory entries naming it, plus subdirectories' ".." */
	uint64 size;  /* bytes */
	char **index; /* page of data page pointers, or 0 while empty */
};

static struct {
	struct spinlock lock;
	struct inode inode[NINODE];
} itable;

static struct sleeplock ns_lock;
static struct inode *root;

/* A path component NUL-padded to DIRSIZ bytes, to compare by words. */
struct name {
	union {
		char c[DIRSIZ];
		uint32 w[DIRSIZ / 4];
	};
};

/* Directory names are read as words; this type may alias the chars. */
typedef uint32 __attribute__((__may_alias__)) alias32;

static inline uint64
min_u64(uint64 a, uint64 b)
{
	return a < b ? a : b;
}

static inline uint
inum_of(struct inode *ip)
{
	return ip - itable.inode + 1;
}

static inline struct inode *
inode_at(uint inum)
{
	return &itable.inode[inum - 1];
}

/* Copy to dst: a user VA of the current process when user, else kernel. */
static int
copy_to(int user, uint64 dst, const void *src, uint64 n)
{
	if (user)
		return copyout(myproc()->vm->pagetable, dst, src, n);
	memmove((void *)dst, src, n);
	return 0;
}

/* Copy from src: a user VA of the current process when user, else kernel. */
static int
copy_from(int user, void *dst, uint64 src, uint64 n)
{
	if (user)
		return copyin(myproc(), dst, src, n);
	memmove(dst, (const void *)src, n);
	return 0;
}

/* --- inode table ------------------------------------------------------ */

/* Claim a free slot as an empty inode of the given type with one
 * reference and no name; 0 when the table is full. */
static struct inode *
inode_alloc(int type, int major, int minor)
{
	struct inode *ip;

	acquire(&itable.lock);
	for (ip = itable.inode; ip < itable.inode + NINODE; ip++) {
		if (ip->type == 0 && ip->ref == 0) {
			ip->type = type;
			ip->major = major;
			ip->minor = minor;
			ip->nlink = 0;
			ip->size = 0;
			ip->index = 0;
			ip->ref = 1;
			release(&itable.lock);
			return ip;
		}
	}
	release(&itable.lock);
	return 0;
}

struct inode *
idup(struct inode *ip)
{
	acquire(&itable.lock);
	ip->ref++;
	release(&itable.lock);
	return ip;
}

/* Free ip's pages: caller holds ip->lock or the only reference. */
static void
inode_free_pages(struct inode *ip)
{
	if (ip->index) {
		for (int i = 0; i < MAXFILE && ip->index[i]; i++)
			kfree(ip->index[i]);
		kfree(ip->index);
		ip->index = 0;
	}
	ip->size = 0;
}

void
iput(struct inode *ip)
{
	acquire(&itable.lock);
	if (ip->ref < 1)
		panic("iput: inode %d has no reference", inum_of(ip));
	if (ip->ref == 1 && ip->nlink == 0) {
		/* The last reference to an unnamed inode: nobody else can
		 * reach it, and ref stays 1 so the slot is not reclaimed. */
		release(&itable.lock);
		inode_free_pages(ip);
		acquire(&itable.lock);
		ip->type = 0;
	}
	ip->ref--;
	release(&itable.lock);
}

/* Callers hold a reference, or ns_lock and a directory entry naming ip. */
void
ilock(struct inode *ip)
{
	if (ip->type == 0)
		panic("ilock: inode %d not in use", inum_of(ip));
	sleeplock_acquire(&ip->lock);
}

void
iunlock(struct inode *ip)
{
	sleeplock_release(&ip->lock);
}

int
itype(struct inode *ip)
{
	return ip->type;
}

int
imajor(struct inode *ip)
{
	return ip->major;
}

void
stati(struct inode *ip, struct stat *st)
{
	st->dev = ROOTDEV;
	st->ino = inum_of(ip);
	st->type = ip->type;
	st->nlink = ip->nlink;
	st->size = ip->size;
}

void
itrunc(struct inode *ip)
{
	inode_free_pages(ip);
}

/* --- data ------------------------------------------------------------- */

/* The data page holding byte off of ip, allocated when missing (off is
 * at most the size, so pages stay dense); 0 when out of memory. */
static char *
inode_page(struct inode *ip, uint64 off)
{
	if (!ip->index && !(ip->index = kzalloc()))
		return 0;
	char **slot = &ip->index[off / PGSIZE];
	if (!*slot)
		*slot = kalloc();
	return *slot;
}

int
readi(struct inode *ip, int user_dst, uint64 dst, uint64 off, uint64 n)
{
	if (off >= ip->size)
		return 0;
	n = min_u64(n, ip->size - off);
	for (uint64 done = 0; done < n;) {
		uint64 po = off % PGSIZE, m = min_u64(n - done, PGSIZE - po);
		if (copy_to(user_dst, dst + done, ip->index[off / PGSIZE] + po, m) < 0)
			return -1;
		done += m;
		off += m;
	}
	return n;
}

int
writei(struct inode *ip, int user_src, uint64 src, uint64 off, uint64 n)
{
	if (off > ip->size || off >= MAXFILE_BYTES)
		return -1;
	n = min_u64(n, MAXFILE_BYTES - off);
	uint64 done = 0;
	while (done < n) {
		char *pg = inode_page(ip, off);
		if (!pg)
			break; /* out of memory: a short count */
		uint64 po = off % PGSIZE, m = min_u64(n - done, PGSIZE - po);
		if (copy_from(user_src, pg + po, src + done, m) < 0)
			return -1;
		done += m;
		off += m;
		if (off > ip->size)
			ip->size = off;
	}
	return (n > 0 && done == 0) ? -1 : done;
}

/* --- directories ------------------------------------------------------ */

/* Set key to the len-byte component s (len < DIRSIZ). */
static void
name_set(struct name *key, const char *s, uint64 len)
{
	for (int i = 0; i < DIRSIZ / 4; i++)
		key->w[i] = 0;
	memmove(key->c, s, len);
}

static int
name_eq(const struct dirent *de, const struct name *key)
{
	const alias32 *w = (const alias32 *)de->name;
	for (int i = 0; i < DIRSIZ / 4; i++)
		if (w[i] != key->w[i])
			return 0;
	return 1;
}

static int
name_is_dot(const struct name *key)
{
	return key->c[0] == '.' && (key->c[1] == 0 || (key->c[1] == '.' && key->c[2] == 0));
}

/* The entry of directory dp named key, or 0. Holds: ns_lock or dp's lock.
 * Free slots never match: they are all zero, a key never is. */
static struct dirent *
dir_find(struct inode *dp, const struct name *key)
{
	for (uint64 base = 0; base < dp->size; base += PGSIZE) {
		struct dirent *de = (struct dirent *)dp->index[base / PGSIZE];
		uint64 n = min_u64(DIRENTS_PER_PAGE, (dp->size - base) / sizeof(*de));
		for (uint64 i = 0; i < n; i++)
			if (name_eq(&de[i], key))
				return &de[i];
	}
	return 0;
}

/* Add the entry key -> ip to dp, reusing a free slot if there is one.
 * 0, or -1 when out of memory or the directory is full. Holds: ns_lock
 * and dp's lock (or dp is new and unreachable). */
static int
dir_add(struct inode *dp, const struct name *key, struct inode *ip)
{
	struct dirent *de = 0;
	for (uint64 off = 0; off < dp->size && !de; off += sizeof(*de)) {
		struct dirent *d = (struct dirent *)(dp->index[off / PGSIZE] + off % PGSIZE);
		if (d->inum == 0)
			de = d;
	}
	if (!de) {
		if (dp->size >= MAXFILE_BYTES)
			return -1;
		char *pg = inode_page(dp, dp->size);
		if (!pg)
			return -1;
		de = (struct dirent *)(pg + dp->size % PGSIZE);
		dp->size += sizeof(*de);
	}
	memmove(de->name, key->c, DIRSIZ);
	de->inum = inum_of(ip);
	return 0;
}

/* Drop the free entries at the end of directory dp and the pages they
 * leave unused, so that a directory shrinks back as its newest names go
 * (usertests count free pages around each test). "." and ".." stay.
 * Holds: ns_lock and dp's lock. */
static void
dir_trim(struct inode *dp)
{
	const uint64 keep = 2 * sizeof(struct dirent);

	while (dp->size > keep) {
		uint64 off = dp->size - sizeof(struct dirent);
		struct dirent *d = (struct dirent *)(dp->index[off / PGSIZE] + off % PGSIZE);
		if (d->inum != 0)
			break;
		dp->size = off;
	}
	for (uint64 i = PGROUNDUP(dp->size) / PGSIZE; i < MAXFILE && dp->index[i]; i++) {
		kfree(dp->index[i]);
		dp->index[i] = 0;
	}
}

/* Whether directory dp holds nothing but "." and "..". Holds: ns_lock. */
static int
dir_empty(struct inode *dp)
{
	for (uint64 off = 2 * sizeof(struct dirent); off < dp->size; off += sizeof(struct dirent)) {
		struct dirent *d = (struct dirent *)(dp->index[off / PGSIZE] + off % PGSIZE);
		if (d->inum != 0)
			return 0;
	}
	return 1;
}

/* --- path names ------------------------------------------------------- */

/* Take the first component of *path into key and advance *path past it
 * and the slashes that follow. 1: a component; 0: none left; -1: the
 * component is longer than DIRSIZ-1. */
static int
path_next(const char **path, struct name *key)
{
	const char *p = *path, *s;

	while (*p == '/')
		p++;
	if (*p == 0)
		return 0;
	for (s = p; *p != '/' && *p != 0; p++)
		;
	if (p - s > DIRSIZ - 1)
		return -1;
	name_set(key, s, p - s);
	while (*p == '/')
		p++;
	*path = p;
	return 1;
}

/*
 * Follow path from / or the current directory (or / without a current
 * process). When parent is set, stop before the last component, leave it
 * in key and return its directory. The inode returned is borrowed: valid
 * while ns_lock is held, no reference taken. 0 when a component is
 * missing, too long or passes through a non-directory, and, with parent,
 * when the path has no component. Holds: ns_lock.
 */
static struct inode *
walk(const char *path, int parent, struct name *key)
{
	struct proc *p = myproc();
	struct inode *ip = root;
	int r;

	if (*path != '/' && p && p->leader->cwd)
		ip = p->leader->cwd;
	while ((r = path_next(&path, key)) == 1) {
		if (ip->type != T_DIR)
			return 0;
		if (parent && *path == 0)
			return ip;
		struct dirent *de = dir_find(ip, key);
		if (!de)
			return 0;
		ip = inode_at(de->inum);
	}
	return (r < 0 || parent) ? 0 : ip;
}

struct inode *
fs_swap_cwd(struct inode **cwd, struct inode *ip)
{
	sleeplock_acquire(&ns_lock);
	struct inode *old = *cwd;
	*cwd = ip;
	sleeplock_release(&ns_lock);
	return old;
}

struct inode *
idup_cwd(struct inode **cwd)
{
	sleeplock_acquire(&ns_lock);
	struct inode *ip = idup(*cwd);
	sleeplock_release(&ns_lock);
	return ip;
}

struct inode *
namei(const char *path)
{
	struct name key;

	sleeplock_acquire(&ns_lock);
	struct inode *ip = walk(path, 0, &key);
	if (ip)
		idup(ip);
	sleeplock_release(&ns_lock);
	return ip;
}

/* Fill the new directory ip with "." and "..". Holds: ns_lock. */
static int
dir_init(struct inode *ip, struct inode *parent)
{
	struct name key;

	name_set(&key, ".", 1);
	if (dir_add(ip, &key, ip) < 0)
		return -1;
	name_set(&key, "..", 2);
	return dir_add(ip, &key, parent);
}

/* fs_create's work once the parent dp is found. Holds: ns_lock. */
static struct inode *
create_in(struct inode *dp, const struct name *key, int type, int major, int minor)
{
	struct dirent *de = dir_find(dp, key);
	if (de) {
		struct inode *ip = inode_at(de->inum);
		if (type == T_FILE && (ip->type == T_FILE || ip->type == T_DEVICE))
			return idup(ip);
		return 0;
	}
	if (dp->nlink == 0 || (type == T_DIR && dp->nlink >= NLINK_MAX))
		return 0; /* dp was removed, or cannot count another ".." */
	struct inode *ip = inode_alloc(type, major, minor);
	if (!ip)
		return 0;
	if (type == T_DIR && dir_init(ip, dp) < 0) {
		iput(ip); /* nlink 0: frees its pages */
		return 0;
	}
	ilock(dp);
	int r = dir_add(dp, key, ip);
	if (r == 0 && type == T_DIR)
		dp->nlink++; /* the new directory's ".." */
	iunlock(dp);
	if (r < 0) {
		iput(ip);
		return 0;
	}
	ip->nlink = 1; /* unreachable outside ns_lock until now: no ilock */
	return ip;
}

struct inode *
fs_create(const char *path, int type, int major, int minor)
{
	struct name key;
	struct inode *ip = 0;

	sleeplock_acquire(&ns_lock);
	struct inode *dp = walk(path, 1, &key);
	if (dp)
		ip = create_in(dp, &key, type, major, minor);
	sleeplock_release(&ns_lock);
	return ip;
}

/* Remove dp's entry de, which names ip. Holds: ns_lock. */
static int
unlink_entry(struct inode *dp, struct dirent *de, struct inode *ip)
{
	int isdir = ip->type == T_DIR;

	if (isdir && !dir_empty(ip))
		return -1;
	ilock(dp);
	memset(de, 0, sizeof(*de));
	dir_trim(dp);
	if (isdir)
		dp->nlink--; /* ip's ".." */
	iunlock(dp);
	ilock(ip);
	ip->nlink--;
	if (isdir)
		inode_free_pages(ip); /* drop "." and "..": see the top */
	iunlock(ip);
	return 0;
}

int
fs_unlink(const char *path)
{
	struct name key;
	struct inode *ip = 0;
	int r = -1;

	sleeplock_acquire(&ns_lock);
	struct inode *dp = walk(path, 1, &key);
	if (dp && !name_is_dot(&key)) {
		struct dirent *de = dir_find(dp, &key);
		if (de) {
			ip = idup(inode_at(de->inum));
			r = unlink_entry(dp, de, ip);
		}
	}
	sleeplock_release(&ns_lock);
	if (ip)
		iput(ip); /* may be the last reference: frees the pages */
	return r;
}

int
fs_link(const char *oldpath, const char *newpath)
{
	struct name key;
	int r = -1;

	sleeplock_acquire(&ns_lock);
	struct inode *ip = walk(oldpath, 0, &key);
	struct inode *dp = 0;
	if (ip && ip->type != T_DIR && ip->nlink < NLINK_MAX)
		dp = walk(newpath, 1, &key);
	if (dp && dp->nlink > 0 && !dir_find(dp, &key)) {
		ilock(dp);
		r = dir_add(dp, &key, ip);
		iunlock(dp);
		if (r == 0) {
			ilock(ip);
			ip->nlink++;
			iunlock(ip);
		}
	}
	sleeplock_release(&ns_lock);
	return r;
}

/* --- boot ------------------------------------------------------------- */

extern const char fsimage_start[], fsimage_end[]; /* fsimage.S */

/* Make the device node path unless the archive already has that name. */
static void
make_device(const char *path, int major)
{
	struct inode *ip = namei(path);
	if (!ip)
		ip = fs_create(path, T_DEVICE, major, 0);
	if (!ip)
		panic("fs_init: cannot create %s", path);
	iput(ip);
}

void
fs_init(void)
{
	spin_init(&itable.lock, "itable");
	sleeplock_init(&ns_lock, "namespace");
	for (int i = 0; i < NINODE; i++)
		sleeplock_init(&itable.inode[i].lock, "inode");

	/* Slot 0, so inode ROOTINO; its reference is root's, never dropped. */
	root = inode_alloc(T_DIR, 0, 0);
	if (dir_init(root, root) < 0)
		panic("fs_init: out of memory");
	root->nlink = 1;

	cpio_load(fsimage_start, fsimage_end);
	make_device("/console", CONSOLE);
	make_device("/null", DEVNULL);
}
