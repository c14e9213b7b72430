#!/usr/bin/python3
"""plot/xv6_report.py: the report of the xv6bench runs, ptbench's configs and
outside xv6 kernels side by side.

Usage:  /usr/bin/python3 plot/xv6_report.py --results DIR

Reads:  DIR/xv6/*.csv (tools/xv6collect.py: one row per sample, the
        columns of results/<config>.csv) and the .meta.json beside each;
        DIR/xv6/tlb/*.csv (the TLB model's runs, optional);
        DIR/xv6/profile/*.csv (instructions per function, optional).
Writes: DIR/xv6/xv6-report.md: the kernels and how each figure was
        measured, a table per benchmark (median instructions per
        operation, satp writes and sfence.vma), ratios of the smallest
        fork and of the other single-point operations, the TLB model's
        figures, and where the instructions of fork, exec, sbrk and
        ping-pong go (a table: the kernels' totals span a factor of 100
        and their top functions differ, which a stacked bar hides). With
        no DIR/xv6/*.csv it writes nothing and says so.
Exit:   0 on success (or nothing to report), 1 on bad input.

Samples with idled = 1 (the region executed wfi) are left out, as in
plot/summarize.py.
"""
import argparse
import glob
import json
import os
import sys

import pandas as pd

from benches import RECORDS
from ptresults import REFERENCE_DESIGN, InputError, read_meta

OUT = "xv6-report.md"
REQUIRED = ["config", "bench", "param", "param_unit", "sample", "iters", "instret_per_op",
            "satp_writes", "sfences", "idled"]
PROFILE_REQUIRED = ["config", "bench", "param", "function", "insns_per_op", "share",
                    "instret_per_op", "rank"]
TLB_REQUIRED = ["config", "preset", "bench", "param", "idled", "insns_per_op",
                "tlb_miss_per_op", "est_cycles_per_op", "witness_ok"]
BASELINE = REFERENCE_DESIGN
PTBENCH_KIND = "ptbench config"

# Benchmarks in report order: what each does in the xv6 workload, and the
# parameter of its one-line comparison (None: the smallest), from the
# registry's "xv6" settings (plot/benches.py).
BENCHES = {r["name"]: (r["xv6"]["text"], r["xv6"]["param"]) for r in RECORDS if "xv6" in r}
PROFILED = [("fork_exit_wait", None), ("fork_exec_wait", None), ("sbrk", 16), ("pingpong", None)]
TOP = 5


def read_csv(path, required):
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.EmptyDataError, OSError) as e:
        raise InputError("%s: %s" % (path, e)) from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError("%s lacks column(s) %s" % (path, ", ".join(missing)))
    for c in required:
        if c in ("config", "bench", "param_unit", "function", "preset"):
            continue
        text = df[c].str.strip()
        df[c] = pd.to_numeric(text, errors="coerce")
        bad = df[c].isna() & (text != "")
        if bad.any():
            raise InputError("%s line %d: %s is not a number: %r"
                             % (path, int(bad.idxmax()) + 2, c, text[bad.idxmax()]))
    return df


def read_all(pattern, required):
    paths = sorted(p for p in glob.glob(pattern) if os.path.basename(p) != "summary.csv")
    if not paths:
        return None
    return pd.concat([read_csv(p, required) for p in paths], ignore_index=True)


def kernel_order(meta):
    """ptbench's configs first (baseline first), then outside kernels."""
    ours = sorted(c for c, m in meta.items() if m.get("kernel_kind") == PTBENCH_KIND)
    if BASELINE in ours:
        ours.remove(BASELINE)
        ours.insert(0, BASELINE)
    return ours + sorted(c for c in meta if c not in ours)


# ---------------------------------------------------------------- formatting

def fmt_num(x):
    if x is None or pd.isna(x):
        return "–"
    if abs(x) >= 100:
        return "{:,.0f}".format(x)
    return "%.4g" % x


def fmt_param(p):
    return "%d" % p if float(p).is_integer() else "%g" % p


def md_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return lines + [""]


# ---------------------------------------------------------------- sections

def medians(samples):
    used = samples[samples["idled"] == 0]
    return used.groupby(["config", "bench", "param"]).agg(
        unit=("param_unit", "first"), n=("instret_per_op", "size"),
        insns=("instret_per_op", "median"), satp=("satp_writes", "median"),
        sfences=("sfences", "median")).reset_index()


def kernels_section(order, meta):
    rows = []
    for c in order:
        m = meta.get(c, {})
        t = m.get("tree", {})
        if m.get("kernel_kind") == PTBENCH_KIND:
            what, src, built = "ptbench config", "commit %s" % m.get("commit", "?"), "make"
        else:
            what = "outside xv6 tree"
            src = "%s (sha256 %s…%s)" % (os.path.basename(t.get("source", "?")),
                                        t.get("sha256", "?")[:12],
                                        ", git " + t["git_commit"][:12]
                                        if t.get("git_commit") else "")
            built = "its Makefile" + (", warnings not errors (-Wno-error)"
                                      if t.get("warnings_relaxed") else "")
        rows.append(["`%s`" % c, what, src, built, "yes" if m.get("quick") else "no"])
    lines = ["## Kernels", ""]
    lines += md_table(["kernel", "what", "source", "built with", "quick run"], rows)
    return lines


def measured_section(order, meta):
    kinds = {}
    for c in order:
        for fig, how in meta.get(c, {}).get("measured", {}).items():
            kinds.setdefault(fig, {}).setdefault(how, []).append("`%s`" % c)
    lines = ["## How each figure was measured", ""]
    rows = [[fig, how, ", ".join(ks)] for fig, hows in kinds.items() for how, ks in hows.items()]
    return lines + md_table(["figure", "how", "kernels"], rows)


def bench_section(med, order, bench):
    text, _ = BENCHES.get(bench, ("", None))
    b = med[med["bench"] == bench]
    ks = [k for k in order if k in set(b["config"])]
    unit = b["unit"].iloc[0]
    lines = ["### %s" % bench, "", text, ""]
    rows = []
    smallest = {k: b[b["config"] == k]["param"].min() for k in ks}
    differ = len(set(smallest.values())) > 1
    if differ:
        row = ["smallest"]
        for k in ks:
            r = b[(b["config"] == k) & (b["param"] == smallest[k])].iloc[0]
            row.append("%s (%s %s)" % (fmt_num(r["insns"]), fmt_param(r["param"]), unit))
        rows.append(row)
    for p in sorted(set(b["param"])):
        have = [k for k in ks if ((b["config"] == k) & (b["param"] == p)).any()]
        if differ and len(have) < len(ks) and any(smallest[k] == p for k in have):
            continue  # shown in the smallest row
        row = [fmt_param(p)]
        for k in ks:
            r = b[(b["config"] == k) & (b["param"] == p)]
            row.append(fmt_num(r["insns"].iloc[0]) if len(r) else "–")
        rows.append(row)
    lines += ["Median instructions per operation:", ""]
    lines += md_table([unit if unit != "none" else ""] + ["`%s`" % k for k in ks], rows)
    flush = []
    for k in ks:
        r = b[b["config"] == k].sort_values("param").iloc[0]
        flush.append("`%s` %s/%s" % (k, fmt_num(r["satp"]), fmt_num(r["sfences"])))
    lines += ["satp writes / sfence.vma per operation (at the smallest point): "
              + ", ".join(flush) + ".", ""]
    return lines


def point(med, kernel, bench, param):
    b = med[(med["config"] == kernel) & (med["bench"] == bench)]
    if b.empty:
        return None
    p = b["param"].min() if param is None or param not in set(b["param"]) else param
    return b[b["param"] == p].iloc[0]


def ratios_section(med, order):
    """One line per benchmark: each kernel against the baseline (or the
    first kernel); with one kernel only, how to add ptbench's designs."""
    base = BASELINE if BASELINE in order else order[0]
    if len(order) < 2:
        return ["## Against ptbench's designs", "",
                "Only `%s` was measured, so there is nothing to compare it with. To "
                "measure ptbench's designs with the same workload into the same result "
                "set, run `make xv6bench RESULTS=<this directory's parent>` (every "
                "design's plain config; `CONFIG=x` for one), then this report again "
                "(`make report RESULTS=...`)." % base, ""]
    lines = ["## Against `%s`" % base, "",
             "Each kernel's median instructions per operation divided by `%s`'s, at the "
             "parameter named (the smallest point is each kernel's own smallest):" % base, ""]
    rows = []
    for bench, (_, param) in BENCHES.items():
        b0 = point(med, base, bench, param)
        if b0 is None:
            continue
        label = bench + ("" if param is None else " %s %s" % (fmt_param(param), b0["unit"]))
        row = [label]
        for k in order:
            r = point(med, k, bench, param)
            row.append("–" if r is None or not b0["insns"] else
                       "%s (×%.2f)" % (fmt_num(r["insns"]), r["insns"] / b0["insns"]))
        rows.append(row)
    return lines + md_table(["operation"] + ["`%s`" % k for k in order], rows)


def tlb_section(tlb, order):
    if tlb is None:
        return []
    lines = ["## TLB model", "",
             "The same runs under tools/tlbsim's presets (a model: see docs/tlb.md). For an "
             "outside kernel, witness_ok means its run under the preset counted the same "
             "instructions, satp writes and sfence.vma in every sample as its plain run; "
             "for ptbench's configs, the same, and instret equal to the plugin's count.", ""]
    used = tlb[tlb["idled"] == 0]
    if (used["witness_ok"] != 1).any():
        raise InputError("a TLB sample has witness_ok != 1")
    med = used.groupby(["config", "preset", "bench", "param"]).median(numeric_only=True)
    med = med.reset_index()
    for preset in sorted(set(med["preset"])):
        rows = []
        for bench, (_, param) in BENCHES.items():
            for k in order:
                b = med[(med["preset"] == preset) & (med["config"] == k) & (med["bench"] == bench)]
                if b.empty:
                    continue
                p = b["param"].min() if param is None or param not in set(b["param"]) else param
                r = b[b["param"] == p].iloc[0]
                rows.append([bench, fmt_param(p), "`%s`" % k, fmt_num(r["insns_per_op"]),
                             fmt_num(r["tlb_miss_per_op"]), fmt_num(r["est_cycles_per_op"]),
                             "%.2f" % (r["est_cycles_per_op"] / r["insns_per_op"])
                             if r["insns_per_op"] else "–"])
        lines += ["Preset `%s`, per operation:" % preset, ""]
        lines += md_table(["operation", "param", "kernel", "instructions", "TLB misses",
                           "est. cycles", "est./instr."], rows)
    return lines


def profile_section(prof, order):
    if prof is None:
        return []
    lines = ["## Where the instructions go", "",
             "Each region's instructions, counted per instruction address by the profile "
             "plugin (tools/tlbsim/profile.c) and attributed to the kernel's functions by "
             "the kernel ELF's symbols (`(user)`: every user-mode instruction, the "
             "workload's and the exec'd program's). The sample shown is the one of median "
             "instructions; the empty sample's instructions are subtracted, as for every "
             "figure. The attributed instructions of every region add up exactly to the "
             "region's count: tools/xv6collect.py checks it and writes no profile "
             "otherwise, and this report checks the per-operation sums again.", ""]
    for (c, b, p), g in prof.groupby(["config", "bench", "param"]):
        total = g["insns_per_op"].sum()
        want = g["instret_per_op"].iloc[0]
        if abs(total - want) > max(1e-3 * abs(want), 0.01 * len(g)):
            raise InputError("profile %s %s %s: functions add up to %s, not %s"
                             % (c, b, p, total, want))
    for bench, param in PROFILED:
        rows = []
        for k in order:
            g = prof[(prof["config"] == k) & (prof["bench"] == bench)]
            if g.empty:
                continue
            pk = g["param"].min() if param is None or param not in set(g["param"]) else param
            g = g[g["param"] == pk].sort_values("rank")
            total = g["instret_per_op"].iloc[0]
            top = g.head(TOP)
            cells = ["%s %s (%.0f%%)" % (r.function, fmt_num(r.insns_per_op), 100 * r.share)
                     for r in top.itertuples()]
            rest = total - top["insns_per_op"].sum()
            cells += [""] * (TOP - len(cells))
            rows.append(["`%s`" % k, fmt_param(pk), fmt_num(total)] + cells
                        + ["%s (%.0f%%)" % (fmt_num(rest), 100 * rest / total if total else 0)])
        if rows:
            lines += ["### %s%s" % (bench, "" if param is None else " (%s)" % fmt_param(param)),
                      ""]
            lines += md_table(["kernel", "param", "instructions"] +
                              ["#%d" % i for i in range(1, TOP + 1)] + ["rest"], rows)
    return lines


def report(results):
    xdir = os.path.join(results, "xv6")
    samples = read_all(os.path.join(xdir, "*.csv"), REQUIRED)
    if samples is None:
        return None
    med = medians(samples)
    meta = read_meta(xdir, sorted(set(samples["config"])))
    order = kernel_order(meta)
    lines = ["# xv6bench: ptbench's configs and outside xv6 kernels", "",
             "Every kernel here ran the same two programs, built once by ptbench: "
             "`xv6bench` (user/bench/xv6bench.c), which uses only xv6's 21 system calls, "
             "and `benchnop`, which it execs. ptbench's configs ran it through "
             "`tools/run.sh`; an outside tree was built with its own Makefile, the two "
             "programs added to its file system image by its own mkfs, booted with its "
             "own QEMU options on one hart, and the workload typed at its shell. Every run "
             "is under `-icount shift=0,sleep=off`, so every figure is an instruction "
             "count, and repeats exactly. Written by plot/xv6_report.py from the CSVs in "
             "this directory.", ""]
    lines += kernels_section(order, meta) + measured_section(order, meta)
    lines += ratios_section(med, order)
    lines += ["## Per benchmark", ""]
    for bench in [b for b in BENCHES if b in set(med["bench"])]:
        lines += bench_section(med, order, bench)
    lines += tlb_section(read_all(os.path.join(xdir, "tlb", "*.csv"), TLB_REQUIRED), order)
    lines += profile_section(read_all(os.path.join(xdir, "profile", "*.csv"), PROFILE_REQUIRED),
                             order)
    path = os.path.join(xdir, OUT)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n".join(lines).rstrip("\n") + "\n")
    os.replace(path + ".tmp", path)
    return path


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", required=True)
    a = ap.parse_args(argv)
    try:
        path = report(a.results)
    except InputError as e:
        print("xv6_report.py: error: %s" % e, file=sys.stderr)
        return 1
    if path is None:
        print("xv6_report.py: no %s/xv6/*.csv: nothing to report" % a.results)
    else:
        print("xv6_report.py: wrote %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
