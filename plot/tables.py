#!/usr/bin/python3
"""plot/tables.py: tables to paste into a report: LaTeX (booktabs) and wide CSVs.

Usage:  /usr/bin/python3 plot/tables.py --results DIR

Reads:  DIR/*.csv except summary.csv, DIR/<config>.meta.json.
Writes: DIR/tables/<bench>.csv  one row per parameter, one column per config:
                                median instructions per operation (ptpages:
                                page-table pages, user + per-process kernel);
        DIR/tables/<bench>.tex  the same as a booktabs tabular;
        DIR/tables/main.tex     the main operations, one row each: medians per
                                config and the ratio to the reference design;
        DIR/tables/fits.tex     the fitted fixed and per-unit costs per sweep.
        Each .tex is a table environment that needs only \\usepackage{booktabs}.
        Stale tables of benchmarks no longer measured are removed.
Exit:   0 on success, 1 on bad input.
"""
import argparse
import glob
import os
import sys

from ptresults import (FITS, MED, RATIO, REFERENCE_DESIGN, Configs, InputError, Table, fit,
                       fmt_param, load, summarize)
from summarize import ratio_ops

LATEX_SPECIAL = {"\\": r"\textbackslash{}", "_": r"\_", "%": r"\%", "&": r"\&", "#": r"\#",
                 "$": r"\$", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                 "^": r"\textasciicircum{}"}


def tex(text):
    """text with LaTeX's special characters escaped."""
    return "".join(LATEX_SPECIAL.get(ch, ch) for ch in str(text))


def tex_num(x, decimals=None):
    """A number for LaTeX: thin spaces between thousands; '--' for none."""
    if x is None:
        return "--"
    if decimals is None:
        decimals = 0 if abs(x) >= 100 or float(x).is_integer() else 2
    text = "{:,.{d}f}".format(x, d=decimals)
    return text.replace(",", r"\,")


def cell_column(bench):
    return "ptpages_total_median" if bench == "ptpages" else MED


def tabular(columns, header, rows, caption, label):
    """A booktabs table environment as a string."""
    lines = [r"\begin{table}[htbp]", r"\centering", r"\begin{tabular}{%s}" % columns,
             r"\toprule", " & ".join(header) + r" \\", r"\midrule"]
    lines += [" & ".join(r) + r" \\" for r in rows]
    lines += [r"\bottomrule", r"\end{tabular}", r"\caption{%s}" % caption,
              r"\label{%s}" % label, r"\end{table}"]
    return "\n".join(lines) + "\n"


def bench_tables(table, bench):
    """(wide CSV text, LaTeX text) of one benchmark."""
    col = cell_column(bench)
    configs = [c for c in table.order if any(table.get(c, bench, p, col) is not None
                                             for p in table.params(bench))]
    unit = table.unit(bench)
    pname = "param" if unit in ("", "none") else "param_" + unit
    csv_lines = [",".join([pname] + configs)]
    rows = []
    for p in table.params(bench):
        vals = [table.get(c, bench, p, col) for c in configs]
        csv_lines.append(",".join([fmt_param(p)] + ["" if v is None else "%.4f" % v
                                                    for v in vals]))
        rows.append([fmt_param(p)] + [tex_num(v) for v in vals])
    what = ("page-table pages (user + per-process kernel)" if bench == "ptpages"
            else "median instructions per operation")
    head = [tex(pname.replace("_", " "))] + [tex(c) for c in configs]
    caption = "%s: %s, by %s (QEMU icount: one cycle per instruction)." % (
        tex(bench), what, tex(unit if unit not in ("", "none") else "operation"))
    latex = tabular("l" + "r" * len(configs), head, rows, caption, "tab:" + bench)
    return "\n".join(csv_lines) + "\n", latex


def main_table(table):
    """The main operations: median and ratio per config."""
    ops = ratio_ops(table)
    configs = table.order
    head = ["operation"] + [tex(c) for c in configs]
    rows = []
    for bench, p, label in ops:
        cells = [tex(label)]
        for c in configs:
            v, r = table.get(c, bench, p), table.get(c, bench, p, RATIO)
            if v is None:
                cells.append("--")
            elif r is None or table.configs.is_reference(c):
                cells.append(tex_num(v))
            else:
                cells.append(r"%s ($\times$%.2f)" % (tex_num(v), r))
        rows.append(cells)
    caption = ("Median instructions per operation; in parentheses the ratio to the "
               "reference design (%s) with the same axes." % tex(REFERENCE_DESIGN))
    return tabular("l" + "r" * len(configs), head, rows, caption, "tab:main")


def fits_table(table):
    """Fixed and per-unit costs of every fitted sweep, one row per config."""
    rows = []
    for bench in [b for b in table.benches() if b in FITS]:
        for c in table.order:
            f = fit(table, bench, c)
            if f is None:
                continue
            terms = ", ".join("%s %s" % (tex_num(v, 3 if abs(v) < 10 else 1), tex(n))
                              for (n, _), v in zip(f["terms"], f["coef"][1:]))
            rows.append([tex(bench), tex(c), tex_num(f["coef"][0], 1), terms,
                         tex_num(f["max_abs_residual"], 1)])
    caption = ("Least-squares fits of the sweeps: fixed cost and cost per unit "
               "(instructions; page-table pages for ptpages), and the largest residual.")
    return tabular("llrlr", ["benchmark", "config", "fixed", "per unit", "max residual"],
                   rows, caption, "tab:fits")


def write(path, text):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def main(argv=None):
    ap = argparse.ArgumentParser(description="LaTeX tables and wide CSVs of ptbench results.")
    ap.add_argument("--results", default="results/latest",
                    help="directory holding <config>.csv (default: results/latest)")
    args = ap.parse_args(argv)
    try:
        samples, meta = load(args.results)
    except InputError as e:
        print("tables.py: error: %s" % e, file=sys.stderr)
        return 1
    configs = Configs(samples, meta)
    table = Table(summarize(samples, configs), configs)
    out = os.path.join(args.results, "tables")
    os.makedirs(out, exist_ok=True)
    written = set()
    for bench in table.benches():
        wide, latex = bench_tables(table, bench)
        for ext, text in (("csv", wide), ("tex", latex)):
            write(os.path.join(out, "%s.%s" % (bench, ext)), text)
            written.add("%s.%s" % (bench, ext))
    write(os.path.join(out, "main.tex"), main_table(table))
    write(os.path.join(out, "fits.tex"), fits_table(table))
    written |= {"main.tex", "fits.tex"}
    for stale in glob.glob(os.path.join(out, "*.csv")) + glob.glob(os.path.join(out, "*.tex")):
        if os.path.basename(stale) not in written:
            os.remove(stale)
    print("tables.py: %d tables -> %s/" % (len(written), out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
