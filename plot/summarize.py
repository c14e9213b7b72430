#!/usr/bin/python3
"""plot/summarize.py: the summary table and the figures' data from benchmark samples.

Usage:  /usr/bin/python3 plot/summarize.py --results DIR

Reads:  DIR/*.csv except summary.csv (one row per sample, as tools/collect.py
        writes them) and DIR/<config>.meta.json beside each (optional);
        DIR/smp/<config>-<harts>.csv and meta, the multi-hart shootdown
        runs (plot/shoot.py), when there are any.
Writes: DIR/summary.csv   per config/bench/param: design, axes, samples used,
                          median/min/max/stdev of cycles_per_op, the median
                          of every kernel counter, and the ratio to the
                          reference design's median (ptresults.REFERENCE_DESIGN,
                          same axes);
        DIR/smp/summary.csv  per config/harts/bench/param of the shootdown
                          runs: samples, idled samples, the median of each
                          counter plot/shoot.py reads (over every sample),
                          shoot_ipis (ipis_sent less wake_ipis) and the
                          fences by page and whole;
        DIR/plots/data/NAME.dat  whitespace tables that plot/NAME.gp draws
                          (a stale one of a figure without data is removed).
        With shootdown runs only (no DIR/<config>.csv), their outputs alone
        (and no summary.csv). report.md is plot/report.py's, the tables
        plot/tables.py's.
Exit:   0 on success, 1 on bad input (no CSV, missing columns, bad numbers).

Samples flagged idled=1 waited in wfi inside the measured region; under
-icount,sleep=off that skipped time counts as instructions, so they are left
out of every figure (the report counts them).
"""
import argparse
import os
import sys

import pandas as pd

from benches import RECORDS
from ptresults import (axes_of, CPO, MED, RATIO, Configs, InputError, Table, fmt_fixed, fmt_param,
                       load, result_paths, summarize, write_dat)
import shoot

# Figures (plot/NAME.gp) and the benchmarks each draws.
SWEEPS = {r["figure"]["name"]: r["name"] for r in RECORDS if r.get("figure")}
FIGURES = ["bench_bars", "copyin", "ctxswitch", "satp_sfence", "ptpages",
           "ratio"] + list(SWEEPS)
BAR_BENCHES = [r["name"] for r in RECORDS if r.get("bars")]
# The operations of the ratio figure: (bench, param or None for the
# smallest, or "largest").
RATIO_OPS = [("getpid", None), ("write_null", 4096), ("write_null", 65536),
             ("write_null_ua", 65536), ("open_missing", 120), ("read_file", 4096),
             ("pipe_rw", None), ("fork_exit_wait", None), ("fork_exit_wait", "largest"),
             ("fork_exec_wait", None), ("sbrk", 16), ("pingpong", None)]


def write_summary(summary, path):
    """summary.csv: fixed decimals (2 for cycles, 3 for counters, 4 for ratio)."""
    out = pd.DataFrame({"config": summary["config"], "bench": summary["bench"],
                        "param": summary["param"].map(fmt_param),
                        "param_unit": summary["param_unit"],
                        "n": summary["n"].map(lambda v: "%d" % v)})
    skip = set(out.columns) | {"design", "asid", "megapages"}
    for col in [c for c in summary.columns if c not in skip]:
        decimals = 2 if col.startswith(CPO) else 4 if col == RATIO else 3
        out[col] = summary[col].map(lambda v, d=decimals: fmt_fixed(v, d))
    out["design"] = summary["design"]
    out["asid"] = summary["asid"].map(lambda v: "%d" % v)
    out["megapages"] = summary["megapages"].map(lambda v: "%d" % v)
    tmp = path + ".tmp"
    out.to_csv(tmp, index=False, lineterminator="\n")
    os.replace(tmp, path)


# ---------------------------------------------------------------- plot data

def merge_identical(header, columns, per):
    """Join configs of one design whose series are all identical into one,
    named 'a=-asid=-mega' (the design's other configs by their axes), so
    that a line hidden under another is named in the legend (never two designs: a design keeps its own colour).
    header: per-config names (one per series); columns: per-config lists of
    per series value lists. Returns (header, columns) merged."""
    merged_names, merged_cols, keys = [], [], []
    for name, cols in zip(header, columns):
        key = (axes_of(name)[0],) + tuple(
            tuple(round(v, 6) if v is not None and not pd.isna(v) else None for v in col)
            for col in cols)
        if key in keys:
            i = keys.index(key)
            design = key[0]
            short = name[len(design):] if name.startswith(design + "-") else name
            merged_names[i] = merged_names[i] + "=" + short
            continue
        keys.append(key)
        merged_names.append(name)
        merged_cols.append(cols)
    names = ["%s%s" % (n, s) for n in merged_names for s in per]
    return names, merged_cols


def sweep_data(table, series):
    """Header and rows for a line plot against param.

    series: [(bench, suffix, col)] drawn for each config; a config appears
    when any of its series has a value, configs with identical series are
    merged. Returns (None, None) when nothing was measured.
    """
    benches = {b for b, _, _ in series}
    params = sorted({p for b in benches for p in table.params(b)})
    names, columns = [], []
    for c in table.order:
        cols = [[table.get(c, b, p, col) for p in params] for b, _, col in series]
        if any(v is not None for col in cols for v in col):
            names.append(c)
            columns.append(cols)
    if not names:
        return None, None
    header, columns = merge_identical(names, columns, [s for _, s, _ in series])
    rows = [(fmt_param(p), [cols[k][i] for cols in columns for k in range(len(series))])
            for i, p in enumerate(params)]
    return ["param"] + header, rows


def bars_data(table, benches, col=MED):
    """Header and rows (one per benchmark, one column per config with any
    value) for a clustered bar chart; (None, None) when nothing measured."""
    picked = [(b, table.preferred(b)) for b in benches if table.params(b)]
    configs = [c for c in table.order
               if any(table.get(c, b, p, col) is not None for b, p in picked)]
    if not configs:
        return None, None
    rows = []
    for b, p in picked:
        label = b if len(table.params(b)) == 1 else "%s %s" % (b, fmt_param(p))
        rows.append(('"%s"' % label, [table.get(c, b, p, col) for c in configs]))
    return ["bench"] + configs, rows


def ratio_ops(table):
    """[(bench, param, label)] of RATIO_OPS that were measured."""
    out = []
    for bench, which in RATIO_OPS:
        if not table.params(bench):
            continue
        if which is None:
            p = table.smallest(bench)
        elif which == "largest":
            p = table.largest(bench)
            if p == table.smallest(bench):
                continue
        elif which in table.params(bench):
            p = which
        else:
            continue
        label = bench if len(table.params(bench)) == 1 else "%s %s" % (bench, fmt_param(p))
        if (bench, p, label) not in out:
            out.append((bench, p, label))
    return out


def ratio_data(table):
    """One row per operation, one column per config that has a baseline
    (the reference design's own configs left out): the ratio of medians."""
    ops = ratio_ops(table)
    configs = [c for c in table.order if not table.configs.is_reference(c)
               and any(table.get(c, b, p, RATIO) is not None for b, p, _ in ops)]
    if not configs or not ops:
        return None, None
    rows = [('"%s"' % label, [table.get(c, b, p, RATIO) for c in configs])
            for b, p, label in ops]
    return ["operation"] + configs, rows


def ctxswitch_data(table):
    """One row per config: instructions, satp writes, sfence.vma and context
    switches per ping-pong round trip."""
    p = table.smallest("pingpong")
    rows = [(c, [table.get(c, "pingpong", p), table.get(c, "pingpong", p, "satp_writes_median"),
                 table.get(c, "pingpong", p, "sfences_median"),
                 table.get(c, "pingpong", p, "ctx_switches_median")])
            for c in table.order if table.get(c, "pingpong", p) is not None]
    if not rows:
        return None, None
    return ["config", "instructions", "satp_writes", "sfences", "ctx_switches"], rows


def satp_data(table):
    """Two blocks (satp writes, sfence.vma) of per-benchmark bars by config;
    None without data."""
    benches = [b for b in table.benches() if b != "ptpages"]
    h1, satp = bars_data(table, benches, "satp_writes_median")
    h2, sfence = bars_data(table, benches, "sfences_median")
    if h1 is None or h1 != h2:
        return None
    return h1, [satp, sfence]


def plot_data(table):
    """{figure name: (header, [rows of each block])} for the figures with data."""
    found = {
        "bench_bars": bars_data(table, BAR_BENCHES),
        "copyin": sweep_data(table, [("write_null", "", MED), ("write_null_ua", "[ua]", MED)]),
        "ptpages": sweep_data(table, [("ptpages", "[user]", "ptpages_user_median"),
                                      ("ptpages", "[kproc]", "ptpages_kproc_median")]),
        "ctxswitch": ctxswitch_data(table),
        "ratio": ratio_data(table),
    }
    for name, bench in SWEEPS.items():  # the registry's sweep figures
        found[name] = sweep_data(table, [(bench, "", MED)])
    data = {name: (h, [rows]) for name, (h, rows) in found.items() if h is not None}
    satp = satp_data(table)
    if satp is not None:
        data["satp_sfence"] = satp
    return data


def write_plot_data(table, data_dir):
    """Write DIR/plots/data/NAME.dat for each figure with data; remove stale
    files of the figures without (all of them when table is None: no 1-hart
    run). Returns the names written."""
    os.makedirs(data_dir, exist_ok=True)
    data = plot_data(table) if table is not None else {}
    for name in FIGURES:
        path = os.path.join(data_dir, name + ".dat")
        if name in data:
            header, blocks = data[name]
            write_dat(path, header, blocks)
        elif os.path.exists(path):
            os.remove(path)
    return set(data)


def write_smp_summary(results_dir, runs):
    """DIR/smp/summary.csv and the shootdown figures' data; nothing (and
    no stale file) without shootdown runs."""
    shoot.write_plot_data(results_dir, runs)
    path = os.path.join(results_dir, "smp", "summary.csv")
    if runs is None:
        if os.path.exists(path):
            os.remove(path)
        return
    per_op = [k for k in next(iter(runs.rows.values()))
              if k not in ["n", "idled"] + runs.filled]
    cols = ["n", "idled"] + per_op
    rows = [dict(config=c, harts=h, bench=b, param=fmt_param(p),
                 **{k: ("%d" % r[k] if k in ("n", "idled") else fmt_fixed(r[k], 3))
                    for k in cols})
            for (c, h, b, p), r in sorted(runs.rows.items(), key=lambda kv: (
                runs.order.index(kv[0][0]), kv[0][1], shoot.FAMILIES.index(kv[0][2])
                if kv[0][2] in shoot.FAMILIES else len(shoot.FAMILIES), kv[0][2], kv[0][3]))]
    out = pd.DataFrame(rows, columns=["config", "harts", "bench", "param"] + cols)
    out = out.rename(columns={k: k + "_median" for k in per_op})
    out.to_csv(path + ".tmp", index=False, lineterminator="\n")
    os.replace(path + ".tmp", path)


def smp_only(results_dir, runs):
    """A result set of shootdown runs alone: their outputs, no summary.csv
    (a stale one removed) and no 1-hart figure data."""
    write_smp_summary(results_dir, runs)
    stale = os.path.join(results_dir, "summary.csv")
    if os.path.exists(stale):
        os.remove(stale)
    write_plot_data(None, os.path.join(results_dir, "plots", "data"))
    print("summarize.py: no <config>.csv in %s: shootdown runs only, %d samples -> "
          "%s/smp/summary.csv, plots/data/ (%d figures)" % (
              results_dir, runs.samples_count()[0], results_dir,
              len(shoot.write_plot_data(results_dir, runs))))
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description="Summarize ptbench results: "
                                 "summary.csv and the figures' data.")
    ap.add_argument("--results", default="results/latest",
                    help="directory holding <config>.csv (default: results/latest)")
    args = ap.parse_args(argv)
    try:
        runs = shoot.load(args.results)
        if not result_paths(args.results):
            if runs is not None:
                return smp_only(args.results, runs)
            raise InputError("no result CSV in %s (expected <config>.csv, or "
                             "smp/<config>-<harts>.csv of make bench CPUS=...)" % args.results)
        samples, meta = load(args.results)
    except InputError as e:
        print("summarize.py: error: %s" % e, file=sys.stderr)
        return 1
    write_smp_summary(args.results, runs)
    configs = Configs(samples, meta)
    summary = summarize(samples, configs)
    table = Table(summary, configs)
    write_summary(summary, os.path.join(args.results, "summary.csv"))
    drawn = write_plot_data(table, os.path.join(args.results, "plots", "data"))
    print("summarize.py: %d samples, %d rows -> %s/summary.csv, plots/data/ (%d figures)"
          % (len(samples), len(summary), args.results, len(drawn)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
