#!/usr/bin/env bash
# tools/bench.sh: run the benchmarks of one or more configs (make bench).
#
#   tools/bench.sh [--quick] [--tlb PRESET|all] [--bench LIST] [--cpus LIST] [--results DIR] CONFIG...
#
# For each config: build it, boot it on one hart under -icount, run a
# correctness gate (usertests -q) and refuse to report figures from a
# kernel that fails it, then run `ptbench` and collect its samples. With
# --tlb, ptbench runs under the TLB-model plugin (tools/tlbsim) once per
# preset: a preset name, or `all` for every preset the plugin knows.
# --bench LIST runs only the benchmarks named in LIST (comma-separated;
# each NAME or NAME:P1:P2... for chosen sweep points), as ptbench takes
# them; a name or point ptbench refuses stops the run before any gate.
# Gates, then runs (one per config, or per config and preset), go in
# parallel, up to the number of cores.
#
# --cpus LIST (hart counts of 2 or more, comma-separated) adds, per config
# and count, a run on that many harts of the multi-hart benchmarks (ptbench's
# shoot_* and thr_* families, which run only on 2 or more harts; every other
# benchmark runs on 1 hart as always): DIR/smp/<config>-<harts>.csv and
# .meta.json. A --bench LIST may name those families only with --cpus;
# when it names nothing else, the 1-hart runs are left out. With --tlb, the
# multi-hart runs are made under each preset too (the plugin models each
# hart's TLB; a region's counts are every hart's):
# DIR/smp/tlb/<config>-<harts>-<preset>.csv and .meta.json; into the
# reference only those (its plain multi-hart runs come from a run without
# --tlb).
#
# One run, one result set. The committed reference results live in
# results/ itself. DIR defaults to results/latest (git-ignored), a symbolic
# link that each run points at a fresh directory of its own,
# results/runs/<UTC date and time>/ (earlier runs stay there, for make
# compare). Any other DIR is emptied of an earlier run's results first
# (CSVs, meta, tlb/, logs, summary, report, plots, tables; xv6/ is left to
# make xv6bench). DIR = results regenerates the reference, and then a quick
# run, or a --bench selection without --tlb, is refused: a partial or quick
# run can never pass for the reference. With --tlb, a run into any DIR but
# the reference also measures the plain benchmarks, so that its report
# holds only what it measured.
#
# Reads:  configs/<design>.mk through make (the configs and their traits);
#         the kernels it builds; env QEMU, the QEMU binary (default
#         qemu-system-riscv64).
# Writes: under LOGS (DIR/logs, or build/bench-logs for the reference),
#         LOGS/<config>/gate.log and bench.log, or with --tlb
#         bench-<preset>.log and the plugin's report bench-<preset>.tlb.csv
#         (multi-hart runs: bench-smp<harts>[-<preset>].log, the same way).
#         In DIR: <config>.csv and <config>.meta.json (the run: commit,
#         tools, flags, traits, quick, the benchmarks asked for); with --tlb,
#         tlb/<config>-<preset>.csv (the plugin's regions joined to the
#         samples, witnesses checked) and .meta.json instead of the plain
#         results. Results are replaced only after a complete, checked run.
# Exit:   0 when every run produced results, 1 otherwise, 2 on bad usage.
set -u

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
readonly PY=/usr/bin/python3
readonly PLUGIN=build/tlbsim/tlbsim.so
readonly QEMU_BIN=${QEMU:-qemu-system-riscv64}
readonly USAGE="usage: tools/bench.sh [--quick] [--tlb PRESET|all] [--bench LIST] [--cpus LIST] [--results DIR] CONFIG..."
readonly REFERENCE=results
readonly NCPU_MAX=$(sed -n 's/^#define NCPU \([0-9]*\).*/\1/p' kernel/param.h)
quick=0 tlb='' results=$REFERENCE/latest selection='' cpus_list=''
configs=() presets=() cpus=()
while (($# > 0)); do
	case $1 in
	--quick) quick=1 ;;
	--tlb) tlb=${2:?--tlb needs a preset or all}; shift ;;
	--bench) selection=${2:?--bench needs a list of benchmarks}; shift ;;
	--results) results=${2:?--results needs a directory}; shift ;;
	--cpus) cpus_list=${2:?--cpus needs hart counts}; shift ;;
	-*) echo "$USAGE" >&2; exit 2 ;;
	*) configs+=("$1") ;;
	esac
	shift
done
((${#configs[@]} > 0)) || { echo "$USAGE" >&2; exit 2; }
[[ $selection != *[[:space:]]* ]] ||
	{ echo "tools/bench.sh: --bench takes NAME[:P...] separated by commas, no spaces" >&2; exit 2; }
# The selection split: shoot_* families run on several harts, the rest on one.
plain_args='' smp_args=''
for b in ${selection//,/ }; do
	case $b in
	shoot_* | thr_*) smp_args+=" $b" ;;
	*) plain_args+=" $b" ;;
	esac
done
plain_args=${plain_args# } smp_args=${smp_args# }
IFS=, read -ra cpus <<<"$cpus_list"
for n in "${cpus[@]}"; do
	if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 2 || n > NCPU_MAX)); then
		echo "tools/bench.sh: --cpus takes hart counts from 2 to $NCPU_MAX (NCPU in kernel/param.h), not '$n'" >&2
		exit 2
	fi
done
if [[ -n $smp_args && ${#cpus[@]} -eq 0 ]]; then
	echo "tools/bench.sh: the multi-hart benchmarks ($smp_args) run on 2 or more harts:" \
		"give --cpus (make bench CPUS=2,4)" >&2
	exit 2
fi
# The 1-hart runs: unless the selection names only shootdown families.
run_plain=1
[[ -n $selection && -z $plain_args ]] && run_plain=0
ptbench_args=$plain_args

# is_reference DIR: whether DIR is the committed reference directory.
is_reference() {
	[[ $(realpath -m -- "$1") == $(realpath -m -- "$REFERENCE") ]]
}

# fresh_results: give this run a result set of its own (see above).
fresh_results() {
	local stamp
	if [[ ${results%/} == "$REFERENCE/latest" ]]; then
		stamp=$(date -u +%Y%m%d-%H%M%S)
		if [[ -d $REFERENCE/latest && ! -L $REFERENCE/latest ]]; then
			mkdir -p "$REFERENCE/runs" &&
				mv "$REFERENCE/latest" "$REFERENCE/runs/earlier-$stamp" || exit 1
		fi
		mkdir -p "$REFERENCE/runs/$stamp" || exit 1
		ln -sfn "runs/$stamp" "$REFERENCE/latest" || exit 1
		echo "tools/bench.sh: results in $REFERENCE/runs/$stamp ($REFERENCE/latest points there)"
	elif [[ -d $results ]]; then
		rm -rf -- "$results"/*.csv "$results"/*.meta.json "$results"/tlb "$results"/smp "$results"/logs \
			"$results"/plots "$results"/tables "$results"/report.md "$results"/report.pdf
	fi
}

if [[ -e $results && ! -d $results ]]; then
	echo "tools/bench.sh: RESULTS=$results is not a directory" >&2
	exit 2
fi
logs=$results/logs
if is_reference "$results"; then
	logs=build/bench-logs
	if ((quick)); then
		echo "tools/bench.sh: refusing a quick run into $REFERENCE/, the reference" \
			"results (a quick run must never pass for a full one); use RESULTS=dir" >&2
		exit 2
	fi
	if [[ -n $selection && -z $tlb ]]; then
		echo "tools/bench.sh: refusing a partial run (--bench $selection) into" \
			"$REFERENCE/, the reference results; use RESULTS=dir" >&2
		exit 2
	fi
fi

# What tools/run.sh runs, as the meta files record it (with make's QEMUEXTRA
# and BOOTARGS when given).
QEMU_FLAGS="-machine virt,aclint=on -cpu rv64,svinval=on -bios none -m 128M -smp 1 -icount shift=0,sleep=off"
[[ -z ${PTBENCH_QEMUEXTRA:-} ]] || QEMU_FLAGS+=" $PTBENCH_QEMUEXTRA"
[[ -z ${PTBENCH_BOOTARGS:-} ]] || QEMU_FLAGS+=" -append '$PTBENCH_BOOTARGS ...'"
readonly QEMU_FLAGS
t0=$(date +%s)

say() { printf '[%s %4ds] %s\n' "$1" $(($(date +%s) - t0)) "$2"; }

# plugin_presets: the presets the plugin knows, one per line. Asked for
# one it does not know, the plugin lists them ("presets are u54, ..."); not
# "preset=?", which QEMU 10 takes as a request for its own option help.
plugin_presets() {
	"$QEMU_BIN" -machine none -display none -plugin "$PLUGIN,preset=none" 2>&1 >/dev/null |
		sed -n 's/.*presets are //p' | tr -d ' ' | tr ',' '\n'
}

# pick_presets: set presets from $tlb (a name or all); exit 2 if unknown.
pick_presets() {
	local known
	mapfile -t known < <(plugin_presets)
	if ((${#known[@]} == 0)); then
		echo "tools/bench.sh: $PLUGIN did not list its presets" >&2
		exit 1
	fi
	if [[ $tlb == all ]]; then
		presets=("${known[@]}")
	elif printf '%s\n' "${known[@]}" | grep -qxF -- "$tlb"; then
		presets=("$tlb")
	else
		echo "tools/bench.sh: unknown TLB preset '$tlb'; presets are ${known[*]} (or all)" >&2
		exit 2
	fi
}

# gate CONFIG: usertests -q must pass before any figure is taken.
gate() {
	local c=$1 b=$logs/$1
	mkdir -p "$b"
	tools/run.sh --kernel "build/$c/kernel" --cpus 1 --timeout 300 --cmd "usertests -q" \
		--log "$b/gate.log" >/dev/null 2>"$b/gate.err"
	local st=$?
	((st != 130 && st != 143)) || return 1 # interrupted: said once, by the trap
	if ((st != 0)) || ! tail -n 3 "$b/gate.log" | grep -qE '^[0-9]+ passed, 0 failed'; then
		say "$c" "correctness gate FAILED (status $st): see $b/gate.log; no figures reported"
		cat "$b/gate.err" >&2
		return 1
	fi
	say "$c" "correctness gate passed ($(grep -E '^[0-9]+ passed' "$b/gate.log" | tail -1))"
}

# meta CONFIG SECONDS OUT LOG [TLBCSV]: the run's description, to OUT.tmp,
# with the kernel map as ptbench's header in LOG states it; with TLBCSV,
# the plugin's settings and model line from its report too.
meta() {
	local commit dirty=''
	commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
	[[ -z $(git status --porcelain -- kernel user configs 2>/dev/null) ]] || dirty="+dirty"
	"$PY" - "$1" "$2" "$3" "$commit$dirty" "$quick" "${META_FLAGS:-$QEMU_FLAGS}" "$selection" "$4" "${5:-}" <<'PYEOF'
import json, subprocess, sys, datetime
config, secs, out, commit, quick, flags, selection, log, tlbcsv = sys.argv[1:]
def first_line(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return "unknown"
meta = {"config": config, "commit": commit,
        "compiler": first_line(["riscv64-unknown-elf-gcc", "--version"]),
        "qemu": first_line(["qemu-system-riscv64", "--version"]),
        "qemu_flags": flags, "quick": quick == "1", "bench_seconds": int(secs),
        "benchmarks": selection.split(",") if selection else "all",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
traits = subprocess.run(["make", "-s", "--no-print-directory", "CONFIG=" + config, "traits"],
                        capture_output=True, text=True)
if traits.returncode != 0:
    sys.exit("tools/bench.sh: make traits failed for %s: %s" % (config, traits.stderr))
meta["traits"] = dict(l.split("=", 1) for l in traits.stdout.splitlines() if "=" in l)
KERNEL_MAP = ("kmap_pages", "kmap_leaves_4k", "kmap_leaves_2m", "asid_bits", "harts")
with open(log, errors="replace") as f:
    header = next((l.split() for l in f if l.startswith("@ptbench ")), [])
fields = dict(kv.split("=", 1) for kv in header[1:] if "=" in kv)
meta["kernel_map"] = {k: int(fields[k]) for k in KERNEL_MAP if k in fields}
if tlbcsv:
    with open(tlbcsv) as f:
        comments = [l[len("# tlbsim "):].strip() for l in f if l.startswith("# tlbsim ")]
    meta["tlbsim"] = dict(kv.split("=", 1) for kv in comments[0].split())
    meta["tlbsim_model"] = comments[1].removeprefix("model: ")
with open(out + ".tmp", "w") as f:
    json.dump(meta, f, indent=2, sort_keys=True)
    f.write("\n")
PYEOF
}

# run_ptbench CONFIG PRESET LOG [HARTS [ARGS]]: boot on HARTS harts (1)
# and run ptbench with ARGS (the 1-hart selection), under the plugin with
# PRESET unless it is empty; progress lines as benchmarks start.
run_ptbench() {
	local c=$1 p=$2 log=$3 n=${4:-1} args='ptbench' extra='' label=$1${2:+/$2}
	local sel=${5-$ptbench_args}
	((n > 1)) && label+="@$n"
	((quick)) && args='ptbench -q'
	args+=${sel:+ $sel}
	if [[ -n $p ]]; then
		extra="-plugin $PLUGIN,preset=$p,out=${log%.log}.tlb.csv"
		rm -f "${log%.log}.tlb.csv"
	fi
	say "$label" "running benchmarks${p:+ under the TLB model ($p)}"
	tools/run.sh --kernel "build/$c/kernel" --cpus "$n" --timeout 900 --cmd "$args" \
		--extra "$extra" --log "$log" 2>"${log%.log}.err" |
		while IFS= read -r line; do
			case $line in
			@progress*) say "$label" "${line#@progress }" ;;
			@error* | panic:*) say "$label" "$line" ;;
			esac
		done
	local st=${PIPESTATUS[0]}
	((st != 130 && st != 143)) || return 1 # interrupted: said once, by the trap
	if ((st != 0)); then
		say "$label" "benchmark run FAILED (status $st): $(cat "${log%.log}.err")"
		return 1
	fi
}

# bench_plain CONFIG: DIR/<config>.csv and .meta.json.
bench_plain() {
	local c=$1 b=$logs/$1 start out=$results/$1
	start=$(date +%s)
	run_ptbench "$c" '' "$b/bench.log" || return 1
	meta "$c" $(($(date +%s) - start)) "$out.meta.json" "$b/bench.log" || return 1
	"$PY" tools/collect.py --config "$c" --log "$b/bench.log" --out "$out.csv" ||
		{ rm -f "$out.meta.json.tmp"; return 1; }
	mv "$out.meta.json.tmp" "$out.meta.json"
	say "$c" "done"
}

# bench_smp CONFIG HARTS: the shootdown families on HARTS harts,
# DIR/smp/<config>-<harts>.csv and .meta.json.
bench_smp() {
	local c=$1 n=$2 b=$logs/$1 start out=$results/smp/$1-$2
	start=$(date +%s)
	run_ptbench "$c" '' "$b/bench-smp$n.log" "$n" "$smp_args" || return 1
	META_FLAGS=${QEMU_FLAGS/-smp 1/-smp $n} \
		meta "$c" $(($(date +%s) - start)) "$out.meta.json" "$b/bench-smp$n.log" || return 1
	"$PY" tools/collect.py --config "$c" --log "$b/bench-smp$n.log" --out "$out.csv" ||
		{ rm -f "$out.meta.json.tmp"; return 1; }
	mv "$out.meta.json.tmp" "$out.meta.json"
	say "$c@$n" "done"
}

# bench_smp_tlb CONFIG HARTS PRESET: the same under the plugin with PRESET,
# DIR/smp/tlb/<config>-<harts>-<preset>.csv and .meta.json.
bench_smp_tlb() {
	local c=$1 n=$2 p=$3 b=$logs/$1 start out=$results/smp/tlb/$1-$2-$3
	local log=$logs/$1/bench-smp$2-$3.log
	start=$(date +%s)
	run_ptbench "$c" "$p" "$log" "$n" "$smp_args" || return 1
	META_FLAGS=${QEMU_FLAGS/-smp 1/-smp $n} \
		meta "$c" $(($(date +%s) - start)) "$out.meta.json" "$log" "${log%.log}.tlb.csv" || return 1
	"$PY" tools/collect.py --config "$c" --log "$log" --out "${log%.log}.csv" \
		--tlb "${log%.log}.tlb.csv" --tlb-preset "$p" --tlb-out "$out.csv" ||
		{ rm -f "$out.meta.json.tmp"; return 1; }
	mv "$out.meta.json.tmp" "$out.meta.json"
	say "$c@$n/$p" "done"
}

# bench_tlb CONFIG PRESET: DIR/tlb/<config>-<preset>.csv and .meta.json.
bench_tlb() {
	local c=$1 p=$2 b=$logs/$1 start out=$results/tlb/$1-$2
	start=$(date +%s)
	run_ptbench "$c" "$p" "$b/bench-$p.log" || return 1
	meta "$c" $(($(date +%s) - start)) "$out.meta.json" "$b/bench-$p.log" "$b/bench-$p.tlb.csv" || return 1
	"$PY" tools/collect.py --config "$c" --log "$b/bench-$p.log" --out "$b/bench-$p.csv" \
		--tlb "$b/bench-$p.tlb.csv" --tlb-preset "$p" --tlb-out "$out.csv" ||
		{ rm -f "$out.meta.json.tmp"; return 1; }
	mv "$out.meta.json.tmp" "$out.meta.json"
	say "$c/$p" "done"
}

# check_selection CONFIG [HARTS ARGS]: ptbench -n checks the --bench list
# (ARGS on HARTS harts; the 1-hart selection by default) and prints its
# plan without measuring; a refused name or point stops here, before any gate.
check_selection() {
	local c=$1 n=${2:-1} sel=${3-$ptbench_args} out st
	[[ -n $sel ]] || return 0
	mkdir -p "$logs/$c"
	out=$(tools/run.sh --kernel "build/$c/kernel" --cpus "$n" --timeout 60 \
		--cmd "ptbench -n $sel" --log "$logs/$c/plan.log" 2>&1)
	st=$?
	if ((st != 0)); then
		echo "tools/bench.sh: --bench $selection refused:" >&2
		grep -E '^ptbench: ' <<<"$out" >&2 || tail -n 5 <<<"$out" >&2
		exit 2
	fi
	say "$c" "benchmarks chosen: $(sed -n 's/^@plan //p' "$logs/$c/plan.log" | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
}

# spawn CMD...: run CMD in the background once fewer than jobs_max run;
# its pid goes into pids.
spawn() {
	while (($(jobs -rp | wc -l) >= jobs_max)); do wait -n; done
	"$@" &
	pids+=($!)
}

# reap: wait for every spawned job; count the failed ones into failed.
reap() {
	local p
	for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
	pids=()
}

# interrupted: Ctrl-C (or TERM) stops every run and says so once; the jobs
# are waited for so that nothing prints after the prompt returns.
interrupted() {
	trap '' INT TERM
	local p
	for p in $(jobs -p); do kill -TERM -- "$p" 2>/dev/null; done
	wait 2>/dev/null
	echo "tools/bench.sh: interrupted: no results of this run were completed after it" >&2
	exit 130
}
trap interrupted INT TERM

for c in "${configs[@]}"; do
	make -s --no-print-directory CONFIG="$c" kernel || { say "$c" "build FAILED"; exit 1; }
done
if [[ -n $tlb ]]; then
	make -s --no-print-directory -C tools/tlbsim || { echo "tlbsim build failed" >&2; exit 1; }
	pick_presets
fi
is_reference "$results" || fresh_results
mkdir -p "$results" ${tlb:+"$results/tlb"}
((${#cpus[@]} == 0)) || mkdir -p "$results/smp" ${tlb:+"$results/smp/tlb"}
((run_plain)) && check_selection "${configs[0]}"
((${#cpus[@]} == 0)) || check_selection "${configs[0]}" "${cpus[0]}" "$smp_args"

jobs_max=$(nproc 2>/dev/null || echo 2)
failed=0 pids=() passed=() runs=0
for c in "${configs[@]}"; do spawn gate "$c"; done
for i in "${!configs[@]}"; do
	if wait "${pids[i]}"; then passed+=("${configs[i]}"); else failed=$((failed + 1)); fi
done
pids=()
for c in "${passed[@]}"; do
	if ((run_plain)) && { [[ -z $tlb ]] || ! is_reference "$results"; }; then
		spawn bench_plain "$c"
		runs=$((runs + 1))
	fi
	for n in "${cpus[@]}"; do
		if [[ -z $tlb ]] || ! is_reference "$results"; then
			spawn bench_smp "$c" "$n"
			runs=$((runs + 1))
		fi
		for p in "${presets[@]}"; do
			spawn bench_smp_tlb "$c" "$n" "$p"
			runs=$((runs + 1))
		done
	done
	((run_plain)) || continue
	for p in "${presets[@]}"; do
		spawn bench_tlb "$c" "$p"
		runs=$((runs + 1))
	done
done
reap
say all "finished: ${#configs[@]} design(s), $runs run(s), $failed failed"
((failed == 0))
