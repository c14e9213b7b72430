#ifndef PTBENCH_STAT_H
#define PTBENCH_STAT_H

/* File types and struct stat, laid out as xv6's (user-visible ABI). */
#define T_DIR 1
#define T_FILE 2
#define T_DEVICE 3

struct stat {
	int dev;            /* file system's device number */
	unsigned int ino;   /* inode number */
	short type;         /* T_DIR, T_FILE or T_DEVICE */
	short nlink;        /* links to the inode */
	unsigned long size; /* size in bytes */
};

#endif
