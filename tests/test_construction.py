"""tests/test_construction.py: plot/construction.py against its inputs.

Reads:  results/<config>.csv and .meta.json of two designs that differ in
        whether traps switch tables and whether the kernel table is shared
        (found by their traits, not by name), plot/construction.py.
Writes: temporary directories only.

Recomputes one row of the "measured difference vs. by construction" table
from the CSVs with the csv module alone, and checks that a difference far
above what construction explains is flagged.
"""
import csv
import json
import os
import shutil
import statistics
import sys
import unittest

from toolhelp import ROOT, TempDir

sys.path.insert(0, os.path.join(ROOT, "plot"))
import construction  # noqa: E402
import ptresults  # noqa: E402

RESULTS = os.path.join(ROOT, "results")


def traits(config):
    with open(os.path.join(RESULTS, config + ".meta.json")) as f:
        return json.load(f)["traits"]


def plain_configs():
    """The reference design's plain config, and a plain config of another
    design whose traps switch no table (the two the row compares)."""
    ref, other = None, None
    for name in sorted(os.listdir(RESULTS)):
        if not name.endswith(".meta.json"):
            continue
        t = traits(name[:-len(".meta.json")])
        if t.get("asid") != "0" or t.get("megapages") != "0":
            continue
        if t["design"] == ptresults.REFERENCE_DESIGN:
            ref = t["config"]
        elif t.get("trap_switch") == "no":
            other = t["config"]
    return ref, other


def point(config, bench, param):
    """(median instructions per op, median syscalls per op) from the CSV."""
    ops, calls = [], []
    with open(os.path.join(RESULTS, config + ".csv")) as f:
        for r in csv.DictReader(f):
            if r["bench"] == bench and float(r["param"]) == param:
                ops.append(float(r["instret"]) / float(r["iters"]))
                calls.append(float(r["syscalls"]))
    return statistics.median(ops), statistics.median(calls)


class ConstructionTest(unittest.TestCase):
    def setUp(self):
        self.ref, self.other = plain_configs()
        if not (self.ref and self.other):
            self.skipTest("results/ lacks the two plain configs")
        self.tmp = TempDir()
        for c in (self.ref, self.other):
            for ext in (".csv", ".meta.json"):
                shutil.copy(os.path.join(RESULTS, c + ext), self.tmp.path)

    def tearDown(self):
        self.tmp.cleanup()

    def row(self, bench, param):
        samples, meta = ptresults.load(self.tmp.path)
        for r in construction.rows(samples, meta):
            if (r["bench"], r["param"], r["config"]) == (bench, param, self.other):
                return r
        self.fail("no row for %s %s %s" % (bench, param, self.other))

    def test_getpid_row_recomputed(self):
        got, calls = point(self.other, "getpid", 0)
        base, base_calls = point(self.ref, "getpid", 0)
        r = self.row("getpid", 0)
        self.assertEqual(r["base"], self.ref)
        self.assertAlmostEqual(r["measured"], got - base, places=6)
        # The reference design's traps switch tables, the other's do not:
        # construction says the other saves the trampoline's work.
        want = -construction.COSTS["trap_switch"]["0"] * base_calls
        self.assertAlmostEqual(r["construction"], want, places=6)
        excess = (got - base) - want
        self.assertEqual(r["flag"], excess > max(0.1 * abs(want), 30))

    def test_inflated_difference_flagged(self):
        path = os.path.join(self.tmp.path, self.other + ".csv")
        with open(path) as f:
            rows = list(csv.DictReader(f))
            fields = list(rows[0].keys())
        for r in rows:
            if r["bench"] == "getpid":
                r["instret"] = str(int(float(r["instret"])) + 1000 * int(r["iters"]))
        with open(path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields)
            w.writeheader()
            w.writerows(rows)
        self.assertTrue(self.row("getpid", 0)["flag"])

    def test_markdown_table(self):
        samples, meta = ptresults.load(self.tmp.path)
        md, flagged = construction.table(samples, meta)
        self.assertIn("| getpid 0 | %s | %s |" % (self.other, self.ref), md)
        self.assertEqual(flagged, md.count("above construction"))


class FenceTermsTest(unittest.TestCase):
    """The shrink's fences by page, and by ASID, priced from the counters."""

    TRAITS = {"asid": "1", "kernel_table": "shared", "trap_switch": "no"}
    C = construction.COSTS

    def test_pages_and_ranges(self):
        # 16 pages shrunk, fenced by page in two tables (the user table and
        # a mirror): 32 page fences, 2 ranges, each a change to a live
        # address space with ASIDs.
        got = construction.construction(self.TRAITS, {"sfence_addr_asid": 32}, "sbrk", 16)
        self.assertEqual(got, 32 * self.C["page_fence"] + 2 * self.C["page_fence_call"]
                         + 2 * self.C["asid_fence"])
        # Without ASIDs the same fences, no change to mark.
        plain = dict(self.TRAITS, asid="0")
        got = construction.construction(plain, {"sfence_addr": 16}, "sbrk", 16)
        self.assertEqual(got, 16 * self.C["page_fence"] + self.C["page_fence_call"])

    def test_whole_fence_and_exec(self):
        got = construction.construction(self.TRAITS, {"sfence_asid": 1}, "sbrk", 256)
        self.assertEqual(got, self.C["asid_fence"])
        # An exec that frees its old image by page: one range.
        got = construction.construction(self.TRAITS, {"sfence_addr_asid": 28},
                                        "fork_exec_wait", 0)
        self.assertEqual(got, 28 * self.C["page_fence"] + self.C["page_fence_call"]
                         + self.C["asid_fence"] + self.C["asid_new"] * 2)


if __name__ == "__main__":
    unittest.main()
