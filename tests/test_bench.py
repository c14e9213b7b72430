"""tests/test_bench.py: `make bench` end to end, quick, into scratch directories.

One design (umap, else perproc, else global: the first one built) is
benchmarked with tools/bench.sh --quick three times: twice plainly into two
scratch results directories, whose CSVs must be identical (issue 4: under
-icount every figure is deterministic), and once under the TLB model
(--tlb rocket), whose joined CSV must exist with witness_ok = 1 on every row.
Then plot/summarize.py, plot/tlb_summary.py and plot/plots.sh run on the
first directory: schema, report and every figure are checked. results/ is
never touched. About 10 seconds.

Reads:  build/<design>/kernel (tools/test.sh builds them before the host
        tests; none built: skipped), tools/, plot/.
Writes: temporary directories; tools/bench.sh's make may rebuild the kernel
        and build/tlbsim/.
"""

# host-test-seconds: 11 (about this long in make test here; tools/test.sh runs the heaviest first)
import csv
import glob
import json
import os
import shutil
import sys
import unittest

from toolhelp import ROOT, TempDir, run, tested_configs, tool

PRESET = "rocket"
# The fixed first columns of results/<config>.csv.
LEADING = ["config", "bench", "param", "param_unit", "sample", "iters", "cycles",
           "instret"]

sys.path.insert(0, os.path.join(ROOT, "plot"))
import benches  # noqa: E402  (the registry's sweep figures)
import shoot  # noqa: E402  (the multi-hart figures, not drawn from a 1-hart run)
import ptresults as summarize  # noqa: E402  (REQUIRED columns and BENCHES, for the schema)


def built_design():
    """The last config under test (its kernel must be built)."""
    return tested_configs()[-1]


def bench(*args):
    return run([tool("bench.sh"), "--quick"] + list(args), timeout=600)


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@unittest.skipUnless(shutil.which("qemu-system-riscv64"), "QEMU not installed")
class QuickBenchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.design = built_design()
        kernel = os.path.join(ROOT, "build", cls.design, "kernel")
        if not os.path.exists(kernel):
            raise AssertionError("config under test %s has no kernel: %s" % (cls.design, kernel))
        cls.tmp = TempDir()
        cls.a = os.path.join(cls.tmp.path, "a")
        cls.b = os.path.join(cls.tmp.path, "b")
        cls.runs = {"a": bench("--results", cls.a, cls.design),
                    "b": bench("--results", cls.b, cls.design),
                    "tlb": bench("--tlb", PRESET, "--results", cls.a, cls.design)}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def ran(self, name):
        r = self.runs[name]
        self.assertEqual(r.returncode, 0, "bench.sh (%s) failed:\n%s%s"
                         % (name, r.stdout[-3000:], r.stderr[-3000:]))

    def plain(self, where):
        return os.path.join(where, self.design + ".csv")

    def test_two_quick_runs_identical(self):
        self.ran("a")
        self.ran("b")
        rows_a, rows_b = read_rows(self.plain(self.a)), read_rows(self.plain(self.b))
        self.assertEqual([r["cycles"] for r in rows_a], [r["cycles"] for r in rows_b])
        with open(self.plain(self.a), encoding="utf-8") as fa, \
                open(self.plain(self.b), encoding="utf-8") as fb:
            self.assertEqual(fa.read(), fb.read())

    def test_schema_and_meta(self):
        self.ran("a")
        rows = read_rows(self.plain(self.a))
        header = list(rows[0].keys())
        self.assertEqual(header[:len(LEADING)], LEADING)
        self.assertEqual([c for c in summarize.REQUIRED if c not in header], [])
        self.assertEqual({r["config"] for r in rows}, {self.design})
        # Every 1-hart benchmark; the multi-hart families (min_harts) run
        # only with --cpus, into smp/.
        one_hart = {b for b in summarize.BENCHES if benches.one_hart(b)}
        self.assertEqual(one_hart - {r["bench"] for r in rows}, set())
        self.assertEqual({r["bench"] for r in rows} - one_hart, set())
        for r in rows:
            self.assertEqual(int(r["cycles"]), int(r["instret"]))  # icount: one per insn
        with open(os.path.join(self.a, self.design + ".meta.json"), encoding="utf-8") as f:
            meta = json.load(f)
        self.assertTrue(meta["quick"])
        self.assertIn("-icount shift=0,sleep=off", meta["qemu_flags"])
        self.assertNotEqual(meta["commit"], "unknown")
        self.assertEqual(meta["traits"]["config"], self.design)
        self.assertIn("desc", meta["traits"])
        self.assertEqual(header[-3:], ["design", "asid", "megapages"])
        self.assertEqual({(r["design"], r["asid"], r["megapages"]) for r in rows},
                         {(meta["traits"]["design"], meta["traits"]["asid"],
                           meta["traits"]["megapages"])})

    def test_tlb_witnesses_agree(self):
        self.ran("tlb")
        path = os.path.join(self.a, "tlb", "%s-%s.csv" % (self.design, PRESET))
        rows = read_rows(path)
        self.assertTrue(rows, path)
        self.assertEqual([r for r in rows if r["witness_ok"] != "1"], [])
        self.assertEqual({r["preset"] for r in rows}, {PRESET})
        for r in rows:
            if r["idled"] == "0":
                self.assertEqual(r["tlb_insns"], r["instret"], r)
        with open(path[:-len(".csv")] + ".meta.json", encoding="utf-8") as f:
            self.assertEqual(json.load(f)["tlbsim"]["preset"], PRESET)

    def test_unknown_preset_refused(self):
        r = run([tool("bench.sh"), "--quick", "--tlb", "k7", "--results",
                 os.path.join(self.tmp.path, "k7"), self.design], timeout=300)
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown TLB preset 'k7'; presets are u54 rocket rocket-l2 c906", r.stderr)

    @unittest.skipUnless(shutil.which("gnuplot"), "gnuplot not installed")
    def test_report_and_plots(self):
        self.ran("a")
        self.ran("tlb")
        for argv in ([sys.executable, os.path.join(ROOT, "plot", "summarize.py")],
                     [sys.executable, os.path.join(ROOT, "plot", "tlb_summary.py")],
                     [sys.executable, os.path.join(ROOT, "plot", "report.py")]):
            r = run(argv + ["--results", self.a])
            self.assertEqual(r.returncode, 0, r.stderr)
        r = run([os.path.join(ROOT, "plot", "plots.sh"), self.a], timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(os.path.join(self.a, "report.md"), encoding="utf-8") as f:
            report = f.read()
        self.assertIn("## TLB model", report)
        self.assertIn("was a quick run", report)
        with open(os.path.join(ROOT, "plot", "class_report.py"), encoding="utf-8") as f:
            class_only = f.read()
        # Every plot/NAME.gp draws NAME but sweep.gp, which draws each sweep
        # figure the registry declares (plot/plots.sh).
        names = [os.path.basename(gp)[:-3] for gp in glob.glob(os.path.join(ROOT, "plot", "*.gp"))]
        names = [n for n in names if n != "sweep"]
        names += [r["figure"]["name"] for r in benches.RECORDS if r.get("figure")]
        for name in sorted(names):
            if name + ".gp" in class_only:
                continue  # the class report's figure (make class), not a bench run's
            if name in ("ratio", "fencesweep"):
                continue  # one config ran: no config to draw against another
            if name in shoot.FIGURES:
                continue  # the multi-hart runs' figures (smp/, make bench CPUS=...)
            for ext in ("svg", "png"):
                path = os.path.join(self.a, "plots", "%s.%s" % (name, ext))
                self.assertTrue(os.path.exists(path) and os.path.getsize(path) > 1000, path)


if __name__ == "__main__":
    unittest.main()
