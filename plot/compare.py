#!/usr/bin/python3
"""plot/compare.py: what changed between two result sets (make compare).

Usage:  /usr/bin/python3 plot/compare.py --base DIR --new DIR [--out OUT]

Reads:  BASE and NEW: <config>.csv, <config>.meta.json and, when present,
        tlb/<config>-<preset>.csv, as make bench writes them (any two result
        directories, the committed reference results/ included); when
        present, the multi-hart runs smp/<config>-<harts>.csv and .meta.json
        and the TLB model's smp/tlb/<config>-<harts>-<preset>.csv and
        .meta.json (both read by plot/shoot.py). A set of multi-hart runs
        alone (no <config>.csv) is compared on those.
Writes: the comparison on stdout, and with --out: OUT/compare.md (the same
        text) and OUT/plots/data/*.dat for plot/compare.gp (drawn by
        plot/plots.sh --compare OUT): for each sweep that moved, base and
        new lines of the configs that moved; moved.dat, old and new bars of
        the single-size benchmarks that moved (1-hart runs only: those
        figures are of instructions). Stale data files are removed.
Exit:   0 when both sets could be read (whether or not anything moved, and
        when only one side has multi-hart runs: the output says so), 1 on
        bad input (a malformed CSV of either kind included).

Under -icount every figure repeats bit for bit, so any difference between
the two sets is a real change in what the code executes, never noise: a
figure is reported as moved when its median differs at all, and every other
figure is left out of the tables. The multi-hart runs are keyed by config
and hart count too (config@harts) and compared by the same rule, on the
medians plot/shoot.py takes (over every sample, the idled ones too):
their counts per operation and their cycles, which under -icount repeat
bit for bit as well (virtual time that every hart advances: a change is
real, its size is QEMU's scheduling of the harts).
"""
import argparse
import glob
import os
import sys

import pandas as pd

from ptresults import (MED, Configs, InputError, Table, bench_order, config_order, fmt_num,
                       fmt_param, join_words, load, md_table, result_paths,
                       summarize, write_dat)
import shoot
import tlb_summary

# Run descriptions compared between the sets (meta.json keys).
META_KEYS = [("commit", "commit"), ("compiler", "compiler"), ("qemu", "QEMU"),
             ("qemu_flags", "QEMU flags"), ("benchmarks", "benchmarks")]
# TLB-model figures compared, per preset.
TLB_FIGURES = [("est_cycles_per_op", "est. cycles"), ("tlb_misses_per_op", "TLB misses")]
FIGURE_NAMES = {"instret_per_op_median": "instructions", "cycles_per_op": "cycles"}
# Columns of plot/shoot.py's medians that are not compared: sample counts,
# and sums of counters compared one by one.
SMP_SKIP = ["n", "idled", "page", "whole", shoot.IPIS]


class Side:
    """One result set: its samples summarized, meta and TLB summary; its
    multi-hart runs (runs, a shoot.Runs) and their TLB summary (smp_tlb).
    A part the set lacks is None; a set of multi-hart runs alone has no
    1-hart part (table None). Raises InputError."""

    def __init__(self, path):
        self.path = path
        if not os.path.isdir(path):
            raise InputError("%s is not a directory" % path)
        self.table = self.tlb = None
        self.meta = {}
        smp = shoot.smp_paths(path)
        if result_paths(path) or not smp:
            self.samples, self.meta = load(path)
            self.configs = Configs(self.samples, self.meta)
            self.summary = summarize(self.samples, self.configs)
            self.table = Table(self.summary, self.configs)
            paths = tlb_summary.tlb_paths(path)
            self.tlb = tlb_summary.summarize(tlb_summary.read_samples(paths)) if paths else None
        self.runs = shoot.load(path) if smp else None
        self.smp_tlb = smp_tlb_summary(self.runs.model if self.runs is not None
                                       else shoot.load_model(path))

    def figures(self):
        """Figure columns: instructions, then every counter's median."""
        cols = [c for c in self.summary.columns
                if c.endswith("_median") and not c.startswith("cycles_per_op")
                and c != "ptpages_total_median"]
        return ["instret_per_op_median"] + [c for c in cols if c != "instret_per_op_median"]


def smp_tlb_summary(model):
    """The TLB model's multi-hart runs (a shoot.Model, or None) summarized
    as plot/tlb_summary.py summarizes tlb/, with a harts column; None
    without any. Medians are over every sample, the idled ones too, as
    plot/shoot.py takes the multi-hart runs."""
    if model is None:
        return None
    samples = model.samples.assign(idled=0)
    return pd.concat([tlb_summary.summarize(s).assign(harts=h)
                      for h, s in samples.groupby("harts")], ignore_index=True)


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
    """Sentences on what differs between the runs themselves: configs,
    hart counts and kinds of run on one side only, quick runs, run
    descriptions and traits."""
    out = []
    if base.table is not None and new.table is not None:
        out += only_notes("Only in %s (not compared): %s.",
                          [c for c in base.table.order if c not in common],
                          [c for c in new.table.order if c not in common])
    out += one_sided(base, new, lambda s: s.table, "1-hart runs (<config>.csv)")
    out += smp_notes(base, new)
    plain = [(c, base.meta.get(c, {}), new.meta.get(c, {})) for c in common]
    multi = [(run_label(k), base.runs.meta[k], new.runs.meta[k]) for k in smp_runs(base, new)]
    for i, name in ((1, "BASE"), (2, "NEW")):
        quick = sorted(d[0] for d in plain if d[i].get("quick")) + \
            [d[0] for d in multi if d[i].get("quick")]
        if quick:
            out.append("%s is a quick run for %s (fewer iterations and samples): its "
                       "figures may differ from a full run's for that reason alone."
                       % (name, join_words(quick)))
    out += meta_notes(plain + multi)
    return out + trait_notes(base, new, common)


def only_notes(sentence, only_b, only_n):
    """sentence % ("BASE", words) for what only BASE has, then for NEW."""
    return [sentence % (name, join_words(only)) for name, only in
            (("BASE", only_b), ("NEW", only_n)) if only]


def one_sided(base, new, part, what):
    """A sentence when only one side has part (a Side's attribute): what
    is not compared; [] otherwise."""
    has = [name for side, name in ((base, "BASE"), (new, "NEW")) if part(side) is not None]
    return ["Only %s has %s: not compared." % (has[0], what)] if len(has) == 1 else []


def smp_notes(base, new):
    """Sentences on the multi-hart runs that are not compared: a kind of
    run on one side only, runs (config@harts) or a counter on one side
    only."""
    out = one_sided(base, new, lambda s: s.runs, "multi-hart runs (smp/)")
    out += one_sided(base, new, lambda s: s.smp_tlb,
                     "the TLB model's multi-hart runs (smp/tlb/)")
    if base.runs is not None and new.runs is not None:
        keys = [set(base.runs.meta), set(new.runs.meta)]
        out += only_notes("Multi-hart runs only in %s (not compared): %s.",
                          [run_label(k) for k in run_keys(base.runs) if k not in keys[1]],
                          [run_label(k) for k in run_keys(new.runs) if k not in keys[0]])
        for side, other, name in ((base, new, "BASE"), (new, base, "NEW")):
            lacks = [c for c in side.runs.filled if c not in other.runs.filled]
            if lacks:
                out.append("%s's multi-hart runs do not count %s (an older kernel): not "
                           "compared." % (name, join_words(lacks)))
    if base.smp_tlb is not None and new.smp_tlb is not None:
        b, n = tlb_runs(base.smp_tlb), tlb_runs(new.smp_tlb)
        out += only_notes("The TLB model's multi-hart runs only in %s (not compared): %s.",
                          [x for x in b if x not in n], [x for x in n if x not in b])
    return out


def meta_notes(described):
    """A sentence per run description (META_KEYS) that differs, naming the
    runs: described is [(run, BASE meta, NEW meta)]."""
    out = []
    for key, label in META_KEYS:
        diff = []
        for c, mb, mn in described:
            a, b = mb.get(key), mn.get(key)
            if key == "benchmarks":  # not recorded: an older run of every one
                a, b = a or "all", b or "all"
            if a != b:
                diff.append("%s: %s → %s" % (c, fmt_meta(a), fmt_meta(b)))
        if diff:
            out.append("%s differs: %s." % (label, "; ".join(diff)))
    return out


def trait_notes(base, new, common):
    """A sentence per config of both sides whose traits differ."""
    out = []
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


def tlb_changes(base, new, key):
    """[(row, preset figure, old, new)] of two TLB summaries joined on key,
    for every TLB_FIGURES figure that moved, in BASE's order."""
    m = base.merge(new, on=key, suffixes=("_b", "_n"))
    out = []
    for r in m.to_dict("records"):
        for col, label in TLB_FIGURES:
            a, b = r[col + "_b"], r[col + "_n"]
            if differs(a, b):
                out.append((r, "%s (%s)" % (label, r["preset"]), a, b))
    return out


def tlb_moved(base, new, common):
    """[(bench, param, config, preset figure, old, new)] of the TLB model."""
    if base.tlb is None or new.tlb is None:
        return []
    return [(r["bench"], r["param"], r["config"], f, a, b) for r, f, a, b in
            tlb_changes(base.tlb, new.tlb, ["config", "preset", "bench", "param"])
            if r["config"] in common]


# ---------------------------------------------------------------- multi-hart

def config_rank(configs):
    """{config: its place in report order} of configs."""
    return {c: i for i, c in enumerate(config_order(configs))}


def run_label(key):
    """A multi-hart run in prose: config@harts."""
    return "%s@%d" % key


def run_keys(runs):
    """The (config, harts) of a shoot.Runs, in its config order."""
    return [(c, h) for c in runs.order for h in runs.harts[c]]


def tlb_runs(summary):
    """The TLB model's multi-hart runs of a summary in prose, in config,
    harts and preset order: config@harts (preset)."""
    keys = summary[["config", "harts", "preset"]].drop_duplicates()
    rank = config_rank(keys["config"])
    prank = {p: i for i, p in enumerate(tlb_summary.preset_order(keys["preset"].unique()))}
    keys = sorted(keys.itertuples(index=False),
                  key=lambda k: (rank[k.config], k.harts, prank[k.preset]))
    return ["%s (%s)" % (run_label((k.config, k.harts)), k.preset) for k in keys]


def smp_runs(base, new):
    """The (config, harts) runs both sides have in smp/, in NEW's order."""
    if base.runs is None or new.runs is None:
        return []
    return [k for k in run_keys(new.runs) if k in base.runs.meta]


def smp_figures(base, new):
    """The medians of plot/shoot.py compared: every counter both sides
    count (and cycles), not the sums of counters nor a counter a side
    lacks (shoot.Runs.filled)."""
    skip = set(SMP_SKIP + base.runs.filled + new.runs.filled)
    have = set(next(iter(base.runs.rows.values())))
    return [f for f in next(iter(new.runs.rows.values())) if f in have and f not in skip]


def smp_moved(base, new):
    """[(bench, param, (config, harts), figure, old, new)] for every median
    of the multi-hart runs that moved, in bench, param, config and harts
    order; the points compared and their benchmarks."""
    runs = smp_runs(base, new)
    if not runs:
        return [], 0, set()
    figures = smp_figures(base, new)
    rank = {k: i for i, k in enumerate(runs)}
    brank = {b: i for i, b in enumerate(bench_order({k[2] for k in new.runs.rows}))}
    points = sorted((k for k in set(base.runs.rows) & set(new.runs.rows) if k[:2] in rank),
                    key=lambda k: (brank[k[2]], k[3], rank[k[:2]]))
    out = []
    for c, h, b, p in points:
        for f in figures:
            old, now = base.runs.get(c, h, b, p, f), new.runs.get(c, h, b, p, f)
            if differs(old, now):
                out.append((b, p, (c, h), figure_name(f), old, now))
    return out, len(points), {k[2] for k in points}


def smp_tlb_moved(base, new):
    """[(bench, param, (config, harts), preset figure, old, new)] of the TLB
    model's multi-hart runs, in param, config and harts order; the points
    compared and their benchmarks."""
    if base.smp_tlb is None or new.smp_tlb is None:
        return [], 0, set()
    key = ["config", "harts", "preset", "bench", "param"]
    both = base.smp_tlb[key].merge(new.smp_tlb[key], on=key)
    rank = config_rank(both["config"])
    out = [(r["bench"], r["param"], (r["config"], int(r["harts"])), f, a, b) for r, f, a, b in
           tlb_changes(base.smp_tlb, new.smp_tlb, key)]
    out.sort(key=lambda m: (m[1], rank[m[2][0]], m[2][1]))
    return out, len(both), set(both["bench"])


def smp_compare(base, new):
    """What moved in the multi-hart runs (a dict: rows, compared, benches,
    runs), or None when no kind of them is on both sides."""
    both_tlb = base.smp_tlb is not None and new.smp_tlb is not None
    if (base.runs is None or new.runs is None) and not both_tlb:
        return None
    rows, compared, benches = smp_moved(base, new)
    trows, tcompared, tbenches = smp_tlb_moved(base, new)
    runs = smp_runs(base, new)
    if both_tlb:
        keys = base.smp_tlb[["config", "harts"]].merge(new.smp_tlb[["config", "harts"]])
        extra = {(c, int(h)) for c, h in keys.itertuples(index=False)} - set(runs)
        rank = config_rank({c for c, _ in extra})
        runs += sorted(extra, key=lambda k: (rank[k[0]], k[1]))
    return {"rows": rows + trows, "compared": compared + tcompared,
            "benches": benches | tbenches, "runs": runs}


# ---------------------------------------------------------------- the text

def moved_lines(rows, order, who, cells, unchanged, level):
    """The summary bullets, then a table per benchmark, of rows [(bench,
    param, key, figure, old, new)]: key a config, or a multi-hart run;
    order, the keys in report order; who(key), it in prose; cells (column
    names, key -> cells, their alignment); unchanged, (the benchmarks
    compared, the word for where); level, the tables' heading mark."""
    benches = bench_order({m[0] for m in rows})
    lines = []
    for b in benches:
        ks = [k for k in order if any(m[0] == b and m[2] == k for m in rows)]
        pts = sorted({m[1] for m in rows if m[0] == b})
        lines.append("- **%s** moved in %s (at %s)." % (b, join_words(who(k) for k in ks),
                                                         ", ".join(fmt_param(p) for p in pts)))
    same = [b for b in bench_order(unchanged[0]) if b not in benches]
    if same:
        lines.append("- Unchanged in every %s: %s." % (unchanged[1], ", ".join(same)))
    lines += [""]
    names, key_cells, align = cells
    for b in benches:
        table = [[fmt_param(p)] + key_cells(k) + [f, fmt_num(a), fmt_num(v), fmt_delta(a, v),
                                                  fmt_change(a, v)]
                 for bb, p, k, f, a, v in rows if bb == b]
        lines += ["%s %s" % (level, b), ""] + md_table(
            ["param"] + names + ["figure", "BASE", "NEW", "change", "relative"], table,
            "l" + align + "lrrrr") + [""]
    return lines


def plain_lines(base, new, common, everything, compared):
    """The 1-hart runs' summary and tables."""
    lines = ["## Summary", ""]
    if not everything:
        return lines + ["Nothing moved: all %d points compared (%s) are identical in every "
                        "figure." % (compared, join_words(common) or "no common config"), ""]
    return lines + moved_lines(
        everything, common, str, (["config"], lambda c: [c], "l"),
        (set(base.summary["bench"]) & set(new.summary["bench"]), "config"), "##")


SMP_TEXT = (
    "The runs on 2 or more harts (smp/, and the TLB model's smp/tlb/), compared run by run "
    "(config@harts) on the medians the report's \"Shootdowns\" section takes: over every "
    "sample, the idled ones too. Their counts per operation (IPIs, remote fences by form, "
    "sfence.vma by form, shootdowns, calls to M-mode) are exact. Their cycles and "
    "shoot_wait are virtual time under `-icount`, which every hart advances: they repeat "
    "bit for bit too, so they move only when what ran changed, but how far they move is "
    "QEMU's scheduling of the harts, not a hardware cost.")


def smp_lines(smp):
    """The multi-hart runs' section: what moved in them (smp_compare)."""
    lines = ["## Multi-hart runs", "", SMP_TEXT, ""]
    if not smp["rows"]:
        return lines + ["Nothing moved: all %d points compared (%s) are identical in every "
                        "figure." % (smp["compared"], join_words(
                            map(run_label, smp["runs"])) or "no common run"), ""]
    return lines + moved_lines(
        smp["rows"], smp["runs"], run_label,
        (["config", "harts"], lambda k: [k[0], "%d" % k[1]], "lr"), (smp["benches"], "run"), "###")


def report(base, new, common, moved, tlb, compared, smp=None):
    """The comparison as markdown lines, of the configs common to both
    sides' 1-hart runs (common_configs); smp, smp_compare's (None: no
    multi-hart runs on both sides, and no section)."""
    lines = ["# ptbench comparison", "",
             "BASE: `%s`; NEW: `%s`." % (base.path, new.path), "",
             "Under QEMU `-icount` every figure repeats bit for bit: a difference "
             "between BASE and NEW is real (the code executed differently), not noise. "
             "A figure is shown as moved when its median changed at all; figures that "
             "did not move are not shown.", ""]
    n = notes(base, new, common)
    if n:
        lines += ["## Notes", ""] + ["- " + x for x in n] + [""]
    if base.table is not None and new.table is not None:
        lines += plain_lines(base, new, common, moved + tlb, compared)
    if smp is not None:
        lines += smp_lines(smp)
    return lines


def common_configs(base, new):
    """The configs of both sides' 1-hart runs, in NEW's order."""
    if base.table is None or new.table is None:
        return []
    return [c for c in new.table.order if c in base.configs.axes]


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
    common = common_configs(base, new)
    moved, compared = moved_rows(base, new, common) if common else ([], 0)
    tlb = tlb_moved(base, new, common)
    text = "\n".join(report(base, new, common, moved, tlb, compared,
                            smp_compare(base, new))).rstrip("\n") + "\n"
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
