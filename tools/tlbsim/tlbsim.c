/*
 * tlbsim: a QEMU TCG plugin (API version 1, QEMU 7.2) that runs a RISC-V
 * guest's fetches, loads and stores through a model TLB (tlbmodel.c) and
 * reports, per marked region, instructions, TLB misses, flushes and
 * estimated cycles. Options and output: README.md beside this file.
 *
 * What it sees, decoded from instruction words at translation time:
 *
 *   addi x0, x0, ID      ID 1..2047: begin region ID; ID -1: end it
 *   sfence.vma rs1, rs2  flush this hart's model TLBs; count by form
 *   csr write to satp    count (the kernel follows it with sfence.vma)
 *
 * and, at run time, every instruction (one inline add each), the page of
 * every fetch and the virtual address of every load and store. It cannot
 * see registers or privilege: an instruction is "kernel" when its
 * address is at or above KERNEL_BASE or in the trampoline page.
 *
 * Harts: each has its own model TLBs; the instruction count and the
 * region being measured are global. Figures are meant for one hart under
 * -icount, where QEMU runs all vCPUs in one thread; nothing here locks.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_api.h"
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
/* addi x0, x0, imm: opcode OP-IMM, rd = 0, funct3 = 0, rs1 = 0. */
#define MARKER_MASK 0x000fffffu
#define MARKER_BITS 0x00000013u
#define MARKER_ID_MAX 2047
#define MARKER_END 0xfff /* imm -1 */
/* sfence.vma: funct7 0001001, rd = 0, funct3 = 0, opcode SYSTEM. */
#define SFENCE_MASK 0xfe007fffu
#define SFENCE_BITS 0x12000073u
#define CSR_SATP 0x180
#define FUNCT3_CSRRW 1
#define FUNCT3_CSRRWI 5

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

/* count_outcome finds a kernel counter one past its user counter. */
_Static_assert(C_ITLB_MISS_KERNEL == C_ITLB_MISS_USER + 1, "itlb counters out of order");
_Static_assert(C_DTLB_MISS_KERNEL == C_DTLB_MISS_USER + 1, "dtlb counters out of order");

/* One hart's model; a cache line of its own, as each vCPU thread of
 * multi-threaded TCG writes only its own. */
struct hart {
	struct tlb_hier tlb;
	uint64_t count[NCOUNTERS];
} __attribute__((aligned(64)));

/* One closed region: a CSV row. */
struct row {
	unsigned id;
	uint64_t insns;
	uint64_t count[NCOUNTERS];
};

static struct tlb_config config;
/* Where the report goes: out=FILE, else QEMU's stdout (after the guest's
 * last console output, since it is written at exit). Not through
 * qemu_plugin_outs: QEMU 7.2 prints that only with -d plugin, on stderr. */
static FILE *out_file;
static struct hart *harts;
static unsigned nharts;

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
static int out_of_memory;   /* rows were lost: said in the trailer */

static int
is_kernel_page(uint64_t page)
{
	return page >= (KERNEL_BASE >> PAGE_SHIFT) || page == TRAMPOLINE_PAGE;
}

static struct hart *
hart_of(unsigned vcpu_index)
{
	/* QEMU numbers vCPUs below max_vcpus; the test is only a guard. */
	return &harts[vcpu_index < nharts ? vcpu_index : 0];
}

/* Count the outcome of one TLB lookup in h: a miss of the user or
 * kernel kind, and an L2 hit if it was one. */
static inline void
count_outcome(struct hart *h, enum tlb_outcome o, int kernel, enum counter user_c)
{
	if (o == TLB_L1_HIT)
		return;
	h->count[user_c + (kernel ? 1 : 0)]++;
	if (o == TLB_L2_HIT)
		h->count[C_L2_HITS]++;
}

/* Fetch from the page in udata: registered on the first instruction of
 * each run of instructions on one page within a block (see tb_trans). */
static void
fetch_cb(unsigned vcpu_index, void *udata)
{
	uint64_t page = (uintptr_t)udata;
	struct hart *h = hart_of(vcpu_index);

	count_outcome(h, tlb_hier_access(&h->tlb, TLB_FETCH, page), is_kernel_page(page),
	              C_ITLB_MISS_USER);
}

/* A load or store at vaddr by an instruction that is kernel iff udata. */
static void
mem_cb(unsigned vcpu_index, qemu_plugin_meminfo_t info, uint64_t vaddr, void *udata)
{
	struct hart *h = hart_of(vcpu_index);

	(void)info;
	count_outcome(h, tlb_hier_access(&h->tlb, TLB_DATA, vaddr >> PAGE_SHIFT), udata != NULL,
	              C_DTLB_MISS_USER);
}

/* sfence.vma of the form in udata (an enum counter). Every form flushes
 * the whole model: no ASIDs or per-page entries are modelled, and a
 * full flush is what the kernel's sfence.vma zero, zero asks for. */
static void
sfence_cb(unsigned vcpu_index, void *udata)
{
	struct hart *h = hart_of(vcpu_index);

	h->count[(uintptr_t)udata]++;
	tlb_hier_flush(&h->tlb);
}

/* A satp write. It does not flush: the kernel follows every satp write
 * with sfence.vma, and the model counts the flush there. */
static void
satp_cb(unsigned vcpu_index, void *udata)
{
	(void)udata;
	hart_of(vcpu_index)->count[C_SATP_WRITES]++;
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

/* What tb_trans found an instruction to be. */
enum insn_kind { K_PLAIN, K_MARKER, K_SFENCE, K_SATP_WRITE };

/* Classify a 32-bit instruction word; *arg gets the marker immediate or
 * the sfence.vma form counter. */
static enum insn_kind
decode(uint32_t w, uintptr_t *arg)
{
	if ((w & MARKER_MASK) == MARKER_BITS) {
		unsigned imm = INSN_IMM12(w);
		if (imm == 0 || (imm > MARKER_ID_MAX && imm != MARKER_END))
			return K_PLAIN; /* the canonical nop, or not ours */
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

/* Register on insn the fetch lookups it needs: its first page unless
 * the previous instruction was fetched from it, and its second page if
 * it crosses into one. */
static void
want_fetches(struct qemu_plugin_insn *insn, uint64_t first, uint64_t last, uint64_t fetched)
{
	if (first != fetched)
		qemu_plugin_register_vcpu_insn_exec_cb(insn, fetch_cb, QEMU_PLUGIN_CB_NO_REGS,
		                                       (void *)(uintptr_t)first);
	if (last != first)
		qemu_plugin_register_vcpu_insn_exec_cb(insn, fetch_cb, QEMU_PLUGIN_CB_NO_REGS,
		                                       (void *)(uintptr_t)last);
}

/* Register the callback (or inline count) for insn's kind. */
static void
want_kind(struct qemu_plugin_insn *insn, enum insn_kind kind, uintptr_t arg)
{
	switch (kind) {
	case K_MARKER:
		/* No inline add: marker_cb counts the marker itself. */
		qemu_plugin_register_vcpu_insn_exec_cb(insn, marker_cb, QEMU_PLUGIN_CB_NO_REGS,
		                                       (void *)arg);
		return;
	case K_SFENCE:
		qemu_plugin_register_vcpu_insn_exec_cb(insn, sfence_cb, QEMU_PLUGIN_CB_NO_REGS,
		                                       (void *)arg);
		break;
	case K_SATP_WRITE:
		qemu_plugin_register_vcpu_insn_exec_cb(insn, satp_cb, QEMU_PLUGIN_CB_NO_REGS, NULL);
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
 * block was fetched from hits the I-TLB and changes no LRU order (the
 * page is already the most recently used), unless a sfence.vma came in
 * between; so one lookup per run of same-page instructions gives exactly
 * the per-instruction result, for far fewer callbacks.
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
		uint64_t first = va >> PAGE_SHIFT;
		uint64_t last = (va + qemu_plugin_insn_size(insn) - 1) >> PAGE_SHIFT;
		enum insn_kind kind = K_PLAIN;
		uintptr_t arg = 0;

		if (qemu_plugin_insn_size(insn) == 4)
			kind = decode(insn_word(insn), &arg);
		if (kind == K_MARKER && arg == MARKER_END) {
			want_kind(insn, kind, arg);
			want_fetches(insn, first, last, fetched);
		} else {
			want_fetches(insn, first, last, fetched);
			want_kind(insn, kind, arg);
		}
		fetched = kind == K_SFENCE ? NO_PAGE : last;
		qemu_plugin_register_vcpu_mem_cb(insn, mem_cb, QEMU_PLUGIN_CB_NO_REGS,
		                                 QEMU_PLUGIN_MEM_RW,
		                                 (void *)(uintptr_t)is_kernel_page(first));
	}
}

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write one line of output (at most a few hundred characters). */
static void
emit(const char *fmt, ...)
{
	char line[512];
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
	char names[256] = "region,insns";

	emit("# tlbsim preset=%s itlb=%u iways=%u dtlb=%u dways=%u l2=%u l2ways=%u walk=%u "
	     "l2hit=%u harts=%u\n",
	     config.preset, config.itlb, tlb_config_ways(config.itlb, config.iways), config.dtlb,
	     tlb_config_ways(config.dtlb, config.dways), config.l2,
	     config.l2 ? tlb_config_ways(config.l2, config.l2ways) : 0, config.walk, config.l2hit,
	     nharts);
	emit("# tlbsim model: 4 KiB pages keyed by virtual page, LRU, no ASIDs; every sfence.vma "
	     "flushes all; kernel = instruction at >= 0x%llx or in the trampoline page; insns = "
	     "instructions strictly between the markers\n",
	     (unsigned long long)KERNEL_BASE);
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

/* At exit: the whole report. A region still open is not reported. */
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
	emit("# tlbsim end regions=%zu abandoned=%" PRIu64 " stray_ends=%" PRIu64
	     " insns_total=%" PRIu64 "%s\n",
	     nrows, abandoned, stray_ends, insn_count,
	     out_of_memory ? " rows_lost=out_of_memory" : "");
	if (out_file == stdout ? fflush(out_file) != 0 : fclose(out_file) != 0)
		fprintf(stderr, "tlbsim: writing the report: %s\n", strerror(errno));
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

/* Apply one key=value option (preset excepted) to *c or *out_path.
 * Returns 0, or -1 after saying what is wrong. */
static int
apply_option(const char *arg, struct tlb_config *c, const char **out_path)
{
	const struct num_opt opts[] = {
	    {"itlb", &c->itlb, TLB_MAX_ENTRIES},   {"dtlb", &c->dtlb, TLB_MAX_ENTRIES},
	    {"iways", &c->iways, TLB_MAX_ENTRIES}, {"dways", &c->dways, TLB_MAX_ENTRIES},
	    {"l2", &c->l2, TLB_MAX_ENTRIES},       {"l2ways", &c->l2ways, TLB_MAX_ENTRIES},
	    {"walk", &c->walk, 1000000},           {"l2hit", &c->l2hit, 1000000},
	};
	const char *eq = strchr(arg, '=');
	size_t klen = eq ? (size_t)(eq - arg) : strlen(arg);

	if (eq != NULL && klen == 6 && strncmp(arg, "preset", 6) == 0)
		return 0;
	if (eq != NULL && klen == 3 && strncmp(arg, "out", 3) == 0) {
		if (eq[1] != '\0') {
			*out_path = eq + 1;
			return 0;
		}
		fprintf(stderr, "tlbsim: out wants a file name\n");
		return -1;
	}
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
	        "iways=N, dways=N, l2=N, l2ways=N, walk=CYCLES, l2hit=CYCLES, out=FILE\n",
	        arg, tlb_preset_names());
	return -1;
}

/* Build *c from the arguments: the preset first (default u54), then the
 * other options over it in order. Returns 0, or -1 after a message. */
static int
parse_args(int argc, char **argv, struct tlb_config *c, const char **out_path)
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
		if (apply_option(argv[i], c, out_path) != 0)
			return -1;
	msg = tlb_config_check(c);
	if (msg != NULL) {
		fprintf(stderr, "tlbsim: %s\n", msg);
		return -1;
	}
	return 0;
}

/* One model per hart that can exist. Returns 0 or -1. */
static int
harts_init(unsigned n)
{
	harts = aligned_alloc(64, n * sizeof(struct hart));
	if (harts == NULL)
		return -1;
	memset(harts, 0, n * sizeof(struct hart));
	for (nharts = 0; nharts < n; nharts++)
		if (tlb_hier_init(&harts[nharts].tlb, &config) != 0)
			return -1;
	return 0;
}

TLBSIM_EXPORT int
qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	const char *out_path = NULL;
	unsigned n = 1;

	if (strcmp(info->target_name, "riscv64") != 0) {
		fprintf(stderr, "tlbsim: decodes RISC-V only; this guest is %s\n",
		        info->target_name);
		return -1;
	}
	if (parse_args(argc, argv, &config, &out_path) != 0)
		return -1;
	if (info->system_emulation && info->system.max_vcpus > 0)
		n = (unsigned)info->system.max_vcpus;
	if (harts_init(n) != 0) {
		fprintf(stderr, "tlbsim: out of memory for %u harts' TLBs\n", n);
		return -1;
	}
	out_file = out_path != NULL ? fopen(out_path, "w") : stdout;
	if (out_file == NULL) {
		fprintf(stderr, "tlbsim: cannot write %s: %s\n", out_path, strerror(errno));
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, plugin_exit, NULL);
	return 0;
}
