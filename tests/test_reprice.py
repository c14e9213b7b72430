"""tests/test_reprice.py: plot/reprice.py (TLB results re-priced over the
cost sweep) and the sweep's one table in plot/benches.py.

Reads:  tests/fixtures/reprice/tlb/: global-u54 and global-asid-u54 from a
        real run (tools/bench.sh --tlb u54 --bench getpid,pingpong, commit
        3795b9a, the plugin's walks by depth), three getpid and three
        pingpong samples each, with their meta (walk 7, l2hit 4); and the
        committed reference's results/tlb/ (every config under every
        preset, priced by the plugin at each preset's own costs).
Writes: nothing.
"""
import csv
import glob
import os
import re
import sys
import unittest

from toolhelp import ROOT

sys.path.insert(0, os.path.join(ROOT, "plot"))
import anchors  # noqa: E402
import reprice  # noqa: E402
import tlb_summary  # noqa: E402
from benches import COST_SWEEP  # noqa: E402

FIXTURE = os.path.join(ROOT, "tests", "fixtures", "reprice")
REFERENCE = os.path.join(ROOT, "results")


def rows(config):
    with open(os.path.join(FIXTURE, "tlb", config + "-u54.csv"), encoding="utf-8") as f:
        return list(csv.DictReader(f))


class Reprice(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.priced = reprice.Priced(FIXTURE)

    def test_recorded_costs_give_the_plugins_estimate(self):
        df = self.priced.df
        est = reprice.price(df, reprice.recorded_costs(df, self.priced.meta))
        self.assertEqual(len(df), 12)
        self.assertTrue((est == df["tlb_est_cycles"]).all())

    def test_reference_reprices_to_the_plugins_estimates(self):
        """Every sample of the committed TLB reference (idled ones too),
        re-priced at the costs its run recorded, gives exactly the
        est_cycles the plugin wrote; and the reference charged fences, satp
        writes and a PTE cache (a plugin of issue 23 wrote it)."""
        paths = tlb_summary.tlb_paths(REFERENCE)
        self.assertTrue(paths, "no committed TLB reference in results/tlb")
        df = tlb_summary.read_samples(paths)
        runs = sorted(set(zip(df["config"], df["preset"])))
        meta = tlb_summary.read_meta(REFERENCE, runs)
        costs = reprice.recorded_costs(df, meta)
        est = reprice.price(df, costs)
        wrong = df[est != df["tlb_est_cycles"]]
        self.assertTrue(wrong.empty, wrong[["config", "preset", "bench", "sample"]].head())
        self.assertGreater(len(df), 100)
        self.assertTrue((costs["fence_all"] > 0).all() and (costs["satp"] > 0).all())
        self.assertGreater(df["tlb_ptc_hits"].sum(), 0)
        # The reference's plugin records Svinval's costs too (an older
        # plugin's runs read as 0, test_svinval_costs_add_per_count).
        self.assertTrue((costs["sinval"] > 0).all() and (costs["inval_fence"] > 0).all())

    def test_fence_and_satp_costs_add_per_count(self):
        df = self.priced.df
        base = reprice.recorded_costs(df, self.priced.meta)
        costs = dict(base, fence_all=500, satp=50)
        extra = reprice.price(df, costs) - reprice.price(df, base)
        want = df["tlb_sfence_all"] * 500 + df["tlb_satp_writes"] * 50
        self.assertTrue((extra == want).all())

    def test_svinval_costs_add_per_count(self):
        """sinval.vma and the inval fences priced per count when the rows
        have them (a plugin that counts Svinval); results without the
        columns price as before."""
        df = self.priced.df
        base = reprice.recorded_costs(df, self.priced.meta)
        costs = dict(base, sinval=10, inval_fence=50)
        self.assertTrue((reprice.price(df, costs) == reprice.price(df, base)).all())
        sv = df.assign(tlb_sinvals=3 * df["iters"], tlb_inval_fences=2)
        extra = reprice.price(sv, costs) - reprice.price(df, base)
        self.assertTrue((extra == 3 * df["iters"] * 10 + 2 * 50).all())

    def test_fence_axis_moves_svinval_costs(self):
        """On the fence axis the inval fences cost the fence value, and
        sinval.vma its run's share of the address-and-ASID fence; a run
        that recorded no Svinval cost keeps none."""
        base = {"fence_addr_asid": 50, "sinval": 10, "inval_fence": 50, "satp": 50}
        v = reprice.cost_vector(base, 500, None, None)
        self.assertEqual((v["inval_fence"], v["sinval"], v["fence_all"], v["satp"]),
                         (500, 100, 500, 50))
        self.assertEqual(reprice.cost_vector(base, None, 1, None)["sinval"], 10)
        old = reprice.cost_vector({"fence_addr_asid": 0, "sinval": 0}, 500, None, None)
        self.assertEqual(old["sinval"], 0)
        per_run = reprice.cost_vector(self.priced.base, 500, None, None)
        self.assertTrue((per_run["sinval"] == 0).all())  # the fixture's plugin: none

    def test_crossover_by_hand(self):
        """pingpong, global-asid against global, on the fence axis at the
        sweep's satp and walk defaults, each run's own (the fixture's plugin
        recorded walk 7 and charged no satp cost): the median sample of each
        (the second: the first of global-asid differs), per operation."""
        defaults = {axis: d for axis, _, d, _ in COST_SWEEP}
        self.assertEqual((defaults["satp"], defaults["walk"]), (None, None))
        satp, walk = 0, 7

        def line(config):
            r = [x for x in rows(config) if x["bench"] == "pingpong"][1]
            n = int(r["iters"])
            fences = sum(int(r["tlb_sfence_" + f]) for f in reprice.FORMS)
            reads = sum(k * int(r["tlb_walks_%d" % k]) for k in (1, 2, 3))
            fixed = (int(r["tlb_insns"]) + int(r["tlb_satp_writes"]) * satp
                     + reads * walk + int(r["tlb_l2_hits"]) * 4) / n
            return fixed, fences / n
        (a0, a1), (b0, b1) = line("global-asid"), line("global")
        by_hand = (a0 - b0) / (b1 - a1)
        got = reprice.crossover(self.priced, ("global-asid", "u54", "pingpong", 1),
                                ("global", "u54", "pingpong", 1))
        self.assertAlmostEqual(got, by_hand, places=6)
        self.assertAlmostEqual(got, 4.5, places=6)

    def test_range_rows(self):
        rows = {(r[0], r[2]): r for r in reprice.range_rows(self.priced)}
        r = rows[("ping-pong round trip", "global-asid vs global")]
        self.assertIn("flips at fence cost 4", r[5])
        self.assertNotEqual(r[4], "whole sweep")

    def test_report_sections(self):
        section = "\n".join(reprice.range_lines(FIXTURE))
        self.assertIn("## Cost sweep", section)
        self.assertIn("| getpid | u54 | global-asid vs global |", section)
        summary = reprice.summary_lines(FIXTURE)
        self.assertLessEqual(len([l for l in summary if l.startswith("- ")]),
                             reprice.MAX_SUMMARY_LINES)
        plaus = "\n".join(anchors.lines(FIXTURE))
        self.assertEqual(plaus.count("docs/anchors.md"), 1)  # cited once
        self.assertIn("not a validation", plaus)
        self.assertNotIn("validated", plaus)
        self.assertIn("perproc getpid on u54", plaus)

    def test_sweep_named_once(self):
        """The sweep's values appear in plot/benches.py's COST_SWEEP only."""
        lists = [", ".join(str(v) for v in vals) for _, vals, _, _ in COST_SWEEP]
        lists += ["/".join(str(v) for v in vals) for _, vals, _, _ in COST_SWEEP]
        files = [p for pat in ("plot/*.py", "plot/*.gp", "plot/*.sh", "Makefile",
                               "tools/*.sh", "tools/*.py")
                 for p in glob.glob(os.path.join(ROOT, pat))]
        for path in files:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            found = [l for l in lists if re.search(re.escape(l), text)]
            if path.endswith(os.path.join("plot", "benches.py")):
                self.assertEqual(len(found), len(COST_SWEEP), path)
            else:
                self.assertEqual(found, [], path)


if __name__ == "__main__":
    unittest.main()
