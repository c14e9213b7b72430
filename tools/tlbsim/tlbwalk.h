#ifndef TLBSIM_TLBWALK_H
#define TLBSIM_TLBWALK_H

/*
 * tlbwalk: a shadow of guest physical memory and an Sv39 page-table
 * walker over it, in plain C (tlbsim.c feeds the shadow with every store
 * the guest makes; test_tlbmodel.c tests both).
 *
 * The shadow holds what the guest stored, byte for byte, for the RAM
 * range it was made for; memory the guest never stored to reads as zero.
 * That is the page tables exactly, for a kernel that builds its tables
 * with stores (zeroing each table page first), except the accessed and
 * dirty bits, which QEMU sets without a store a plugin sees: the walker
 * ignores them, as a core that sets A/D in hardware does for lookups.
 * Each 8-byte word also remembers the pc of the last store to it, so a
 * report can name the instruction that changed a PTE, and, once
 * shadow_track_valid has been called (the checker's strict mode), the
 * clock (s->now, which the caller advances) at which the word last
 * became a valid PTE: a store that turned an invalid word (by the
 * walker's rule below) into a valid one, and a label the caller gives
 * the storing context then (s->ctx).
 *
 * The walk is the privileged spec's (4.3.2, Sv39 per 4.4): from the root
 * in satp, read one PTE per level; an invalid PTE (V clear, or W without
 * R) ends the walk with no translation; a PTE with R or X is a leaf,
 * whose level gives the page size; a misaligned superpage is invalid.
 */

#include <stdbool.h>
#include <stdint.h>

/* PTE bits (privileged spec 4.4.1). */
#define SV39_PTE_V (1u << 0)
#define SV39_PTE_R (1u << 1)
#define SV39_PTE_W (1u << 2)
#define SV39_PTE_X (1u << 3)
#define SV39_PTE_U (1u << 4)
#define SV39_PTE_G (1u << 5)
/* The bits a translation's permissions consist of. */
#define SV39_PERMS (SV39_PTE_R | SV39_PTE_W | SV39_PTE_X | SV39_PTE_U)
#define SV39_LEVELS 3

struct sv39_memo;

struct shadow {
	uint64_t base, size; /* physical range shadowed */
	uint8_t *bytes;      /* size bytes, zero until stored */
	uint32_t *pcs;       /* per 8-byte word: low 32 bits of the storing pc */
	uint64_t *valid_at;  /* per word: now when it last became valid; NULL: not kept */
	uint16_t *valid_ctx; /* per word: ctx when it last became valid (with valid_at) */
	uint64_t now;        /* the caller's clock, stamped into valid_at */
	uint16_t ctx;        /* the caller's label of the storing context */
	/* sv39_walk_memo's walks remembered (MEMO_SLOTS of them), valid
	 * while their epoch is memo_epoch; read_at: per 4 KiB page, the
	 * epoch in which a remembered walk last read a PTE from it. A store
	 * to such a page starts a new epoch, forgetting every walk. */
	struct sv39_memo *memo;
	uint64_t *read_at;
	uint64_t memo_epoch;
	uint64_t memo_hits; /* walks sv39_walk_memo did not do again */
};

/* One walk's result. */
struct sv39_walk {
	bool valid;      /* a leaf was found */
	unsigned levels; /* PTEs read (1..3) */
	unsigned size;   /* enum tlb_pgsize of the leaf */
	bool global;     /* G set on the leaf or on a table PTE above it */
	unsigned perms;  /* the leaf's SV39_PERMS bits */
	uint64_t frame;  /* physical base of the page */
	uint64_t pte_pa; /* address of the last PTE read (the leaf, or the invalid one) */
	uint64_t path[SV39_LEVELS]; /* addresses of the PTEs read, root's first */
};

/* A shadow of size bytes from physical base; 0, or -1 out of memory. */
int shadow_init(struct shadow *s, uint64_t base, uint64_t size);
void shadow_destroy(struct shadow *s);
/* Keep valid_at from now on; 0, or -1 out of memory. */
int shadow_track_valid(struct shadow *s);
/* The guest stored len (1..8) bytes of value (little-endian) at pa, by
 * the instruction at pc. Outside the range: ignored. */
void shadow_store(struct shadow *s, uint64_t pa, unsigned len, uint64_t value, uint64_t pc);
/* The 8-byte word at pa (8-aligned); 0 outside the range. */
uint64_t shadow_read64(const struct shadow *s, uint64_t pa);
/* Low 32 bits of the pc that last stored to the word at pa; 0 if none. */
uint32_t shadow_store_pc(const struct shadow *s, uint64_t pa);
/* s->now when the word at pa last became a valid PTE; 0 if never, or
 * if valid_at is not kept. */
uint64_t shadow_valid_at(const struct shadow *s, uint64_t pa);
/* s->ctx when the word at pa last became a valid PTE; 0 if not kept. */
uint16_t shadow_valid_ctx(const struct shadow *s, uint64_t pa);
/* Whether pte is valid by the walker's rule (V set, not W without R). */
bool sv39_pte_valid(uint64_t pte);

/* Walk the Sv39 table rooted at physical root for va into *w; returns
 * w->valid. */
bool sv39_walk(const struct shadow *s, uint64_t root, uint64_t va, struct sv39_walk *w);
/* The same result as sv39_walk, remembered: a walk of the same root and
 * page of va with no store since to a page it read PTEs from is not done
 * again (the TLB model walks at every access, hits included). */
bool sv39_walk_memo(struct shadow *s, uint64_t root, uint64_t va, struct sv39_walk *w);
/* Call fn(va, level, pte, arg) for every valid leaf of the table rooted
 * at root, in address order (va sign-extended from bit 38). */
void sv39_leaves(const struct shadow *s, uint64_t root,
                 void (*fn)(uint64_t va, unsigned level, uint64_t pte, void *arg), void *arg);

#endif
