"""plot/ptresults.py: what the plot/ scripts share (a module, not a script).

Reading a results directory (the sample CSVs that tools/collect.py writes
and their meta.json), the configs and their traits, the summary statistics,
least-squares fits, and the formatting of numbers and tables. The scripts
that import it each write their own files: summarize.py (summary.csv, plot
data), tlb_summary.py (tlb/summary.csv, tlb.dat), report.py (report.md),
tables.py (tables/), compare.py (a comparison of two result sets).

Reads:  DIR/*.csv except summary.csv, DIR/<config>.meta.json.
Writes: nothing.

Designs are never named here: the configs come from the CSVs, their design
and axes from the CSV columns (or the meta file's traits), and what a design
does from its traits (configs/<design>.mk). The one design named is the
reference that ratios are given against, REFERENCE_DESIGN below.
"""
import glob
import json
import math
import os
import sys

import numpy as np
import pandas as pd

# The reference design: every ratio in the summary, report, tables and
# figures is a config's median over the median of the reference design's
# config with the same axes (ASIDs, megapages). docs/results.md says why.
REFERENCE_DESIGN = "global"
RATIO = "ratio_to_" + REFERENCE_DESIGN

KEY_COLUMNS = ["config", "bench", "param", "param_unit", "sample", "iters",
               "cycles", "instret", "cycles_per_op", "instret_per_op"]
# Columns after the counters; every other column is a kernel counter.
TRAILING = ["idled", "region", "design", "asid", "megapages"]
STRING_COLUMNS = ["config", "bench", "param_unit", "design"]
NONEMPTY = ["param", "sample", "iters", "cycles", "instret", "cycles_per_op", "idled"]
# Counters every results CSV has had (older ones lack the newer).
BASE_COUNTERS = ["syscalls", "copyin_calls", "copyin_bytes", "copyinstr_calls",
                 "copyinstr_bytes", "copyout_calls", "copyout_bytes", "walk_steps",
                 "satp_writes", "sfences", "ctx_switches", "idle_entries",
                 "interrupts", "ptpages_user", "ptpages_kproc", "ptpages_kernel",
                 "free_pages"]
REQUIRED = KEY_COLUMNS + BASE_COUNTERS + ["idled"]
CPO = "cycles_per_op"
MED = CPO + "_median"
GROUP = ["config", "bench", "param"]
# The axes, in the order a design's configs are listed.
AXES = ["asid", "megapages"]

# What plot/benches.py declares, in the shapes the scripts look up: every
# table below is derived from its records, none is written by hand.
from benches import RECORDS  # noqa: E402
from confignames import axes_of  # noqa: E402,F401  (re-exported: the scripts import it from here)

BENCHES = {r["name"]: r["text"] for r in RECORDS}
TRAIT_BENCHES = {r["name"]: r["traits"] for r in RECORDS if r.get("traits")}
PREFERRED_PARAM = {r["name"]: r["preferred"] for r in RECORDS if "preferred" in r}
# Least-squares fits of the sweeps: bench -> (what is fitted, the regressors
# as (name, column or "pages", unit word)). A constant term (the fixed cost)
# is always fitted too.
FITS = {r["name"]: r["fit"][:2] for r in RECORDS if "fit" in r}
FIT_TEXT = {r["name"]: r["fit"][2] for r in RECORDS if "fit" in r}
FIT_TARGET = {r["name"]: r["fit_target"] for r in RECORDS if "fit_target" in r}
# Sweeps that are not monotonic: fitted on the points after the last drop.
FIT_TAIL = {r["name"] for r in RECORDS if r.get("fit_tail")}
# Performance targets: (title, bench, param or None, scale, unit, limit).
TARGETS = [(t[0], r["name"]) + tuple(t[1:]) for r in RECORDS for t in r.get("targets", [])]


# A trait's values in words, as a predicate of the designs that have it.
TRAIT_WORDS = {
    "copyin": {"walk": "copyin and copyinstr walk the user page table in software",
               "direct": "copyin and copyinstr dereference the user pointer directly "
                         "(after a range check), the user pages being mapped in the "
                         "kernel's table",
               "sum": "copyin and copyinstr dereference the user pointer directly with "
                      "sstatus.SUM set for the copy only"},
    "kernel_table": {"shared": "one kernel page table is shared by every process",
                     "private-root": "each process has its own kernel page table, a "
                                     "private root sharing the kernel's common subtrees",
                     "private-copy": "each process has its own kernel page table, a "
                                     "private copy of the whole kernel map",
                     "none": "each process's one table holds both its user mappings "
                             "and the kernel's",
                     "unified": "each process's one table holds both its user "
                                "mappings and the kernel's"},
    "trap_switch": {"yes": "every trap writes satp and flushes the TLB on entry and "
                           "return",
                    "no": "traps write no satp and flush nothing"},
    "user_mirror": {"yes": "every change to user memory is mirrored into the "
                           "per-process kernel table",
                    "no": "user memory changes touch only the user table"},
    "asid": {"1": "address spaces carry ASIDs, so satp writes need no full flush",
             "0": "no ASIDs: every satp write is followed by a full flush"},
    "megapages": {"1": "the kernel maps RAM with 2 MiB megapages",
                  "0": "the kernel maps RAM with 4 KiB pages"},
}


class InputError(Exception):
    """Bad or missing input; the message says which file and what."""


# ---------------------------------------------------------------- input

def result_paths(results_dir):
    """DIR/*.csv except summary.csv, sorted."""
    return sorted(p for p in glob.glob(os.path.join(results_dir, "*.csv"))
                  if os.path.basename(p) != "summary.csv")


def read_csv(path, required=None, strings=None, nonempty=None):
    """One CSV with its required columns checked and the numeric ones
    converted (every column but strings; a blank cell is allowed except in
    nonempty). Raises InputError naming the file, line and column."""
    required = REQUIRED if required is None else required
    strings = STRING_COLUMNS if strings is None else strings
    nonempty = NONEMPTY if nonempty is None else nonempty
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise InputError("%s is empty (no header line)" % path) from None
    except (OSError, pd.errors.ParserError) as e:
        raise InputError("cannot read %s: %s" % (path, e)) from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError("%s lacks required column(s): %s" % (path, ", ".join(missing)))
    for col in df.columns:
        if col in strings or (col not in required and not is_counter_name(col)):
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


def is_counter_name(col):
    """Whether a results CSV column is a kernel counter (or an axis)."""
    return col not in KEY_COLUMNS and col not in ("design", "preset") and \
        not col.startswith("_")


def counters(df):
    """The kernel counter columns of a samples frame, in file order."""
    return [c for c in df.columns if c not in KEY_COLUMNS and c not in TRAILING
            and c != "preset"]


def read_samples(results_dir, meta=None):
    """All sample rows of DIR/*.csv (except summary.csv) as one DataFrame,
    with design, asid and megapages filled in for older CSVs (from the
    meta's traits, else from the config name: <design>[-asid][-mega]).

    Raises InputError when there is no CSV, or a CSV is empty, lacks a
    required column or holds a non-number in a numeric column.
    """
    paths = result_paths(results_dir)
    if not paths:
        raise InputError("no result CSV in %s (expected <config>.csv)" % results_dir)
    samples = pd.concat([read_csv(p) for p in paths], ignore_index=True)
    if samples.empty:
        raise InputError("no samples in %s" % ", ".join(paths))
    if (samples["idled"] != 0).all():
        raise InputError("every sample in %s idled (idled = 1): nothing to summarize"
                         % ", ".join(paths))
    return fill_axes(samples, meta or {})


def fill_axes(samples, meta):
    """samples with design/asid/megapages present on every row."""
    found = {c: axes_of(c, meta.get(c, {}).get("traits")) for c in samples["config"].unique()}
    for i, col in enumerate(["design", "asid", "megapages"]):
        filled = samples["config"].map(lambda c, i=i: found[c][i])
        if col not in samples.columns:
            samples[col] = filled
        else:
            samples[col] = samples[col].where(samples[col].astype(str) != "", filled)
    samples["asid"] = samples["asid"].astype(int)
    samples["megapages"] = samples["megapages"].astype(int)
    return samples


def read_meta(results_dir, configs, sub=""):
    """{config: dict} from DIR[/sub]/<config>.meta.json; {} for a missing or
    unreadable file (a warning on stderr for an unreadable one)."""
    meta = {}
    for config in configs:
        path = os.path.join(results_dir, sub, config + ".meta.json")
        try:
            with open(path, encoding="utf-8") as f:
                meta[config] = json.load(f)
        except FileNotFoundError:
            meta[config] = {}
        except (OSError, ValueError) as e:
            print("ptresults: warning: ignoring %s: %s" % (path, e), file=sys.stderr)
            meta[config] = {}
    return meta


def meta_configs(results_dir):
    """Configs that have a DIR/<config>.meta.json."""
    return sorted(os.path.basename(p)[:-len(".meta.json")]
                  for p in glob.glob(os.path.join(results_dir, "*.meta.json")))


def load(results_dir):
    """(samples, meta) of a results directory. Raises InputError."""
    meta = read_meta(results_dir, meta_configs(results_dir))
    samples = read_samples(results_dir, meta)
    for c in samples["config"].unique():
        meta.setdefault(c, {})
    return samples, meta


# ---------------------------------------------------------------- configs

class Configs:
    """The configs of a result set in order, with their design, axes and
    traits. Order: the reference design first, then the other designs
    alphabetically; a design's configs plain, -asid, -mega, -asid-mega."""

    def __init__(self, samples, meta):
        rows = samples[["config", "design", "asid", "megapages"]].drop_duplicates("config")
        self.axes = {r.config: (r.design, int(r.asid), int(r.megapages))
                     for r in rows.itertuples()}
        self.meta = meta
        designs = sorted({d for d, _, _ in self.axes.values()})
        if REFERENCE_DESIGN in designs:
            designs = [REFERENCE_DESIGN] + [d for d in designs if d != REFERENCE_DESIGN]
        self.designs = designs
        rank = {d: i for i, d in enumerate(designs)}
        self.order = sorted(self.axes, key=lambda c: (rank[self.axes[c][0]],
                                                      self.axes[c][2], self.axes[c][1], c))

    def design(self, config):
        return self.axes[config][0]

    def traits(self, config):
        """The config's traits (strings), from its meta, else its axes."""
        t = dict(self.meta.get(config, {}).get("traits") or {})
        d, a, m = self.axes[config]
        t.setdefault("design", d)
        t.setdefault("asid", str(a))
        t.setdefault("megapages", str(m))
        return {k: str(v) for k, v in t.items()}

    def baseline(self, config):
        """The reference design's config with config's axes, or None."""
        _, a, m = self.axes[config]
        for c, (d, a2, m2) in self.axes.items():
            if d == REFERENCE_DESIGN and (a2, m2) == (a, m):
                return c
        return None

    def is_reference(self, config):
        return self.axes[config][0] == REFERENCE_DESIGN

    def with_trait(self, key, value):
        return [c for c in self.order if self.traits(c).get(key) == value]


def config_order(configs, axes=None):
    """configs in Configs order, from names alone (for tables without
    samples, e.g. the TLB runs): the reference design first."""
    def key(c):
        d, a, m = (axes or {}).get(c) or axes_of(c)
        return (d != REFERENCE_DESIGN, d, m, a, c)
    return sorted(set(configs), key=key)


# ---------------------------------------------------------------- summary

def summarize(samples, configs):
    """Per config/bench/param statistics over the samples that did not idle.

    Returns a DataFrame in Configs order, then bench and param, with columns
    design, asid, megapages, param_unit, n, cycles_per_op_{median,min,max,
    stdev} (stdev with n-1; NaN when n = 1), <counter>_median for every
    counter column, ptpages_total_median, and RATIO (NaN without a baseline
    median for the config's axes).
    """
    used = samples[samples["idled"] == 0]
    aggs = {"param_unit": ("param_unit", "first"), "n": (CPO, "size"),
            MED: (CPO, "median"), CPO + "_min": (CPO, "min"),
            CPO + "_max": (CPO, "max"), CPO + "_stdev": (CPO, "std")}
    for col in ["instret_per_op"] + counters(samples):
        aggs[col + "_median"] = (col, "median")
    s = used.groupby(GROUP, sort=False).agg(**aggs).reset_index()
    s["ptpages_total_median"] = s["ptpages_user_median"] + s["ptpages_kproc_median"]
    for col in ["design", "asid", "megapages"]:
        s[col] = s["config"].map(lambda c, col=col: configs.axes[c][
            ["design", "asid", "megapages"].index(col)])
    s["baseline"] = s["config"].map(configs.baseline)
    base = s[["config", "bench", "param", MED]].rename(
        columns={"config": "baseline", MED: "_base"})
    s = s.merge(base, on=["baseline", "bench", "param"], how="left")
    s[RATIO] = s[MED] / s["_base"].where(s["_base"] != 0)
    s = s.drop(columns=["_base", "baseline"])
    rank = {c: i for i, c in enumerate(configs.order)}
    brank = {b: i for i, b in enumerate(bench_order(s["bench"].unique()))}
    s = s.assign(_c=s["config"].map(rank), _b=s["bench"].map(brank))
    s = s.sort_values(["_c", "_b", "param"], kind="stable").drop(columns=["_c", "_b"])
    return s.reset_index(drop=True)


def bench_order(benches):
    """Known benchmarks in BENCHES order, then any others alphabetically."""
    known = [b for b in BENCHES if b in benches]
    return known + sorted(set(benches) - set(known))


def idled_counts(samples):
    """[(config, bench, excluded samples)] for groups with idled samples, sorted."""
    idled = samples[samples["idled"] != 0]
    counts = idled.groupby(["config", "bench"]).size()
    return [(c, b, int(n)) for (c, b), n in sorted(counts.items())]


class Table:
    """Lookup of summary values by (config, bench, param)."""

    def __init__(self, summary, configs):
        self.summary = summary
        self.configs = configs
        self.rows = {(r["config"], r["bench"], r["param"]): r
                     for r in summary.to_dict("records")}
        present = set(summary["config"])
        self.order = [c for c in configs.order if c in present]

    def get(self, config, bench, param, col=MED):
        """The value, or None when that row or value does not exist."""
        row = self.rows.get((config, bench, param))
        value = None if row is None else row.get(col)
        return None if value is None or pd.isna(value) else float(value)

    def params(self, bench):
        """Sorted parameters measured for bench, in any config."""
        return sorted(self.summary.loc[self.summary["bench"] == bench, "param"].unique())

    def unit(self, bench):
        units = self.summary.loc[self.summary["bench"] == bench, "param_unit"]
        return units.iloc[0] if len(units) else ""

    def benches(self):
        return bench_order(self.summary["bench"].unique())

    def smallest(self, bench):
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

    def values(self, bench, param, col=MED):
        """[(config, value)] for the configs that have it, in order."""
        pairs = [(c, self.get(c, bench, param, col)) for c in self.order]
        return [(c, v) for c, v in pairs if v is not None]


# ---------------------------------------------------------------- fits

def least_squares(x_columns, y):
    """Fit y = b0 + b1 x1 + ... by least squares. x_columns: a list of
    equal-length sequences. Returns a dict: coef [b0, b1, ...], se (their
    standard errors, None when there are no more points than terms),
    residuals, rmse, max_abs_residual, n; None when the terms cannot be told
    apart (fewer points than terms or collinear regressors)."""
    y = np.asarray(y, dtype=float)
    n, p = len(y), len(x_columns) + 1
    if n < p:
        return None
    X = np.column_stack([np.ones(n)] + [np.asarray(c, dtype=float) for c in x_columns])
    if np.linalg.matrix_rank(X) < p:
        return None
    coef, _, _, _ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ coef
    se = None
    if n > p:
        sigma2 = float(resid @ resid) / (n - p)
        cov = sigma2 * np.linalg.inv(X.T @ X)
        se = [math.sqrt(max(v, 0.0)) for v in np.diag(cov)]
    return {"coef": [float(c) for c in coef], "se": se, "residuals": [float(r) for r in resid],
            "rmse": math.sqrt(float(resid @ resid) / n), "n": n,
            "max_abs_residual": float(np.max(np.abs(resid))) if n else 0.0}


def fit_points(table, bench, config):
    """[(param, summary row)] used in bench's fit for config: every point,
    or for FIT_TAIL benchmarks those after the last drop in the median."""
    pts = [(p, table.rows[(config, bench, p)]) for p in table.params(bench)
           if (config, bench, p) in table.rows]
    if bench in FIT_TAIL:
        start = 0
        for i in range(1, len(pts)):
            if pts[i][1][MED] < pts[i - 1][1][MED]:
                start = i
        pts = pts[start:]
    return pts


def regressor(row, param, unit, col):
    """A regressor's value for one point: pages from the parameter, else a
    summary column."""
    if col == "pages":
        return param / 4.0 if unit == "KiB" else float(param)
    return float(row[col])


def fit(table, bench, config):
    """The FITS model of bench for config: a dict as least_squares returns,
    plus terms [(name, unit)], params [used points] and target; None when
    bench has no model or its points cannot determine one."""
    if bench not in FITS:
        return None
    what, terms = FITS[bench]
    pts = fit_points(table, bench, config)
    unit = table.unit(bench)
    target = FIT_TARGET.get(bench, MED)
    if not pts or any(pd.isna(r.get(target)) for _, r in pts):
        return None
    xs = [[regressor(r, p, unit, col) for p, r in pts] for _, col, _ in terms]
    result = least_squares(xs, [float(r[target]) for _, r in pts])
    if result is None:
        return None
    result.update(terms=[(name, u) for name, _, u in terms], params=[p for p, _ in pts],
                  what=what, target=target)
    return result


# ---------------------------------------------------------------- targets

def target_limit(limit, traits):
    """The limit of a TARGETS entry for a config's traits, or None."""
    if not isinstance(limit, list):
        return limit
    for cond, value in limit:
        if all(traits.get(k) == v for k, v in cond.items()):
            return value
    return None


# ---------------------------------------------------------------- words

def trait_phrase(key, value):
    """What a trait's value means, in words."""
    words = TRAIT_WORDS.get(key, {}).get(str(value))
    return words if words else "%s is %s" % (key.replace("_", " "), value)


def trait_sentences(configs, order, keys):
    """Sentences saying, for each trait in keys on which the configs differ,
    which configs have which value: 'In global and perproc, copyin ... ; in
    umap, ...'. [] when they all agree on every key."""
    out = []
    for key in keys:
        groups = {}
        for c in order:
            groups.setdefault(configs.traits(c).get(key, "?"), []).append(c)
        if len(groups) < 2:
            continue
        parts = ["in %s, %s" % (join_words(cs), trait_phrase(key, v))
                 for v, cs in groups.items()]
        text = "; ".join(parts)
        out.append(text[0].upper() + text[1:] + ".")
    return out


def fmt_num(x):
    """A count for prose and tables: thousands separated from 100 up."""
    if x is None or pd.isna(x):
        return "–"
    if abs(x) >= 100:
        return "{:,.0f}".format(x)
    return ("%.3f" % x).rstrip("0").rstrip(".")


def fmt_pct(value, base):
    """Signed change of value against base, e.g. '+12.5%'; no '-0.0%'."""
    x = round(100 * (value / base - 1), 1)
    return "%+.1f%%" % (x if x != 0 else 0.0)


def fmt_param(value):
    """A parameter as an integer when it is one."""
    return "%d" % value if float(value).is_integer() else "%g" % value


def fmt_fixed(value, decimals):
    """value with a fixed number of decimals; '' for NaN."""
    if value is None or pd.isna(value):
        return ""
    return "%.*f" % (decimals, value)


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


def fmt_coef(value, se):
    """'12.3 ± 0.4' with decimals suited to the error; exact when se is 0."""
    if se is None:
        return "%s" % fmt_sig(value)
    if se == 0 or se < abs(value) * 1e-9:
        return "%s (exact)" % fmt_sig(value)
    decimals = max(0, min(4, 1 - int(math.floor(math.log10(se)))))
    return "%.*f ± %.*f" % (decimals, value, decimals, se)


def fmt_sig(value):
    """A fitted value with a sensible number of digits."""
    if abs(value) >= 100:
        return "{:,.0f}".format(value)
    if abs(value) >= 1:
        return "%.2f" % value
    return "%.4f" % value


def join_words(words):
    """'a', 'a and b', 'a, b and c'."""
    words = list(words)
    if not words:
        return ""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def md_table(header, rows, align):
    """Markdown table lines; align is a string of 'l'/'r' per column."""
    marks = {"l": "---", "r": "---:"}
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join(marks[a] for a in align) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


def fmt_cell(value):
    """A number in a gnuplot data file; NaN where there is none."""
    return "NaN" if value is None or pd.isna(value) else "%.3f" % value


def write_dat(path, header, blocks):
    """A gnuplot table: each block is a header line then rows, blocks
    separated by two blank lines (gnuplot 'index'). Labels come quoted."""
    texts = []
    for rows in blocks:
        lines = [" ".join(header)]
        for label, cells in rows:
            lines.append(" ".join([label] + [fmt_cell(c) for c in cells]))
        texts.append("\n".join(lines) + "\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n\n".join(texts))


def quick_configs(meta):
    """Configs whose run was quick, sorted."""
    return sorted(c for c, m in meta.items() if m.get("quick"))
