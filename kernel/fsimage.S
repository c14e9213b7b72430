/*
 * The file system archive, linked into the kernel image: the newc cpio
 * the Makefile builds from the user programs and etc/. FSIMAGE is its
 * path as a string, passed by the Makefile (-DFSIMAGE='"build/x/fs.cpio"').
 * fs_init() loads [fsimage_start, fsimage_end).
 */
#ifndef FSIMAGE
#error "FSIMAGE must name the cpio archive, e.g. -DFSIMAGE='\"build/global/fs.cpio\"'"
#endif

	.section .rodata
	.balign 16
	.globl fsimage_start
fsimage_start:
	.incbin FSIMAGE
	.globl fsimage_end
fsimage_end:
