"""tests/test_results_tools.py: the report's fits and ratios checked against
values computed here from the CSVs alone (csv module and closed-form least
squares, no pandas and no plot/ code); make compare on two result sets that
differ in exactly one benchmark and config, and on their multi-hart runs
(smp/, smp/tlb/: a moved count, none, one side only, a malformed CSV); the
LaTeX tables compiled (when a LaTeX engine is installed) or parsed; the
refusals that keep the reference results safe.

Reads:  tests/fixtures/ (global, perproc, umap: every benchmark), plot/,
        tools/bench.sh, Makefile; the multi-hart runs come from
        test_shoot_report's model of them. Writes: temporary directories only.
"""
import csv
import os
import re
import shutil
import statistics
import subprocess
import sys
import unittest

from test_shoot_report import counts, write_run
from toolhelp import ROOT, TempDir, run, tool

FIXTURES = os.path.join(ROOT, "tests", "fixtures")
PLOT = os.path.join(ROOT, "plot")


def edit_csv(path, edit):
    """Rewrite a CSV with edit(row) applied to every row (a dict of strings)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        edit(r)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def medians(path, bench, col="instret_per_op"):
    """{param: median of col} over the non-idled samples of bench."""
    by = {}
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["bench"] == bench and r["idled"] == "0":
                by.setdefault(int(r["param"]), []).append(float(r[col]))
    return {p: statistics.median(v) for p, v in by.items()}


def line_fit(xs, ys):
    """Closed-form simple least squares: (intercept, slope)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return my - slope * mx, slope


class Results(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)
        self.dir = os.path.join(self.tmp.path, "results")
        shutil.copytree(FIXTURES, self.dir)

    def make_report(self, where=None):
        where = where or self.dir
        for script in ("summarize.py", "report.py", "tables.py"):
            r = run([sys.executable, os.path.join(PLOT, script), "--results", where])
            self.assertEqual(r.returncode, 0, script + ": " + r.stderr)
        with open(os.path.join(where, "report.md"), encoding="utf-8") as f:
            return f.read()


class FitsAndRatiosTest(Results):
    def test_fork_fit_matches_independent_least_squares(self):
        report = self.make_report()
        section = report[report.index("### fork_exit_wait", report.index("## Fits")):]
        for config in ("global", "perproc", "umap"):
            m = medians(os.path.join(self.dir, config + ".csv"), "fork_exit_wait")
            ps = sorted(m)
            fixed, per_page = line_fit([p / 4 for p in ps], [m[p] for p in ps])
            row = re.search(r"\| %s \| ([\d,.]+)[^|]*\| ([\d,.]+)" % config, section)
            self.assertIsNotNone(row, section[:600])
            self.assertAlmostEqual(float(row.group(1).replace(",", "")), fixed, delta=1)
            self.assertAlmostEqual(float(row.group(2).replace(",", "")), per_page, delta=0.01)

    def test_sbrk_fit_and_ratio(self):
        report = self.make_report()
        m = medians(os.path.join(self.dir, "umap.csv"), "sbrk")
        fixed, per_page = line_fit(sorted(m), [m[p] for p in sorted(m)])
        section = report[report.index("### sbrk", report.index("## Fits")):]
        self.assertRegex(section, r"\| umap \| %s[^|]*\| %s" % (
            re.escape("{:,.0f}".format(fixed)), re.escape("{:,.0f}".format(per_page))))
        g = medians(os.path.join(self.dir, "global.csv"), "sbrk")
        with open(os.path.join(self.dir, "summary.csv"), encoding="utf-8") as f:
            rows = {(r["config"], r["bench"], r["param"]): r for r in csv.DictReader(f)}
        for p in m:
            self.assertAlmostEqual(float(rows[("umap", "sbrk", str(p))]["ratio_to_global"]),
                                   m[p] / g[p], places=4)

    def test_ratio_figure_data(self):
        self.make_report()
        with open(os.path.join(self.dir, "plots", "data", "ratio.dat"), encoding="utf-8") as f:
            lines = f.read().splitlines()
        head = lines[0].split()
        self.assertEqual(head, ["operation", "perproc", "umap"])  # the reference left out
        getpid = [l for l in lines if l.startswith('"getpid"')][0].split()
        g = medians(os.path.join(self.dir, "global.csv"), "getpid")[0]
        u = medians(os.path.join(self.dir, "umap.csv"), "getpid")[0]
        self.assertAlmostEqual(float(getpid[2]), u / g, places=3)


class TablesTest(Results):
    def test_wide_csv_and_latex(self):
        self.make_report()
        tables = os.path.join(self.dir, "tables")
        with open(os.path.join(tables, "write_null.csv"), encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        m = medians(os.path.join(self.dir, "perproc.csv"), "write_null", "cycles_per_op")
        self.assertEqual([int(r["param_bytes"]) for r in rows], sorted(m))
        for r in rows:
            self.assertAlmostEqual(float(r["perproc"]), m[int(r["param_bytes"])], places=3)
        for name in sorted(os.listdir(tables)):
            if not name.endswith(".tex"):
                continue
            with open(os.path.join(tables, name), encoding="utf-8") as f:
                tex = f.read()
            with self.subTest(table=name):
                self.check_latex(tex)
        engine = shutil.which("pdflatex") or shutil.which("lualatex")
        if engine:
            doc = os.path.join(self.tmp.path, "doc.tex")
            with open(doc, "w", encoding="utf-8") as f:
                f.write("\\documentclass{article}\\usepackage{booktabs}\\usepackage{float}"
                        "\\begin{document}\n"
                        + "".join("\\input{%s}\n" % os.path.join(tables, n)
                                  for n in sorted(os.listdir(tables)) if n.endswith(".tex"))
                        + "\\end{document}\n")
            r = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", doc],
                               cwd=self.tmp.path, capture_output=True, text=True, timeout=120)
            self.assertEqual(r.returncode, 0, r.stdout[-2000:])

    def check_latex(self, tex):
        """booktabs structure, one cell per column, nothing unescaped."""
        self.assertIn(r"\toprule", tex)
        self.assertIn(r"\midrule", tex)
        self.assertIn(r"\bottomrule", tex)
        spec = re.search(r"\\begin\{tabular\}\{((?:[lr]|p\{[^}]*\})+)\}", tex).group(1)
        spec = re.sub(r"p\{[^}]*\}", "p", spec)  # one column each
        body = tex[tex.index(r"\toprule") + 8:tex.index(r"\bottomrule")]
        for line in [l for l in body.replace(r"\midrule", "").splitlines() if l.strip()]:
            self.assertTrue(line.endswith(r"\\"), line)
            self.assertEqual(len(re.split(r"(?<!\\)&", line)), len(spec), line)
            self.assertIsNone(re.search(r"(?<!\\)[_%#]", line), line)
        self.assertEqual(tex.count("{"), tex.count("}"))


class Comparing(Results):
    def compare(self, base, new):
        out = os.path.join(self.tmp.path, "cmp")
        r = run([sys.executable, os.path.join(PLOT, "compare.py"), "--base", base,
                 "--new", new, "--out", out])
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout, out


class CompareTest(Comparing):
    def test_only_the_changed_benchmark_and_config_move(self):
        new = os.path.join(self.tmp.path, "new")
        shutil.copytree(self.dir, new)

        def slower(r):  # a slower copyin: 100 more instructions per write
            if r["bench"] == "write_null":
                for c in ("cycles_per_op", "instret_per_op"):
                    r[c] = "%.4f" % (float(r[c]) + 100)
        edit_csv(os.path.join(new, "perproc.csv"), slower)
        text, out = self.compare(self.dir, new)
        self.assertIn("a difference between BASE and NEW is real", text)
        moved = re.findall(r"^- \*\*(\w+)\*\* moved in (.+?) \(at", text, re.M)
        self.assertEqual(moved, [("write_null", "perproc")])
        self.assertIn("| 4096 | perproc | instructions | 1,394 | 1,494 | +100 | +7.17% |", text)
        self.assertNotIn("| global |", text)
        self.assertTrue(os.path.exists(os.path.join(out, "plots", "data", "write_null.dat")))

    def test_identical_sets_and_notes(self):
        new = os.path.join(self.tmp.path, "new")
        shutil.copytree(self.dir, new)
        text, _ = self.compare(self.dir, new)
        self.assertIn("Nothing moved", text)
        self.assertNotIn("ulti-hart", text)  # no smp/ on either side: no word of it
        meta = os.path.join(new, "umap.meta.json")
        with open(meta, encoding="utf-8") as f:
            m = f.read().replace('"quick": false', '"quick": true').replace("0123abc", "4567def")
        with open(meta, "w", encoding="utf-8") as f:
            f.write(m)
        os.remove(os.path.join(new, "global.csv"))
        text, _ = self.compare(self.dir, new)
        self.assertIn("NEW is a quick run for umap", text)
        self.assertIn("commit differs: umap: `0123abc` → `4567def`", text)
        self.assertIn("Only in BASE (not compared): global.", text)

    def test_bad_directory(self):
        r = run([sys.executable, os.path.join(PLOT, "compare.py"), "--base", self.dir,
                 "--new", os.path.join(self.tmp.path, "nosuch")])
        self.assertEqual(r.returncode, 1)
        self.assertIn("is not a directory", r.stderr)


class CompareSmpTest(Comparing):
    """The multi-hart runs: BASE is the fixtures with global@2 and global@4
    (smp/) and a TLB-model run global@2 under rocket (smp/tlb/); NEW a copy."""

    def setUp(self):
        super().setUp()
        for harts in (2, 4):
            write_run(self.dir, "global", harts, wake=True)
        os.makedirs(os.path.join(self.dir, "smp", "tlb"))
        shutil.copy(os.path.join(FIXTURES, "tlb", "global-rocket.csv"),
                    os.path.join(self.dir, "smp", "tlb", "global-2-rocket.csv"))
        self.new = os.path.join(self.tmp.path, "new")
        shutil.copytree(self.dir, self.new)

    def test_moved_ipi_count_with_both_values(self):
        def more_ipis(family, pages, c):
            if (family, pages) == ("shoot_lazy", 16):
                c["ipis_sent"] += 3
        write_run(self.new, "global", 4, change=more_ipis, wake=True)
        text, _ = self.compare(self.dir, self.new)
        smp = text[text.index("## Multi-hart runs"):]
        self.assertEqual(re.findall(r"^- \*\*(\w+)\*\* moved in (.+?) \(at (.+)\)", smp, re.M),
                         [("shoot_lazy", "global@4", "16")])
        was = counts("global", 4, "shoot_lazy", 16)["ipis_sent"] + 1  # and a wakeup IPI
        self.assertIn("| 16 | global | 4 | ipis_sent | %d | %d | +3 |" % (was, was + 3), smp)
        self.assertEqual(len(re.findall(r"^\| 16 \| global \| 4 \|", smp, re.M)), 1, smp)
        self.assertIn("Nothing moved: all", text[:text.index("## Multi-hart runs")])

    def test_moved_tlb_model_figure(self):
        def slower(r):
            if r["bench"] == "getpid":
                r["tlb_est_cycles"] = str(int(r["tlb_est_cycles"]) + 2000 * int(r["iters"]))
        edit_csv(os.path.join(self.new, "smp", "tlb", "global-2-rocket.csv"), slower)
        text, _ = self.compare(self.dir, self.new)
        smp = text[text.index("## Multi-hart runs"):]
        self.assertRegex(smp, r"\| 0 \| global \| 2 \| est\. cycles \(rocket\) \| [\d,]+ \| "
                              r"[\d,]+ \| \+2,000 \|")
        self.assertIn("- **getpid** moved in global@2 (at 0).", smp)

    def test_unchanged_set_reports_nothing_moved(self):
        text, _ = self.compare(self.dir, self.new)
        smp = text[text.index("## Multi-hart runs"):]
        self.assertRegex(smp, r"Nothing moved: all \d+ points compared \(global@2 and "
                              r"global@4\) are identical in every figure\.")
        self.assertNotIn(" moved in ", text)
        self.assertNotIn("## Notes", text)

    def test_one_sided_runs_are_said(self):
        shutil.rmtree(os.path.join(self.new, "smp", "tlb"))
        os.remove(os.path.join(self.new, "smp", "global-4.csv"))
        write_run(self.new, "global", 2)  # an older kernel's: no wake_ipis
        text, _ = self.compare(self.dir, self.new)
        self.assertIn("- NEW's multi-hart runs do not count wake_ipis (an older kernel): not "
                      "compared.\n", text)
        self.assertNotIn("| wake_ipis |", text)
        self.assertIn("- Only BASE has the TLB model's multi-hart runs (smp/tlb/): not "
                      "compared.\n", text)
        self.assertIn("- Multi-hart runs only in BASE (not compared): global@4.\n", text)
        shutil.rmtree(os.path.join(self.new, "smp"))
        text, _ = self.compare(self.new, self.dir)
        self.assertEqual(re.findall(r"^- .*ulti-hart.*$", text, re.M),
                         ["- Only NEW has multi-hart runs (smp/): not compared.",
                          "- Only NEW has the TLB model's multi-hart runs (smp/tlb/): not "
                          "compared."])
        self.assertNotIn("## Multi-hart runs", text)

    def test_runs_alone_are_compared(self):
        for where in (self.dir, self.new):
            for name in os.listdir(where):
                if name.endswith((".csv", ".meta.json")):
                    os.remove(os.path.join(where, name))
        text, _ = self.compare(self.dir, self.new)
        self.assertNotIn("## Summary", text)
        self.assertIn("Nothing moved: all", text[text.index("## Multi-hart runs"):])

    def test_malformed_smp_csv_fails(self):
        for name, col, bench in (("global-2-rocket.csv", "tlb_est_cycles", "getpid"),
                                 ("global-2.csv", "ipis_sent", "shoot_all")):
            def bad(r):
                if r["bench"] == bench:
                    r[col] = "lots"
            where = os.path.join(self.new, "smp", "tlb" if "rocket" in name else "")
            edit_csv(os.path.join(where, name), bad)
            r = run([sys.executable, os.path.join(PLOT, "compare.py"), "--base", self.dir,
                     "--new", self.new])
            self.assertEqual(r.returncode, 1, r.stdout)
            self.assertRegex(r.stderr, r"^compare\.py: error: .*%s line \d+: column %s is not "
                                       r"a number: 'lots'" % (re.escape(name), col))
            self.assertEqual(r.stdout, "")


class SafetyTest(unittest.TestCase):
    def test_quick_or_partial_run_refused_in_reference(self):
        for args, what in ((["--quick"], "refusing a quick run into results/"),
                           (["--bench", "getpid"], "refusing a partial run")):
            r = run([tool("bench.sh")] + args + ["--results", os.path.join(ROOT, "results"),
                                                 "global"])
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn(what, r.stderr)

    def test_boolean_options(self):
        for value in ("0", "1", "no", "yes"):
            r = run(["make", "-n", "QUICK=" + value, "bench"])
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual("--quick" in r.stdout, value in ("1", "yes"), r.stdout)
            self.assertIn("--results 'results/latest'", r.stdout)
        r = run(["make", "-n", "QUICK=maybe", "bench"])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("QUICK='maybe' is not a boolean: use 0, 1, no or yes", r.stderr)

    def test_run_needs_cmd_and_cpus_in_range(self):
        r = run(["make", "--no-print-directory", "run"])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("make run needs CMD=", r.stderr)
        self.assertIn("make qemu", r.stderr)
        for cpus in ("0", "99", "x"):
            r = run(["make", "--no-print-directory", "CPUS=" + cpus, "CMD=echo", "run"])
            self.assertNotEqual(r.returncode, 0)
            self.assertRegex(r.stderr, r"CPUS=%s is out of range: the kernel supports 1\.\.\d+"
                             % cpus)

    def test_latest_is_ignored_by_git(self):
        # results/latest is a link to results/runs/<date>/, both git-ignored.
        for path in ("results/latest", "results/runs/20260101-000000/global.csv"):
            r = run(["git", "check-ignore", "--no-index", path])
            self.assertEqual(r.returncode, 0, path + ": " + r.stdout + r.stderr)


if __name__ == "__main__":
    unittest.main()
