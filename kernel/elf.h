#ifndef PTBENCH_ELF_H
#define PTBENCH_ELF_H

#include "types.h"

/* ELF64 file and program headers (System V ABI, ELF-64 object format). */
#define ELF_MAGIC 0x464C457FU /* "\x7fELF" read as a little-endian word */

struct elf_header {
	uint32 magic;
	uint8 ident[12];
	uint16 type;
	uint16 machine;
	uint32 version;
	uint64 entry;
	uint64 phoff;
	uint64 shoff;
	uint32 flags;
	uint16 ehsize;
	uint16 phentsize;
	uint16 phnum;
	uint16 shentsize;
	uint16 shnum;
	uint16 shstrndx;
};

struct elf_phdr {
	uint32 type;
	uint32 flags;
	uint64 off;
	uint64 vaddr;
	uint64 paddr;
	uint64 filesz;
	uint64 memsz;
	uint64 align;
};

/* ident[] indices (after the 4 magic bytes) and the values we accept. */
#define ELF_I_CLASS 0
#define ELF_I_DATA 1
#define ELF_CLASS64 2
#define ELF_DATA_LSB 1
#define ELF_ET_EXEC 2    /* type: executable file */
#define ELF_EM_RISCV 243 /* machine */

#define ELF_PT_LOAD 1
#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

#endif
