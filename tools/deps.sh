#!/usr/bin/env bash
# tools/deps.sh [--quiet]: install the Debian packages ptbench needs
# (README.md), and only those that are missing. Nothing comes from anywhere
# but Debian's archive.
#
# QEMU must be 10.0 or later. Debian 13 ships it; on Debian 12 (bookworm) it
# comes from bookworm-backports, which this script adds as a file of its own,
# /etc/apt/sources.list.d/ptbench-backports.sources, and installs from with
# `-t bookworm-backports`. A QEMU older than 10.0 counts as missing.
#
# Reads:  the commands on PATH; /usr/bin/python3 (for pandas); /etc/os-release.
# Writes: installs packages with apt-get (through sudo when not root), and the
#         backports source file on Debian 12; prints what it found on stdout,
#         problems on stderr.
# Exit:   0 when everything is present (or was installed), 1 when something
#         is still missing, 2 on bad usage.
#
# --quiet prints nothing when all is present and stays fast (every make target
# calls it): it checks commands with `command -v` and pandas by its file, and only
# confirms a missing pandas by importing it.
# Env:    PTBENCH_OS_RELEASE (default /etc/os-release) and PTBENCH_APT_SOURCES
#         (default /etc/apt/sources.list.d), for tests.
set -u

readonly PY=/usr/bin/python3
readonly PANDAS_FILE=/usr/lib/python3/dist-packages/pandas/__init__.py
readonly QEMU_MIN=10.0
readonly OS_RELEASE=${PTBENCH_OS_RELEASE:-/etc/os-release}
readonly APT_SOURCES=${PTBENCH_APT_SOURCES:-/etc/apt/sources.list.d}
readonly BACKPORTS_FILE=$APT_SOURCES/ptbench-backports.sources

# Debian package, then what shows that it is installed. The QEMU packages are
# installed from backports on Debian 12 (see qemu_target).
readonly PACKAGES=(
	"gcc-riscv64-unknown-elf  command riscv64-unknown-elf-gcc"
	"qemu-system-misc         qemu"
	"qemu-system-riscv        qemu"
	"gnuplot-nox              command gnuplot"
	"python3-pandas           pandas"
	"cpio                     command cpio"
	"gcc                      command gcc" # host compiler for tools/tlbsim
	"gdb-multiarch            command gdb-multiarch" # make qemu-gdb
	"bubblewrap               command bwrap" # make class: the sandbox (tools/sandbox.sh)
	"texlive-latex-base       command pdflatex" # report.pdf
	"texlive-latex-recommended tex booktabs.sty"
	"texlive-fonts-recommended tex pcrr8t.tfm"
	"lmodern                  tex lmodern.sty"
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

# qemu_version: print the version of qemu-system-riscv64 on PATH (x.y.z), or
# nothing when there is none.
qemu_version() {
	command -v qemu-system-riscv64 >/dev/null 2>&1 || return 0
	qemu-system-riscv64 --version 2>/dev/null |
		sed -n '1s/.*version \([0-9][0-9]*\.[0-9][0-9]*\(\.[0-9]*\)\?\).*/\1/p'
}

# qemu_new_enough: whether qemu-system-riscv64 is at least QEMU_MIN.
qemu_new_enough() {
	local v
	v=$(qemu_version)
	[[ -n $v ]] || return 1
	[[ $(printf '%s\n%s\n' "$QEMU_MIN" "$v" | sort -V | head -n1) == "$QEMU_MIN" ]]
}

# present CHECK...: whether the check from PACKAGES passes.
present() {
	case $1 in
	command) command -v "$2" >/dev/null 2>&1 ;;
	pandas) has_pandas "$quiet" || { ((quiet)) && has_pandas 0; } ;;
	qemu) qemu_new_enough ;;
	tex) command -v kpsewhich >/dev/null 2>&1 && [[ -n $(kpsewhich "$2" 2>/dev/null) ]] ;;
	*) return 1 ;;
	esac
}

# find_missing: set the array missing to the packages whose check fails.
find_missing() {
	local entry pkg check
	missing=()
	for entry in "${PACKAGES[@]}"; do
		read -r pkg check <<<"$entry"
		# shellcheck disable=SC2086 # check is "command NAME", "tex FILE" or a word
		if present $check; then
			say "found   $pkg (${check#* })"
		else
			missing+=("$pkg")
		fi
	done
}

# codename: the Debian release's code name from os-release, or nothing.
codename() {
	[[ -r $OS_RELEASE ]] || return 0
	sed -n 's/^VERSION_CODENAME=//p' "$OS_RELEASE" | tr -d '"'
}

# add_backports: write the bookworm-backports source file, unless present.
add_backports() {
	[[ -f $BACKPORTS_FILE ]] && return 0
	say "adding bookworm-backports as $BACKPORTS_FILE (QEMU $QEMU_MIN or later)"
	"${sudo[@]}" mkdir -p "$APT_SOURCES" &&
		printf '%s\n' \
			"# Added by ptbench's tools/deps.sh: QEMU $QEMU_MIN or later for Debian 12." \
			"Types: deb" "URIs: http://deb.debian.org/debian" \
			"Suites: bookworm-backports" "Components: main" \
			"Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" |
		"${sudo[@]}" tee "$BACKPORTS_FILE" >/dev/null ||
		{ echo "ptbench: cannot write $BACKPORTS_FILE" >&2; exit 1; }
}

# apt PKG...: apt-get ARGS as root or through sudo, noninteractive.
apt() {
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@"
}

# install PKG...: apt-get update and install; QEMU from backports on bookworm.
install() {
	sudo=()
	if ((EUID != 0)); then
		if ! command -v sudo >/dev/null 2>&1; then
			echo "ptbench: not root and no sudo; as root, install these Debian packages" \
				"(QEMU $QEMU_MIN or later; on Debian 12 from bookworm-backports): $*" >&2
			exit 1
		fi
		sudo=(sudo)
		[[ -t 0 ]] || sudo=(sudo -n) # no terminal to ask for a password
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "ptbench: apt-get not found; install these Debian packages: $*" >&2
		exit 1
	fi
	local qemu=() rest=() p
	for p in "$@"; do
		case $p in
		qemu-*) qemu+=("$p") ;;
		*) rest+=("$p") ;;
		esac
	done
	local bpo=0
	if ((${#qemu[@]})) && [[ $(codename) == bookworm ]]; then
		add_backports
		bpo=1
	fi
	apt update || { echo "ptbench: apt-get update failed" >&2; exit 1; }
	if ((${#rest[@]})); then
		apt install -y --no-install-recommends "${rest[@]}" ||
			{ echo "ptbench: apt-get install failed for: ${rest[*]}" >&2; exit 1; }
	fi
	if ((${#qemu[@]})); then
		local target=()
		((bpo)) && target=(-t bookworm-backports)
		apt install -y --no-install-recommends "${target[@]}" "${qemu[@]}" ||
			{ echo "ptbench: apt-get install failed for: ${qemu[*]}" >&2; exit 1; }
	fi
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
	local old
	old=$(qemu_version)
	if [[ -n $old ]] && ! qemu_new_enough; then
		echo "ptbench: QEMU $old is too old: ptbench needs $QEMU_MIN or later" \
			"(Debian 12: bookworm-backports; Debian 13 ships it)"
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
