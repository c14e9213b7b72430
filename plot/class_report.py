#!/usr/bin/python3
"""plot/class_report.py: merge a class's parts into one class report (make
class-report, and the merge step of make class).

Usage:  plot/class_report.py --results DIR

Refuses to mix parts whose counts are not comparable: a differing ptbench
commit, compiler, QEMU, quick or TLB setting (it names which differ, and
the values). Then, in long form, one row per part and operation (a
benchmark point): the median instructions per operation over its samples,
the ratio to ptbench's `global` design and to the lab-start tree (a
benchmark whose smallest point differs between kernels, as fork of the
program as loaded does, is compared at "BENCH, smallest"). Per
operation, the submissions' quartiles; parts with identical counts in
every operation form one group (the runs are deterministic, so a group is a
copy, or an untouched lab start); a submission is an outlier in an
operation when its count lies beyond 1.5 interquartile ranges of the
quartiles (on a log scale). Refused parts are listed with their reasons.

Reads:  DIR/manifest.json, DIR/parts/LABEL/status.json and the CSV it names.
Writes: DIR/class.csv (long form; the same bytes for the same parts,
        whichever engine ran them), DIR/class-quartiles.csv,
        DIR/class-strip.dat and, with gnuplot, DIR/class-strip.svg
        (plot/class_strip.gp), DIR/class-report.md (summary first),
        DIR/students/LABEL.md (one submission's own figures, to send back).
Exit:   0 when written; 2 when the parts do not mix, or none was measured
        (then class-report.md lists only the refused and failed).
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
# Settings that change the counts: parts differing in any are not merged.
MUST_MATCH = ["ptbench_commit", "compiler", "qemu", "quick", "tlb"]
GLOBAL = "ptbench_global"  # tools/class.py labels the designs ptbench_DESIGN
LABSTART = "labstart"
OUTLIER_IQR = 1.5


class MixError(Exception):
    """The parts cannot be merged; the message says why."""


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load_statuses(results):
    """The status of every planned part (missing ones as such), in plan order."""
    plan = read_json(os.path.join(results, "manifest.json"))
    out = []
    for p in plan["parts"]:
        try:
            st = read_json(os.path.join(results, "parts", p["label"], "status.json"))
        except (OSError, ValueError):
            st = dict(p, status="missing", reason="no status record (the job never ran or died)",
                      message="")
        out.append(st)
    return out


def check_mix(statuses):
    """Raise MixError naming each setting the measured parts disagree on."""
    measured = [s for s in statuses if s["status"] == "ok"]
    diffs = []
    for key in MUST_MATCH:
        values = {}
        for s in measured:
            v = s["settings"].get(key) if key in ("quick", "tlb") else s.get(key)
            values.setdefault(json.dumps(v), []).append(s["label"])
        if len(values) > 1:
            diffs.append("%s: %s" % (key, "; ".join("%s in %s" % (v, ", ".join(labels))
                                                    for v, labels in sorted(values.items()))))
    if diffs:
        raise MixError("parts differ and are not merged (rerun them alike): " + " | ".join(diffs))


def load_rows(results, statuses):
    """Median instructions per operation per part and benchmark point."""
    frames = []
    for s in statuses:
        if s["status"] != "ok":
            continue
        df = pd.read_csv(os.path.join(results, "parts", s["label"], s["csv"]))
        df = df[df["idled"] == 0]
        m = df.groupby(["bench", "param", "param_unit"], as_index=False)["instret_per_op"].median()
        m.insert(0, "kind", s["kind"])
        m.insert(0, "label", s["label"])
        frames.append(m)
    if not frames:
        raise MixError("no part was measured: nothing to report")
    df = pd.concat(frames, ignore_index=True)
    df["operation"] = df["bench"] + " " + df["param"].astype(str) + " " + df["param_unit"]
    df.loc[df["param_unit"] == "none", "operation"] = df["bench"]
    return name_smallest(df)


def name_smallest(df):
    """A benchmark whose smallest point differs between kernels (fork of the
    program as loaded: each kernel's exec lays it out) has that point named
    "BENCH, smallest", so that the kernels are compared there."""
    mins = df.groupby(["label", "bench"])["param"].transform("min")
    varying = [b for b, m in df.assign(m=mins).groupby("bench")["m"] if m.nunique() > 1]
    at_min = df["bench"].isin(varying) & (df["param"] == mins)
    df.loc[at_min, "operation"] = df["bench"] + ", smallest"
    return df


def add_ratios(df):
    for ref, col in ((GLOBAL, "ratio_global"), (LABSTART, "ratio_labstart")):
        base = df[df["label"] == ref].set_index("operation")["instret_per_op"]
        df[col] = (df["instret_per_op"] / df["operation"].map(base)).round(4)
    return df


def add_groups(df):
    """group: the first label (plan order) of the parts with identical
    counts in every operation."""
    wide = df.pivot(index="label", columns="operation", values="instret_per_op")
    key = wide.apply(lambda r: tuple(r.fillna(-1)), axis=1)
    order = list(dict.fromkeys(df["label"]))
    first = {}
    for label in order:
        first.setdefault(key[label], label)
    df["group"] = df["label"].map(lambda x: first[key[x]])
    df["group_size"] = df["group"].map(df.drop_duplicates("label")["group"].value_counts())
    return df


def quartiles(df):
    subs = df[df["kind"] == "submission"]
    q = subs.groupby("operation")["instret_per_op"].describe(percentiles=[.25, .5, .75])
    q = q.rename(columns={"25%": "q1", "50%": "median", "75%": "q3"})
    q = q[["count", "min", "q1", "median", "q3", "max"]].reset_index()
    return q


def add_outliers(df, q):
    """outlier: beyond OUTLIER_IQR interquartile ranges, on a log scale."""
    if q.empty:
        df["outlier"] = ""
        return df
    lq = q.set_index("operation")
    lo = (lq["q1"].apply(math.log) - OUTLIER_IQR * (lq["q3"].apply(math.log) - lq["q1"].apply(math.log)))
    hi = (lq["q3"].apply(math.log) + OUTLIER_IQR * (lq["q3"].apply(math.log) - lq["q1"].apply(math.log)))
    logv = df["instret_per_op"].apply(math.log)
    df["outlier"] = ((df["kind"] == "submission") &
                     ((logv < df["operation"].map(lo) - 1e-9) |
                      (logv > df["operation"].map(hi) + 1e-9))).map({True: "yes", False: ""})
    return df


def fmt(x):
    return "" if pd.isna(x) else ("%.0f" % x if abs(x) >= 100 else "%.3g" % x)


def md_table(headers, rows):
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return out


def last_line(text):
    lines = (text or "").strip().splitlines()
    return lines[-1][:160].replace("|", "\\|") if lines else ""


def refused_lines(statuses):
    """The section listing every part not measured, with its reason."""
    refused = [s for s in statuses if s["status"] != "ok"]
    rows = [[s["label"], s["status"], s["reason"], last_line(s.get("message"))] for s in refused]
    return ["## Refused and failed", ""] + \
        (md_table(["label", "status", "reason", "message"], rows) if rows else ["none"])


def report_nothing(statuses, results):
    """class-report.md when no part was measured: the refused and failed."""
    lines = ["# Class report", "", "No part was measured (%d planned)." % len(statuses), ""]
    with open(os.path.join(results, "class-report.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines + refused_lines(statuses)) + "\n")


def report(df, q, statuses, results):
    """class-report.md: the summary first, then the details."""
    subs = [s for s in statuses if s["kind"] == "submission"]
    ok = [s for s in subs if s["status"] == "ok"]
    groups = {}
    for _, r in df[df["group_size"] > 1].drop_duplicates("label").iterrows():
        groups.setdefault(r["group"], []).append(r["label"])
    groups = list(groups.values())
    outl = df[df["outlier"] == "yes"]
    env = next(s for s in statuses if s["status"] == "ok")
    lines = ["# Class report", "",
             "%d submissions: %d measured, %d refused or failed; %d groups of identical counts; "
             "%d outlying figures." % (len(subs), len(ok), len(subs) - len(ok), len(groups),
                                        len(outl)), "",
             "ptbench %s, %s, %s; quick=%s, TLB=%s." % (env["ptbench_commit"], env["compiler"],
                                                     env["qemu"], env["settings"]["quick"],
                                                     env["settings"]["tlb"] or "none"), ""]
    lines += ["## Per operation (submissions; instructions per operation)", ""]
    ref = df[df["kind"] != "submission"].pivot(index="operation", columns="label",
                                               values="instret_per_op")
    refcols = list(ref.columns)
    rows = []
    for _, r in q.iterrows():
        rows.append([r["operation"], int(r["count"])] + [fmt(r[c]) for c in
                                                         ("min", "q1", "median", "q3", "max")] +
                    [fmt(ref.loc[r["operation"], c]) if r["operation"] in ref.index else ""
                     for c in refcols])
    lines += md_table(["operation", "n", "min", "q1", "median", "q3", "max"] +
                      ["`%s`" % c for c in refcols], rows)
    lines += ["", "Figure: class-strip.svg (every submission per operation, ratio to `global`;"
              " ptbench's designs and the lab start marked).", ""]
    lines += refused_lines(statuses)
    lines += ["", "## Identical counts", ""]
    lines += ["- " + ", ".join("`%s`" % x for x in g) for g in groups] if len(groups) else ["none"]
    lines += ["", "## Outliers", ""]
    lines += md_table(["label", "operation", "instructions", "× global"],
                      [[r["label"], r["operation"], fmt(r["instret_per_op"]), fmt(r["ratio_global"])]
                       for _, r in outl.iterrows()]) if len(outl) else ["none"]
    lines += ["", "Long form: class.csv; quartiles: class-quartiles.csv; "
              "one file per student: students/.", ""]
    with open(os.path.join(results, "class-report.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def student_files(df, q, statuses, results):
    d = os.path.join(results, "students")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    medians = q.set_index("operation")["median"] if not q.empty else pd.Series(dtype=float)
    for s in statuses:
        if s["kind"] != "submission":
            continue
        lines = ["# %s" % s["label"], "", "Status: %s%s" % (s["status"], ": " + s["reason"]
                                                         if s["status"] != "ok" else ""), ""]
        if s["status"] != "ok":
            lines += ["```", (s.get("message") or "").strip(), "```", ""]
        else:
            mine = df[df["label"] == s["label"]]
            lines += md_table(["operation", "instructions", "× global", "× lab start",
                               "class median", "outlier"],
                              [[r["operation"], fmt(r["instret_per_op"]), fmt(r["ratio_global"]),
                                fmt(r["ratio_labstart"]), fmt(medians.get(r["operation"])),
                                r["outlier"]] for _, r in mine.iterrows()])
        with open(os.path.join(d, s["label"] + ".md"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


def strip_plot(df, results):
    """class-strip.dat (operation index, ratio to global, kind) and the figure."""
    ops = list(dict.fromkeys(df["operation"]))
    dat = os.path.join(results, "class-strip.dat")
    with open(dat, "w", encoding="utf-8") as f:
        f.write("# x ratio_global kind operation label\n")
        for _, r in df.dropna(subset=["ratio_global"]).iterrows():
            f.write("%d %s %s \"%s\" %s\n" % (ops.index(r["operation"]), r["ratio_global"],
                                              {"submission": 0, "design": 1}.get(r["kind"], 2),
                                              r["operation"], r["label"]))
    tics = ", ".join('"%s" %d' % (op, i) for i, op in enumerate(ops))
    if shutil.which("gnuplot"):
        subprocess.run(["gnuplot", "-e", "datafile='%s'" % dat, "-e", "tics='%s'" % tics, "-e",
                        "outfile='%s'" % os.path.join(results, "class-strip.svg"),
                        os.path.join(HERE, "class_strip.gp")], check=False)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", required=True)
    a = ap.parse_args(argv)
    try:
        statuses = load_statuses(a.results)
        check_mix(statuses)
        if not any(s["status"] == "ok" for s in statuses):
            report_nothing(statuses, a.results)
            raise MixError("no part was measured: %s lists why"
                           % os.path.join(a.results, "class-report.md"))
        df = add_groups(add_ratios(load_rows(a.results, statuses)))
    except (MixError, OSError, ValueError, KeyError) as e:
        print("class-report: %s" % e, file=sys.stderr)
        return 2
    q = quartiles(df)
    df = add_outliers(df, q)
    cols = ["label", "kind", "operation", "bench", "param", "param_unit", "instret_per_op",
            "ratio_global", "ratio_labstart", "group", "group_size", "outlier"]
    df[cols].to_csv(os.path.join(a.results, "class.csv"), index=False)
    q.to_csv(os.path.join(a.results, "class-quartiles.csv"), index=False)
    report(df, q, statuses, a.results)
    student_files(df, q, statuses, a.results)
    strip_plot(df, a.results)
    print("class-report: %d parts -> %s" % (len(statuses), os.path.join(a.results,
                                                                         "class-report.md")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
