/*
 * tlbann: decoding the kernel's announcements (see tlbann.h and the
 * protocol in kernel/announce.h).
 */
#include "tlbann.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PAGE_SHIFT 12
#define HELLO_VERSION_MASK 0xffu
#define HELLO_ASID_SHIFT 8
#define SV39_ASID_BITS 16u

static char message[200];

static const char *fail(struct ann_kernel *k, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Count one protocol error in k and return its message. */
static const char *
fail(struct ann_kernel *k, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	k->errors++;
	return message;
}

static const char *
on_hello(struct ann_kernel *k, uint64_t value)
{
	unsigned version = value & HELLO_VERSION_MASK;
	unsigned bits = (unsigned)(value >> HELLO_ASID_SHIFT);

	if (k->hello)
		return fail(k, "a second ANN_HELLO");
	k->hello = true;
	k->version = version;
	k->asid_bits = bits > SV39_ASID_BITS ? SV39_ASID_BITS : bits;
	if (version != ANN_VERSION)
		return fail(k, "the kernel speaks announcement version %u, the plugin version %u",
		            version, (unsigned)ANN_VERSION);
	if (bits > SV39_ASID_BITS)
		return fail(k, "ANN_HELLO says %u ASID bits; Sv39 has at most %u", bits,
		            SV39_ASID_BITS);
	return NULL;
}

/* Insert r into k's sorted regions unless it overlaps one. */
static const char *
add_region(struct ann_kernel *k, const struct ann_region *r)
{
	unsigned i = 0;

	if (k->nregions == ANN_MAX_REGIONS)
		return fail(k, "more than %u ANN_REGIONs", ANN_MAX_REGIONS);
	while (i < k->nregions && k->region[i].start < r->start)
		i++;
	if ((i > 0 && k->region[i - 1].end > r->start) ||
	    (i < k->nregions && k->region[i].start < r->end))
		return fail(k, "ANN_REGION at 0x%llx overlaps an earlier region",
		            (unsigned long long)r->start);
	memmove(&k->region[i + 1], &k->region[i], (k->nregions - i) * sizeof(*r));
	k->region[i] = *r;
	k->nregions++;
	return NULL;
}

static const char *
on_region(struct ann_kernel *k, uint64_t arg, uint64_t value)
{
	struct ann_region r;
	uint64_t n = value & ANN_REGION_NMASK;
	unsigned shift;

	r.size = (value & ANN_REGION_MEGA) ? TLB_2M : TLB_4K;
	r.global = (value & ANN_REGION_GLOBAL) != 0;
	shift = tlb_page_shift(r.size);
	r.start = arg << PAGE_SHIFT;
	r.end = r.start + (n << shift);
	if (n == 0)
		return fail(k, "ANN_REGION of no pages at 0x%llx", (unsigned long long)r.start);
	if ((r.start & ((1ULL << shift) - 1)) != 0)
		return fail(k, "ANN_REGION of 2 MiB pages at 0x%llx, not 2 MiB aligned",
		            (unsigned long long)r.start);
	if (add_region(k, &r) != NULL)
		return message;
	if (r.size == TLB_2M)
		k->leaves_2m += n;
	else
		k->leaves_4k += n;
	if (r.global)
		k->global_pages += n;
	return NULL;
}

/* Check an ASID the kernel announced against the bits it said it has. */
static const char *
check_asid(struct ann_kernel *k, const char *what, uint64_t asid)
{
	if (asid >> k->asid_bits != 0)
		return fail(k, "%s ASID %llu, beyond the %u ASID bits of the hello", what,
		            (unsigned long long)asid, k->asid_bits);
	return NULL;
}

static const char *
on_satp(struct ann_kernel *k, struct ann_hart *h, uint64_t value)
{
	if (h->satp_pending)
		return fail(k, "ANN_SATP twice with no satp write between");
	h->satp_pending = true;
	h->satp_asid = (uint32_t)value;
	return check_asid(k, "ANN_SATP", value);
}

static const char *
on_fence(struct ann_kernel *k, struct ann_hart *h, uint64_t arg, uint64_t value)
{
	if (h->fence_pending)
		return fail(k, "ANN_FENCE twice with no sfence.vma between");
	h->fence_pending = true;
	h->fence_asid = (uint32_t)value;
	h->fence_va = arg << PAGE_SHIFT;
	return check_asid(k, "ANN_FENCE", value);
}

/* Dispatch one announcement (not ANN_ARG) of kind with the hart's arg. */
static const char *
on_kind(struct ann_kernel *k, struct ann_hart *h, unsigned kind, uint64_t arg, uint64_t value,
        struct ann_action *act)
{
	switch (kind) {
	case ANN_HELLO:
		return on_hello(k, value);
	case ANN_REGION:
		return on_region(k, arg, value);
	case ANN_SATP:
		return on_satp(k, h, value);
	case ANN_FENCE:
		return on_fence(k, h, arg, value);
	case ANN_PTE:
		k->ptes++;
		act->pte = true;
		act->va = arg << PAGE_SHIFT;
		act->asid = (uint32_t)value;
		return check_asid(k, "ANN_PTE", value);
	default:
		return fail(k, "announcement of unknown kind %u", kind);
	}
}

const char *
ann_decode(struct ann_kernel *k, struct ann_hart *h, uint64_t off, struct ann_action *act)
{
	unsigned kind = (unsigned)(off >> ANN_KIND_SHIFT);
	uint64_t value = off & ANN_VALUE_MASK, arg = h->arg;

	act->pte = false;
	k->announcements++;
	h->announced = true;
	if (kind != ANN_HELLO && !k->hello)
		return fail(k, "announcement of kind %u before ANN_HELLO", kind);
	if (kind == ANN_ARG) {
		h->arg = arg << ANN_KIND_SHIFT | value;
		return NULL;
	}
	h->arg = 0;
	return on_kind(k, h, kind, arg, value, act);
}

const char *
ann_satp(struct ann_kernel *k, struct ann_hart *h, uint32_t *asid)
{
	if (h->satp_pending) {
		h->satp_pending = false;
		k->satp_announced++;
		*asid = h->satp_asid;
		return NULL;
	}
	*asid = 0;
	/* Until a hart makes its first announcement its satp writes are
	 * boot code's, made with paging off (the window is not there yet,
	 * so nothing could be announced): ASID 0. */
	if (k->hello && k->asid_bits != 0 && h->announced)
		return fail(k, "satp write without ANN_SATP (the kernel announced %u ASID bits)",
		            k->asid_bits);
	return NULL;
}

const char *
ann_fence(struct ann_kernel *k, struct ann_hart *h, enum tlb_fence *kind, uint64_t *va,
          uint32_t *asid)
{
	bool pending = h->fence_pending;

	h->fence_pending = false;
	*va = h->fence_va;
	*asid = h->fence_asid;
	if (*kind == TLB_FENCE_ALL) {
		if (pending)
			return fail(k, "ANN_FENCE followed by sfence.vma zero, zero");
		return NULL;
	}
	if (pending) {
		k->fences_announced++;
		return NULL;
	}
	*kind = TLB_FENCE_ALL;
	if (k->hello)
		return fail(k, "sfence.vma with a register operand and no ANN_FENCE");
	return NULL;
}

const struct ann_region *
ann_region_of(const struct ann_kernel *k, uint64_t va)
{
	unsigned lo = 0, hi = k->nregions;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (va < k->region[mid].start)
			hi = mid;
		else if (va >= k->region[mid].end)
			lo = mid + 1;
		else
			return &k->region[mid];
	}
	return NULL;
}
