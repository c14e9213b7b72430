#!/usr/bin/env bash
# tools/test.sh CONFIG...: what `make test` runs.
#
# For each config: build it, then run usertests in it at 1 and at 2 harts
# (at most 2 QEMU runs at a time; each run's results print as one block when it
# ends, every line prefixed with [config/Ncpu]). Then the host tests in tests/.
#
# Reads:  the sources (through make), tests/; env TIMEOUT, seconds allowed per
#         usertests run (default 600); env QEMU, passed on to tools/run.sh.
# Writes: build/<config>/usertests-<N>cpu.log, the console without carriage
#         returns, and usertests-<N>cpu.err, run.sh's messages; progress and
#         results on stdout. The last line is "N passed, N failed", the totals.
# Exit:   0 when nothing failed, 1 otherwise, 2 on bad usage.
#
# Counting (tools/sumtests.py): each run adds its final "N passed, N failed";
# a failed build, or a run that timed out, panicked or printed no final line,
# adds one failure; the host tests add their tests run and failures + errors.
set -u

cd "$(dirname "$0")/.." || exit 2

readonly PY=/usr/bin/python3
readonly SUM=tools/sumtests.py
readonly MAX_RUNS=2 # the machine has 2 cores
readonly HARTS=(1 2)
readonly RUN_TIMEOUT=${TIMEOUT:-600}

# Per background run, indexed by run.sh's pid.
run_label=() run_log=() run_start=()

usage() {
	local configs=(configs/*.mk)
	configs=("${configs[@]#configs/}")
	echo "usage: tools/test.sh CONFIG...   (configs: ${configs[*]%.mk})" >&2
	exit 2
}

# build CONFIG: build its kernel; a failure counts as one failed test.
build() {
	local c=$1 status
	echo "== build $c"
	make --no-print-directory -s CONFIG="$c" kernel
	status=$?
	((status != 0)) || return 0
	"$PY" "$SUM" fail "$c" "build failed (make CONFIG=$c kernel exited $status)" "$totals"
	return 1
}

# start_run CONFIG HARTS: start usertests in the background.
start_run() {
	local c=$1 n=$2 log="build/$1/usertests-$2cpu.log" pid
	rm -f "$log" "${log%.log}.err"
	tools/run.sh --kernel "build/$c/kernel" --cpus "$n" --timeout "$RUN_TIMEOUT" \
		--cmd usertests --log "$log" >/dev/null 2>"${log%.log}.err" &
	pid=$!
	run_label[pid]="$c/${n}cpu" run_log[pid]=$log run_start[pid]=$SECONDS
	echo "[$c/${n}cpu] started (timeout $RUN_TIMEOUT s; ${#run_label[@]} running)"
}

# finish_run: wait for any one run to end and print its block.
finish_run() {
	local pid='' status label log
	wait -n -p pid "${!run_label[@]}"
	status=$?
	if [[ -z $pid ]]; then # not expected; wait on one run rather than spin
		for pid in "${!run_label[@]}"; do kill -0 "$pid" 2>/dev/null || break; done
		wait "$pid"
		status=$?
	fi
	label=${run_label[pid]} log=${run_log[pid]}
	echo "[$label] finished in $((SECONDS - run_start[pid])) s, exit status $status"
	unset "run_label[pid]" "run_log[pid]" "run_start[pid]"
	"$PY" "$SUM" usertests "$label" "$status" "$log" "${log%.log}.err" "$totals"
}

# stop_runs: on an interrupt, stop the runs still going (run.sh stops QEMU).
stop_runs() {
	trap - INT TERM
	((${#run_label[@]} == 0)) || kill -TERM "${!run_label[@]}" 2>/dev/null
	wait
	echo "tools/test.sh: interrupted" >&2
	exit 130
}

# host_tests: the tools' own tests, counted from unittest's summary.
host_tests() {
	local out="$tmp/unittest.out" status
	echo "== host tests"
	"$PY" -m unittest discover -s tests -v 2>&1 | tee "$out"
	status=${PIPESTATUS[0]}
	"$PY" "$SUM" unittest host "$status" "$out" "$totals"
}

main() {
	local c n queue=() item
	(($# > 0)) || usage
	[[ $1 != -* ]] || usage
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/ptbench-test.XXXXXX") || exit 2
	trap 'rm -rf "$tmp"' EXIT
	trap stop_runs INT TERM
	totals=$tmp/totals
	: >"$totals"
	for c in "$@"; do
		if build "$c"; then
			for n in "${HARTS[@]}"; do queue+=("$c $n"); done
		fi
	done
	for item in "${queue[@]}"; do
		while ((${#run_label[@]} >= MAX_RUNS)); do finish_run; done
		# shellcheck disable=SC2086 # item is "CONFIG HARTS"
		start_run $item
	done
	while ((${#run_label[@]} > 0)); do finish_run; done
	host_tests
	echo "== done in $SECONDS s"
	"$PY" "$SUM" total "$totals"
}

main "$@"
