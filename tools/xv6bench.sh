#!/usr/bin/env bash
# tools/xv6bench.sh: run the xv6bench workload on an outside xv6-riscv tree,
# or on ptbench's configs, and measure it from outside with tools/tlbsim
# (make xv6bench).
#
#   tools/xv6bench.sh [--quick] [--tlb PRESET|all] [--profile] [--results DIR]
#                     [--bench NAME,...] [--work DIR] [--prepared]
#                     --tree PATH [--name LABEL]
#   tools/xv6bench.sh [same options] CONFIG...
#
# A tree (a directory or a tarball) is copied and built with its own
# Makefile (tools/xv6tree.py), booted with its own QEMU options on one hart
# under -icount, and the workload typed at its shell (tools/xv6run.py). A
# ptbench config boots through tools/run.sh and runs the same program with
# -c (it can read instret there, and that is checked against the plugin).
# Every run loads tlbsim (instructions, satp writes, sfence.vma per region)
# and the profile plugin (wfi per region; with --profile, instructions per
# address). --tlb adds one run per preset, each witnessed against the plain
# run; --profile attributes every region's instructions to the kernel's
# functions. Runs go in parallel up to env PTBENCH_JOBS (default: the
# cores). --work puts the copies and logs in DIR/LABEL instead of
# build/xv6/LABEL; --prepared skips building ptbench's kernels, programs
# and plugins (make class builds them once, before its jobs).
#
# Reads:  the tree; ptbench's sources through make (the workload programs
#         user/bench/xv6bench.c and benchnop.c, the plugins); env QEMU
#         (default qemu-system-riscv64); env TIMEOUT, seconds per run
#         (default 900), and BOOT_TIMEOUT, seconds an outside kernel has to
#         show its shell's prompt (default 60).
# Writes: logs and the tree's copy under build/xv6/LABEL/ (or CONFIG/); in
#         DIR (default results) xv6/LABEL.csv and .meta.json, with --tlb
#         xv6/tlb/LABEL-PRESET.csv and .meta.json, with --profile
#         xv6/profile/LABEL.csv and .meta.json (tools/xv6collect.py: all or
#         nothing per kernel, after every check), then xv6/report.md
#         (plot/xv6_report.py).
# Exit:   0 when every kernel was measured; 1 when one failed (the message
#         says why: not a tree, build, boot, panic, unfinished workload, a
#         failed check); 2 on bad usage.
set -u

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
readonly PY=/usr/bin/python3
readonly PLUGINS=build/tlbsim
readonly QEMU_BIN=${QEMU:-qemu-system-riscv64}
readonly RUN_TIMEOUT=${TIMEOUT:-900}
readonly BOOT_TIMEOUT=${BOOT_TIMEOUT:-60}
readonly USAGE="usage: tools/xv6bench.sh [--quick] [--tlb PRESET|all] [--profile] [--results DIR] [--bench NAME,...] [--work DIR] [--prepared] (--tree PATH [--name LABEL] | CONFIG...)"
readonly JOBS=${PTBENCH_JOBS:-$(nproc)}
quick=0 tlb='' profile=0 results=results benches='' tree='' label='' work=build/xv6 prepared=0
configs=() presets=()
while (($# > 0)); do
	case $1 in
	--quick) quick=1 ;;
	--profile) profile=1 ;;
	--tlb) tlb=${2:?--tlb needs a preset or all}; shift ;;
	--results) results=${2:?--results needs a directory}; shift ;;
	--bench) benches=${2:?--bench needs names}; shift ;;
	--tree) tree=${2:?--tree needs a path}; shift ;;
	--name) label=${2:?--name needs a label}; shift ;;
	--work) work=${2:?--work needs a directory}; shift ;;
	--prepared) prepared=1 ;;
	-*) echo "$USAGE" >&2; exit 2 ;;
	*) configs+=("$1") ;;
	esac
	shift
done
if [[ -n $tree && ${#configs[@]} -gt 0 || -z $tree && ${#configs[@]} -eq 0 ]]; then
	echo "$USAGE" >&2
	exit 2
fi
[[ -z $label || -n $tree ]] || { echo "xv6bench: --name goes with --tree" >&2; exit 2; }
t0=$(date +%s)

say() { printf '[%s %4ds] %s\n' "$1" $(($(date +%s) - t0)) "$2"; }

# all_configs: ptbench's configs, one per line (the Makefile's list).
all_configs() { make -s --no-print-directory configs; }

# check_label: a tree's label is a word that names no ptbench config.
check_label() {
	if [[ ! $label =~ ^[A-Za-z][A-Za-z0-9_]*$ ]]; then
		echo "xv6bench: NAME '$label' must be letters, digits and _ (starting with a letter)" >&2
		exit 2
	fi
	if all_configs | grep -qxF -- "$label"; then
		echo "xv6bench: NAME '$label' is one of ptbench's configs; choose another label" >&2
		exit 2
	fi
}

# pick_presets: presets from $tlb, as the plugin lists them; exit 2 if unknown.
pick_presets() {
	local known
	mapfile -t known < <("$QEMU_BIN" -machine none -display none -plugin "$PLUGINS/tlbsim.so,preset=none" 2>&1 >/dev/null |
		sed -n 's/.*presets are //p' | tr -d ' ' | tr ',' '\n')
	((${#known[@]} > 0)) || { echo "xv6bench: tlbsim did not list its presets" >&2; exit 1; }
	if [[ $tlb == all ]]; then
		presets=("${known[@]}")
	elif printf '%s\n' "${known[@]}" | grep -qxF -- "$tlb"; then
		presets=("$tlb")
	else
		echo "xv6bench: unknown TLB preset '$tlb'; presets are ${known[*]} (or all)" >&2
		exit 2
	fi
}

# workload_cmd COUNTERS: the command line typed or passed to sh.
workload_cmd() {
	local cmd=xv6bench
	((quick)) && cmd+=' -q'
	(($1)) && cmd+=' -c'
	[[ -z $benches ]] || cmd+=" ${benches//,/ }"
	printf '%s' "$cmd"
}

# plugins_for W PRESET PCS: the -plugin specs of one run, reports in W.
plugins_for() {
	local w=$1 p=$2 pcs=$3 tag=${2:-plain}
	printf '%s\n' "$PLUGINS/tlbsim.so${p:+,preset=$p},out=$w/tlbsim-$tag.csv" \
		"$PLUGINS/profile.so,pcs=$pcs,out=$w/profile-$tag.txt"
}

# run_tree W PRESET PCS: one boot of the tree built in W.
run_tree() {
	local w=$1 tag=${2:-plain} spec args=()
	while IFS= read -r spec; do args+=(--plugin "$spec"); done < <(plugins_for "$@")
	"$PY" tools/xv6run.py --tree-json "$w/tree.json" --run-dir "$w/run-$tag" \
		--cmd "$(workload_cmd 0)" --timeout "$RUN_TIMEOUT" --boot-timeout "$BOOT_TIMEOUT" --log "$w/console-$tag.log" "${args[@]}"
}

# run_config W CONFIG PRESET PCS: one boot of ptbench's CONFIG.
run_config() {
	local w=$1 c=$2 tag=${3:-plain} extra=''
	extra=$(plugins_for "$w" "$3" "$4" | sed 's/^/-plugin /' | tr '\n' ' ')
	tools/run.sh --kernel "build/$c/kernel" --cpus 1 --timeout "$RUN_TIMEOUT" \
		--cmd "$(workload_cmd 1)" --extra "$extra" --log "$w/console-$tag.log" >/dev/null ||
		{ say "$c" "run ${3:+under $3 }exited $?: see $w/console-$tag.log"; return 1; }
}

# write_meta W KIND: W/meta-in.json, what the results' meta records.
write_meta() {
	local commit dirty=''
	commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
	[[ -z $(git status --porcelain -- user tools 2>/dev/null) ]] || dirty="+dirty"
	"$PY" - "$1" "$2" "$commit$dirty" "$3" "$4" "$(($(date +%s) - t0))" <<'PYEOF'
import json, os, subprocess, sys
w, kind, commit, cmd, flags, secs = sys.argv[1:]
def first_line(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return "unknown"
m = {}
if os.path.exists(os.path.join(w, "tree.json")):
    with open(os.path.join(w, "tree.json")) as f:
        m["tree"] = json.load(f)
m.update({"kernel_kind": kind, "commit": commit, "workload_cmd": cmd, "qemu_flags": flags,
          "bench_seconds": int(secs),
          "compiler": first_line(["riscv64-unknown-elf-gcc", "--version"]),
          "qemu": first_line([os.environ.get("QEMU", "qemu-system-riscv64"), "--version"])})
with open(os.path.join(w, "meta-in.json"), "w") as f:
    json.dump(m, f, indent=2, sort_keys=True)
PYEOF
}

# collect W NAME [--counters --kernel ELF]: the results of W's runs.
collect() {
	local w=$1 name=$2 p args=()
	shift 2
	for p in "${presets[@]}"; do
		args+=(--tlb "$p=$w/console-$p.log,$w/tlbsim-$p.csv")
	done
	((${#presets[@]} == 0)) || args+=(--tlb-dir "$results/xv6/tlb")
	if ((profile)); then
		args+=(--kernel "$KERNEL_ELF" --profile-out "$results/xv6/profile/$name.csv")
	fi
	"$PY" tools/xv6collect.py --config "$name" --log "$w/console-plain.log" \
		--tlbsim "$w/tlbsim-plain.csv" --profile "$w/profile-plain.txt" \
		--out "$results/xv6/$name.csv" --meta-in "$w/meta-in.json" "$@" "${args[@]}"
}

# runs JOBS RUNNER ARGS...: the plain run and one per preset, up to JOBS
# at a time.
runs() {
	local jobs=$1 p st=0 pids=()
	shift
	"$@" '' "$profile" &
	pids+=($!)
	for p in "${presets[@]}"; do
		while (($(jobs -rp | wc -l) >= jobs)); do wait -n; done
		"$@" "$p" 0 &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p" || st=1; done
	return $st
}

# measure_tree: the whole of --tree.
measure_tree() {
	local w=$work/$label
	say "$label" "copying and building $tree"
	"$PY" tools/xv6tree.py --tree "$tree" --work "$w" --programs "build/user/root" ||
		{ say "$label" "FAILED: nothing written"; return 1; }
	say "$label" "booting under QEMU, running '$(workload_cmd 0)'${presets[*]:+ (and under ${presets[*]})}"
	runs "$JOBS" run_tree "$w" || { say "$label" "FAILED: nothing written"; return 1; }
	write_meta "$w" "outside xv6 tree" "$(workload_cmd 0)" \
		"$(tree_qemu_flags "$w") -icount shift=0,sleep=off"
	KERNEL_ELF=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["kernel"])' "$w/tree.json")
	collect "$w" "$label" || { say "$label" "FAILED: nothing written"; return 1; }
	say "$label" "done"
}

# tree_qemu_flags W: the tree's QEMU options, as one line.
tree_qemu_flags() {
	"$PY" -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["qemu_args"]))' "$1/tree.json"
}

# measure_config CONFIG: ptbench's CONFIG under the same workload (its
# runs one after another: configs run in parallel).
measure_config() {
	local c=$1 w=$work/$1
	rm -rf "$w" && mkdir -p "$w"
	runs 1 run_config "$w" "$c" || { say "$c" "FAILED: nothing written"; return 1; }
	write_meta "$w" "ptbench config" "$(workload_cmd 1)" \
		"-machine virt -bios none -m 128M -smp 1 -icount shift=0,sleep=off"
	KERNEL_ELF=build/$c/kernel collect "$w" "$c" --counters || { say "$c" "FAILED: nothing written"; return 1; }
	say "$c" "done"
}

main() {
	local c failed=0
	if [[ -n $tree ]]; then
		[[ -n $label ]] || label=xv6_$(basename "$tree" | sed -E 's/\.(tar\.gz|tgz|tar\.xz|tar\.bz2|tar)$//; s/[^A-Za-z0-9_]/_/g')
		check_label
		"$PY" tools/xv6tree.py --tree "$tree" --check || exit 1
	fi
	# The workload's programs are built by ptbench's Makefile, in any config.
	PROGRAMS_CONFIG=${configs[0]:-$(all_configs | head -1)}
	if ((!prepared)); then
		for c in "${configs[@]}" "$PROGRAMS_CONFIG"; do
			make -s --no-print-directory CONFIG="$c" kernel || { say "$c" "build FAILED"; exit 1; }
		done
		make -s --no-print-directory -C tools/tlbsim || { echo "xv6bench: plugin build failed" >&2; exit 1; }
	fi
	[[ -z $tlb ]] || pick_presets
	mkdir -p "$results/xv6"
	if [[ -n $tree ]]; then
		measure_tree || failed=1
	else
		local pids=() p
		for c in "${configs[@]}"; do
			while (($(jobs -rp | wc -l) >= JOBS)); do wait -n; done
			measure_config "$c" &
			pids+=($!)
		done
		for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
	fi
	"$PY" plot/xv6_report.py --results "$results" || failed=1
	say all "finished: $failed failed"
	((failed == 0))
}

main; exit
