/*
 * tlbsim: a QEMU TCG plugin (API version 1, QEMU 7.2) that runs a RISC-V
 * guest's fetches, loads and stores through a model TLB (tlbmodel.c) and
 * reports, per marked region, instructions, TLB misses, flushes and
 * estimated cycles; with check=1 it also runs them through the
 * stale-translation checker (tlbcheck.c). Options and output: README.md
 * beside this file.
 *
 * What it sees, decoded from instruction words at translation time:
 *
 *   addi x0, x0, ID      ID 1..2047: begin region ID; ID -1: end it
 *   sfence.vma rs1, rs2  fence this hart's model TLBs; count by form
 *   csr write to satp    switch this hart's model to the announced ASID
 *
 * and, at run time, every instruction (one inline add each), the page of
 * every fetch, the virtual address of every load and store and, when
 * checking, the physical address QEMU used for it. It cannot see
 * registers, CSR values, PTEs or privilege: what it needs of those the
 * kernel announces by loads from a reserved window (kernel/announce.h,
 * decoded by tlbann.c), which the model does not count as accesses. An
 * instruction is "kernel" when its address is at or above KERNEL_BASE or
 * in the trampoline page.
 *
 * Harts: each has its own model TLBs, checker and pending announcements;
 * the instruction count and the region being measured are global.
 * Figures are meant for one hart under -icount, where QEMU runs all vCPUs
 * in one thread; nothing here locks.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "marker.h"
#include "qemu_plugin_api.h"
#include "tlbann.h"
#include "tlbcheck.h"
#include "tlbmodel.h"

TLBSIM_EXPORT int qemu_plugin_version = TLBSIM_QEMU_PLUGIN_VERSION;

/* Guest address map (kernel/memlayout.h). */
#define PAGE_SHIFT 12
#define KERNEL_BASE 0x80000000ULL    /* kernel text, identity mapped */
#define TRAMPOLINE_PAGE 0x3FFFFFFULL /* (MAXVA - PGSIZE) >> PAGE_SHIFT */
#define NO_PAGE UINT64_MAX

/* Instruction encodings (RISC-V unprivileged ISA ch. 2 and "Zicsr",
 * privileged ISA "Supervisor Memory-Management Fence Instruction"). */
#define INSN_OPCODE(w) ((w)&0x7f)
#define INSN_RS1(w) (((w) >> 15) & 0x1f)
#define INSN_RS2(w) (((w) >> 20) & 0x1f)
#define INSN_FUNCT3(w) (((w) >> 12) & 0x7)
#define INSN_IMM12(w) ((w) >> 20) /* I-type immediate, unsigned */
#define OPCODE_SYSTEM 0x73
/* sfence.vma: funct7 0001001, rd = 0, funct3 = 0, opcode SYSTEM. */
#define SFENCE_MASK 0xfe007fffu
#define SFENCE_BITS 0x12000073u
#define CSR_SATP 0x180
#define FUNCT3_CSRRW 1
#define FUNCT3_CSRRWI 5

/* QEMU's exit status when the checker found a stale translation or the
 * kernel broke the announcement protocol (tools/run.sh passes it on). */
#define TLBSIM_EXIT_FAILED 86
/* Reports of each kind printed in full; the rest are only counted. */
#define REPORTS_SHOWN_MAX 20

/* Per-hart counts, cumulative; a region's are end minus begin. The
 * order is the CSV's, after region and insns. */
enum counter {
	C_SATP_WRITES,
	C_SFENCE_ALL,       /* sfence.vma x0, x0 */
	C_SFENCE_ADDR,      /* sfence.vma rs1, x0 */
	C_SFENCE_ASID,      /* sfence.vma x0, rs2 */
	C_SFENCE_ADDR_ASID, /* sfence.vma rs1, rs2 */
	C_ITLB_MISS_USER,
	C_ITLB_MISS_KERNEL,
	C_DTLB_MISS_USER,
	C_DTLB_MISS_KERNEL,
	C_L2_HITS,
	NCOUNTERS
};

static const char *const counter_names[NCOUNTERS] = {
    [C_SATP_WRITES] = "satp_writes",           [C_SFENCE_ALL] = "sfence_all",
    [C_SFENCE_ADDR] = "sfence_addr",           [C_SFENCE_ASID] = "sfence_asid",
    [C_SFENCE_ADDR_ASID] = "sfence_addr_asid", [C_ITLB_MISS_USER] = "itlb_miss_user",
    [C_ITLB_MISS_KERNEL] = "itlb_miss_kernel", [C_DTLB_MISS_USER] = "dtlb_miss_user",
    [C_DTLB_MISS_KERNEL] = "dtlb_miss_kernel", [C_L2_HITS] = "l2_hits",
};

/* count_outcome finds a kernel counter one past its user counter;
 * sfence_cb turns a form counter into its enum tlb_fence. */
_Static_assert(C_ITLB_MISS_KERNEL == C_ITLB_MISS_USER + 1, "itlb counters out of order");
_Static_assert(C_DTLB_MISS_KERNEL == C_DTLB_MISS_USER + 1, "dtlb counters out of order");
_Static_assert(C_SFENCE_ADDR - C_SFENCE_ALL == TLB_FENCE_ADDR &&
                   C_SFENCE_ASID - C_SFENCE_ALL == TLB_FENCE_ASID &&
                   C_SFENCE_ADDR_ASID - C_SFENCE_ALL == TLB_FENCE_ADDR_ASID,
               "sfence counters out of the order of enum tlb_fence");

/* One hart's model; a cache line of its own, as each vCPU thread of
 * multi-threaded TCG writes only its own. */
struct hart {
	struct tlb_hier tlb;
	struct tlbcheck *check; /* NULL unless check=1 */
	struct ann_hart ann;
	uint32_t asid; /* address space of the last satp write */
	uint64_t count[NCOUNTERS];
} __attribute__((aligned(64)));

/* One closed region: a CSV row. */
struct row {
	unsigned id;
	uint64_t insns;
	uint64_t count[NCOUNTERS];
};

/* An instruction that needs its pc at run time (satp writes and fences):
 * interned, so a block translated again reuses it. */
struct site {
	uint64_t pc;
	uintptr_t arg; /* sfence: its form counter */
};

static struct tlb_config config;
static int check_on;
/* Where the report goes: out=FILE, else QEMU's stdout (after the guest's
 * last console output, since it is written at exit). Not through
 * qemu_plugin_outs: QEMU 7.2 prints that only with -d plugin, on stderr. */
static FILE *out_file;
static struct hart *harts;
static unsigned nharts;
static struct ann_kernel kernel; /* what the kernel announced */
static uint64_t stale_found;

/* Every executed instruction adds one (inline, or in its marker
 * callback). A plain global: see the note on harts at the top. */
static uint64_t insn_count;

/* The region being measured, if any, and its starting point. */
static struct {
	int open;
	unsigned id;
	uint64_t insns;
	uint64_t count[NCOUNTERS];
} region;

static struct row *rows;
static size_t nrows, rows_cap;
static uint64_t abandoned;  /* begun, never ended (begin again, or exit) */
static uint64_t stray_ends; /* end markers with no region open */
static int out_of_memory;   /* rows or sites were lost: said in the trailer */

static struct site *sites;
static size_t nsites, sites_cap;

static int
is_kernel_va(uint64_t va)
{
	uint64_t page = va >> PAGE_SHIFT;
	return page >= (KERNEL_BASE >> PAGE_SHIFT) || page == TRAMPOLINE_PAGE;
}

static struct hart *
hart_of(unsigned vcpu_index)
{
	/* QEMU numbers vCPUs below max_vcpus; the test is only a guard. */
	return &harts[vcpu_index < nharts ? vcpu_index : 0];
}

/* The translation of va on h: its page size and global bit from the
 * kernel map's announced regions, its ASID the hart's. */
static inline void
xlate_init(struct tlb_xlate *x, const struct hart *h, uint64_t va)
{
	const struct ann_region *r = ann_region_of(&kernel, va);

	x->va = va;
	x->asid = h->asid;
	x->size = r != NULL ? r->size : TLB_4K;
	x->global = r != NULL && r->global;
}

/* Count the outcome of one TLB lookup in h: a miss of the user or
 * kernel kind, and an L2 hit if it was one. */
static inline void
count_outcome(struct hart *h, enum tlb_outcome o, int kernel_insn, enum counter user_c)
{
	if (o == TLB_L1_HIT)
		return;
	h->count[user_c + (kernel_insn ? 1 : 0)]++;
	if (o == TLB_L2_HIT)
		h->count[C_L2_HITS]++;
}

/* A broken announcement protocol: said (the first few times) and counted
 * in kernel.errors, which fails the run at exit. */
static void
report_protocol(unsigned vcpu, uint64_t pc, const char *msg)
{
	if (kernel.errors <= REPORTS_SHOWN_MAX)
		fprintf(stderr, "tlbsim: protocol error: hart %u pc 0x%" PRIx64 ": %s\n", vcpu, pc,
		        msg);
}

static const char *const size_names[TLB_NSIZES] = {"4 KiB", "2 MiB", "1 GiB"};

/* Say (the first few times) that an access hit a stale translation. */
static void
report_stale(unsigned vcpu, uint64_t pc, const char *access, const struct tlb_xlate *x,
             enum tlbcheck_verdict v, const struct tlbcheck_stale *why, uint64_t frame)
{
	char entry[64];

	if (++stale_found > REPORTS_SHOWN_MAX)
		return;
	if (why->entry_global)
		snprintf(entry, sizeof(entry), "global entry, %s page", size_names[x->size]);
	else
		snprintf(entry, sizeof(entry), "entry of ASID %u, %s page", why->entry_asid,
		         size_names[x->size]);
	fprintf(stderr,
	        "tlbsim: stale translation: hart %u pc 0x%" PRIx64 " (%s) %s va 0x%" PRIx64
	        " asid %u: %s ",
	        vcpu, pc, is_kernel_va(pc) ? "kernel" : "user", access, x->va, x->asid, entry);
	if (v == TLBCHECK_STALE_MARKED)
		fprintf(stderr,
		        "cached before the kernel changed its leaf (ANN_PTE at pc 0x%" PRIx64
		        "), no sfence.vma covering it on this hart since\n",
		        why->mark_pc);
	else
		fprintf(stderr,
		        "holds frame 0x%" PRIx64 " but the page is now at 0x%" PRIx64
		        ": remapped with no sfence.vma covering it on this hart since\n",
		        why->cached_frame, frame);
}

/* Run x (frame: its page's physical base, or TLBCHECK_NO_FRAME) through
 * h's checker; access names it for a report. */
static void
check_access(struct hart *h, unsigned vcpu, const struct tlb_xlate *x, uint64_t frame, uint64_t pc,
             const char *access)
{
	struct tlbcheck_stale why;
	enum tlbcheck_verdict v = tlbcheck_access(h->check, x, frame, &why);

	if (v == TLBCHECK_STALE_MARKED || v == TLBCHECK_STALE_FRAME)
		report_stale(vcpu, pc, access, x, v, &why, frame);
}

/* Fetch from the page of va in udata: registered on the first
 * instruction of each run of instructions on one page within a block
 * (see tb_trans); va is that instruction's address. */
static void
fetch_cb(unsigned vcpu_index, void *udata)
{
	uint64_t va = (uintptr_t)udata;
	struct hart *h = hart_of(vcpu_index);
	struct tlb_xlate x;

	xlate_init(&x, h, va);
	count_outcome(h, tlb_hier_access(&h->tlb, TLB_FETCH, &x), is_kernel_va(va),
	              C_ITLB_MISS_USER);
	if (h->check != NULL)
		check_access(h, vcpu_index, &x, TLBCHECK_NO_FRAME, va, "fetch");
}

/* An announcement load by hart h at window offset off, from pc. */
static void
announce(struct hart *h, unsigned vcpu, uint64_t off, uint64_t pc)
{
	struct ann_action act;
	const char *msg = ann_decode(&kernel, &h->ann, off, &act);

	if (msg != NULL)
		report_protocol(vcpu, pc, msg);
	if (act.pte && check_on)
		for (unsigned i = 0; i < nharts; i++)
			tlbcheck_mark(harts[i].check, act.va, act.asid, pc);
}

/* The physical base of x's page as QEMU translated the access in info,
 * or TLBCHECK_NO_FRAME. */
static uint64_t
data_frame(qemu_plugin_meminfo_t info, const struct tlb_xlate *x)
{
	struct qemu_plugin_hwaddr *hw = qemu_plugin_get_hwaddr(info, x->va);
	uint64_t offset = x->va & ((1ULL << tlb_page_shift(x->size)) - 1);

	if (hw == NULL)
		return TLBCHECK_NO_FRAME;
	return qemu_plugin_hwaddr_phys_addr(hw) - offset;
}

/* A load or store at vaddr by the instruction at pc (udata). */
static void
mem_cb(unsigned vcpu_index, qemu_plugin_meminfo_t info, uint64_t vaddr, void *udata)
{
	uint64_t pc = (uintptr_t)udata;
	struct hart *h = hart_of(vcpu_index);
	struct tlb_xlate x;

	if (ann_in_window(vaddr)) {
		announce(h, vcpu_index, vaddr - ANNOUNCE_VA, pc);
		return;
	}
	xlate_init(&x, h, vaddr);
	count_outcome(h, tlb_hier_access(&h->tlb, TLB_DATA, &x), is_kernel_va(pc),
	              C_DTLB_MISS_USER);
	if (h->check != NULL)
		check_access(h, vcpu_index, &x, data_frame(info, &x), pc,
		             qemu_plugin_mem_is_store(info) ? "store" : "load");
}

/* sfence.vma at the site in udata (arg: its form counter). Its operands
 * come from the hart's ANN_FENCE; the model and checker fence alike. One
 * at a user address is a user program's, which traps (U-mode may not
 * fence): counted, but it fences nothing and uses no announcement. */
static void
sfence_cb(unsigned vcpu_index, void *udata)
{
	const struct site *s = udata;
	struct hart *h = hart_of(vcpu_index);
	enum tlb_fence kind = (enum tlb_fence)(s->arg - C_SFENCE_ALL);
	uint64_t va;
	uint32_t asid;
	const char *msg;

	h->count[s->arg]++;
	if (!is_kernel_va(s->pc))
		return;
	msg = ann_fence(&kernel, &h->ann, &kind, &va, &asid);
	if (msg != NULL)
		report_protocol(vcpu_index, s->pc, msg);
	tlb_hier_fence(&h->tlb, kind, va, asid);
	if (h->check != NULL)
		tlbcheck_fence(h->check, kind, va, asid);
}

/* A satp write at the site in udata: the hart enters the announced ASID,
 * and the model drops what the modelled core drops. One at a user
 * address traps, as in sfence_cb: counted, nothing else. */
static void
satp_cb(unsigned vcpu_index, void *udata)
{
	const struct site *s = udata;
	struct hart *h = hart_of(vcpu_index);
	const char *msg;

	h->count[C_SATP_WRITES]++;
	if (!is_kernel_va(s->pc))
		return;
	msg = ann_satp(&kernel, &h->ann, &h->asid);
	if (msg != NULL)
		report_protocol(vcpu_index, s->pc, msg);
	tlb_hier_satp(&h->tlb, kernel.hello && kernel.asid_bits != 0);
}

/* Sum of every hart's counters into sum. */
static void
counters_now(uint64_t sum[NCOUNTERS])
{
	memset(sum, 0, sizeof(uint64_t) * NCOUNTERS);
	for (unsigned i = 0; i < nharts; i++)
		for (int c = 0; c < NCOUNTERS; c++)
			sum[c] += harts[i].count[c];
}

/* Append the open region, ended now, to rows. */
static void
region_close(void)
{
	uint64_t now[NCOUNTERS];
	struct row *r;

	if (nrows == rows_cap) {
		size_t cap = rows_cap ? 2 * rows_cap : 1024;
		struct row *bigger = realloc(rows, cap * sizeof(*rows));
		if (bigger == NULL) {
			out_of_memory = 1;
			region.open = 0;
			return;
		}
		rows = bigger;
		rows_cap = cap;
	}
	r = &rows[nrows++];
	r->id = region.id;
	/* insn_count includes the end marker, which the region does not. */
	r->insns = insn_count - 1 - region.insns;
	counters_now(now);
	for (int c = 0; c < NCOUNTERS; c++)
		r->count[c] = now[c] - region.count[c];
	region.open = 0;
}

/*
 * A marker: udata is its immediate (1..2047 begin, MARKER_END end).
 * The marker counts itself here rather than inline, so the count read
 * below includes it whatever order QEMU runs callbacks and inline ops
 * in. A region's insns is therefore every instruction executed strictly
 * between its begin and end markers.
 */
static void
marker_cb(unsigned vcpu_index, void *udata)
{
	unsigned imm = (unsigned)(uintptr_t)udata;

	(void)vcpu_index;
	insn_count++;
	if (imm == MARKER_END) {
		if (region.open)
			region_close();
		else
			stray_ends++;
		return;
	}
	if (region.open)
		abandoned++;
	region.open = 1;
	region.id = imm;
	region.insns = insn_count;
	counters_now(region.count);
}

/* The interned site (pc, arg), or NULL when memory runs out. Sites live
 * until exit; kernels have a handful of fence and satp instructions. */
static struct site *
site_get(uint64_t pc, uintptr_t arg)
{
	for (size_t i = 0; i < nsites; i++)
		if (sites[i].pc == pc && sites[i].arg == arg)
			return &sites[i];
	if (nsites == sites_cap) {
		/* Callbacks hold pointers into sites: it may never move, so
		 * it is allocated once, large enough for any kernel. */
		if (sites_cap != 0)
			return NULL;
		sites_cap = 4096;
		sites = calloc(sites_cap, sizeof(*sites));
		if (sites == NULL) {
			sites_cap = 0;
			return NULL;
		}
	}
	sites[nsites].pc = pc;
	sites[nsites].arg = arg;
	return &sites[nsites++];
}

/* What tb_trans found an instruction to be. */
enum insn_kind { K_PLAIN, K_MARKER, K_SFENCE, K_SATP_WRITE };

/* Classify a 32-bit instruction word; *arg gets the marker immediate or
 * the sfence.vma form counter. */
static enum insn_kind
decode(uint32_t w, uintptr_t *arg)
{
	unsigned imm = marker_imm(w); /* 0: the canonical nop, or not ours */
	if (imm != 0) {
		*arg = imm;
		return K_MARKER;
	}
	if ((w & SFENCE_MASK) == SFENCE_BITS) {
		int addr = INSN_RS1(w) != 0, asid = INSN_RS2(w) != 0;
		*arg = addr ? (asid ? C_SFENCE_ADDR_ASID : C_SFENCE_ADDR)
		            : (asid ? C_SFENCE_ASID : C_SFENCE_ALL);
		return K_SFENCE;
	}
	if (INSN_OPCODE(w) == OPCODE_SYSTEM && INSN_IMM12(w) == CSR_SATP) {
		unsigned f3 = INSN_FUNCT3(w);
		/* csrrw/csrrwi always write; csrrs/csrrc and their immediate
		 * forms write only when rs1 (or uimm) is not zero. f3 0 and
		 * 4 are not CSR instructions. */
		if (f3 == FUNCT3_CSRRW || f3 == FUNCT3_CSRRWI)
			return K_SATP_WRITE;
		if ((f3 & 3) != 0 && INSN_RS1(w) != 0)
			return K_SATP_WRITE;
	}
	return K_PLAIN;
}

/* The word of a 4-byte instruction (RISC-V is little-endian). */
static uint32_t
insn_word(const struct qemu_plugin_insn *insn)
{
	const uint8_t *b = qemu_plugin_insn_data(insn);
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* Register on insn (at va) the fetch lookups it needs: its first page
 * unless the previous instruction was fetched from it, and its second
 * page if it crosses into one. */
static void
want_fetches(struct qemu_plugin_insn *insn, uint64_t va, uint64_t last, uint64_t fetched)
{
	if (va >> PAGE_SHIFT != fetched)
		qemu_plugin_register_vcpu_insn_exec_cb(insn, fetch_cb, QEMU_PLUGIN_CB_NO_REGS,
		                                       (void *)(uintptr_t)va);
	if (last != va >> PAGE_SHIFT)
		qemu_plugin_register_vcpu_insn_exec_cb(insn, fetch_cb, QEMU_PLUGIN_CB_NO_REGS,
		                                       (void *)(uintptr_t)(last << PAGE_SHIFT));
}

/* Register the callback for a fence or satp write at va, if its site
 * can be kept; without one the instruction goes unmodelled, which the
 * trailer reports (rows_lost=out_of_memory). */
static void
want_site(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb, uint64_t va, uintptr_t arg)
{
	struct site *s = site_get(va, arg);

	if (s == NULL) {
		out_of_memory = 1;
		return;
	}
	qemu_plugin_register_vcpu_insn_exec_cb(insn, cb, QEMU_PLUGIN_CB_NO_REGS, s);
}

/* Register the callback (or inline count) for insn's kind. */
static void
want_kind(struct qemu_plugin_insn *insn, uint64_t va, enum insn_kind kind, uintptr_t arg)
{
	switch (kind) {
	case K_MARKER:
		/* No inline add: marker_cb counts the marker itself. */
		qemu_plugin_register_vcpu_insn_exec_cb(insn, marker_cb, QEMU_PLUGIN_CB_NO_REGS,
		                                       (void *)arg);
		return;
	case K_SFENCE:
		want_site(insn, sfence_cb, va, arg);
		break;
	case K_SATP_WRITE:
		want_site(insn, satp_cb, va, 0);
		break;
	case K_PLAIN:
		break;
	}
	qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &insn_count,
	                                           1);
}

/*
 * Instrument one translation block.
 *
 * Fetches: a block runs from its first instruction, in order, until it
 * ends or traps. A fetch from the page the previous instruction of the
 * block was fetched from hits the I-TLB and changes no replacement state
 * (its entry is already the most recently used), unless a fence or satp
 * write came in between; so one lookup per run of same-page instructions
 * gives exactly the per-instruction result, for far fewer callbacks.
 *
 * QEMU runs an instruction's callbacks in the order registered: a begin
 * marker's fetch is registered before its marker_cb, an end marker's
 * after, so neither marker's fetch belongs to a region.
 */
static void
tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	uint64_t fetched = NO_PAGE; /* page the previous instruction ended on */

	(void)id;
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);
		uint64_t last = (va + qemu_plugin_insn_size(insn) - 1) >> PAGE_SHIFT;
		enum insn_kind kind = K_PLAIN;
		uintptr_t arg = 0;

		if (qemu_plugin_insn_size(insn) == 4)
			kind = decode(insn_word(insn), &arg);
		if (kind == K_MARKER && arg == MARKER_END) {
			want_kind(insn, va, kind, arg);
			want_fetches(insn, va, last, fetched);
		} else {
			want_fetches(insn, va, last, fetched);
			want_kind(insn, va, kind, arg);
		}
		fetched = (kind == K_SFENCE || kind == K_SATP_WRITE) ? NO_PAGE : last;
		qemu_plugin_register_vcpu_mem_cb(insn, mem_cb, QEMU_PLUGIN_CB_NO_REGS,
		                                 QEMU_PLUGIN_MEM_RW, (void *)(uintptr_t)va);
	}
}

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write one line of output (at most a few hundred characters). */
static void
emit(const char *fmt, ...)
{
	char line[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fputs(line, out_file);
}

/* Header: settings, what is modelled, then the CSV column names. */
static void
emit_header(void)
{
	const struct tlb_unit_config *l2 = &config.l2;
	char names[256] = "region,insns";

	emit("# tlbsim preset=%s itlb=%u iways=%u dtlb=%u dways=%u l2=%u l2ways=%u walk=%u "
	     "l2hit=%u asid_bits=%u check=%d harts=%u\n",
	     config.preset, config.l1[TLB_FETCH].main.entries,
	     tlb_config_ways(config.l1[TLB_FETCH].main.entries, config.l1[TLB_FETCH].main.ways),
	     config.l1[TLB_DATA].main.entries,
	     tlb_config_ways(config.l1[TLB_DATA].main.entries, config.l1[TLB_DATA].main.ways),
	     l2->main.entries,
	     l2->main.entries ? tlb_config_ways(l2->main.entries, l2->main.ways) : 0, config.walk,
	     config.l2hit, config.asid_bits, check_on, nharts);
	emit("# tlbsim model: %s; entries tagged with page size (from the kernel's ANN_REGIONs), "
	     "ASID and G; sfence.vma by its operands; kernel = instruction at >= 0x%llx or in the "
	     "trampoline page; insns = instructions strictly between the markers\n",
	     config.source, (unsigned long long)KERNEL_BASE);
	for (int c = 0; c < NCOUNTERS; c++) {
		strcat(names, ",");
		strcat(names, counter_names[c]);
	}
	emit("%s,est_cycles\n", names);
}

/* One CSV row. */
static void
emit_row(const struct row *r)
{
	char line[512];
	int len = snprintf(line, sizeof(line), "%u,%" PRIu64, r->id, r->insns);
	uint64_t l1_misses = r->count[C_ITLB_MISS_USER] + r->count[C_ITLB_MISS_KERNEL] +
	                     r->count[C_DTLB_MISS_USER] + r->count[C_DTLB_MISS_KERNEL];

	for (int c = 0; c < NCOUNTERS; c++)
		len += snprintf(line + len, sizeof(line) - len, ",%" PRIu64, r->count[c]);
	emit("%s,%" PRIu64 "\n", line,
	     tlb_est_cycles(&config, r->insns, l1_misses, r->count[C_L2_HITS]));
}

/* Trailer lines before the last: what the kernel announced (the
 * witnesses tools/collect.py checks) and what the checker found. */
static void
emit_kernel_and_check(void)
{
	struct tlbcheck_stats sum = {0};
	int oom = 0;

	emit("# tlbsim kernel hello=%d version=%u asid_bits=%u regions=%u leaves_4k=%" PRIu64
	     " leaves_2m=%" PRIu64 " global_pages=%" PRIu64 " announcements=%" PRIu64
	     " satp_announced=%" PRIu64 " fences_announced=%" PRIu64 " ptes=%" PRIu64
	     " errors=%" PRIu64 "\n",
	     kernel.hello, kernel.version, kernel.asid_bits, kernel.nregions, kernel.leaves_4k,
	     kernel.leaves_2m, kernel.global_pages, kernel.announcements, kernel.satp_announced,
	     kernel.fences_announced, kernel.ptes, kernel.errors);
	if (!check_on) {
		emit("# tlbsim check off\n");
		return;
	}
	for (unsigned i = 0; i < nharts; i++) {
		struct tlbcheck_stats s = tlbcheck_stats(harts[i].check);
		sum.lookups += s.lookups;
		sum.fills += s.fills;
		sum.marked += s.marked;
		oom |= tlbcheck_oom(harts[i].check);
	}
	emit("# tlbsim check on stale=%" PRIu64 " lookups=%" PRIu64 " fills=%" PRIu64
	     " marked=%" PRIu64 "%s\n",
	     stale_found, sum.lookups, sum.fills, sum.marked, oom ? " partial=out_of_memory" : "");
}

/* Whether the run must fail, after saying why on stderr. */
static int
run_failed(void)
{
	if (stale_found > 0)
		fprintf(stderr,
		        "tlbsim: the checker found %" PRIu64 " stale translation(s)%s: the kernel "
		        "misses an sfence.vma\n",
		        stale_found,
		        stale_found > REPORTS_SHOWN_MAX ? " (the first 20 shown)" : "");
	if (kernel.errors > 0)
		fprintf(stderr,
		        "tlbsim: %" PRIu64
		        " announcement protocol error(s)%s (kernel/announce.h)\n",
		        kernel.errors,
		        kernel.errors > REPORTS_SHOWN_MAX ? " (the first 20 shown)" : "");
	if (check_on && !kernel.hello)
		fprintf(stderr,
		        "tlbsim: check=1, but the guest never announced itself (ANN_HELLO): "
		        "only the physical-address signal was checked\n");
	return stale_found > 0 || kernel.errors > 0;
}

/* At exit: the whole report. A region still open is not reported. A
 * failed check ends QEMU with TLBSIM_EXIT_FAILED: this runs as QEMU's
 * last exit handler (it is registered first, at start-up). */
static void
plugin_exit(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	if (region.open) {
		abandoned++;
		region.open = 0;
	}
	emit_header();
	for (size_t i = 0; i < nrows; i++)
		emit_row(&rows[i]);
	emit_kernel_and_check();
	emit("# tlbsim end regions=%zu abandoned=%" PRIu64 " stray_ends=%" PRIu64
	     " insns_total=%" PRIu64 "%s\n",
	     nrows, abandoned, stray_ends, insn_count,
	     out_of_memory ? " rows_lost=out_of_memory" : "");
	if (out_file == stdout ? fflush(out_file) != 0 : fclose(out_file) != 0)
		fprintf(stderr, "tlbsim: writing the report: %s\n", strerror(errno));
	if (run_failed()) {
		fflush(NULL);
		_exit(TLBSIM_EXIT_FAILED);
	}
}

/* The numeric options: name, where it goes, largest value. */
struct num_opt {
	const char *name;
	unsigned *value;
	unsigned max;
};

/* Parse a decimal in 0..max from text into *v. Returns 0 or -1. */
static int
parse_uint(const char *text, unsigned max, unsigned *v)
{
	char *end;
	unsigned long n;

	if (*text < '0' || *text > '9')
		return -1;
	errno = 0;
	n = strtoul(text, &end, 10);
	if (errno != 0 || *end != '\0' || n > max)
		return -1;
	*v = (unsigned)n;
	return 0;
}

/* Apply out=FILE to *out_path. Returns 0, or -1 after a message. */
static int
apply_out(const char *value, const char **out_path)
{
	if (*value != '\0') {
		*out_path = value;
		return 0;
	}
	fprintf(stderr, "tlbsim: out wants a file name\n");
	return -1;
}

/* Options that are not part of the TLB's shape. */
struct run_opts {
	unsigned asids; /* 0, 1, or 2: as the preset has it */
	unsigned check;
	const char *out_path;
};

/* Apply one key=value option (preset excepted) to *c or *ro. Returns 0,
 * or -1 after saying what is wrong. */
static int
apply_option(const char *arg, struct tlb_config *c, struct run_opts *ro)
{
	const struct num_opt opts[] = {
	    {"itlb", &c->l1[TLB_FETCH].main.entries, TLB_MAX_ENTRIES},
	    {"dtlb", &c->l1[TLB_DATA].main.entries, TLB_MAX_ENTRIES},
	    {"iways", &c->l1[TLB_FETCH].main.ways, TLB_MAX_ENTRIES},
	    {"dways", &c->l1[TLB_DATA].main.ways, TLB_MAX_ENTRIES},
	    {"l2", &c->l2.main.entries, TLB_MAX_ENTRIES},
	    {"l2ways", &c->l2.main.ways, TLB_MAX_ENTRIES},
	    {"walk", &c->walk, 1000000},
	    {"l2hit", &c->l2hit, 1000000},
	    {"asids", &ro->asids, 1},
	    {"check", &ro->check, 1},
	};
	const char *eq = strchr(arg, '=');
	size_t klen = eq ? (size_t)(eq - arg) : strlen(arg);

	if (eq != NULL && klen == 6 && strncmp(arg, "preset", 6) == 0)
		return 0;
	if (eq != NULL && klen == 3 && strncmp(arg, "out", 3) == 0)
		return apply_out(eq + 1, &ro->out_path);
	for (size_t i = 0; eq != NULL && i < sizeof(opts) / sizeof(opts[0]); i++) {
		if (strlen(opts[i].name) != klen || strncmp(arg, opts[i].name, klen) != 0)
			continue;
		if (parse_uint(eq + 1, opts[i].max, opts[i].value) == 0)
			return 0;
		fprintf(stderr, "tlbsim: %s wants a whole number 0..%u, not '%s'\n", opts[i].name,
		        opts[i].max, eq + 1);
		return -1;
	}
	fprintf(stderr,
	        "tlbsim: unknown option '%s'; options are preset=NAME (%s), itlb=N, dtlb=N, "
	        "iways=N, dways=N, l2=N, l2ways=N, walk=CYCLES, l2hit=CYCLES, asids=0|1, "
	        "check=0|1, out=FILE\n",
	        arg, tlb_preset_names());
	return -1;
}

/* Build *c and *ro from the arguments: the preset first (default u54),
 * then the other options over it in order, asids last. Returns 0, or -1
 * after a message. */
static int
parse_args(int argc, char **argv, struct tlb_config *c, struct run_opts *ro)
{
	const char *preset = "u54";
	const char *msg;

	for (int i = 0; i < argc; i++)
		if (strncmp(argv[i], "preset=", 7) == 0)
			preset = argv[i] + 7;
	if (tlb_config_preset(c, preset) != 0) {
		fprintf(stderr, "tlbsim: unknown preset '%s'; presets are %s\n", preset,
		        tlb_preset_names());
		return -1;
	}
	for (int i = 0; i < argc; i++)
		if (apply_option(argv[i], c, ro) != 0)
			return -1;
	if (c->l2.main.entries != 0 && c->l2.main.sizes == 0) {
		/* l2=N on a preset without an L2: a plain one. */
		c->l2.main.sizes = TLB_ALL_SIZES;
		c->l2.main.sectors = 1;
		c->l2.main.asid_tags = c->asid_bits != 0;
	}
	if (ro->asids != 2)
		tlb_config_set_asids(c, ro->asids == 1);
	msg = tlb_config_check(c);
	if (msg != NULL) {
		fprintf(stderr, "tlbsim: %s\n", msg);
		return -1;
	}
	return 0;
}

/* One model (and checker, if on) per hart that can exist. Returns 0 or -1. */
static int
harts_init(unsigned n)
{
	harts = aligned_alloc(64, n * sizeof(struct hart));
	if (harts == NULL)
		return -1;
	memset(harts, 0, n * sizeof(struct hart));
	for (nharts = 0; nharts < n; nharts++) {
		struct hart *h = &harts[nharts];
		if (tlb_hier_init(&h->tlb, &config) != 0)
			return -1;
		if (check_on && (h->check = tlbcheck_new()) == NULL)
			return -1;
	}
	return 0;
}

TLBSIM_EXPORT int
qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	struct run_opts ro = {2, 0, NULL};
	unsigned n = 1;

	if (strcmp(info->target_name, "riscv64") != 0) {
		fprintf(stderr, "tlbsim: decodes RISC-V only; this guest is %s\n",
		        info->target_name);
		return -1;
	}
	if (parse_args(argc, argv, &config, &ro) != 0)
		return -1;
	check_on = ro.check != 0;
	if (info->system_emulation && info->system.max_vcpus > 0)
		n = (unsigned)info->system.max_vcpus;
	if (harts_init(n) != 0) {
		fprintf(stderr, "tlbsim: out of memory for %u harts' TLBs\n", n);
		return -1;
	}
	out_file = ro.out_path != NULL ? fopen(ro.out_path, "w") : stdout;
	if (out_file == NULL) {
		fprintf(stderr, "tlbsim: cannot write %s: %s\n", ro.out_path, strerror(errno));
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, plugin_exit, NULL);
	return 0;
}
