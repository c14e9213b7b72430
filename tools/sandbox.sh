#!/usr/bin/env bash
# tools/sandbox.sh: run one command of an outside tree (its Makefile) in a
# sandbox: unprivileged, no network, limits on time, memory and processes,
# and only one directory writable.
#
#   tools/sandbox.sh --rw DIR [--chdir DIR] -- COMMAND [ARG...]
#
# The command runs under bubblewrap (bwrap) with every namespace unshared
# (so no network but a loopback of its own, and its own process tree that
# dies with it), the whole file system read-only but for DIR, a private
# /tmp, and fresh /dev and /proc. As root the command runs as a uid of its
# own (SANDBOX_UID_BASE plus this script's pid, so two sandboxes never share
# a process count), DIR handed to that uid; as another user it runs as that
# user. Limits (prlimit, timeout) come from the environment:
#   PTBENCH_SANDBOX_TIME   seconds of wall time (default 600), then SIGKILL
#   PTBENCH_SANDBOX_MEM    MiB of address space per process (default 4096)
#   PTBENCH_SANDBOX_PROCS  processes of the sandbox's uid (default 512)
#
# Reads:  nothing but what the command reads (read-only).
# Writes: only inside DIR (through the command); a "sandbox: ..." line on
#         stderr when a limit stopped the command.
# Exit:   the command's status; 124 when it ran out of time; 125 when the
#         sandbox itself cannot start (no bwrap: make deps installs it).
set -u

readonly SANDBOX_UID_BASE=200000
readonly TIME_LIMIT=${PTBENCH_SANDBOX_TIME:-600}
readonly MEM_MIB=${PTBENCH_SANDBOX_MEM:-4096}
readonly PROCS=${PTBENCH_SANDBOX_PROCS:-512}
readonly USAGE="usage: tools/sandbox.sh --rw DIR [--chdir DIR] -- COMMAND [ARG...]"

rw='' cwd=''
while (($# > 0)); do
	case $1 in
	--rw) rw=${2:?$USAGE}; shift ;;
	--chdir) cwd=${2:?$USAGE}; shift ;;
	--) shift; break ;;
	*) echo "$USAGE" >&2; exit 2 ;;
	esac
	shift
done
[[ -n $rw && $# -gt 0 ]] || { echo "$USAGE" >&2; exit 2; }
rw=$(realpath -- "$rw") || exit 125
cwd=$(realpath -- "${cwd:-$rw}") || exit 125
command -v bwrap >/dev/null 2>&1 ||
	{ echo "sandbox: bwrap not found (Debian package bubblewrap; make deps installs it)" >&2; exit 125; }

# As root, bwrap sets the sandbox up (so the path to DIR need not be open to
# others: inside, only DIR is there) and the command drops to a uid of its own
# with no capabilities; as another user, bwrap runs unprivileged in a user
# namespace and the command keeps that user.
if ((EUID == 0)); then
	uid=$((SANDBOX_UID_BASE + $$))
	chown -R "$uid:$uid" -- "$rw" || exit 125
	unshare=(--unshare-ipc --unshare-pid --unshare-net --unshare-uts --unshare-cgroup-try)
	become=(setpriv "--reuid=$uid" "--regid=$uid" --clear-groups --inh-caps=-all --bounding-set=-all)
else
	unshare=(--unshare-all --cap-drop ALL)
	become=()
fi

# hidden: a tmpfs over the first ancestor of DIR that others cannot search
# (/tmp is one anyway), and the directories bwrap makes under it down to DIR
# opened (bwrap copies the originals' modes), so the uid can reach DIR.
hidden=() opened=() base=/tmp
if [[ $rw != /tmp/* ]]; then
	base='' d=''
	IFS=/ read -ra comps <<<"${rw#/}"
	for c in "${comps[@]:0:${#comps[@]}-1}"; do
		d+=/$c
		if (($(stat -c %#a "$d") % 2 == 0)); then base=$d hidden=(--tmpfs "$d"); break; fi
	done
fi
if [[ -n $base ]]; then
	d=$(dirname "$rw")
	while [[ $d != "$base" && $d != / ]]; do opened=(--chmod 0755 "$d" "${opened[@]}"); d=$(dirname "$d"); done
fi

t0=$SECONDS
timeout -s KILL "$TIME_LIMIT" \
	prlimit "--nproc=$PROCS" "--as=$((MEM_MIB * 1024 * 1024))" -- \
	bwrap --ro-bind / / --dev /dev --proc /proc --tmpfs /tmp "${hidden[@]}" --bind "$rw" "$rw" "${opened[@]}" \
	"${unshare[@]}" --die-with-parent --new-session \
	--setenv HOME "$rw" --setenv TMPDIR /tmp --chdir "$cwd" -- "${become[@]}" "$@"
status=$?
if ((status == 137 || status == 124)) && ((SECONDS - t0 >= TIME_LIMIT)); then
	echo "sandbox: stopped after $TIME_LIMIT s (its time limit)" >&2
	status=124
fi
exit "$status"
