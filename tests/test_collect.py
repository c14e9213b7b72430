"""tests/test_collect.py: tools/collect.py joining the TLB model to the samples.

A one-sample ptbench log (10 getpid calls: instret 2000, 20 satp writes and
20 sfence.vma after the empty sample's are subtracted) and a tlbsim report
of three regions (1 a warm-up, 2 the empty sample, 3 the sample) are
collected; the join must subtract region 2 from region 3, and a model whose
counts disagree with the kernel's must make collect.py refuse to write.

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


if __name__ == "__main__":
    unittest.main()
