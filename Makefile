# ptbench: every user-facing command (DESIGN.md section 7).
#   make [CONFIG=x]              build build/x/kernel (default global)
#   make qemu [CONFIG=x] [CPUS=n] boot to a shell
#   make run CMD='...' [TIMEOUT=s] boot, run CMD, power off with its status
#   make test [CONFIG=x]         usertests in every design, plus host tests
#   make fuzz [CONFIG=x] [SEED=n] [COUNT=n]  the syscall fuzzer, longer than in test
#   make bench [CONFIG=x|all] [QUICK=1] [TLB=preset|all]  (TLB: under tools/tlbsim)
#   make report | deps | clean

CONFIG ?= global
CPUS ?= 1
TIMEOUT ?= 600
BOOTARGS ?=
QEMUEXTRA ?=
# Every QEMU run under make (run, qemu, test, bench, fuzz) gets these:
# tools/run.sh reads them from the environment.
export PTBENCH_QEMUEXTRA := $(QEMUEXTRA)
export PTBENCH_BOOTARGS := $(BOOTARGS)
CMD ?=

CONFIGS := $(sort $(patsubst configs/%.mk,%,$(wildcard configs/*.mk)))
ifeq ($(filter $(CONFIG),$(CONFIGS) all),)
$(error unknown CONFIG '$(CONFIG)'; configs are: $(CONFIGS) (and 'all' for test and bench))
endif

PY := /usr/bin/python3
TOOLPREFIX := riscv64-unknown-elf-
CC := $(TOOLPREFIX)gcc
LD := $(TOOLPREFIX)ld
OBJDUMP := $(TOOLPREFIX)objdump

ARCHFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany
CFLAGS := $(ARCHFLAGS) -O2 -g -Wall -Werror -std=gnu11 -ffreestanding \
	-fno-common -fno-builtin -fno-stack-protector -fno-pie \
	-mno-relax -nostdlib -I.
ASFLAGS := $(ARCHFLAGS) -g -I. -mno-relax
LDFLAGS := -z max-page-size=4096 --no-relax --no-warn-rwx-segments

# Every run goes through tools/run.sh (timeout, panic report, exit status).
RUN := tools/run.sh

ifneq ($(CONFIG),all)
include configs/$(CONFIG).mk
B := build/$(CONFIG)

# --- kernel --------------------------------------------------------------
KCOMMON := $(wildcard kernel/*.c kernel/*.S)
KSRCS := $(KCOMMON) $(KPT_SRCS)
KOBJS := $(patsubst kernel/%,$(B)/obj/kernel/%.o,$(KSRCS))

$(B)/kernel: $(KOBJS) kernel/kernel.ld
	@echo "  LD      $@"
	@$(LD) $(LDFLAGS) -T kernel/kernel.ld -o $@ $(KOBJS)
	@$(OBJDUMP) -S $@ > $(B)/kernel.asm

$(B)/obj/kernel/%.c.o: kernel/%.c $(wildcard kernel/*.h kernel/kpt/*.h) $(MAKEFILE_LIST)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

# The file system image is linked into the kernel (fsimage.S .incbin's it).
$(B)/obj/kernel/fsimage.S.o: kernel/fsimage.S $(B)/fs.cpio
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(ASFLAGS) -DFSIMAGE='"$(B)/fs.cpio"' -c -o $@ $<

$(B)/obj/kernel/%.S.o: kernel/%.S $(wildcard kernel/*.h)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(ASFLAGS) -c -o $@ $<

# --- user programs ---------------------------------------------------------
# Any user/*.c or user/bench/*.c that defines main is a program.
MAINRE := '^(int[[:space:]]+)?main[[:space:]]*\('
UPROGS := $(basename $(notdir $(shell grep -lE $(MAINRE) user/*.c)))
BPROGS := $(basename $(notdir $(shell grep -lE $(MAINRE) user/bench/*.c 2>/dev/null)))
ULIBSRC := $(filter-out $(addprefix user/,$(addsuffix .c,$(UPROGS))),$(wildcard user/*.c)) user/usys.S
BLIBSRC := $(filter-out $(addprefix user/bench/,$(addsuffix .c,$(BPROGS))),$(wildcard user/bench/*.c))
ULIB := $(patsubst user/%,$(B)/obj/user/%.o,$(ULIBSRC))
BLIB := $(patsubst user/%,$(B)/obj/user/%.o,$(BLIBSRC))

$(B)/obj/user/%.c.o: user/%.c $(wildcard user/*.h user/bench/*.h kernel/*.h) $(MAKEFILE_LIST)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

$(B)/obj/user/%.S.o: user/%.S kernel/syscall.h
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(ASFLAGS) -c -o $@ $<

$(B)/root/%: $(B)/obj/user/%.c.o $(ULIB) user/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(LD) $(LDFLAGS) -s -T user/user.ld -o $@ $< $(ULIB)

$(B)/root/%: $(B)/obj/user/bench/%.c.o $(BLIB) $(ULIB) user/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(LD) $(LDFLAGS) -s -T user/user.ld -o $@ $< $(BLIB) $(ULIB)

ETCFILES := $(wildcard etc/*)
ROOTFILES := $(addprefix $(B)/root/,$(UPROGS) $(BPROGS)) $(patsubst etc/%,$(B)/root/etc/%,$(ETCFILES))

$(B)/root/etc/%: etc/%
	@mkdir -p $(dir $@)
	@cp $< $@

# newc archive made with GNU cpio, sorted so that builds are reproducible.
$(B)/fs.cpio: $(ROOTFILES)
	@echo "  CPIO    $@"
	@cd $(B)/root && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc --reproducible > ../fs.cpio

.SECONDARY:
endif

.DEFAULT_GOAL := kernel
.PHONY: kernel qemu run test bench report deps clean fuzz

ifeq ($(CONFIG),all)
kernel:
	@for c in $(CONFIGS); do $(MAKE) --no-print-directory CONFIG=$$c kernel || exit 1; done
qemu run:
	@echo "make $@ boots one design: CONFIG=all is for test and bench (designs: $(CONFIGS))" >&2; exit 2
else
kernel: deps-quiet
	@$(MAKE) --no-print-directory $(B)/kernel
endif

QEMUARGS = --kernel $(B)/kernel --cpus $(CPUS) --timeout $(TIMEOUT)

ifneq ($(CONFIG),all)
qemu: kernel
	$(RUN) --interactive $(QEMUARGS)

run: kernel
	@$(RUN) $(QEMUARGS) --cmd "$$PTBENCH_CMD"
run: export PTBENCH_CMD = $(CMD)
endif

TEST_CONFIGS := $(if $(filter command line,$(origin CONFIG)),$(filter-out all,$(CONFIG)),)
TEST_CONFIGS := $(if $(TEST_CONFIGS),$(TEST_CONFIGS),$(CONFIGS))

test: deps-quiet
	@tools/test.sh $(TEST_CONFIGS)

# make fuzz: user/fuzz.c with seed SEED for COUNT calls in every design
# (or CONFIG's), CPUS harts; only its "fuzz: " lines are shown, the whole
# console is in build/<config>/fuzz.log. Fails if any design fails.
SEED ?= 1
COUNT ?= 20000

fuzz: deps-quiet
	@status=0; for c in $(TEST_CONFIGS); do \
		$(MAKE) -s --no-print-directory CONFIG=$$c kernel || exit 1; \
		echo "== $$c: fuzz -s $(SEED) -n $(COUNT), $(CPUS) hart(s)"; \
		$(RUN) --kernel build/$$c/kernel --cpus $(CPUS) --timeout $(TIMEOUT) \
			--cmd 'fuzz -s $(SEED) -n $(COUNT)' --log build/$$c/fuzz.log >/dev/null || status=1; \
		grep -E '^(fuzz|panic): ' build/$$c/fuzz.log || echo "no fuzz result: see build/$$c/fuzz.log"; \
	done; exit $$status

# make bench: every design unless CONFIG names one (or all).
BENCH_CONFIGS := $(if $(filter command line,$(origin CONFIG)),$(if $(filter all,$(CONFIG)),$(CONFIGS),$(CONFIG)),$(CONFIGS))
QUICK ?=
TLB ?=

bench: deps-quiet
	@tools/bench.sh $(if $(QUICK),--quick) $(if $(TLB),--tlb $(TLB)) $(BENCH_CONFIGS)
	@$(MAKE) --no-print-directory report

report: deps-quiet
	@$(PY) plot/summarize.py --results results && \
		$(PY) plot/tlb_summary.py --results results && plot/plots.sh results

deps:
	tools/deps.sh

deps-quiet:
	@tools/deps.sh --quiet

clean:
	rm -rf build
