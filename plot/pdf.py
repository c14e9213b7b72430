#!/usr/bin/python3
"""plot/pdf.py: report.pdf, the report a student hands in, through pdflatex.

Usage:  /usr/bin/python3 plot/pdf.py --results DIR   (after report.py,
        tables.py and plots.sh, whose outputs it gathers)

Page 1: the run's facts (commit, QEMU and its flags, quick or not, from
the meta files only) and the summary: the headline table and the findings
(plot/headline.py, with the shootdown runs' one, plot/shoot.py), and where
each TLB contrast holds over the cost sweep (plot/reprice.py). Then the
figures (DIR/plots/*.png, captions from report.py) and every table of
DIR/tables/*.tex. A plain article page. A result set of shootdown runs
alone (DIR/smp/ only) gives their facts, finding, figures and table.

Reads:  DIR/*.csv and meta (through ptresults), DIR/smp/*.csv and meta
        (through plot/shoot.py), DIR/tables/*.tex, DIR/plots/*.png.
Writes: DIR/report.pdf (whole, or not at all), and DIR/report.tex and
        DIR/report.log (pdflatex's log: overfull boxes are reported there).
        pdflatex runs in a temporary directory.
Exit:   0 on success, 1 on bad input or a LaTeX error (the log's error
        lines on stderr).
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile

import headline
import reprice
import shoot
from ptresults import (Configs, InputError, Table, load, quick_configs, result_paths,
                       summarize)
from report import FIGURES, facts_lines, smp_facts
from tables import tex

PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage{booktabs}
\usepackage{graphicx}
\usepackage{float}
\DeclareUnicodeCharacter{00D7}{\ensuremath{\times}}
\DeclareUnicodeCharacter{2013}{--}
\DeclareUnicodeCharacter{2212}{\ensuremath{-}}
\DeclareUnicodeCharacter{2264}{\ensuremath{\le}}
\DeclareUnicodeCharacter{00B1}{\ensuremath{\pm}}
\title{ptbench results%s}
\date{}
\begin{document}
\maketitle
\vspace{-6ex}
\raggedright
"""


def inline(text):
    """Markdown inline text (code spans) as LaTeX."""
    parts = text.split("`")
    return "".join(r"\texttt{%s}" % tex(p) if i % 2 else tex(p)
                   for i, p in enumerate(parts))


def run_set(results_dir):
    """(meta, table, findings' table or None, shootdown runs, the runs in
    words or None) of DIR: a table stand-in of the runs when DIR holds
    shootdown runs alone."""
    runs = shoot.load(results_dir)
    if runs is not None and not result_paths(results_dir):
        meta, table, count = smp_facts(runs)
        return meta, table, None, runs, count
    samples, meta = load(results_dir)
    configs = Configs(samples, meta)
    table = Table(summarize(samples, configs), configs)
    return meta, table, table, runs, None


def document(results_dir):
    meta, table, found_in, runs, count = run_set(results_dir)
    quick = [c for c in quick_configs(meta) if c in table.order]
    title = (": shootdowns only" if found_in is None else "") + \
        (" (quick run: not reference figures)" if quick else "")
    out = [PREAMBLE % tex(title), r"\begin{itemize}"]
    out += [r"\item " + inline(l[2:]) for l in facts_lines(meta, table, quick, count) if l]
    out += [r"\end{itemize}", r"\section*{Summary}"]
    tabdir = os.path.join(results_dir, "tables")
    if os.path.exists(os.path.join(tabdir, "headline.tex")):
        out.append(r"\input{tables/headline.tex}")
    found = headline.findings(found_in, extra=[shoot.finding(runs)])
    if found:
        out += [r"\paragraph{Findings} Largest differences first; ratios against the same "
                r"axes, over every config that shares the contrast.", r"{\small",
                r"\begin{itemize}\setlength{\itemsep}{0pt}"]
        out += [r"\item " + inline(f) for f in found] + [r"\end{itemize}}"]
    ranges, more = reprice.summary_items(results_dir)
    if ranges:
        tail = " (%d more in report.md)" % more if more else ""
        out += [r"\paragraph{Cost sweep} " + inline(reprice.SUMMARY_INTRO % tail),
                r"{\small", r"\begin{itemize}\setlength{\itemsep}{0pt}"]
        out += [r"\item " + inline(i) for i in ranges] + [r"\end{itemize}}"]
    # The summary's last page, in the log (tests/test_pdf.py: at most two).
    out += [r"\par\typeout{ptbench: summary ends on page \thepage}", r"\clearpage",
            r"\section*{Figures}"]
    for name, caption in FIGURES:
        if os.path.exists(os.path.join(results_dir, "plots", name + ".png")):
            out += [r"\begin{figure}[H]\centering",
                    r"\includegraphics[width=\textwidth]{plots/%s.png}" % name,
                    r"\caption{%s}" % inline(caption), r"\end{figure}"]
    out += [r"\clearpage", r"\section*{Tables}"]
    for path in sorted(glob.glob(os.path.join(tabdir, "*.tex"))):
        name = os.path.basename(path)
        if name != "headline.tex":
            out += [r"\input{tables/%s}" % name, r"\clearpage" if name == "main.tex" else ""]
    out += [r"\end{document}", ""]
    return "\n".join(out)


def build(results_dir, text):
    """Compile text in a temporary copy; copy report.pdf, .tex, .log back."""
    if not shutil.which("pdflatex"):
        raise InputError("pdflatex not found (make deps installs texlive)")
    with tempfile.TemporaryDirectory(prefix="ptbench-pdf-") as tmp:
        for sub in ("tables", "plots"):
            src = os.path.join(results_dir, sub)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(tmp, sub),
                                ignore=shutil.ignore_patterns("data", "*.svg"))
        with open(os.path.join(tmp, "report.tex"), "w", encoding="utf-8") as f:
            f.write(text)
        r = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                            "report.tex"], cwd=tmp, capture_output=True, text=True,
                           errors="replace")
        shutil.copy(os.path.join(tmp, "report.tex"), os.path.join(results_dir, "report.tex"))
        if os.path.exists(os.path.join(tmp, "report.log")):
            shutil.copy(os.path.join(tmp, "report.log"),
                        os.path.join(results_dir, "report.log"))
        if r.returncode != 0 or not os.path.exists(os.path.join(tmp, "report.pdf")):
            errors = [l for l in r.stdout.splitlines() if l.startswith("!")]
            raise InputError("pdflatex failed on %s/report.tex: %s (see %s/report.log)"
                             % (results_dir, "; ".join(errors[:3]) or "no error line",
                                results_dir))
        shutil.copy(os.path.join(tmp, "report.pdf"), os.path.join(results_dir, "report.pdf"))


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write report.pdf from ptbench results.")
    ap.add_argument("--results", default="results/latest")
    args = ap.parse_args(argv)
    try:
        build(args.results, document(args.results))
    except InputError as e:
        print("pdf.py: error: %s" % e, file=sys.stderr)
        return 1
    print("pdf.py: -> %s" % os.path.join(args.results, "report.pdf"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
