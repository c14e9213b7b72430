/*
 * profile: a QEMU TCG plugin (API version 4, QEMU 10), loaded beside
 * tlbsim or alone, that tells where each marked region's instructions
 * went: per region, how many times each instruction address executed,
 * and how many wfi the region executed. tools/xv6collect.py turns the
 * addresses into functions with the kernel's symbols. Options and output:
 * README.md beside this file ("Profile").
 *
 * Regions are tlbsim's (the same `addi x0, x0, ID` markers, decoded
 * alike): ID 1..2047 begins one, ID -1 ends it, a begin while one is open
 * abandons it. Closed regions are numbered from 1 in the order they
 * close, which is the order of tlbsim's rows.
 *
 * Counting. Every instruction address gets a counter cell the first time
 * it is translated (a retranslation finds the same cell), and every
 * execution of a non-marker instruction adds one to its cell inline, in
 * the executing vCPU's own copy (a per-vCPU scoreboard per chunk of
 * cells); a cell's count is the sum over vCPUs.
 * A region's counts are its cells' growth between its markers, the
 * markers themselves not counted: so they sum to the instructions
 * strictly between the markers, tlbsim's `insns`. A user address names
 * whatever program ran there (every process has its own address 0).
 *
 * Meant for one hart (as benchmarks run): the cells and the open region
 * are global and unlocked, which is exact under -icount, where QEMU runs
 * every vCPU in one thread.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "marker.h"
#include "qemu_plugin_api.h"

TLBSIM_EXPORT int qemu_plugin_version = TLBSIM_QEMU_PLUGIN_VERSION;

/* wfi (privileged ISA, "Wait for Interrupt"): one fixed word. */
#define INSN_WFI 0x10500073u

#define CELLS_PER_CHUNK 4096
#define HASH_MIN 8192 /* buckets at start; doubled at half full */

/* One instruction address and its executions. */
struct cell {
	qemu_plugin_u64 count; /* executions so far (inline adds, per vCPU) */
	uint64_t base;         /* count when the open region began */
	uint64_t vaddr;
};

/* Cells live in chunks that never move; each chunk's counts are one
 * scoreboard entry of CELLS_PER_CHUNK words per vCPU. */
struct chunk {
	struct cell cells[CELLS_PER_CHUNK];
	struct qemu_plugin_scoreboard *score;
	struct chunk *next;
};

static struct chunk *chunks; /* newest first */
static size_t used_in_chunk = CELLS_PER_CHUNK;
static struct cell **hash; /* open addressing by vaddr */
static size_t hash_size, ncells;

static FILE *out_file;
static int want_pcs = 1; /* pcs=0: only wfi per region */
static int failed;       /* out of memory: said in the trailer */

static struct {
	int open;
	unsigned id;
	uint64_t wfi;
} region;
static uint64_t wfi_count, nclosed, abandoned, stray_ends;

static size_t
hash_slot(uint64_t vaddr, size_t size)
{
	return (size_t)((vaddr >> 1) * 0x9E3779B97F4A7C15ULL) & (size - 1);
}

/* Double the table. 0, or -1 when out of memory. */
static int
hash_grow(void)
{
	size_t size = hash_size ? 2 * hash_size : HASH_MIN;
	struct cell **t = calloc(size, sizeof(*t));

	if (t == NULL)
		return -1;
	for (size_t i = 0; i < hash_size; i++) {
		if (hash[i] == NULL)
			continue;
		size_t s = hash_slot(hash[i]->vaddr, size);
		while (t[s] != NULL)
			s = (s + 1) & (size - 1);
		t[s] = hash[i];
	}
	free(hash);
	hash = t;
	hash_size = size;
	return 0;
}

/* A fresh zeroed cell for vaddr, or NULL when out of memory. */
static struct cell *
cell_new(uint64_t vaddr)
{
	if (used_in_chunk == CELLS_PER_CHUNK) {
		struct chunk *c = calloc(1, sizeof(*c));
		if (c == NULL)
			return NULL;
		c->score = qemu_plugin_scoreboard_new(CELLS_PER_CHUNK * sizeof(uint64_t));
		if (c->score == NULL) {
			free(c);
			return NULL;
		}
		c->next = chunks;
		chunks = c;
		used_in_chunk = 0;
	}
	struct cell *cell = &chunks->cells[used_in_chunk];
	cell->count.score = chunks->score;
	cell->count.offset = used_in_chunk++ * sizeof(uint64_t);
	cell->vaddr = vaddr;
	return cell;
}

/* The cell of vaddr, made on first use. NULL when out of memory. */
static struct cell *
cell_of(uint64_t vaddr)
{
	if (2 * (ncells + 1) > hash_size && hash_grow() != 0)
		return NULL;
	size_t s = hash_slot(vaddr, hash_size);
	while (hash[s] != NULL) {
		if (hash[s]->vaddr == vaddr)
			return hash[s];
		s = (s + 1) & (hash_size - 1);
	}
	hash[s] = cell_new(vaddr);
	if (hash[s] != NULL)
		ncells++;
	return hash[s];
}

/* Call fn on every cell. */
static void
cells_each(void (*fn)(struct cell *))
{
	size_t n = used_in_chunk;

	for (struct chunk *c = chunks; c != NULL; c = c->next, n = CELLS_PER_CHUNK)
		for (size_t i = 0; i < n; i++)
			fn(&c->cells[i]);
}

static void
cell_start(struct cell *c)
{
	c->base = qemu_plugin_u64_sum(c->count);
}

static uint64_t close_sum; /* what cell_emit added up for this region */

/* One "P" line for a cell that ran in the region being closed. */
static void
cell_emit(struct cell *c)
{
	uint64_t n = qemu_plugin_u64_sum(c->count) - c->base;

	if (n == 0)
		return;
	close_sum += n;
	fprintf(out_file, "P,%" PRIu64 ",%" PRIx64 ",%" PRIu64 "\n", nclosed, c->vaddr, n);
}

/* End the open region: its P lines, then its R line. */
static void
region_close(void)
{
	nclosed++;
	close_sum = 0;
	if (want_pcs)
		cells_each(cell_emit);
	fprintf(out_file, "R,%" PRIu64 ",%u,%" PRIu64 ",%" PRIu64 "\n", nclosed, region.id,
	        want_pcs ? close_sum : 0, wfi_count - region.wfi);
	region.open = 0;
}

/* A marker; udata is its immediate (1..2047 begin, MARKER_END end). */
static void
marker_cb(unsigned vcpu_index, void *udata)
{
	unsigned imm = (unsigned)(uintptr_t)udata;

	(void)vcpu_index;
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
	region.wfi = wfi_count;
	if (want_pcs)
		cells_each(cell_start);
}

static void
wfi_cb(unsigned vcpu_index, void *udata)
{
	(void)vcpu_index;
	(void)udata;
	wfi_count++;
}

/* The word of a 4-byte instruction (RISC-V is little-endian). */
static uint32_t
insn_word(const struct qemu_plugin_insn *insn)
{
	uint8_t b[4] = {0};

	qemu_plugin_insn_data(insn, b, sizeof(b));
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* Instrument one translation block: markers get their callback, wfi its
 * count, every other instruction an inline add to its cell. */
static void
tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint32_t w = qemu_plugin_insn_size(insn) == 4 ? insn_word(insn) : 0;
		unsigned imm = marker_imm(w);

		if (imm != 0) {
			qemu_plugin_register_vcpu_insn_exec_cb(
			    insn, marker_cb, QEMU_PLUGIN_CB_NO_REGS, (void *)(uintptr_t)imm);
			continue;
		}
		if (w == INSN_WFI)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, wfi_cb, QEMU_PLUGIN_CB_NO_REGS,
			                                       NULL);
		if (!want_pcs)
			continue;
		struct cell *c = cell_of(qemu_plugin_insn_vaddr(insn));
		if (c == NULL) {
			failed = 1;
			continue;
		}
		qemu_plugin_register_vcpu_insn_exec_inline_per_vcpu(insn, QEMU_PLUGIN_INLINE_ADD_U64,
		                                                    c->count, 1);
	}
}

/* At exit: the trailer, then close the file. */
static void
plugin_exit(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	if (region.open)
		abandoned++;
	fprintf(out_file,
	        "# profile end regions=%" PRIu64 " abandoned=%" PRIu64 " stray_ends=%" PRIu64
	        " cells=%zu%s\n",
	        nclosed, abandoned, stray_ends, ncells, failed ? " cells_lost=out_of_memory" : "");
	if (fclose(out_file) != 0)
		fprintf(stderr, "profile: writing the report: %s\n", strerror(errno));
}

/* out=FILE (required) and pcs=0|1. Returns 0, or -1 after a message. */
static int
parse_args(int argc, char **argv, const char **out_path)
{
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "out=", 4) == 0 && argv[i][4] != '\0')
			*out_path = argv[i] + 4;
		else if (strcmp(argv[i], "pcs=0") == 0 || strcmp(argv[i], "pcs=1") == 0)
			want_pcs = argv[i][4] == '1';
		else {
			fprintf(stderr,
			        "profile: unknown option '%s'; options are out=FILE, pcs=0|1\n",
			        argv[i]);
			return -1;
		}
	}
	if (*out_path == NULL) {
		fprintf(stderr, "profile: out=FILE is required\n");
		return -1;
	}
	return 0;
}

TLBSIM_EXPORT int
qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	const char *out_path = NULL;

	if (strcmp(info->target_name, "riscv64") != 0) {
		fprintf(stderr, "profile: decodes RISC-V only; this guest is %s\n",
		        info->target_name);
		return -1;
	}
	if (parse_args(argc, argv, &out_path) != 0)
		return -1;
	out_file = fopen(out_path, "w");
	if (out_file == NULL) {
		fprintf(stderr, "profile: cannot write %s: %s\n", out_path, strerror(errno));
		return -1;
	}
	fprintf(out_file, "# profile pcs=%d: R,region,id,insns,wfi and P,region,pc(hex),count\n",
	        want_pcs);
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, plugin_exit, NULL);
	return 0;
}
