/* Address spaces and ASIDs (aspace.h has the scheme and its reasons).
 *
 * Rule: when an address space whose table this hart's satp holds is given
 * a new ASID (by a rollover or not), satp is reloaded with the new ASID and
 * the old ASID fenced (satp_follow) before aspace_satp returns.
 *
 * So the kernel never runs on a loaded table under an ASID that the
 * allocator has taken from it, and what the hart cached under the old ASID
 * in between (after the rollover flush) is gone. ASIDs are given only in
 * aspace_satp, which the scheduler (aspace_proc_enter, on the global
 * table) and exec (aspace_proc_reload, on the process's own tables)
 * call; trap entry and exit, fork, exit and
 * wait give none.
 */
#include "config.h"
#include "kernel/aspace.h"
#include "kernel/bootargs.h"
#include "kernel/counters.h"
#include "kernel/ipi.h"
#include "kernel/klib.h"
#include "kernel/kpt/kpt.h"
#include "kernel/param.h"
#include "kernel/printf.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/vm.h"

/* satp (privileged spec 4.1.11, Sv39): ASID in bits 59..44. */
#define SATP_ASID_SHIFT 44
#define SATP_ASID_FIELD UL(0xffff)
#define SATP_ASID(v) (((v) >> SATP_ASID_SHIFT) & SATP_ASID_FIELD)
#define SATP_ROOT(v) ((v) & ~(SATP_ASID_FIELD << SATP_ASID_SHIFT))
#define ASID_ID_SHIFT 16 /* an id: generation above, ASID below */
#define ASID_OF(id) ((id) & ((UL(1) << ASID_ID_SHIFT) - 1))
#define GEN_OF(id) ((id) >> ASID_ID_SHIFT)

int aspace_asid_bits; /* in use; 0: every satp write flushes */
static uint64 generation = 1; /* current; ids of older ones are stale */
static uint64 asid_used[(1 << 16) / 64]; /* of the current generation */
static uint64 asid_next = 1; /* where the search for a free one starts */
static uint64 hart_gen[NCPU]; /* generation whose ASIDs each TLB is clean of */
static struct spinlock asid_lock;

/* How many ASID bits the hart keeps: write all ones, read back (spec
 * 4.1.11: the implemented bits are the low ones). */
static int
asid_probe(void)
{
	uint64 base = MAKE_SATP(kernel_pagetable);
	csr_write(satp, base | (SATP_ASID_FIELD << SATP_ASID_SHIFT));
	uint64 got = (csr_read(satp) >> SATP_ASID_SHIFT) & SATP_ASID_FIELD;
	csr_write(satp, base);
	COUNT(satp_writes, 2);
	vm_flush();
	int bits = 0;
	while (bits < 16 && (got >> bits) & 1)
		bits++;
	return bits;
}

/* Boot argument asidstart=N (decimal): every generation begins as if
 * ASIDs 1..N had been handed out already, so that a test rolls over
 * every few new address spaces at any width, the high ASID numbers
 * included. 0: none taken (the default). */
static uint64 asid_first_free = 1;

/* ASIDs 1..asid_first_free-1 taken, the search starting after them. */
static void
asid_take_start(void)
{
	for (uint64 a = 1; a < asid_first_free; a++)
		asid_used[a / 64] |= UL(1) << (a % 64);
	asid_next = asid_first_free;
}

static void
asid_start(void)
{
	char v[12];
	if (!bootarg("asidstart", v, sizeof(v)))
		return;
	uint64 n = 0, top = UL(1) << aspace_asid_bits;
	for (char *c = v; *c >= '0' && *c <= '9' && n < top; c++)
		n = n * 10 + (*c - '0');
	/* Two ASIDs per generation stay free: a process may need two. */
	asid_first_free = n + 3 <= top ? n + 1 : top - 2;
	asid_take_start();
}

void
aspace_boot(void)
{
	char v[8];
	spin_init(&asid_lock, "asid");
	if (KPT_ASID) {
		aspace_asid_bits = asid_probe();
		/* asidbits=N (one decimal digit or two) may only lower it */
		if (bootarg("asidbits", v, sizeof(v)) && v[0] >= '0' && v[0] <= '9') {
			int n = v[0] - '0';
			if (v[1] >= '0' && v[1] <= '9')
				n = n * 10 + v[1] - '0';
			if (n < aspace_asid_bits)
				aspace_asid_bits = n;
		}
		/* A process may need two at once (user and kernel table): with
		 * one ASID besides the kernel's, do without. */
		if (aspace_asid_bits < 2)
			aspace_asid_bits = 0;
		asid_start();
	}
	asid_used[0] = 1; /* ASID 0: the global kernel table */
	hart_gen[0] = generation;
	kcounters.asid_bits = aspace_asid_bits;
	kvm_count_leaves();
}

void
aspace_hart_init(void)
{
	hart_gen[cpuid()] = generation;
	csr_write(satp, MAKE_SATP(kernel_pagetable));
	COUNT(satp_writes, 1);
	vm_flush();
}

/* Begin a new generation: every ASID but 0 is free again, and each hart
 * must empty its TLB before loading one (aspace_satp). asid_lock held. */
static void
asid_rollover(void)
{
	generation++;
	memset(asid_used, 0, sizeof(asid_used));
	asid_used[0] = 1;
	asid_take_start();
	COUNT(asid_rollovers, 1);
}

/* Give as a free ASID of the current generation. asid_lock held. */
static void
asid_assign(struct aspace *as)
{
	uint64 n = UL(1) << aspace_asid_bits;
	for (int pass = 0; pass < 2; pass++) {
		for (uint64 a = asid_next; a < n; a++) {
			if (asid_used[a / 64] & (UL(1) << (a % 64)))
				continue;
			asid_used[a / 64] |= UL(1) << (a % 64);
			asid_next = a + 1;
			as->id = generation << ASID_ID_SHIFT | a;
			as->ran_on = 0;
			as->stale_on = 0;
			return;
		}
		asid_rollover();
	}
	panic("asid_assign: no ASID free after a rollover");
}

/* sfence.vma zero, asid: as's non-global entries, this hart, counted. */
static void
fence_asid(uint64 asid)
{
	asm volatile("sfence.vma zero, %0" : : "r"(asid) : "memory");
	COUNT(sfence_asid, 1);
}

void
tlb_fence_asid(uint64 asid)
{
	fence_asid(asid);
}

/* One sfence.vma va, asid (or va, zero) per page. */
static void __attribute__((noinline))
fence_pages(uint64 va, uint64 npages, int use_asid, uint64 asid)
{
	uint64 end = va + npages * PGSIZE;
	if (use_asid) {
		for (; va < end; va += PGSIZE)
			asm volatile("sfence.vma %0, %1" : : "r"(va), "r"(asid) : "memory");
		COUNT(sfence_addr_asid, npages);
	} else {
		for (; va < end; va += PGSIZE)
			asm volatile("sfence.vma %0, zero" : : "r"(va) : "memory");
		COUNT(sfence_addr, npages);
	}
}

/* The same batched with Svinval: sfence.w.inval orders the page-table
 * stores before the invalidations, one sinval.vma per page (no ordering
 * of its own), sfence.inval.ir orders them before what follows. As
 * .insn words: the assembler may not know Svinval. */
static void __attribute__((noinline))
inval_pages(uint64 va, uint64 npages, int use_asid, uint64 asid)
{
	uint64 end = va + npages * PGSIZE;
	uint64 a = use_asid ? asid : 0;
	asm volatile(".insn r 0x73, 0, 0x0c, x0, x0, x0" : : : "memory"); /* sfence.w.inval */
	if (use_asid) {
		for (; va < end; va += PGSIZE)
			asm volatile(".insn r 0x73, 0, 0x0b, x0, %0, %1" : : "r"(va), "r"(a) : "memory");
	} else {
		for (; va < end; va += PGSIZE)
			asm volatile(".insn r 0x73, 0, 0x0b, x0, %0, x0" : : "r"(va) : "memory");
	}
	asm volatile(".insn r 0x73, 0, 0x0c, x0, x0, x1" : : : "memory"); /* sfence.inval.ir */
	COUNT(sinvals, npages);
	COUNT(inval_fences, 2);
}

/* The empty asm after each call keeps it a call, never a jump that an
 * instruction removed by tools/mutate.py would fall through. */
void
tlb_fence_pages(uint64 va, uint64 npages, int use_asid, uint64 asid)
{
	if (shoot_knob[SHOOT_SVINVAL])
		inval_pages(va, npages, use_asid, asid);
	else
		fence_pages(va, npages, use_asid, asid);
	asm volatile("");
}

/* [va, va + npages pages) fenced by page up to the policy's threshold,
 * the whole ASID (or everything) above; inlined into each caller so
 * that each has fence instructions and calls of its own
 * (tools/mutate.py removes them caller by caller). */
static inline __attribute__((always_inline)) void
fence_range(uint64 va, uint64 npages, int use_asid, uint64 asid)
{
	if (npages <= (uint64)shoot_knob[SHOOT_THRESHOLD]) {
		if (shoot_knob[SHOOT_SVINVAL])
			inval_pages(va, npages, use_asid, asid);
		else
			fence_pages(va, npages, use_asid, asid);
		asm volatile("");
	} else if (use_asid) {
		fence_asid(asid);
	} else {
		vm_flush();
	}
}

/*
 * An id is usable on a hart when its generation is the one the hart's
 * TLB was last emptied for (hart_gen): every ASID the hart has loaded
 * since is of that generation, so none is shared with another address
 * space there. A rollover elsewhere does not stop a hart from going on
 * with the old generation's ids; it moves to the new one (emptying its
 * TLB) when it meets an id of it, or must give an address space a new
 * one, and from then on it never loads an older id again.
 */

/* The rule at the top of this file: as, whose table is pt, has just
 * had its ASID changed from the one in old_id; if pt is what satp holds
 * on this hart, load it again under asid and fence what the hart cached
 * under the old ASID (also after the rollover flush: the kernel ran on
 * under it until now). Interrupts off. */
static void __attribute__((noinline))
satp_follow(void *pt, uint64 asid)
{
	uint64 cur = csr_read(satp);
	if (SATP_ROOT(cur) != MAKE_SATP(pt) || SATP_ASID(cur) == asid)
		return;
	uint64 v = MAKE_SATP(pt) | asid << SATP_ASID_SHIFT;
	csr_write(satp, v);
	COUNT(satp_writes, 1);
	fence_asid(SATP_ASID(cur));
}

/* aspace_satp's slow path: as's ASID made usable on this hart (a new
 * one, after a rollover if need be; this hart's TLB emptied when it
 * moves to a new generation; as's pending fence done here). Interrupts
 * off. */
static uint64 __attribute__((noinline))
asid_here_slow(void *pt, struct aspace *as)
{
	int hart = cpuid();
	uint64 bit = UL(1) << hart;
	uint64 old = as->id;
	if (GEN_OF(as->id) != hart_gen[hart]) {
		acquire(&asid_lock);
		if (GEN_OF(as->id) != generation)
			asid_assign(as);
		release(&asid_lock);
		if (hart_gen[hart] != GEN_OF(as->id)) {
			vm_flush();
			hart_gen[hart] = GEN_OF(as->id);
		}
	}
	uint64 asid = ASID_OF(as->id);
	if (as->stale_on & bit) {
		fence_asid(asid);
		__atomic_fetch_and(&as->stale_on, ~bit, __ATOMIC_RELAXED);
	}
	if (!(as->ran_on & bit))
		__atomic_fetch_or(&as->ran_on, bit, __ATOMIC_RELAXED);
	if (as->id != old)
		satp_follow(pt, asid);
	return asid;
}

uint64
aspace_satp(void *pt, struct aspace *as)
{
	if (!KPT_ASID || aspace_asid_bits == 0 || as == 0)
		return MAKE_SATP(pt);
	/* The fast path: as's id is of the generation this hart runs, it
	 * was loaded here under it, and no fence is pending here. */
	int hart = cpuid();
	uint64 id = as->id;
	if (GEN_OF(id) == hart_gen[hart] && ((as->ran_on & ~as->stale_on) >> hart & 1))
		return MAKE_SATP(pt) | ASID_OF(id) << SATP_ASID_SHIFT;
	return MAKE_SATP(pt) | asid_here_slow(pt, as) << SATP_ASID_SHIFT;
}

void
aspace_proc_reload(struct proc *p)
{
	struct trapframe *tf = p->trapframe;
	if (!KPT_ASID || aspace_asid_bits == 0) {
		tf->kernel_satp = kpt_satp(p);
		tf->user_satp = MAKE_SATP(p->vm->pagetable);
		tf->kernel_flush = 1;
		return;
	}
	uint64 gen;
	/* Giving the second table an ASID may roll over and leave the first
	 * with an id this hart may no longer load: then both again. */
	do {
		tf->kernel_satp = kpt_satp(p);
		tf->user_satp = aspace_satp(p->vm->pagetable, &p->vm->uas);
		gen = hart_gen[cpuid()];
	} while ((p->vm->kas.id && GEN_OF(p->vm->kas.id) != gen) || (p->vm->uas.id && GEN_OF(p->vm->uas.id) != gen));
	tf->kernel_flush = 0;
	p->tf_uid = p->vm->uas.id;
	p->tf_kid = p->vm->kas.id;
}

/* Whether as's id is usable on hart as it is: of the generation gen the
 * hart runs, loaded there under it, no fence pending there. */
static inline int
asid_ready(struct aspace *as, int hart, uint64 gen)
{
	return GEN_OF(as->id) == gen && ((as->ran_on & ~as->stale_on) >> hart & 1);
}

void
aspace_proc_enter(struct proc *p)
{
	if (KPT_ASID && aspace_asid_bits != 0) {
		/* The fast path: p's ids are ready here, and its trap frame's
		 * satp values were made from those same ids (by p's last
		 * reload; another thread of the address space may have given
		 * it new ones since; an unused kernel aspace stays 0), so
		 * they are still right. */
		int hart = cpuid();
		uint64 gen = hart_gen[hart];
		struct vmspace *vm = p->vm;
		if (p->tf_uid == vm->uas.id && p->tf_kid == vm->kas.id &&
		    asid_ready(&vm->uas, hart, gen) && (vm->kas.id == 0 || asid_ready(&vm->kas, hart, gen)))
			return;
	}
	aspace_proc_reload(p);
}

void
aspace_write(uint64 v)
{
	csr_write(satp, v);
	COUNT(satp_writes, 1);
	if (aspace_satp_flushes())
		vm_flush();
}

void
aspace_load_kernel(void)
{
	aspace_write(MAKE_SATP(kernel_pagetable)); /* ASID 0, always ready */
}

/* aspace_changed and aspace_user_shrunk: the same fences, two names so
 * that tools/mutate.py can remove the calls of each apart; inlined into
 * both and the two kept apart (no_icf), so that each has its own fence
 * instructions to remove too. */
static inline __attribute__((always_inline)) void
changed(void *pt, struct aspace *as, uint64 va, uint64 npages, int mark)
{
	if (aspace_satp_flushes()) {
		/* ASID 0 everywhere: only a loaded table can be cached, and
		 * trap-switching designs flush on every trap anyway. */
		if (csr_read(satp) == MAKE_SATP(pt))
			fence_range(va, npages, 0, 0);
		return;
	}
	if (as->id == 0)
		return; /* never loaded: no TLB holds it */
	uint64 asid = ASID_OF(as->id);
	push_off();
	uint64 bit = UL(1) << cpuid();
	if (as->ran_on & bit)
		fence_range(va, npages, 1, asid);
	if (mark)
		__atomic_fetch_or(&as->stale_on, as->ran_on & ~bit, __ATOMIC_RELAXED);
	pop_off();
}

void __attribute__((no_icf))
aspace_changed(void *pt, struct aspace *as, uint64 va, uint64 npages)
{
	changed(pt, as, va, npages, 1);
}

void __attribute__((no_icf))
aspace_user_shrunk(void *pt, struct aspace *as, uint64 va, uint64 npages)
{
	/* Other targeting policies interrupt every hart that may hold as
	 * (ipi.c) instead of leaving them a fence to do. */
	changed(pt, as, va, npages, shoot_knob[SHOOT_TARGET] == SHOOT_LAZY);
}

uint64
aspace_harts(struct aspace *as)
{
	return __atomic_load_n(&as->ran_on, __ATOMIC_ACQUIRE);
}

int
aspace_asid(struct aspace *as, uint64 *asid)
{
	if (!KPT_ASID || aspace_asid_bits == 0 || as->id == 0)
		return 0;
	*asid = ASID_OF(as->id);
	return 1;
}

void
aspace_reset(struct aspace *as)
{
	as->id = 0;
	as->ran_on = 0;
	as->stale_on = 0;
}
