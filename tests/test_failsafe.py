"""tests/test_failsafe.py: the tools refuse what they must, and say why.

An unknown CONFIG is refused by make with the list of designs; a benchmark log
that is incomplete or reports a failure never replaces good results
(tools/collect.py, the gate `make bench` writes results/ through). The other
refusals have their tests beside their tools: a missing QEMU or kernel, a hung
run and a panic (test_run.py), missing packages (test_deps.py).

Reads:  Makefile (make only parses it: nothing is built), tools/collect.py.
Writes: temporary files only.
"""
import os
import sys
import unittest

from toolhelp import ROOT, TempDir, designs, run, tool

sys.path.insert(0, os.path.join(ROOT, "tools"))
import collect  # noqa: E402

DESIGNS = designs()
GOOD_RESULTS = "config,bench\nglobal,getpid\n"  # what a previous good run left
NKSTATS = len(collect.KSTATS)  # struct kstats' counters, from kernel/kstats.h
HEADER = ("@ptbench config=global design=global asid=0 megapages=0 quick=1 kstats=%d\n"
          % NKSTATS)
# region, empty region, bench, param, unit, sample, iters, cycles, instret,
# idled, then the kernel counters
SAMPLE = "@B,3,1,getpid,0,none,0,100,30000,30000,0," + ",".join(["1"] * NKSTATS) + "\n"


class UnknownConfigTest(unittest.TestCase):
    def test_make_refuses_and_lists_the_designs(self):
        for target in ("kernel", "test", "bench"):
            r = run(["make", "--no-print-directory", "CONFIG=nosuch", target])
            self.assertNotEqual(r.returncode, 0, target)
            self.assertIn("unknown CONFIG 'nosuch'", r.stderr, target)
            for design in DESIGNS:
                self.assertIn(design, r.stderr, target)
            self.assertFalse(os.path.exists(os.path.join(ROOT, "build", "nosuch")))


class CollectGateTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)
        self.out = self.tmp.file("results/global.csv", GOOD_RESULTS)

    def collect(self, log_text):
        log = self.tmp.file("bench.log", log_text)
        return run(["/usr/bin/python3", tool("collect.py"), "--config", "global",
                    "--log", log, "--out", self.out])

    def assert_untouched(self, r, message):
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(message, r.stderr)
        with open(self.out, encoding="utf-8") as f:
            self.assertEqual(f.read(), GOOD_RESULTS)
        self.assertEqual(os.listdir(os.path.dirname(self.out)), ["global.csv"])

    def test_good_log_replaces_results(self):
        r = self.collect(HEADER + SAMPLE + "@end failed=0\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(self.out, encoding="utf-8") as f:
            rows = f.read().splitlines()
        self.assertEqual(len(rows), 2)
        self.assertTrue(rows[1].startswith("global,getpid,0,none,0,100,30000,30000,300,300"))

    def test_log_without_end_is_refused(self):
        r = self.collect(HEADER + SAMPLE)
        self.assert_untouched(r, "no '@end' line: the benchmark did not finish")

    def test_failed_benchmark_is_refused(self):
        r = self.collect(HEADER + SAMPLE + "@end failed=1\n")
        self.assert_untouched(r, "1 benchmark(s) failed")

    def test_broken_sample_or_other_design_is_refused(self):
        r = self.collect(HEADER + SAMPLE[:40] + "\n@end failed=0\n")
        self.assert_untouched(r, "expected %d fields" % (11 + NKSTATS))
        r = self.collect(HEADER.replace("global", "umap") + SAMPLE + "@end failed=0\n")
        self.assert_untouched(r, "log is from config 'umap', not 'global'")

    def test_empty_or_missing_log_is_refused(self):
        r = self.collect("")
        self.assert_untouched(r, "no '@ptbench' header")
        r = run(["/usr/bin/python3", tool("collect.py"), "--config", "global",
                 "--log", os.path.join(self.tmp.path, "nolog"), "--out", self.out])
        self.assert_untouched(r, "collect.py: error:")


if __name__ == "__main__":
    unittest.main()
