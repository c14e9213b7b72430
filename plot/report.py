#!/usr/bin/python3
"""plot/report.py: results/report.md, the report, computed from the sample CSVs.

Usage:  /usr/bin/python3 plot/report.py --results DIR   (after summarize.py,
        which writes the figures' data that the report links to)

Reads:  DIR/*.csv except summary.csv, DIR/<config>.meta.json (the runs and
        the configs' traits), DIR/tlb/*.csv and their meta (through
        plot/tlb_summary.py), DIR/smp/*.csv and their meta (through
        plot/shoot.py), DIR/plots/data/*.dat (which figures exist).
Writes: DIR/report.md, whole (to report.md.tmp, then renamed): the runs,
        the designs and what their traits mean, a table per benchmark,
        least-squares fits of the sweeps, per-call and per-byte copy costs,
        findings, the performance targets (docs/targets.md), the TLB model's
        section when there are TLB runs, the cost sweep (plot/reprice.py) and
        the plausibility table (plot/anchors.py, docs/anchors.md) when they can
        be re-priced, the shootdown section when there are multi-hart runs
        (DIR/smp/, plot/shoot.py; with them alone, a report of that section
        only), and the figures with their captions.
Exit:   0 on success, 1 on bad input.
"""
import argparse
import os
import re
import sys
import types

from ptresults import (BENCHES, FIT_TEXT, FITS, MED, RATIO, REFERENCE_DESIGN, TARGETS, TRAIT_BENCHES,
                       Configs, InputError, Table, fit, fmt_coef, fmt_num, fmt_param, fmt_pct,
                       fmt_size, idled_counts, join_words, load, md_table, quick_configs,
                       result_paths, summarize, target_limit, trait_phrase, trait_sentences)
import headline
from benches import record
import anchors
import construction
import reprice
import shoot
import tlb_summary

TRAIT_COLUMNS = [("kernel_table", "kernel table"), ("copyin", "copyin"),
                 ("trap_switch", "traps switch satp"), ("user_mirror", "user mirror"),
                 ("asid", "ASIDs"), ("megapages", "megapages")]

# Figures: name and caption (what each axis and line means).
FIGURES = [
    ("bench_bars", "Median instructions per operation of the single-size benchmarks "
     "(getpid, fork_exec_wait, pingpong, pipe_rw), one bar per config. The y axis is "
     "logarithmic because the operations differ by three orders of magnitude; it "
     "flattens the differences between configs, which the ratio figure shows."),
    ("ratio", "Each config's median instructions per operation divided by the "
     "reference design's (%s, same ASID and megapage axes), one bar per config, "
     "for the main operations; linear y axis, the dashed line at 1 is the reference. "
     "Above 1 costs more." % REFERENCE_DESIGN),
    ("copyin", "write() to the null device: median instructions per write (linear y) "
     "against bytes per write (logarithmic x, base 2), aligned buffer solid and "
     "unaligned dashed. A write of N bytes makes ceil(N/4096) copyin calls, so the "
     "curve bends at each page; on a logarithmic x axis a straight cost per byte "
     "does not look straight, so read costs per call and per byte from the fits "
     "above, not from the slope. Configs whose lines are identical share one legend "
     "entry (a=b)."),
    ("copyinstr", "open() of a missing path: median instructions per open (linear y) "
     "against path length in bytes (logarithmic x). The drop after the short paths is "
     "real: a name too long for a directory entry is refused before the directory "
     "scan. Identical configs share a legend entry (a=b)."),
    ("fork", "fork+exit+wait: median instructions (logarithmic y, so that the small "
     "processes' differences show) against process size in "
     "KiB (logarithmic x), one line per config; the fits above split it into a fixed "
     "part (e.g. building a per-process kernel table) and a part per page copied."),
    ("sbrk", "sbrk up and down by N pages: median instructions (logarithmic y) against N "
     "(logarithmic x), one line per config; the per-page cost is in the fits above."),
    ("ctxswitch", "Pipe ping-pong: left, median instructions per round trip; right, "
     "satp writes and sfence.vma per round trip (the TLB flushes a context switch "
     "costs each config)."),
    ("satp_sfence", "satp writes (top) and sfence.vma executions (bottom) per "
     "operation for each benchmark, one bar per config: the TLB flushes each config "
     "would pay for on real hardware."),
    ("ptpages", "Page-table pages one process holds (linear y) against its size in KiB "
     "(logarithmic x): user table pages solid, per-process kernel table pages dashed; "
     "identical configs share a legend entry (a=b)."),
    ("fencesweep", "TLB model, re-priced (plot/reprice.py): each config's estimated cycles "
     "per operation over the reference design's plain config (no ASIDs, no "
     "megapages), against the cost of one sfence.vma (logarithmic x, across the registry's fence sweep), satp-write and "
     "walk costs at each run's own (its preset's); one colour per design, one line style per "
     "axis. A circle on the line at 1 marks a crossover, where the order flips. The "
     "operation and preset are in the title."),
    ("shoot_policy", "Shootdowns: IPIs sent (top) and remote fences (bottom) per shrink by "
     "targeting policy and hart count, one bar per config (its design's colour, its axis "
     "variant's fill); linear y. Counts of the kernel, not time: see \"Shootdowns\"."),
    ("shoot_threshold", "Shootdowns: sfence.vma per shrink (every hart) against the pages "
     "shrunk N (logarithmic x, base 2; logarithmic y), a panel per threshold T: by page "
     "solid, whole (an ASID or everything) dashed, one colour per design, one point "
     "shape per axis variant; a line falls to the axis where its count is 0. Past T the "
     "page fences stop and a whole fence takes their place. Configs with the same counts "
     "lie on one line, the earlier drawn wider beneath the later; the section's table "
     "groups them."),
]


# ---------------------------------------------------------------- header

def title_lines(meta, table):
    quick = [c for c in quick_configs(meta) if c in table.order]
    title = "# ptbench results"
    if quick and len(quick) == len(table.order):
        title += " (quick run: not reference figures)"
    elif quick:
        title += " (partly quick: %d of %d configs)" % (len(quick), len(table.order))
    return [title, ""] + facts_lines(meta, table, quick) + [
            "Under QEMU `-icount` a cycle is an executed instruction: every figure here "
            "counts instructions, and TLB misses and page walks cost nothing in these "
            "figures. The same run repeats bit for bit, so a difference between two "
            "figures is real, not noise. The TLB model (tools/tlbsim, defined in "
            "docs/tlb.md), if present, reports those costs separately.", ""]


def facts_lines(meta, table, quick, count=None):
    """The run's facts, from the meta files alone: commit, QEMU and its
    flags, quick or not, date; count: what the runs are, in words (default
    "N configs")."""
    def values(key):
        vals = []
        for c in table.order:
            v = meta.get(c, {}).get(key)
            v = " ".join(v) if isinstance(v, list) else v
            if v not in (None, "") and str(v) not in vals:
                vals.append(str(v))
        return ", ".join(vals) if vals else "not recorded"
    dates = sorted(str(meta[c]["date"]) for c in table.order if meta.get(c, {}).get("date"))
    when = (dates[0] if dates[0] == dates[-1] else "%s to %s" % (dates[0], dates[-1])) \
        if dates else "not recorded"
    return ["- Commit: %s; QEMU: %s" % (values("commit"), values("qemu")),
            "- QEMU flags: `%s`" % values("qemu_flags"),
            "- Quick run: %s; measured %s; %s" % (
                "no" if not quick else "yes" if len(quick) == len(table.order)
                else "%d of %d configs" % (len(quick), len(table.order)),
                when, count or "%d configs" % len(table.order)), ""]


def runs_section(table, meta, samples):
    lines = ["## Runs", "", "%d configs, one row each:" % len(table.order), ""]
    rows = []
    for c in table.order:
        m = meta.get(c, {})
        flags = m.get("qemu_flags", "")
        flags = " ".join(flags) if isinstance(flags, list) else str(flags)
        benches = m.get("benchmarks", "all")
        benches = ", ".join(benches) if isinstance(benches, list) else str(benches)
        rows.append([c, str(m.get("commit", "unknown")), str(m.get("compiler", "unknown")),
                     str(m.get("qemu", "unknown")), "`%s`" % flags if flags else "unknown",
                     str(m.get("date", "unknown")),
                     "yes" if m.get("quick") else "no" if "quick" in m else "unknown",
                     benches, str(m.get("bench_seconds", "unknown"))])
    lines += md_table(["config", "commit", "compiler", "QEMU", "QEMU flags", "date",
                       "quick", "benchmarks", "bench seconds"], rows, "llllllllr")
    return lines + [""] + run_warnings(table.order, meta) + exclusion_lines(samples, table)


def run_warnings(configs, meta):
    """Sentences about runs whose figures should not be used as reference."""
    lines = []
    for c in configs:
        m = meta.get(c)
        if not m:
            lines.append("- %s has no %s.meta.json: its run is not described." % (c, c))
            continue
        flags = m.get("qemu_flags", "")
        flags = " ".join(flags) if isinstance(flags, list) else str(flags)
        if "icount" not in flags:
            lines.append("- %s ran without `-icount` in its QEMU flags: its figures are "
                         "not instruction counts." % c)
        if m.get("quick"):
            lines.append("- %s was a quick run (fewer iterations and samples): use it to "
                         "check, not as reference results." % c)
        if isinstance(m.get("benchmarks"), list):
            lines.append("- %s ran only some benchmarks (%s)." % (c, ", ".join(m["benchmarks"])))
    commits = sorted({str(meta[c]["commit"]) for c in configs if meta.get(c, {}).get("commit")})
    if len(commits) > 1:
        lines.append("- The configs were measured at different commits: %s."
                     % ", ".join(commits))
    return lines + ([""] if lines else [])


def exclusion_lines(samples, table):
    """How many samples were used, and which idled ones were left out."""
    used = int((samples["idled"] == 0).sum())
    counts = idled_counts(samples)
    excluded = sum(n for _, _, n in counts)
    if not counts:
        return ["No sample idled: all %d samples used." % used, ""]
    text = ("%d samples used; %d excluded because they contained an idle wait "
            "(idled = 1), during which -icount,sleep=off counts skipped time as "
            "instructions." % (used, excluded))
    text += " Excluded: %s." % ", ".join("%d from %s %s" % (n, c, b) for c, b, n in counts)
    empty = sorted(set((c, b) for c, b, _ in counts)
                   - set(zip(table.summary["config"], table.summary["bench"])))
    if empty:
        text += " No usable sample remains for %s." % ", ".join("%s %s" % e for e in empty)
    return [text, ""]


def designs_section(table):
    """The configs with their traits, and what the traits mean."""
    cf = table.configs
    lines = ["## Designs", "",
             "Each config is a design (configs/<design>.mk declares its traits) built "
             "with or without ASIDs and kernel megapages. Ratios are to the reference "
             "design, %s, with the same axes." % REFERENCE_DESIGN, ""]
    rows = []
    for c in table.order:
        t = cf.traits(c)
        rows.append([c, t.get("design", "?"), t.get("desc", "–")]
                    + [t.get(k, "–") for k, _ in TRAIT_COLUMNS])
    lines += md_table(["config", "design", "description"] + [h for _, h in TRAIT_COLUMNS],
                      rows, "lll" + "l" * len(TRAIT_COLUMNS)) + [""]
    for d in cf.designs:
        cs = [c for c in table.order if cf.design(c) == d]
        if not cs:
            continue
        t = cf.traits(cs[0])
        parts = [trait_phrase(k, t[k]) for k in ("kernel_table", "copyin", "trap_switch",
                                                 "user_mirror") if k in t]
        if parts:
            lines.append("- In %s, %s." % (d, "; ".join(parts)))
    return lines + [""]


# ---------------------------------------------------------------- benchmarks

def bench_section(table, bench):
    """A benchmark's heading, description, trait sentences and table."""
    lines = ["### %s" % bench, "", BENCHES.get(bench, "Not described by plot/ptresults.py.")]
    present = [c for c in table.order if any(table.get(c, bench, p) is not None
                                             for p in table.params(bench))]
    lines += trait_sentences(table.configs, design_reps(table, present),
                             TRAIT_BENCHES.get(bench, []))
    lines.append("")
    unit = table.unit(bench)
    head = "param" + ("" if unit in ("", "none") else " (%s)" % unit)
    if bench == "ptpages":
        lines.append("Cells: user page-table pages + per-process kernel-table pages.")
        cell = ptpages_cell
    else:
        lines.append("Cells: median instructions per operation over the samples used; in "
                     "parentheses, the ratio to the reference design with the same axes.")
        cell = cpo_cell
    fixed = unit in ("", "none")  # one operation, no parameter: no "param 0"
    if fixed:
        head = "operation"
    rows = [[record(bench)["short"].replace(" %s", "") if fixed else fmt_param(p)]
            + [cell(table, c, bench, p) for c in present] for p in table.params(bench)]
    return lines + [""] + md_table([head] + present, rows, "l" + "r" * len(present)) + [""]


def design_reps(table, configs):
    """One config per design (its first), so that trait sentences name
    designs, not every config; the axes are said by the config names."""
    seen, reps = set(), []
    for c in configs:
        d = table.configs.design(c)
        if d not in seen:
            seen.add(d)
            reps.append(c)
    return reps


def cpo_cell(table, config, bench, param):
    value = table.get(config, bench, param)
    ratio = table.get(config, bench, param, RATIO)
    if value is None:
        return "–"
    if ratio is None or table.configs.is_reference(config):
        return fmt_num(value)
    return "%s (×%.2f)" % (fmt_num(value), ratio)


def ptpages_cell(table, config, bench, param):
    user = table.get(config, bench, param, "ptpages_user_median")
    kproc = table.get(config, bench, param, "ptpages_kproc_median")
    if user is None and kproc is None:
        return "–"
    return "%s + %s" % (fmt_num(user), fmt_num(kproc))


# ---------------------------------------------------------------- fits

def fits_section(table):
    """A table per fitted sweep: the fitted terms with standard errors."""
    lines = ["## Fits", "",
             "Least squares on the medians of every measured point (ordinary, "
             "unweighted). ± is the standard error of each coefficient (none when there "
             "are only as many points as terms); max residual is the largest distance of "
             "a measured point from the fitted line, in the fitted unit and as a share of "
             "that point's value. Under icount the points have no noise: the residuals "
             "say how far the cost is from the straight-line model, not measurement "
             "error.", ""]
    any_fit = False
    for bench in [b for b in table.benches() if b in FITS]:
        rows = []
        terms = None
        for c in table.order:
            f = fit(table, bench, c)
            if f is None:
                continue
            terms = f["terms"]
            se = f["se"] or [None] * len(f["coef"])
            worst = max(range(f["n"]), key=lambda i: abs(f["residuals"][i]))
            point = table.get(c, bench, f["params"][worst], f["target"]) or 0
            share = abs(f["residuals"][worst]) / point if point else 0
            rows.append([c] + [fmt_coef(v, e) for v, e in zip(f["coef"], se)]
                        + ["%s (%.1f%% at %s)" % (fmt_num(f["max_abs_residual"]), 100 * share,
                                                  fmt_param(f["params"][worst])),
                           "%d" % f["n"]])
        if not rows:
            continue
        any_fit = True
        head = ["config", "fixed"] + [name for name, _ in terms] + ["max residual", "points"]
        lines += ["### %s" % bench, "", "Model: " + FIT_TEXT.get(bench, FITS[bench][0]), ""]
        lines += md_table(head, rows, "l" + "r" * (len(head) - 1)) + [""]
    if not any_fit:
        return lines + ["No sweep was measured at enough points to fit.", ""]
    return lines


def copy_costs_section(table):
    """Per call and per byte of each copy routine, from the fits: a table."""
    lines = ["## Copy costs", ""]
    rows = []
    for c in table.order:
        row, any_fit = [c], False
        for bench in COPY_BENCHES:
            f = fit(table, bench, c)
            if f is None:
                row += ["–", "–"]
                continue
            any_fit = True
            coef = dict(zip([n for n, _ in f["terms"]], f["coef"][1:]))
            call = [v for n, v in coef.items() if "call" in n]
            row += ["%.3f" % coef["per byte"], fmt_num(call[0]) if call else "–"]
        if any_fit:
            rows.append(row)
    if not rows:
        return lines + ["No copy sweep was measured.", ""]
    lines += ["Instructions per byte and per call, from the fits above (calls counted "
              "by the kernel). copyin from write_null, copyout from read_file; the "
              "open() column is all of open()'s cost per byte of path, of which "
              "copyinstr is a part (the file-system path walk and string handling are "
              "the rest).", ""]
    head = ["config"]
    for bench in COPY_BENCHES:
        head += ["%s per byte" % COPY_WORD[bench], "%s per call" % COPY_WORD[bench]]
    lines += md_table(head, rows, "l" + "r" * (len(head) - 1)) + [""]
    return lines + copy_calls_lines(table)


COPY_BENCHES = ["write_null", "open_missing", "read_file"]
COPY_WORD = {"write_null": "copyin", "open_missing": "open()", "read_file": "copyout"}


def copy_calls_lines(table):
    """How many copyin calls the write sizes take (from the counters)."""
    sizes = table.params("write_null")
    if not sizes or not table.order:
        return []
    c = table.order[0]
    parts = ["%s: %s" % (fmt_param(p), fmt_num(table.get(c, "write_null", p,
                                                          "copyin_calls_median")))
             for p in sizes if table.get(c, "write_null", p, "copyin_calls_median") is not None]
    if not parts:
        return []
    return ["copyin calls per write by bytes written (%s; the same in every config): %s."
            % (c, ", ".join(parts)), ""]


# ---------------------------------------------------------------- counters

COUNTER_COLUMNS = [("satp_writes", "satp writes"), ("sfences", "sfence.vma"),
                   ("ctx_switches", "context switches")]


def counters_section(table):
    """satp writes, fences and switches per ping-pong round trip, and what
    a page-crossing write adds: tables, one row per config."""
    lines = ["## Counters", ""]
    p = table.smallest("pingpong")
    if p is not None:
        rows = [[c] + [fmt_num(table.get(c, "pingpong", p, col + "_median"))
                       for col, _ in COUNTER_COLUMNS] for c in table.order]
        lines += ["Per ping-pong round trip, from the kernel's counters:", ""]
        lines += md_table(["config"] + [h for _, h in COUNTER_COLUMNS], rows,
                          "l" + "r" * len(COUNTER_COLUMNS)) + [""]
    rows = []
    for c in table.order:
        a, b = table.get(c, "write_null", 4096), table.get(c, "write_null", 4097)
        if a is not None and b is not None:
            rows.append([c, fmt_num(a), fmt_num(b), fmt_num(b - a)])
    if rows:
        lines += ["Writing 4097 bytes instead of 4096 (a second copyin call, one byte into "
                  "a second page), instructions:", ""]
        lines += md_table(["config", "4096 B", "4097 B", "added"], rows, "lrrr") + [""]
    return lines if len(lines) > 2 else []


def targets_section(table):
    """docs/targets.md's targets against measured medians."""
    rows, met = [], 0
    for title, bench, param, scale, unit, limit in TARGETS:
        p = param if param is not None else table.smallest(bench)
        for c, v in table.values(bench, p):
            lim = target_limit(limit, table.configs.traits(c))
            if lim is None:
                rows.append([title, c, fmt_value(v / scale, scale), "–", unit,
                             "no target for its traits"])
                continue
            ok = v / scale <= lim
            met += ok
            rows.append([title, c, fmt_value(v / scale, scale), "≤ " + fmt_num(lim), unit,
                         "met" if ok else "missed"])
    lines = ["## Performance targets", ""]
    if not rows:
        return lines + ["No benchmark with a target (docs/targets.md) was measured.", ""]
    judged = sum(1 for r in rows if r[5] in ("met", "missed"))
    lines += ["Targets (docs/targets.md says what each means) against measured medians: "
              "%d of %d met." % (met, judged), ""]
    return lines + md_table(["operation", "config", "measured", "target", "unit",
                             "verdict"], rows, "llrrll") + [""]


def fmt_value(value, scale):
    return "%.3f" % value if scale != 1 else fmt_num(value)


def figures_section(drawn):
    lines = ["## Figures", "",
             "Drawn by plot/plots.sh from the tables in plots/data/ (SVG, and PNG beside it).", ""]
    for name, text in FIGURES:
        if name in drawn:
            lines.append("- [%s](plots/%s.svg): %s" % (name, name, text))
    return lines + [""]


def drawn_figures(results_dir):
    data = os.path.join(results_dir, "plots", "data")
    return {n for n, _ in FIGURES if os.path.exists(os.path.join(data, n + ".dat"))}


def smp_facts(runs):
    """(meta, a table stand-in with .order, the runs in words) of the
    shootdown runs, for facts_lines when no 1-hart run exists: one entry
    per run, <config>@<harts>."""
    meta = {"%s@%d" % key: m for key, m in sorted(runs.meta.items())}
    return meta, types.SimpleNamespace(order=list(meta)), \
        "%d multi-hart run(s) of %d config(s)" % (len(meta), len(runs.order))


def smp_only_lines(results_dir, runs):
    """The report of a result set of shootdown runs alone."""
    meta, runs_table, count = smp_facts(runs)
    quick = quick_configs(meta)
    title = "# ptbench results: shootdowns only"
    if quick:
        title += (" (quick run: not reference figures)" if len(quick) == len(meta)
                  else " (partly quick: %d of %d runs)" % (len(quick), len(meta)))
    lines = [title, ""] + facts_lines(meta, runs_table, quick, count) + [
        "This result set holds multi-hart shootdown runs only (smp/). Their figures are the "
        "kernel's counts per operation (IPIs, fences by form, calls to M-mode), exact under "
        "QEMU `-icount`; under `-icount` time is virtual and every hart advances it, so no "
        "time here is a hardware cost (section \"Shootdowns\").", ""]
    lines += headline.summary_lines(None, extra=[shoot.finding(runs)])
    lines += ["# Detail", "", "Only multi-hart shootdown runs are in %s (smp/): the 1-hart "
              "benchmarks' sections need <config>.csv (make bench without a BENCH of "
              "shoot_* families only)." % results_dir, ""]
    lines += shoot.section_lines(runs, anchors.shoot_lines(runs))
    return lines + figures_section(drawn_figures(results_dir))


def report_lines(results_dir):
    """The whole report as lines. Raises InputError."""
    runs = shoot.load(results_dir)
    if runs is not None and not result_paths(results_dir):
        return smp_only_lines(results_dir, runs)
    samples, meta = load(results_dir)
    configs = Configs(samples, meta)
    table = Table(summarize(samples, configs), configs)
    lines = title_lines(meta, table)
    lines += headline.summary_lines(table, headline.tlb_lines(results_dir, table),
                                    extra=[shoot.finding(runs)])
    lines += reprice.summary_lines(results_dir)
    lines += ["# Detail", "", "The sections below hold every measured figure; the "
              "summary above is drawn from them.", ""]
    lines += runs_section(table, meta, samples)
    lines += designs_section(table) + ["## Benchmarks", ""]
    for bench in table.benches():
        lines += bench_section(table, bench)
    lines += fits_section(table) + copy_costs_section(table) + counters_section(table)
    lines += targets_section(table) + figures_section(drawn_figures(results_dir))
    lines += construction_lines(samples, meta)
    tlb = tlb_summary.section_lines(results_dir)
    if tlb:
        lines += short_prose(tlb, table.order + sorted({c for c in configs.axes}))
    lines += reprice.range_lines(results_dir) + anchors.lines(results_dir)
    return lines + shoot.section_lines(runs, anchors.shoot_lines(runs))


def short_prose(lines, configs, most=5):
    """lines without the bullet points that name more than most configs
    (the tables of the section hold their figures), with a note saying so."""
    names = sorted(set(configs), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(%s)(?![\w-])" % "|".join(re.escape(n) for n in names))
    kept, dropped = [], 0
    for line in lines:
        if line.startswith("- ") and len(pattern.findall(line)) > most:
            dropped += 1
            continue
        kept.append(line)
    if dropped:
        kept += ["%d finding(s) that would name more than %d configs are left to the "
                 "tables above." % (dropped, most), ""]
    return kept


def construction_lines(samples, meta):
    """The measured differences held against what each design costs by
    construction (plot/construction.py, docs/costs.md)."""
    md, flagged = construction.table(samples, meta)
    if md.count("\n") <= 2:
        return []
    return ["## Measured against construction", "",
            "Each row sets a config's measured difference to the config it is compared "
            "with (instructions per operation, medians of the headline points) beside what "
            "the two configs' mechanisms add by construction: per-occurrence costs counted "
            "in the code (docs/costs.md) times how often the operation meets each, from the "
            "config's own counters. A row more than 10%% and 30 instructions above "
            "construction is marked: a difference there is not yet explained by what the "
            "designs do. %d of %d row(s) are marked." % (flagged, md.count("\n") - 2), "",
            md]


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write report.md from ptbench results.")
    ap.add_argument("--results", default="results/latest",
                    help="directory holding <config>.csv (default: results/latest)")
    args = ap.parse_args(argv)
    try:
        lines = report_lines(args.results)
    except InputError as e:
        print("report.py: error: %s" % e, file=sys.stderr)
        return 1
    path = os.path.join(args.results, "report.md")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n".join(lines).rstrip("\n") + "\n")
    os.replace(path + ".tmp", path)
    print("report.py: -> %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
