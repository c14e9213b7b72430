#!/usr/bin/python3
"""tools/xv6tree.py: copy an outside xv6-riscv tree and build it for xv6bench.

Usage:  tools/xv6tree.py --tree PATH --work DIR --programs DIR
        tools/xv6tree.py --tree PATH --check     (only: is it an xv6 tree?)

PATH is an xv6-riscv source tree: a directory, or a tarball of one (one
top directory or none). It is copied (or unpacked) to DIR/src and never
touched itself. The workload programs from DIR (--programs: ptbench's
build/user/root, holding xv6bench and benchnop) are copied into the
copy's user/ as _xv6bench and _benchnop, and the copy is built with its
own Makefile, read together with DIR/ptbench.mk, which this script writes:

    make -f Makefile -f DIR/ptbench.mk kernel/kernel fs.img

ptbench.mk adds the two programs to UPROGS, so the tree's own mkfs puts
them in its file system image, and prints make variables (QEMUOPTS with
CPUS=1: the tree's own QEMU options). When the build fails on a warning
made an error (gcc 12 rejects some 2020 trees), it is run again with
PTBENCH_RELAX=1, which adds -Wno-error to CFLAGS; the sources stay as
they are, and the description records it.

Env PTBENCH_SANDBOX: a command every make of the tree runs under (make
class sets it to tools/sandbox.sh: unprivileged, no network, limits).

Reads:  PATH; the programs' directory (--programs); the tree's Makefile.
Writes: DIR/src (the copy and its build), DIR/ptbench.mk, DIR/build.log
        (make's output), DIR/tree.json (what the runs need: kernel, image,
        QEMU options; and what the meta files record: source, digest,
        build). On any failure DIR/tree.json is left absent.
Exit:   0 when built; 1 with a message on stderr when PATH is not an
        xv6-riscv tree or does not build (its last lines shown); 2 on
        bad usage.
"""
import argparse
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tarfile

PROGRAMS = ["xv6bench", "benchnop"]
# What makes a directory an xv6-riscv tree.
TREE_FILES = ["kernel/main.c", "kernel/proc.c", "kernel/vm.c", "kernel/riscv.h",
              "kernel/kernel.ld", "user/init.c", "user/sh.c", "mkfs/mkfs.c"]
MAKEFILES = ["GNUmakefile", "makefile", "Makefile"]
TAIL_LINES = 25
BUILD_TIMEOUT = 600

EXTRA_MK = """\
# Written by ptbench's tools/xv6tree.py; read after the tree's own Makefile
# (make -f Makefile -f .../ptbench.mk). The tree's sources are not edited.
UPROGS += {progs}
fs.img: {progs}
ifdef PTBENCH_RELAX
CFLAGS += -Wno-error
endif
ptbench-print-%:
\t@echo '$($*)'
"""


class TreeError(Exception):
    """The tree cannot be used; the message says why."""


def find_root(top):
    """The directory under top holding the tree (top itself, or its one
    subdirectory when that is all there is)."""
    entries = [e for e in os.listdir(top) if not e.startswith(".")]
    if not is_tree(top) and len(entries) == 1 and os.path.isdir(os.path.join(top, entries[0])):
        return os.path.join(top, entries[0])
    return top


def is_tree(d):
    return (all(os.path.isfile(os.path.join(d, f)) for f in TREE_FILES)
            and makefile_of(d) is not None)


def makefile_of(d):
    return next((m for m in MAKEFILES if os.path.isfile(os.path.join(d, m))), None)


def unpack(path, dest):
    """Extract the tarball path into dest, refusing members that would land
    outside it (absolute paths, .., links) and device files."""
    try:
        with tarfile.open(path) as tar:
            for m in tar.getmembers():
                target = os.path.realpath(os.path.join(dest, m.name))
                if not target.startswith(os.path.realpath(dest) + os.sep) and \
                        target != os.path.realpath(dest):
                    raise TreeError("%s: member %r would land outside the copy" % (path, m.name))
                if m.isdev() or (m.issym() or m.islnk()) and os.path.isabs(m.linkname):
                    raise TreeError("%s: member %r is a device or an absolute link"
                                    % (path, m.name))
            tar.extractall(dest)
    except (tarfile.TarError, EOFError, OSError) as e:
        raise TreeError("%s: cannot unpack: %s" % (path, e))


def not_a_tree(path, root_files, has):
    missing = [f for f in TREE_FILES if f not in root_files]
    if not has:
        missing.insert(0, "Makefile")
    return TreeError("%s is not an xv6-riscv tree: no %s (an xv6-riscv tree has a Makefile, "
                     "kernel/, user/ and mkfs/mkfs.c)" % (path, ", ".join(missing)))


def check(path):
    """Raise TreeError unless path is an xv6-riscv tree or a tarball of one,
    without copying it."""
    if os.path.isdir(path):
        root = find_root(path)
        if not is_tree(root):
            files = [f for f in TREE_FILES if os.path.isfile(os.path.join(root, f))]
            raise not_a_tree(path, files, makefile_of(root) is not None)
        return
    if not os.path.isfile(path):
        raise TreeError("%s: no such file or directory" % path)
    if not tarfile.is_tarfile(path):
        raise TreeError("%s is neither a directory nor a tarball of an xv6 tree" % path)
    try:
        with tarfile.open(path) as tar:
            names = [os.path.normpath(m.name) for m in tar.getmembers() if m.isfile()]
    except (tarfile.TarError, EOFError, OSError) as e:
        raise TreeError("%s: cannot read: %s" % (path, e))
    tops = {n.split(os.sep)[0] for n in names}
    prefix = tops.pop() + os.sep if len(tops) == 1 and not any(
        n in TREE_FILES + MAKEFILES for n in names) else ""
    inside = {n[len(prefix):] for n in names if n.startswith(prefix)}
    if not all(f in inside for f in TREE_FILES) or not any(m in inside for m in MAKEFILES):
        raise not_a_tree(path, [f for f in TREE_FILES if f in inside],
                         any(m in inside for m in MAKEFILES))


def copy_source(path, dest):
    """dest/src holds the copy of path (a directory or a tarball); returns the
    tree's root inside it. Raises TreeError."""
    src = os.path.join(dest, "src")
    if os.path.isdir(path):
        shutil.copytree(path, src, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    elif os.path.isfile(path):
        if not tarfile.is_tarfile(path):
            raise TreeError("%s is neither a directory nor a tarball of an xv6 tree" % path)
        os.makedirs(src)
        unpack(path, src)
    else:
        raise TreeError("%s: no such file or directory" % path)
    root = find_root(src)
    if not is_tree(root):
        files = [f for f in TREE_FILES if os.path.isfile(os.path.join(root, f))]
        raise not_a_tree(path, files, makefile_of(root) is not None)
    return root


def digest(path):
    """sha256 of a tarball's bytes, or of a directory's files (names and
    contents, sorted, .git left out): what identifies the measured tree."""
    h = hashlib.sha256()
    if os.path.isfile(path):
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 16), b""):
                h.update(block)
        return h.hexdigest()
    for d, dirs, files in sorted(os.walk(path)):
        dirs[:] = sorted(x for x in dirs if x != ".git")
        for name in sorted(files):
            p = os.path.join(d, name)
            h.update(os.path.relpath(p, path).encode() + b"\0")
            if os.path.isfile(p) and not os.path.islink(p):
                with open(p, "rb") as f:
                    h.update(f.read())
    return h.hexdigest()


def git_commit(path):
    """The commit of a tree that is a git checkout, else None."""
    if not os.path.isdir(os.path.join(path, ".git")):
        return None
    r = subprocess.run(["git", "-C", path, "rev-parse", "HEAD"], capture_output=True, text=True)
    return r.stdout.strip() or None


def make_env(work):
    """make's environment: git must not find ptbench's own repository above
    the copy (2020 Makefiles run git at parse time)."""
    env = dict(os.environ)
    env["GIT_CEILING_DIRECTORIES"] = os.path.abspath(work)
    for var in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "CFLAGS", "LDFLAGS"):
        env.pop(var, None)
    return env


def make(root, work, args, log=None):
    """Run the tree's make with ptbench.mk; returns (status, output). With env
    PTBENCH_SANDBOX (a command, e.g. tools/sandbox.sh) it runs inside that
    sandbox, work its only writable directory."""
    argv = ["make", "-f", makefile_of(root), "-f", os.path.join(work, "ptbench.mk")] + args
    sandbox = os.environ.get("PTBENCH_SANDBOX")
    if sandbox:
        argv = shlex.split(sandbox) + ["--rw", work, "--chdir", root, "--"] + argv
    try:
        r = subprocess.run(argv, cwd=root, env=make_env(work), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           errors="replace", timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        return 124, "make did not finish within %d s\n" % BUILD_TIMEOUT
    if log is not None:
        log.write("$ " + " ".join(shlex.quote(a) for a in argv) + "\n" + r.stdout)
    return r.returncode, r.stdout


def build(root, work):
    """Build kernel/kernel and fs.img; returns whether -Wno-error was needed.
    Raises TreeError with the build's last lines."""
    targets = ["-j2", "kernel/kernel", "fs.img"]
    with open(os.path.join(work, "build.log"), "w") as log:
        status, out = make(root, work, targets, log)
        relaxed = False
        if status != 0 and ("[-Werror" in out or "warnings being treated as errors" in out):
            relaxed = True
            log.write("\n# failed on a warning made an error: again with -Wno-error\n")
            status, out = make(root, work, targets + ["PTBENCH_RELAX=1"], log)
    if status != 0:
        tail = "\n".join(out.rstrip("\n").splitlines()[-TAIL_LINES:])
        raise TreeError("the tree does not build (make kernel/kernel fs.img exited %d%s); "
                        "its last lines (all in %s):\n%s"
                        % (status, ", with -Wno-error too" if relaxed else "",
                           os.path.join(work, "build.log"), tail))
    for f in ("kernel/kernel", "fs.img"):
        if not os.path.isfile(os.path.join(root, f)):
            raise TreeError("the build succeeded but made no %s" % f)
    return relaxed


def make_var(root, work, name, extra=()):
    status, out = make(root, work, ["-s", "ptbench-print-" + name] + list(extra))
    if status != 0:
        raise TreeError("cannot read %s from the tree's Makefile:\n%s" % (name, out[-2000:]))
    return out.strip().splitlines()[-1] if out.strip() else ""


def qemu_args(root, work):
    """The tree's QEMUOPTS for one hart, without -nographic and debugger
    options (the runs add their own console). Raises TreeError."""
    opts = shlex.split(make_var(root, work, "QEMUOPTS", ["CPUS=1"]))
    if "-kernel" not in opts:
        raise TreeError("the tree's QEMUOPTS has no -kernel: %s" % " ".join(opts))
    out, skip = [], 0
    for i, a in enumerate(opts):
        if skip:
            skip -= 1
            continue
        if a in ("-nographic", "-S", "-s"):
            continue
        if a in ("-gdb", "-serial", "-monitor", "-display"):
            skip = 1
            continue
        if a == "-smp":
            out += ["-smp", "1"]
            skip = 1
            continue
        out.append(a)
    return out


def prepare(path, work, programs):
    """Copy, check and build path into work; returns the description."""
    work = os.path.abspath(work)
    if os.path.exists(work):
        shutil.rmtree(work)
    os.makedirs(work)
    root = copy_source(path, work)
    for p in PROGRAMS:
        src = os.path.join(programs, p)
        if not os.path.isfile(src):
            raise TreeError("workload program %s not built (make CONFIG=... builds it)" % src)
        shutil.copyfile(src, os.path.join(root, "user", "_" + p))
    progs = " ".join("user/_" + p for p in PROGRAMS)
    with open(os.path.join(work, "ptbench.mk"), "w") as f:
        f.write(EXTRA_MK.format(progs=progs))
    relaxed = build(root, work)
    cflags = make_var(root, work, "CFLAGS", ["PTBENCH_RELAX=1"] if relaxed else [])
    return {
        "source": os.path.abspath(path),
        "source_kind": "directory" if os.path.isdir(path) else "tarball",
        "sha256": digest(path),
        "git_commit": git_commit(path),
        "root": os.path.abspath(root),
        "kernel": os.path.abspath(os.path.join(root, "kernel", "kernel")),
        "fs_img": os.path.abspath(os.path.join(root, "fs.img")),
        "qemu_args": qemu_args(root, work),
        "build": "make -f %s -f ptbench.mk kernel/kernel fs.img%s"
                 % (makefile_of(root), " PTBENCH_RELAX=1" if relaxed else ""),
        "warnings_relaxed": relaxed,
        "cflags": cflags,
    }


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tree", required=True)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--work")
    ap.add_argument("--programs")
    a = ap.parse_args(argv)
    if not a.check and not (a.work and a.programs):
        ap.error("--work and --programs are required (or --check)")
    try:
        if a.check:
            check(a.tree)
            return 0
        desc = prepare(a.tree, a.work, a.programs)
    except TreeError as e:
        print("xv6tree: %s" % e, file=sys.stderr)
        return 1
    tmp = os.path.join(a.work, "tree.json.tmp")
    with open(tmp, "w") as f:
        json.dump(desc, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, os.path.join(a.work, "tree.json"))
    print("xv6tree: built %s%s" % (a.tree, " (warnings not errors: -Wno-error)"
                                   if desc["warnings_relaxed"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
