#ifndef PTBENCH_PARAM_H
#define PTBENCH_PARAM_H

#define NCPU 4               /* most harts the kernel will run on */
#define NPROC 64             /* process table slots (threads included) */
#define NTHREAD 8            /* threads per process, its first included (a slot each) */
#define NOFILE 16            /* open files per process */
#define NFILE 128            /* open files in the whole system */
#define NINODE 512           /* RAM file system inodes */
#define MAXARG 32            /* most exec arguments */
#define MAXARGLEN 256        /* longest single exec argument, NUL included */
#define MAXPATH 128          /* longest path name, NUL included */
#define DIRSIZ 28            /* longest path component, NUL included */
#define KSTACK_PAGES 2       /* kernel stack size in pages */
#define USTACK_PAGES 4       /* user stack pages (exec arguments included), guard page below */
#define PIPESIZE 4096        /* pipe buffer bytes */
#define TICK_INTERVAL 100000 /* timer ticks (10 MHz) between interrupts: 10 ms */
#define BOOTARGS_MAX 1024    /* longest /chosen/bootargs kept */

#endif
