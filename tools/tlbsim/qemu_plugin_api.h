#ifndef TLBSIM_QEMU_PLUGIN_API_H
#define TLBSIM_QEMU_PLUGIN_API_H

/*
 * The part of QEMU's TCG plugin API (version 1, as QEMU 7.2 has it) that
 * tlbsim uses, declared by hand: Debian ships no qemu-plugin.h. Each
 * declaration matches QEMU 7.2's documented interface ("TCG Plugins" in
 * QEMU's developer documentation); nothing else of the API is declared.
 *
 * The functions are defined in the QEMU binary, which exports them to
 * the plugin when it dlopen()s it; the plugin in turn exports
 * qemu_plugin_version and qemu_plugin_install.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* API level this plugin is written against; QEMU 7.2 accepts 0..1. */
#define TLBSIM_QEMU_PLUGIN_VERSION 1

/* Symbols QEMU must find in the plugin. */
#define TLBSIM_EXPORT __attribute__((visibility("default")))

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

/* A memory access descriptor (size, sign, store, MMU index). */
typedef uint32_t qemu_plugin_meminfo_t;
/* The physical side of one access, valid only inside its memory callback. */
struct qemu_plugin_hwaddr;

/* Whether a callback reads guest registers (tlbsim never does). */
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
};

typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
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

size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);

/* Run cb (or add imm to *ptr) each time insn starts executing. */
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
                                                enum qemu_plugin_op op, void *ptr, uint64_t imm);

/* Run cb after each memory access insn makes (virtual address). */
void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_mem_cb_t cb,
                                      enum qemu_plugin_cb_flags flags, enum qemu_plugin_mem_rw rw,
                                      void *userdata);

/* Whether the access described by info is a store. */
bool qemu_plugin_mem_is_store(qemu_plugin_meminfo_t info);
/* From a memory callback: the physical side of its access to vaddr
 * (NULL when QEMU cannot say); valid only until the callback returns. */
struct qemu_plugin_hwaddr *qemu_plugin_get_hwaddr(qemu_plugin_meminfo_t info, uint64_t vaddr);
/* The guest physical address the access went to (RAM or device). */
uint64_t qemu_plugin_hwaddr_phys_addr(const struct qemu_plugin_hwaddr *haddr);

/* Called once when QEMU exits. */
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

#endif
