#ifndef TLBSIM_QEMU_PLUGIN_API_H
#define TLBSIM_QEMU_PLUGIN_API_H

/*
 * The part of QEMU's TCG plugin API (version 4, as QEMU 10.0 has it) that
 * tlbsim and profile use, declared by hand: Debian ships no qemu-plugin.h.
 * Each declaration follows QEMU 10.0's documented interface ("TCG Plugins"
 * in QEMU's developer documentation); nothing else of the API is declared.
 * A few glib types and functions that the API passes are declared too:
 * they resolve from QEMU's own process, which links glib.
 *
 * The functions are defined in the QEMU binary, which exports them to
 * the plugin when it dlopen()s it; the plugin in turn exports
 * qemu_plugin_version and qemu_plugin_install.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* API level these plugins are written against. Version 2 removed the
 * plain inline registrations, version 3 changed qemu_plugin_insn_data,
 * version 4 added qemu_plugin_read_memory_vaddr. QEMU 10.0 accepts 2..4. */
#define TLBSIM_QEMU_PLUGIN_VERSION 4

/* Symbols QEMU must find in the plugin. */
#define TLBSIM_EXPORT __attribute__((visibility("default")))

/* glib, as the API hands it over (only the public fields). */
typedef struct {
	char *data;
	unsigned len;
} GArray;
typedef struct {
	uint8_t *data;
	unsigned len;
} GByteArray;
GByteArray *g_byte_array_new(void);
GByteArray *g_byte_array_set_size(GByteArray *array, unsigned length);
char *g_array_free(GArray *array, int free_segment);

typedef uint64_t qemu_plugin_id_t;

/* Passed to qemu_plugin_install, valid only during that call. */
typedef struct qemu_info_t {
	const char *target_name; /* e.g. "riscv64" */
	struct {
		int min; /* oldest API level QEMU accepts */
		int cur; /* API level QEMU implements */
	} version;
	bool system_emulation;
	union {
		struct {
			int smp_vcpus; /* harts at start */
			int max_vcpus; /* harts possible */
		} system;
	};
} qemu_info_t;

/* Opaque handles, valid only inside the translation callback. */
struct qemu_plugin_tb;
struct qemu_plugin_insn;
struct qemu_plugin_scoreboard;
struct qemu_plugin_register;

/* One uint64_t of every vCPU's entry of a scoreboard. */
typedef struct {
	struct qemu_plugin_scoreboard *score;
	size_t offset;
} qemu_plugin_u64;

/* A register: handle for reads, name as gdb knows it. */
typedef struct {
	struct qemu_plugin_register *handle;
	const char *name;
	const char *feature;
} qemu_plugin_reg_descriptor;

/* A memory access descriptor (size, sign, store, MMU index). */
typedef uint32_t qemu_plugin_meminfo_t;
/* The physical side of one access, valid only inside its memory callback. */
struct qemu_plugin_hwaddr;

/* The value a load or store moved. */
enum qemu_plugin_mem_value_type {
	QEMU_PLUGIN_MEM_VALUE_U8,
	QEMU_PLUGIN_MEM_VALUE_U16,
	QEMU_PLUGIN_MEM_VALUE_U32,
	QEMU_PLUGIN_MEM_VALUE_U64,
	QEMU_PLUGIN_MEM_VALUE_U128,
};
typedef struct {
	enum qemu_plugin_mem_value_type type;
	union {
		uint8_t u8;
		uint16_t u16;
		uint32_t u32;
		uint64_t u64;
		struct {
			uint64_t low, high;
		} u128;
	} data;
} qemu_plugin_mem_value;

/* Whether a callback reads guest registers. */
enum qemu_plugin_cb_flags {
	QEMU_PLUGIN_CB_NO_REGS = 0,
	QEMU_PLUGIN_CB_R_REGS = 1,
	QEMU_PLUGIN_CB_RW_REGS = 2,
};

/* Which memory accesses a memory callback wants. */
enum qemu_plugin_mem_rw {
	QEMU_PLUGIN_MEM_R = 1,
	QEMU_PLUGIN_MEM_W = 2,
	QEMU_PLUGIN_MEM_RW = 3,
};

/* Inline operations generated into the translated code. */
enum qemu_plugin_op {
	QEMU_PLUGIN_INLINE_ADD_U64 = 0,
	QEMU_PLUGIN_INLINE_STORE_U64 = 1,
};

typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_simple_cb_t)(qemu_plugin_id_t id, unsigned int vcpu_index);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_mem_cb_t)(unsigned int vcpu_index, qemu_plugin_meminfo_t info,
                                          uint64_t vaddr, void *userdata);

/* Exported by the plugin. install returns 0 to load, non-zero to fail. */
extern TLBSIM_EXPORT int qemu_plugin_version;
TLBSIM_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
                                      char **argv);

/* Called for every translation block QEMU translates. */
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
/* Called as each vCPU starts (the one place registers may be listed). */
void qemu_plugin_register_vcpu_init_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_simple_cb_t cb);

size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
/* Copy up to len bytes of insn into dest; returns how many. */
size_t qemu_plugin_insn_data(const struct qemu_plugin_insn *insn, void *dest, size_t len);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);

/* Run cb each time insn starts executing. */
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
/* Apply op with imm to the running vCPU's entry each time insn starts. */
void qemu_plugin_register_vcpu_insn_exec_inline_per_vcpu(struct qemu_plugin_insn *insn,
                                                         enum qemu_plugin_op op,
                                                         qemu_plugin_u64 entry, uint64_t imm);

/* Run cb after each memory access insn makes (virtual address). */
void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_mem_cb_t cb,
                                      enum qemu_plugin_cb_flags flags, enum qemu_plugin_mem_rw rw,
                                      void *userdata);

/* Whether the access described by info is a store. */
bool qemu_plugin_mem_is_store(qemu_plugin_meminfo_t info);
/* log2 of the access's size in bytes. */
unsigned int qemu_plugin_mem_size_shift(qemu_plugin_meminfo_t info);
/* From a memory callback: the value loaded or stored. */
qemu_plugin_mem_value qemu_plugin_mem_get_value(qemu_plugin_meminfo_t info);
/* From a memory callback: the physical side of its access to vaddr
 * (NULL when QEMU cannot say); valid only until the callback returns. */
struct qemu_plugin_hwaddr *qemu_plugin_get_hwaddr(qemu_plugin_meminfo_t info, uint64_t vaddr);
/* Whether the access went to a device rather than RAM. */
bool qemu_plugin_hwaddr_is_io(const struct qemu_plugin_hwaddr *haddr);
/* The guest physical address the access went to (RAM or device). */
uint64_t qemu_plugin_hwaddr_phys_addr(const struct qemu_plugin_hwaddr *haddr);

/* Registers of the calling vCPU (vCPU-init callback only): a GArray of
 * qemu_plugin_reg_descriptor, freed by the caller. */
GArray *qemu_plugin_get_registers(void);
/* Append the register's bytes (target order) to buf; returns the size
 * or -1. Only from callbacks registered with QEMU_PLUGIN_CB_R_REGS. */
int qemu_plugin_read_register(struct qemu_plugin_register *handle, GByteArray *buf);

/* Per-vCPU storage of element_size bytes each, zeroed. */
struct qemu_plugin_scoreboard *qemu_plugin_scoreboard_new(size_t element_size);
void *qemu_plugin_scoreboard_find(struct qemu_plugin_scoreboard *score, unsigned int vcpu_index);
uint64_t qemu_plugin_u64_get(qemu_plugin_u64 entry, unsigned int vcpu_index);
uint64_t qemu_plugin_u64_sum(qemu_plugin_u64 entry);

/* Called once when QEMU exits. */
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

#endif
