"""tests/test_summarize.py: plot/summarize.py and plot/plots.sh on small inputs.

Reads:  tests/fixtures/{global,perproc,umap}.csv and .meta.json (three designs,
        every benchmark, three samples per point, one idled global getpid
        sample of 99999 instructions), plot/.
Writes: temporary directories only.
"""

# host-test-seconds: 10 (about this long in make test here; tools/test.sh runs the heaviest first)
import atexit
import csv
import os
import shutil
import sys
import unittest

from toolhelp import ROOT, TempDir, run

sys.path.insert(0, os.path.join(ROOT, "plot"))
import ptresults as summarize_py  # noqa: E402  (BENCHES, the report order)

SUMMARIZE = os.path.join(ROOT, "plot", "summarize.py")
PLOTS = os.path.join(ROOT, "plot", "plots.sh")
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
HEADER = ("config,bench,param,param_unit,sample,iters,cycles,instret,cycles_per_op,"
          "instret_per_op,syscalls,copyin_calls,copyin_bytes,copyinstr_calls,"
          "copyinstr_bytes,copyout_calls,copyout_bytes,walk_steps,satp_writes,"
          "sfences,ctx_switches,idle_entries,interrupts,ptpages_user,ptpages_kproc,"
          "ptpages_kernel,free_pages,idled").split(",")
FIGURES = ["bench_bars", "copyin", "copyinstr", "ctxswitch", "fork", "ptpages",
           "satp_sfence", "sbrk"]


def sample(config, bench, param, cpo, idled=0, unit="none", **counters):
    """One CSV row as a dict: iters 10, counters 0 unless given."""
    row = {c: 0 for c in HEADER}
    row.update(config=config, bench=bench, param=param, param_unit=unit,
               iters=10, cycles=cpo * 10, instret=cpo * 10, cycles_per_op=cpo,
               instret_per_op=cpo, idled=idled)
    row.update(counters)
    return row


def write_csv(path, rows, columns=HEADER):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        for i, row in enumerate(rows):
            w.writerow(dict(row, sample=i))


REPORT = os.path.join(ROOT, "plot", "report.py")


def summarize(results):
    """summarize.py then report.py, as make report runs them: the first
    failure, or report.py's result."""
    p = run([sys.executable, SUMMARIZE, "--results", results])
    if p.returncode != 0:
        return p
    return run([sys.executable, REPORT, "--results", results])


def read_summary(results):
    """{(config, bench, param): row} from results/summary.csv."""
    with open(os.path.join(results, "summary.csv"), encoding="utf-8") as f:
        return {(r["config"], r["bench"], r["param"]): r for r in csv.DictReader(f)}


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


_PREPARED = {}


def prepared(name, make, base=FIXTURES):
    """A copy of base (tests/fixtures, or another prepared copy's path)
    that make(path) has worked on, made once per test process and shared
    by name (a test copies it, never changes it): most tests start from
    summarized fixtures, and each summarize.py or report.py run costs a
    second of CPU."""
    if name not in _PREPARED:
        tmp = TempDir()
        atexit.register(tmp.cleanup)
        path = os.path.join(tmp.path, "results")
        shutil.copytree(base, path)
        make(path)
        _PREPARED[name] = path
    return _PREPARED[name]


def summarized(path):
    """Run summarize.py and report.py in path; raise when either fails."""
    p = summarize(path)
    if p.returncode != 0:
        raise AssertionError("summarize.py or report.py failed on the fixtures:\n" + p.stderr)


class FixtureCase(unittest.TestCase):
    """Each test gets a copy of source() in self.dir: tests/fixtures, or a
    prepared() copy of it."""

    @classmethod
    def source(cls):
        return FIXTURES

    def setUp(self):
        self.tmp = TempDir()
        self.dir = os.path.join(self.tmp.path, "results")
        shutil.copytree(self.source(), self.dir)

    def tearDown(self):
        self.tmp.cleanup()

    def summarize_ok(self):
        p = summarize(self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p


class SummarizedCase(FixtureCase):
    """Each test gets a copy of the fixtures as summarize.py and report.py
    left them."""

    @classmethod
    def source(cls):
        return prepared("summarized", summarized)


class SummaryTest(SummarizedCase):
    def test_median_min_max_stdev(self):
        row = read_summary(self.dir)[("perproc", "write_null", "4096")]
        # samples 1394, 1397, 1392
        self.assertEqual((row["n"], row["cycles_per_op_median"], row["cycles_per_op_min"],
                          row["cycles_per_op_max"], row["cycles_per_op_stdev"]),
                         ("3", "1394.00", "1392.00", "1397.00", "2.52"))
        self.assertEqual(row["copyin_bytes_median"], "4096.000")

    def test_idled_samples_excluded_and_counted(self):
        row = read_summary(self.dir)[("global", "getpid", "0")]
        self.assertEqual((row["n"], row["cycles_per_op_max"]), ("3", "233.00"))
        report = read_text(os.path.join(self.dir, "report.md"))
        self.assertIn("216 samples used; 1 excluded", report)
        self.assertIn("1 from global getpid", report)
        self.assertNotIn("99,999", report)

    def test_ratio_to_global(self):
        s = read_summary(self.dir)
        self.assertEqual(s[("global", "getpid", "0")]["ratio_to_global"], "1.0000")
        self.assertEqual(s[("perproc", "getpid", "0")]["ratio_to_global"], "1.1304")
        self.assertEqual(s[("umap", "open_missing", "120")]["ratio_to_global"], "0.7297")

    def test_ratio_empty_without_global(self):
        os.remove(os.path.join(self.dir, "global.csv"))
        self.summarize_ok()
        s = read_summary(self.dir)
        self.assertEqual(len(s), 48)
        self.assertEqual({r["ratio_to_global"] for r in s.values()}, {""})

    def test_rows_sorted_numerically_and_output_deterministic(self):
        self.summarize_ok()  # here: the report names its directory
        first = read_text(os.path.join(self.dir, "summary.csv"))
        report = read_text(os.path.join(self.dir, "report.md"))
        self.summarize_ok()
        self.assertEqual(read_text(os.path.join(self.dir, "summary.csv")), first)
        self.assertEqual(read_text(os.path.join(self.dir, "report.md")), report)
        keys = list(read_summary(self.dir))  # in file order
        sizes = [p for c, b, p in keys if (c, b) == ("global", "write_null")]
        self.assertEqual(sizes, ["1", "4095", "4096", "4097", "65536"])
        # configs (reference first), then benchmarks in report order, then param
        order = {b: i for i, b in enumerate(summarize_py.BENCHES)}
        self.assertEqual(keys, sorted(keys, key=lambda k: (k[0] != "global", k[0],
                                                           order[k[1]], int(k[2]))))


class InputErrorTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()

    def tearDown(self):
        self.tmp.cleanup()

    def test_missing_columns_named(self):
        cols = [c for c in HEADER if c not in ("sfences", "idled")]
        write_csv(os.path.join(self.tmp.path, "global.csv"),
                  [sample("global", "getpid", 0, 250)], cols)
        p = summarize(self.tmp.path)
        self.assertEqual(p.returncode, 1)
        self.assertIn("global.csv lacks required column(s): sfences, idled", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp.path, "summary.csv")))

    def test_no_csv(self):
        self.tmp.file("summary.csv", "config\n")  # output of an earlier run: not input
        p = summarize(self.tmp.path)
        self.assertEqual(p.returncode, 1)
        self.assertIn("no result CSV in", p.stderr)

    def test_non_number_named(self):
        write_csv(os.path.join(self.tmp.path, "umap.csv"),
                  [sample("umap", "getpid", 0, 250),
                   dict(sample("umap", "getpid", 0, 250), cycles_per_op="oops")])
        p = summarize(self.tmp.path)
        self.assertEqual(p.returncode, 1)
        self.assertIn("umap.csv line 3: column cycles_per_op is not a number: 'oops'", p.stderr)


class ReportTest(SummarizedCase):
    def setUp(self):
        super().setUp()
        self.report = read_text(os.path.join(self.dir, "report.md"))

    def test_icount_statement_and_meta(self):
        self.assertIn("a cycle is an executed instruction", self.report)
        self.assertIn("TLB misses and page walks cost nothing", self.report)
        self.assertIn("| global | 0123abc | riscv64-unknown-elf-gcc 12.2.0 | "
                      "QEMU emulator version 7.2.0 | `-machine virt", self.report)

    def test_tables_hold_computed_medians(self):
        self.assertIn("| getpid | 230 | 260 (×1.13) | 260 (×1.13) |", self.report)
        self.assertNotIn("| 0 | 230", self.report)  # no "param 0" for a fixed-size benchmark
        self.assertIn("| 65536 | 17,324 | 17,354 (×1.00) | 16,714 (×0.96) |", self.report)
        self.assertIn("| 16384 | 11 + 0 | 11 + 40 | 11 + 51 |", self.report)

    def test_findings_computed(self):
        # Ranked by effect size: umap's 46 page-table pages against global's 3
        # (x15.33) first; getpid's +13.0 % is in the ten, the 0.0 % changes are not.
        found = self.report.split("### Findings")[1].split("# Detail")[0]
        bullets = [l for l in found.splitlines() if l.startswith("- ")]
        self.assertLessEqual(len(bullets), 10)
        self.assertTrue(bullets[0].startswith("- Page-table pages of a 16 KiB process in "
                                              "umap: 46 pages against 3 pages"), bullets[0])
        self.assertIn("- Getpid in perproc: 260 instructions against 230 instructions in "
                      "global at the same axes (+13.0 %).", found)
        self.assertNotIn("0.0 %", found)
        for text in [
                "| perproc | 12 | 12 | 4 |",
                "| umap | 1,354 | 1,354 | 0.25 |",
                "| global | 230 | 17,324 | 90,960 | 250,000 | 12,600 | 7,000 | 3 |"]:
            self.assertIn(text, self.report)
        for placeholder in ("{", "}", "None", "nan", "TODO", "XXX"):
            self.assertNotIn(placeholder, self.report)

    def test_targets(self):
        self.assertIn("| getpid round trip | umap | 260 | ≤ 180 | instructions | missed |",
                      self.report)
        self.assertIn("| copyin of 64 KiB (write_null), per byte | global | 0.264 | ≤ 0.5 |",
                      self.report)
        self.assertIn("| fork+exit+wait, smallest process | global | 90,960 | ≤ 120,000 |",
                      self.report)
        # by traits: perproc and umap have a private-root kernel table
        self.assertIn("| fork+exit+wait, smallest process | umap | 321,152 | ≤ 400,000 |",
                      self.report)
        self.assertIn("24 of 27 met", self.report)  # the three getpid targets missed

    def test_missed_target_and_unknown_names(self):
        tmp = TempDir()
        self.addCleanup(tmp.cleanup)
        write_csv(os.path.join(tmp.path, "alt.csv"),
                  [sample("alt", "getpid", 0, v) for v in (400, 410, 390)]
                  + [sample("alt", "newbench", 5, 77, unit="widgets")])
        p = summarize(tmp.path)
        self.assertEqual(p.returncode, 0, p.stderr)
        report = read_text(os.path.join(tmp.path, "report.md"))
        self.assertIn("| getpid round trip | alt | 400 | ≤ 180 | instructions | missed |",
                      report)
        self.assertIn("0 of 1 met", report)
        self.assertIn("### newbench", report)
        self.assertIn("| param (widgets) | alt |", report)
        self.assertIn("alt has no alt.meta.json", report)
        self.assertNotIn("write satp", report)  # no pingpong data, no such finding


@unittest.skipUnless(shutil.which("gnuplot"), "gnuplot not installed")
class PlotsTest(SummarizedCase):
    def test_all_figures_drawn(self):
        p = run([PLOTS, self.dir], timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        for name in FIGURES:
            for ext in ("svg", "png"):
                path = os.path.join(self.dir, "plots", "%s.%s" % (name, ext))
                self.assertTrue(os.path.getsize(path) > 1000, path)
            with open(os.path.join(self.dir, "plots", name + ".png"), "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
            self.assertIn("<svg", read_text(os.path.join(self.dir, "plots", name + ".svg")))
        report = read_text(os.path.join(self.dir, "report.md"))
        self.assertIn("[copyin](plots/copyin.svg)", report)

    def test_missing_benchmarks_skipped(self):
        tmp = TempDir()
        self.addCleanup(tmp.cleanup)
        write_csv(os.path.join(tmp.path, "perproc.csv"),
                  [sample("perproc", "getpid", 0, v, satp_writes=2, sfences=2)
                   for v in (250, 251)])
        os.makedirs(os.path.join(tmp.path, "plots"))
        tmp.file("plots/copyin.svg", "stale")
        self.assertEqual(summarize(tmp.path).returncode, 0)
        p = run([PLOTS, tmp.path], timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("skipping copyin", p.stdout)
        drawn = sorted(os.listdir(os.path.join(tmp.path, "plots")))
        self.assertEqual(drawn, ["bench_bars.png", "bench_bars.svg", "data",
                                 "satp_sfence.png", "satp_sfence.svg"])
        report = read_text(os.path.join(tmp.path, "report.md"))
        self.assertNotIn("plots/copyin.svg", report)


if __name__ == "__main__":
    unittest.main()
