"""tests/test_tlbsim.py: the TLB-model plugin in tools/tlbsim/.

Builds, into a temporary directory, the model's unit test (run and its
"N passed, N failed" line checked), the plugin, and the bare-metal guests
tools/tlbsim/selftest.S (regions of known counts in M-mode, which is not
translated, and in S-mode on gigapages), tools/tlbsim/asidtest.S (two
address spaces under ASIDs, global entries, superpages, and remaps for the
stale-translation checker and its strict mode; it tells the plugin nothing)
and tools/tlbsim/svinvaltest.S (the same invalidations by sfence.vma and by
Svinval's sinval.vma, and remaps fenced the Svinval way), then runs them
under qemu-system-riscv64 with the plugin and compares every CSV row with
counts known by construction, the guests' own instret deltas, and the
checker's reports with the guest's symbols. Tests skip when gcc, make,
QEMU or riscv64-unknown-elf-gcc is missing.

Reads:  tools/tlbsim/. Writes: temporary files only.
"""

# host-test-seconds: 8 (about this long in make test here; tools/test.sh runs the heaviest first)
import csv
import io
import os
import re
import shutil
import unittest

from toolhelp import TempDir, run, tool

TLBSIM = tool("tlbsim")
QEMU = "qemu-system-riscv64"
CROSS = "riscv64-unknown-elf-gcc"
MACHINE = ["-machine", "virt", "-bios", "none", "-m", "128M", "-smp", "1",
           "-icount", "shift=0,sleep=off", "-display", "none", "-monitor", "none",
           "-serial", "stdio"]
COLUMNS = ["region", "insns", "satp_writes", "sfence_all", "sfence_addr", "sfence_asid",
           "sfence_addr_asid", "itlb_miss_user", "itlb_miss_kernel", "dtlb_miss_user",
           "dtlb_miss_kernel", "l2_hits", "walks_1", "walks_2", "walks_3", "ptc_hits",
           "est_cycles", "sinvals", "inval_fences"]
# Every count column (all but region, insns and est_cycles).
COUNTS = [c for c in COLUMNS[2:] if c != "est_cycles"]
FORMS = ["all", "addr", "asid", "addr_asid"]
# tlbmodel.h's defaults: TLB_WALK_DEFAULT (per PTE read), TLB_L2HIT_DEFAULT,
# TLB_FENCE_DEFAULT (every form), TLB_SATP_DEFAULT, TLB_SINVAL_DEFAULT,
# TLB_INVAL_FENCE_DEFAULT; no PTE cache.
WALK, L2HIT, FENCE, SATP, SINVAL, INVAL_FENCE = 7, 4, 50, 50, 10, 50
DEFAULT_COSTS = dict(walk=WALK, l2hit=L2HIT, ptc_hit=0, satp=SATP, sinval=SINVAL,
                     inval_fence=INVAL_FENCE, **{"fence_" + f: FENCE for f in FORMS})
MISSES = ["itlb_miss_user", "itlb_miss_kernel", "dtlb_miss_user", "dtlb_miss_kernel"]

# Rows of selftest.S in execution order: (region, insns, nonzero counters).
# M-mode is not translated: its regions count instructions, satp writes
# and fences but no TLB lookups. The S-mode regions run on one 1 GiB page
# (the RAM alias): region 9's jumps stay in the entry the begin marker's
# fetch filled; region 10's loads, after a flush, take one miss, a walk of
# one level ("g1": walked, or on c906 found in the jTLB, which the
# M-mode fences did not empty since nothing was translated then).
ROWS = [
    (7, 1000, {}),
    (8, 12, {"satp_writes": 4, "sfence_all": 1, "sfence_addr": 1, "sfence_asid": 1,
             "sfence_addr_asid": 1}),
    (9, 4, {}),
    (10, 3 * (4 + 4 * 32), {}),
    (10, 2 * (4 + 4 * 40), {}),
    (11, 10, {}),  # the faulting load and 9 handler instructions
    (13, 5, {}),
    (12, 12, {}),  # ecall and 11 handler instructions
    (9, 4, {}),
    (10, 2 * (4 + 4 * 40), {"dtlb_miss_kernel": "g1"}),
]

# (misses, L2 hits) of the preset-dependent rows.
DATA = {
    "u54": {"g1": (1, 0)},
    "rocket": {"g1": (1, 0)},
    "rocket-l2": {"g1": (1, 0)},  # its L2 holds 4 KiB leaves only
    "c906": {"g1": (1, 1)},
    "c910": {"g1": (1, 1)},
    "u74": {"g1": (1, 0)},
}


def costs(header):
    """The cost fields (DEFAULT_COSTS' keys) of a report's first header line."""
    found = dict(re.findall(r" (\w+)=(\d+)", header))
    return {k: int(found[k]) for k in DEFAULT_COSTS}


def est_cycles(row, c=DEFAULT_COSTS):
    """est_cycles as the model prices a row: insns, L2 hits, PTEs read past
    and in the PTE cache, fences by form, satp writes, sinval.vma and the
    Svinval fences at costs c."""
    levels = row["walks_1"] + 2 * row["walks_2"] + 3 * row["walks_3"]
    return (row["insns"] + row["l2_hits"] * c["l2hit"]
            + (levels - row["ptc_hits"]) * c["walk"] + row["ptc_hits"] * c["ptc_hit"]
            + sum(row["sfence_" + f] * c["fence_" + f] for f in FORMS)
            + row["satp_writes"] * c["satp"] + row["sinvals"] * c["sinval"]
            + row["inval_fences"] * c["inval_fence"])


def expected_rows(preset, c=DEFAULT_COSTS):
    """The CSV rows selftest.S must produce under preset, as dicts of ints."""
    rows = []
    for region, insns, counts in ROWS:
        row = dict.fromkeys(COLUMNS, 0)
        row.update(region=region, insns=insns)
        for name, value in counts.items():
            if isinstance(value, str):
                row[name], row["l2_hits"] = DATA[preset][value]
                row["walks_1"] = row[name] - row["l2_hits"]
            else:
                row[name] = value
        row["est_cycles"] = est_cycles(row, c)
        rows.append(row)
    return rows


def parse_report(text):
    """(header comment lines, rows as dicts of ints) of a tlbsim report."""
    lines = text.splitlines()
    comments = [l for l in lines if l.startswith("#")]
    body = [l for l in lines if l and not l.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(body)))
    assert reader.fieldnames == COLUMNS, reader.fieldnames
    return comments, [{k: int(v) for k, v in row.items()} for row in reader]


def have(*programs):
    return all(shutil.which(p) for p in programs)


class Build:
    """The outputs of tools/tlbsim/Makefile in one temporary directory."""

    def __init__(self):
        self.tmp = TempDir()
        self.out = self.tmp.path

    def make(self, target):
        r = run(["make", "-s", "-C", TLBSIM, "OUT=" + self.out, target], timeout=120)
        if r.returncode != 0:
            raise AssertionError("make %s failed:\n%s%s" % (target, r.stdout, r.stderr))
        return r

    def path(self, name):
        return os.path.join(self.out, name)


@unittest.skipUnless(have("make", "gcc"), "needs make and gcc")
class TlbModelTest(unittest.TestCase):
    def test_unit_tests_pass(self):
        b = Build()
        self.addCleanup(b.tmp.cleanup)
        b.make("test_tlbmodel")
        r = run([b.path("test_tlbmodel")])
        lines = r.stdout.splitlines()
        oks = [l for l in lines if l.startswith("ok ")]
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertRegex(lines[-1], r"^\d+ passed, 0 failed$")
        self.assertEqual(lines[-1], "%d passed, 0 failed" % len(oks))
        self.assertGreaterEqual(len(oks), 10)


@unittest.skipUnless(have("make", "gcc", QEMU), "needs make, gcc and " + QEMU)
class PluginLoadTest(unittest.TestCase):
    """Option handling; needs no guest (QEMU loads plugins before the kernel)."""

    @classmethod
    def setUpClass(cls):
        cls.build = Build()
        cls.build.make("all")

    @classmethod
    def tearDownClass(cls):
        cls.build.tmp.cleanup()

    def qemu(self, options):
        plugin = ",".join([self.build.path("tlbsim.so")] + options)
        return run([QEMU] + MACHINE + ["-kernel", "/dev/null", "-plugin", plugin], timeout=60)

    def test_loads_and_writes_header(self):
        out = self.build.path("empty.csv")
        r = self.qemu(["preset=c906", "walk=30", "out=" + out])
        self.assertNotIn("Could not load plugin", r.stderr)
        with open(out, encoding="utf-8") as f:
            comments, rows = parse_report(f.read())
        self.assertEqual(rows, [])
        self.assertRegex(comments[0], r"^# tlbsim preset=c906 itlb=10 iways=10 dtlb=10 "
                         r"dways=10 l2=128 l2ways=2 walk=30 l2hit=\d+ ptc=0 ptc_hit=0 "
                         r"fence_all=50 fence_addr=50 fence_asid=50 fence_addr_asid=50 "
                         r"satp=50 sinval=10 inval_fence=50 asid_bits=16 check=0 harts=1$")
        self.assertTrue(comments[1].startswith("# tlbsim model: openc906 RTL: "), comments)
        self.assertEqual(comments[-3], "# tlbsim machine asid_hw_bits=0 user_asid_max=0 "
                         "nonzero_asid_writes=0 regs_missing=0")
        self.assertEqual(comments[-2], "# tlbsim check off")
        self.assertTrue(comments[-1].startswith("# tlbsim end regions=0 "), comments)

    def test_options_shape_the_tlb(self):
        out = self.build.path("opts.csv")
        self.qemu(["preset=u54", "l2=64", "l2ways=4", "asids=1", "check=1", "out=" + out])
        with open(out, encoding="utf-8") as f:
            comments, _ = parse_report(f.read())
        self.assertIn(" l2=64 l2ways=4 walk=%d l2hit=%d ptc=0 ptc_hit=0 fence_all=%d "
                      "fence_addr=%d fence_asid=%d fence_addr_asid=%d satp=%d sinval=%d "
                      "inval_fence=%d asid_bits=16 check=1 "
                      % (WALK, L2HIT, FENCE, FENCE, FENCE, FENCE, SATP, SINVAL, INVAL_FENCE),
                      comments[0])
        self.assertTrue(comments[-2].startswith("# tlbsim check on stale=0 "), comments)
        out = self.build.path("costs.csv")
        self.qemu(["preset=u54", "fence=5", "fence_addr=9", "satp=3", "ptc=4", "ptc_hit=2",
                   "inval_fence=8", "sinval=2", "out=" + out])
        with open(out, encoding="utf-8") as f:
            comments, _ = parse_report(f.read())
        # fence= sets the sfence.vma forms only, not the Svinval costs.
        self.assertIn(" ptc=4 ptc_hit=2 fence_all=5 fence_addr=9 fence_asid=5 "
                      "fence_addr_asid=5 satp=3 sinval=2 inval_fence=8 ", comments[0])

    def test_bad_options_fail_the_load(self):
        cases = {"bogus=1": "unknown option 'bogus=1'", "preset=k7": "unknown preset 'k7'",
                 "itlb=x": "itlb wants a whole number", "iways=5": "iways must divide itlb",
                 "dtlb=0": "dtlb must be", "l2=100,l2ways=7": "l2ways must divide l2",
                 "asids=2": "asids wants a whole number 0..1",
                 "ptc=65": "ptc wants a whole number 0..64",
                 "fence=x": "fence wants a whole number 0..1000000",
                 "sinval=-1": "sinval wants a whole number 0..1000000",
                 "inval_fence=1000001": "inval_fence wants a whole number 0..1000000",
                 "check=yes": "check wants a whole number 0..1",
                 "strict=2": "strict wants a whole number 0..1",
                 "preset=rocket,dways=2": "dways of dtlb must be a multiple of its 4-page",
                 "out=/nonexistent/dir/x.csv": "cannot write /nonexistent/dir/x.csv"}
        for option, message in cases.items():
            with self.subTest(option=option):
                r = self.qemu(option.split(","))
                self.assertNotEqual(r.returncode, 0)
                self.assertIn("tlbsim: " + message, r.stderr)
                self.assertIn("Could not load plugin", r.stderr)


@unittest.skipUnless(have("make", "gcc", QEMU, CROSS), "needs make, gcc, %s and %s"
                     % (QEMU, CROSS))
class PluginGuestTest(unittest.TestCase):
    """selftest.S under the plugin: every row, every preset."""

    @classmethod
    def setUpClass(cls):
        cls.build = Build()
        cls.build.make("all")
        cls.build.make("selftest.elf")

    @classmethod
    def tearDownClass(cls):
        cls.build.tmp.cleanup()

    def run_guest(self, options):
        """(console text, report text or None) of one selftest run."""
        plugin = ",".join([self.build.path("tlbsim.so")] + options)
        r = run([QEMU] + MACHINE + ["-kernel", self.build.path("selftest.elf"),
                                    "-plugin", plugin], timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("done=", r.stdout)
        return r.stdout

    def report(self, preset):
        out = self.build.path(preset + ".csv")
        console = self.run_guest(["preset=" + preset, "out=" + out])
        with open(out, encoding="utf-8") as f:
            comments, rows = parse_report(f.read())
        return console, comments, rows

    def test_rows_per_preset(self):
        for preset in DATA:
            with self.subTest(preset=preset):
                _, comments, rows = self.report(preset)
                self.assertTrue(comments[0].startswith("# tlbsim preset=%s " % preset))
                self.assertEqual(rows, expected_rows(preset, costs(comments[0])))
                self.assertRegex(comments[-1], r"^# tlbsim end regions=10 abandoned=0 "
                                 r"stray_ends=0 insns_total=\d+$")

    def test_insns_match_instret(self):
        # The guest reads instret right before the begin marker and right
        # after the end marker: delta = insns + 3 (the read, both markers).
        # A load that faults counts in insns but does not retire.
        console, _, rows = self.report("u54")
        delta = {k: int(v, 16) for k, v in re.findall(r"^(\w+)=([0-9a-f]{16})\r?$",
                                                       console, re.M)}
        insns = {row["region"]: row["insns"] for row in rows[:8]}
        self.assertEqual(delta["loop"], insns[7] + 3)
        self.assertEqual(delta["mmio"], insns[13] + 3)
        self.assertEqual(delta["ecall"], insns[12] + 3)
        self.assertEqual(delta["fault"], insns[11] + 3 - 1)

    def test_default_output_is_stdout_after_console(self):
        console = self.run_guest(["preset=rocket"])
        head, sep, report = console.partition("# tlbsim preset=rocket")
        self.assertTrue(sep, console)
        self.assertIn("done=", head)
        _, rows = parse_report(sep + report)
        self.assertEqual(rows, expected_rows("rocket"))

    def test_custom_shape(self):
        # The shape is taken; a walk costs walk per level read: the one
        # S-mode data walk reads one PTE (a 1 GiB leaf).
        out = self.build.path("custom.csv")
        self.run_guest(["dtlb=40", "dways=4", "walk=100", "out=" + out])
        with open(out, encoding="utf-8") as f:
            comments, rows = parse_report(f.read())
        self.assertIn(" dtlb=40 dways=4 ", comments[0])
        self.assertIn(" walk=100 ", comments[0])
        last = rows[-1]
        self.assertEqual((last["region"], last["walks_1"]), (10, 1))
        self.assertEqual(last["est_cycles"], last["insns"] + 100)


PAGE = 4096
FAILED = 86  # tlbsim.c TLBSIM_EXIT_FAILED

# asidtest.S's regions: (misses, L2 hits, walks by depth) per preset; every
# miss is made in S-mode (kernel class). Region 20 is 1 fetch (its code
# lies in a 2 MiB page) and 8 data misses (4 KiB pages) after a satp write:
# served by c906's jTLB, walked on the cores without ASIDs (a kernel using
# ASIDs does not flush, so the model empties them at the satp write).
ASID_ROWS = {
    20: {"satp_writes": 1, "itlb_miss_kernel": 1, "dtlb_miss_kernel": 8},
    21: {"sfence_asid": 1, "dtlb_miss_kernel": 1},
    22: {"dtlb_miss_kernel": 9},
    23: {"sfence_addr": 1, "dtlb_miss_kernel": 1},
}
# Walks by depth (walks_1, walks_2, walks_3) where nothing hit an L2.
ASID_WALKS = {20: (0, 1, 8), 21: (0, 0, 1), 22: (0, 1, 8), 23: (0, 1, 0)}
# On the XuanTie presets the ASID fence of region 21 empties both micro-TLBs
# whole (as the C906 RTL does): the next fetch and the global load miss
# them and hit the jTLB; the ASID 1 load walks.
XUANTIE_21 = {"sfence_asid": 1, "itlb_miss_kernel": 1, "dtlb_miss_kernel": 2, "walks_3": 1}
ASID_ROWS_OF = {"c906": {21: XUANTIE_21}, "c910": {21: XUANTIE_21}}
# PTE-cache hits on the presets with one (Rocket's 8 entries), by construction:
# region 20, after the satp write empties it (no ASIDs on Rocket), the fetch
# walk misses on the root PTE of the 2 MiB code page, the first data walk on
# the root and level-1 PTEs of the 4 KiB pages, the other 7 hit both (14);
# 21's ASID fence empties it (0); 22's full fence too, but the code fetch
# before the region re-reads the root PTE the 2 MiB data page shares (1),
# then the 4 KiB pages as in 20 (14); 23's address fence keeps it (1).
ASID_PTC = {20: 14, 21: 0, 22: 15, 23: 1}
PTC_PRESETS = ("rocket", "rocket-l2")
ASID_L2 = {"u54": {}, "rocket": {}, "rocket-l2": {}, "u74": {},
           "c906": {20: 9, 21: 2}, "c910": {20: 9, 21: 2}}


@unittest.skipUnless(have("make", "gcc", QEMU, CROSS), "needs make, gcc, %s and %s"
                     % (QEMU, CROSS))
class AsidGuestTest(unittest.TestCase):
    """asidtest.S under the plugin: ASIDs read from satp, globals and
    superpages from its walks, and the stale-translation checker."""

    @classmethod
    def setUpClass(cls):
        cls.build = Build()
        cls.build.make("all")
        cls.build.make("guests")
        r = run(["riscv64-unknown-elf-nm", cls.build.path("asidtest.elf")])
        cls.sym = {name: int(addr, 16) for addr, _, name in
                   (l.split() for l in r.stdout.splitlines() if len(l.split()) == 3)}

    @classmethod
    def tearDownClass(cls):
        cls.build.tmp.cleanup()

    def run_guest(self, elf, options, status=0):
        """(stderr, comment lines, rows by region) of one run of elf."""
        out = self.build.path("asid.csv")
        plugin = ",".join([self.build.path("tlbsim.so")] + options + ["out=" + out])
        r = run([QEMU] + MACHINE + ["-kernel", self.build.path(elf), "-plugin", plugin],
                timeout=60)
        self.assertEqual(r.returncode, status, r.stdout + r.stderr)
        with open(out, encoding="utf-8") as f:
            comments, rows = parse_report(f.read())
        return r.stderr, comments, {row["region"]: row for row in rows}

    def test_rows_per_preset(self):
        insns = {}
        for preset in DATA:
            with self.subTest(preset=preset):
                err, comments, rows = self.run_guest("asidtest.elf", ["preset=" + preset])
                self.assertNotIn("tlbsim:", err)
                self.assertEqual(comments[-3], "# tlbsim machine asid_hw_bits=2 "
                                 "user_asid_max=0 nonzero_asid_writes=3 regs_missing=0")
                self.assertEqual(sorted(rows), sorted(ASID_ROWS))
                for region, counts in ASID_ROWS.items():
                    counts = ASID_ROWS_OF.get(preset, {}).get(region, counts)
                    row = rows[region]
                    want = dict.fromkeys(COUNTS, 0)
                    l2 = ASID_L2[preset].get(region, 0)
                    want.update(counts, l2_hits=l2)
                    if l2 == 0:
                        want.update(zip(("walks_1", "walks_2", "walks_3"), ASID_WALKS[region]))
                    if preset in PTC_PRESETS:
                        want["ptc_hits"] = ASID_PTC[region]
                    self.assertEqual({c: row[c] for c in want}, want, "region %d" % region)
                    self.assertEqual(row["est_cycles"], est_cycles(row, costs(comments[0])))
                    insns.setdefault(region, set()).add(row["insns"])
        self.assertEqual([len(v) for v in insns.values()], [1] * len(ASID_ROWS),
                         "a region's instruction count depends on the preset: %s" % insns)

    def test_asids_option(self):
        # u54 given ASIDs keeps both address spaces' entries: region 20 hits.
        _, comments, rows = self.run_guest("asidtest.elf", ["preset=u54", "asids=1"])
        self.assertIn(" asid_bits=16 ", comments[0])
        self.assertEqual(rows[20]["itlb_miss_kernel"] + rows[20]["dtlb_miss_kernel"], 0)
        # c906 without ASIDs: emptied whole at the satp write, all walk.
        _, _, rows = self.run_guest("asidtest.elf", ["preset=c906", "asids=0"])
        self.assertEqual((rows[20]["dtlb_miss_kernel"], rows[20]["l2_hits"]), (8, 0))

    def test_checker_reports_stale_not_covered(self):
        err, comments, _ = self.run_guest("asidtest.elf", ["preset=c906", "check=1"],
                                          status=FAILED)
        stale = [l for l in err.splitlines() if l.startswith("tlbsim: stale translation: ")]
        self.assertEqual(len(stale), 2, err)
        for line, (sym, va, page) in zip(stale, [("stale_other_ld", 0x21000, 33),
                                                  ("stale_none_sd", 0x22000, 34)]):
            access = "load" if sym.endswith("_ld") else "store"
            want = ("tlbsim: stale translation: hart 0 pc 0x%x (kernel) %s va 0x%x asid 1: "
                    "an entry of ASID 1 (4 KiB page now) cached frame 0x%x perms 0x6 but the "
                    "table now maps frame 0x%x perms 0x6; PTE at pa 0x%x last stored by pc "
                    % (self.sym[sym], access, va, self.sym["frames_a"] + page * PAGE,
                       self.sym["spare"] + (page - 32) * PAGE, self.sym["l0_a"] + 8 * page))
            self.assertTrue(line.startswith(want), "%s\nwant %s" % (line, want))
            pc = int(line.split("last stored by pc 0x")[1].split(";")[0], 16)
            self.assertTrue(self.sym["pte_at"] <= pc < self.sym["pte_at"] + 64,
                            "the PTE store's pc 0x%x is not in pte_at" % pc)
        self.assertNotIn(" va 0x20000 ", err)  # the covered remap
        self.assertNotIn("invalid-to-valid", err)  # strict mode only
        self.assertIn("tlbsim: the checker found 2 stale translation(s)", err)
        self.assertRegex(comments[-2], r"^# tlbsim check on stale=2 lookups=\d+ fills=\d+ "
                         r"marked=0$")

    def test_strict_reports_unfenced_mapping(self):
        # strict=1 implies check=1: the two stale reports stay as they are,
        # and page 40, mapped again with no fence while the hart ran the
        # table, is reported; page 41, fenced after its mapping, is not.
        err, comments, _ = self.run_guest("asidtest.elf", ["preset=c906", "strict=1"],
                                          status=FAILED)
        self.assertRegex(comments[0], r" check=1 harts=1 strict=1$")
        stale = [l for l in err.splitlines() if l.startswith("tlbsim: stale translation: ")]
        self.assertEqual(len(stale), 2, err)
        strict = [l for l in err.splitlines() if l.startswith("tlbsim: invalid-to-valid ")]
        self.assertEqual(len(strict), 1, err)
        want = ("tlbsim: invalid-to-valid without a fence (strict: no Svvptc): hart 0 pc 0x%x "
                "(kernel) load va 0x28000 asid 1: the table now maps frame 0x%x perms 0x6; its "
                "leaf PTE at pa 0x%x became valid "
                % (self.sym["strict_unfenced_ld"], self.sym["frames_a"] + 40 * PAGE,
                   self.sym["l0_a"] + 8 * 40))
        self.assertTrue(strict[0].startswith(want), "%s\nwant %s" % (strict[0], want))
        self.assertIn(" (storing hart's last trap: boot); no sfence.vma or sinval.vma covering "
                      "it on this hart since", strict[0])
        pc = int(strict[0].split("last stored by pc 0x")[1].split(" ")[0], 16)
        self.assertTrue(self.sym["pte_at"] <= pc < self.sym["pte_at"] + 64)
        self.assertIn("tlbsim: the strict checker found 1 invalid-to-valid change(s) used "
                      "without a fence: the kernel relies on Svvptc", err)
        self.assertEqual(comments[-3], "# tlbsim strict stored_by=0x%x context=boot "
                         "access=kernel reports=1" % pc)
        self.assertRegex(comments[-2], r"^# tlbsim check on stale=2 lookups=\d+ fills=\d+ "
                         r"marked=0 strict=1 invalid_to_valid=1 strict_checked=\d+$")


# svinvaltest.S's twin regions: 30 invalidates by sfence.vma, 31 by
# sinval.vma of the same operands between sfence.w.inval and sfence.inval.ir.
SV_FENCES, SV_SINVALS = 30, 31
# On u54, by construction: the address fences drop pages 0 and 1 (2 data
# misses), the ASID fence pages 0..3 (1 miss, page 3), the full fence the
# code's 2 MiB entry too (1 fetch miss, a 2-PTE walk; 1 data miss, page 2).
SV_U54 = {"itlb_miss_kernel": 1, "dtlb_miss_kernel": 4, "walks_2": 1, "walks_3": 4}


@unittest.skipUnless(have("make", "gcc", QEMU, CROSS), "needs make, gcc, %s and %s"
                     % (QEMU, CROSS))
class SvinvalGuestTest(unittest.TestCase):
    """svinvaltest.S under the plugin, on a hart with Svinval: sinval.vma
    invalidates in the model and the checker as sfence.vma of the same
    operands does; it and the Svinval fences are counted apart."""

    @classmethod
    def setUpClass(cls):
        cls.build = Build()
        cls.build.make("all")
        cls.build.make("svinvaltest.elf")
        r = run(["riscv64-unknown-elf-nm", cls.build.path("svinvaltest.elf")])
        cls.sym = {name: int(addr, 16) for addr, _, name in
                   (l.split() for l in r.stdout.splitlines() if len(l.split()) == 3)}

    @classmethod
    def tearDownClass(cls):
        cls.build.tmp.cleanup()

    def run_guest(self, options, status=0):
        """(stderr, comment lines, rows by region) of one run."""
        out = self.build.path("svinval.csv")
        plugin = ",".join([self.build.path("tlbsim.so")] + options + ["out=" + out])
        r = run([QEMU] + MACHINE + ["-cpu", "rv64,svinval=on", "-kernel",
                                    self.build.path("svinvaltest.elf"), "-plugin", plugin],
                timeout=60)
        self.assertEqual(r.returncode, status, r.stdout + r.stderr)
        with open(out, encoding="utf-8") as f:
            comments, rows = parse_report(f.read())
        return r.stderr, comments, {row["region"]: row for row in rows}

    def test_sinval_invalidates_as_sfence(self):
        for preset in DATA:
            with self.subTest(preset=preset):
                err, comments, rows = self.run_guest(["preset=" + preset])
                self.assertNotIn("tlbsim:", err)
                self.assertEqual(sorted(rows), [SV_FENCES, SV_SINVALS])
                fences, sinvals = rows[SV_FENCES], rows[SV_SINVALS]
                self.assertEqual([fences["sfence_" + f] for f in FORMS], [1] * len(FORMS))
                self.assertEqual((fences["sinvals"], fences["inval_fences"]), (0, 0))
                # The same TLB counts; the forms counted as sinvals, not as
                # sfence_*; the two Svinval fences as instructions too.
                self.assertEqual(
                    {c: sinvals[c] for c in COUNTS},
                    {c: fences[c] for c in COUNTS} | {"sfence_" + f: 0 for f in FORMS}
                    | {"sinvals": 4, "inval_fences": 2})
                self.assertEqual(sinvals["insns"], fences["insns"] + 2)
                self.assertGreater(fences["dtlb_miss_kernel"], 0)
                for row in (fences, sinvals):
                    self.assertEqual(row["est_cycles"], est_cycles(row, costs(comments[0])))
                if preset == "u54":
                    self.assertEqual({c: fences[c] for c in SV_U54}, SV_U54)

    def test_svinval_costs(self):
        _, comments, rows = self.run_guest(["sinval=7", "inval_fence=300"])
        self.assertIn(" sinval=7 inval_fence=300 ", comments[0])
        fences, sinvals = rows[SV_FENCES], rows[SV_SINVALS]
        self.assertEqual(sinvals["est_cycles"] - fences["est_cycles"],
                         2 + 4 * 7 + 2 * 300 - 4 * FENCE)

    def test_checker_covers_by_sinval(self):
        # The remap of page 32 is covered by its sinval.vma; page 33's,
        # with sfence.w.inval and sfence.inval.ir but no sinval.vma, is not.
        err, comments, _ = self.run_guest(["check=1"], status=FAILED)
        stale = [l for l in err.splitlines() if l.startswith("tlbsim: stale translation: ")]
        self.assertEqual(len(stale), 1, err)
        want = ("tlbsim: stale translation: hart 0 pc 0x%x (kernel) load va 0x21000 asid 1: "
                "an entry of ASID 1 (4 KiB page now) cached frame 0x%x perms 0x6 but the "
                "table now maps frame 0x%x perms 0x6; "
                % (self.sym["sv_stale_ld"], self.sym["frames"] + 33 * PAGE,
                   self.sym["spare"] + PAGE))
        self.assertTrue(stale[0].startswith(want), "%s\nwant %s" % (stale[0], want))
        self.assertTrue(stale[0].endswith("no sfence.vma or sinval.vma covering it on this "
                                          "hart since"), stale[0])
        self.assertIn("tlbsim: the checker found 1 stale translation(s)", err)
        self.assertRegex(comments[-2], r"^# tlbsim check on stale=1 ")


@unittest.skipUnless(have("make", "gcc", QEMU, CROSS), "needs make, gcc, %s and %s"
                     % (QEMU, CROSS))
class WalkMatchesPgtblTest(unittest.TestCase):
    """The page sizes, G bits and permissions the plugin's own walker reads
    from the kernel table equal what pgtbl prints of the same table (a
    config with ASIDs, so G is set, and megapages, so sizes differ)."""

    def test_leaves_equal_pgtbl(self):
        root = os.path.dirname(TLBSIM.rstrip("/"))
        root = os.path.dirname(root)
        configs = run(["make", "-s", "--no-print-directory", "-C", root, "configs"]).stdout.split()

        def traits(c):
            out = run(["make", "-s", "--no-print-directory", "-C", root, "traits",
                       "CONFIG=" + c]).stdout.split()
            return dict(t.split("=", 1) for t in out if "=" in t)

        chosen = [c for c in configs if all(traits(c).get(k) == v for k, v in
                                            (("asid", "1"), ("megapages", "1"),
                                             ("kernel_table", "shared")))]
        if not chosen:
            self.skipTest("no config with ASIDs, megapages and one shared kernel table")
        b = Build()
        self.addCleanup(b.tmp.cleanup)
        b.make("all")
        config = chosen[0]
        r = run(["make", "-s", "--no-print-directory", "-C", root, "CONFIG=" + config],
                timeout=600)
        self.assertEqual(r.returncode, 0, r.stderr)
        leaves = b.path("leaves.txt")
        r = run([os.path.join(root, "tools", "run.sh"), "--kernel",
                 os.path.join(root, "build", config, "kernel"), "--cmd", "pgtbl -k -l",
                 "--timeout", "120", "--extra",
                 "-plugin %s,leaves=%s,out=%s" % (b.path("tlbsim.so"), leaves,
                                                   b.path("pg.csv"))], timeout=200)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        printed = []
        for line in r.stdout.replace("\r", "").splitlines():
            m = re.match(r"^(0x[0-9a-f]+)-0x[0-9a-f]+ pa 0x[0-9a-f]+ (\S+) (\S+)$", line)
            if m:
                printed.append(" ".join(m.groups()))
        with open(leaves, encoding="utf-8") as f:
            walked = f.read().splitlines()
        self.assertTrue(any(l.endswith(" 2M") for l in walked), "no 2 MiB leaf walked")
        self.assertTrue(all(" " in l and l.split()[1].endswith("g") for l in walked),
                        "a kernel leaf without G")
        self.assertEqual(walked, printed)


if __name__ == "__main__":
    unittest.main()
