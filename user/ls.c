/*
 * ls [PATH...]: list directories (one line per entry) and files, as
 * "name type inode size" with the name padded to a column.
 */
#include "kernel/fcntl.h"
#include "kernel/fs.h"
#include "kernel/param.h"
#include "kernel/stat.h"
#include "kernel/types.h"
#include "user/user.h"

/* Print one line for name with status st. */
static void
show(const char *name, struct stat *st)
{
	printf("%-14s %d %d %ld\n", name, st->type, st->ino, st->size);
}

/* List the entries of the open directory fd, named path. 0, or -1 when
 * an entry cannot be examined. */
static int
list_dir(int fd, const char *path)
{
	static char full[MAXPATH + DIRSIZ + 1];
	struct dirent de;
	struct stat st;
	int len = strlen(path), status = 0;

	if (len + 1 + DIRSIZ > sizeof(full)) {
		fprintf(2, "ls: %s: path too long\n", path);
		return -1;
	}
	strcpy(full, path);
	if (len == 0 || full[len - 1] != '/')
		full[len++] = '/';
	while (read(fd, &de, sizeof(de)) == sizeof(de)) {
		if (de.inum == 0)
			continue;
		memmove(full + len, de.name, DIRSIZ);
		full[len + DIRSIZ] = 0;
		if (stat(full, &st) < 0) {
			fprintf(2, "ls: %s: cannot stat\n", full);
			status = -1;
			continue;
		}
		show(full + len, &st);
	}
	return status;
}

/* List path: a directory's entries, or the path itself. 0, or -1. */
static int
ls(const char *path)
{
	struct stat st;
	int fd, r = 0;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(2, "ls: %s: cannot open\n", path);
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		fprintf(2, "ls: %s: cannot stat\n", path);
		r = -1;
	} else if (st.type == T_DIR) {
		r = list_dir(fd, path);
	} else {
		show(path, &st);
	}
	close(fd);
	return r;
}

int
main(int argc, char *argv[])
{
	int i, status = 0;

	if (argc < 2)
		return ls(".") < 0 ? 1 : 0;
	for (i = 1; i < argc; i++) {
		if (ls(argv[i]) < 0)
			status = 1;
	}
	return status;
}
