/*
 * tlbsim: a QEMU TCG plugin (API version 4, QEMU 10) that runs a RISC-V
 * guest's fetches, loads and stores through a model TLB (tlbmodel.c) and
 * reports, per marked region, instructions, TLB misses, walks by depth,
 * flushes and estimated cycles; with check=1 it also runs them through
 * the stale-translation checker (tlbcheck.c) and, with strict=1, also
 * through its strict mode (tlbstrict.c). Options and output:
 * README.md beside this file.
 *
 * It reads the machine, not the kernel's word:
 *
 *   addi x0, x0, ID      ID 1..2047: begin region ID; ID -1: end it
 *                        (decoded from the instruction word)
 *   sfence.vma rs1, rs2  its form from the word, its operands read from
 *                        the registers as it runs; Svinval's sinval.vma
 *                        alike (it invalidates what sfence.vma does), and
 *                        sfence.w.inval, sfence.inval.ir (counted only)
 *   satp, priv           read at the start of every translation block and
 *                        right after every instruction that writes satp
 *   every store          its physical address and value, kept in a shadow
 *                        of RAM (tlbwalk.c) from which the model walks the
 *                        Sv39 table as the hardware would: page size, G,
 *                        permissions and levels read come from the PTEs
 *
 * and, at run time, every instruction (one callback each, per hart),
 * the page of every fetch and the virtual address of every load and
 * store. An access is "kernel" when the hart is not in U-mode; M-mode
 * and bare-mode accesses are not translated and not modelled.
 *
 * Harts: each has its own model TLBs, checker and machine state; the
 * instruction count and the region being measured are global. Figures
 * are meant for -icount, where QEMU runs all vCPUs in one thread;
 * nothing here locks.
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
#include "tlbcheck.h"
#include "tlbmodel.h"
#include "tlbstrict.h"
#include "tlbwalk.h"

TLBSIM_EXPORT int qemu_plugin_version = TLBSIM_QEMU_PLUGIN_VERSION;

/* The machine (QEMU virt): RAM from 0x80000000; shadowed up to 2 GiB,
 * more than -m gives (untouched shadow costs no memory). */
#define PAGE_SHIFT 12
#define RAM_BASE 0x80000000ULL
#define RAM_SHADOW (2ULL << 30)
#define NO_PAGE UINT64_MAX
/* satp (privileged spec 4.1.11, Sv39) and privilege levels. */
#define SATP_MODE(v) ((v) >> 60)
#define SATP_MODE_SV39 8
#define SATP_ASID(v) (((v) >> 44) & 0xffff)
#define SATP_ROOT(v) (((v) & ((1ULL << 44) - 1)) << PAGE_SHIFT)
#define PRIV_U 0
#define PRIV_M 3
/* scause (privileged spec 4.1.9): the interrupt bit, and an ecall from U. */
#define SCAUSE_INTERRUPT (1ULL << 63)
#define SCAUSE_ECALL_U 8
/* strict=1's labels of the context a PTE was stored in (struct hart's
 * trap_ctx): the kind of the hart's last trap from U-mode, and its system
 * call number (a7) or cause code in the low 12 bits; 0: none yet. */
#define CTX_SYSCALL 0x1000
#define CTX_INTERRUPT 0x2000
#define CTX_EXCEPTION 0x3000
#define CTX_KIND 0xf000

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
/* Svinval (privileged ISA, "Svinval" and the instruction listings):
 * sinval.vma is funct7 0001011 with sfence.vma's fields; sfence.w.inval
 * and sfence.inval.ir are funct7 0001100 with rs2 0 and 1, every other
 * field 0 (whole words). */
#define SINVAL_BITS 0x16000073u
#define SFENCE_W_INVAL 0x18000073u
#define SFENCE_INVAL_IR 0x18100073u
#define CSR_SATP 0x180
#define FUNCT3_CSRRW 1
#define FUNCT3_CSRRWI 5

/* QEMU's exit status when the checker found a stale translation or the
 * machine showed no satp or priv (tools/run.sh passes it on). */
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
	C_WALKS_1, /* walks that read 1 PTE (a 1 GiB leaf) */
	C_WALKS_2, /* 2 PTEs (a 2 MiB leaf) */
	C_WALKS_3, /* 3 PTEs (a 4 KiB leaf) */
	C_PTC_HITS, /* non-leaf PTEs walks found in the PTE cache */
	/* From here the CSV has them after est_cycles: appended later, so a
	 * reader of the older columns by position still reads them. */
	C_SINVALS,      /* sinval.vma, every form (not in the sfence_* counts) */
	C_INVAL_FENCES, /* sfence.w.inval and sfence.inval.ir */
	NCOUNTERS
};
/* The first counter the CSV puts after est_cycles. */
#define C_AFTER_EST C_SINVALS

static const char *const counter_names[NCOUNTERS] = {
    [C_SATP_WRITES] = "satp_writes",           [C_SFENCE_ALL] = "sfence_all",
    [C_SFENCE_ADDR] = "sfence_addr",           [C_SFENCE_ASID] = "sfence_asid",
    [C_SFENCE_ADDR_ASID] = "sfence_addr_asid", [C_ITLB_MISS_USER] = "itlb_miss_user",
    [C_ITLB_MISS_KERNEL] = "itlb_miss_kernel", [C_DTLB_MISS_USER] = "dtlb_miss_user",
    [C_DTLB_MISS_KERNEL] = "dtlb_miss_kernel", [C_L2_HITS] = "l2_hits",
    [C_WALKS_1] = "walks_1",                   [C_WALKS_2] = "walks_2",
    [C_WALKS_3] = "walks_3",                   [C_PTC_HITS] = "ptc_hits",
    [C_SINVALS] = "sinvals",                   [C_INVAL_FENCES] = "inval_fences",
};

/* count_outcome finds a kernel counter one past its user counter;
 * fence_apply turns a form counter into its enum tlb_fence. */
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
	struct tlbstrict *strict; /* NULL unless strict=1 */
	struct qemu_plugin_register *reg_satp, *reg_priv, *reg_hartid, *reg_scause, *reg_x[32];
	uint16_t trap_ctx; /* strict=1: the hart's last trap from U-mode (strict_trap) */
	uint64_t satp;     /* as last read */
	unsigned priv;     /* as last read: 0 U, 1 S, 3 M */
	int satp_written;  /* a satp write ran; the next read applies it */
	int satp_stale;    /* satp may have changed: state_cb reads it again */
	uint64_t insns;    /* instructions executed, markers excepted */
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
	uintptr_t arg; /* sfence.vma, sinval.vma: its form counter */
	unsigned rs1, rs2; /* sfence.vma, sinval.vma: its operand registers */
};

static struct tlb_config config;
static int check_on;
static int strict_on; /* strict=1: implies check_on */
/* Where the report goes: out=FILE, else QEMU's stdout (after the guest's
 * last console output, since it is written at exit). Not through
 * qemu_plugin_outs: QEMU 7.2 prints that only with -d plugin, on stderr. */
static FILE *out_file;
static struct hart *harts;
static unsigned nharts;
static uint64_t stale_found;
static uint64_t strict_found; /* invalid-to-valid changes used without a fence */

/* Strict reports by the pc that last stored the PTE, for the trailer
 * (every report counted, not only those printed). */
#define STRICT_PCS_MAX 256
static struct {
	uint32_t pc;
	uint16_t ctx;
	bool user; /* the access that found it was in U-mode */
	uint64_t n;
} strict_pcs[STRICT_PCS_MAX];
static unsigned nstrict_pcs;
static uint64_t strict_pcs_lost; /* reports past STRICT_PCS_MAX distinct pcs */
static const char *leaves_path; /* leaves=FILE, or NULL */
static struct shadow shadow;   /* what the guest stored to RAM */
static GByteArray *reg_buf;    /* for register reads */
static int regs_missing;       /* a hart lacked satp, priv or a GPR */

/* What the machine showed of ASIDs: the widest ASID field satp held,
 * the largest ASID loaded while in U-mode, and how many satp writes
 * loaded a non-zero ASID (the first is the kernel's probe of the width;
 * a second means the kernel runs with ASIDs). */
static unsigned asid_hw_bits;
static uint64_t user_asid_max;
static uint64_t nonzero_asid_writes;

/* Every executed instruction but a marker adds one to its hart's count
 * (insn_cb); markers count themselves in marker_insns. Not an inline
 * per-vCPU scoreboard add: QEMU 10.0.2 under -icount with 2 or more
 * vCPUs stops with "Bad icount read" once translated code carries inline
 * ops (seen with a plugin doing nothing else), so a callback it is. */
static uint64_t marker_insns;

static uint64_t
insn_count(void)
{
	uint64_t n = marker_insns;

	for (unsigned i = 0; i < nharts; i++)
		n += harts[i].insns;
	return n;
}

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

/*
 * The hart running now. Callbacks cannot trust their vcpu_index: QEMU
 * 10.0.2 without MTTCG (as under -icount, where one thread runs the harts
 * in turn) bakes into a block's code the index of the vCPU that
 * translated it, and blocks are shared, so a block of kernel code that
 * hart 0 translated reports hart 0 when hart 1 runs it (seen: every
 * fence of hart 1 counted on hart 0). Register reads do go to the running
 * hart. So state_cb, the first callback of every block, reads mhartid
 * (on QEMU's virt machine, hart i is vCPU i) and every callback of the
 * block charges that hart; the harts take turns only between blocks.
 * This needs the one-thread mode: with MTTCG, harts run at once.
 */
static struct hart *cur;

static struct hart *
hart_of(unsigned vcpu_index)
{
	/* QEMU numbers vCPUs below max_vcpus; the test is only a guard. */
	return &harts[vcpu_index < nharts ? vcpu_index : 0];
}

/* Read register r of the running vCPU (little-endian, up to 8 bytes). */
static uint64_t
reg_read(struct qemu_plugin_register *r)
{
	uint64_t v = 0;
	int n;

	if (r == NULL)
		return 0;
	g_byte_array_set_size(reg_buf, 0);
	n = qemu_plugin_read_register(r, reg_buf);
	for (int i = (n > 8 ? 8 : n) - 1; i >= 0; i--)
		v = v << 8 | reg_buf->data[i];
	return v;
}

/* Whether h translates now (S or U mode with Sv39 on). */
static inline int
translating(const struct hart *h)
{
	return h->priv != PRIV_M && SATP_MODE(h->satp) == SATP_MODE_SV39;
}

/* Bits of the widest value an ASID field held: the hardware's width,
 * once the kernel has probed it by writing ones. */
static void
note_asid(const struct hart *h)
{
	uint64_t asid = SATP_ASID(h->satp);
	unsigned bits = 0;

	while (bits < 16 && (asid >> bits) != 0)
		bits++;
	if (bits > asid_hw_bits)
		asid_hw_bits = bits;
	if (h->priv == PRIV_U && asid > user_asid_max)
		user_asid_max = asid;
}

/* strict=1: label the stores h makes from now on with its last trap from
 * U-mode (was: its privilege before this block), read as it enters
 * S-mode: a system call by a7, else the cause. Only a label for reports:
 * a kernel thread that sleeps and resumes keeps the trap of another. */
static void
strict_trap(struct hart *h, unsigned was)
{
	if (was == PRIV_U && h->priv != PRIV_U) {
		uint64_t cause = reg_read(h->reg_scause);
		if (cause & SCAUSE_INTERRUPT)
			h->trap_ctx = CTX_INTERRUPT | (cause & 0xfff);
		else if (cause == SCAUSE_ECALL_U)
			h->trap_ctx = CTX_SYSCALL | (reg_read(h->reg_x[17]) & 0xfff); /* a7 */
		else
			h->trap_ctx = CTX_EXCEPTION | (cause & 0xfff);
	}
	shadow.ctx = h->trap_ctx;
}

/* A context label as text ("syscall:12", "boot") into buf. */
static const char *
ctx_name(uint16_t ctx, char *buf, size_t len)
{
	const char *kind = (ctx & CTX_KIND) == CTX_SYSCALL     ? "syscall"
	                   : (ctx & CTX_KIND) == CTX_INTERRUPT ? "interrupt"
	                                                       : "exception";

	if (ctx == 0)
		return "boot";
	snprintf(buf, len, "%s:%u", kind, ctx & 0xfffu);
	return buf;
}

/* strict=1: h's satp was written; the clock ticks (tlbstrict.h). */
static void
strict_satp(struct hart *h)
{
	if (h->strict == NULL)
		return;
	shadow.now++;
	tlbstrict_satp(h->strict, SATP_ROOT(h->satp), (uint32_t)SATP_ASID(h->satp),
	               SATP_MODE(h->satp) == SATP_MODE_SV39, shadow.now);
}

/*
 * What a block learns at its first run, its privilege level: QEMU
 * translates a block for one level (target/riscv puts priv in the flags a
 * block is looked up by), so the first run reads priv and the others
 * reuse it. One byte per translation, -1 until that run, in chunks kept
 * to the end (a block translated again gets a new byte; all of usertests
 * at 2 harts translates about 34,000 blocks).
 */
#define BLOCK_CHUNK 65536
static int8_t *block_chunk;
static size_t block_used = BLOCK_CHUNK;

/* A new block's byte; NULL out of memory (its runs then read priv). */
static int8_t *
block_new(void)
{
	if (block_used == BLOCK_CHUNK) {
		int8_t *c = malloc(BLOCK_CHUNK);
		if (c == NULL)
			return NULL;
		memset(c, -1, BLOCK_CHUNK);
		block_chunk = c;
		block_used = 0;
	}
	return &block_chunk[block_used++];
}

/* At a block's start (udata: its byte) and after a satp write or fence
 * in it: the running hart (mhartid), its privilege (read once per block)
 * and satp (read again only after a write: nothing else changes it);
 * apply a satp write that ran since the last read: the model drops what
 * the modelled core drops on one. */
static void
state_cb(unsigned vcpu_index, void *udata)
{
	int8_t *block_priv = udata;
	struct hart *h;
	unsigned was;

	(void)vcpu_index;
	if (nharts > 1)
		cur = hart_of((unsigned)reg_read(harts[0].reg_hartid));
	h = cur;
	was = h->priv;
	if (block_priv != NULL && *block_priv >= 0) {
		h->priv = (unsigned)*block_priv;
	} else {
		h->priv = (unsigned)reg_read(h->reg_priv);
		if (block_priv != NULL)
			*block_priv = (int8_t)h->priv;
	}
	if (h->satp_stale) {
		h->satp = reg_read(h->reg_satp);
		h->satp_stale = 0;
	}
	if (h->strict != NULL)
		strict_trap(h, was);
	note_asid(h);
	if (!h->satp_written)
		return;
	h->satp_written = 0;
	if (SATP_ASID(h->satp) != 0)
		nonzero_asid_writes++;
	tlb_hier_satp(&h->tlb, nonzero_asid_writes >= 2);
	strict_satp(h);
}

/* The translation of va on h now, walked from its table into *w; *x
 * takes its page size and G from the leaf (4 KiB, not global, if none). */
static inline void
xlate_walk(struct tlb_xlate *x, struct sv39_walk *w, const struct hart *h, uint64_t va)
{
	sv39_walk_memo(&shadow, SATP_ROOT(h->satp), va, w);
	x->va = va;
	x->asid = (uint32_t)SATP_ASID(h->satp);
	x->size = w->valid ? w->size : TLB_4K;
	x->global = w->valid && w->global;
}

/* Count the outcome of one TLB lookup in h: a miss of the user or
 * kernel kind, an L2 hit, or a walk of w's depth. */
static inline void
count_outcome(struct hart *h, enum tlb_outcome o, const struct sv39_walk *w, enum counter user_c)
{
	if (o == TLB_L1_HIT)
		return;
	h->count[user_c + (h->priv != PRIV_U ? 1 : 0)]++;
	if (o == TLB_L2_HIT) {
		h->count[C_L2_HITS]++;
		return;
	}
	h->count[C_WALKS_1 + (w->levels > 0 ? w->levels - 1 : 0)]++;
	/* Every PTE read but the last (a leaf or an invalid one) is a table
	 * pointer the PTE cache may hold. */
	if (w->levels > 1)
		h->count[C_PTC_HITS] += tlb_hier_ptc_walk(&h->tlb, w->path, w->levels - 1);
}

static const char *const size_names[TLB_NSIZES] = {"4 KiB", "2 MiB", "1 GiB"};

/* Say (the first few times) that an access hit a stale translation. */
static void
report_stale(unsigned vcpu, const struct hart *h, uint64_t pc, const char *access,
             const struct tlb_xlate *x, const struct sv39_walk *w,
             const struct tlbcheck_stale *why)
{
	char entry[64], now[96];

	if (++stale_found > REPORTS_SHOWN_MAX)
		return;
	if (why->entry_global)
		snprintf(entry, sizeof(entry), "a global entry (%s page now)", size_names[x->size]);
	else
		snprintf(entry, sizeof(entry), "an entry of ASID %u (%s page now)", why->entry_asid,
		         size_names[x->size]);
	if (w->valid)
		snprintf(now, sizeof(now), "the table now maps frame 0x%" PRIx64 " perms 0x%x",
		         w->frame, w->perms);
	else
		snprintf(now, sizeof(now), "the table now maps nothing there");
	fprintf(stderr,
	        "tlbsim: stale translation: hart %u pc 0x%" PRIx64 " (%s) %s va 0x%" PRIx64
	        " asid %u: %s cached frame 0x%" PRIx64 " perms 0x%x but %s; PTE at pa 0x%" PRIx64
	        " last stored by pc 0x%" PRIx32 "; no sfence.vma or sinval.vma covering it on "
	        "this hart since\n",
	        vcpu, pc, h->priv == PRIV_U ? "user" : "kernel", access, x->va, x->asid, entry,
	        why->cached_frame & ~(uint64_t)SV39_PERMS, (unsigned)(why->cached_frame & SV39_PERMS),
	        now, w->pte_pa, shadow_store_pc(&shadow, w->pte_pa));
}

/* Remember one strict report's storing pc and context, and whether the
 * access was a user one, for the trailer. */
static void
strict_tally(uint32_t pc, uint16_t ctx, bool user)
{
	for (unsigned i = 0; i < nstrict_pcs; i++)
		if (strict_pcs[i].pc == pc && strict_pcs[i].ctx == ctx && strict_pcs[i].user == user) {
			strict_pcs[i].n++;
			return;
		}
	if (nstrict_pcs == STRICT_PCS_MAX) {
		strict_pcs_lost++;
		return;
	}
	strict_pcs[nstrict_pcs].pc = pc;
	strict_pcs[nstrict_pcs].ctx = ctx;
	strict_pcs[nstrict_pcs].user = user;
	strict_pcs[nstrict_pcs++].n = 1;
}

static const char *const level_names[SV39_LEVELS] = {"root", "level-1 table", "level-0 table"};

/* Say (the first few times) that an access used a PTE made valid while
 * the hart may have held a walk that found it invalid (strict=1). */
static void
report_strict(const struct hart *h, uint64_t pc, const char *access, const struct tlb_xlate *x,
              const struct sv39_walk *w, const struct tlbstrict_why *why)
{
	uint32_t stored_by = shadow_store_pc(&shadow, why->pte_pa);
	uint16_t ctx = shadow_valid_ctx(&shadow, why->pte_pa);
	const char *which = why->index + 1 == w->levels ? "leaf" : level_names[why->index];
	char name[32];

	strict_tally(stored_by, ctx, h->priv == PRIV_U);
	if (++strict_found > REPORTS_SHOWN_MAX)
		return;
	fprintf(stderr,
	        "tlbsim: invalid-to-valid without a fence (strict: no Svvptc): hart %u pc 0x%" PRIx64
	        " (%s) %s va 0x%" PRIx64 " asid %u: the table now maps frame 0x%" PRIx64
	        " perms 0x%x; its %s PTE at pa 0x%" PRIx64 " became valid (clock %" PRIu64
	        ") while this hart ran root 0x%" PRIx64 " under this ASID (since clock %" PRIu64
	        "); last stored by pc 0x%" PRIx32 " (storing hart's last trap: %s); no sfence.vma "
	        "or sinval.vma covering it on this hart since\n",
	        (unsigned)(h - harts), pc, h->priv == PRIV_U ? "user" : "kernel", access, x->va,
	        x->asid, w->frame, w->perms, which, why->pte_pa, why->valid_at,
	        (uint64_t)SATP_ROOT(h->satp),
	        why->ran_since, stored_by, ctx_name(ctx, name, sizeof(name)));
}

/* strict=1: judge the valid walk w of an access by h (tlbstrict.h). */
static void
strict_access(struct hart *h, uint64_t pc, const char *access, const struct tlb_xlate *x,
              const struct sv39_walk *w)
{
	struct tlbstrict_path p;
	struct tlbstrict_why why;

	if (!w->valid)
		return;
	p.n = w->levels;
	p.leaf_size = w->size;
	for (unsigned i = 0; i < w->levels; i++) {
		p.pte_pa[i] = w->path[i];
		p.valid_at[i] = shadow_valid_at(&shadow, w->path[i]);
	}
	if (tlbstrict_access(h->strict, x->va, &p, &why))
		report_strict(h, pc, access, x, w, &why);
}

/* One translated access by h to va, from pc: through the model and, if
 * checking, the checker, which judges the hit by the table as it is. */
static void
access_va(struct hart *h, enum tlb_side side, uint64_t va, uint64_t pc, const char *what)
{
	struct tlb_xlate x;
	struct sv39_walk w;
	struct tlbcheck_stale why;

	if (!translating(h))
		return;
	xlate_walk(&x, &w, h, va);
	count_outcome(h, tlb_hier_access(&h->tlb, side, &x), &w,
	              side == TLB_FETCH ? C_ITLB_MISS_USER : C_DTLB_MISS_USER);
	if (h->check == NULL)
		return;
	uint64_t key = w.valid ? (w.frame | w.perms) : TLBCHECK_UNMAPPED;
	enum tlbcheck_verdict v = tlbcheck_access(h->check, &x, key, &why);
	if (v != TLBCHECK_FILL && v != TLBCHECK_HIT)
		report_stale((unsigned)(h - harts), h, pc, what, &x, &w, &why);
	if (h->strict != NULL)
		strict_access(h, pc, what, &x, &w);
}

/* One instruction executed. */
static void
insn_cb(unsigned vcpu_index, void *udata)
{
	(void)vcpu_index;
	(void)udata;
	cur->insns++;
}

/* Fetch from the page of va in udata: registered on the first
 * instruction of each run of instructions on one page within a block
 * (see tb_trans); va is that instruction's address. */
static void
fetch_cb(unsigned vcpu_index, void *udata)
{
	uint64_t va = (uintptr_t)udata;

	(void)vcpu_index;
	access_va(cur, TLB_FETCH, va, va, "fetch");
}

/* A store to RAM: into the shadow the walks read. */
static void
shadow_the_store(qemu_plugin_meminfo_t info, uint64_t vaddr, uint64_t pc)
{
	struct qemu_plugin_hwaddr *hw = qemu_plugin_get_hwaddr(info, vaddr);
	qemu_plugin_mem_value v;
	uint64_t value;

	if (hw == NULL || qemu_plugin_hwaddr_is_io(hw))
		return;
	v = qemu_plugin_mem_get_value(info);
	switch (v.type) {
	case QEMU_PLUGIN_MEM_VALUE_U8: value = v.data.u8; break;
	case QEMU_PLUGIN_MEM_VALUE_U16: value = v.data.u16; break;
	case QEMU_PLUGIN_MEM_VALUE_U32: value = v.data.u32; break;
	case QEMU_PLUGIN_MEM_VALUE_U64: value = v.data.u64; break;
	default: value = v.data.u128.low; break;
	}
	shadow_store(&shadow, qemu_plugin_hwaddr_phys_addr(hw), 1u << qemu_plugin_mem_size_shift(info),
	             value, pc);
}

/* A load or store at vaddr by the instruction at pc (udata): the
 * translation first (it happened before the store took effect). */
static void
mem_cb(unsigned vcpu_index, qemu_plugin_meminfo_t info, uint64_t vaddr, void *udata)
{
	uint64_t pc = (uintptr_t)udata;
	int store = qemu_plugin_mem_is_store(info);

	(void)vcpu_index;
	access_va(cur, TLB_DATA, vaddr, pc, store ? "store" : "load");
	if (store)
		shadow_the_store(info, vaddr, pc);
}

/* The fence of site s on h, of its form, with its operands read from
 * the registers now: the model and checker fence alike. One in U-mode
 * traps (illegal): it fences nothing. */
static void
fence_apply(struct hart *h, const struct site *s)
{
	enum tlb_fence kind = (enum tlb_fence)(s->arg - C_SFENCE_ALL);
	uint64_t va = reg_read(h->reg_x[s->rs1]);
	uint32_t asid = (uint32_t)(reg_read(h->reg_x[s->rs2]) & 0xffff);

	if (h->priv == PRIV_U)
		return;
	tlb_hier_fence(&h->tlb, kind, va, asid);
	if (h->check != NULL)
		tlbcheck_fence(h->check, kind, va, asid);
	if (h->strict != NULL)
		tlbstrict_fence(h->strict, kind, va, asid, ++shadow.now);
}

/* sfence.vma at the site in udata: counted by its form, then applied. */
static void
sfence_cb(unsigned vcpu_index, void *udata)
{
	const struct site *s = udata;

	(void)vcpu_index;
	cur->count[s->arg]++;
	fence_apply(cur, s);
}

/* sinval.vma at the site in udata: counted as a sinval, not by form (the
 * kernel's sfence counters leave it out), and applied as the sfence.vma
 * of the same operands. Its ordering against the PTE stores before it
 * (sfence.w.inval) and the walks after it (sfence.inval.ir) is not
 * modelled: it takes effect as it executes. */
static void
sinval_cb(unsigned vcpu_index, void *udata)
{
	(void)vcpu_index;
	cur->count[C_SINVALS]++;
	fence_apply(cur, udata);
}

/* sfence.w.inval or sfence.inval.ir: ordering only, so it invalidates
 * nothing; counted (in U-mode too, where it traps). */
static void
inval_fence_cb(unsigned vcpu_index, void *udata)
{
	(void)vcpu_index;
	(void)udata;
	cur->count[C_INVAL_FENCES]++;
}

/* A satp write at the site in udata: counted; the new value is read
 * (state_cb) right after it. One in U-mode traps: counted, nothing else. */
static void
satp_cb(unsigned vcpu_index, void *udata)
{
	struct hart *h = cur;

	(void)vcpu_index;
	(void)udata;
	h->count[C_SATP_WRITES]++;
	if (h->priv != PRIV_U)
		h->satp_written = h->satp_stale = 1;
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
	r->insns = insn_count() - 1 - region.insns;
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
	marker_insns++;
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
	region.insns = insn_count();
	counters_now(region.count);
}

/* The interned site (pc, arg), or NULL when memory runs out. Sites live
 * until exit; kernels have a handful of fence and satp instructions. */
static struct site *
site_get(uint64_t pc, uintptr_t arg, unsigned rs1, unsigned rs2)
{
	for (size_t i = 0; i < nsites; i++)
		if (sites[i].pc == pc && sites[i].arg == arg && sites[i].rs1 == rs1 &&
		    sites[i].rs2 == rs2)
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
	sites[nsites].rs1 = rs1;
	sites[nsites].rs2 = rs2;
	return &sites[nsites++];
}

/* What tb_trans found an instruction to be. */
enum insn_kind { K_PLAIN, K_MARKER, K_SFENCE, K_SINVAL, K_INVAL_FENCE, K_SATP_WRITE };

/* The form counter of an sfence.vma or sinval.vma word, by which of its
 * operands are x0. */
static uintptr_t
fence_form(uint32_t w)
{
	int addr = INSN_RS1(w) != 0, asid = INSN_RS2(w) != 0;

	return addr ? (asid ? C_SFENCE_ADDR_ASID : C_SFENCE_ADDR)
	            : (asid ? C_SFENCE_ASID : C_SFENCE_ALL);
}

/* Classify a 32-bit instruction word; *arg gets the marker immediate or
 * the sfence.vma (sinval.vma) form counter. */
static enum insn_kind
decode(uint32_t w, uintptr_t *arg)
{
	unsigned imm = marker_imm(w); /* 0: the canonical nop, or not ours */
	if (imm != 0) {
		*arg = imm;
		return K_MARKER;
	}
	if ((w & SFENCE_MASK) == SFENCE_BITS) {
		*arg = fence_form(w);
		return K_SFENCE;
	}
	if ((w & SFENCE_MASK) == SINVAL_BITS) {
		*arg = fence_form(w);
		return K_SINVAL;
	}
	if (w == SFENCE_W_INVAL || w == SFENCE_INVAL_IR)
		return K_INVAL_FENCE;
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
	uint8_t b[4] = {0};

	qemu_plugin_insn_data(insn, b, sizeof(b));
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
want_site(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb, uint64_t va, uintptr_t arg,
          uint32_t w)
{
	struct site *s = site_get(va, arg, INSN_RS1(w), INSN_RS2(w));

	if (s == NULL) {
		out_of_memory = 1;
		return;
	}
	qemu_plugin_register_vcpu_insn_exec_cb(insn, cb, QEMU_PLUGIN_CB_R_REGS, s);
}

/* Register the callback (or inline count) for insn's kind. */
static void
want_kind(struct qemu_plugin_insn *insn, uint64_t va, enum insn_kind kind, uintptr_t arg,
          uint32_t w)
{
	switch (kind) {
	case K_MARKER:
		/* No inline add: marker_cb counts the marker itself. */
		qemu_plugin_register_vcpu_insn_exec_cb(insn, marker_cb, QEMU_PLUGIN_CB_NO_REGS,
		                                       (void *)arg);
		return;
	case K_SFENCE:
		want_site(insn, sfence_cb, va, arg, w);
		break;
	case K_SINVAL:
		want_site(insn, sinval_cb, va, arg, w);
		break;
	case K_INVAL_FENCE:
		qemu_plugin_register_vcpu_insn_exec_cb(insn, inval_fence_cb, QEMU_PLUGIN_CB_NO_REGS,
		                                       NULL);
		break;
	case K_SATP_WRITE:
		qemu_plugin_register_vcpu_insn_exec_cb(insn, satp_cb, QEMU_PLUGIN_CB_NO_REGS, NULL);
		break;
	case K_PLAIN:
		break;
	}
	qemu_plugin_register_vcpu_insn_exec_cb(insn, insn_cb, QEMU_PLUGIN_CB_NO_REGS, NULL);
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
 * after, so neither marker's fetch belongs to a region. The block's first
 * instruction, and the one after a satp write, first read satp and priv
 * (state_cb): a trap, an sret or an interrupt starts a new block.
 */
static void
tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	uint64_t fetched = NO_PAGE; /* page the previous instruction ended on */
	int8_t *block_priv = block_new();

	(void)id;
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);
		uint64_t last = (va + qemu_plugin_insn_size(insn) - 1) >> PAGE_SHIFT;
		enum insn_kind kind = K_PLAIN;
		uintptr_t arg = 0;
		uint32_t w = qemu_plugin_insn_size(insn) == 4 ? insn_word(insn) : 0;

		if (w != 0)
			kind = decode(w, &arg);
		if (fetched == NO_PAGE)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, state_cb, QEMU_PLUGIN_CB_R_REGS,
			                                       block_priv);
		if (kind == K_MARKER && arg == MARKER_END) {
			want_kind(insn, va, kind, arg, w);
			want_fetches(insn, va, last, fetched);
		} else {
			want_fetches(insn, va, last, fetched);
			want_kind(insn, va, kind, arg, w);
		}
		fetched =
		    (kind == K_SFENCE || kind == K_SINVAL || kind == K_SATP_WRITE) ? NO_PAGE : last;
		qemu_plugin_register_vcpu_mem_cb(insn, mem_cb, QEMU_PLUGIN_CB_NO_REGS,
		                                 QEMU_PLUGIN_MEM_RW, (void *)(uintptr_t)va);
	}
}

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write one line of output (at most a few hundred characters). */
static void
emit(const char *fmt, ...)
{
	char line[1024];
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
	char names[320] = "region,insns";

	emit("# tlbsim preset=%s itlb=%u iways=%u dtlb=%u dways=%u l2=%u l2ways=%u walk=%u "
	     "l2hit=%u ptc=%u ptc_hit=%u fence_all=%u fence_addr=%u fence_asid=%u "
	     "fence_addr_asid=%u satp=%u sinval=%u inval_fence=%u asid_bits=%u check=%d "
	     "harts=%u%s\n",
	     config.preset, config.l1[TLB_FETCH].main.entries,
	     tlb_config_ways(config.l1[TLB_FETCH].main.entries, config.l1[TLB_FETCH].main.ways),
	     config.l1[TLB_DATA].main.entries,
	     tlb_config_ways(config.l1[TLB_DATA].main.entries, config.l1[TLB_DATA].main.ways),
	     l2->main.entries,
	     l2->main.entries ? tlb_config_ways(l2->main.entries, l2->main.ways) : 0, config.walk,
	     config.l2hit, config.ptc, config.ptc_hit, config.fence[TLB_FENCE_ALL],
	     config.fence[TLB_FENCE_ADDR], config.fence[TLB_FENCE_ASID],
	     config.fence[TLB_FENCE_ADDR_ASID], config.satp, config.sinval, config.inval_fence,
	     config.asid_bits, check_on, nharts, strict_on ? " strict=1" : "");
	emit("# tlbsim model: %s; satp and priv read from the hart; entries tagged with page "
	     "size, ASID and G from its own Sv39 walk (walk = cycles per PTE read past the PTE "
	     "cache, ptc_hit per PTE found in it; fence_* and satp = cycles per sfence.vma form "
	     "and per satp write beyond their instruction, sinval per sinval.vma, inval_fence per "
	     "sfence.w.inval or sfence.inval.ir); sfence.vma and sinval.vma by "
	     "their operands' values; kernel = not in U-mode; insns = instructions strictly "
	     "between the markers\n",
	     config.source);
	for (int c = 0; c < NCOUNTERS; c++) {
		strcat(names, c == C_AFTER_EST ? ",est_cycles," : ",");
		strcat(names, counter_names[c]);
	}
	emit("%s\n", names);
}

/* One CSV row. */
static void
emit_row(const struct row *r)
{
	char line[512];
	int len = snprintf(line, sizeof(line), "%u,%" PRIu64, r->id, r->insns);
	struct tlb_work w = {
	    .insns = r->insns,
	    .l2_hits = r->count[C_L2_HITS],
	    .pte_reads = r->count[C_WALKS_1] + 2 * r->count[C_WALKS_2] + 3 * r->count[C_WALKS_3],
	    .ptc_hits = r->count[C_PTC_HITS],
	    .satp_writes = r->count[C_SATP_WRITES],
	    .sinvals = r->count[C_SINVALS],
	    .inval_fences = r->count[C_INVAL_FENCES],
	};

	for (int k = 0; k < TLB_NFENCE; k++)
		w.fence[k] = r->count[C_SFENCE_ALL + k];
	for (int c = 0; c < NCOUNTERS; c++) {
		if (c == C_AFTER_EST)
			len += snprintf(line + len, sizeof(line) - len, ",%" PRIu64,
			                tlb_est_cycles(&config, &w));
		len += snprintf(line + len, sizeof(line) - len, ",%" PRIu64, r->count[c]);
	}
	emit("%s\n", line);
}

/* strict=1: the trailer's strict counts (a static buffer). */
static const char *
strict_counts(void)
{
	static char text[96];
	uint64_t checked = 0;

	for (unsigned i = 0; i < nharts; i++)
		checked += tlbstrict_stats(harts[i].strict).checked;
	snprintf(text, sizeof(text), " strict=1 invalid_to_valid=%" PRIu64 " strict_checked=%" PRIu64,
	         strict_found, checked);
	return text;
}

/* strict=1: one trailer line per pc that last stored a reported PTE;
 * *oom is set if a hart's strict model ran out of memory. */
static void
emit_strict(int *oom)
{
	for (unsigned i = 0; i < nharts; i++)
		*oom |= tlbstrict_oom(harts[i].strict);
	char name[32];

	for (unsigned i = 0; i < nstrict_pcs; i++)
		emit("# tlbsim strict stored_by=0x%" PRIx32 " context=%s access=%s reports=%" PRIu64
		     "\n",
		     strict_pcs[i].pc, ctx_name(strict_pcs[i].ctx, name, sizeof(name)),
		     strict_pcs[i].user ? "user" : "kernel", strict_pcs[i].n);
	if (strict_pcs_lost > 0)
		emit("# tlbsim strict stored_by=other reports=%" PRIu64 "\n", strict_pcs_lost);
}

/* Trailer lines before the last: what the model read of the machine
 * (the witnesses tools/collect.py checks) and what the checker found. */
static void
emit_kernel_and_check(void)
{
	struct tlbcheck_stats sum = {0};
	int oom = 0;

	emit("# tlbsim machine asid_hw_bits=%u user_asid_max=%" PRIu64
	     " nonzero_asid_writes=%" PRIu64 " regs_missing=%d\n",
	     asid_hw_bits, user_asid_max, nonzero_asid_writes, regs_missing);
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
	if (strict_on)
		emit_strict(&oom);
	emit("# tlbsim check on stale=%" PRIu64 " lookups=%" PRIu64 " fills=%" PRIu64
	     " marked=%" PRIu64 "%s%s\n",
	     stale_found, sum.lookups, sum.fills, sum.marked, strict_on ? strict_counts() : "",
	     oom ? " partial=out_of_memory" : "");
}

/* One leaf line of leaves=FILE: the VA, the page size and the leaf's
 * permissions as pgtbl -l prints them ("rwxug", '-' where clear). */
static void
leaf_line(uint64_t va, unsigned level, uint64_t pte, void *arg)
{
	const char *letters = "rwxug", *sizes[] = {"4K", "2M", "1G"};
	char perms[6];

	for (int i = 0; i < 5; i++)
		perms[i] = (pte >> (i + 1)) & 1 ? letters[i] : '-';
	perms[5] = '\0';
	fprintf(arg, "0x%016" PRIx64 " %s %s\n", va, perms, sizes[level]);
}

/* leaves=FILE: every leaf of the table hart 0 had in satp last, as its
 * own walker reads them (for the test against pgtbl). */
static void
dump_leaves(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		fprintf(stderr, "tlbsim: cannot write %s: %s\n", path, strerror(errno));
		return;
	}
	if (SATP_MODE(harts[0].satp) == SATP_MODE_SV39)
		sv39_leaves(&shadow, SATP_ROOT(harts[0].satp), leaf_line, f);
	fclose(f);
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
	if (strict_found > 0)
		fprintf(stderr,
		        "tlbsim: the strict checker found %" PRIu64 " invalid-to-valid change(s) used "
		        "without a fence%s: the kernel relies on Svvptc\n",
		        strict_found,
		        strict_found > REPORTS_SHOWN_MAX ? " (the first 20 shown)" : "");
	if (regs_missing)
		fprintf(stderr, "tlbsim: this QEMU does not show satp, priv or a general register "
		                "to plugins: nothing was modelled\n");
	return stale_found > 0 || strict_found > 0 || regs_missing;
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
	if (leaves_path != NULL)
		dump_leaves(leaves_path);
	emit_header();
	for (size_t i = 0; i < nrows; i++)
		emit_row(&rows[i]);
	emit_kernel_and_check();
	emit("# tlbsim end regions=%zu abandoned=%" PRIu64 " stray_ends=%" PRIu64
	     " insns_total=%" PRIu64 "%s\n",
	     nrows, abandoned, stray_ends, insn_count(),
	     out_of_memory ? " rows_lost=out_of_memory" : "");
	if (fclose(out_file) != 0)
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

/* fence=N: every form of sfence.vma costs N cycles (a later fence_FORM=
 * sets one apart). 0, or -1 after saying what is wrong. */
static int
apply_fences(const char *v, struct tlb_config *c)
{
	unsigned n;

	if (parse_uint(v, 1000000, &n) != 0) {
		fprintf(stderr, "tlbsim: fence wants a whole number 0..1000000, not '%s'\n", v);
		return -1;
	}
	for (int k = 0; k < TLB_NFENCE; k++)
		c->fence[k] = n;
	return 0;
}

/* Options that are not part of the TLB's shape. */
struct run_opts {
	unsigned asids; /* 0, 1, or 2: as the preset has it */
	unsigned check;
	unsigned strict; /* implies check */
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
	    {"walk", &c->walk, 1000000}, /* per level */
	    {"l2hit", &c->l2hit, 1000000},
	    {"ptc", &c->ptc, TLB_MAX_PTC},
	    {"ptc_hit", &c->ptc_hit, 1000000},
	    {"fence_all", &c->fence[TLB_FENCE_ALL], 1000000},
	    {"fence_addr", &c->fence[TLB_FENCE_ADDR], 1000000},
	    {"fence_asid", &c->fence[TLB_FENCE_ASID], 1000000},
	    {"fence_addr_asid", &c->fence[TLB_FENCE_ADDR_ASID], 1000000},
	    {"satp", &c->satp, 1000000},
	    {"sinval", &c->sinval, 1000000},
	    {"inval_fence", &c->inval_fence, 1000000},
	    {"asids", &ro->asids, 1},
	    {"check", &ro->check, 1},
	    {"strict", &ro->strict, 1},
	};
	const char *eq = strchr(arg, '=');
	size_t klen = eq ? (size_t)(eq - arg) : strlen(arg);

	if (eq != NULL && klen == 6 && strncmp(arg, "preset", 6) == 0)
		return 0;
	if (eq != NULL && klen == 5 && strncmp(arg, "fence", 5) == 0)
		return apply_fences(eq + 1, c);
	if (eq != NULL && klen == 3 && strncmp(arg, "out", 3) == 0)
		return apply_out(eq + 1, &ro->out_path);
	if (eq != NULL && klen == 6 && strncmp(arg, "leaves", 6) == 0)
		return apply_out(eq + 1, &leaves_path);
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
	        "iways=N, dways=N, l2=N, l2ways=N, walk=CYCLES_PER_LEVEL, l2hit=CYCLES, ptc=N, "
	        "ptc_hit=CYCLES, fence=CYCLES (every form), fence_all=, fence_addr=, fence_asid=, "
	        "fence_addr_asid=CYCLES, satp=CYCLES, sinval=CYCLES, inval_fence=CYCLES, "
	        "asids=0|1, check=0|1, strict=0|1, out=FILE, leaves=FILE\n",
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
	cur = &harts[0];
	for (nharts = 0; nharts < n; nharts++) {
		struct hart *h = &harts[nharts];
		if (tlb_hier_init(&h->tlb, &config) != 0)
			return -1;
		if (check_on && (h->check = tlbcheck_new()) == NULL)
			return -1;
		if (strict_on && (h->strict = tlbstrict_new()) == NULL)
			return -1;
	}
	return 0;
}

/* ABI names of x0..x31, as QEMU's gdb description gives them. */
static const char *const gpr_names[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "fp", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

/* A vCPU starts: find the registers the model reads, by name, and read
 * satp and priv once. */
static void
vcpu_init(qemu_plugin_id_t id, unsigned vcpu_index)
{
	struct hart *h = hart_of(vcpu_index);
	GArray *regs = qemu_plugin_get_registers();
	const qemu_plugin_reg_descriptor *d = (const void *)regs->data;

	(void)id;
	for (unsigned i = 0; i < regs->len; i++) {
		if (strcmp(d[i].name, "satp") == 0)
			h->reg_satp = d[i].handle;
		else if (strcmp(d[i].name, "priv") == 0)
			h->reg_priv = d[i].handle;
		else if (strcmp(d[i].name, "mhartid") == 0)
			h->reg_hartid = d[i].handle;
		else if (strcmp(d[i].name, "scause") == 0)
			h->reg_scause = d[i].handle;
		for (int r = 1; r < 32; r++)
			if (strcmp(d[i].name, gpr_names[r]) == 0)
				h->reg_x[r] = d[i].handle;
	}
	g_array_free(regs, 1);
	for (int r = 1; r < 32; r++)
		regs_missing |= h->reg_x[r] == NULL;
	regs_missing |= h->reg_satp == NULL || h->reg_priv == NULL || h->reg_hartid == NULL;
	h->satp = reg_read(h->reg_satp);
	h->priv = (unsigned)reg_read(h->reg_priv);
	h->satp_stale = 1;
}

TLBSIM_EXPORT int
qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	struct run_opts ro = {2, 0, 0, NULL};
	unsigned n = 1;

	if (strcmp(info->target_name, "riscv64") != 0) {
		fprintf(stderr, "tlbsim: decodes RISC-V only; this guest is %s\n",
		        info->target_name);
		return -1;
	}
	if (info->version.cur < TLBSIM_QEMU_PLUGIN_VERSION) {
		fprintf(stderr, "tlbsim: needs plugin API %d (QEMU 10.0 or later); this QEMU has %d\n",
		        TLBSIM_QEMU_PLUGIN_VERSION, info->version.cur);
		return -1;
	}
	if (parse_args(argc, argv, &config, &ro) != 0)
		return -1;
	strict_on = ro.strict != 0;
	check_on = ro.check != 0 || strict_on;
	if (info->system_emulation && info->system.max_vcpus > 0)
		n = (unsigned)info->system.max_vcpus;
	if (harts_init(n) != 0) {
		fprintf(stderr, "tlbsim: out of memory for %u harts' TLBs\n", n);
		return -1;
	}
	/* stdout through a descriptor of its own: by the time QEMU 10 runs
	 * the exit callbacks, its own stdout stream no longer reaches fd 1. */
	out_file = ro.out_path != NULL ? fopen(ro.out_path, "w") : fdopen(dup(1), "w");
	if (out_file == NULL) {
		fprintf(stderr, "tlbsim: cannot write %s: %s\n", ro.out_path, strerror(errno));
		return -1;
	}
	reg_buf = g_byte_array_new();
	shadow.now = 1; /* valid_at 0 means never: before any satp write */
	if (reg_buf == NULL || shadow_init(&shadow, RAM_BASE, RAM_SHADOW) != 0 ||
	    (strict_on && shadow_track_valid(&shadow) != 0)) {
		fprintf(stderr, "tlbsim: out of memory for the shadow of RAM\n");
		return -1;
	}
	qemu_plugin_register_vcpu_init_cb(id, vcpu_init);
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, plugin_exit, NULL);
	return 0;
}
