/* The shadow of guest memory and the Sv39 walker (tlbwalk.h). */
#include "tlbwalk.h"

#include <string.h>
#include <sys/mman.h>

#define PTE_PPN(pte) (((pte) >> 10) & ((1ULL << 44) - 1))
#define VPN(va, level) (((va) >> (12 + 9 * (level))) & 0x1ff)

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
	s->base = base;
	s->size = size;
	s->bytes = lazy_zeroes(size);
	s->pcs = lazy_zeroes(size / 2);
	if (s->bytes != NULL && s->pcs != NULL)
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
	memset(s, 0, sizeof(*s));
}

void
shadow_store(struct shadow *s, uint64_t pa, unsigned len, uint64_t value, uint64_t pc)
{
	if (pa < s->base || pa - s->base >= s->size || s->size - (pa - s->base) < len)
		return;
	uint64_t off = pa - s->base;
	for (unsigned i = 0; i < len && i < 8; i++)
		s->bytes[off + i] = (uint8_t)(value >> (8 * i));
	s->pcs[off / 8] = (uint32_t)pc;
	if ((off + len - 1) / 8 != off / 8)
		s->pcs[(off + len - 1) / 8] = (uint32_t)pc;
}

uint64_t
shadow_read64(const struct shadow *s, uint64_t pa)
{
	uint64_t v = 0;

	if (pa < s->base || pa - s->base >= s->size || (pa & 7) != 0)
		return 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | s->bytes[pa - s->base + i];
	return v;
}

uint32_t
shadow_store_pc(const struct shadow *s, uint64_t pa)
{
	if (pa < s->base || pa - s->base >= s->size)
		return 0;
	return s->pcs[(pa - s->base) / 8];
}

bool
sv39_walk(const struct shadow *s, uint64_t root, uint64_t va, struct sv39_walk *w)
{
	uint64_t table = root;

	memset(w, 0, sizeof(*w));
	for (int level = SV39_LEVELS - 1; level >= 0; level--) {
		uint64_t pa = table + 8 * VPN(va, level);
		uint64_t pte = shadow_read64(s, pa);

		w->levels++;
		w->pte_pa = pa;
		if (!(pte & SV39_PTE_V) || ((pte & SV39_PTE_W) && !(pte & SV39_PTE_R)))
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
