#!/usr/bin/env bash
# tools/deps.sh [--quiet]: install the Debian packages ptbench needs
# (README.md), and only those that are missing. Nothing comes from anywhere else.
#
# Reads:  the commands on PATH; /usr/bin/python3 (for pandas).
# Writes: installs packages with apt-get (through sudo when not root); prints
#         what it found on stdout, problems on stderr.
# Exit:   0 when everything is present (or was installed), 1 when something
#         is still missing, 2 on bad usage.
#
# --quiet prints nothing when all is present and stays fast (every make target
# calls it): it checks commands with `command -v` and pandas by its file, and only
# confirms a missing pandas by importing it.
set -u

readonly PY=/usr/bin/python3
readonly PANDAS_FILE=/usr/lib/python3/dist-packages/pandas/__init__.py

# Debian package, then what shows that it is installed.
readonly PACKAGES=(
	"gcc-riscv64-unknown-elf  command riscv64-unknown-elf-gcc"
	"qemu-system-misc         command qemu-system-riscv64"
	"gnuplot-nox              command gnuplot"
	"python3-pandas           pandas"
	"cpio                     command cpio"
	"gcc                      command gcc" # host compiler for tools/tlbsim
	"gdb-multiarch            command gdb-multiarch" # make qemu-gdb
)

quiet=0

usage() {
	echo "usage: tools/deps.sh [--quiet]" >&2
	exit 2
}

say() {
	((quiet)) || printf '%s\n' "$*"
}

# has_pandas FAST: whether /usr/bin/python3 can import pandas. With FAST=1 a
# present module file is taken as enough.
has_pandas() {
	if (($1)) && [[ -f $PANDAS_FILE ]]; then
		return 0
	fi
	[[ -x $PY ]] && "$PY" -c 'import pandas' >/dev/null 2>&1
}

# present CHECK...: whether the check from PACKAGES passes.
present() {
	case $1 in
	command) command -v "$2" >/dev/null 2>&1 ;;
	pandas) has_pandas "$quiet" || { ((quiet)) && has_pandas 0; } ;;
	*) return 1 ;;
	esac
}

# find_missing: set the array missing to the packages whose check fails.
find_missing() {
	local entry pkg check
	missing=()
	for entry in "${PACKAGES[@]}"; do
		read -r pkg check <<<"$entry"
		# shellcheck disable=SC2086 # check is "command NAME" or "pandas"
		if present $check; then
			say "found   $pkg (${check#command })"
		else
			missing+=("$pkg")
		fi
	done
}

# install PKG...: apt-get update and install, as root or through sudo.
install() {
	local sudo=()
	if ((EUID != 0)); then
		if ! command -v sudo >/dev/null 2>&1; then
			echo "ptbench: not root and no sudo; as root, run:" >&2
			echo "  apt-get update && apt-get install -y --no-install-recommends $*" >&2
			exit 1
		fi
		sudo=(sudo)
		[[ -t 0 ]] || sudo=(sudo -n) # no terminal to ask for a password
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "ptbench: apt-get not found; install these Debian packages: $*" >&2
		exit 1
	fi
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update ||
		{ echo "ptbench: apt-get update failed" >&2; exit 1; }
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends "$@" ||
		{ echo "ptbench: apt-get install failed for: $*" >&2; exit 1; }
}

main() {
	case $# in
	0) ;;
	1) [[ $1 == --quiet ]] || usage; quiet=1 ;;
	*) usage ;;
	esac
	find_missing
	if ((${#missing[@]} == 0)); then
		say "all dependencies present"
		exit 0
	fi
	echo "ptbench: missing Debian packages: ${missing[*]}; installing them"
	install "${missing[@]}"
	quiet=0
	find_missing
	if ((${#missing[@]} > 0)); then
		echo "ptbench: still missing after install: ${missing[*]}" >&2
		exit 1
	fi
	echo "ptbench: dependencies installed"
}

main "$@"
