"""tests/test_smp_bench.py: the multi-hart benchmarks (ptbench's shoot_* and
thr_pingpong families; make bench CPUS=...).

- SmpCountsTest: in each design under test, ptbench at 2 harts (quick)
  through tools/run.sh, its samples collected by tools/collect.py: a shrink
  with one reader thread on hart 1 is one shootdown of 4 pages and one IPI
  under every targeting policy; the target fences (one remote fence of 4
  pages) unless the design's traits say its trap already flushed
  (trap_switch=yes, user_mirror=no, no ASIDs); above the threshold
  (shoot_lazy_t1) the remote fence is by ASID or of everything; through
  M-mode one ecall per shootdown; with Svinval no sfence.vma by address;
  the thread ping-pong takes 2 wakeup IPIs and 2 context switches per
  round trip. Then, in the first config under test with ASIDs, at 4 harts:
  all and mask interrupt the 3 other harts (the process ran on each), lazy
  only the reader's.
- SmpBenchTest: tools/bench.sh --cpus 2 with a shoot_* selection writes
  DIR/smp/<config>-2.csv and .meta.json (harts 2, -smp 2) and no 1-hart
  results; shoot_* without --cpus, and hart counts out of range, are
  refused before anything runs.

Reads:  build/<config>/kernel (tools/test.sh builds them), tools/.
Writes: temporary directories.
"""

# host-test-seconds: 8 (about this long in make test here; tools/test.sh runs the heaviest first)
import csv
import json
import os
import shutil
import subprocess
import sys
import unittest

from toolhelp import ROOT, TempDir, run, tested_configs, tested_designs, tool

sys.path.insert(0, os.path.join(ROOT, "tools"))
import collect  # noqa: E402

QEMU = "qemu-system-riscv64"


def traits(config):
    out = subprocess.run(["make", "-s", "--no-print-directory", "CONFIG=" + config, "traits"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def measure(config, harts, cmd, tmp):
    """Run cmd (a ptbench command line) in config on harts harts; its
    samples as collect.py writes them, {(bench, param): first sample row}."""
    log = os.path.join(tmp, "%s-%d.log" % (config, harts))
    out = os.path.join(tmp, "%s-%d.csv" % (config, harts))
    kernel = os.path.join(ROOT, "build", config, "kernel")
    if not os.path.exists(kernel):
        raise AssertionError("config under test %s has no kernel: %s" % (config, kernel))
    r = run([tool("run.sh"), "--kernel", kernel, "--cpus", str(harts), "--timeout", "200",
             "--cmd", cmd, "--log", log], timeout=260)
    if r.returncode != 0:
        raise AssertionError("%s at %d harts: %s failed (%d)\n%s%s"
                             % (config, harts, cmd, r.returncode, r.stdout[-2000:],
                                r.stderr[-2000:]))
    c = run([sys.executable, tool("collect.py"), "--config", config, "--log", log, "--out", out])
    if c.returncode != 0:
        raise AssertionError("collect.py: %s" % c.stderr)
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {(r["bench"], int(r["param"])): r for r in rows if r["sample"] == "1"}


def per_op(row, name):
    """A kernel counter's column: per operation already (collect.py)."""
    return float(row[name])


def fences_remotely(t):
    """Whether a shootdown's target fences in a config of traits t (ipi.h)."""
    return not (t["trap_switch"] == "yes" and t["user_mirror"] == "no" and t["asid"] == "0")


@unittest.skipUnless(shutil.which(QEMU), "QEMU not installed")
class SmpCountsTest(unittest.TestCase):
    CMD = ("ptbench -q shoot_all:4 shoot_mask:4 shoot_lazy:4 shoot_lazy_t1:4 shoot_mmode:4 "
           "shoot_svinval:4 thr_pingpong")

    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_counts_at_two_harts(self):
        for config in tested_designs():
            with self.subTest(config=config):
                t = traits(config)
                rows = measure(config, 2, self.CMD, self.tmp.path)
                fences = fences_remotely(t)
                for b in ("shoot_all", "shoot_mask", "shoot_lazy"):
                    r = rows[(b, 4)]
                    self.assertEqual(per_op(r, "shootdowns"), 1, b)
                    self.assertEqual(per_op(r, "shootdown_pages"), 4, b)
                    self.assertEqual(per_op(r, "ipis_sent"), 1, b)
                    self.assertEqual(per_op(r, "remote_fences"), 1 if fences else 0, b)
                    self.assertEqual(per_op(r, "remote_fence_pages"),
                                     0 if not fences else 4 * (2 if t["user_mirror"] == "yes"
                                                               and t["asid"] == "1" else 1), b)
                t1 = rows[("shoot_lazy_t1", 4)]
                self.assertEqual(per_op(t1, "remote_fence_pages"), 0)
                self.assertEqual(per_op(t1, "remote_fence_asids") + per_op(t1, "remote_fence_alls")
                                 > 0, fences)
                self.assertEqual(per_op(rows[("shoot_mmode", 4)], "ipi_ecalls"), 1)
                self.assertEqual(per_op(rows[("shoot_lazy", 4)], "ipi_ecalls"), 0)
                sv = rows[("shoot_svinval", 4)]
                self.assertEqual(per_op(sv, "sfence_addr") + per_op(sv, "sfence_addr_asid"), 0)
                self.assertEqual(per_op(sv, "inval_fences") * 2, per_op(sv, "sinvals"))
                pp = rows[("thr_pingpong", 1)]
                self.assertEqual(per_op(pp, "wake_ipis"), 2)
                self.assertEqual(per_op(pp, "ctx_switches"), 2)

    def test_targeting_at_four_harts(self):
        asid = [c for c in tested_configs() if traits(c)["asid"] == "1"]
        if not asid:
            self.skipTest("no config with ASIDs under test")
        rows = measure(asid[0], 4, "ptbench -q shoot_all:4 shoot_mask:4 shoot_lazy:4 shoot_wide:4",
                       self.tmp.path)
        ipis = {b: per_op(rows[(b, 4)], "ipis_sent")
                for b in ("shoot_all", "shoot_mask", "shoot_lazy", "shoot_wide")}
        self.assertEqual(ipis, {"shoot_all": 3, "shoot_mask": 3, "shoot_lazy": 1,
                                "shoot_wide": 3}, asid[0])


@unittest.skipUnless(shutil.which(QEMU), "QEMU not installed")
class SmpBenchTest(unittest.TestCase):
    def test_smp_results(self):
        config = tested_designs()[0]
        tmp = TempDir()
        self.addCleanup(tmp.cleanup)
        if True:
            where = os.path.join(tmp.path, "r")
            r = run([tool("bench.sh"), "--quick", "--cpus", "2", "--bench",
                     "shoot_lazy:1:65,thr_pingpong", "--results", where, config], timeout=600)
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
            self.assertFalse(os.path.exists(os.path.join(where, config + ".csv")),
                             "a selection of multi-hart families only made a 1-hart run")
            with open(os.path.join(where, "smp", config + "-2.csv"), encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
            self.assertEqual({(x["bench"], x["param"]) for x in rows},
                             {("shoot_lazy", "1"), ("shoot_lazy", "65"), ("thr_pingpong", "1")})
            with open(os.path.join(where, "smp", config + "-2.meta.json"), encoding="utf-8") as f:
                meta = json.load(f)
            self.assertEqual(meta["kernel_map"]["harts"], 2)
            self.assertIn("-smp 2", meta["qemu_flags"])

    def test_refusals(self):
        config = tested_designs()[0]
        for args, said in ((["--bench", "shoot_lazy"], "give --cpus"),
                           (["--cpus", "1"], "hart counts from 2"),
                           (["--cpus", "2,99"], "hart counts from 2")):
            with self.subTest(args=args):
                r = run([tool("bench.sh"), "--quick"] + args + ["--results", "/nonexistent/x",
                                                              config])
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(said, r.stderr)


if __name__ == "__main__":
    unittest.main()
