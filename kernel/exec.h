#ifndef PTBENCH_EXEC_H
#define PTBENCH_EXEC_H

/* Replace the current process's image with the ELF program at path,
 * argv being kernel strings ending with 0. argc, or -1 with the process
 * unchanged. */
int exec(const char *path, char **argv);

#endif
