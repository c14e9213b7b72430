#ifndef PTBENCH_ANNOUNCE_H
#define PTBENCH_ANNOUNCE_H

/*
 * Announcements to the TLB model (tools/tlbsim). QEMU 7.2's plugin API
 * shows the plugin instruction words and the addresses of loads and
 * stores, but no register, CSR value or PTE. What the model must know of
 * those (the ASID a satp write loads, the operands of a fence, a PTE the
 * kernel changed, how the kernel map is laid out), the kernel tells it by
 * one byte load from the announcement window, whose address encodes the
 * fact:
 *
 *   address = ANNOUNCE_VA + (kind << ANN_KIND_SHIFT) + value
 *
 *   bit  20     18 17                                  0
 *       +---------+-------------------------------------+
 *       |  kind   |              value                  |
 *       +---------+-------------------------------------+
 *
 * The window is ANNOUNCE_SIZE bytes of kernel virtual memory, every page
 * of it mapped read-only, without PTE_U, to one and the same physical
 * page, in every table the kernel runs on: an announcement never faults
 * and costs the instructions that form the address plus the load. The
 * plugin keeps announcement loads out of its TLB model (a real kernel
 * would not make them) but counts their instructions like any others.
 *
 * This header is plain C macros so that the plugin includes it too: one
 * definition of the protocol for both sides.
 *
 * Kinds (per hart: an announcement is about the next event on the hart
 * that made it):
 *
 *   ANN_ARG     arg = (arg << 18) | value: builds a wider argument for
 *               the next announcement (a page number takes two).
 *   ANN_SATP    the next satp write on this hart loads ASID value.
 *               Made only when the kernel uses ASIDs; without, every
 *               satp write is ASID 0.
 *   ANN_FENCE   the next sfence.vma on this hart: its rs2 operand holds
 *               ASID value, its rs1 operand the address of VA page arg.
 *               Made before every fence that has a non-zero operand.
 *   ANN_PTE     the leaf for VA page arg in address space ASID value was
 *               changed or removed (unmap, remap, permission change); a
 *               model entry for it is stale until a fence covers it.
 *               Made only when the kernel uses ASIDs.
 *   ANN_REGION  boot: the shared kernel map holds n = value &
 *               ANN_REGION_NMASK pages from VA page arg on, all alike:
 *               with ANN_REGION_MEGA they are 2 MiB pages (arg is 2 MiB
 *               aligned), else 4 KiB pages; with ANN_REGION_GLOBAL their
 *               leaves are PTE_G. VA the regions do not cover (user
 *               memory, a per-process kernel stack, umap's mirror) is
 *               4 KiB and not global.
 *   ANN_HELLO   boot: value = ANN_VERSION | asid bits << 8 (after the
 *               probe and any boot-argument limit); precedes the rest.
 */

#define ANNOUNCE_ROOT_SLOT 253UL
#define ANNOUNCE_VA (ANNOUNCE_ROOT_SLOT << 30) /* 0x3f40000000 */
#define ANNOUNCE_SIZE (1UL << 21)
#define ANN_KIND_SHIFT 18
#define ANN_VALUE_MASK ((1UL << ANN_KIND_SHIFT) - 1)
#define ANN_ADDR(kind, value) (ANNOUNCE_VA + ((unsigned long)(kind) << ANN_KIND_SHIFT) + (value))

#define ANN_ARG 0
#define ANN_SATP 1
#define ANN_FENCE 2
#define ANN_PTE 3
#define ANN_REGION 4
#define ANN_HELLO 7

#define ANN_VERSION 1
#define ANN_REGION_GLOBAL (1UL << 17)
#define ANN_REGION_MEGA (1UL << 16)
#define ANN_REGION_NMASK ((1UL << 16) - 1)

#endif
