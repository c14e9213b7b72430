"""tests/test_resultset.py: one run, one result set (issue 21).

A quick run of two configs (one design with two axis variants, getpid only)
into a scratch RESULTS directory that also holds an earlier run's TLB
results and a stray CSV; then a plain run of one config into the same
directory. The directory must then hold exactly that one config's results,
not quick, with no TLB results, and its report must say so. Also: RESULTS
naming a file is refused as "not a directory" by tools/bench.sh and by make
report. results/ is never touched. About a minute (two gates and two runs
of getpid under QEMU).

Reads:  tools/bench.sh, plot/, the kernels it builds. Writes: temporary
        directories.
"""
import glob
import json
import os
import shutil
import signal
import subprocess
import time
import unittest

from toolhelp import ROOT, TempDir, run, tested_designs, tool

PY = "/usr/bin/python3"


class FileRefusedTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.file = self.tmp.file("notadir", "x\n")

    def tearDown(self):
        self.tmp.cleanup()

    def test_bench_refuses_file(self):
        r = run([tool("bench.sh"), "--quick", "--results", self.file, tested_designs()[0]])
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("is not a directory", r.stderr)
        self.assertNotIn("--bench", r.stderr)

    def test_report_refuses_file(self):
        r = run(["make", "-s", "--no-print-directory", "report", "RESULTS=" + self.file])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("is not a directory", r.stderr)


@unittest.skipUnless(shutil.which("qemu-system-riscv64"), "QEMU not installed")
class OneRunOneSetTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir()
        cls.dir = os.path.join(cls.tmp.path, "res")
        design = tested_designs()[0]
        cls.config = design
        # An earlier run's leftovers: TLB results and another config's CSV.
        cls.tmp.file("res/tlb/%s-u54.csv" % design, "stale\n")
        cls.tmp.file("res/stray.csv", "stale\n")
        cls.quick = run([tool("bench.sh"), "--quick", "--bench", "getpid", "--results",
                         cls.dir, design, design + "-asid"], timeout=900)
        cls.plain = run([tool("bench.sh"), "--bench", "getpid", "--results", cls.dir,
                         design], timeout=900)
        cls.report = run([PY, "plot/report.py", "--results", cls.dir])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_runs_ok(self):
        for r in (self.quick, self.plain, self.report):
            self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])

    def test_only_the_last_run(self):
        csvs = sorted(os.path.basename(p) for p in glob.glob(os.path.join(self.dir, "*.csv")))
        self.assertEqual(csvs, [self.config + ".csv"])
        self.assertFalse(os.path.exists(os.path.join(self.dir, "tlb")))
        with open(os.path.join(self.dir, self.config + ".meta.json"), encoding="utf-8") as f:
            self.assertFalse(json.load(f)["quick"])

    def test_report_of_that_run(self):
        with open(os.path.join(self.dir, "report.md"), encoding="utf-8") as f:
            text = f.read()
        self.assertNotIn("quick", text.splitlines()[0])
        self.assertIn("- Quick run: no;", text)
        self.assertNotIn("## TLB model", text)
        self.assertNotIn(self.config + "-asid", text)


@unittest.skipUnless(shutil.which("qemu-system-riscv64"), "QEMU not installed")
class InterruptTest(unittest.TestCase):
    """Ctrl-C (SIGINT to the process group) stops the runs and says
    'interrupted' once: no 'FAILED (status 130)', status 130."""

    def test_ctrl_c(self):
        tmp = TempDir()
        try:
            p = subprocess.Popen(
                [tool("bench.sh"), "--quick", "--results", os.path.join(tmp.path, "r")]
                + tested_designs()[:2], cwd=ROOT, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True, start_new_session=True,
                stdin=subprocess.DEVNULL,
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
            time.sleep(3)
            os.killpg(p.pid, signal.SIGINT)
            out, _ = p.communicate(timeout=120)
        finally:
            tmp.cleanup()
        self.assertEqual(p.returncode, 130, out[-2000:])
        self.assertEqual(out.count("interrupted"), 1, out[-2000:])
        self.assertNotIn("FAILED", out)
        self.assertTrue(out.rstrip().endswith("interrupted: no results of this run were "
                                              "completed after it"), out[-500:])


if __name__ == "__main__":
    unittest.main()
