/*
 * Program entry and system call stubs.
 *
 * The kernel starts a program at _start with a0 = argc, a1 = argv and sp
 * at the top of its stack. A stub puts the call number in a7 and traps;
 * arguments are already in a0..a5 and the result comes back in a0.
 */
#include "kernel/syscall.h"

	.text

/* _start: run main(argc, argv) and exit with what it returns. */
	.globl _start
	.type _start, @function
_start:
	call main
	call exit
1:
	j 1b
	.size _start, . - _start

/* syscall NAME, NUMBER: one stub named NAME that traps with a7 = NUMBER. */
.macro syscall name, number
	.globl \name
	.type \name, @function
\name:
	li a7, \number
	ecall
	ret
	.size \name, . - \name
.endm

/* The preprocessor supplies the number for each name from syscall.h. */
#define STUB(name) syscall name, SYS_##name

	STUB(fork)
	STUB(exit)
	STUB(wait)
	STUB(pipe)
	STUB(read)
	STUB(write)
	STUB(close)
	STUB(kill)
	STUB(exec)
	STUB(open)
	STUB(mknod)
	STUB(unlink)
	STUB(fstat)
	STUB(link)
	STUB(mkdir)
	STUB(chdir)
	STUB(dup)
	STUB(getpid)
	STUB(sbrk)
	STUB(sleep)
	STUB(uptime)
	STUB(kstats)
	STUB(poweroff)
	STUB(vmprint)
	STUB(kptcheck)
	STUB(design)
	STUB(ptdump)
	STUB(fgset)
	STUB(uprobe)
	STUB(pin)
	STUB(thread_create)
	STUB(thread_join)
	STUB(thread_exit)
	STUB(shootctl)
