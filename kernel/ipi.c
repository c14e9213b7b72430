/* Shootdowns by IPIs (ipi.h has the protocol, shoot.h the policy). */
#include "config.h"
#include "kernel/ipi.h"
#include "kernel/aspace.h"
#include "kernel/bootargs.h"
#include "kernel/counters.h"
#include "kernel/klib.h"
#include "kernel/memlayout.h"
#include "kernel/param.h"
#include "kernel/proc.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/vm.h"

int shoot_knob[SHOOT_NKNOB] = {
    [SHOOT_TARGET] = SHOOT_LAZY,
    [SHOOT_THRESHOLD] = 64,
    [SHOOT_VIA] = SHOOT_SSWI,
    [SHOOT_SVINVAL] = 0,
};
static uint64 harts_up;

enum req_kind { REQ_NONE, REQ_PAGES, REQ_ASIDS, REQ_ALL };

/* A hart's request slot; a cache line of its own. */
struct fence_slot {
	struct spinlock lock;
	enum req_kind kind;
	struct shoot s; /* REQ_PAGES: the pages; REQ_ASIDS: the ASIDs */
	uint64 made;    /* requests made of this hart (under lock) */
	uint64 served;  /* requests it has served: written by it only */
} __attribute__((aligned(64)));
static struct fence_slot slots[NCPU];

static int
parse_knob(const char *key, const char *const names[], int n, int dflt)
{
	char v[16];
	if (!bootarg(key, v, sizeof(v)))
		return dflt;
	for (int i = 0; i < n; i++)
		if (strncmp(v, names[i], sizeof(v)) == 0)
			return i;
	if (v[0] >= '0' && v[0] <= '9' && names == 0) {
		int x = 0;
		for (const char *c = v; *c >= '0' && *c <= '9' && x <= SHOOT_THRESHOLD_MAX; c++)
			x = x * 10 + (*c - '0');
		return x;
	}
	return dflt; /* unknown: the default, as for other boot arguments */
}

void
shoot_boot(void)
{
	static const char *const targets[] = {"all", "mask", "lazy"};
	static const char *const vias[] = {"sswi", "mmode"};
	static const char *const flags[] = {"0", "1"};
	for (int h = 0; h < NCPU; h++)
		spin_init(&slots[h].lock, "fenceslot");
	shoot_ctl(SHOOT_TARGET, parse_knob("shoot", targets, 3, SHOOT_LAZY));
	shoot_ctl(SHOOT_THRESHOLD, parse_knob("shootpages", 0, 0, 64));
	shoot_ctl(SHOOT_VIA, parse_knob("ipi", vias, 2, SHOOT_SSWI));
	shoot_ctl(SHOOT_SVINVAL, parse_knob("svinval", flags, 2, 0));
}

int
shoot_ctl(int k, int v)
{
	static const int limit[SHOOT_NKNOB] = {
	    [SHOOT_TARGET] = SHOOT_LAZY,
	    [SHOOT_THRESHOLD] = SHOOT_THRESHOLD_MAX,
	    [SHOOT_VIA] = SHOOT_MMODE,
	    [SHOOT_SVINVAL] = 1,
	};
	if (k < 0 || k >= SHOOT_NKNOB || v > limit[k])
		return -1;
	int old = __atomic_load_n(&shoot_knob[k], __ATOMIC_RELAXED);
	if (v < 0)
		return old;
	if (k == SHOOT_SVINVAL && v && !bootargs_has_svinval)
		return -1;
	__atomic_store_n(&shoot_knob[k], v, __ATOMIC_RELAXED);
	return old;
}

void
ipi_hart_up(void)
{
	__atomic_fetch_or(&harts_up, UL(1) << cpuid(), __ATOMIC_SEQ_CST);
}

uint64
ipi_harts_up(void)
{
	return __atomic_load_n(&harts_up, __ATOMIC_ACQUIRE);
}

/* Merge request s (by page when by_page) into slot t. t->lock held. */
static void
merge(struct fence_slot *t, const struct shoot *s, int by_page)
{
	enum req_kind k = by_page ? REQ_PAGES : s->nasid ? REQ_ASIDS : REQ_ALL;
	if (t->kind == REQ_NONE) {
		t->kind = k;
		t->s = *s;
		return;
	}
	if (t->kind == REQ_ALL || k == REQ_ALL || t->s.nasid == 0 || s->nasid == 0) {
		t->kind = REQ_ALL;
		return;
	}
	/* Both name ASIDs: the whole of each, if they fit. */
	for (int i = 0; i < s->nasid; i++) {
		int j = 0;
		while (j < t->s.nasid && t->s.asid[j] != s->asid[i])
			j++;
		if (j < t->s.nasid)
			continue;
		if (t->s.nasid == 2) {
			t->kind = REQ_ALL;
			return;
		}
		t->s.asid[t->s.nasid++] = s->asid[i];
	}
	t->kind = REQ_ASIDS;
}

/* Raise hart's supervisor software interrupt (ACLINT SSWI SETSSIP). */
static void
sswi_send(int hart)
{
	volatile uint32 *setssip = (volatile uint32 *)(SSWI_VA + 4 * (uint64)hart);
	*setssip = 1;
}

/* Ask M-mode to interrupt the harts of mask (start.c's mtrapvec: it
 * raises their machine software interrupts, whose handler passes each on
 * as a supervisor software interrupt). */
static void
mmode_send(uint64 mask)
{
	register uint64 a0 asm("a0") = mask;
	asm volatile("ecall" : "+r"(a0) : : "memory");
	COUNT(ipi_ecalls, 1);
}

void
ipi_wake(int hart)
{
	if (shoot_knob[SHOOT_VIA] == SHOOT_SSWI)
		sswi_send(hart);
	else
		mmode_send(UL(1) << hart);
	COUNT(ipis_sent, 1);
	COUNT(wake_ipis, 1);
}

void
ipi_shootdown(uint64 harts, const struct shoot *s)
{
	uint64 want[NCPU];
	if (harts == 0)
		return;
	COUNT(shootdowns, 1);
	COUNT(shootdown_pages, s->npages);
	int by_page = s->npages <= (uint64)shoot_knob[SHOOT_THRESHOLD];
	int via = shoot_knob[SHOOT_VIA];
	for (int h = 0; h < NCPU; h++) {
		if (!(harts >> h & 1))
			continue;
		/* The request, then the interrupt: the target takes the
		 * request after it clears its pending bit. */
		struct fence_slot *t = &slots[h];
		acquire(&t->lock);
		merge(t, s, by_page);
		want[h] = ++t->made;
		release(&t->lock);
		if (via == SHOOT_SSWI)
			sswi_send(h);
		COUNT(ipis_sent, 1);
	}
	if (via == SHOOT_MMODE)
		mmode_send(harts);
	uint64 t0 = csr_read(instret);
	for (int h = 0; h < NCPU; h++)
		while ((harts >> h & 1) && __atomic_load_n(&slots[h].served, __ATOMIC_ACQUIRE) < want[h])
			; /* interrupts on: this hart serves others meanwhile */
	COUNT(shoot_wait, csr_read(instret) - t0);
}

/* Fence what request r of kind k asks, on this hart. */
static void
serve(enum req_kind k, const struct shoot *r)
{
	switch (k) {
	case REQ_PAGES:
		if (r->nasid == 0)
			tlb_fence_pages(r->va, r->npages, 0, 0);
		for (int i = 0; i < r->nasid; i++)
			tlb_fence_pages(r->va, r->npages, 1, r->asid[i]);
		COUNT(remote_fence_pages, r->npages * (r->nasid ? r->nasid : 1));
		break;
	case REQ_ASIDS:
		for (int i = 0; i < r->nasid; i++)
			tlb_fence_asid(r->asid[i]);
		COUNT(remote_fence_asids, r->nasid);
		break;
	case REQ_ALL:
		vm_flush();
		COUNT(remote_fence_alls, 1);
		break;
	case REQ_NONE:
		return;
	}
	COUNT(remote_fences, 1);
}

void
ipi_intr(void)
{
	struct fence_slot *t = &slots[cpuid()];
	/* Clear first: a request made after the take below interrupts again. */
	csr_clear(sip, IRQ_SSI);
	COUNT(ipis_received, 1);
	acquire(&t->lock);
	enum req_kind k = t->kind;
	struct shoot r = t->s;
	uint64 made = t->made;
	t->kind = REQ_NONE;
	release(&t->lock);
	if (made == t->served)
		return;
	/* Where traps switch satp without ASIDs, the trap that brought
	 * this hart here emptied its TLB of user entries, and its kernel
	 * table maps no user memory unless the design mirrors it. */
	if (!(KPT_TRAP_SWITCH && !KPT_USER_MIRROR && aspace_satp_flushes()))
		serve(k, &r);
	__atomic_store_n(&t->served, made, __ATOMIC_RELEASE);
}
