#!/usr/bin/env bash
# tools/bench.sh: run the benchmarks of one or more designs (make bench).
#
#   tools/bench.sh [--quick] [--tlb PRESET] CONFIG...
#
# For each design: build it, boot it on one hart under -icount, run a
# correctness gate (usertests -q) and refuse to report figures from a
# kernel that fails it, then run `ptbench` and collect its samples.
# Designs run in parallel, up to the number of cores.
#
# Reads:  configs/<design>.mk through make; the kernels it builds.
# Writes: build/<design>/{gate,bench}.log; results/<design>.csv and
#         results/<design>.meta.json (replaced only after a complete, checked
#         run); with --tlb, results/tlb/<design>-<preset>.csv instead of the
#         plain results (the plugin's regions joined to the samples).
# Exit:   0 when every design produced results, 1 otherwise.
set -u

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=/usr/bin/python3
quick=0 tlb=''
configs=()
while (($# > 0)); do
	case $1 in
	--quick) quick=1 ;;
	--tlb) tlb=${2:?--tlb needs a preset}; shift ;;
	-*) echo "usage: tools/bench.sh [--quick] [--tlb PRESET] CONFIG..." >&2; exit 2 ;;
	*) configs+=("$1") ;;
	esac
	shift
done
((${#configs[@]} > 0)) || { echo "usage: tools/bench.sh [--quick] [--tlb PRESET] CONFIG..." >&2; exit 2; }

readonly QEMU_FLAGS="-machine virt -bios none -m 128M -smp 1 -icount shift=0,sleep=off"
t0=$(date +%s)

say() { printf '[%s %4ds] %s\n' "$1" $(($(date +%s) - t0)) "$2"; }

# gate CONFIG: usertests -q must pass before any figure is taken.
gate() {
	local c=$1 b=build/$1
	tools/run.sh --kernel "$b/kernel" --cpus 1 --timeout 300 --cmd "usertests -q" \
		--log "$b/gate.log" >/dev/null 2>"$b/gate.err"
	local st=$?
	if ((st != 0)) || ! tail -n 3 "$b/gate.log" | grep -qE '^[0-9]+ passed, 0 failed'; then
		say "$c" "correctness gate FAILED (status $st): see $b/gate.log; no figures reported"
		cat "$b/gate.err" >&2
		return 1
	fi
	say "$c" "correctness gate passed ($(grep -E '^[0-9]+ passed' "$b/gate.log" | tail -1))"
}

# meta CONFIG SECONDS OUT: the run's description, beside its CSV.
meta() {
	local commit dirty=''
	commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
	git diff --quiet HEAD -- kernel user configs 2>/dev/null || dirty='+dirty'
	"$PY" - "$1" "$2" "$3" "$commit$dirty" "$quick" "$QEMU_FLAGS" <<'PYEOF'
import json, subprocess, sys, datetime
config, secs, out, commit, quick, flags = sys.argv[1:]
def first_line(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return "unknown"
meta = {"config": config, "commit": commit,
        "compiler": first_line(["riscv64-unknown-elf-gcc", "--version"]),
        "qemu": first_line(["qemu-system-riscv64", "--version"]),
        "qemu_flags": flags, "quick": quick == "1", "bench_seconds": int(secs),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
with open(out + ".tmp", "w") as f:
    json.dump(meta, f, indent=2, sort_keys=True)
    f.write("\n")
PYEOF
}

# bench_one CONFIG: gate, run, collect. Progress lines as benchmarks start.
bench_one() {
	local c=$1 b=build/$1 start extra='' args='ptbench'
	start=$(date +%s)
	gate "$c" || return 1
	((quick)) && args='ptbench -q'
	if [[ -n $tlb ]]; then
		extra="-plugin build/tlbsim/tlbsim.so,preset=$tlb,out=$b/tlb-$tlb.csv"
		rm -f "$b/tlb-$tlb.csv"
	fi
	say "$c" "running benchmarks${tlb:+ under the TLB model ($tlb)}"
	tools/run.sh --kernel "$b/kernel" --cpus 1 --timeout 900 --cmd "$args" \
		--extra "$extra" --log "$b/bench.log" 2>"$b/bench.err" |
		while IFS= read -r line; do
			case $line in
			@progress*) say "$c" "${line#@progress }" ;;
			@error* | panic:*) say "$c" "$line" ;;
			esac
		done
	local st=${PIPESTATUS[0]}
	if ((st != 0)); then
		say "$c" "benchmark run FAILED (status $st): $(cat "$b/bench.err")"
		return 1
	fi
	mkdir -p results
	if [[ -n $tlb ]]; then
		mkdir -p results/tlb
		"$PY" tools/collect.py --config "$c" --log "$b/bench.log" --out "$b/bench.csv" \
			--tlb "$b/tlb-$tlb.csv" --tlb-preset "$tlb" \
			--tlb-out "results/tlb/$c-$tlb.csv" || return 1
	else
		meta "$c" $(($(date +%s) - start)) "results/$c.meta.json"
		"$PY" tools/collect.py --config "$c" --log "$b/bench.log" --out "results/$c.csv" ||
			{ rm -f "results/$c.meta.json.tmp"; return 1; }
		mv "results/$c.meta.json.tmp" "results/$c.meta.json"
	fi
	say "$c" "done"
}

for c in "${configs[@]}"; do
	make -s --no-print-directory CONFIG="$c" kernel || { say "$c" "build FAILED"; exit 1; }
done
if [[ -n $tlb ]]; then
	make -s --no-print-directory -C tools/tlbsim || { echo "tlbsim build failed" >&2; exit 1; }
fi

jobs_max=$(nproc 2>/dev/null || echo 2)
failed=0 pids=()
for c in "${configs[@]}"; do
	while (($(jobs -rp | wc -l) >= jobs_max)); do wait -n; done
	bench_one "$c" &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
say all "finished: ${#configs[@]} design(s), $failed failed"
((failed == 0))
