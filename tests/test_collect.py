"""tests/test_collect.py: tools/collect.py joining the TLB model to the samples.

A one-sample ptbench log (10 getpid calls: instret 2000, 20 satp writes and
20 sfence.vma after the empty sample's are subtracted) and a tlbsim report
of three regions (1 a warm-up, 2 the empty sample, 3 the sample) are
collected; the join must subtract region 2 from region 3, and a model whose
counts disagree with the kernel's must make collect.py refuse to write.

The witnesses of the ASID axis: the plugin's fences by form against the
kernel's counters of those forms, and the ASIDs the plugin read from satp
(its "# tlbsim machine" line: the widest ASID field, the largest ASID a
user table ran under) against the ASID bits the log says the kernel uses
("@kstate" lines); any mismatch refuses the results. The Svinval counts
(sinval.vma; sfence.w.inval and sfence.inval.ir) are witnessed when the
kernel counts them and skipped when it does not; a report of an older
plugin, without them, reads as none.

Reads:  tools/collect.py, and through it kernel/kstats.h (the log's
        counters are written by name in its order). Writes: temporary
        files only.
"""
import csv
import os
import sys
import unittest

from toolhelp import TempDir, run, tool

sys.path.insert(0, os.path.dirname(tool("collect.py")))
try:
    import collect  # noqa: E402
finally:
    sys.path.pop(0)

# The sample's counters by name (every other one 0), in kernel/kstats.h's
# order: 10 getpid calls, 20 satp writes and 20 sfence.vma of the full form.
COUNTED = {"syscalls": 10, "satp_writes": 20, "sfences": 20, "nproc": 1,
           "sfence_all": 20, "kmap_leaves_4k": 33000}
KSTATS = [COUNTED.get(k, 0) for k in collect.KSTATS]
LOG = ("@ptbench config=umap design=umap asid=0 megapages=0 quick=1 kstats=%d\n"
       % len(KSTATS) +
       "@B,3,2,getpid,0,none,1,10,2000,2000,%d," + ",".join(map(str, KSTATS)) + "\n"
       "@kstate asid_bits=0\n"
       "@end failed=0\n")
TLB_HEADER = ("# tlbsim preset=rocket itlb=32 iways=32 dtlb=32 dways=32 l2=512 "
              "l2ways=1 walk=20 l2hit=4 harts=1\n"
              "region,insns,satp_writes,sfence_all,sfence_addr,sfence_asid,"
              "sfence_addr_asid,itlb_miss_user,itlb_miss_kernel,dtlb_miss_user,"
              "dtlb_miss_kernel,l2_hits,walks_1,walks_2,walks_3,est_cycles\n"
              "1,5,0,0,0,0,0,0,0,0,0,0,0,0,0,5\n"
              "2,100,0,0,0,0,0,1,0,0,0,0,0,0,1,120\n")
MACHINE = "# tlbsim machine asid_hw_bits=16 user_asid_max=0 nonzero_asid_writes=1 regs_missing=0\n"


class CollectTlbTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)

    def collect(self, region3, idled=0):
        log = self.tmp.file("bench.log", LOG % idled)
        tlb = self.tmp.file("tlb.csv", TLB_HEADER + region3 + "\n" + MACHINE +
                            "# tlbsim end regions=3\n")
        self.out = os.path.join(self.tmp.path, "out.csv")
        self.tlb_out = os.path.join(self.tmp.path, "joined.csv")
        return run([sys.executable, tool("collect.py"), "--config", "umap", "--log", log,
                    "--out", self.out, "--tlb", tlb, "--tlb-preset", "rocket",
                    "--tlb-out", self.tlb_out])

    def test_join_subtracts_the_empty_region(self):
        r = self.collect("3,2100,20,20,0,0,0,21,40,10,80,0,0,0,151,5100")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(self.tlb_out, encoding="utf-8") as f:
            (row,) = list(csv.DictReader(f))
        self.assertEqual((row["tlb_insns"], row["tlb_sfences"], row["tlb_itlb_miss_user"],
                          row["tlb_est_cycles"], row["est_cycles_per_op"],
                          row["tlb_miss_per_op"], row["witness_ok"], row["preset"],
                          row["walk_levels_per_op"]),
                         ("2000", "20", "20", "4980", "498", "15", "1", "rocket", "45"))

    def test_disagreeing_witnesses_refused(self):
        for region3, what in (("3,2101,20,20,0,0,0,21,40,10,80,0,0,0,151,5101",
                               "model insns 2001 != kernel 2000"),
                              ("3,2100,22,20,0,0,0,21,40,10,80,0,0,0,151,5100",
                               "model satp_writes 22 != kernel 20"),
                              ("3,2100,20,20,1,0,0,21,40,10,80,0,0,0,151,5100",
                               "model sfences 21 != kernel 20")):
            with self.subTest(what=what):
                r = self.collect(region3)
                self.assertEqual(r.returncode, 1)
                self.assertIn("witness mismatch: getpid 0 sample 1: " + what, r.stderr)
                self.assertFalse(os.path.exists(self.out))
                self.assertFalse(os.path.exists(self.tlb_out))

    def test_idled_sample_not_checked(self):
        # Idle time counts in instret but not in the model: no witness then.
        r = self.collect("3,2101,20,20,0,0,0,21,40,10,80,0,0,0,151,5101", idled=1)
        self.assertEqual(r.returncode, 0, r.stderr)


REGION3 = "3,2100,20,20,0,0,0,21,40,10,80,0,0,0,151,5100"


class CollectMachineTest(unittest.TestCase):
    """The ASIDs read from satp against the kernel's ASID bits."""

    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)

    def collect(self, machine_line, kstate):
        log = self.tmp.file("bench.log", LOG.replace("@kstate asid_bits=0\n", kstate) % 0)
        tlb = self.tmp.file("tlb.csv", TLB_HEADER + REGION3 + "\n" + machine_line +
                            "# tlbsim end regions=3\n")
        self.out = os.path.join(self.tmp.path, "out.csv")
        return run([sys.executable, tool("collect.py"), "--config", "umap", "--log", log,
                    "--out", self.out, "--tlb", tlb, "--tlb-preset", "c906",
                    "--tlb-out", os.path.join(self.tmp.path, "joined.csv")])

    def machine(self, hw, user_max, missing=0):
        return ("# tlbsim machine asid_hw_bits=%d user_asid_max=%d nonzero_asid_writes=9 "
                "regs_missing=%d\n" % (hw, user_max, missing))

    def test_agreeing_asids_accepted(self):
        for line, kstate in ((self.machine(16, 3), "@kstate asid_bits=2\n"),
                             (self.machine(16, 0), "@kstate asid_bits=0\n"),
                             (self.machine(16, 40000), "@kstate asid_bits=16\n")):
            with self.subTest(kstate=kstate, line=line):
                r = self.collect(line, kstate)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn("ASID bits", r.stdout)

    def test_disagreeing_asids_refused(self):
        cases = [(self.machine(16, 4), "@kstate asid_bits=2\n",
                  "a user table ran under ASID 4, wider than the kernel's 2 ASID bits"),
                 (self.machine(16, 1), "@kstate asid_bits=0\n",
                  "a user table ran under ASID 1, wider than the kernel's 0 ASID bits"),
                 (self.machine(8, 1), "@kstate asid_bits=16\n",
                  "kernel uses 16 ASID bits but satp held at most 8"),
                 (self.machine(16, 1), "", "kernel states no asid_bits"),
                 (self.machine(16, 0, missing=1), "@kstate asid_bits=0\n",
                  "could not read satp, priv or the general registers"),
                 ("", "@kstate asid_bits=0\n", "no '# tlbsim machine' line")]
        for line, kstate, what in cases:
            with self.subTest(what=what):
                r = self.collect(line, kstate)
                self.assertEqual(r.returncode, 1)
                self.assertIn("witness mismatch: ", r.stderr)
                self.assertIn(what, r.stderr)
                self.assertFalse(os.path.exists(self.out))


class CollectFenceKindsTest(unittest.TestCase):
    """Fences by form are witnessed once the kernel counts them."""

    def test_fence_forms_compared(self):
        tmp = TempDir()
        self.addCleanup(tmp.cleanup)
        tlb = tmp.file("tlb.csv", TLB_HEADER + "3,2100,20,10,0,10,0,21,40,10,80,0,0,0,151,5100\n")
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



# A report of a plugin that counts Svinval's instructions: its columns
# appended after est_cycles. Region 3 (the sample) made 40 sinval.vma and
# 20 inval fences more than region 2 (the empty sample).
SV_HEADER = ("# tlbsim preset=c906 itlb=10 iways=10 dtlb=10 dways=10 l2=128 l2ways=2 walk=6 "
             "l2hit=3 sinval=10 inval_fence=50 harts=1\n"
             "region,insns,satp_writes,sfence_all,sfence_addr,sfence_asid,"
             "sfence_addr_asid,itlb_miss_user,itlb_miss_kernel,dtlb_miss_user,"
             "dtlb_miss_kernel,l2_hits,walks_1,walks_2,walks_3,ptc_hits,est_cycles,"
             "sinvals,inval_fences\n"
             "1,5,0,0,0,0,0,0,0,0,0,0,0,0,0,0,5,0,0\n"
             "2,100,0,0,0,0,0,1,0,0,0,0,0,0,1,0,120,1,1\n"
             "3,2100,20,20,0,0,0,21,40,10,80,0,0,0,151,0,5100,41,21\n")


class CollectSvinvalTest(unittest.TestCase):
    """sinval.vma and the Svinval fences: witnessed against the kernel's
    counters of the same names when its log has them, else not."""

    ROW = {"config": "umap", "bench": "getpid", "param": 0, "param_unit": "none",
           "sample": 1, "iters": 10, "instret": 2000, "idled": 0, "region": 3,
           "_oregion": 2, "_raw_satp_writes": 20, "_raw_sfences": 20,
           "design": "umap", "asid": "1", "megapages": "0"}

    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)
        self.tlb = self.tmp.file("tlb.csv", SV_HEADER)

    def test_counts_joined_after_the_older_columns(self):
        (j,), bad = collect.join_tlb([self.ROW], self.tlb, "c906")
        self.assertEqual(bad, [])
        self.assertEqual((j["tlb_sinvals"], j["tlb_inval_fences"], j["tlb_sfences"]),
                         (40, 20, 20))
        self.assertEqual(list(j)[-2:], ["tlb_sinvals", "tlb_inval_fences"])

    def test_witnessed_when_the_kernel_counts_them(self):
        for sinvals, inval_fences, what in ((40, 20, None),
                                            (39, 20, "model sinvals 40 != kernel 39"),
                                            (40, 10, "model inval_fences 20 != kernel 10")):
            with self.subTest(sinvals=sinvals, inval_fences=inval_fences):
                row = dict(self.ROW, _raw_sinvals=sinvals, _raw_inval_fences=inval_fences)
                (j,), bad = collect.join_tlb([row], self.tlb, "c906")
                self.assertEqual(bad == [], what is None, bad)
                self.assertEqual(j["witness_ok"], int(what is None))
                if what is not None:
                    self.assertEqual(len(bad), 1, bad)
                    self.assertIn(what, bad[0])

    def test_skipped_when_the_kernel_does_not(self):
        # Today's kernel logs no sinvals or inval_fences: nothing to witness.
        (j,), bad = collect.join_tlb([self.ROW], self.tlb, "c906")
        self.assertEqual((bad, j["witness_ok"]), ([], 1))
        # One counter alone is witnessed alone.
        (j,), bad = collect.join_tlb([dict(self.ROW, _raw_inval_fences=20)], self.tlb, "c906")
        self.assertEqual((bad, j["witness_ok"]), ([], 1))

    def test_older_report_reads_as_none(self):
        old = self.tmp.file("old.csv", TLB_HEADER + REGION3 + "\n")
        (j,), bad = collect.join_tlb([self.ROW], old, "rocket")
        self.assertEqual((j["tlb_sinvals"], j["tlb_inval_fences"]), (0, 0))
        self.assertEqual(bad, [])
        # A kernel that counted sinval.vma against a plugin that saw none.
        (j,), bad = collect.join_tlb([dict(self.ROW, _raw_sinvals=40)], old, "rocket")
        self.assertEqual(len(bad), 1, bad)
        self.assertIn("model sinvals 0 != kernel 40", bad[0])

    def test_sfence_counts_leave_sinval_out(self):
        # The kernel's sfences (and its forms) count no sinval.vma: neither
        # does the model's, which would otherwise disagree here by 40.
        row = dict(self.ROW, _raw_sfence_all=20, _raw_sinvals=40, _raw_inval_fences=20)
        (j,), bad = collect.join_tlb([row], self.tlb, "c906")
        self.assertEqual(bad, [])
        self.assertEqual(j["tlb_sfence_all"], 20)


if __name__ == "__main__":
    unittest.main()
