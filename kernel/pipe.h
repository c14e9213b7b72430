#ifndef PTBENCH_PIPE_H
#define PTBENCH_PIPE_H

#include "kernel/types.h"

/*
 * Pipes: a PIPESIZE-byte ring buffer between a read end and a write end
 * (file.c wraps each end in a struct file). Data moves straight between
 * user memory and the ring with copyin/copyout, a chunk at a time.
 */
struct pipe;

/* A new pipe with both ends open, or 0 when out of pipes or memory. */
struct pipe *pipe_alloc(void);
/* Close one end (the write end when writable); the last close frees the
 * pipe. */
void pipe_close(struct pipe *pi, int writable);
/* Read up to n bytes into user address dst of the current process,
 * waiting while the pipe is empty and a writer remains. Bytes read, 0 at
 * end of data, -1 on a bad address or when the process is killed. */
int pipe_read(struct pipe *pi, uint64 dst, int n);
/* Write all n bytes from user address src, waiting while the pipe is
 * full. n, or -1 on a bad address, when the read end is closed, or when
 * the process is killed (bytes already written stay in the pipe). */
int pipe_write(struct pipe *pi, uint64 src, int n);

#endif
