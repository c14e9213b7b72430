"""tests/test_pdf.py: the report of the 20-config reference, as a student hands it in.

The committed reference's CSVs, meta and TLB results are copied to a
scratch directory and `make report RESULTS=dir` runs on them. Then:

- report.pdf exists and pdflatex reported no overfull box wider than 1 pt
  (every tables/*.tex is in it, so every table fits the text width);
- the summary ends on page 2 at the latest;
- report.md's summary comes first, has at most ten findings, none of them
  a 0.0 % difference, and no prose line names more than five configs.

About a minute (gnuplot, pdflatex). results/ is never written.

Reads:  results/*.csv, *.meta.json, results/tlb/, plot/, Makefile.
Writes: temporary directories.
"""

# host-test-seconds: 26 (about this long in make test here; tools/test.sh runs the heaviest first)
import glob
import os
import re
import shutil
import subprocess
import unittest

from toolhelp import ROOT, TempDir

OVERFULL = re.compile(r"Overfull \\hbox \(([\d.]+)pt too wide\)")


def copy_reference(where):
    for p in glob.glob(os.path.join(ROOT, "results", "*.csv")) + \
            glob.glob(os.path.join(ROOT, "results", "*.meta.json")):
        if not p.endswith("summary.csv"):
            shutil.copy(p, where)
    tlb = os.path.join(ROOT, "results", "tlb")
    if os.path.isdir(tlb):
        shutil.copytree(tlb, os.path.join(where, "tlb"),
                        ignore=shutil.ignore_patterns("summary.csv"))


@unittest.skipUnless(shutil.which("pdflatex") and shutil.which("gnuplot"),
                     "pdflatex or gnuplot not installed")
class ReferencePdfTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir()
        cls.dir = cls.tmp.path
        copy_reference(cls.dir)
        cls.made = subprocess.run(["make", "-s", "--no-print-directory", "report",
                                  "RESULTS=" + cls.dir], cwd=ROOT, capture_output=True,
                                 text=True, timeout=900)
        cls.configs = sorted(os.path.basename(p)[:-4] for p in
                             glob.glob(os.path.join(cls.dir, "*.csv"))
                             if not p.endswith("summary.csv"))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def read(self, name):
        with open(os.path.join(self.dir, name), encoding="utf-8", errors="replace") as f:
            return f.read()

    def test_made(self):
        self.assertEqual(self.made.returncode, 0, self.made.stderr[-3000:])
        self.assertTrue(os.path.getsize(os.path.join(self.dir, "report.pdf")) > 10000)

    def test_no_overfull_box(self):
        log = self.read("report.log")
        wide = [float(w) for w in OVERFULL.findall(log)]
        self.assertEqual([w for w in wide if w > 1.0], [], "overfull boxes in report.log")
        self.assertNotIn("Float too large", log)

    def test_summary_two_pages(self):
        m = re.search(r"ptbench: summary ends on page (\d+)", self.read("report.log"))
        self.assertIsNotNone(m)
        self.assertLessEqual(int(m.group(1)), 2)

    def test_summary_first_and_findings(self):
        md = self.read("report.md")
        self.assertLess(md.index("## Summary"), md.index("# Detail"))
        found = md.split("### Findings")[1].split("# Detail")[0].split("\n### ")[0]
        bullets = [l for l in found.splitlines() if l.startswith("- ")]
        self.assertTrue(1 <= len(bullets) <= 10, bullets)
        for b in bullets:
            self.assertNotRegex(b, r"[+-]0\.0 ?%")

    def test_no_prose_enumerates_more_than_five_configs(self):
        names = sorted(self.configs, key=len, reverse=True)
        for line in self.read("report.md").splitlines():
            if line.startswith("|"):
                continue  # tables may list every config
            rest, count = line, 0
            for n in names:  # longest first, so global-asid is not also global
                hits = len(re.findall(r"(?<![\w-])%s(?![\w-])" % re.escape(n), rest))
                count += hits
                rest = re.sub(r"(?<![\w-])%s(?![\w-])" % re.escape(n), " ", rest)
            self.assertLessEqual(count, 5, line[:300])


if __name__ == "__main__":
    unittest.main()
