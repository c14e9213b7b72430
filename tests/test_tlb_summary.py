"""tests/test_tlb_summary.py: plot/tlb_summary.py (the report's TLB section).

Reads:  tests/fixtures/ (the plain results) and tests/fixtures/tlb/: global
        and perproc under the u54 and rocket presets, getpid, write_null 1 and
        4096, fork_exec_wait and pingpong, three samples each (the third with
        one more instruction in 10 operations), plus one idled global-u54
        getpid sample of 9,999.9 instructions per operation; walk 20, l2hit 4.
Writes: temporary directories only.
"""

# host-test-seconds: 17 (about this long in make test here; tools/test.sh runs the heaviest first)
import csv
import os
import shutil
import sys
import unittest

from test_summarize import FixtureCase, prepared, read_text, summarized
from toolhelp import ROOT, run

TLB_SUMMARY = os.path.join(ROOT, "plot", "tlb_summary.py")
PLOTS = os.path.join(ROOT, "plot", "plots.sh")


REPORT = os.path.join(ROOT, "plot", "report.py")


def tlb_summary(results):
    """tlb_summary.py then report.py (which takes the TLB section from it)."""
    p = run([sys.executable, TLB_SUMMARY, "--results", results])
    if p.returncode != 0:
        return p
    return run([sys.executable, REPORT, "--results", results])


def plain_summarized(path):
    """The fixtures summarized as if there were no TLB data: what report.py
    writes without it, in report.md."""
    tlb, aside = os.path.join(path, "tlb"), path + "-tlb-aside"
    os.rename(tlb, aside)
    try:
        summarized(path)
    finally:
        os.rename(aside, tlb)


def tlb_summarized(path):
    """tlb_summary.py (and report.py) run on the plain summarized fixtures."""
    p = tlb_summary(path)
    if p.returncode != 0:
        raise AssertionError("tlb_summary.py or report.py failed on the fixtures:\n" + p.stderr)


class TlbCase(FixtureCase):
    """A copy of tests/fixtures, summarized by summarize.py without its TLB
    data (self.plain, the plain report); tlb_ok() runs tlb_summary.py."""

    @classmethod
    def source(cls):
        return prepared("tlb-plain", plain_summarized)

    def setUp(self):
        super().setUp()
        self.plain = read_text(os.path.join(prepared("tlb-plain", plain_summarized),
                                            "report.md"))

    def report_path(self):
        return os.path.join(self.dir, "report.md")

    def tlb_ok(self):
        p = tlb_summary(self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        return read_text(self.report_path())

    def summary(self):
        """{(config, preset, bench, param): row} of tlb/summary.csv."""
        with open(os.path.join(self.dir, "tlb", "summary.csv"), encoding="utf-8") as f:
            return {(r["config"], r["preset"], r["bench"], r["param"]): r
                    for r in csv.DictReader(f)}


class TlbSummaryTest(TlbCase):
    def test_medians_and_ratios(self):
        self.tlb_ok()
        s = self.summary()
        self.assertEqual(len(s), 20)
        row = s[("global", "u54", "getpid", "0")]  # the idled sample left out
        self.assertEqual((row["n"], row["insns_per_op"], row["tlb_misses_per_op"],
                          row["est_cycles_per_op"], row["est_ratio"], row["refill_share"]),
                         ("3", "200.000", "15.000", "500.000", "2.5000", "0.6000"))
        row = s[("global", "rocket", "pingpong", "1")]  # 10 L2 hits at 4, 110 walks at 20
        self.assertEqual((row["l2_hits_per_op"], row["walks_per_op"],
                          row["refill_cycles_per_op"], row["est_cycles_per_op"]),
                         ("10.000", "110.000", "2240.000", "6240.000"))
        row = s[("perproc", "u54", "fork_exec_wait", "0")]
        self.assertEqual((row["itlb_miss_kernel_per_op"], row["dtlb_miss_kernel_per_op"],
                          row["sfences_per_op"], row["est_ratio"]),
                         ("42.000", "228.000", "12.000", "1.0509"))

    def test_rows_ordered_and_output_deterministic(self):
        self.tlb_ok()
        with open(os.path.join(self.dir, "tlb", "summary.csv"), encoding="utf-8") as f:
            first = f.read()
        keys = [tuple(l.split(",")[:4]) for l in first.splitlines()[1:]]
        self.assertEqual(keys[:3], [("global", "u54", "getpid", "0"),
                                    ("global", "u54", "write_null", "1"),
                                    ("global", "u54", "write_null", "4096")])
        self.assertEqual(keys[5][:2], ("global", "rocket"))
        report = self.tlb_ok()
        with open(os.path.join(self.dir, "tlb", "summary.csv"), encoding="utf-8") as f:
            self.assertEqual(f.read(), first)
        self.assertEqual(report.count("## TLB model"), 1)  # replaced, not appended


class TlbReportTest(TlbCase):
    """A copy of the fixtures after tlb_summary.py (and report.py) ran."""

    @classmethod
    def source(cls):
        return prepared("tlb-summarized", tlb_summarized,
                        base=prepared("tlb-plain", plain_summarized))

    def setUp(self):
        super().setUp()
        self.report = read_text(self.report_path())
        self.section = self.report[self.report.index("## TLB model"):]

    def test_plain_report_kept_and_section_last(self):
        # The detail of the plain report is kept whole, the TLB section follows it;
        # only the summary gains the model's estimated cycles.
        detail = self.plain[self.plain.index("# Detail"):].rstrip("\n")
        self.assertIn(detail + "\n\n## TLB model\n", self.report)
        summary = self.report[:self.report.index("# Detail")]
        self.assertIn("(est. cycles)", summary)
        self.assertNotIn("(est. cycles)", self.plain)
        # What the runs measured, from their own meta files.
        self.assertRegex(self.section, r"These runs measured (every benchmark|[a-z_:0-9, ]+)\.")

    def test_model_stated(self):
        for text in ["keyed by virtual page", "least-recently-used",
                     "`sfence.vma` acts by its operands",
                     "Data caches: every PTE read past the PTE cache", "page size", "ASID and global bit", "A and D bits",
                     "Speculative and wrong-path",
                     "| rocket | Rocket, default configuration (no ASIDs, no L2) | 32, fully associative | "
                     "32, fully associative | 512, direct mapped | 20 | 4 |",
                     "| u54 | SiFive U54 (no ASIDs) | 32, fully associative | 32, fully associative "
                     "| none | 20 | 4 | none | 0 | 0 |",
                     "walk = 20 cycles, l2hit = 4 cycles, sfence.vma = 0 cycles",
                     "60 samples used; idled samples left out: 1."]:
            self.assertIn(text, self.section)
        self.assertNotIn("Svinval", self.section)  # no run used it

    def test_tables_hold_computed_medians(self):
        for text in [
                "| global | u54 | 200 | 2 | 4 | 1 | 8 | 0 | 500 | 2.50 | 60.0% |",
                "| perproc | rocket | 210 | 2 | 5 | 1 | 7 | 0 | 510 | 2.43 | 58.8% |",
                "| global | rocket | 1,900 | 2 | 8 | 2 | 13 | 1 | 2,384 | 1.25 | 20.3% |",
                "| perproc | rocket | 110,000 | 7 | 42 | 3 | 228 | 18 | 115,312 | 1.05 | 4.6% |",
                "| global | rocket | 4,000 | 8 | 28 | 4 | 80 | 10 | 6,240 | 1.56 | 35.9% |"]:
            self.assertIn(text, self.section)
        self.assertIn("#### write_null 4096", self.section)
        self.assertNotIn("write_null 1\n", self.section)  # only the operations shown

    def test_findings_computed(self):
        for text in [
                "On u54 and rocket, TLB refill is 60.0% of getpid's estimated cost in "
                "global (15 misses after 2 sfence.vma per operation: 300 of 500 cycles) "
                "and 58.8% in perproc",
                "On rocket, TLB refill is 35.9% of pingpong's estimated cost in global "
                "(120 misses after 8 sfence.vma per operation: 2,240 of 6,240 cycles)",
                "On u54 and rocket, perproc's 4 more sfence.vma per pingpong operation "
                "than global come with +28 TLB misses: +560 refill cycles, against +100 "
                "instructions.",
                "On u54, pingpong against global: perproc +2.5% in instructions and "
                "+10.3% in estimated cycles.",
                "On rocket, the L2 TLB serves 0.0% of getpid's, 4.0% of write_null 4096's, "
                "7.3% of fork_exec_wait's and 7.5% of pingpong's L1 TLB misses"]:
            self.assertIn(text, self.section)
        self.assertNotIn("On u54, the L2 TLB", self.section)  # u54 has none
        for placeholder in ("{", "}", "None", "nan", "-0.0%"):
            self.assertNotIn(placeholder, self.section)

    def test_plot_data(self):
        with open(os.path.join(self.dir, "plots", "data", "tlb.dat"), encoding="utf-8") as f:
            blocks = f.read().split("\n\n\n")
        self.assertEqual(blocks[0].splitlines()[:2], [
            "operation instructions u54 rocket",
            '"getpid/global" 200.000 500.000 500.000'])
        self.assertIn('"pingpong/perproc" 1.722 1.683', blocks[1])


class TlbAbsentTest(TlbCase):
    def test_no_data_no_section(self):
        shutil.rmtree(os.path.join(self.dir, "tlb"))
        p = tlb_summary(self.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(read_text(self.report_path()), self.plain)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "plots", "data", "tlb.dat")))

    def test_section_and_outputs_removed_when_data_goes(self):
        self.tlb_ok()
        for name in os.listdir(os.path.join(self.dir, "tlb")):
            if name != "summary.csv":
                os.remove(os.path.join(self.dir, "tlb", name))
        self.assertEqual(tlb_summary(self.dir).returncode, 0)
        self.assertEqual(read_text(self.report_path()), self.plain)
        self.assertEqual(os.listdir(os.path.join(self.dir, "tlb")), [])

    def test_missing_meta_said(self):
        os.remove(os.path.join(self.dir, "tlb", "perproc-u54.meta.json"))
        report = self.tlb_ok()
        self.assertIn("Not recorded for perproc-u54.", report)

    def test_other_commit_than_plain_said(self):
        self.assertNotIn("The plain results above", self.tlb_ok())
        for name in os.listdir(os.path.join(self.dir, "tlb")):
            if name.endswith(".meta.json"):
                path = os.path.join(self.dir, "tlb", name)
                text = read_text(path).replace('"0123abc"', '"4567def"')
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
        self.assertIn("commit 4567def; 60 samples used", self.tlb_ok())
        self.assertIn("The plain results above are from commit 0123abc", self.tlb_ok())


class TlbInputErrorTest(TlbCase):
    def edit(self, name, old, new):
        path = os.path.join(self.dir, "tlb", name)
        text = read_text(path)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))

    def test_witness_disagreement_refused(self):
        self.edit("perproc-rocket.csv", ",1\n", ",0\n")
        p = tlb_summary(self.dir)
        self.assertEqual(p.returncode, 1)
        self.assertIn("perproc-rocket.csv line 2: witness_ok is not 1", p.stderr)

    def test_missing_column_named(self):
        self.edit("global-u54.csv", "tlb_est_cycles", "est")
        p = tlb_summary(self.dir)
        self.assertEqual(p.returncode, 1)
        self.assertIn("global-u54.csv lacks required column(s): tlb_est_cycles", p.stderr)


@unittest.skipUnless(shutil.which("gnuplot"), "gnuplot not installed")
class TlbPlotTest(TlbCase):
    def test_figure_drawn_and_linked(self):
        report = self.tlb_ok()
        p = run([PLOTS, self.dir], timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        for ext in ("svg", "png"):
            path = os.path.join(self.dir, "plots", "tlb." + ext)
            self.assertTrue(os.path.getsize(path) > 1000, path)
        self.assertIn("[tlb](plots/tlb.svg)", report)

    def test_no_figure_without_data(self):
        shutil.rmtree(os.path.join(self.dir, "tlb"))
        self.assertEqual(tlb_summary(self.dir).returncode, 0)
        p = run([PLOTS, self.dir], timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("skipping tlb", p.stdout)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "plots", "tlb.svg")))



class WalkCostSensitivityTest(unittest.TestCase):
    """The walk-cost table re-prices each result from its walks by depth."""

    def test_repricing_and_sign_changes(self):
        sys.path.insert(0, os.path.join(ROOT, "plot"))
        try:
            import pandas as pd
            import tlb_summary as t
        finally:
            sys.path.pop(0)
        # design b: fewer instructions than global but more PTEs read, so it
        # wins at a cheap walk and loses at a dear one.
        rows = []
        for config, insns, levels in (("global", 300.0, 10.0), ("b", 250.0, 20.0)):
            est = insns + levels * 7
            rows.append({"config": config, "preset": "u54", "bench": "getpid", "param": 0,
                         "est_cycles_per_op": est, "walk_levels_per_op": levels,
                         "insns_per_op": insns})
        look = t.Lookup(pd.DataFrame(rows))
        meta = {(c, "u54"): {"tlbsim": {"walk": "7"}} for c in ("global", "b")}
        self.assertEqual(t.est_at(look, meta, "b", "u54", "getpid", 0, 2.0), 250 + 20 * 14)
        self.assertEqual(t.est_at(look, meta, "b", "u54", "getpid", 0, 0.5), 250 + 20 * 3.5)
        self.assertIsNone(t.est_at(look, {}, "b", "u54", "getpid", 0, 2.0))
        look.shown = lambda: [("getpid", 0, "getpid")]
        look.baseline = lambda c: "global"
        lines = t.sensitivity_lines(look, meta)
        row = [l for l in lines if l.startswith("| getpid")][0]
        # at x0.5: 320 vs 335 (-4.5%); x1: 390 vs 370 (+5.4%); x2: 530 vs 440 (+20.5%)
        self.assertIn("-4.5%", row)
        self.assertIn("+5.4%", row)
        self.assertIn("+20.5%", row)
        self.assertTrue(row.rstrip(" |").endswith("yes"), row)


class SvinvalSentenceTest(unittest.TestCase):
    """The model text names Svinval's costs only when a run used it."""

    def test_said_only_when_counted(self):
        sys.path.insert(0, os.path.join(ROOT, "plot"))
        try:
            import pandas as pd
            import tlb_summary as t
        finally:
            sys.path.pop(0)
        meta = {("global", "u54"): {"tlbsim": {"sinval": "10", "inval_fence": "50"}},
                ("global", "c906"): {"tlbsim": {"sinval": "7", "inval_fence": "50"}}}
        old = pd.DataFrame({"tlb_insns": [100]})  # a plugin from before Svinval
        self.assertEqual(t.svinval_sentence(old, meta), "")
        none = old.assign(tlb_sinvals=0, tlb_inval_fences=0)
        self.assertEqual(t.svinval_sentence(none, meta), "")
        used = old.assign(tlb_sinvals=4, tlb_inval_fences=2)
        text = t.svinval_sentence(used, meta)
        self.assertIn("`sinval` cycles (10 and 7 here)", text)
        self.assertIn("`inval_fence` cycles (50)", text)
        self.assertTrue(text.endswith(". "), text)
        self.assertIn("unrecorded", t.svinval_sentence(used, {}))


if __name__ == "__main__":
    unittest.main()
