#ifndef PTBENCH_FCNTL_H
#define PTBENCH_FCNTL_H

/* open() flags, as xv6's (user-visible ABI). */
#define O_RDONLY 0x000
#define O_WRONLY 0x001
#define O_RDWR 0x002
#define O_CREATE 0x200
#define O_TRUNC 0x400

/* device majors */
#define CONSOLE 1
#define DEVNULL 2

#endif
