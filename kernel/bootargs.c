/*
 * Boot arguments from the flattened device tree (devicetree spec v0.4,
 * chapter 5): the string property "bootargs" of the node /chosen, which
 * QEMU fills from -append; and whether the harts have Svinval (their
 * riscv,isa properties). All FDT fields are big-endian 32-bit words.
 */
#include "kernel/bootargs.h"
#include "kernel/klib.h"
#include "kernel/param.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

/* Header word offsets */
#define FDT_OFF_STRUCT 2
#define FDT_OFF_STRINGS 3

static char args[BOOTARGS_MAX];
int bootargs_has_svinval;

/* Whether the n bytes at v hold the string w (NULs included in v: a
 * string list, as riscv,isa-extensions is). */
static int
holds(const char *v, uint32 n, const char *w)
{
	uint32 m = strlen(w);
	for (uint32 i = 0; i + m <= n; i++)
		if (strncmp(v + i, w, m) == 0)
			return 1;
	return 0;
}

static uint32
be32(const void *p)
{
	const uint8 *b = p;
	return ((uint32)b[0] << 24) | ((uint32)b[1] << 16) | ((uint32)b[2] << 8) | b[3];
}

static uint64
align4(uint64 x)
{
	return (x + 3) & ~3UL;
}

void
bootargs_init(uint64 dtb)
{
	if (dtb == 0 || be32((void *)dtb) != FDT_MAGIC)
		return;
	const uint32 *hdr = (const uint32 *)dtb;
	uint64 p = dtb + be32(&hdr[FDT_OFF_STRUCT]);
	const char *strings = (const char *)(dtb + be32(&hdr[FDT_OFF_STRINGS]));
	int depth = 0, in_chosen = 0;

	for (;;) {
		uint32 tok = be32((void *)p);
		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			depth++;
			in_chosen = depth == 2 && strncmp(name, "chosen", 7) == 0;
			p = align4(p + strlen(name) + 1);
		} else if (tok == FDT_END_NODE) {
			depth--;
			in_chosen = 0;
		} else if (tok == FDT_PROP) {
			uint32 len = be32((void *)p);
			const char *name = strings + be32((void *)(p + 4));
			const char *val = (const char *)(p + 8);
			if (in_chosen && strncmp(name, "bootargs", 9) == 0)
				safestrcpy(args, val, len < sizeof(args) ? len : sizeof(args));
			/* The harts' extensions (QEMU lists them in each cpu
			 * node's riscv,isa string and riscv,isa-extensions). */
			if (strncmp(name, "riscv,isa", 9) == 0 && holds(val, len, "svinval"))
				bootargs_has_svinval = 1;
			p = align4(p + 8 + len);
		} else if (tok != FDT_NOP) {
			return; /* FDT_END or a malformed tree */
		}
	}
}

/* Whether arguments at s start with key followed by '='. */
static int
key_matches(const char *s, const char *key)
{
	uint64 n = strlen(key);
	return strncmp(s, key, n) == 0 && s[n] == '=';
}

const char *
bootarg(const char *key, char *buf, int n)
{
	const char *s = args;
	while (*s) {
		while (*s == ' ')
			s++;
		if (key_matches(s, key)) {
			s += strlen(key) + 1;
			int rest = strncmp(key, "cmd", 4) == 0;
			int i = 0;
			while (s[i] && (rest || s[i] != ' ') && i < n - 1) {
				buf[i] = s[i];
				i++;
			}
			buf[i] = 0;
			return buf;
		}
		if (key_matches(s, "cmd"))
			return 0; /* cmd= runs to the end: nothing follows it */
		while (*s && *s != ' ')
			s++;
	}
	return 0;
}
