"""tests/test_newbench.py: adding a benchmark is one C function and one record.

The benchmark twin of tests/test_newdesign.py. In a scratch copy of the
repository a newcomer adds a benchmark "newbench" (one uptime() system call
per operation) as docs/results.md says: one point function in
user/bench/ptbench.c with its line in the families table, and one record in
plot/benches.py (headline, bars). With no other edit, `make bench
BENCH=newbench QUICK=1` on one design must show it in the CSV, summary.csv,
the report (its section and the summary's headline table), tables/ and the
bench_bars figure. About two minutes (one kernel built, a gate, a run).

Reads:  the repository (git ls-files). Writes: a temporary directory.
"""

# host-test-seconds: 9 (about this long in make test here; tools/test.sh runs the heaviest first)
import csv
import os
import shutil
import subprocess
import unittest

from test_newdesign import scratch_copy
from toolhelp import TempDir, tested_designs

NEW = "newbench"
C_FUNCTION = '''
static int
op_newbench(void *arg)
{
	return uptime() < 0 ? -1 : 0;
}

static int
point_newbench(long param)
{
	return run_point("newbench", param, "none", bench_iters(2000), op_newbench, 0);
}

'''
C_ROW = '    {"newbench", SWEEP(zero), 0, 0, 0, 0, point_newbench},\n'
RECORD = '''
RECORDS.append(
    {"name": "newbench", "short": "uptime", "text": "One uptime() system call.",
     "traits": ["trap_switch"], "headline": "smallest", "bars": True})
'''


def add_benchmark(root):
    """The newcomer's two edits: the C driver and the registry."""
    path = os.path.join(root, "user", "bench", "ptbench.c")
    with open(path, encoding="utf-8") as f:
        c = f.read()
    anchor = "#define SWEEP(a)"
    c = c.replace(anchor, C_FUNCTION + anchor, 1)
    table = "static const struct family families[] = {\n"
    c = c.replace(table, table + C_ROW, 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(c)
    path = os.path.join(root, "plot", "benches.py")
    with open(path, encoding="utf-8") as f:
        py = f.read()
    anchor = "BY_NAME = "
    with open(path, "w", encoding="utf-8") as f:
        f.write(py.replace(anchor, RECORD + "\n" + anchor, 1))


@unittest.skipUnless(shutil.which("qemu-system-riscv64") and shutil.which("git"),
                     "QEMU or git not installed")
class NewBenchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir()
        cls.root = os.path.join(cls.tmp.path, "repo")
        scratch_copy(cls.root)
        add_benchmark(cls.root)
        cls.design = tested_designs()[0]
        cls.results = os.path.join(cls.tmp.path, "res")
        cls.made = subprocess.run(
            ["make", "-s", "--no-print-directory", "bench", "CONFIG=" + cls.design,
             "BENCH=" + NEW, "QUICK=1", "RESULTS=" + cls.results],
            cwd=cls.root, capture_output=True, text=True, timeout=1500,
            stdin=subprocess.DEVNULL)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def read(self, *path):
        with open(os.path.join(self.results, *path), encoding="utf-8") as f:
            return f.read()

    def test_bench_ran(self):
        self.assertEqual(self.made.returncode, 0,
                         self.made.stdout[-3000:] + self.made.stderr[-3000:])

    def test_in_csv_and_summary(self):
        with open(os.path.join(self.results, self.design + ".csv"), encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual({r["bench"] for r in rows}, {NEW})
        self.assertTrue(all(float(r["instret_per_op"]) > 0 for r in rows))
        self.assertIn("," + NEW + ",", self.read("summary.csv"))

    def test_in_report(self):
        md = self.read("report.md")
        summary = md[:md.index("# Detail")]
        self.assertIn("uptime (instructions)", summary)  # the headline column
        self.assertIn("### " + NEW, md)
        self.assertIn("One uptime() system call.", md)
        self.assertIn("| uptime |", md)  # its row, no "param 0"

    def test_in_tables_and_figure(self):
        self.assertIn(NEW, self.read("tables", NEW + ".csv") + self.read("tables", NEW + ".tex"))
        self.assertIn("uptime", self.read("tables", "headline.tex"))
        self.assertIn(NEW, self.read("plots", "data", "bench_bars.dat"))
        self.assertTrue(os.path.getsize(os.path.join(self.results, "plots",
                                                     "bench_bars.svg")) > 1000)
        self.assertTrue(os.path.exists(os.path.join(self.results, "report.pdf")))


if __name__ == "__main__":
    unittest.main()
