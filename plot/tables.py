#!/usr/bin/python3
"""plot/tables.py: tables to paste into a report: LaTeX (booktabs) and wide CSVs.

Usage:  /usr/bin/python3 plot/tables.py --results DIR

Reads:  DIR/*.csv except summary.csv, DIR/<config>.meta.json; DIR/smp/*.csv,
        DIR/smp/tlb/*.csv and their meta (plot/shoot.py).
Writes: DIR/tables/<bench>.csv  one row per parameter, one column per config:
                                median instructions per operation (ptpages:
                                page-table pages, user + per-process kernel);
        DIR/tables/<bench>.tex  the same as a booktabs tabular;
        DIR/tables/main.tex     the main operations, one row each: medians per
                                config and the ratio to the reference design;
        DIR/tables/fits.tex     the fitted fixed and per-unit costs per sweep;
        DIR/tables/shoot.tex    with shootdown runs (DIR/smp/, plot/shoot.py):
                                IPIs and remote fences per shrink by targeting
                                policy, a row per config and hart count (with
                                those runs alone, the only table).
        DIR/tables/shoot_tlb.tex
                                with the TLB model's runs of them as well
                                (DIR/smp/tlb/): TLB misses and refill cycles
                                per shrink, a table per preset and three
                                families.
        Each .tex is a table environment that needs only \\usepackage{booktabs}.
        Stale tables of benchmarks no longer measured are removed.
Exit:   0 on success, 1 on bad input.
"""
import argparse
import glob
import os
import sys

import construction
from ptresults import (FITS, MED, RATIO, REFERENCE_DESIGN, Configs, InputError, Table, fit,
                       fmt_param, load, result_paths, summarize)
from summarize import ratio_ops
from benches import unit_of
import headline
import shoot

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
    return table_env([(columns, header, rows)], caption, label)


def table_env(parts, caption, label, where="htbp", size="small", sep="4pt"):
    """One or more (columns, header, rows) tabulars, each in a table
    environment of its own (placement where, type size size) so that none is
    taller than a page; the first carries the label, each the caption."""
    out = []
    for i, (columns, header, rows) in enumerate(parts):
        lines = [r"\begin{table}[%s]" % where, r"\centering", "\\" + size,
                 r"\setlength{\tabcolsep}{%s}" % sep,
                 r"\begin{tabular}{%s}" % columns, r"\toprule", " & ".join(header) + r" \\",
                 r"\midrule"]
        lines += [" & ".join(r) + r" \\" for r in rows]
        lines += [r"\bottomrule", r"\end{tabular}"]
        more = " (part %d of %d)" % (i + 1, len(parts)) if len(parts) > 1 else ""
        lines += [r"\caption{%s%s}" % (caption, more)]
        lines += [r"\label{%s}" % label] if i == 0 else []
        out.append("\n".join(lines + [r"\end{table}"]) + "\n")
    return "".join(out)


# Columns of values per tabular beside the row labels: a plain article's
# text width holds this many in small type (tests/test_pdf.py checks it).
NUMBERS_PER_TABULAR = 6
RATIOS_PER_TABULAR = 3
HEADLINE_PER_TABULAR = 7


def by_configs(header, first, columns, per):
    """Tabulars with one row per config (first: [(config, cells)]) and at
    most per value columns each; header names the value columns."""
    parts = []
    for i in range(0, len(header), per):
        cols = header[i:i + per]
        rows = [[tex(c)] + cells[i:i + per] for c, cells in first]
        parts.append(("l" + "r" * len(cols), [columns] + cols, rows))
    return parts


def bench_tables(table, bench):
    """(wide CSV text, LaTeX text) of one benchmark; the LaTeX has a row per
    config and a column per parameter, split to fit the text width."""
    col = cell_column(bench)
    configs = [c for c in table.order if any(table.get(c, bench, p, col) is not None
                                             for p in table.params(bench))]
    unit = table.unit(bench)
    pname = "param" if unit in ("", "none") else "param_" + unit
    csv_lines = [",".join([pname] + configs)]
    for p in table.params(bench):
        vals = [table.get(c, bench, p, col) for c in configs]
        csv_lines.append(",".join([fmt_param(p)] + ["" if v is None else "%.4f" % v
                                                    for v in vals]))
    what = ("page-table pages (user + per-process kernel)" if bench == "ptpages"
            else "median instructions per operation")
    params = table.params(bench)
    fixed = unit in ("", "none") and len(params) == 1
    header = [tex(what_short(bench))] if fixed else \
        [r"\shortstack{%s\\%s}" % (fmt_param(p), tex(unit)) for p in params]
    rows = [(c, [tex_num(table.get(c, bench, p, col)) for p in params]) for c in configs]
    caption = "%s: %s%s (QEMU icount: one cycle per instruction)." % (
        tex(bench), what, "" if fixed else ", by %s" % tex(unit))
    latex = table_env(by_configs(header, rows, "config", NUMBERS_PER_TABULAR), caption,
                      "tab:" + bench)
    return "\n".join(csv_lines) + "\n", latex


def what_short(bench):
    return "pages" if bench == "ptpages" else "instructions"


def main_table(table):
    """The main operations: median and ratio per config, a row per config."""
    ops = ratio_ops(table)
    header = [r"\shortstack{%s}" % r"\\".join(tex(w) for w in label.split())
              for _, _, label in ops]
    rows = []
    for c in table.order:
        cells = []
        for bench, p, _ in ops:
            v, r = table.get(c, bench, p), table.get(c, bench, p, RATIO)
            if v is None:
                cells.append("--")
            elif r is None or table.configs.is_reference(c):
                cells.append(tex_num(v))
            else:
                cells.append(r"%s ($\times$%.2f)" % (tex_num(v), r))
        rows.append((c, cells))
    caption = ("Median instructions per operation; in parentheses the ratio to the "
               "reference design (%s) with the same axes." % tex(REFERENCE_DESIGN))
    return table_env(by_configs(header, rows, "config", RATIOS_PER_TABULAR), caption,
                     "tab:main")


def headline_table(table):
    """The summary's headline table (plot/headline.py), a row per config."""
    points = headline.headline_points(table)
    header = [r"\shortstack{%s}" % r"\\".join(tex(x) for x in label_lines(label, unit_of(b)))
              for b, _, label in points]
    rows = [(r[0], [x.replace(",", r"\,") for x in r[1:]])
            for r in headline.headline_rows(table, points)]
    caption = ("Headline operations, median per operation (instructions; page-table "
               "pages for the smallest process).")
    return table_env(by_configs(header, rows, "config", HEADLINE_PER_TABULAR), caption,
                     "tab:headline", where="H", size="scriptsize", sep="1.8pt")


def label_lines(label, unit):
    """A header label as short lines, its unit last."""
    words, lines, cur = label.replace("+", "+ ").split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > 9:
            lines.append(cur)
            cur = w
        else:
            cur = cur + w if cur.endswith("+") else (cur + " " + w).strip()
    lines.append(cur)
    return lines + ["(%s)" % {"instructions": "instr."}.get(unit, unit)]


def fits_table(table):
    """Fixed and per-unit costs of every fitted sweep: a tabular per
    benchmark, one row per config."""
    parts = []
    for bench in [b for b in table.benches() if b in FITS]:
        rows = []
        for c in table.order:
            f = fit(table, bench, c)
            if f is None:
                continue
            terms = ", ".join("%s %s" % (tex_num(v, 3 if abs(v) < 10 else 1), tex(n))
                              for (n, _), v in zip(f["terms"], f["coef"][1:]))
            rows.append([tex(c), tex_num(f["coef"][0], 1), terms,
                         tex_num(f["max_abs_residual"], 1)])
        if rows:
            parts.append(("lrp{4.5cm}r", [r"config (%s)" % tex(bench), "fixed", "per unit",
                                          "max resid."], rows))
    caption = ("Least-squares fits of the sweeps: fixed cost and cost per unit "
               "(instructions; page-table pages for ptpages), and the largest residual.")
    if not parts:
        parts = [("l", ["no sweep was measured at enough points to fit"], [])]
    return table_env(parts, caption, "tab:fits")


# Rows per tabular of the construction table: one page of small type.
CONSTRUCTION_ROWS = 45


def construction_table(samples, meta):
    """The measured differences beside what construction explains
    (plot/construction.py, docs/costs.md), split to fit the pages."""
    rows = [[tex("%s %g" % (r["bench"], r["param"])), tex(r["config"]), tex(r["base"]),
             tex_num(r["measured"]), tex_num(r["construction"]),
             r"\textbf{above}" if r["flag"] else ""]
            for r in construction.rows(samples, meta)]
    header = ["operation", "config", "vs", "measured", "built", ""]
    parts = [("lllrrl", header, rows[i:i + CONSTRUCTION_ROWS])
             for i in range(0, len(rows), CONSTRUCTION_ROWS)]
    if not parts:
        return ""
    return table_env(parts, "Measured difference in instructions per operation against "
                     "what the two configs' mechanisms add by construction "
                     "(docs/costs.md; built: what construction adds); \\textbf{above}: more than 10\\% and 30 "
                     "instructions above it", "tab:construction", size="scriptsize", sep="2pt")


def shoot_table(runs):
    """The shootdown targeting table (plot/shoot.py), a row per config and
    hart count, split to fit the pages; '' without it."""
    found = shoot.targeting_rows(runs)
    if found is None:
        return ""
    labels, p, rows = found
    names = "/".join(tex(l) for l in labels)
    header = ["config", "harts", r"\shortstack{IPIs\\(%s)}" % names,
              r"\shortstack{remote fences\\(%s)}" % names, r"\shortstack{order\\(every N)}"]
    rows = [[tex(x) for x in r] for r in rows]
    parts = [("lrrrl", header, rows[i:i + CONSTRUCTION_ROWS])
             for i in range(0, len(rows), CONSTRUCTION_ROWS)]
    return table_env(parts, "Shootdown targeting: IPIs sent and remote fences per shrink of %s "
                     "pages (medians of the kernel's counts, not time); order: whether each "
                     "wider policy sent at least as many IPIs as the next, as measured at every "
                     "N." % fmt_param(p), "tab:shoot")


# Families per tabular of the TLB model's shootdown table: cells of this
# many medians fit a plain article's text width in small type.
MODEL_FAMILIES_PER_TABULAR = 3


def shoot_model_table(runs):
    """The TLB model's shootdown tables (plot/shoot.py): per preset and at
    most MODEL_FAMILIES_PER_TABULAR families, a row per config, hart count
    and N, split to fit the pages; '' without the model's runs."""
    model = runs.model
    if model is None:
        return ""
    fams = model.present(shoot.FAMILIES)
    header = ["config", "harts", "N", r"\shortstack{TLB misses\\(all harts)}",
              r"\shortstack{refill cycles\\(model)}"]
    out = []
    for pr in model.presets:
        for k in range(0, len(fams), MODEL_FAMILIES_PER_TABULAR):
            chunk = fams[k:k + MODEL_FAMILIES_PER_TABULAR]
            rows = [[tex(x) for x in r] for r in shoot.model_table_rows(model, pr, chunk)]
            parts = [("lrrrr", header, rows[i:i + CONSTRUCTION_ROWS])
                     for i in range(0, len(rows), CONSTRUCTION_ROWS)]
            out.append(table_env(
                parts, "Shootdowns under the TLB model (tools/tlbsim), preset %s: L1 TLB "
                "misses of every hart and refill cycles per shrink and regrow (medians), each "
                "cell %s in turn. Refill cycles are the model's estimate at the preset's "
                "assumed costs (fences, satp writes, and the walks and L2 hits of the "
                "misses), not a measured hardware cost." % (tex(pr), tex(" / ".join(chunk))),
                "tab:shoot-tlb-%s-%d" % (pr, k // MODEL_FAMILIES_PER_TABULAR)))
    return "".join(out)


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
        runs = shoot.load(args.results)
        samples, meta = (None, None) if runs is not None and not result_paths(args.results) \
            else load(args.results)
    except InputError as e:
        print("tables.py: error: %s" % e, file=sys.stderr)
        return 1
    out = os.path.join(args.results, "tables")
    os.makedirs(out, exist_ok=True)
    written = set()
    shoot_tex = shoot_table(runs) if runs is not None else ""
    if shoot_tex:
        write(os.path.join(out, "shoot.tex"), shoot_tex)
        written.add("shoot.tex")
    model_tex = shoot_model_table(runs) if runs is not None else ""
    if model_tex:
        write(os.path.join(out, "shoot_tlb.tex"), model_tex)
        written.add("shoot_tlb.tex")
    if samples is None:  # shootdown runs only
        remove_stale(out, written)
        print("tables.py: %d table(s) of shootdown runs -> %s/" % (len(written), out))
        return 0
    configs = Configs(samples, meta)
    table = Table(summarize(samples, configs), configs)
    for bench in table.benches():
        wide, latex = bench_tables(table, bench)
        for ext, text in (("csv", wide), ("tex", latex)):
            write(os.path.join(out, "%s.%s" % (bench, ext)), text)
            written.add("%s.%s" % (bench, ext))
    write(os.path.join(out, "main.tex"), main_table(table))
    write(os.path.join(out, "fits.tex"), fits_table(table))
    write(os.path.join(out, "headline.tex"), headline_table(table))
    written |= {"main.tex", "fits.tex", "headline.tex"}
    built = construction_table(samples, meta)
    if built:
        write(os.path.join(out, "construction.tex"), built)
        written.add("construction.tex")
    remove_stale(out, written)
    print("tables.py: %d tables -> %s/" % (len(written), out))
    return 0


def remove_stale(out, written):
    """Remove the tables in out this run did not write."""
    for stale in glob.glob(os.path.join(out, "*.csv")) + glob.glob(os.path.join(out, "*.tex")):
        if os.path.basename(stale) not in written:
            os.remove(stale)


if __name__ == "__main__":
    sys.exit(main())
