"""tests/test_xv6.py: measuring outside xv6 kernels (make xv6bench).

- XV6RunTest: tools/xv6run.py against tests/fakexv6 (no QEMU needed):
  each way a run can end (finished, no output, no prompt, panic, workload
  killed, hung, QEMU gone) gives its status and message.
- TreeCheckTest: tools/xv6tree.py refuses what is not an xv6 tree.
- CollectTest: tools/xv6collect.py on made-up logs and plugin reports: the
  join, idled samples, the witnesses (instret, TLB run, profile sums), and
  that a failed check writes nothing.
- PtbenchConfigTest: tools/xv6bench.sh --quick --profile on one built
  ptbench design: schema, instret = plugin, profile sums, report. Skipped
  when no kernel is built or QEMU is missing. About 10 seconds.
- FixtureTreesTest: only when env PTBENCH_XV6_TREES names a directory of
  xv6-riscv tree tarballs (.ci/run points it at the 2020 lab fixtures):
  each tree is measured by one xv6bench.sh --quick --profile --tlb rocket,
  which boots it twice (plain, and under the rocket preset): every
  workload operation measured, both boots' counts identical in every
  sample (the TLB rows' witness), the fork+exit+wait profile adding up.
  With the fixtures' trees (global, perproc): fork+exit+wait in perproc
  costs at least 10x global's. Then trees made broken from the first one
  (a syntax error, no PMP set-up, a panic in getpid) get their messages
  and write nothing, and a tree that gcc 12 rejects builds with
  -Wno-error, its sources untouched: each a copy of the first tree as its
  run built it, one file changed, so that make recompiles only that file
  (the panicking one also frees 8 MiB of RAM at boot, not 128: filling
  every freed page with junk is most of a 2020 tree's boot under the
  plugins). Without the variable, skipped with the reason.
  About 50 s alone, 71 s of CPU, on the 2-core development machine
  (80 s in make test, beside other modules); 12 s without the trees.

Reads:  tools/, tests/fakexv6, build/<design>/ (built by make test),
        env PTBENCH_XV6_TREES; build/xv6/test_TREE/ (the first tree's
        built copy, which its broken variants start from).
Writes: temporary directories; build/xv6/ (the trees' copies and logs,
        under labels of its own).
"""

# host-test-seconds: 80 (with the fixture trees, as in CI; about 12 without; tools/test.sh runs the heaviest first)
import csv
import glob
import json
import os
import shutil
import sys
import tarfile
import unittest

from toolhelp import ROOT, TempDir, run, tool

sys.path.insert(0, os.path.join(ROOT, "tools"))
import collect  # noqa: E402
import xv6collect  # noqa: E402

FAKE = os.path.join(ROOT, "tests", "fakexv6")
QEMU = "qemu-system-riscv64"
TREES_ENV = "PTBENCH_XV6_TREES"
# The workload's benchmark families (user/bench/xv6bench.c).
OPERATIONS = {"getpid", "pipe_rw", "open_missing", "fork_exit_wait", "fork_exec_wait", "sbrk",
              "pingpong"}


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def smallest(rows, bench):
    pts = [r for r in rows if r["bench"] == bench and r["idled"] == "0"]
    p = min(int(r["param"]) for r in pts)
    return sorted(float(r["instret_per_op"]) for r in pts if int(r["param"]) == p)[0]


class XV6RunTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)
        img = self.tmp.file("tree/fs.img", "image")
        self.tmp.file("tree/kernel/kernel", "elf")
        self.tree = self.tmp.file("tree.json", json.dumps(
            {"root": os.path.dirname(img), "fs_img": img, "qemu_args": ["-machine", "virt"]}))

    def xv6run(self, mode):
        log = os.path.join(self.tmp.path, "console.log")
        r = run([sys.executable, tool("xv6run.py"), "--tree-json", self.tree, "--run-dir",
                 os.path.join(self.tmp.path, "run"), "--cmd", "xv6bench -q", "--boot-timeout",
                 "1", "--timeout", "2", "--log", log],
                env={"QEMU": FAKE, "FAKEXV6_MODE": mode}, timeout=60)
        with open(log, encoding="utf-8") as f:
            return r, f.read()

    def test_finished(self):
        r, log = self.xv6run("ok")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("@end failed=0", log)
        # a fresh copy of the image, links to the rest of the tree
        run_dir = os.path.join(self.tmp.path, "run")
        self.assertFalse(os.path.islink(os.path.join(run_dir, "fs.img")))
        self.assertTrue(os.path.islink(os.path.join(run_dir, "kernel")))

    def test_failures(self):
        cases = {"silent": (3, "printed nothing within 1 s: it did not boot; likely cause: "
                               "a 2020-era xv6 tree on QEMU 6 or later"),
                 "noprompt": (3, "showed no shell prompt within 1 s"),
                 "panic": (4, "kernel panic: panic: kerneltrap"),
                 "killed": (5, "stopped before its end line"),
                 "hang": (5, "did not finish within 2 s"),
                 "exit": (6, "QEMU exited (status 3) before the workload finished")}
        for mode, (status, message) in cases.items():
            with self.subTest(mode=mode):
                r, _ = self.xv6run(mode)
                self.assertEqual(r.returncode, status, r.stderr)
                self.assertIn(message, r.stderr)


class TreeCheckTest(unittest.TestCase):
    def check(self, path):
        return run([sys.executable, tool("xv6tree.py"), "--tree", path, "--check"])

    def test_refusals(self):
        tmp = TempDir()
        self.addCleanup(tmp.cleanup)
        plain = tmp.file("notes.txt", "hello")
        tmp.file("src/Makefile", "all:\n")
        tgz = os.path.join(tmp.path, "src.tar.gz")
        with tarfile.open(tgz, "w:gz") as t:
            t.add(os.path.join(tmp.path, "src"), arcname="src")
        cases = {os.path.join(tmp.path, "none"): "no such file or directory",
                 plain: "is neither a directory nor a tarball",
                 os.path.join(tmp.path, "src"): "is not an xv6-riscv tree: no kernel/main.c",
                 tgz: "is not an xv6-riscv tree: no kernel/main.c"}
        for path, message in cases.items():
            with self.subTest(path=os.path.basename(path)):
                r = self.check(path)
                self.assertEqual(r.returncode, 1)
                self.assertIn(message, r.stderr)

    def test_unpack_refuses_escapes(self):
        import xv6tree
        tmp = TempDir()
        self.addCleanup(tmp.cleanup)
        evil = os.path.join(tmp.path, "evil.tar")
        with tarfile.open(evil, "w") as t:
            info = tarfile.TarInfo("../outside")
            info.size = 0
            t.addfile(info)
        os.makedirs(os.path.join(tmp.path, "dest"))
        with self.assertRaisesRegex(xv6tree.TreeError, "would land outside"):
            xv6tree.unpack(evil, os.path.join(tmp.path, "dest"))
        self.assertFalse(os.path.exists(os.path.join(tmp.path, "outside")))


# A made-up run: one point (warm-up, empty, two samples), regions 1..4.
LOG = ("$ xv6bench -q\n@xv6bench version=1 quick=1 counters=%d\n"
       "@X,3,2,getpid,0,none,1,10%s\n@X,4,2,getpid,0,none,2,10%s\n@end failed=0\n$ ")
TLBSIM_HEAD = ("# tlbsim preset=u54 itlb=32 iways=32 dtlb=32 dways=32 l2=0 l2ways=0 walk=20 "
               "l2hit=4 harts=1\n# tlbsim model: test\n")
TLBSIM_COLS = ("region,insns,satp_writes,sfence_all,sfence_addr,sfence_asid,sfence_addr_asid,"
               "itlb_miss_user,itlb_miss_kernel,dtlb_miss_user,dtlb_miss_kernel,l2_hits,"
               "walks_1,walks_2,walks_3,est_cycles\n")


def tlbsim_report(insns, misses=0):
    rows = ["%d,%d,%d,%d,0,0,0,0,%d,0,0,0,0,0,%d,%d\n" % (rid, n, s, s, misses, misses,
                                                       n + 21 * misses)
            for rid, n, s in insns]
    return (TLBSIM_HEAD + TLBSIM_COLS + "".join(rows) +
            "# tlbsim end regions=%d abandoned=0 stray_ends=0 insns_total=1\n" % len(rows))


def profile_report(regions):
    """regions: [(marker id, {pc: count}, wfi)]."""
    out = ["# profile pcs=1: test\n"]
    for n, (rid, pcs, wfi) in enumerate(regions, 1):
        out += ["P,%d,%x,%d\n" % (n, pc, c) for pc, c in pcs.items()]
        out.append("R,%d,%d,%d,%d\n" % (n, rid, sum(pcs.values()), wfi))
    out.append("# profile end regions=%d abandoned=0 stray_ends=0 cells=3\n" % len(regions))
    return "".join(out)


# The empty sample runs 20 user instructions; each getpid adds 5 user and
# 695 kernel ones (2 satp writes and 2 fences per sample region: 0.2/op).
USER_PC, KERNEL_PC, TRAMP_PC = 0x100, 0x80000010, 0x3FFFFFF004
SAMPLE_PCS = {USER_PC: 70, KERNEL_PC: 6900, TRAMP_PC: 50}
EMPTY_PCS = {USER_PC: 20}
PLAIN = [(1, 7020, 2), (2, 20, 0), (1, 7020, 2), (1, 7020, 2)]


class CollectTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)
        self.out = os.path.join(self.tmp.path, "res", "k.csv")

    def files(self, counters=False, instret=7000, plain=PLAIN, pcs=None, wfi=0):
        extra = ",%d,%d" % (instret, instret) if counters else ""
        log = self.tmp.file("plain.log", LOG % (int(counters), extra, extra))
        tlb = self.tmp.file("tlbsim.csv", tlbsim_report(plain))
        pcs = pcs or [SAMPLE_PCS, EMPTY_PCS, SAMPLE_PCS, SAMPLE_PCS]
        prof = self.tmp.file("profile.txt", profile_report(
            [(rid, p, wfi if i == 3 else 0) for i, ((rid, _, _), p) in enumerate(zip(plain, pcs))]))
        return ["--config", "k", "--log", log, "--tlbsim", tlb, "--profile", prof,
                "--out", self.out] + (["--counters"] if counters else [])

    def collect(self, args):
        return run([sys.executable, tool("xv6collect.py")] + args)

    def written(self):
        d = os.path.dirname(self.out)
        return sorted(os.listdir(d)) if os.path.isdir(d) else []

    def test_join(self):
        r = self.collect(self.files())
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = read_rows(self.out)
        self.assertEqual(list(rows[0].keys()), collect.COLUMNS)
        self.assertEqual(len(rows), 2)
        for row in rows:
            self.assertEqual((row["instret"], row["cycles"], row["instret_per_op"]),
                             ("7000", "7000", "700"))
            self.assertEqual((row["satp_writes"], row["sfences"], row["idled"]),
                             ("0.2000", "0.2000", "0"))
            self.assertEqual(row["syscalls"], "")  # a kernel counter: blank
        self.assertEqual([r["region"] for r in rows], ["3", "4"])
        with open(self.out[:-4] + ".meta.json", encoding="utf-8") as f:
            self.assertIn("tlbsim plugin", json.load(f)["measured"]["cycles, instret"])

    def test_wfi_marks_idled(self):
        self.assertEqual(self.collect(self.files(wfi=1)).returncode, 0)
        self.assertEqual([r["idled"] for r in read_rows(self.out)], ["0", "1"])

    def test_counters_witness(self):
        self.assertEqual(self.collect(self.files(counters=True)).returncode, 0)
        shutil.rmtree(os.path.dirname(self.out))
        r = self.collect(self.files(counters=True, instret=7001))
        self.assertEqual(r.returncode, 1)
        self.assertIn("instret 7001 != tlbsim 7000", r.stderr)
        self.assertEqual(self.written(), [])

    def test_regions_must_pair(self):
        swapped = [(1, 7020, 2), (1, 20, 0), (1, 7020, 2), (1, 7020, 2)]
        r = self.collect(self.files(plain=swapped))
        self.assertEqual(r.returncode, 1)
        self.assertIn("are not a sample and an empty sample", r.stderr)
        self.assertEqual(self.written(), [])

    def test_tlb_run_witnessed(self):
        args = self.files()
        tlb_log = self.tmp.file("rocket.log", LOG % (0, "", ""))
        good = self.tmp.file("rocket.csv", tlbsim_report(PLAIN, misses=3))
        bad = self.tmp.file("rocket-bad.csv", tlbsim_report(
            [(1, 7020, 2), (2, 20, 0), (1, 7021, 2), (1, 7020, 2)]))
        tdir = os.path.join(self.tmp.path, "res", "tlb")
        r = self.collect(args + ["--tlb", "rocket=%s,%s" % (tlb_log, bad), "--tlb-dir", tdir])
        self.assertEqual(r.returncode, 1)
        self.assertIn("counted differently from the plain run", r.stderr)
        self.assertEqual(self.written(), ["tlb"])
        self.assertEqual(os.listdir(tdir), [])
        r = self.collect(args + ["--tlb", "rocket=%s,%s" % (tlb_log, good), "--tlb-dir", tdir])
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = read_rows(os.path.join(tdir, "k-rocket.csv"))
        self.assertEqual([x["witness_ok"] for x in rows], ["1", "1"])
        self.assertEqual([x["tlb_miss_per_op"] for x in rows], ["0", "0"])  # 3 - 3 empty

    def test_attribution(self):
        symbols = ([0x80000000, 0x80000100, 0x80001000], ["start", "sys_getpid", "uservec"],
                   0x80001000)
        got = xv6collect.attribute({USER_PC: 5, 0x80000004: 1, 0x80000100: 2, 0x80000180: 3,
                                    TRAMP_PC: 4}, symbols)
        self.assertEqual(got, {"(user)": 5, "start": 1, "sys_getpid": 5, "uservec": 4})

    def test_profile_sums_checked(self):
        kernel = next(iter(glob.glob(os.path.join(ROOT, "build", "*", "kernel"))), None)
        if kernel is None or not shutil.which(xv6collect.READELF):
            self.skipTest("no built kernel or no " + xv6collect.READELF)
        prof = os.path.join(self.tmp.path, "res", "profile", "k.csv")
        args = self.files() + ["--kernel", kernel, "--profile-out", prof]
        r = self.collect(args)
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = read_rows(prof)
        self.assertEqual(sum(float(x["insns_per_op"]) for x in rows), 700)
        by_name = {x["function"]: x["insns_per_op"] for x in rows}
        self.assertEqual((by_name["(user)"], by_name["uservec"]), ("5", "5"))
        # a region whose addresses do not add up to its count
        shutil.rmtree(os.path.dirname(self.out))
        short = [SAMPLE_PCS, EMPTY_PCS, {USER_PC: 70, KERNEL_PC: 6899, TRAMP_PC: 50},
                 SAMPLE_PCS]
        r = self.collect(self.files(pcs=short) + ["--kernel", kernel, "--profile-out", prof])
        self.assertEqual(r.returncode, 1)
        self.assertIn("region 3: instructions by address add up to 7019, tlbsim counted 7020",
                      r.stderr)
        self.assertFalse(os.path.exists(self.out))


def built_design():
    for d in sorted(glob.glob(os.path.join(ROOT, "configs", "*.mk"))):
        name = os.path.basename(d)[:-3]
        if os.path.exists(os.path.join(ROOT, "build", name, "kernel")):
            return name
    return None


def xv6bench(*args, env=None):
    return run([tool("xv6bench.sh"), "--quick"] + list(args), env=env, timeout=900)


@unittest.skipUnless(shutil.which(QEMU), "QEMU not installed")
class PtbenchConfigTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.design = built_design()
        if cls.design is None:
            raise unittest.SkipTest("no kernel built")
        cls.tmp = TempDir()
        cls.r = xv6bench("--profile", "--results", cls.tmp.path, cls.design)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_measured_and_witnessed(self):
        self.assertEqual(self.r.returncode, 0, self.r.stdout[-3000:] + self.r.stderr[-3000:])
        rows = read_rows(os.path.join(self.tmp.path, "xv6", self.design + ".csv"))
        self.assertEqual(list(rows[0].keys()), collect.COLUMNS)
        self.assertEqual({r["bench"] for r in rows}, OPERATIONS)
        for r in rows:
            self.assertEqual(r["cycles"], r["instret"])
        prof = read_rows(os.path.join(self.tmp.path, "xv6", "profile", self.design + ".csv"))
        fork = [p for p in prof if p["bench"] == "fork_exit_wait"]
        self.assertTrue(any(p["function"].startswith("vm_") for p in fork), fork[:5])
        with open(os.path.join(self.tmp.path, "xv6", "xv6-report.md"), encoding="utf-8") as f:
            report = f.read()
        self.assertIn("## Where the instructions go", report)
        self.assertIn("`%s`" % self.design, report)


def tree_dir():
    d = os.environ.get(TREES_ENV, "")
    return d if d and os.path.isdir(d) else None


def built_root(name):
    """The root of fixture tree name's copy as FixtureTreesTest's run built it
    (build/xv6/test_NAME, xv6tree.py's tree.json), or None if it did not build."""
    desc = os.path.join(ROOT, "build", "xv6", "test_" + name, "tree.json")
    if not os.path.exists(desc):
        return None
    with open(desc, encoding="utf-8") as f:
        return json.load(f)["root"]


def make_variant(root, dest, name, edits, stale=()):
    """dest/name/TOP: a copy of the built tree root (objects, programs and
    fs.img included, their times kept) with each edit (path, old, new) made
    and, for each edited .c file, its object removed, as are the objects in
    stale: make then recompiles just those and relinks, instead of building
    the whole tree again. Returns the copy's top."""
    top = os.path.join(dest, name, os.path.basename(root))
    shutil.copytree(root, top, symlinks=True)
    for path, old, new in edits:
        p = os.path.join(top, path)
        with open(p, encoding="utf-8") as f:
            text = f.read()
        assert old in text, (path, old)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))
        if path.endswith(".c"):
            stale = list(stale) + [path[:-2] + ".o"]
    for obj in stale:
        os.remove(os.path.join(top, obj))
    return top


@unittest.skipUnless(tree_dir(), "no xv6 tree tarballs: set %s to a directory of them "
                     "(.ci/run uses ../shared/fixtures/xv6-labs-2020)" % TREES_ENV)
@unittest.skipUnless(shutil.which(QEMU), "QEMU not installed")
class FixtureTreesTest(unittest.TestCase):
    """One make xv6bench per tree, quick, with --profile and --tlb rocket:
    two boots of the tree (plain, and under the rocket preset), whose every
    sample xv6collect.py checks equal (instructions, satp writes,
    sfence.vma: witness_ok), or it writes nothing."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir()
        cls.trees = sorted(glob.glob(os.path.join(tree_dir(), "*.tar.gz")))
        if not cls.trees:
            raise unittest.SkipTest("no *.tar.gz in %s" % tree_dir())
        cls.runs = {}
        for t in cls.trees:
            name = os.path.basename(t)[:-len(".tar.gz")]
            res = os.path.join(cls.tmp.path, name)
            cls.runs[name] = (xv6bench("--profile", "--tlb", "rocket", "--results", res,
                                       "--tree", t, "--name", "test_" + name), res)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def result(self, name, kind=""):
        """The path of tree name's result kind ("", "tlb", "profile")."""
        r, res = self.runs[name]
        self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
        label = "test_" + name + ("-rocket" if kind == "tlb" else "")
        return os.path.join(res, "xv6", kind, label + ".csv")

    def test_every_operation_two_runs_identical(self):
        for name in self.runs:
            with self.subTest(tree=name):
                plain = read_rows(self.result(name))
                tlb = read_rows(self.result(name, "tlb"))
                self.assertEqual({r["bench"] for r in plain}, OPERATIONS)
                self.assertTrue(all(r["idled"] == "0" for r in plain))
                self.assertEqual(len(plain), len(tlb))
                for p, t in zip(plain, tlb):
                    self.assertEqual((t["bench"], t["param"], t["sample"], t["witness_ok"]),
                                     (p["bench"], p["param"], p["sample"], "1"))
                    self.assertEqual(t["tlb_insns"], p["instret"])

    def test_tlb_model_runs(self):
        for name in self.runs:
            with self.subTest(tree=name):
                rows = read_rows(self.result(name, "tlb"))
                self.assertEqual({r["preset"] for r in rows}, {"rocket"})
                self.assertTrue(all(float(r["tlb_miss_per_op"]) > 0 for r in rows
                                    if r["bench"] == "getpid"))

    def test_fork_profile_adds_up(self):
        for name in self.runs:
            with self.subTest(tree=name):
                rows = [r for r in read_rows(self.result(name, "profile"))
                        if r["bench"] == "fork_exit_wait"]
                p = min(int(r["param"]) for r in rows)
                top = [r for r in rows if int(r["param"]) == p]
                total = float(top[0]["instret_per_op"])
                self.assertAlmostEqual(sum(float(r["insns_per_op"]) for r in top), total,
                                       delta=1e-3 * len(top))
                self.assertIn(top[0]["function"], {"memset", "memmove", "walk", "mappages"})

    def test_full_copy_fork_costs_ten_times(self):
        names = set(self.runs)
        if not {"global", "perproc"} <= names:
            self.skipTest("needs the fixtures' global and perproc trees")
        g = smallest(read_rows(self.result("global")), "fork_exit_wait")
        p = smallest(read_rows(self.result("perproc")), "fork_exit_wait")
        self.assertGreaterEqual(p, 10 * g, (p, g))

    def first_built(self):
        """The first tree's built copy, which the variants start from."""
        name = os.path.basename(self.trees[0])[:-len(".tar.gz")]
        root = built_root(name)
        r = self.runs[name][0]
        self.assertIsNotNone(root, "tree %s did not build:\n%s" % (name, r.stdout[-3000:] +
                                                                  r.stderr[-3000:]))
        return root

    def test_bad_trees(self):
        # Each variant is the first tree's built copy with one file changed
        # (make recompiles that file and relinks). The panicking one also
        # frees only the top 8 MiB of RAM at boot instead of all 128 MiB:
        # kfree's junk-filling of every page is most of a 2020 tree's boot
        # under the plugins (about 400 of 630 million instructions), and
        # the panic comes in getpid, in the workload, either way.
        root = self.first_built()
        d = os.path.join(self.tmp.path, "variants")
        cases = [
            ("broken", [("kernel/start.c", "void\nstart()\n{", "void\nstart() syntax error\n{")],
             {}, "the tree does not build"),
            ("nopmp", [("kernel/start.c", "  pmpinit();", "  // no PMP")], {"BOOT_TIMEOUT": "5"},
             "it did not boot; likely cause: a 2020-era xv6 tree on QEMU 6 or later"),
            ("panicky", [("kernel/sysproc.c", "sys_getpid(void)\n{",
                          "sys_getpid(void)\n{\n  panic(\"ptbench test\");"),
                         ("kernel/kalloc.c", "freerange(end, (void*)PHYSTOP);",
                          "freerange((char*)PHYSTOP - (8 << 20), (void*)PHYSTOP);")],
             {}, "kernel panic: panic: ptbench test"),
        ]
        for name, edits, env, message in cases:
            with self.subTest(variant=name):
                top = make_variant(root, d, name, edits)
                res = os.path.join(d, name + "-results")
                # --prepared: setUpClass's runs built ptbench's programs and plugins.
                r = run([tool("xv6bench.sh"), "--quick", "--prepared", "--results", res,
                         "--tree", top, "--name", "test_" + name], env=env, timeout=600)
                self.assertEqual(r.returncode, 1, r.stdout[-2000:])
                self.assertIn(message, r.stderr + r.stdout)
                self.assertIn("FAILED: nothing written", r.stdout)
                self.assertEqual(glob.glob(os.path.join(res, "xv6", "*.csv")), [])

    def test_warnings_relaxed_without_editing(self):
        # The built copy without the fixture's -Wno-error=infinite-recursion,
        # and without user/sh.o: make compiles sh.c again, gcc 12 rejects
        # its runcmd, and xv6tree.py must build it with -Wno-error.
        d = os.path.join(self.tmp.path, "strict")
        top = make_variant(self.first_built(), d, "strict",
                           [("Makefile", " -Wno-error=infinite-recursion", "")],
                           stale=["user/sh.o"])
        with open(os.path.join(top, "Makefile"), encoding="utf-8") as f:
            before = f.read()
        built = next(iter(glob.glob(os.path.join(ROOT, "build", "user", "root", "xv6bench"))))
        work = os.path.join(d, "work")
        r = run([sys.executable, tool("xv6tree.py"), "--tree", top, "--work", work,
                 "--programs", os.path.dirname(built)], timeout=600)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("warnings not errors", r.stdout)
        with open(os.path.join(work, "tree.json"), encoding="utf-8") as f:
            desc = json.load(f)
        self.assertTrue(desc["warnings_relaxed"])
        self.assertIn("-Wno-error", desc["cflags"])
        with open(os.path.join(desc["root"], "Makefile"), encoding="utf-8") as f:
            self.assertEqual(f.read(), before)


class OneKernelReportTest(unittest.TestCase):
    """An xv6 report of one kernel does not compare it with itself (x1.00):
    it says how to add ptbench's designs (issue 21)."""

    def test_one_kernel(self):
        sys.path.insert(0, os.path.join(ROOT, "plot"))
        import pandas as pd
        import xv6_report
        med = pd.DataFrame([{"config": "lab", "bench": "getpid", "param": 0, "insns": 700.0,
                             "unit": "none"}])
        text = "\n".join(xv6_report.ratios_section(med, ["lab"]))
        self.assertNotIn("×1.00", text)
        self.assertIn("make xv6bench", text)
        two = pd.concat([med, med.assign(config="other", insns=350.0)])
        self.assertIn("×0.50", "\n".join(xv6_report.ratios_section(two, ["lab", "other"])))


if __name__ == "__main__":
    unittest.main()
