"""tests/test_newdesign.py: adding a design is one design file and one
config, and nothing else.

In a scratch copy of the repository, a newcomer's design is added as the
README says: kernel/kpt/design_perproc.c copied to design_newbie.c and
configs/perproc.mk to configs/newbie.mk (its source list pointed at the
new file). With no other edit, the new design must build in every axis,
pass usertests, be listed by make and by the host tests' helpers, and
show up in a benchmark run's CSV, summary and report, with sentences
from its traits.

Reads:  the repository (git ls-files). Writes: a temporary directory,
        removed afterwards.
"""

# host-test-seconds: 18 (about this long in make test here; tools/test.sh runs the heaviest first)
import csv
import os
import shutil
import subprocess
import unittest

from toolhelp import ROOT, TempDir, run

NEW = "newbie"
TEMPLATE = "perproc"


def scratch_copy(dest):
    """The tracked files of the repository, copied to dest."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for f in filter(None, files):
        src = os.path.join(ROOT, f)
        if not os.path.isfile(src):
            continue
        os.makedirs(os.path.dirname(os.path.join(dest, f)), exist_ok=True)
        shutil.copy2(src, os.path.join(dest, f))


@unittest.skipUnless(shutil.which("qemu-system-riscv64") and shutil.which("git"),
                     "QEMU or git not installed")
class NewDesignTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir()
        cls.root = os.path.join(cls.tmp.path, "repo")
        scratch_copy(cls.root)
        kpt = os.path.join(cls.root, "kernel", "kpt")
        shutil.copy(os.path.join(kpt, "design_%s.c" % TEMPLATE),
                    os.path.join(kpt, "design_%s.c" % NEW))
        with open(os.path.join(cls.root, "configs", TEMPLATE + ".mk"), encoding="utf-8") as f:
            mk = f.read()
        mk = mk.replace("design_%s.c" % TEMPLATE, "design_%s.c" % NEW)
        with open(os.path.join(cls.root, "configs", NEW + ".mk"), "w", encoding="utf-8") as f:
            f.write(mk)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def make(self, *args, timeout=300):
        r = run(["make", "--no-print-directory"] + list(args), cwd=self.root, timeout=timeout)
        self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
        return r

    def test_listed_with_every_axis(self):
        configs = self.make("-s", "configs").stdout.split()
        for axes in ("", "-asid", "-mega", "-asid-mega"):
            self.assertIn(NEW + axes, configs)
        r = run(["/usr/bin/python3", "-c",
                 "import toolhelp; print(' '.join(toolhelp.designs()))"],
                cwd=os.path.join(self.root, "tests"))
        self.assertIn(NEW, r.stdout.split(), r.stderr)

    def test_builds_and_passes_usertests(self):
        for config in (NEW, NEW + "-asid-mega"):
            with self.subTest(config=config):
                r = self.make("run", "CONFIG=" + config, "CMD=usertests -q", "TIMEOUT=200")
                self.assertIn("usertests: design %s" % config, r.stdout)
                self.assertIn(" 0 failed", r.stdout.replace("\r", ""))

    def test_bench_and_report_include_it(self):
        results = os.path.join(self.tmp.path, "results")
        self.make("bench", "CONFIG=" + NEW, "QUICK=1", "BENCH=getpid,pingpong",
                  "RESULTS=" + results, timeout=600)
        with open(os.path.join(results, NEW + ".csv"), encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual({r["config"] for r in rows}, {NEW})
        self.assertEqual({r["design"] for r in rows}, {NEW})
        self.assertEqual({r["bench"] for r in rows}, {"getpid", "pingpong"})
        with open(os.path.join(results, "report.md"), encoding="utf-8") as f:
            report = f.read()
        self.assertIn(NEW, report)
        # Its explanation comes from its traits (copied from perproc's).
        with open(os.path.join(self.root, "configs", NEW + ".mk"), encoding="utf-8") as f:
            desc = [l.split(":=", 1)[1].strip() for l in f if l.startswith("DESIGN_DESC")][0]
        self.assertIn(desc, report)


if __name__ == "__main__":
    unittest.main()
