/*
 * Boot-time loader for the newc cpio archive the Makefile builds with GNU
 * cpio (-H newc) and fsimage.S links in. An entry is laid out as:
 *
 *   offset  bytes  field
 *   0       6      magic "070701"
 *   6       8*13   13 fields, 8 ASCII hex digits each (enum field below)
 *   110     namesize  path name, NUL included; then zero bytes up to a
 *                  multiple of 4 counted from the entry's start
 *   ...     filesize  data; then zero bytes up to a multiple of 4
 *
 * The archive ends with an entry named "TRAILER!!!". Names look like
 * "./etc/motd" or "etc/motd"; GNU cpio lists a directory before what it
 * holds (the Makefile sorts the names), so parents exist when needed.
 * The archive is ours, built with the kernel: anything unexpected in it
 * panics with the entry's offset.
 */
#include "kernel/fs.h"
#include "kernel/klib.h"
#include "kernel/printf.h"
#include "kernel/stat.h"

#define CPIO_MAGIC "070701"
#define CPIO_MAGIC_LEN 6
#define CPIO_FIELD_LEN 8
#define CPIO_HEADER_LEN 110 /* magic + 13 fields */
#define CPIO_TRAILER "TRAILER!!!"

/* The header fields, in order. */
enum cpio_field {
	CPIO_INO,
	CPIO_MODE,
	CPIO_UID,
	CPIO_GID,
	CPIO_NLINK,
	CPIO_MTIME,
	CPIO_FILESIZE,
	CPIO_DEVMAJOR,
	CPIO_DEVMINOR,
	CPIO_RDEVMAJOR,
	CPIO_RDEVMINOR,
	CPIO_NAMESIZE,
	CPIO_CHECK,
};

/* File type bits of the mode field (the st_mode values of POSIX). */
#define CPIO_TYPE_MASK 0170000
#define CPIO_TYPE_DIR 0040000
#define CPIO_TYPE_FILE 0100000

#define ALIGN4(x) (((x) + 3) & ~(uint64)3)

/* Header field f of the entry at hdr; off is the entry's offset in the
 * archive, for the message. */
static uint64
cpio_field(const char *hdr, enum cpio_field f, uint64 off)
{
	const char *s = hdr + CPIO_MAGIC_LEN + f * CPIO_FIELD_LEN;
	uint64 v = 0;

	for (int i = 0; i < CPIO_FIELD_LEN; i++) {
		char c = s[i];
		int d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			panic("cpio_load: bad hex digit in the entry at offset %lu", off);
		v = v * 16 + d;
	}
	return v;
}

/* Write the archived file's data into path, creating it. */
static void
cpio_file(const char *path, const char *data, uint64 size)
{
	if (size > MAXFILE_BYTES)
		panic("cpio_load: %s is larger than %lu bytes", path, MAXFILE_BYTES);
	struct inode *ip = fs_create(path, T_FILE, 0, 0);
	if (!ip || itype(ip) != T_FILE)
		panic("cpio_load: cannot create %s", path);
	ilock(ip);
	itrunc(ip);
	if (size > 0 && writei(ip, 0, (uint64)data, 0, size) != (int)size)
		panic("cpio_load: out of memory loading %s", path);
	iunlock(ip);
	iput(ip);
}

/* Create the directory path unless it exists. */
static void
cpio_dir(const char *path)
{
	struct inode *ip = namei(path);
	if (!ip)
		ip = fs_create(path, T_DIR, 0, 0);
	if (!ip || itype(ip) != T_DIR)
		panic("cpio_load: cannot create directory %s", path);
	iput(ip);
}

/* Add the entry named name (as stored) to the file system. */
static void
cpio_entry(const char *name, uint64 mode, const char *data, uint64 size, uint64 off)
{
	char path[MAXPATH];

	while (name[0] == '.' && name[1] == '/')
		name += 2;
	while (name[0] == '/')
		name++;
	if (name[0] == 0 || (name[0] == '.' && name[1] == 0))
		return; /* the root itself */
	if (strlen(name) + 2 > MAXPATH)
		panic("cpio_load: name too long at offset %lu", off);
	path[0] = '/';
	safestrcpy(path + 1, name, MAXPATH - 1);

	switch (mode & CPIO_TYPE_MASK) {
	case CPIO_TYPE_DIR:
		cpio_dir(path);
		break;
	case CPIO_TYPE_FILE:
		cpio_file(path, data, size);
		break;
	default:
		panic("cpio_load: %s: unsupported file type (mode %x)", path, (uint)mode);
	}
}

void
cpio_load(const char *start, const char *end)
{
	uint64 len = end - start, off = 0;

	for (;;) {
		const char *hdr = start + off;
		if (off > len || len - off < CPIO_HEADER_LEN ||
		    memcmp(hdr, CPIO_MAGIC, CPIO_MAGIC_LEN) != 0)
			panic("cpio_load: no newc header at offset %lu of %lu", off, len);
		uint64 namesize = cpio_field(hdr, CPIO_NAMESIZE, off);
		uint64 size = cpio_field(hdr, CPIO_FILESIZE, off);
		uint64 mode = cpio_field(hdr, CPIO_MODE, off);
		const char *name = hdr + CPIO_HEADER_LEN;
		uint64 data = ALIGN4(off + CPIO_HEADER_LEN + namesize);
		if (namesize == 0 || data > len || size > len - data || name[namesize - 1] != 0)
			panic("cpio_load: entry at offset %lu runs past the archive", off);
		if (strlen(name) == sizeof(CPIO_TRAILER) - 1 &&
		    memcmp(name, CPIO_TRAILER, sizeof(CPIO_TRAILER) - 1) == 0)
			return;
		cpio_entry(name, mode, start + data, size, off);
		off = ALIGN4(data + size);
	}
}
