#ifndef TLBSIM_TLBANN_H
#define TLBSIM_TLBANN_H

/*
 * tlbann: what the kernel tells the TLB model by announcement loads, in
 * plain C (tlbsim.c feeds it the loads; test_tlbmodel.c tests it). The
 * protocol is kernel/announce.h, included here so that kernel and plugin
 * share one definition of it.
 *
 * State is split in two: struct ann_kernel holds what is known of the
 * whole machine (the hello, the kernel map's regions, counts), struct
 * ann_hart the announcements a hart made for its next satp write or
 * sfence.vma. Every function that finds the protocol broken returns a
 * message saying how (valid until the next call); the caller reports it
 * and the run fails.
 */

#include <stdbool.h>
#include <stdint.h>

#include "../../kernel/announce.h"
#include "tlbmodel.h"

/* Regions of the kernel map the model keeps, at most. */
#define ANN_MAX_REGIONS 256u

/* One announced run of pages of the shared kernel map. */
struct ann_region {
	uint64_t start, end; /* virtual addresses, end exclusive */
	uint8_t size;        /* enum tlb_pgsize */
	bool global;
};

struct ann_kernel {
	bool hello;
	unsigned version, asid_bits;
	struct ann_region region[ANN_MAX_REGIONS]; /* sorted by start */
	unsigned nregions;
	uint64_t leaves_4k, leaves_2m, global_pages; /* over the regions */
	uint64_t announcements, satp_announced, fences_announced, ptes;
	uint64_t errors;
};

struct ann_hart {
	uint64_t arg; /* ANN_ARG accumulator */
	bool satp_pending, fence_pending;
	uint32_t satp_asid, fence_asid;
	uint64_t fence_va;
	bool announced; /* this hart has made an announcement (paging is on) */
};

/* What one announcement asks of the caller beyond the state kept here. */
struct ann_action {
	bool pte; /* mark stale: the leaf of va in address space asid changed */
	uint64_t va;
	uint32_t asid;
};

/* Whether va (a virtual address) lies in the announcement window. */
static inline bool
ann_in_window(uint64_t va)
{
	return va - ANNOUNCE_VA < ANNOUNCE_SIZE;
}

/* Decode the announcement load at window offset off made by hart h into
 * k, h and *act (act->pte false unless a PTE change was announced).
 * Returns NULL, or a message if the announcement breaks the protocol. */
const char *ann_decode(struct ann_kernel *k, struct ann_hart *h, uint64_t off,
                       struct ann_action *act);
/* A satp write by h: *asid gets the ASID it loads (0 unannounced).
 * Returns NULL, or a message if it should have been announced. */
const char *ann_satp(struct ann_kernel *k, struct ann_hart *h, uint32_t *asid);
/* An sfence.vma by h of form *kind: *va and *asid get its operands from
 * h's ANN_FENCE. A fence with an operand but no announcement becomes a
 * full fence (the model cannot know what it dropped). Returns NULL, or a
 * message when the announcement is missing (after a hello) or unused. */
const char *ann_fence(struct ann_kernel *k, struct ann_hart *h, enum tlb_fence *kind, uint64_t *va,
                      uint32_t *asid);
/* The region holding va, or NULL (4 KiB, not global). */
const struct ann_region *ann_region_of(const struct ann_kernel *k, uint64_t va);

#endif
