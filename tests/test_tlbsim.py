"""tests/test_tlbsim.py: the TLB-model plugin in tools/tlbsim/.

Builds, into a temporary directory, the model's unit test (run and its
"N passed, N failed" line checked), the plugin, and the bare-metal guest
tools/tlbsim/selftest.S, then runs the guest under qemu-system-riscv64 with
the plugin and compares every CSV row with counts known by construction and
with the guest's own instret deltas. Tests skip when gcc, make, QEMU or
riscv64-unknown-elf-gcc is missing.

Reads:  tools/tlbsim/. Writes: temporary files only.
"""
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
           "dtlb_miss_kernel", "l2_hits", "est_cycles"]
WALK, L2HIT = 20, 4

# Rows of selftest.S in execution order: (region, insns, nonzero counters).
# TLB misses that depend on the preset are filled in by expected_rows().
ROWS = [
    (7, 1000, {}),
    (8, 12, {"satp_writes": 4, "sfence_all": 1, "sfence_addr": 1, "sfence_asid": 1,
             "sfence_addr_asid": 1, "itlb_miss_kernel": 3}),
    (9, 4, {"itlb_miss_kernel": 3}),
    (10, 3 * (4 + 4 * 32), {"dtlb_miss_kernel": "d32x3"}),
    (10, 2 * (4 + 4 * 40), {"dtlb_miss_kernel": "d40x2"}),
    (11, 10, {}),  # the faulting load and 9 handler instructions
    (13, 5, {}),
    (12, 12, {}),  # ecall and 11 handler instructions
    (9, 4, {"itlb_miss_user": 3}),
    (10, 2 * (4 + 4 * 40), {"dtlb_miss_user": "d40x2"}),
]

# (L1 D-TLB misses, L2 hits) of the data regions, per preset: 32 pages x 3
# passes, then 40 pages x 2, each after a flush.
DATA = {
    "u54": {"d32x3": (32, 0), "d40x2": (80, 0)},      # 32 FA, no L2
    "rocket": {"d32x3": (32, 0), "d40x2": (80, 40)},  # 32 FA + 512 DM
    "c906": {"d32x3": (96, 64), "d40x2": (80, 40)},   # 10 FA + 512 4-way
}


def expected_rows(preset):
    """The CSV rows selftest.S must produce under preset, as dicts of ints."""
    rows = []
    for region, insns, counts in ROWS:
        row = dict.fromkeys(COLUMNS, 0)
        row.update(region=region, insns=insns)
        for name, value in counts.items():
            if isinstance(value, str):
                row[name], row["l2_hits"] = DATA[preset][value]
            else:
                row[name] = value
        misses = sum(row[c] for c in COLUMNS if "_miss_" in c)
        row["est_cycles"] = insns + row["l2_hits"] * L2HIT + (misses - row["l2_hits"]) * WALK
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
        self.assertEqual(comments[0], "# tlbsim preset=c906 itlb=10 iways=10 dtlb=10 "
                         "dways=10 l2=512 l2ways=4 walk=30 l2hit=4 harts=1")
        self.assertTrue(comments[-1].startswith("# tlbsim end regions=0 "), comments)

    def test_bad_options_fail_the_load(self):
        cases = {"bogus=1": "unknown option 'bogus=1'", "preset=k7": "unknown preset 'k7'",
                 "itlb=x": "itlb wants a whole number", "iways=5": "iways must divide itlb",
                 "dtlb=0": "dtlb must be", "l2=100,l2ways=7": "l2ways must divide l2",
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
                self.assertEqual(rows, expected_rows(preset))
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
        # A 40-entry 4-way D-TLB holds 40 consecutive pages (4 per set), so
        # the second pass over them hits; 32 pages x 3 miss only cold.
        out = self.build.path("custom.csv")
        self.run_guest(["dtlb=40", "dways=4", "walk=100", "out=" + out])
        with open(out, encoding="utf-8") as f:
            comments, rows = parse_report(f.read())
        self.assertIn(" dtlb=40 dways=4 ", comments[0])
        data = [r for r in rows if r["region"] == 10]
        self.assertEqual([r["dtlb_miss_kernel"] + r["dtlb_miss_user"] for r in data],
                         [32, 40, 40])
        self.assertEqual(data[0]["est_cycles"], data[0]["insns"] + 32 * 100)


if __name__ == "__main__":
    unittest.main()
