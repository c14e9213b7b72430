/* The shadow of guest memory and the Sv39 walker (tlbwalk.h). */
#include "tlbwalk.h"

#include <endian.h>
#include <string.h>
#include <sys/mman.h>

#define PTE_PPN(pte) (((pte) >> 10) & ((1ULL << 44) - 1))
#define VPN(va, level) (((va) >> (12 + 9 * (level))) & 0x1ff)
/* The bits of a virtual address an Sv39 walk reads (its VPNs). */
#define VA_PAGE(va) (((va) >> 12) & ((1ULL << 27) - 1))

/* One remembered walk (sv39_walk_memo). */
struct sv39_memo {
	uint64_t epoch; /* 0: empty */
	uint64_t root, page;
	struct sv39_walk w;
};
/* Remembered walks: a power of two, indexed by page and root. */
#define MEMO_SLOTS 4096

/* Reserve len bytes of zeroes that take memory only where written. */
static void *
lazy_zeroes(uint64_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
	               -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

int
shadow_init(struct shadow *s, uint64_t base, uint64_t size)
{
	memset(s, 0, sizeof(*s));
	s->base = base;
	s->size = size;
	s->bytes = lazy_zeroes(size);
	s->pcs = lazy_zeroes(size / 2);
	s->memo = lazy_zeroes(MEMO_SLOTS * sizeof(struct sv39_memo));
	s->read_at = lazy_zeroes(size / 4096 * sizeof(uint64_t));
	s->memo_epoch = 1;
	if (s->bytes != NULL && s->pcs != NULL && s->memo != NULL && s->read_at != NULL)
		return 0;
	shadow_destroy(s);
	return -1;
}

void
shadow_destroy(struct shadow *s)
{
	if (s->bytes != NULL)
		munmap(s->bytes, s->size);
	if (s->pcs != NULL)
		munmap(s->pcs, s->size / 2);
	if (s->valid_at != NULL)
		munmap(s->valid_at, s->size);
	if (s->valid_ctx != NULL)
		munmap(s->valid_ctx, s->size / 4);
	if (s->memo != NULL)
		munmap(s->memo, MEMO_SLOTS * sizeof(struct sv39_memo));
	if (s->read_at != NULL)
		munmap(s->read_at, s->size / 4096 * sizeof(uint64_t));
	memset(s, 0, sizeof(*s));
}

int
shadow_track_valid(struct shadow *s)
{
	if (s->valid_at == NULL)
		s->valid_at = lazy_zeroes(s->size); /* 8 bytes per 8-byte word */
	if (s->valid_ctx == NULL)
		s->valid_ctx = lazy_zeroes(s->size / 4); /* 2 bytes per word */
	return s->valid_at != NULL && s->valid_ctx != NULL ? 0 : -1;
}

bool
sv39_pte_valid(uint64_t pte)
{
	return (pte & SV39_PTE_V) && !((pte & SV39_PTE_W) && !(pte & SV39_PTE_R));
}

/* valid_at: stamp each word of [off, off + len) that the store turned
 * from invalid into valid; old holds those words' values before it. */
static void
stamp_valid(struct shadow *s, uint64_t off, unsigned len, const uint64_t old[2])
{
	uint64_t first = off / 8, last = (off + len - 1) / 8;

	for (uint64_t w = first; w <= last; w++) {
		uint64_t now = shadow_read64(s, s->base + 8 * w);
		if (!sv39_pte_valid(old[w - first]) && sv39_pte_valid(now)) {
			s->valid_at[w] = s->now;
			s->valid_ctx[w] = s->ctx;
		}
	}
}

void
shadow_store(struct shadow *s, uint64_t pa, unsigned len, uint64_t value, uint64_t pc)
{
	if (pa < s->base || pa - s->base >= s->size || s->size - (pa - s->base) < len)
		return;
	uint64_t off = pa - s->base;
	uint64_t old[2] = {0, 0};
	if (s->valid_at != NULL) {
		old[0] = shadow_read64(s, s->base + (off & ~7ULL));
		if ((off + len - 1) / 8 != off / 8)
			old[1] = shadow_read64(s, s->base + (off & ~7ULL) + 8);
	}
	/* A store to a page a remembered walk read from: forget them all. */
	if (s->read_at[off / 4096] == s->memo_epoch ||
	    s->read_at[(off + len - 1) / 4096] == s->memo_epoch)
		s->memo_epoch++;
	for (unsigned i = 0; i < len && i < 8; i++)
		s->bytes[off + i] = (uint8_t)(value >> (8 * i));
	s->pcs[off / 8] = (uint32_t)pc;
	if ((off + len - 1) / 8 != off / 8)
		s->pcs[(off + len - 1) / 8] = (uint32_t)pc;
	if (s->valid_at != NULL)
		stamp_valid(s, off, len, old);
}

uint64_t
shadow_read64(const struct shadow *s, uint64_t pa)
{
	uint64_t v;

	if (pa < s->base || pa - s->base >= s->size || (pa & 7) != 0)
		return 0;
	memcpy(&v, s->bytes + (pa - s->base), sizeof(v));
	return le64toh(v); /* the guest's memory is little-endian */
}

uint32_t
shadow_store_pc(const struct shadow *s, uint64_t pa)
{
	if (pa < s->base || pa - s->base >= s->size)
		return 0;
	return s->pcs[(pa - s->base) / 8];
}

uint16_t
shadow_valid_ctx(const struct shadow *s, uint64_t pa)
{
	if (s->valid_ctx == NULL || pa < s->base || pa - s->base >= s->size)
		return 0;
	return s->valid_ctx[(pa - s->base) / 8];
}

uint64_t
shadow_valid_at(const struct shadow *s, uint64_t pa)
{
	if (s->valid_at == NULL || pa < s->base || pa - s->base >= s->size)
		return 0;
	return s->valid_at[(pa - s->base) / 8];
}

bool
sv39_walk(const struct shadow *s, uint64_t root, uint64_t va, struct sv39_walk *w)
{
	uint64_t table = root;

	memset(w, 0, sizeof(*w));
	for (int level = SV39_LEVELS - 1; level >= 0; level--) {
		uint64_t pa = table + 8 * VPN(va, level);
		uint64_t pte = shadow_read64(s, pa);

		w->path[w->levels++] = pa;
		w->pte_pa = pa;
		if (!sv39_pte_valid(pte))
			return false;
		w->global |= (pte & SV39_PTE_G) != 0;
		if (pte & (SV39_PTE_R | SV39_PTE_X)) {
			uint64_t span = 1ULL << (9 * level); /* in 4 KiB pages */
			if (PTE_PPN(pte) & (span - 1))
				return false; /* misaligned superpage */
			w->valid = true;
			w->size = (unsigned)level;
			w->perms = (unsigned)pte & SV39_PERMS;
			w->frame = PTE_PPN(pte) << 12;
			return true;
		}
		table = PTE_PPN(pte) << 12;
	}
	return false; /* a table PTE at level 0 */
}

bool
sv39_walk_memo(struct shadow *s, uint64_t root, uint64_t va, struct sv39_walk *w)
{
	uint64_t page = VA_PAGE(va);
	struct sv39_memo *m = &s->memo[(page ^ page >> 12 ^ root >> 12) & (MEMO_SLOTS - 1)];

	if (m->epoch == s->memo_epoch && m->page == page && m->root == root) {
		*w = m->w;
		s->memo_hits++;
		return w->valid;
	}
	sv39_walk(s, root, va, w);
	for (unsigned i = 0; i < w->levels; i++)
		if (w->path[i] >= s->base && w->path[i] - s->base < s->size)
			s->read_at[(w->path[i] - s->base) / 4096] = s->memo_epoch;
	m->epoch = s->memo_epoch;
	m->page = page;
	m->root = root;
	m->w = *w;
	return w->valid;
}

/* sv39_leaves below level of the table at pa, which maps from base. */
static void
leaves_of(const struct shadow *s, uint64_t pa, int level, uint64_t base,
          void (*fn)(uint64_t, unsigned, uint64_t, void *), void *arg)
{
	for (uint64_t i = 0; i < 512; i++) {
		uint64_t pte = shadow_read64(s, pa + 8 * i);
		uint64_t va = base + (i << (12 + 9 * level));
		if (!sv39_pte_valid(pte))
			continue;
		if (level == SV39_LEVELS - 1 && (va >> 38) & 1)
			va |= ~((1ULL << 39) - 1); /* the upper half */
		if (pte & (SV39_PTE_R | SV39_PTE_X))
			fn(va, (unsigned)level, pte, arg);
		else if (level > 0)
			leaves_of(s, PTE_PPN(pte) << 12, level - 1, va, fn, arg);
	}
}

void
sv39_leaves(const struct shadow *s, uint64_t root,
            void (*fn)(uint64_t va, unsigned level, uint64_t pte, void *arg), void *arg)
{
	leaves_of(s, root, SV39_LEVELS - 1, 0, fn, arg);
}
