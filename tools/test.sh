#!/usr/bin/env bash
# tools/test.sh CONFIG...: what `make test` runs.
#
# For each config: build it, then run usertests in it at 1 and at 2 harts, the
# thread tests (THREAD_TESTS) at 4 harts, and the syscall fuzzer (FUZZ_CMD) at
# 1 hart; in the configs with ASIDs, also the
# quick usertests under the TLB model's stale-translation checker at 2 harts,
# and again with asidbits=2 (forced ASID rollovers) at 1 hart, the thread
# tests that share memory under the checker at 4 harts under a shootdown
# policy other than the default (shoot_runs), and the
# rollover stress (user/asidstress.c) under the checker at several ASID
# widths and hart counts (stress_runs) (at most 2 QEMU runs at a time; each
# run's results print as one block when it ends, every line prefixed with
# [config/Ncpu], [config/threads-4cpu], [config/fuzz], [config/check-Ncpu] or
# [config/stress-wW-Ncpu]).
# Then check that every usertests run printed the same hostile-pointer line
# (the matrix's case count and signature). Then the host tests in tests/.
#
# Reads:  the sources (through make), tests/; env TIMEOUT, seconds allowed per
#         QEMU run (default 600); env QEMU, passed on to tools/run.sh; env
#         STRESS=all, every stress width at every hart count in every ASID
#         config (else a sample: stress_runs); env SHOOT=all, every shootdown
#         policy in every ASID config (else one each: shoot_runs).
# Writes: build/<config>/usertests-<N>cpu.log, threads-4cpu.log, fuzz-1cpu.log and
#         stress-<W>-<N>cpu.log (with the checker's .csv), the console
#         without carriage returns, and the same names in .err, run.sh's
#         messages; progress and results on stdout. The last line is
#         "N passed, N failed", the totals.
# Exit:   0 when nothing failed, 1 otherwise, 2 on bad usage.
#
# Counting (tools/sumtests.py): each usertests run adds its final "N passed, N
# failed"; a failed build, or a run that timed out, panicked or printed no final
# line, adds one failure; each fuzz run, each stress run and the hostile
# check count as one test each; the host tests add their tests run and failures + errors.
set -u

cd "$(dirname "$0")/.." || exit 2

readonly PY=/usr/bin/python3
readonly SUM=tools/sumtests.py
readonly MAX_RUNS=2 # the machine has 2 cores
readonly HARTS=(1 2)
readonly FUZZ_CMD='fuzz -s 1 -n 3000'
readonly RUN_TIMEOUT=${TIMEOUT:-600}
readonly CHECKER="-plugin build/tlbsim/tlbsim.so,check=1"
# What the checker runs: fork, exec, exit, sbrk up and down, many
# processes and pipes between harts (and, with asidbits=2, rollovers), and
# threads of one address space on several harts, shootdowns included (not
# thrshrink: its thread keeps loading from the page being taken away, and
# a load between the PTE change and its hart's fence would be reported;
# docs/designs.md, "Threads"). The thread tests of exit, kill, fork/exec
# and bad arguments change no mapping a shootdown covers: they run in
# every usertests run, not under the checker (each costs 10-15 s there).
# Every thread test of user/usertests.c (tests/test_testsh.py checks the
# list against it), run at 4 harts in every config.
readonly THREAD_TESTS="thrshare thrsbrk thrsbrkrace threxit thrkill thrforkexec thrshrink thripi \
thrpolicy thrbad thrmany"
readonly CHECK_BASE="forkwait forkgrown forkstress execargs execgrown exitmany killmany \
kptcheck kptmany sbrkbasic sbrkbig sbrkdealloc sbrkcopy copyedge pipebig pingpong"
readonly CHECK_TESTS="$CHECK_BASE thrshare thrsbrk thrsbrkrace thripi thrmany"
# With asidbits=2 at 1 hart (rollovers all the time): the same but thripi
# (one hart sends no IPI) and thrsbrk (the slowest under the checker; its
# shrinks are checked at 2 harts).
readonly ROLLOVER_TESTS="$CHECK_BASE thrshare thrsbrkrace thrmany"

# The shootdown policies (kernel/shoot.h) other than the default (lazy
# targeting, by page up to 64, direct IPIs; the check runs'), as boot
# arguments, and the thread tests whose shrinks other harts see, run under
# the checker at 4 harts with each.
readonly SHOOT_POLICIES=("shoot=all" "shoot=mask" "shootpages=0" "svinval=1" "ipi=mmode")
readonly SHOOT_TESTS="thrshare thrsbrk thrsbrkrace thrmany"

# The rollover stress (user/asidstress.c) under the checker: every ASID
# width of STRESS_WIDTHS ("default" is the width the hart has, each
# generation started near its end with asidstart=STRESS_START), at the hart counts of
# STRESS_HARTS. -r 1: a run that made no rollover fails.
readonly STRESS_WIDTHS=(2 3 4 6 default)
readonly STRESS_HARTS=(1 2 4)
readonly STRESS_START=65500
readonly STRESS_CMD='asidstress -f 60 -e 15 -r 1'
stress_index=0 # ASID configs queued so far: where stress_runs' sample starts

# Per background run, indexed by run.sh's pid.
run_label=() run_log=() run_start=() run_kind=()

usage() {
	echo "usage: tools/test.sh CONFIG...   (configs: $(make -s --no-print-directory configs | tr '\n' ' '))" >&2
	exit 2
}

# uses_asids CONFIG: whether the built config has the ASID axis on.
uses_asids() {
	grep -q '^#define KPT_ASID 1$' "build/$1/config.h"
}

# is_plain CONFIG: whether the built config is a design with no axis on.
is_plain() {
	! uses_asids "$1" && grep -q '^#define KPT_MEGA 0$' "build/$1/config.h"
}

# stress_runs CONFIG: its stress runs, "stress CONFIG HARTS WIDTH" lines.
# With STRESS=all every width at every hart count (15 runs). Otherwise a
# sample of 3, one at each hart count j, at width (3k + j) mod 5 where k is
# the config's place among the ASID configs (stress_index): each config
# runs every hart count and 3 widths, and any 5 consecutive ASID configs
# run every width at every hart count (3 is prime to 5; docs/testing.md).
stress_runs() {
	local c=$1 w j
	if [[ ${STRESS:-} == all ]]; then
		for w in "${STRESS_WIDTHS[@]}"; do
			for j in "${STRESS_HARTS[@]}"; do echo "stress $c $j $w"; done
		done
		return
	fi
	for j in "${!STRESS_HARTS[@]}"; do
		w=${STRESS_WIDTHS[(3 * stress_index + j) % ${#STRESS_WIDTHS[@]}]}
		echo "stress $c ${STRESS_HARTS[j]} $w"
	done
}

# shoot_runs CONFIG: its shootdown-policy runs, "shoot CONFIG 4 POLICY"
# lines. With SHOOT=all every policy; otherwise one, turning with the
# config's place among the ASID configs (stress_index), so that any 5
# consecutive ASID configs check every policy.
shoot_runs() {
	local c=$1 i
	if [[ ${SHOOT:-} == all ]]; then
		for i in "${!SHOOT_POLICIES[@]}"; do echo "shoot $c 4 $i"; done
		return
	fi
	echo "shoot $c 4 $((stress_index % ${#SHOOT_POLICIES[@]}))"
}

# runs_of CONFIG: the runs of a built config, one "KIND CONFIG HARTS [WIDTH]"
# per line. A design's plain config runs every usertest at both hart counts;
# its axis variants (-asid, -mega) run the quick ones at 1 hart and all at
# 2; every config runs the thread tests at 4 harts, and the ASID ones also
# run the checker's focused set (CHECK_TESTS).
runs_of() {
	local c=$1
	if is_plain "$c"; then
		printf '%s\n' "usertests $c 1" "usertests $c 2"
	else
		printf '%s\n' "quick $c 1" "usertests $c 2"
	fi
	echo "threads $c 4"
	echo "fuzz $c 1"
	! uses_asids "$c" || printf '%s\n' "check $c 2" "rollover $c 1"
	! uses_asids "$c" || stress_runs "$c"
	! uses_asids "$c" || shoot_runs "$c"
}

# reap_done: report the runs that have ended, without waiting for others.
reap_done() {
	local pid
	local state
	for pid in "${!run_label[@]}"; do
		# A run that ended is a zombie until waited for: 'Z' in its stat.
		state=$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)
		[[ -n $state && $state != Z ]] || finish_run
	done
}

# start_queued: start queued runs while there is a free slot.
start_queued() {
	reap_done
	while ((${#queue[@]} > 0 && ${#run_label[@]} < MAX_RUNS)); do
		# shellcheck disable=SC2086 # the item is "KIND CONFIG HARTS [WIDTH]"
		start_run ${queue[0]}
		queue=("${queue[@]:1}")
	done
}

# build_checker: build the TLB model plugin, once; a failure counts as one
# failed test (the checker runs then fail too, each with its reason).
checker_built=0
build_checker() {
	((checker_built == 0)) || return 0
	checker_built=1
	echo "== build tools/tlbsim"
	make -s --no-print-directory -C tools/tlbsim ||
		"$PY" "$SUM" fail tlbsim "the TLB model plugin did not build" "$totals"
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

# start_run KIND CONFIG HARTS [WIDTH]: start a run in the background:
# usertests (all, quick, or threads: THREAD_TESTS), fuzz, or, in the ASID configs, under the TLB model's
# stale-translation checker (CHECKER; it fails the run on a stale hit):
# check (the quick usertests), rollover (the same with asidbits=2, so that
# ASIDs run out and roll over all the time) and stress (STRESS_CMD with
# WIDTH ASID bits).
start_run() {
	local kind=$1 c=$2 n=$3 w=${4:-} log="build/$2/$1-$3cpu.log" pid label cmd=usertests sum=$1
	local extra=()
	label="$c/${n}cpu"
	case $kind in
	fuzz) label="$c/fuzz" cmd=$FUZZ_CMD ;;
	quick) log="build/$c/usertests-${n}cpu.log" cmd='usertests -q' sum=usertests ;;
	threads) label="$c/threads-${n}cpu" cmd="usertests $THREAD_TESTS" sum=usertests ;;
	check | rollover)
		label="$c/$kind-${n}cpu" cmd="usertests $CHECK_TESTS" sum=usertests
		[[ $kind == check ]] || cmd="usertests $ROLLOVER_TESTS"
		extra=(--extra "$CHECKER,out=build/$c/$kind-${n}cpu.csv")
		[[ $kind == check ]] || extra+=(--bootargs asidbits=2)
		;;
	shoot)
		# WIDTH is the policy's index in SHOOT_POLICIES.
		label="$c/shoot-${SHOOT_POLICIES[w]// /,}-${n}cpu" log="build/$c/shoot-$w-${n}cpu.log"
		cmd="usertests $SHOOT_TESTS" sum=usertests
		extra=(--extra "$CHECKER,out=${log%.log}.csv" --bootargs "${SHOOT_POLICIES[w]}")
		;;
	stress)
		label="$c/stress-w$w-${n}cpu" log="build/$c/stress-$w-${n}cpu.log"
		cmd=$STRESS_CMD sum=asidstress
		extra=(--extra "$CHECKER,out=${log%.log}.csv" --bootargs "asidbits=$w")
		[[ $w != default ]] || extra[3]=asidstart=$STRESS_START
		;;
	esac
	rm -f "$log" "${log%.log}.err"
	tools/run.sh --kernel "build/$c/kernel" --cpus "$n" --timeout "$RUN_TIMEOUT" "${extra[@]}" \
		--cmd "$cmd" --log "$log" >/dev/null 2>"${log%.log}.err" &
	pid=$!
	run_label[pid]=$label run_log[pid]=$log run_start[pid]=$SECONDS run_kind[pid]=$sum
	echo "[$label] started (timeout $RUN_TIMEOUT s; ${#run_label[@]} running)"
}

# finish_run: wait for any one run to end and print its block.
finish_run() {
	local pid='' status label log kind
	wait -n -p pid "${!run_label[@]}"
	status=$?
	if [[ -z $pid ]]; then # not expected; wait on one run rather than spin
		for pid in "${!run_label[@]}"; do kill -0 "$pid" 2>/dev/null || break; done
		wait "$pid"
		status=$?
	fi
	label=${run_label[pid]} log=${run_log[pid]} kind=${run_kind[pid]}
	echo "[$label] finished in $((SECONDS - run_start[pid])) s, exit status $status"
	unset "run_label[pid]" "run_log[pid]" "run_start[pid]" "run_kind[pid]"
	"$PY" "$SUM" "$kind" "$label" "$status" "$log" "${log%.log}.err" "$totals"
}

# hostile_check CONFIG...: the usertests runs of the configs that built must
# all print the same hostile-pointer line.
hostile_check() {
	local c n args=()
	for c in "$@"; do
		for n in "${HARTS[@]}"; do args+=("$c/${n}cpu" "build/$c/usertests-${n}cpu.log"); done
	done
	((${#args[@]} == 0)) || "$PY" "$SUM" hostile "$totals" "${args[@]}"
}

# stop_runs: on an interrupt, stop the runs still going (run.sh stops QEMU).
stop_runs() {
	trap - INT TERM
	((${#run_label[@]} == 0)) || kill -TERM "${!run_label[@]}" 2>/dev/null
	wait
	echo "tools/test.sh: interrupted" >&2
	exit 130
}

# host_weight FILE: a test module's expected seconds: its "# host-test-seconds: N"
# line (the modules that boot kernels or draw figures have one), else its
# size over 500 bytes a second.
host_weight() {
	local w
	w=$(grep -m1 -o '^# host-test-seconds: [0-9]*' "$1" | grep -o '[0-9]*$')
	echo "${w:-$(($(wc -c <"$1") / 500))}"
}

# host_module MODULE: run one test module, its output and exit status to
# $tmp/unittest-MODULE.out and .rc (xargs runs two at a time); say when it
# ends (its results print after the last module).
host_module() {
	local start=$SECONDS st
	(cd tests && "$PY" -m unittest -v "$1") >"$tmp/unittest-$1.out" 2>&1
	st=$?
	echo "$st" >"$tmp/unittest-$1.rc"
	echo "[host/$1] done in $((SECONDS - start)) s, exit status $st"
}

# host_tests: the tools' own tests, counted from unittest's summary, one
# process per module, two at a time (the machine has 2 cores), heaviest
# first so that neither core is left with a long module at the end.
host_tests() {
	local f m mods=()
	echo "== host tests (the runs before them took $SECONDS s)"
	while read -r _ f; do mods+=("$(basename "$f" .py)"); done < <(
		for f in tests/test_*.py; do echo "$(host_weight "$f") $f"; done | sort -rn)
	export -f host_module
	export tmp PY
	printf '%s\n' "${mods[@]}" | xargs -P "$MAX_RUNS" -I{} bash -c 'host_module "$1"' _ {}
	for m in "${mods[@]}"; do
		cat "$tmp/unittest-$m.out"
		"$PY" "$SUM" unittest "host/$m" "$(cat "$tmp/unittest-$m.rc" 2>/dev/null || echo 1)" \
			"$tmp/unittest-$m.out" "$totals"
	done
}

main() {
	local c built=()
	queue=()
	(($# > 0)) || usage
	[[ $1 != -* ]] || usage
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/ptbench-test.XXXXXX") || exit 2
	trap 'rm -rf "$tmp"' EXIT
	trap stop_runs INT TERM
	totals=$tmp/totals
	: >"$totals"
	# Each config's runs start as soon as it is built, beside the next build.
	for c in "$@"; do
		if build "$c"; then
			built+=("$c")
			uses_asids "$c" && build_checker
			mapfile -t -O "${#queue[@]}" queue < <(runs_of "$c")
			! uses_asids "$c" || stress_index=$((stress_index + 1))
		fi
		start_queued
	done
	while ((${#queue[@]} > 0 || ${#run_label[@]} > 0)); do
		((${#run_label[@]} == 0)) || finish_run
		start_queued
	done
	hostile_check "${built[@]}"
	# The host tests cover exactly these configs, and fail on a missing one.
	PTBENCH_TEST_CONFIGS="$*" host_tests
	echo "== done in $SECONDS s"
	"$PY" "$SUM" total "$totals"
}

main "$@"
