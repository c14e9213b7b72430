"""tests/test_collect.py: tools/collect.py joining the TLB model to the samples.

A one-sample ptbench log (10 getpid calls: instret 2000, 20 satp writes and
20 sfence.vma after the empty sample's are subtracted) and a tlbsim report
of three regions (1 a warm-up, 2 the empty sample, 3 the sample) are
collected; the join must subtract region 2 from region 3, and a model whose
counts disagree with the kernel's must make collect.py refuse to write.

The witnesses of the ASID and megapage axes: the plugin's fences by form
against the kernel's counters of those forms, and what the kernel announced
at boot (its "# tlbsim kernel" line: ASID bits, kernel-map leaves) against
what the log says of the kernel ("@kstate" lines); any mismatch, or an
announcement protocol error, refuses the results.

Reads:  tools/collect.py. Writes: temporary files only.
"""
import csv
import os
import sys
import unittest

from toolhelp import TempDir, run, tool

# the 18 first counters (nproc last), then kpt_ptes, the four sfence
# forms, asid_rollovers, the two kernel-map leaf counts and asid_bits
KSTATS = ([10, 0, 0, 0, 0, 0, 0, 0, 20, 20, 0, 0, 0, 0, 0, 0, 0, 1] +
          [0, 20, 0, 0, 0, 0, 33000, 0, 0])
LOG = ("@ptbench config=umap design=umap asid=0 megapages=0 quick=1 kstats=27\n"
       "@B,3,2,getpid,0,none,1,10,2000,2000,%d," + ",".join(map(str, KSTATS)) + "\n"
       "@end failed=0\n")
TLB_HEADER = ("# tlbsim preset=rocket itlb=32 iways=32 dtlb=32 dways=32 l2=512 "
              "l2ways=1 walk=20 l2hit=4 harts=1\n"
              "region,insns,satp_writes,sfence_all,sfence_addr,sfence_asid,"
              "sfence_addr_asid,itlb_miss_user,itlb_miss_kernel,dtlb_miss_user,"
              "dtlb_miss_kernel,l2_hits,est_cycles\n"
              "1,5,0,0,0,0,0,0,0,0,0,0,5\n"
              "2,100,0,0,0,0,0,1,0,0,0,0,120\n")


class CollectTlbTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)

    def collect(self, region3, idled=0):
        log = self.tmp.file("bench.log", LOG % idled)
        tlb = self.tmp.file("tlb.csv", TLB_HEADER + region3 + "\n# tlbsim end regions=3\n")
        self.out = os.path.join(self.tmp.path, "out.csv")
        self.tlb_out = os.path.join(self.tmp.path, "joined.csv")
        return run([sys.executable, tool("collect.py"), "--config", "umap", "--log", log,
                    "--out", self.out, "--tlb", tlb, "--tlb-preset", "rocket",
                    "--tlb-out", self.tlb_out])

    def test_join_subtracts_the_empty_region(self):
        r = self.collect("3,2100,20,20,0,0,0,21,40,10,80,0,5100")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(self.tlb_out, encoding="utf-8") as f:
            (row,) = list(csv.DictReader(f))
        self.assertEqual((row["tlb_insns"], row["tlb_sfences"], row["tlb_itlb_miss_user"],
                          row["tlb_est_cycles"], row["est_cycles_per_op"],
                          row["tlb_miss_per_op"], row["witness_ok"], row["preset"]),
                         ("2000", "20", "20", "4980", "498", "15", "1", "rocket"))

    def test_disagreeing_witnesses_refused(self):
        for region3, what in (("3,2101,20,20,0,0,0,21,40,10,80,0,5101",
                               "model insns 2001 != kernel 2000"),
                              ("3,2100,22,20,0,0,0,21,40,10,80,0,5100",
                               "model satp_writes 22 != kernel 20"),
                              ("3,2100,20,20,1,0,0,21,40,10,80,0,5100",
                               "model sfences 21 != kernel 20")):
            with self.subTest(what=what):
                r = self.collect(region3)
                self.assertEqual(r.returncode, 1)
                self.assertIn("witness mismatch: getpid 0 sample 1: " + what, r.stderr)
                self.assertFalse(os.path.exists(self.out))
                self.assertFalse(os.path.exists(self.tlb_out))

    def test_idled_sample_not_checked(self):
        # Idle time counts in instret but not in the model: no witness then.
        r = self.collect("3,2101,20,20,0,0,0,21,40,10,80,0,5101", idled=1)
        self.assertEqual(r.returncode, 0, r.stderr)


ANNOUNCED = ("# tlbsim kernel hello=1 version=1 asid_bits=16 regions=3 leaves_4k=10 "
             "leaves_2m=64 global_pages=70 announcements=99 satp_announced=20 "
             "fences_announced=0 ptes=0 errors=%d\n")
KSTATE = "@kstate asid_bits=16 kmap_leaves_4k=10 kmap_leaves_2m=%d\n"
REGION3 = "3,2100,20,20,0,0,0,21,40,10,80,0,5100"


class CollectAnnouncedTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)

    def collect(self, kernel_line, kstate):
        log = self.tmp.file("bench.log", LOG.replace("@end", kstate + "@end") % 0)
        tlb = self.tmp.file("tlb.csv", TLB_HEADER + REGION3 + "\n" + kernel_line +
                            "# tlbsim end regions=3\n")
        self.out = os.path.join(self.tmp.path, "out.csv")
        return run([sys.executable, tool("collect.py"), "--config", "umap", "--log", log,
                    "--out", self.out, "--tlb", tlb, "--tlb-preset", "c906",
                    "--tlb-out", os.path.join(self.tmp.path, "joined.csv")])

    def test_agreeing_announcements_accepted(self):
        r = self.collect(ANNOUNCED % 0, KSTATE % 64)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("announced kernel map", r.stdout)

    def test_disagreeing_announcements_refused(self):
        cases = [(ANNOUNCED % 0, KSTATE % 63,
                  "announced leaves_2m 64 != kernel kmap_leaves_2m 63"),
                 (ANNOUNCED % 0, KSTATE.replace("kmap_leaves_4k=10", "kmap_leaves_4k=9") % 64,
                  "announced leaves_4k 10 != kernel kmap_leaves_4k 9"),
                 (ANNOUNCED % 0, "", "kernel states no asid_bits"),
                 (ANNOUNCED % 2, KSTATE % 64, "the plugin saw 2 announcement protocol error(s)"),
                 ("# tlbsim kernel hello=0 errors=0\n", KSTATE % 64,
                  "kernel states asid_bits=16 but announced nothing")]
        for kernel_line, kstate, what in cases:
            with self.subTest(what=what):
                r = self.collect(kernel_line, kstate)
                self.assertEqual(r.returncode, 1)
                self.assertIn("witness mismatch: " + what, r.stderr)
                self.assertFalse(os.path.exists(self.out))

    def test_silent_kernel_without_state_accepted(self):
        r = self.collect("# tlbsim kernel hello=0 errors=0\n", "")
        self.assertEqual(r.returncode, 0, r.stderr)


class CollectFenceKindsTest(unittest.TestCase):
    """Fences by form are witnessed once the kernel counts them."""

    def test_fence_forms_compared(self):
        sys.path.insert(0, os.path.dirname(tool("collect.py")))
        try:
            import collect
        finally:
            sys.path.pop(0)
        tmp = TempDir()
        self.addCleanup(tmp.cleanup)
        tlb = tmp.file("tlb.csv", TLB_HEADER + "3,2100,20,10,0,10,0,21,40,10,80,0,5100\n")
        row = {"config": "umap", "bench": "getpid", "param": 0, "param_unit": "none",
               "sample": 1, "iters": 10, "instret": 2000, "idled": 0, "region": 3,
               "_oregion": 2, "_raw_satp_writes": 20, "_raw_sfences": 20,
               "design": "umap", "asid": "1", "megapages": "0"}
        for asid_fences, ok in ((10, True), (9, False)):
            with self.subTest(kernel_sfence_asid=asid_fences):
                r = dict(row, _raw_sfence_all=10, _raw_sfence_asid=asid_fences)
                _, bad = collect.join_tlb([r], tlb, "c906")
                self.assertEqual(bad == [], ok, bad)
                if not ok:
                    self.assertIn("model sfence_asid 10 != kernel 9", bad[0])


if __name__ == "__main__":
    unittest.main()
