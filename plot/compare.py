#!/usr/bin/python3
"""plot/compare.py: what changed between two result sets (make compare).

Usage:  /usr/bin/python3 plot/compare.py --base DIR --new DIR [--out OUT]

Reads:  BASE and NEW: <config>.csv, <config>.meta.json and, when present,
        tlb/<config>-<preset>.csv, as make bench writes them (any two result
        directories, the committed reference results/ included).
Writes: the comparison on stdout, and with --out: OUT/compare.md (the same
        text) and OUT/plots/data/*.dat for plot/compare.gp (drawn by
        plot/plots.sh --compare OUT): for each sweep that moved, base and
        new lines of the configs that moved; moved.dat, old and new bars of
        the single-size benchmarks that moved. Stale data files are removed.
Exit:   0 when both sets could be read (whether or not anything moved),
        1 on bad input.

Under -icount every figure repeats bit for bit, so any difference between
the two sets is a real change in what the code executes, never noise: a
figure is reported as moved when its median differs at all, and every other
figure is left out of the tables.
"""
import argparse
import glob
import os
import sys

import pandas as pd

from ptresults import (MED, Configs, InputError, Table, bench_order, fmt_num, fmt_param,
                       join_words, load, md_table, summarize, write_dat)
import tlb_summary

# Run descriptions compared between the sets (meta.json keys).
META_KEYS = [("commit", "commit"), ("compiler", "compiler"), ("qemu", "QEMU"),
             ("qemu_flags", "QEMU flags"), ("benchmarks", "benchmarks")]
# TLB-model figures compared, per preset.
TLB_FIGURES = [("est_cycles_per_op", "est. cycles"), ("tlb_misses_per_op", "TLB misses")]
FIGURE_NAMES = {"instret_per_op_median": "instructions"}


class Side:
    """One result set: its samples summarized, meta and TLB summary."""

    def __init__(self, path):
        self.path = path
        if not os.path.isdir(path):
            raise InputError("%s is not a directory" % path)
        self.samples, self.meta = load(path)
        self.configs = Configs(self.samples, self.meta)
        self.summary = summarize(self.samples, self.configs)
        self.table = Table(self.summary, self.configs)
        paths = tlb_summary.tlb_paths(path)
        self.tlb = tlb_summary.summarize(tlb_summary.read_samples(paths)) if paths else None

    def figures(self):
        """Figure columns: instructions, then every counter's median."""
        cols = [c for c in self.summary.columns
                if c.endswith("_median") and not c.startswith("cycles_per_op")
                and c != "ptpages_total_median"]
        return ["instret_per_op_median"] + [c for c in cols if c != "instret_per_op_median"]


def figure_name(col):
    return FIGURE_NAMES.get(col, col[:-len("_median")] if col.endswith("_median") else col)


def differs(a, b):
    """Whether two medians differ (both present); exact under icount."""
    if a is None or b is None:
        return False
    return abs(a - b) > 1e-9 * max(1.0, abs(a), abs(b))


def fmt_change(a, b):
    if a == 0:
        return "new %s" % fmt_num(b)
    return "%+.2f%%" % (100.0 * (b / a - 1))


def fmt_delta(a, b):
    d = b - a
    return ("+" if d > 0 else "-") + fmt_num(abs(d))


def notes(base, new, common):
    """Sentences on what differs between the runs themselves."""
    out = []
    only_b = [c for c in base.table.order if c not in common]
    only_n = [c for c in new.table.order if c not in common]
    if only_b:
        out.append("Only in BASE (not compared): %s." % join_words(only_b))
    if only_n:
        out.append("Only in NEW (not compared): %s." % join_words(only_n))
    for side, name in ((base, "BASE"), (new, "NEW")):
        quick = sorted(c for c in common if side.meta.get(c, {}).get("quick"))
        if quick:
            out.append("%s is a quick run for %s (fewer iterations and samples): its "
                       "figures may differ from a full run's for that reason alone."
                       % (name, join_words(quick)))
    for key, label in META_KEYS:
        diff = []
        for c in common:
            a, b = base.meta.get(c, {}).get(key), new.meta.get(c, {}).get(key)
            if key == "benchmarks":  # not recorded: an older run of every one
                a, b = a or "all", b or "all"
            if a != b:
                diff.append("%s: %s → %s" % (c, fmt_meta(a), fmt_meta(b)))
        if diff:
            out.append("%s differs: %s." % (label, "; ".join(diff)))
    for c in common:
        ta, tb = base.configs.traits(c), new.configs.traits(c)
        keys = sorted(k for k in set(ta) | set(tb) if ta.get(k) != tb.get(k)
                      and k in ta and k in tb)
        if keys:
            out.append("%s's traits differ: %s." % (c, ", ".join(
                "%s %s → %s" % (k, ta.get(k), tb.get(k)) for k in keys)))
    return out


def fmt_meta(v):
    if v is None:
        return "not recorded"
    return "`%s`" % (", ".join(v) if isinstance(v, list) else v)


def moved_rows(base, new, common):
    """[(bench, param, config, figure, old, new)] for every figure whose
    median moved, in bench, param, config order; and the points compared."""
    out, compared = [], 0
    figures = [f for f in new.figures() if f in base.summary.columns]
    benches = bench_order(set(base.summary["bench"]) & set(new.summary["bench"]))
    for bench in benches:
        params = sorted(set(base.table.params(bench)) & set(new.table.params(bench)))
        for p in params:
            for c in [c for c in new.table.order if c in common]:
                if (c, bench, p) not in base.table.rows or (c, bench, p) not in new.table.rows:
                    continue
                compared += 1
                for f in figures:
                    a, b = base.table.get(c, bench, p, f), new.table.get(c, bench, p, f)
                    if differs(a, b):
                        out.append((bench, p, c, figure_name(f), a, b))
    return out, compared


def tlb_moved(base, new, common):
    """[(bench, param, config, preset figure, old, new)] of the TLB model."""
    if base.tlb is None or new.tlb is None:
        return []
    key = ["config", "preset", "bench", "param"]
    m = base.tlb.merge(new.tlb, on=key, suffixes=("_b", "_n"))
    out = []
    for r in m.to_dict("records"):
        if r["config"] not in common:
            continue
        for col, label in TLB_FIGURES:
            a, b = r[col + "_b"], r[col + "_n"]
            if differs(a, b):
                out.append((r["bench"], r["param"], r["config"],
                            "%s (%s)" % (label, r["preset"]), a, b))
    return out


def report(base, new, moved, tlb, compared):
    common = [c for c in new.table.order if c in base.configs.axes]
    lines = ["# ptbench comparison", "",
             "BASE: `%s`; NEW: `%s`." % (base.path, new.path), "",
             "Under QEMU `-icount` every figure repeats bit for bit: a difference "
             "between BASE and NEW is real (the code executed differently), not noise. "
             "A figure is shown as moved when its median changed at all; figures that "
             "did not move are not shown.", ""]
    n = notes(base, new, common)
    if n:
        lines += ["## Notes", ""] + ["- " + x for x in n] + [""]
    everything = moved + tlb
    lines += ["## Summary", ""]
    benches = bench_order({m[0] for m in everything})
    same = [b for b in bench_order(set(base.summary["bench"]) & set(new.summary["bench"]))
            if b not in benches]
    if not everything:
        lines += ["Nothing moved: all %d points compared (%s) are identical in every figure."
                  % (compared, join_words(common) or "no common config"), ""]
        return lines
    for b in benches:
        cs = [c for c in common if any(m[0] == b and m[2] == c for m in everything)]
        pts = sorted({m[1] for m in everything if m[0] == b})
        lines.append("- **%s** moved in %s (at %s)." % (b, join_words(cs),
                                                         ", ".join(fmt_param(p) for p in pts)))
    if same:
        lines.append("- Unchanged in every config: %s." % ", ".join(same))
    lines += [""]
    for b in benches:
        rows = [[fmt_param(p), c, f, fmt_num(a), fmt_num(v), fmt_delta(a, v), fmt_change(a, v)]
                for bb, p, c, f, a, v in everything if bb == b]
        lines += ["## %s" % b, ""] + md_table(["param", "config", "figure", "BASE", "NEW",
                                               "change", "relative"], rows, "lllrrrr") + [""]
    return lines


def plot_data(base, new, moved, out_dir):
    """OUT/plots/data: per moved sweep, the change NEW - BASE per config
    and parameter; moved.dat, the change of the single-size benchmarks that
    moved. A figure shows the change, not the two absolute values (a
    5-instruction change is invisible beside 100,000). Returns the names
    written."""
    data_dir = os.path.join(out_dir, "plots", "data")
    os.makedirs(data_dir, exist_ok=True)
    for old in glob.glob(os.path.join(data_dir, "*.dat")):
        os.remove(old)
    written = []
    instr = [m for m in moved if m[3] == "instructions"]
    singles = []
    for bench in bench_order({m[0] for m in instr}):
        params = sorted(set(base.table.params(bench)) | set(new.table.params(bench)))
        configs = [c for c in new.table.order if any(m[0] == bench and m[2] == c for m in instr)]
        if len(params) == 1:
            singles += [(bench, params[0], c) for c in configs]
            continue
        rows = [(fmt_param(p), [change(base.table.get(c, bench, p), new.table.get(c, bench, p))
                                for c in configs]) for p in params]
        write_dat(os.path.join(data_dir, bench + ".dat"), ["param"] + configs, [rows])
        written.append(bench)
    if singles:
        rows = [('"%s/%s"' % (b, c), [change(base.table.get(c, b, p), new.table.get(c, b, p))])
                for b, p, c in singles]
        write_dat(os.path.join(data_dir, "moved.dat"), ["operation", "change"], [rows])
        written.append("moved")
    return written


def change(old, new):
    """NEW - BASE, or None when either side lacks the point."""
    return None if old is None or new is None else new - old


def main(argv=None):
    ap = argparse.ArgumentParser(description="Compare two ptbench result sets.")
    ap.add_argument("--base", required=True, help="the baseline results directory")
    ap.add_argument("--new", required=True, help="the results to compare with it")
    ap.add_argument("--out", help="write compare.md and plot data here")
    args = ap.parse_args(argv)
    try:
        base, new = Side(args.base), Side(args.new)
    except InputError as e:
        print("compare.py: error: %s" % e, file=sys.stderr)
        return 1
    common = [c for c in new.table.order if c in base.configs.axes]
    moved, compared = moved_rows(base, new, common)
    tlb = tlb_moved(base, new, common)
    text = "\n".join(report(base, new, moved, tlb, compared)).rstrip("\n") + "\n"
    sys.stdout.write(text)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "compare.md"), "w", encoding="utf-8") as f:
            f.write(text)
        figs = plot_data(base, new, moved, args.out)
        print("\ncompare.py: -> %s/compare.md%s" % (
            args.out, ", figures: " + ", ".join(figs) if figs else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
