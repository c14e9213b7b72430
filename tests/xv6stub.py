"""tests/xv6stub.py: stub xv6-riscv trees for make class's tests: the files
that make a directory an xv6 tree (tools/xv6tree.py's TREE_FILES), a
kernel/vm.c that differs by variant, and a Makefile whose kernel/kernel
recipe is given (a hostile one, for the sandbox's test).

Reads:  nothing. Writes: the trees and tarballs asked for.
"""
import hashlib
import os
import sys
import tarfile
import tempfile

from toolhelp import ROOT

sys.path.insert(0, os.path.join(ROOT, "tools"))
import xv6tree  # noqa: E402

MAKEFILE = """\
# A stub xv6 Makefile for ptbench's tests.
QEMUOPTS = -machine virt -kernel kernel/kernel
kernel/kernel:
\t{recipe}
fs.img:
\ttouch fs.img
"""


def tree(path, variant, recipe="touch kernel/kernel"):
    """Write a stub tree at path; variant changes kernel/vm.c."""
    for f in xv6tree.TREE_FILES:
        p = os.path.join(path, f)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8") as out:
            out.write("// %s\n" % f + ("int variant = %d;\n" % variant if f == "kernel/vm.c" else ""))
    with open(os.path.join(path, "Makefile"), "w", encoding="utf-8") as out:
        out.write(MAKEFILE.format(recipe=recipe))
    return path


def tarball(path, variant):
    """A tarball of a stub tree under one top directory, xv6-labs-2020/."""
    with tempfile.TemporaryDirectory() as d:
        tree(os.path.join(d, "xv6-labs-2020"), variant)
        with tarfile.open(path, "w:gz") as tar:
            tar.add(os.path.join(d, "xv6-labs-2020"), arcname="xv6-labs-2020")
    return path


def snapshot(path):
    """Every file under path with the sha256 of its content."""
    out = {}
    for d, _, files in os.walk(path):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, path)] = hashlib.sha256(fh.read()).hexdigest()
    return out
