#!/usr/bin/python3
"""plot/summarize.py: summary table, report and plot data from benchmark samples.

Usage:  /usr/bin/python3 plot/summarize.py --results DIR

Reads:  DIR/*.csv except summary.csv (one row per sample, DESIGN.md section 8)
        and DIR/<config>.meta.json beside each (optional).
Writes: DIR/summary.csv   per config/bench/param: samples used, median/min/max/
                          stdev of cycles_per_op, median of every kernel counter,
                          ratio to global's median;
        DIR/report.md     tables, findings and performance targets, all
                          computed from the samples;
        DIR/plots/data/NAME.dat  whitespace tables that plot/NAME.gp draws.
Exit:   0 on success, 1 on bad input (no CSV, missing columns, bad numbers).

Samples flagged idled=1 waited in wfi inside the measured region; under
-icount,sleep=off that skipped time counts as instructions, so they are left
out of every figure and counted in the report.
"""
import argparse
import glob
import json
import os
import sys

import pandas as pd

KEY_COLUMNS = ["config", "bench", "param", "param_unit", "sample", "iters",
               "cycles", "instret", "cycles_per_op", "instret_per_op"]
COUNTERS = ["syscalls", "copyin_calls", "copyin_bytes", "copyinstr_calls",
            "copyinstr_bytes", "copyout_calls", "copyout_bytes", "walk_steps",
            "satp_writes", "sfences", "ctx_switches", "idle_entries",
            "interrupts", "ptpages_user", "ptpages_kproc", "ptpages_kernel",
            "free_pages"]
REQUIRED = KEY_COLUMNS + COUNTERS + ["idled"]
STRING_COLUMNS = ["config", "bench", "param_unit"]
# Numeric columns that may never be empty; a counter may be (median skips it).
NONEMPTY = ["param", "sample", "iters", "cycles", "instret", "cycles_per_op", "idled"]

GROUP = ["config", "bench", "param"]
CPO = "cycles_per_op"
DESIGN_ORDER = ["global", "perproc", "umap"]
BASELINE = "global"

# Benchmarks in report order, with what each measures.
BENCHES = {
    "getpid": "The null system call: one getpid() round trip from user mode "
              "into the kernel and back, the fixed cost every system call pays.",
    "write_null": "write() of N bytes to the null device: a system call plus "
                  "copyin of N bytes, which the device discards. global and "
                  "perproc walk the user page table in software page by page; "
                  "umap reads the user address directly. The sizes 4095, 4096 "
                  "and 4097 show what crossing a page boundary costs.",
    "write_null_ua": "As write_null, from a user buffer that is not aligned: "
                     "the copy cannot move whole words from an aligned start "
                     "and may touch one page more.",
    "open_missing": "open() of a path that does not exist, by the path's "
                    "length in bytes: copyinstr brings the path in up to its "
                    "terminating NUL, then the lookup fails. This is the "
                    "string-copy path of each design.",
    "read_file": "read() of N bytes from a file in the RAM file system: "
                 "copyout, which is the same code in every design, so this is "
                 "a control that should not differ between designs.",
    "pipe_rw": "N bytes written into a pipe and read back out, in 512-byte "
               "calls: copyin and copyout through the pipe buffer plus the "
               "system calls around them.",
    "fork_exit_wait": "fork() of a process of the given size in KiB; the child "
                      "exits at once and the parent waits. It copies the user "
                      "memory and page table; perproc and umap also build and "
                      "free a per-process kernel table, and umap mirrors the "
                      "user pages into it.",
    "fork_exec_wait": "fork() then exec() of a small program in the child, "
                      "exit and wait: the whole cost of starting a program, "
                      "including a new user page table (and in umap its mirror).",
    "sbrk": "sbrk() up by N pages then down by N pages: allocating, mapping, "
            "unmapping and freeing user memory; umap also maps and unmaps the "
            "pages in the per-process kernel table.",
    "pingpong": "One byte sent each way between two processes through two "
                "pipes (one round trip): the cost of blocking and context "
                "switching. In perproc and umap each switch to a process loads "
                "its own kernel table (satp write and sfence.vma).",
    "ptpages": "Page-table pages one process holds, by process size in KiB: "
               "its user page table and, in perproc and umap, its per-process "
               "kernel table (which in umap also mirrors the user pages). The "
               "table shows pages, not instructions.",
}

# The parameter a benchmark is shown at when one value stands for it.
PREFERRED_PARAM = {"write_null": 4096, "write_null_ua": 4096, "read_file": 4096,
                   "pipe_rw": 4096, "open_missing": 120, "sbrk": 16,
                   "ptpages": 16384}

# DESIGN.md section 11: (title, bench, param or None for the smallest,
# scale to apply to cycles_per_op, unit, limit for global, limit for others).
TARGETS = [
    ("getpid round trip", "getpid", None, 1, "instructions", 300, 300),
    ("pipe write+read of 4 KiB in 512 B calls", "pipe_rw", 4096, 1,
     "instructions", 15000, 15000),
    ("copyin of 64 KiB (write_null), per byte", "write_null", 65536, 65536,
     "instructions/byte", 0.5, 0.5),
    ("open() of a missing 120-byte path", "open_missing", 120, 1,
     "instructions", 30000, 30000),
    ("fork+exit+wait, smallest process", "fork_exit_wait", None, 1,
     "instructions", 120000, 400000),
    ("fork+exec+wait", "fork_exec_wait", None, 1, "instructions", 300000, 600000),
    ("sbrk +16 then -16 pages", "sbrk", 16, 1, "instructions", 150000, 150000),
    ("pipe ping-pong round trip", "pingpong", None, 1, "instructions",
     10000, 10000),
]

# Figures: name, the benchmarks it needs, what it shows.
FIGURES = [
    ("bench_bars", "Median instructions per operation of the single-size "
     "benchmarks (getpid, fork_exec_wait, pingpong, pipe_rw), one bar per "
     "design, on a log scale."),
    ("copyin", "write() to the null device: instructions per call against "
     "bytes (log-log), aligned buffer solid and unaligned dashed, one line per "
     "design; the slope is copyin's cost per byte."),
    ("copyinstr", "open() of a missing path: instructions per call against "
     "path length, one line per design; the slope is copyinstr's cost per byte."),
    ("fork", "fork+exit+wait against process size (log-log), one line per "
     "design: the fixed cost of a per-process kernel table against the cost "
     "that grows with the memory copied."),
    ("sbrk", "sbrk grow and shrink against pages (log-log), one line per "
     "design: the per-page cost of mapping user memory, and in umap of "
     "mirroring it."),
    ("ctxswitch", "Ping-pong: instructions and context switches per round "
     "trip, one bar per design."),
    ("satp_sfence", "satp writes and sfence.vma executions per operation for "
     "each benchmark, one bar per design: the TLB flushes each design would "
     "pay for on real hardware."),
    ("ptpages", "Page-table pages one process holds against its size: user "
     "table pages solid, per-process kernel table pages dashed, one line per "
     "design."),
]


class InputError(Exception):
    """Bad or missing input; the message says which file and what."""


# ---------------------------------------------------------------- input

def read_samples(results_dir):
    """All sample rows of DIR/*.csv (except summary.csv) as one DataFrame.

    Raises InputError when there is no CSV, or a CSV is empty, lacks a
    required column or holds a non-number in a numeric column.
    """
    paths = sorted(p for p in glob.glob(os.path.join(results_dir, "*.csv"))
                   if os.path.basename(p) != "summary.csv")
    if not paths:
        raise InputError("no result CSV in %s (expected <config>.csv)" % results_dir)
    frames = [read_csv(p) for p in paths]
    samples = pd.concat(frames, ignore_index=True)
    if samples.empty:
        raise InputError("no samples in %s" % ", ".join(paths))
    if (samples["idled"] != 0).all():
        raise InputError("every sample in %s idled (idled = 1): nothing to summarize"
                         % ", ".join(paths))
    return samples


def read_csv(path, required=None, strings=None, nonempty=None):
    """One CSV with its required columns checked and the numeric ones
    converted (every required column but strings; a blank cell is allowed
    except in nonempty). Defaults: the results CSV's columns; see
    read_samples. Raises InputError naming the file, line and column."""
    required = REQUIRED if required is None else required
    strings = STRING_COLUMNS if strings is None else strings
    nonempty = NONEMPTY if nonempty is None else nonempty
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise InputError("%s is empty (no header line)" % path) from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError("%s lacks required column(s): %s"
                         % (path, ", ".join(missing)))
    for col in required:
        if col in strings:
            df[col] = df[col].str.strip()
            continue
        text = df[col].str.strip()
        df[col] = pd.to_numeric(text, errors="coerce")
        bad = df[col].isna() & ((text != "") | (col in nonempty))
        if bad.any():
            line = int(bad.idxmax()) + 2  # header is line 1
            raise InputError("%s line %d: column %s is not a number: %r"
                             % (path, line, col, text[bad.idxmax()]))
    return df


def read_meta(results_dir, configs):
    """{config: dict} from DIR/<config>.meta.json; {} for a missing file."""
    meta = {}
    for config in configs:
        path = os.path.join(results_dir, config + ".meta.json")
        try:
            with open(path, encoding="utf-8") as f:
                meta[config] = json.load(f)
        except FileNotFoundError:
            meta[config] = {}
        except (OSError, ValueError) as e:
            print("summarize.py: warning: ignoring %s: %s" % (path, e), file=sys.stderr)
            meta[config] = {}
    return meta


# ---------------------------------------------------------------- summary

def summarize(samples):
    """Per config/bench/param statistics over the samples that did not idle.

    Returns a DataFrame sorted by config, bench, param with columns n,
    cycles_per_op_{median,min,max,stdev} (stdev with n-1; NaN when n = 1),
    <counter>_median and ratio_to_global (NaN without a global median).
    """
    used = samples[samples["idled"] == 0]
    aggs = {"param_unit": ("param_unit", "first"), "n": (CPO, "size"),
            CPO + "_median": (CPO, "median"), CPO + "_min": (CPO, "min"),
            CPO + "_max": (CPO, "max"), CPO + "_stdev": (CPO, "std")}
    for col in ["instret_per_op"] + COUNTERS:
        aggs[col + "_median"] = (col, "median")
    summary = used.groupby(GROUP, sort=False).agg(**aggs).reset_index()
    base = summary[summary["config"] == BASELINE][["bench", "param", CPO + "_median"]]
    base = base.rename(columns={CPO + "_median": "base"})
    summary = summary.merge(base, on=["bench", "param"], how="left")
    ratio = summary[CPO + "_median"] / summary["base"].where(summary["base"] != 0)
    summary["ratio_to_global"] = ratio
    summary = summary.drop(columns="base")
    return summary.sort_values(GROUP, kind="stable").reset_index(drop=True)


def idled_counts(samples):
    """[(config, bench, excluded samples)] for groups with idled samples, sorted."""
    idled = samples[samples["idled"] != 0]
    counts = idled.groupby(["config", "bench"]).size()
    return [(c, b, int(n)) for (c, b), n in sorted(counts.items())]


def fmt_fixed(value, decimals):
    """value with a fixed number of decimals; '' for NaN."""
    if pd.isna(value):
        return ""
    return "%.*f" % (decimals, value)


def fmt_param(value):
    """A parameter as an integer when it is one."""
    return "%d" % value if float(value).is_integer() else "%g" % value


def write_summary(summary, path):
    """summary.csv: fixed decimals (2 for cycles, 3 for counters, 4 for ratio)."""
    out = pd.DataFrame({"config": summary["config"], "bench": summary["bench"],
                        "param": summary["param"].map(fmt_param),
                        "param_unit": summary["param_unit"],
                        "n": summary["n"].map(lambda v: "%d" % v)})
    for col in [c for c in summary.columns if c not in out.columns]:
        decimals = 2 if col.startswith(CPO) else 4 if col == "ratio_to_global" else 3
        out[col] = summary[col].map(lambda v, d=decimals: fmt_fixed(v, d))
    out.to_csv(path, index=False, lineterminator="\n")


# ---------------------------------------------------------------- lookups

def design_order(configs):
    """Known designs first in DESIGN_ORDER, then any others alphabetically."""
    known = [d for d in DESIGN_ORDER if d in configs]
    return known + sorted(set(configs) - set(known))


def bench_order(benches):
    """Known benchmarks in BENCHES order, then any others alphabetically."""
    known = [b for b in BENCHES if b in benches]
    return known + sorted(set(benches) - set(known))


class Table:
    """Lookup of summary values by (config, bench, param)."""

    def __init__(self, summary):
        self.summary = summary
        self.rows = {(r.config, r.bench, r.param): r for r in summary.itertuples()}
        self.designs = design_order(summary["config"].unique())

    def get(self, config, bench, param, col=CPO + "_median"):
        """The value, or None when that row or value does not exist."""
        row = self.rows.get((config, bench, param))
        value = None if row is None else getattr(row, col)
        return None if value is None or pd.isna(value) else float(value)

    def params(self, bench):
        """Sorted parameters measured for bench, in any design."""
        return sorted(self.summary.loc[self.summary["bench"] == bench, "param"].unique())

    def unit(self, bench):
        units = self.summary.loc[self.summary["bench"] == bench, "param_unit"]
        return units.iloc[0] if len(units) else ""

    def smallest(self, bench):
        """The smallest parameter measured for bench; None if not measured."""
        params = self.params(bench)
        return params[0] if params else None

    def largest(self, bench):
        params = self.params(bench)
        return params[-1] if params else None

    def preferred(self, bench, value=None, fallback=None):
        """value (default PREFERRED_PARAM[bench]) when measured, else
        fallback(bench) (default: the smallest); None if not measured."""
        value = PREFERRED_PARAM.get(bench) if value is None else value
        if value in self.params(bench):
            return value
        return (fallback or self.smallest)(bench)

    def values(self, bench, param, col=CPO + "_median"):
        """[(design, value)] for the designs that have it, in design order."""
        pairs = [(d, self.get(d, bench, param, col)) for d in self.designs]
        return [(d, v) for d, v in pairs if v is not None]


# ---------------------------------------------------------------- formatting

def fmt_num(x):
    """A count for prose and tables: thousands separated from 100 up."""
    if x is None or pd.isna(x):
        return "–"
    if abs(x) >= 100:
        return "{:,.0f}".format(x)
    return ("%.3f" % x).rstrip("0").rstrip(".")


def fmt_pct(value, base):
    """Signed change of value against base, e.g. '+12.5%'."""
    return "%+.1f%%" % ((value / base - 1) * 100)


def fmt_size(value, unit):
    """A parameter in words: '64 KiB', '16 MiB', '120 bytes', '16 pages'."""
    if unit == "bytes":
        for scale, name in ((1 << 20, "MiB"), (1 << 10, "KiB")):
            if value >= scale and value % scale == 0:
                return "%d %s" % (value // scale, name)
        return "%s bytes" % fmt_param(value)
    if unit == "KiB" and value >= 1024 and value % 1024 == 0:
        return "%d MiB" % (value // 1024)
    return fmt_param(value) + ("" if unit in ("", "none") else " " + unit)


def join_words(words):
    """'a', 'a and b', 'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def md_table(header, rows, align):
    """Markdown table lines; align is a string of 'l'/'r' per column."""
    marks = {"l": "---", "r": "---:"}
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join(marks[a] for a in align) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


# ---------------------------------------------------------------- report

def report_header(table, meta, samples):
    """Title, the icount statement, the runs table and the exclusions."""
    lines = ["# ptbench results", "",
             "Under QEMU `-icount` a cycle is an executed instruction: every "
             "figure here counts instructions, and TLB misses and page walks "
             "cost nothing in these figures. The TLB model (tools/tlbsim, "
             "DESIGN.md section 9), if present, reports those costs separately.",
             "", "## Runs", "",
             "Designs: %s." % join_words(table.designs), ""]
    rows = []
    for d in table.designs:
        m = meta.get(d, {})
        flags = m.get("qemu_flags", "")
        flags = " ".join(flags) if isinstance(flags, list) else str(flags)
        rows.append([d, str(m.get("commit", "unknown")), str(m.get("compiler", "unknown")),
                     str(m.get("qemu", "unknown")), "`%s`" % flags if flags else "unknown",
                     str(m.get("date", "unknown")),
                     "yes" if m.get("quick") else "no" if "quick" in m else "unknown",
                     str(m.get("bench_seconds", "unknown"))])
    lines += md_table(["design", "commit", "compiler", "QEMU", "QEMU flags", "date",
                       "quick", "bench seconds"], rows, "llllllll")
    lines += [""] + run_warnings(table.designs, meta)
    lines += exclusion_lines(samples, table)
    return lines


def run_warnings(designs, meta):
    """Sentences about runs whose figures should not be used as reference."""
    lines = []
    for d in designs:
        m = meta.get(d)
        if not m:
            lines.append("- %s has no %s.meta.json: its run is not described." % (d, d))
            continue
        flags = m.get("qemu_flags", "")
        flags = " ".join(flags) if isinstance(flags, list) else str(flags)
        if "icount" not in flags:
            lines.append("- %s ran without `-icount` in its QEMU flags: its "
                         "figures are not instruction counts." % d)
        if m.get("quick"):
            lines.append("- %s was a quick run (fewer samples): use it to check, "
                         "not as reference results." % d)
    commits = sorted({str(meta[d]["commit"]) for d in designs if meta.get(d, {}).get("commit")})
    if len(commits) > 1:
        lines.append("- The designs were measured at different commits: %s."
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


def bench_section(table, bench):
    """A benchmark's heading, description and table of medians by design."""
    lines = ["### %s" % bench, "", BENCHES.get(bench, "Not described by "
                                               "plot/summarize.py."), ""]
    unit = table.unit(bench)
    head = "param" + ("" if unit in ("", "none") else " (%s)" % unit)
    if bench == "ptpages":
        lines.append("Cells: user page-table pages + per-process kernel-table pages.")
        cell = ptpages_cell
    else:
        lines.append("Cells: median instructions per operation over the samples "
                     "used; in parentheses, the ratio to global.")
        cell = cpo_cell
    rows = [[fmt_param(p)] + [cell(table, d, bench, p) for d in table.designs]
            for p in table.params(bench)]
    return lines + [""] + md_table([head] + table.designs, rows,
                                   "l" + "r" * len(table.designs)) + [""]


def cpo_cell(table, design, bench, param):
    value = table.get(design, bench, param)
    ratio = table.get(design, bench, param, "ratio_to_global")
    if value is None:
        return "–"
    if ratio is None or design == BASELINE:
        return fmt_num(value)
    return "%s (×%.2f)" % (fmt_num(value), ratio)


def ptpages_cell(table, design, bench, param):
    user = table.get(design, bench, param, "ptpages_user_median")
    kproc = table.get(design, bench, param, "ptpages_kproc_median")
    if user is None and kproc is None:
        return "–"
    return "%s + %s" % (fmt_num(user), fmt_num(kproc))


# ---------------------------------------------------------------- findings

def compare_to_global(table, bench, param, what):
    """Sentences comparing each design's median with global's, or a list
    of medians when there is no global; [] when fewer than two designs."""
    values = table.values(bench, param)
    if len(values) < 2:
        return []
    base = dict(values).get(BASELINE)
    if base is None:
        return ["No global to compare with; %s costs %s." % (what, per_design(
            [(d, fmt_num(v)) for d, v in values], " instructions"))]
    return ["%s's %s costs %s instructions vs %s in global (%s)."
            % (d, what, fmt_num(v), fmt_num(base), fmt_pct(v, base))
            for d, v in values if d != BASELINE]


def counter_sentence(table, bench, param, col, words, per):
    """'perproc and umap write satp 12 times per X, global 8.': designs with
    equal values grouped, largest first. words is (verb for several, verb for
    one, noun after the number), e.g. ("write satp", "writes satp", "times").
    None when no design has the counter."""
    values = table.values(bench, param, col + "_median")
    if not values:
        return None
    groups = {}
    for d, v in values:
        groups.setdefault(v, []).append(d)
    plural, singular, noun = words
    if len(groups) == 1 and len(values) > 1:
        return "All designs %s %s %s per %s." % (plural, fmt_num(values[0][1]), noun, per)
    ordered = sorted(groups.items(), key=lambda kv: -kv[0])
    (v0, ds0), rest = ordered[0], ordered[1:]
    text = "%s %s %s %s per %s" % (join_words(ds0), singular if len(ds0) == 1 else plural,
                                   fmt_num(v0), noun, per)
    return text + "".join(", %s %s" % (join_words(ds), fmt_num(v)) for v, ds in rest) + "."


def per_design(parts, unit=""):
    """'1 instructions in global, 2 in umap' from [(design, text)] and unit."""
    texts = ["%s%s in %s" % (text, unit if i == 0 else "", d)
             for i, (d, text) in enumerate(parts)]
    return ", ".join(texts)


def copy_findings(table):
    """Findings on copyin (write_null), page crossing, alignment, copyinstr."""
    out = []
    big = table.preferred("write_null", 65536, table.largest)
    if big is not None:
        size = fmt_size(big, table.unit("write_null"))
        out += compare_to_global(table, "write_null", big, "copyin of %s" % size)
        s = counter_sentence(table, "write_null", big, "walk_steps",
                             ("take", "takes", "software page-walk steps"),
                             "write of %s" % size)
        out += [s] if s else []
        per_byte = [(d, fmt_num(v / big)) for d, v in table.values("write_null", big)]
        out.append("A %s write costs %s."
                   % (size, per_design(per_byte, " instructions per byte")))
    out += page_crossing(table)
    out += alignment(table, big)
    path = table.preferred("open_missing", 120, table.largest)
    if path is not None:
        out += compare_to_global(table, "open_missing", path, "open() of a missing "
                                 "path of %s" % fmt_size(path, table.unit("open_missing")))
    ctl = table.preferred("read_file", 65536, table.largest)
    if ctl is not None:
        out += compare_to_global(table, "read_file", ctl, "read() of %s (copyout control)"
                                 % fmt_size(ctl, table.unit("read_file")))
    return out


def page_crossing(table):
    """What writing 4097 bytes instead of 4096 costs, per design."""
    parts = []
    for d in table.designs:
        a, b = table.get(d, "write_null", 4096), table.get(d, "write_null", 4097)
        if a is not None and b is not None:
            parts.append((d, fmt_num(b - a)))
    if not parts:
        return []
    return ["Writing 4097 bytes instead of 4096 (one byte into a second page) "
            "adds %s." % per_design(parts, " instructions")]


def alignment(table, size):
    """What an unaligned buffer changes in the largest write, per design."""
    parts = []
    for d in table.designs:
        a, u = table.get(d, "write_null", size), table.get(d, "write_null_ua", size)
        if a is not None and u is not None and a:
            parts.append((d, fmt_pct(u, a)))
    if not parts:
        return []
    return ["An unaligned buffer changes the cost of a %s write by %s."
            % (fmt_size(size, "bytes"), per_design(parts))]


def switch_findings(table):
    """satp writes, sfence.vma and context switches per ping-pong round trip."""
    p = table.smallest("pingpong")
    if p is None:
        return []
    out = compare_to_global(table, "pingpong", p, "ping-pong round trip")
    for col, words in (("satp_writes", ("write satp", "writes satp", "times")),
                       ("sfences", ("execute sfence.vma", "executes sfence.vma", "times")),
                       ("ctx_switches", ("switch context", "switches context", "times"))):
        s = counter_sentence(table, "pingpong", p, col, words, "ping-pong round trip")
        out += [s] if s else []
    return out


def process_findings(table):
    """getpid, pipe, fork, exec and sbrk costs against global."""
    out = []
    for bench, what, which in (("getpid", "getpid() round trip", "smallest"),
                               ("pipe_rw", "pipe write+read of %s", "preferred"),
                               ("fork_exit_wait", "fork+exit+wait of a %s process", "smallest"),
                               ("fork_exit_wait", "fork+exit+wait of a %s process", "largest"),
                               ("fork_exec_wait", "fork+exec+wait", "smallest"),
                               ("sbrk", "sbrk up and down by %s", "preferred")):
        p = getattr(table, which)(bench)
        if p is None or (which == "largest" and p == table.smallest(bench)):
            continue
        label = what % fmt_size(p, table.unit(bench)) if "%s" in what else what
        out += compare_to_global(table, bench, p, label)
    return out


def ptpages_findings(table):
    """'a 16 MiB process holds A user page-table pages; perproc adds B ...'."""
    p = table.preferred("ptpages", 16384, table.largest)
    if p is None:
        return []
    users = table.values("ptpages", p, "ptpages_user_median")
    kprocs = table.values("ptpages", p, "ptpages_kproc_median")
    if not users:
        return []
    size = fmt_size(p, table.unit("ptpages"))
    user_by = dict(users)
    first = user_by.get(BASELINE, users[0][1])
    text = "A %s process holds %s user page-table pages" % (size, fmt_num(first))
    if len(set(user_by.values())) > 1:
        text += " (%s)" % ", ".join("%s in %s" % (fmt_num(v), d) for d, v in users)
    adds = [(d, v) for d, v in kprocs if d != BASELINE or v]
    if adds:
        d0, v0 = adds[0]
        text += "; %s adds %s kernel-table pages" % (d0, fmt_num(v0))
        text += "".join(", %s %s" % (d, fmt_num(v)) for d, v in adds[1:])
    return [text + "."]


def findings_section(table):
    findings = (copy_findings(table) + switch_findings(table)
                + process_findings(table) + ptpages_findings(table))
    lines = ["## Findings", ""]
    if not findings:
        return lines + ["The data hold no comparison to report.", ""]
    return lines + ["- " + f for f in findings] + [""]


def targets_section(table):
    """DESIGN.md section 11 targets against measured medians."""
    rows, met = [], 0
    for title, bench, param, scale, unit, lim_global, lim_other in TARGETS:
        p = param if param is not None else table.smallest(bench)
        for d, v in table.values(bench, p):
            limit = lim_global if d == BASELINE else lim_other
            value = v / scale
            ok = value <= limit
            met += ok
            shown = "%.3f" % value if scale != 1 else fmt_num(value)
            rows.append([title, d, shown, "≤ " + fmt_num(limit), unit,
                         "met" if ok else "missed"])
    lines = ["## Performance targets", ""]
    if not rows:
        return lines + ["No benchmark with a target (DESIGN.md section 11) was measured.", ""]
    lines += ["Targets from DESIGN.md section 11 against measured medians: "
              "%d of %d met." % (met, len(rows)), ""]
    return lines + md_table(["operation", "design", "measured", "target", "unit",
                             "verdict"], rows, "llrrll") + [""]


def figures_section(drawn):
    lines = ["## Figures", "",
             "Drawn by plot/plots.sh from the tables in plots/data/ (SVG, and PNG beside it).", ""]
    for name, text in FIGURES:
        if name in drawn:
            lines.append("- [%s](plots/%s.svg): %s" % (name, name, text))
    return lines + [""]


def write_report(table, meta, samples, drawn, path):
    lines = report_header(table, meta, samples)
    lines += ["## Benchmarks", ""]
    for bench in bench_order(table.summary["bench"].unique()):
        lines += bench_section(table, bench)
    lines += findings_section(table) + targets_section(table) + figures_section(drawn)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines).rstrip("\n") + "\n")


# ---------------------------------------------------------------- plot data

def fmt_cell(value):
    return "NaN" if value is None or pd.isna(value) else "%.3f" % value


def write_dat(path, header, blocks):
    """A gnuplot table: each block is a header line then rows, blocks
    separated by two blank lines (gnuplot 'index'). Labels are quoted."""
    texts = []
    for rows in blocks:
        lines = [" ".join(header)]
        for label, cells in rows:
            lines.append(" ".join([label] + [fmt_cell(c) for c in cells]))
        texts.append("\n".join(lines) + "\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n\n".join(texts))


def sweep_data(table, series):
    """Header and rows for a line plot against param.

    series: [(bench or None, suffix, col)] drawn for each design; a design's
    columns appear when any of its series has a value. Returns (None, None)
    when nothing was measured.
    """
    benches = {b for b, _, _ in series}
    params = sorted({p for b in benches for p in table.params(b)})
    header, columns = ["param"], []
    for d in table.designs:
        cols = [(b, c) for b, _, c in series]
        if any(table.get(d, b, p, c) is not None for b, c in cols for p in params):
            header += ["%s%s" % (d, s) for _, s, _ in series]
            columns += [(d, b, c) for b, _, c in series]
    if not columns:
        return None, None
    rows = [(fmt_param(p), [table.get(d, b, p, c) for d, b, c in columns]) for p in params]
    return header, rows


def bars_data(table, benches, col=CPO + "_median"):
    """Header and rows (one per benchmark, one column per design with any
    value) for a clustered bar chart; (None, None) when nothing measured."""
    picked = [(b, table.preferred(b)) for b in benches if table.params(b)]
    designs = [d for d in table.designs
               if any(table.get(d, b, p, col) is not None for b, p in picked)]
    if not designs:
        return None, None
    rows = []
    for b, p in picked:
        label = b if len(table.params(b)) == 1 else "%s %s" % (b, fmt_param(p))
        rows.append(('"%s"' % label, [table.get(d, b, p, col) for d in designs]))
    return ["bench"] + designs, rows


def plot_data(table):
    """{figure name: (header, [rows of each block])} for the figures with data."""
    med = CPO + "_median"
    found = {
        "bench_bars": bars_data(table, ["getpid", "fork_exec_wait", "pingpong", "pipe_rw"]),
        "copyin": sweep_data(table, [("write_null", "", med), ("write_null_ua", "-ua", med)]),
        "copyinstr": sweep_data(table, [("open_missing", "", med)]),
        "fork": sweep_data(table, [("fork_exit_wait", "", med)]),
        "sbrk": sweep_data(table, [("sbrk", "", med)]),
        "ptpages": sweep_data(table, [("ptpages", "-user", "ptpages_user_median"),
                                      ("ptpages", "-kproc", "ptpages_kproc_median")]),
        "ctxswitch": ctxswitch_data(table),
    }
    data = {name: (h, [rows]) for name, (h, rows) in found.items() if h is not None}
    satp = satp_data(table)
    if satp is not None:
        data["satp_sfence"] = satp
    return data


def ctxswitch_data(table):
    """One row per design: instructions and context switches per round trip."""
    p = table.smallest("pingpong")
    rows = [(d, [table.get(d, "pingpong", p),
                 table.get(d, "pingpong", p, "ctx_switches_median")])
            for d in table.designs if table.get(d, "pingpong", p) is not None]
    return (["design", "instructions", "ctx_switches"], rows) if rows else (None, None)


def satp_data(table):
    """Two blocks (satp writes, sfence.vma) of per-benchmark bars by design;
    None without data."""
    benches = [b for b in bench_order(table.summary["bench"].unique()) if b != "ptpages"]
    h1, satp = bars_data(table, benches, "satp_writes_median")
    h2, sfence = bars_data(table, benches, "sfences_median")
    if h1 is None or h1 != h2:
        return None
    return h1, [satp, sfence]


def write_plot_data(table, data_dir):
    """Write DIR/plots/data/NAME.dat for each figure with data; remove stale
    files of the figures without. Returns the names written."""
    os.makedirs(data_dir, exist_ok=True)
    data = plot_data(table)
    for name, _ in FIGURES:
        path = os.path.join(data_dir, name + ".dat")
        if name in data:
            header, blocks = data[name]
            write_dat(path, header, blocks)
        elif os.path.exists(path):
            os.remove(path)
    return set(data)


# ---------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description="Summarize ptbench results: "
                                 "summary.csv, report.md and plot data.")
    ap.add_argument("--results", default="results",
                    help="directory holding <config>.csv (default: results)")
    args = ap.parse_args(argv)
    try:
        samples = read_samples(args.results)
    except InputError as e:
        print("summarize.py: error: %s" % e, file=sys.stderr)
        return 1
    summary = summarize(samples)
    table = Table(summary)
    meta = read_meta(args.results, table.designs)
    write_summary(summary, os.path.join(args.results, "summary.csv"))
    drawn = write_plot_data(table, os.path.join(args.results, "plots", "data"))
    write_report(table, meta, samples, drawn, os.path.join(args.results, "report.md"))
    print("summarize.py: %d samples, %d rows -> %s/summary.csv, report.md, plots/data/"
          % (len(samples), len(summary), args.results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
