/* exec: load an ELF program into a fresh user table and switch to it. */
#include "kernel/exec.h"
#include "kernel/bootargs.h"
#include "kernel/elf.h"
#include "kernel/fs.h"
#include "kernel/klib.h"
#include "kernel/kpt/kpt.h"
#include "kernel/memlayout.h"
#include "kernel/printf.h"
#include "kernel/proc.h"
#include "kernel/stat.h"
#include "kernel/vm.h"

/* Whether eh is the header of an executable this kernel runs (64-bit
 * little-endian RISC-V, type EXEC) whose program-header table lies
 * whole inside the size-byte file. */
static int
header_ok(const struct elf_header *eh, uint64 size)
{
	if (eh->magic != ELF_MAGIC || eh->ident[ELF_I_CLASS] != ELF_CLASS64 ||
	    eh->ident[ELF_I_DATA] != ELF_DATA_LSB || eh->type != ELF_ET_EXEC ||
	    eh->machine != ELF_EM_RISCV || eh->phentsize != sizeof(struct elf_phdr))
		return 0;
	return eh->phoff <= size && (uint64)eh->phnum * sizeof(struct elf_phdr) <= size - eh->phoff;
}

/* Whether ph, a PT_LOAD header, may be loaded above the sz bytes loaded
 * so far from a size-byte file: a page-aligned start at or above them
 * (segments ascend and never overlap), memory that ends at or below
 * USERTOP without wrapping, file bytes inside the file and no more of
 * them than memory, and not both writable and executable. */
static int
segment_ok(const struct elf_phdr *ph, uint64 sz, uint64 size)
{
	if (ph->vaddr % PGSIZE != 0 || ph->vaddr < PGROUNDUP(sz) || ph->memsz > USERTOP ||
	    ph->vaddr > USERTOP - ph->memsz)
		return 0;
	if (ph->filesz > ph->memsz || ph->off > size || ph->filesz > size - ph->off)
		return 0;
	return !((ph->flags & ELF_PF_W) && (ph->flags & ELF_PF_X));
}

/* Read filesz bytes at file offset off into user memory at va (page
 * aligned, already allocated in pt). ip locked. 0 or -1. */
static int
load_segment(pagetable_t pt, uint64 va, struct inode *ip, uint64 off, uint64 filesz)
{
	for (uint64 i = 0; i < filesz; i += PGSIZE) {
		uint64 pa = uvm_pa(pt, va + i);
		if (pa == 0)
			panic("load_segment: %p not mapped", va + i);
		uint64 n = filesz - i < PGSIZE ? filesz - i : PGSIZE;
		if (readi(ip, 0, pa, off + i, n) != (int)n)
			return -1;
	}
	return 0;
}

/* Load every PT_LOAD segment of ip (locked) into pt. *sz follows the
 * memory mapped as it grows, also when this fails, so that the caller's
 * one clean-up frees exactly [0, *sz). The entry point, which must lie
 * in an executable segment, in *entry. 0, or -1 for a file that is not
 * a valid executable (header_ok, segment_ok) or out of memory. */
static int
load_program(pagetable_t pt, struct inode *ip, uint64 *sz, uint64 *entry)
{
	struct elf_header eh;
	struct elf_phdr ph;
	struct stat st;
	int entry_ok = 0;

	stati(ip, &st);
	if (readi(ip, 0, (uint64)&eh, 0, sizeof(eh)) != sizeof(eh) || !header_ok(&eh, st.size))
		return -1;
	for (uint64 i = 0, off = eh.phoff; i < eh.phnum; i++, off += sizeof(ph)) {
		if (readi(ip, 0, (uint64)&ph, off, sizeof(ph)) != sizeof(ph))
			return -1;
		if (ph.type != ELF_PT_LOAD)
			continue;
		if (!segment_ok(&ph, *sz, st.size))
			return -1;
		if (ph.memsz == 0)
			continue;
		if ((ph.flags & ELF_PF_X) && eh.entry >= ph.vaddr && eh.entry - ph.vaddr < ph.memsz)
			entry_ok = 1;
		int xflags = (ph.flags & ELF_PF_W ? VM_W : 0) | (ph.flags & ELF_PF_X ? VM_X : 0);
		uint64 nsz = uvm_alloc(pt, *sz, ph.vaddr + ph.memsz, xflags);
		if (nsz == 0)
			return -1;
		*sz = nsz;
		if (load_segment(pt, ph.vaddr, ip, ph.off, ph.filesz) < 0)
			return -1;
	}
	*entry = eh.entry;
	return entry_ok ? 0 : -1;
}

/* Lay out argv on the new stack (strings, then the pointer array) and
 * return the user sp, or 0. */
static uint64
push_args(pagetable_t pt, uint64 sp, uint64 stackbase, char **argv, uint64 *argc_out)
{
	uint64 ustack[MAXARG + 1];
	uint64 argc;
	for (argc = 0; argv[argc]; argc++) {
		if (argc >= MAXARG)
			return 0;
		uint64 len = strlen(argv[argc]) + 1;
		sp = (sp - len) & ~15UL; /* RISC-V ABI: sp 16-byte aligned */
		if (sp < stackbase || copyout(pt, sp, argv[argc], len) < 0)
			return 0;
		ustack[argc] = sp;
	}
	ustack[argc] = 0;
	sp = (sp - (argc + 1) * sizeof(uint64)) & ~15UL;
	if (sp < stackbase || copyout(pt, sp, ustack, (argc + 1) * sizeof(uint64)) < 0)
		return 0;
	*argc_out = argc;
	return sp;
}

/* Whether the boot arguments ask for pid 1's first user table. */
static int
want_vmprint(struct proc *p)
{
	static int done;
	char v[4];
	if (p->pid != 1 || done)
		return 0;
	done = 1;
	return bootarg("vmprint", v, sizeof(v)) && v[0] == '1';
}

/* Make the new image p's: name, table, size, guard, entry and stack; the
 * old table is freed. Cannot fail. */
static void
commit_image(struct proc *p, const char *path, pagetable_t pt, uint64 sz, uint64 guard,
             uint64 entry, uint64 sp)
{
	const char *last = path;
	for (const char *s = path; *s; s++)
		if (*s == '/')
			last = s + 1;
	safestrcpy(p->name, last, sizeof(p->name));
	pagetable_t oldpt = p->vm->pagetable;
	uint64 oldsz = p->vm->sz;
	p->vm->pagetable = pt;
	p->vm->sz = sz;
	p->vm->guardva = guard;
	p->trapframe->epc = entry;
	p->trapframe->x[REG_SP] = sp;
	p->trapframe->x[REG_A1] = sp; /* argv; argc is the return value (a0) */
	aspace_reset(&p->vm->uas); /* a new table: a new ASID */
	push_off();
	aspace_proc_reload(p);
	pop_off();
	kpt_user_committed(p, oldpt);
	proc_freepagetable(oldpt, oldsz, p->tfva);
	if (want_vmprint(p))
		vmprint(p->vm->pagetable);
}

int
exec(const char *path, char **argv)
{
	struct proc *p = myproc();
	uint64 entry = 0, sz = 0, sp, argc;
	pagetable_t pt;
	struct inode *ip;

	/* From a thread: the others end first, whether or not this works. */
	if (proc_single() != 0)
		return -1;
	if ((ip = namei(path)) == 0)
		return -1;
	if (itype(ip) != T_FILE || (pt = proc_pagetable(p)) == 0) {
		iput(ip);
		return -1;
	}
	ilock(ip);
	int loaded = load_program(pt, ip, &sz, &entry);
	iunlock(ip);
	iput(ip);
	if (loaded < 0)
		goto bad;

	/* One guard page (no user access), then the stack. */
	sz = PGROUNDUP(sz);
	uint64 top = uvm_alloc(pt, sz, sz + (USTACK_PAGES + 1) * PGSIZE, VM_W);
	if (top == 0)
		goto bad;
	uint64 guard = sz;
	sz = top;
	uvm_guard(pt, guard);
	if ((sp = push_args(pt, top, guard + PGSIZE, argv, &argc)) == 0)
		goto bad;
	if (kpt_user_replaced(p, pt, sz) != 0)
		goto bad;
	commit_image(p, path, pt, sz, guard, entry, sp);
	return argc;

bad:
	/* Whatever failed, [0, sz) is exactly what is mapped. */
	proc_freepagetable(pt, sz, p->tfva);
	return -1;
}
