#!/usr/bin/env bash
# tools/run.sh: boot a ptbench kernel under QEMU. Every QEMU run goes through here.
#
# Reads:  the kernel image given by --kernel; kernel/param.h (MAXARGLEN);
#         env QEMU, the QEMU binary
#         (default qemu-system-riscv64; the host tests point it at tests/fakeqemu);
#         env PTBENCH_QEMUEXTRA and PTBENCH_BOOTARGS (the Makefile's QEMUEXTRA
#         and BOOTARGS), put before --extra and --bootargs.
# Writes: the console output to stdout as it arrives; with --log FILE, the same
#         output with carriage returns removed (written when the run ends);
#         run.sh's own messages (timeout, panic, errors) to stderr.
# Exit:   QEMU's exit status, which is the status the kernel powered off with
#         (the command's exit status); 101 when the console showed a line
#         starting with "panic: "; 124 when the run was stopped by the timeout;
#         2 for bad usage, a missing kernel or a missing QEMU.
#
# QEMU command line:
#   -machine virt,aclint=on -cpu rv64,svinval=on -bios none -kernel K -m 128M -smp N
#   -icount shift=0,sleep=off
#   (aclint=on: the ACLINT SSWI device, whose supervisor IPIs shootdowns use;
#   svinval=on: the Svinval extension, for the boot argument svinval=1)
#   then -nographic (--interactive) or -display none -monitor none -serial stdio
#   with stdin from /dev/null (unattended), then -append "BOOTARGS cmd=COMMAND",
#   then the --extra words.
#
# The command always comes last in -append because the kernel takes everything
# after "cmd=" to the end of the line as the command, spaces included. init
# hands it to sh -c as one exec argument, and exec takes at most MAXARGLEN
# bytes per argument, NUL included (kernel/param.h): a longer command is
# refused here, before boot, with that limit.
#
# --extra is split into words like a shell splits a command line: whitespace
# separates words, and single quotes, double quotes and backslashes group or
# escape characters; nothing is expanded (no variables, globs or $(...)).
set -u

readonly APPEND_MAX=1023 # kernel/param.h BOOTARGS_MAX, less the NUL
readonly KILL_GRACE=5    # seconds between TERM and KILL on a timeout
PARAM_H="$(dirname "$0")/../kernel/param.h"
readonly PARAM_H

usage() {
	cat >&2 <<'EOF'
usage: tools/run.sh --kernel PATH [--cpus N] [--timeout SECONDS]
                    [--bootargs STR] [--extra STR] [--cmd STR]
                    [--interactive] [--log FILE]
  --kernel PATH      kernel image to boot (required)
  --cpus N           harts (default 1)
  --timeout SECONDS  stop an unattended run after this long (default 600)
  --bootargs STR     kernel boot arguments
  --cmd STR          command the kernel runs through sh, then powers off
  --extra STR        more QEMU options, split into words like a shell does
  --interactive      console on the terminal (-nographic), no timeout
  --log FILE         also save the console output, without carriage returns
env QEMU: QEMU binary (default qemu-system-riscv64)
EOF
	exit 2
}

die() {
	printf 'ptbench: %s\n' "$*" >&2
	exit 2
}

kernel='' cpus=1 timeout=600 bootargs='' extra='' cmd='' interactive=0 log=''
qemu=${QEMU:-qemu-system-riscv64}

# parse_options ARGS: set the option variables above; exits through usage().
parse_options() {
	while (($# > 0)); do
		case $1 in
		--interactive) interactive=1; shift; continue ;;
		-h | --help) usage ;;
		--kernel | --cpus | --timeout | --bootargs | --extra | --cmd | --log)
			(($# >= 2)) || { echo "run.sh: $1 needs a value" >&2; usage; } ;;
		*) echo "run.sh: unknown option '$1'" >&2; usage ;;
		esac
		case $1 in
		--kernel) kernel=$2 ;;
		--cpus) cpus=$2 ;;
		--timeout) timeout=$2 ;;
		--bootargs) bootargs=$2 ;;
		--extra) extra=$2 ;;
		--cmd) cmd=$2 ;;
		--log) log=$2 ;;
		esac
		shift 2
	done
}

# check_options: refuse values that would make a wrong or misleading run.
check_options() {
	[[ -n $kernel ]] || { echo "run.sh: --kernel is required" >&2; usage; }
	[[ $cpus =~ ^[1-9][0-9]*$ ]] || die "--cpus must be a positive integer, not '$cpus'"
	[[ $timeout =~ ^[1-9][0-9]*$ ]] ||
		die "--timeout must be a positive number of seconds, not '$timeout'"
	[[ $cmd != *$'\n'* && $bootargs != *$'\n'* ]] ||
		die "the command and boot arguments must fit on one line (no newline)"
	if [[ -n $cmd && " $bootargs" == *" cmd="* ]]; then
		die "BOOTARGS already holds cmd=; give the command once (CMD or --cmd)"
	fi
	[[ -f $kernel ]] || die "kernel '$kernel' not found (build it with make CONFIG=...)"
	command -v "$qemu" >/dev/null 2>&1 ||
		die "QEMU binary '$qemu' not found (install QEMU 10.0 or later with: make deps)"
	check_qemu_version
	check_cmd_length
}

# check_qemu_version: refuse a QEMU older than 10.0 (its plugin API cannot
# read registers or memory, which tools/tlbsim needs).
check_qemu_version() {
	local line major
	line=$("$qemu" --version 2>/dev/null | head -n 1)
	[[ $line =~ version\ ([0-9]+)\. ]] ||
		die "cannot tell the version of QEMU '$qemu' (it printed '$line')"
	major=${BASH_REMATCH[1]}
	((major >= 10)) ||
		die "QEMU '$qemu' is ${line##*version }; ptbench needs QEMU 10.0 or later: run make deps (on Debian 12 it installs qemu-system-riscv from bookworm-backports)"
}

# check_cmd_length: refuse a command that init could not pass to sh -c.
check_cmd_length() {
	local arglen bytes
	[[ -n $cmd ]] || return 0
	arglen=$(sed -n 's/^#define MAXARGLEN \([0-9]*\).*/\1/p' "$PARAM_H" 2>/dev/null)
	[[ -n $arglen ]] || die "cannot read MAXARGLEN from $PARAM_H"
	bytes=$(printf '%s' "$cmd" | wc -c)
	if ((bytes > arglen - 1)); then
		die "the command is $bytes bytes; at most $((arglen - 1)) can run (init passes it" \
			"to sh -c as one exec argument, and exec takes MAXARGLEN = $arglen bytes per" \
			"argument, NUL included: kernel/param.h)"
	fi
}

# make_append: print the -append string, BOOTARGS then " cmd=COMMAND" last.
# Fails when the result is longer than the kernel keeps.
make_append() {
	local append=$bootargs bytes
	if [[ -n $cmd ]]; then
		append="${append:+$append }cmd=$cmd"
	fi
	bytes=$(printf '%s' "$append" | wc -c)
	if ((bytes > APPEND_MAX)); then
		die "boot arguments are $bytes bytes with the command; the kernel keeps at" \
			"most $APPEND_MAX (command: $(printf '%s' "$cmd" | wc -c) bytes)"
	fi
	printf '%s' "$append"
}

# split_extra: set the array extra_words from $extra, split like a shell does.
# xargs applies the shell's quoting rules without expanding anything.
split_extra() {
	extra_words=()
	[[ $extra =~ [^[:space:]] ]] || return 0
	xargs -r printf '%.0s' <<<"$extra" >/dev/null 2>&1 ||
		die "cannot split --extra/QEMUEXTRA into words (unmatched quote?): $extra"
	mapfile -d '' -t extra_words < <(xargs -r printf '%s\0' <<<"$extra")
}

# build_qemu_args: set the array qemu_args, the whole QEMU command line.
build_qemu_args() {
	local append
	append=$(make_append) || exit 2
	# shellcheck disable=SC2054 # the comma belongs to the -icount value
	qemu_args=(-machine virt,aclint=on -cpu rv64,svinval=on -bios none -kernel "$kernel" -m 128M -smp "$cpus"
		-icount shift=0,sleep=off)
	if ((interactive)); then
		qemu_args+=(-nographic)
	else
		qemu_args+=(-display none -monitor none -serial stdio)
	fi
	[[ -z $append ]] || qemu_args+=(-append "$append")
	qemu_args+=("${extra_words[@]}")
}

# stop_pid PID: TERM, then KILL if it is still there after KILL_GRACE seconds.
stop_pid() {
	local pid=$1 tick
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((tick = 0; tick < KILL_GRACE * 10; tick++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
}

# finish_output: save the log and print the panic message if there was one.
# Sets panic_msg (empty when the console showed no panic line).
finish_output() {
	wait "$tee_pid" 2>/dev/null
	if [[ -n $log ]]; then
		tr -d '\r' <"$tmp/raw" >"$log" || echo "ptbench: cannot write log '$log'" >&2
	fi
	panic_msg=$(tr -d '\r' <"$tmp/raw" | grep -a -m1 '^panic: ')
	panic_msg=${panic_msg#panic: }
	[[ -z $panic_msg ]] || echo "ptbench: kernel panic: $panic_msg" >&2
}

# on_signal SIG STATUS: run.sh itself was interrupted; take QEMU down with it.
# shellcheck disable=SC2317 # called from the traps set in main
on_signal() {
	trap - INT TERM HUP
	[[ -z ${timer_pid-} ]] || kill "$timer_pid" 2>/dev/null
	[[ -z ${qemu_pid-} ]] || stop_pid "$qemu_pid"
	[[ -z ${tee_pid-} ]] || finish_output
	echo "ptbench: run interrupted by SIG$1" >&2
	exit "$2"
}

# start_console: start tee copying the console (fifo) to stdout and $tmp/raw.
start_console() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/ptbench-run.XXXXXX") || die "mktemp failed"
	trap 'rm -rf "$tmp"' EXIT
	mkfifo "$tmp/console" || die "mkfifo failed in $tmp"
	tee "$tmp/raw" <"$tmp/console" &
	tee_pid=$!
}

# run_interactive: QEMU on the terminal until the guest powers off
# (or the user types Ctrl-A x). No timeout.
run_interactive() {
	local status
	"$qemu" "${qemu_args[@]}" >"$tmp/console"
	status=$?
	finish_output
	[[ -z $panic_msg ]] || exit 101
	exit "$status"
}

# run_unattended: QEMU with no input, stopped after $timeout seconds.
run_unattended() {
	local status timed_out=0
	"$qemu" "${qemu_args[@]}" </dev/null >"$tmp/console" &
	qemu_pid=$!
	# A watchdog stops QEMU at the timeout and leaves a mark. Waiting for
	# QEMU's own pid is reliable however soon it ends (wait -n on several
	# jobs can miss one that ended before it was called).
	(
		trap 'kill "$nap" 2>/dev/null; exit 0' TERM
		sleep "$timeout" &
		nap=$!
		wait "$nap"
		: >"$tmp/timed_out"
		stop_pid "$qemu_pid"
	) >/dev/null 2>&1 &
	timer_pid=$!
	wait "$qemu_pid"
	status=$?
	kill -TERM "$timer_pid" 2>/dev/null
	wait "$timer_pid" 2>/dev/null
	[[ ! -e $tmp/timed_out ]] || timed_out=1
	qemu_pid='' timer_pid=''
	finish_output
	if ((timed_out)); then
		echo "ptbench: run stopped after $timeout s without power-off" \
			"(TIMEOUT=$timeout)" >&2
	fi
	# A panic explains a hang that follows it, so it wins over the timeout.
	[[ -z $panic_msg ]] || exit 101
	((timed_out == 0)) || exit 124
	exit "$status"
}

# add_env_options: the Makefile's QEMUEXTRA and BOOTARGS, exported as
# PTBENCH_QEMUEXTRA and PTBENCH_BOOTARGS, reach every run made under make
# (run, qemu, test, bench, fuzz): they go before the options given here.
add_env_options() {
	if [[ -n ${PTBENCH_QEMUEXTRA:-} ]]; then
		extra="$PTBENCH_QEMUEXTRA${extra:+ $extra}"
	fi
	if [[ -n ${PTBENCH_BOOTARGS:-} ]]; then
		bootargs="$PTBENCH_BOOTARGS${bootargs:+ $bootargs}"
	fi
}

main() {
	parse_options "$@"
	add_env_options
	check_options
	split_extra
	build_qemu_args
	if [[ -n $log ]]; then
		: >"$log" || die "cannot write log '$log'"
	fi
	trap 'on_signal INT 130' INT
	trap 'on_signal TERM 143' TERM
	trap 'on_signal HUP 129' HUP
	start_console
	if ((interactive)); then
		run_interactive
	fi
	run_unattended
}

main "$@"
