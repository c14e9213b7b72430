#ifndef PTBENCH_ELFFLAW_H
#define PTBENCH_ELFFLAW_H

/*
 * Malformed executables made from a valid one, for usertests' exec
 * matrix and the fuzzer. Only those two include this file (its functions
 * are static), so that no other program carries the code.
 *
 * An image is a copy of a valid ELF file (a program of the file system,
 * read at run time) in a buffer with room to grow. elf_flaw() gives it
 * one flaw out of the table below, each a way an executable can be
 * wrong that exec must refuse: return -1, map nothing, leak nothing. A
 * variant number picks among the forms a flaw can take (which offset,
 * how far past an edge), so that a fuzzer can draw them at random and a
 * test can walk them; every variant of every flaw is fatal. The base
 * must have a text segment (executable) followed by a data segment, as
 * user/user.ld links every program. The segment flaws act on the first
 * PT_LOAD segment (the text) and the last (the data, or one appended).
 *
 * elf_add_load() instead appends a valid segment, for layouts no linker
 * script makes (a writable page followed by a read-only one, more
 * segments above the data); the flaws stay fatal after it.
 */

#include "kernel/elf.h"
#include "kernel/types.h"
#include "user/user.h"

#define ELF_PAGE 4096
#define ELF_USERTOP 0x0c000000UL /* user memory ends at the PLIC */

struct elf_image {
	char *buf; /* 8-byte aligned */
	int len;   /* bytes of the file */
	int max;   /* room in buf */
};

enum elf_flaw {
	EF_MAGIC,         /* not "\x7fELF" */
	EF_CLASS,         /* 32-bit class */
	EF_DATA,          /* big-endian */
	EF_MACHINE,       /* another machine */
	EF_TYPE,          /* not an executable (relocatable, shared) */
	EF_PHENTSIZE,     /* program headers of another size */
	EF_PHNUM_ZERO,    /* no program headers */
	EF_NO_LOAD,       /* no PT_LOAD segment */
	EF_TABLE_CUT,     /* phnum counts headers past the end of the file */
	EF_PHNUM_HUGE,    /* phnum 0xffff, the table at the end of the file */
	EF_PHNUM_INPLACE, /* phnum 0xffff where the table is */
	EF_PHOFF_EOF,     /* the table starts past the end of the file */
	EF_PHOFF_WRAP,    /* phoff + the table wraps around 2^64 */
	EF_TRUNCATED,     /* the file cut short of what its headers describe */
	EF_OVERLAP,       /* the last segment starts inside the text's pages */
	EF_DESCENDING,    /* the last segment and the text swapped in the table */
	EF_UNALIGNED,     /* a segment at an address not page aligned */
	EF_WRAP,          /* vaddr + memsz wraps around 2^64 */
	EF_PAST_USERTOP,  /* a segment ending past USERTOP */
	EF_KERNEL,        /* a segment in kernel space or near MAXVA */
	EF_OFF_EOF,       /* segment file bytes start past the end of the file */
	EF_FILESZ_EOF,    /* ... run past it */
	EF_OFF_WRAP,      /* off + filesz wraps around 2^64 */
	EF_FILESZ_MEMSZ,  /* filesz > memsz */
	EF_ENTRY,         /* the entry point outside every executable segment */
	EF_WRITABLE_TEXT, /* the text segment writable (W and X) */
	EF_EXEC_DATA,     /* the last segment writable and executable */
	EF_HUGE_MEMSZ,    /* more memory than the machine has, below USERTOP */
	NELF_FLAWS
};

static const char *const elf_flaw_name[NELF_FLAWS] = {
    "bad magic",       "32-bit class",        "big-endian",       "another machine",
    "not EXEC type",   "wrong phentsize",     "phnum 0",          "no PT_LOAD",
    "table cut short", "phnum 0xffff at end", "phnum 0xffff",     "phoff past EOF",
    "phoff wraps",     "file truncated",      "segments overlap", "segments descend",
    "unaligned vaddr", "vaddr+memsz wraps",   "past USERTOP",     "kernel address",
    "offset past EOF", "filesz past EOF",     "off+filesz wraps", "filesz > memsz",
    "entry outside",   "writable text",       "executable data",  "memsz beyond RAM",
};

static inline struct elf_header *
elf_eh(struct elf_image *im)
{
	return (struct elf_header *)im->buf;
}

/* Program header i, or 0 when the table (as the header places it) is not
 * inside the file. */
static inline struct elf_phdr *
elf_ph(struct elf_image *im, int i)
{
	struct elf_header *eh = elf_eh(im);
	uint64 at = eh->phoff + (uint64)i * sizeof(struct elf_phdr);

	if (eh->phoff % 8 != 0 || eh->phoff > (uint64)im->len ||
	    at + sizeof(struct elf_phdr) > (uint64)im->len || at < eh->phoff)
		return 0;
	return (struct elf_phdr *)(im->buf + at);
}

/* Index of the first (last = 0) or last (last = 1) PT_LOAD header, or -1. */
static inline int
elf_load_index(struct elf_image *im, int last)
{
	int i, found = -1;
	struct elf_phdr *ph;

	for (i = 0; i < elf_eh(im)->phnum && (ph = elf_ph(im, i)) != 0; i++) {
		if (ph->type != ELF_PT_LOAD)
			continue;
		found = i;
		if (!last)
			break;
	}
	return found;
}

/* Copy the n-byte valid file base into im. 0, or -1 when it does not
 * fit or has no text and data segment. */
static inline int
elf_copy(struct elf_image *im, const char *base, int n)
{
	int t, d;

	if (n < (int)sizeof(struct elf_header) || n > im->max)
		return -1;
	memmove(im->buf, base, n);
	im->len = n;
	t = elf_load_index(im, 0);
	d = elf_load_index(im, 1);
	if (t < 0 || d <= t || !(elf_ph(im, t)->flags & ELF_PF_X))
		return -1;
	return 0;
}

/* Move the program-header table to the end of the file, with room for
 * extra more (zeroed) entries that phnum does not count yet. 0, or -1
 * without room. */
static inline int
elf_table_to_end(struct elf_image *im, int extra)
{
	struct elf_header *eh = elf_eh(im);
	int at = (im->len + 7) & ~7, n = eh->phnum;
	int bytes = (n + extra) * (int)sizeof(struct elf_phdr);

	if (elf_ph(im, n - 1) == 0 || at + bytes > im->max)
		return -1;
	memmove(im->buf + at, im->buf + eh->phoff, n * sizeof(struct elf_phdr));
	memset(im->buf + at + n * sizeof(struct elf_phdr), 0, extra * sizeof(struct elf_phdr));
	memset(im->buf + im->len, 0, at - im->len);
	eh->phoff = at;
	im->len = at + bytes;
	return 0;
}

/* Append a PT_LOAD segment of memsz zeroed bytes at vaddr with flags
 * (ELF_PF_*), no file bytes. 0, or -1 without room. */
static inline int
elf_add_load(struct elf_image *im, uint64 vaddr, uint64 memsz, uint flags)
{
	struct elf_phdr *ph;

	if (elf_table_to_end(im, 1) < 0)
		return -1;
	ph = elf_ph(im, elf_eh(im)->phnum);
	elf_eh(im)->phnum++;
	ph->type = ELF_PT_LOAD;
	ph->flags = flags;
	ph->vaddr = ph->paddr = vaddr;
	ph->memsz = memsz;
	ph->align = ELF_PAGE;
	return 0;
}

/* Flaws of the ELF header and the table's placement. */
static inline int
elf_flaw_header(struct elf_image *im, int flaw, uint64 v)
{
	struct elf_header *eh = elf_eh(im);
	static const uint16 machines[] = {0, 62, 183, 0xffff}; /* none, x86-64, AArch64 */
	static const uint16 types[] = {0, 1, 3, 4};            /* none, REL, DYN, CORE */

	switch (flaw) {
	case EF_MAGIC:
		im->buf[v % 4] ^= 1 << (v % 8);
		return 0;
	case EF_CLASS:
		eh->ident[ELF_I_CLASS] = v % 2 ? 1 : 0; /* 32-bit, none */
		return 0;
	case EF_DATA:
		eh->ident[ELF_I_DATA] = v % 2 ? 2 : 0; /* big-endian, none */
		return 0;
	case EF_MACHINE:
		eh->machine = machines[v % 4];
		return 0;
	case EF_TYPE:
		eh->type = types[v % 4];
		return 0;
	case EF_PHENTSIZE:
		eh->phentsize = v % 2 ? sizeof(struct elf_phdr) + 8 : 32;
		return 0;
	case EF_PHNUM_ZERO:
		eh->phnum = 0;
		return 0;
	case EF_PHNUM_INPLACE:
		eh->phnum = 0xffff;
		return 0;
	case EF_PHOFF_EOF:
		eh->phoff = im->len + v % (2 * ELF_PAGE);
		return 0;
	case EF_PHOFF_WRAP:
		eh->phoff = ~(uint64)0 - v % 64;
		return 0;
	}
	return -1;
}

/* Flaws of the table's length, and a file cut short. */
static inline int
elf_flaw_table(struct elf_image *im, int flaw, uint64 v)
{
	struct elf_header *eh = elf_eh(im);
	uint64 need = eh->phoff + eh->phnum * sizeof(struct elf_phdr);
	struct elf_phdr *ph;
	int i;

	switch (flaw) {
	case EF_NO_LOAD:
		for (i = 0; (ph = elf_ph(im, i)) != 0 && i < eh->phnum; i++)
			if (ph->type == ELF_PT_LOAD)
				ph->type = v % 2 ? 4 : 0; /* PT_NOTE, PT_NULL */
		return 0;
	case EF_TABLE_CUT:
	case EF_PHNUM_HUGE:
		if (elf_table_to_end(im, 0) < 0)
			return -1;
		eh->phnum = flaw == EF_PHNUM_HUGE ? 0xffff : eh->phnum + 1 + v % 3;
		return 0;
	case EF_TRUNCATED:
		for (i = 0; (ph = elf_ph(im, i)) != 0 && i < eh->phnum; i++)
			if (ph->type == ELF_PT_LOAD && ph->off + ph->filesz > need)
				need = ph->off + ph->filesz;
		im->len = v % need; /* short of a header, the table or a segment */
		return 0;
	}
	return -1;
}

/* Flaws of where a segment lies in memory. t, d: the text and data
 * segments. */
static inline int
elf_flaw_place(struct elf_image *im, int flaw, uint64 v, struct elf_phdr *t, struct elf_phdr *d)
{
	static const uint64 kernel[] = {0x80000000UL,   0x87fff000UL,   0x3fffffe000UL,
	                                0x3ffffff000UL, 0x4000000000UL, 0xffffffc000000000UL};
	uint64 tpages = (t->memsz + ELF_PAGE - 1) / ELF_PAGE;
	struct elf_phdr swap;

	switch (flaw) {
	case EF_OVERLAP:
		d->vaddr = t->vaddr + (tpages ? v % tpages : 0) * ELF_PAGE;
		return 0;
	case EF_DESCENDING:
		swap = *t;
		*t = *d;
		*d = swap;
		return 0;
	case EF_UNALIGNED:
		(v % 2 ? d : t)->vaddr += 1 + v % (ELF_PAGE - 1);
		return 0;
	case EF_WRAP:
		d->vaddr = (uint64)0 - (v % 4 + 1) * ELF_PAGE;
		d->memsz = (v % 4 + 2) * ELF_PAGE;
		return 0;
	case EF_PAST_USERTOP:
		d->vaddr = v % 3 == 0   ? ELF_USERTOP - ELF_PAGE
		           : v % 3 == 1 ? ELF_USERTOP
		                        : d->vaddr;
		d->memsz = v % 3 == 0 ? 2 * ELF_PAGE : v % 3 == 1 ? 1 : ELF_USERTOP;
		return 0;
	case EF_KERNEL:
		d->vaddr = kernel[v % 6];
		d->memsz = ELF_PAGE;
		return 0;
	case EF_HUGE_MEMSZ:
		d->memsz = ELF_USERTOP - d->vaddr;
		return 0;
	}
	return -1;
}

/* Flaws of a segment's file bytes, the entry point and permissions. */
static inline int
elf_flaw_bytes(struct elf_image *im, int flaw, uint64 v, struct elf_phdr *t, struct elf_phdr *d)
{
	uint64 end = (d->vaddr + d->memsz + ELF_PAGE - 1) & ~(uint64)(ELF_PAGE - 1);

	switch (flaw) {
	case EF_OFF_EOF:
		t->off = im->len + v % (2 * ELF_PAGE);
		return 0;
	case EF_FILESZ_EOF:
		t->filesz = im->len - t->off + 1 + v % ELF_PAGE;
		if (t->memsz < t->filesz)
			t->memsz = t->filesz;
		return 0;
	case EF_OFF_WRAP:
		t->off = ~(uint64)0 - v % t->filesz;
		return 0;
	case EF_FILESZ_MEMSZ:
		t->memsz = t->filesz - 1 - v % t->filesz;
		return 0;
	case EF_ENTRY:
		elf_eh(im)->entry = v % 4 == 0   ? end + (v / 4 % 16) * ELF_PAGE
		                    : v % 4 == 1 ? d->vaddr + (v / 4) % (d->memsz ? d->memsz : 1)
		                    : v % 4 == 2 ? 0x80000000UL
		                                 : ~(uint64)0 - v / 4 % 64;
		return 0;
	case EF_WRITABLE_TEXT:
		t->flags |= ELF_PF_W;
		return 0;
	case EF_EXEC_DATA:
		d->flags |= ELF_PF_W | ELF_PF_X;
		return 0;
	}
	return -1;
}

/* Give im (a copy made by elf_copy) flaw, in variant v. 0, or -1 when
 * the image no longer has what the flaw changes (its table moved away by
 * an earlier flaw) or lacks room. */
static inline int
elf_flaw(struct elf_image *im, int flaw, uint64 v)
{
	int ti = elf_load_index(im, 0), di = elf_load_index(im, 1);
	struct elf_phdr *t, *d;

	if (flaw < 0 || flaw >= NELF_FLAWS)
		return -1;
	if (elf_flaw_header(im, flaw, v) == 0 || elf_flaw_table(im, flaw, v) == 0)
		return 0;
	if (ti < 0 || di <= ti)
		return -1;
	t = elf_ph(im, ti);
	d = elf_ph(im, di);
	if (t->filesz == 0)
		return -1;
	if (elf_flaw_place(im, flaw, v, t, d) == 0)
		return 0;
	return elf_flaw_bytes(im, flaw, v, t, d);
}

#endif
