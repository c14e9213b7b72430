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
            "cpio": "cpio", "gcc": "gcc", "gdb-multiarch": "gdb-multiarch",
            "bubblewrap": "bwrap",
            "texlive-latex-base": "pdflatex"}
# The tools deps.sh itself runs, kept on the bare PATH.
SHELL_TOOLS = ("sed", "tr", "mkdir", "tee", "sort", "head")
QEMU = ["qemu-system-misc", "qemu-system-riscv"]
TEX = ["texlive-latex-base", "texlive-latex-recommended", "texlive-fonts-recommended",
       "lmodern"]
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

    def fake_system(self, codename):
        """Env entries pointing deps.sh at a fake os-release and apt sources dir."""
        osr = self.tmp.file("os-release", "ID=debian\nVERSION_CODENAME=%s\n" % codename)
        return {"PTBENCH_OS_RELEASE": osr,
                "PTBENCH_APT_SOURCES": os.path.join(self.tmp.path, "sources.list.d")}

    def run_bare(self, codename):
        log = os.path.join(self.tmp.path, "apt.log")
        path = self.bare_path(keep=("cpio",) + SHELL_TOOLS)
        env = {"PATH": path, "APT_LOG": log}
        env.update(self.fake_system(codename))
        r = run(["/bin/bash", DEPS, "--quiet"], env=env)
        with open(log, encoding="utf-8") as f:
            calls = f.read().splitlines()
        return r, calls, env

    def expected(self):
        rest = ["gcc-riscv64-unknown-elf", "gnuplot-nox", "gcc", "gdb-multiarch", "bubblewrap"] + TEX
        if not has_pandas():
            rest.insert(2, "python3-pandas")
        return rest

    @unittest.skipUnless(os.geteuid() == 0 and shutil.which("cpio"), "needs root and cpio")
    def test_installs_exactly_the_missing_packages(self):
        r, calls, env = self.run_bare("bookworm")
        rest = self.expected()
        self.assertIn("missing Debian packages: ", r.stdout)
        for p in rest + QEMU:
            self.assertIn(p, r.stdout.split("missing Debian packages: ")[1].split(";")[0].split())
        # Debian 12: QEMU from bookworm-backports, added as a file of its own.
        self.assertEqual(calls, ["update", "install -y --no-install-recommends " + " ".join(rest),
                                 "install -y --no-install-recommends -t bookworm-backports "
                                 + " ".join(QEMU)])
        src = os.path.join(env["PTBENCH_APT_SOURCES"], "ptbench-backports.sources")
        with open(src, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("Suites: bookworm-backports", text)
        self.assertIn("URIs: http://deb.debian.org/debian", text)
        # The fake apt-get installed nothing, so the check afterwards must fail.
        self.assertEqual(r.returncode, 1)
        self.assertIn("still missing after install: ", r.stderr)
        self.assertIn("qemu-system-riscv", r.stderr)

    @unittest.skipUnless(os.geteuid() == 0 and shutil.which("cpio"), "needs root and cpio")
    def test_debian13_installs_qemu_as_usual(self):
        r, calls, env = self.run_bare("trixie")
        self.assertEqual(calls[-1], "install -y --no-install-recommends " + " ".join(QEMU))
        self.assertFalse(os.path.exists(env["PTBENCH_APT_SOURCES"]))

    @unittest.skipUnless(os.geteuid() == 0 and shutil.which("cpio"), "needs root and cpio")
    def test_old_qemu_counts_as_missing(self):
        path = self.bare_path(keep=("cpio",) + SHELL_TOOLS)
        fake = self.tmp.file("bin/qemu-system-riscv64",
                             "#!/bin/sh\necho 'QEMU emulator version 7.2.19 (Debian 1:7.2+dfsg-7)'\n")
        os.chmod(fake, 0o755)
        env = {"PATH": path, "APT_LOG": os.path.join(self.tmp.path, "apt.log")}
        env.update(self.fake_system("bookworm"))
        r = run(["/bin/bash", DEPS, "--quiet"], env=env)
        self.assertIn("QEMU 7.2.19 is too old: ptbench needs 10.0 or later", r.stdout)
        self.assertIn("qemu-system-riscv", r.stdout)

    @unittest.skipUnless(os.geteuid() == 0, "needs root")
    def test_failed_install_is_reported(self):
        log = os.path.join(self.tmp.path, "apt.log")
        path = self.bare_path()
        env = {"PATH": path, "APT_LOG": log, "APT_FAIL": "1"}
        env.update(self.fake_system("trixie"))
        r = run(["/bin/bash", DEPS], env=env)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("apt-get install failed for: gcc-riscv64-unknown-elf", r.stderr)

    def test_bad_option(self):
        r = run([DEPS, "--loud"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: tools/deps.sh [--quiet]", r.stderr)


if __name__ == "__main__":
    unittest.main()
