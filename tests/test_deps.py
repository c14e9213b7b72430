"""tests/test_deps.py: tools/deps.sh, with a fake apt-get on a bare PATH.

Reads:  tools/deps.sh. Writes: temporary files only (never installs anything).
"""
import os
import shutil
import subprocess
import unittest

from toolhelp import TempDir, run, tool

DEPS = tool("deps.sh")
COMMANDS = {"gcc-riscv64-unknown-elf": "riscv64-unknown-elf-gcc",
            "qemu-system-misc": "qemu-system-riscv64", "gnuplot-nox": "gnuplot",
            "cpio": "cpio", "gcc": "gcc", "gdb-multiarch": "gdb-multiarch"}
FAKE_APT = """#!/bin/sh
echo "$*" >> "$APT_LOG"
[ "$1" != install ] || [ -z "$APT_FAIL" ] || exit 100
"""


def has_pandas():
    return subprocess.run(["/usr/bin/python3", "-c", "import pandas"],
                          capture_output=True).returncode == 0


class DepsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)

    def bare_path(self, keep=()):
        """A PATH directory with env, a fake apt-get and the commands in keep."""
        bin_dir = os.path.join(self.tmp.path, "bin")
        os.makedirs(bin_dir)
        for name in ("env",) + tuple(keep):
            os.symlink(shutil.which(name), os.path.join(bin_dir, name))
        apt = self.tmp.file("bin/apt-get", FAKE_APT)
        os.chmod(apt, 0o755)
        return bin_dir

    def test_quiet_prints_nothing_when_all_present(self):
        if not all(shutil.which(c) for c in COMMANDS.values()) or not has_pandas():
            self.skipTest("not every dependency is installed here")
        r = run([DEPS, "--quiet"])
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))
        r = run([DEPS])
        self.assertEqual(r.returncode, 0)
        self.assertIn("all dependencies present", r.stdout)

    @unittest.skipUnless(os.geteuid() == 0 and shutil.which("cpio"), "needs root and cpio")
    def test_installs_exactly_the_missing_packages(self):
        log = os.path.join(self.tmp.path, "apt.log")
        path = self.bare_path(keep=["cpio"])
        r = run(["/bin/bash", DEPS, "--quiet"], env={"PATH": path, "APT_LOG": log})
        want = [p for p in COMMANDS if p != "cpio"]
        if not has_pandas():
            want.insert(3, "python3-pandas")
        self.assertIn("missing Debian packages: " + " ".join(want), r.stdout)
        with open(log, encoding="utf-8") as f:
            calls = f.read().splitlines()
        self.assertEqual(calls, ["update", "install -y --no-install-recommends " + " ".join(want)])
        # The fake apt-get installed nothing, so the check afterwards must fail.
        self.assertEqual(r.returncode, 1)
        self.assertIn("still missing after install: " + " ".join(want), r.stderr)

    @unittest.skipUnless(os.geteuid() == 0, "needs root")
    def test_failed_install_is_reported(self):
        log = os.path.join(self.tmp.path, "apt.log")
        path = self.bare_path()
        r = run(["/bin/bash", DEPS], env={"PATH": path, "APT_LOG": log, "APT_FAIL": "1"})
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("apt-get install failed for: gcc-riscv64-unknown-elf", r.stderr)

    def test_bad_option(self):
        r = run([DEPS, "--loud"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: tools/deps.sh [--quiet]", r.stderr)


if __name__ == "__main__":
    unittest.main()
