#ifndef TLBSIM_MARKER_H
#define TLBSIM_MARKER_H

/*
 * Region markers, shared by the plugins (tlbsim.c, profile.c): a program
 * marks a region with addi x0, x0, ID (opcode OP-IMM, rd = rs1 = 0,
 * funct3 = 0), emitted as a 4-byte instruction (user/bench/bench.h).
 * ID 1..MARKER_ID_MAX begins region ID; MARKER_END (imm -1) ends it; the
 * canonical nop (imm 0) is not a marker.
 */
#include <stdint.h>

#define MARKER_MASK 0x000fffffu
#define MARKER_BITS 0x00000013u
#define MARKER_ID_MAX 2047
#define MARKER_END 0xfff /* imm -1 */

/* The marker immediate of instruction word w, or 0 if w is no marker. */
static inline unsigned
marker_imm(uint32_t w)
{
	unsigned imm = w >> 20;

	if ((w & MARKER_MASK) != MARKER_BITS || imm == 0)
		return 0;
	return imm <= MARKER_ID_MAX || imm == MARKER_END ? imm : 0;
}

#endif
