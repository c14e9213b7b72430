"""plot/shoot.py: the shootdown runs of a result set (DIR/smp/): the report's
"Shootdowns" section, its figures' data, its one summary finding and the
rows of its LaTeX tables (a module; summarize.py, report.py, tables.py,
pdf.py and anchors.py use it).

The families are the registry's records with a "shoot" policy
(plot/benches.py, SHOOT_FAMILIES): the targeting ones (all, mask, lazy)
are compared with each other, and every other one with SHOOT_BASE, on the
one knob it changes (threshold, delivery, Svinval, readers). One operation
is a shrink of the heap by N pages and its regrow; only the shrink shoots
down, so a count per operation is a count per shrink. The counts (IPIs,
fences by form, local and remote together on every hart, M-mode calls)
are the figures; cycles and the initiator's wait are virtual time under
-icount, which every hart advances, and are reported as QEMU's
scheduling, never as a hardware cost.

Medians are over every sample of a point, the idled ones too (unlike the
1-hart tables): a hart that an IPI wakes from its idle loop is part of
what a policy that interrupts it does, and a wait in wfi changes virtual
time, not these counts. The section says how many samples idled.

With the TLB model's runs of the same families (DIR/smp/tlb/, made by
tools/bench.sh --tlb PRESET --cpus N), each hart's TLB modelled and a
row's counts every hart's together, the section adds, per preset, the L1
TLB misses and the refill cycles per operation, read and priced by
plot/tlb_summary.py's functions (refill: estimated cycles less
instructions: the fences and satp writes at the preset's costs and the
walks and L2 hits of the misses), and says per N which threshold costs
fewer of those cycles: the model's estimate at assumed costs, never a
measured one. Instructions are left out: at 2 or more harts they are
virtual time too. Without DIR/smp/tlb/ the section is as it was: the
threshold's crossover from the counted fences alone, refills unmeasured.
The model's runs are read only beside plain ones: DIR/smp/tlb/ without
DIR/smp/*.csv gives no section, and a warning.

Designs are never named: what a config does comes from its traits
(configs/<design>.mk, in each run's meta).

Reads:  DIR/smp/<config>-<harts>.csv (tools/collect.py's schema, one row
        per sample, counters per operation) and the <config>-<harts>.meta.json
        beside each (traits, kernel_map.harts, QEMU flags, commit); when
        present, DIR/smp/tlb/<config>-<harts>-<preset>.csv (the TLB model's
        multi-hart runs, plot/tlb_summary.py's schema plus the fences by
        form) and the .meta.json beside each (traits, kernel_map.harts, the
        plugin's costs, commit). The other multi-hart benchmarks of the plain
        runs (thr_pingpong) get a table each.
Writes: nothing itself; write_plot_data() writes DIR/plots/data/
        shoot_policy.dat and shoot_threshold.dat (summarize.py calls it),
        or removes them when there is no shootdown run.
"""
import glob
import math
import os
import re
import sys
from collections import namedtuple

import pandas as pd

import tlb_summary
from benches import BY_NAME, RECORDS, SHOOT_BASE
from ptresults import (NONEMPTY, REQUIRED as PLAIN_REQUIRED, STRING_COLUMNS, InputError, axes_of,
                       config_order, fmt_cell, fmt_num, fmt_param, is_counter_name, join_words,
                       md_table, read_csv, read_meta)

SECTION = "## Shootdowns"
FAMILIES = [r["name"] for r in RECORDS if r.get("shoot")]
# The other multi-hart benchmarks: a table each, of their own counters.
OTHERS = [r["name"] for r in RECORDS if r.get("min_harts", 1) > 1 and not r.get("shoot")]
POLICY = {r["name"]: r["shoot"] for r in RECORDS if r.get("shoot")}
# The knobs of a policy (the rest of it is words).
KNOBS = ["target", "threshold", "via", "svinval", "readers"]
# Every counter the section reads: a shootdown CSV must have each.
COUNTERS = ["ipis_sent", "ipis_received", "remote_fences", "remote_fence_pages",
            "remote_fence_asids", "remote_fence_alls", "sfence_all", "sfence_addr",
            "sfence_asid", "sfence_addr_asid", "sinvals", "inval_fences", "ipi_ecalls",
            "shootdowns", "shoot_wait"]
REQUIRED = PLAIN_REQUIRED + COUNTERS
# Counted by later kernels only: read as 0 where a CSV lacks them.
OPTIONAL = ["wake_ipis"]
# The IPIs of shootdowns: ipis_sent less the wakeup IPIs it also counts.
IPIS = "shoot_ipis"
# sfence.vma by form: by page (one address) or whole (an ASID, or everything).
PAGE_FORMS = ["sfence_addr", "sfence_addr_asid"]
WHOLE_FORMS = ["sfence_asid", "sfence_all"]
FIGURES = ["shoot_policy", "shoot_threshold"]
MOST_NAMED = 5  # prose names at most this many configs, else counts them
# The TLB model's runs (tools/bench.sh --tlb with --cpus), under DIR/, and
# the per-op figures of plot/tlb_summary.py the section reads of them.
MODEL_DIR = os.path.join("smp", "tlb")
MODEL_COLUMNS = ["tlb_misses", "refill_cycles"]


# ---------------------------------------------------------------- families

def family_group(knob):
    """The families that differ from SHOOT_BASE in knob only (the base
    included), in registry order; by threshold, ascending."""
    base = POLICY[SHOOT_BASE]
    out = [f for f in FAMILIES if all(POLICY[f][k] == base[k] for k in KNOBS if k != knob)]
    if knob == "threshold":
        out.sort(key=lambda f: POLICY[f]["threshold"])
    return out


def label(family):
    return POLICY[family]["label"]


def readers(family, harts):
    """Reader threads the family runs at harts harts (ptbench.c)."""
    return harts - 1 if POLICY[family]["readers"] == "wide" else 1


# ---------------------------------------------------------------- input

def smp_paths(results_dir):
    """DIR/smp/*.csv except summary.csv, sorted."""
    return sorted(p for p in glob.glob(os.path.join(results_dir, "smp", "*.csv"))
                  if os.path.basename(p) != "summary.csv")


def run_harts(path, meta, name=None):
    """A run's hart count: its meta's kernel_map.harts, else the -<harts>
    ending its file name (or name, that name less what follows the hart
    count), else -smp in its QEMU flags. Raises InputError."""
    harts = (meta.get("kernel_map") or {}).get("harts")
    stem = os.path.basename(path)[:-len(".csv")]
    if harts is None:
        m = re.search(r"-(\d+)$", name or stem)
        harts = m.group(1) if m else None
    if harts is None:
        flags = meta.get("qemu_flags", "")
        m = re.search(r"-smp\s+(\d+)", " ".join(flags) if isinstance(flags, list) else str(flags))
        harts = m.group(1) if m else None
    try:
        harts = int(harts)
    except (TypeError, ValueError):
        raise InputError("%s: cannot tell its hart count (no kernel_map.harts in %s.meta.json, "
                         "no -<harts> ending its name)" % (path, stem)) from None
    if harts < 2:
        raise InputError("%s: a shootdown run on %d hart(s): they run on 2 or more"
                         % (path, harts))
    return harts


def read_run(path):
    """One run's CSV, its numbers parsed; a file that does not parse
    cleanly goes to ptresults.read_csv, whose error names the file, line
    and column (or which reads it, when only spaces were in the way)."""
    try:
        df = pd.read_csv(path, keep_default_na=False, na_values=[""])
    except (OSError, ValueError, pd.errors.ParserError, pd.errors.EmptyDataError):
        return read_csv(path, required=REQUIRED)
    numeric = [c for c in df.columns if c not in STRING_COLUMNS
               and (c in REQUIRED or is_counter_name(c))]
    if any(c not in df.columns for c in REQUIRED) or \
            any(not pd.api.types.is_numeric_dtype(df[c]) for c in numeric) or \
            df[[c for c in NONEMPTY if c in df.columns]].isna().any().any():
        return read_csv(path, required=REQUIRED)
    for c in STRING_COLUMNS:
        if c in df.columns:
            df[c] = df[c].astype(str).str.strip()
    return df


def load(results_dir):
    """The shootdown runs of DIR (a Runs, with the TLB model's of
    DIR/smp/tlb/), or None when DIR/smp/ holds no CSV. Raises InputError
    on a bad CSV (which file, line and column)."""
    paths = smp_paths(results_dir)
    if not paths:
        if model_paths(results_dir):
            print("shoot.py: warning: %s/smp/tlb/ holds TLB-model runs but %s/smp/ no plain "
                  "run: no shootdown section" % (results_dir, results_dir), file=sys.stderr)
        return None
    frames, meta = [], {}
    for path in paths:
        df = read_run(path)
        if df.empty:
            raise InputError("%s has no samples" % path)
        configs = sorted(df["config"].unique())
        if len(configs) != 1:
            raise InputError("%s holds %d configs (%s): one per run" % (
                path, len(configs), ", ".join(configs)))
        stem = os.path.basename(path)[:-len(".csv")]
        m = read_meta(results_dir, [stem], "smp")[stem]
        key = (configs[0], run_harts(path, m))
        if key in meta:
            raise InputError("%s: %s at %d harts twice under %s/smp/" % (
                path, key[0], key[1], results_dir))
        meta[key] = m
        frames.append(df.assign(harts=key[1]))
    return Runs(pd.concat(frames, ignore_index=True), meta, load_model(results_dir))


def config_axes(meta):
    """({config: axes}, the configs in report order) from the traits in
    runs' meta, {(config, ...): dict}."""
    axes = {key[0]: axes_of(key[0], m.get("traits")) for key, m in meta.items()}
    return axes, config_order(axes, axes)


def config_harts(meta, order):
    """({config: its hart counts}, every hart count) of runs' meta, whose
    keys begin (config, harts, ...)."""
    return ({c: sorted({key[1] for key in meta if key[0] == c}) for c in order},
            sorted({key[1] for key in meta}))


class Runs:
    """Medians per (config, harts, bench, param) of the shootdown runs,
    with the configs in report order and their traits; model, the TLB
    model's runs of the same families (a Model), or None."""

    def __init__(self, samples, meta, model=None):
        self.samples = samples
        self.meta = meta
        self.model = model
        self.axes, self.order = config_axes(meta)
        self.harts, self.hart_counts = config_harts(meta, self.order)
        # Columns a CSV of an older kernel lacks: 0 here, and said so.
        self.filled = [col for col in OPTIONAL if col not in samples.columns]
        samples = samples.assign(**{col: 0 for col in self.filled})
        samples = samples.assign(page=samples[PAGE_FORMS].sum(axis=1),
                                 whole=samples[WHOLE_FORMS].sum(axis=1),
                                 _idled=(samples["idled"] != 0).astype(int))
        samples[IPIS] = samples["ipis_sent"] - samples["wake_ipis"]
        other = sorted({c for r in RECORDS for c in r.get("counters", [])
                        if c in samples.columns} - set(COUNTERS + OPTIONAL))
        g = samples.groupby(["config", "harts", "bench", "param"])
        med = g[COUNTERS + OPTIONAL + other + ["page", "whole", IPIS, "cycles_per_op"]].median()
        med["n"] = g.size()
        med["idled"] = g["_idled"].sum()
        self.rows = {k: r for k, r in zip(med.index, med.to_dict("records"))}
        self.benches = set(samples["bench"])

    def get(self, config, harts, bench, param, col):
        """The median, or None when that point or column was not measured."""
        row = self.rows.get((config, harts, bench, param))
        value = None if row is None else row.get(col)
        return None if value is None or pd.isna(value) else float(value)

    def params(self, bench=None):
        """Sorted parameters measured (of bench, or of any shootdown family)."""
        return sorted({k[3] for k in self.rows
                       if k[2] == bench or (bench is None and k[2] in POLICY)})

    def point(self):
        """The parameter of single-value tables: the base family's preferred
        one when measured, else the smallest measured (None: no shootdown
        family ran)."""
        want = BY_NAME[SHOOT_BASE].get("preferred")
        ps = self.params()
        return want if want in ps else ps[0] if ps else None

    def traits(self, config):
        """The config's traits (strings), from any of its runs' meta."""
        t = {}
        for (c, _), m in sorted(self.meta.items()):
            if c == config:
                t = dict(m.get("traits") or {})
                break
        d, a, mg = self.axes[config]
        t.setdefault("design", d)
        t.setdefault("asid", str(a))
        t.setdefault("megapages", str(mg))
        return {k: str(v) for k, v in t.items()}

    def present(self, families):
        """The families of the list that any run measured."""
        return [f for f in families if f in self.benches]

    def samples_count(self):
        return len(self.samples), int((self.samples["idled"] != 0).sum())


# ---------------------------------------------------------------- the TLB model's input

def model_paths(results_dir):
    """DIR/smp/tlb/*.csv except summary.csv, sorted."""
    return tlb_summary.tlb_paths(os.path.join(results_dir, "smp"))


def model_key(path, df, results_dir):
    """(config, harts, preset) of one TLB-model run and its meta, from its
    samples, its meta's kernel_map.harts or its name
    (<config>-<harts>-<preset>.csv). Raises InputError."""
    for col in ("config", "preset"):
        values = sorted(df[col].unique())
        if len(values) != 1:
            raise InputError("%s holds %d %ss (%s): one per run" % (
                path, len(values), col, ", ".join(values)))
    config, preset = df["config"].iloc[0], df["preset"].iloc[0]
    stem = os.path.basename(path)[:-len(".csv")]
    if not stem.endswith("-" + preset):
        raise InputError("%s: its samples are of preset %s, which does not end its name "
                         "(<config>-<harts>-<preset>.csv)" % (path, preset))
    meta = read_meta(results_dir, [stem], MODEL_DIR)[stem]
    return (config, run_harts(path, meta, stem[:-len(preset) - 1]), preset), meta


def check_forms(path, df):
    """The fences by form that the section reads beyond plot/tlb_summary.py's
    columns: each present and a number in every row. Raises InputError."""
    cols = ["tlb_" + f for f in PAGE_FORMS + WHOLE_FORMS]
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputError("%s lacks required column(s): %s" % (path, ", ".join(missing)))
    blank = df[cols].isna().any(axis=1)
    if blank.any():
        raise InputError("%s line %d: a fence count (%s) is blank" % (
            path, int(blank.idxmax()) + 2, ", ".join(cols)))


def load_model(results_dir):
    """The TLB model's shootdown runs of DIR (a Model), or None when
    DIR/smp/tlb/ holds no CSV. Raises InputError on a bad CSV (which file,
    line and column, as plot/tlb_summary.py reads it)."""
    frames, meta = [], {}
    for path in model_paths(results_dir):
        df = tlb_summary.read_samples([path])
        check_forms(path, df)
        key, meta_of = model_key(path, df, results_dir)
        if key in meta:
            raise InputError("%s: %s at %d harts under %s twice in %s/%s/" % (
                path, key[0], key[1], key[2], results_dir, MODEL_DIR))
        meta[key] = meta_of
        frames.append(df.assign(harts=key[1]))
    return Model(pd.concat(frames, ignore_index=True), meta) if frames else None


class Model:
    """The TLB model's shootdown runs: medians per (config, harts, preset,
    bench, param) of plot/tlb_summary.py's per-op figures over every sample
    (the idled too, as in the rest of the section), with the fences by
    form as the model counted them and the lowest and highest refill of a
    sample."""

    def __init__(self, samples, meta):
        def per_op(forms):
            return sum(samples["tlb_" + f] for f in forms) / samples["iters"]
        samples = samples.assign(page=per_op(PAGE_FORMS), whole=per_op(WHOLE_FORMS),
                                 _idled=(samples["idled"] != 0).astype(int))
        self.samples, self.meta = samples, meta
        self.axes, self.order = config_axes(meta)
        self.presets = tlb_summary.preset_order({p for _, _, p in meta})
        self.harts, self.hart_counts = config_harts(meta, self.order)
        g = samples.groupby(["config", "harts", "preset", "bench", "param"])
        refill = g["refill_cycles"]
        med = g[MODEL_COLUMNS + ["page", "whole"]].median().assign(
            refill_lo=refill.min(), refill_hi=refill.max(), n=g.size(), idled=g["_idled"].sum())
        self.rows = {k: r for k, r in zip(med.index, med.to_dict("records"))}
        self.benches = set(samples["bench"])

    def get(self, config, harts, preset, bench, param, col):
        """The median (or refill_lo, refill_hi), or None when not measured."""
        row = self.rows.get((config, harts, preset, bench, param))
        value = None if row is None else row.get(col)
        return None if value is None or pd.isna(value) else float(value)

    def params(self, bench):
        return sorted({k[4] for k in self.rows if k[3] == bench})

    def present(self, families):
        return [f for f in families if f in self.benches]


# ---------------------------------------------------------------- words

def who(configs, most=MOST_NAMED):
    """Configs for prose: their names, or how many when more than most."""
    configs = list(configs)
    return join_words(configs) if len(configs) <= most else "%d configs" % len(configs)


def span(values):
    """'3' or '1–3' of the values that exist; '–' without any."""
    vs = [v for v in values if v is not None]
    if not vs:
        return "–"
    lo, hi = fmt_num(min(vs)), fmt_num(max(vs))
    return lo if lo == hi else "%s–%s" % (lo, hi)


def slash(values):
    return " / ".join(fmt_num(v) for v in values)


def pct(new, old):
    """new against old as a signed percentage, or None when old is 0."""
    if new is None or old is None or old == 0:
        return None
    return 100.0 * (new / old - 1)


# ---------------------------------------------------------------- runs

def intro_lines(runs):
    n, idled = runs.samples_count()
    fams = runs.present(FAMILIES)
    return [
        SECTION, "",
        "The shootdown families ran on 2 or more harts (`make bench CPUS=...`), one run per "
        "config and hart count (smp/): %d run(s) of %s, at %s harts; families %s; N = %s "
        "pages." % (len(runs.meta), who(runs.order), join_words(map(str, runs.hart_counts)),
                    ", ".join(fams), ", ".join(fmt_param(p) for p in runs.params())), "",
        "One operation is a shrink of the heap by N pages and its regrow while reader "
        "threads of the process run on other harts; only the shrink shoots down, so a "
        "figure per operation is a figure per shrink. The cells are medians of the kernel's "
        "counters per operation, local and remote together on every hart: IPIs (%s), remote "
        "fences, sfence.vma by form (by page: one address; whole: an ASID or everything), "
        "Svinval's instructions and calls to M-mode. They are counts, exact under icount. "
        "Cycles and instret are not: under `-icount` they are virtual time that every hart "
        "advances (the readers' loops, and the initiator's spin while QEMU runs the other "
        "harts, a time slice each), so no figure of time here is a hardware cost, and the "
        "wait (below) is QEMU's scheduling." % (
            "ipis_sent: these runs' kernel counts no wakeup IPIs apart"
            if "wake_ipis" in runs.filled else
            "those of shootdowns: ipis_sent less wake_ipis, the wakeup IPIs it also counts"), "",
        "The medians keep the %d of %d samples in which a hart waited in wfi (idled = 1): "
        "a hart that an IPI wakes from its idle loop is part of what a policy that "
        "interrupts it does, and the wait in wfi changes virtual time, not these counts."
        % (idled, n), ""] + runs_table(runs)


def runs_table(runs):
    rows = []
    for c in runs.order:
        for h in runs.harts[c]:
            m = runs.meta[(c, h)]
            flags = m.get("qemu_flags", "")
            flags = " ".join(flags) if isinstance(flags, list) else str(flags)
            sub = runs.samples[(runs.samples["config"] == c) & (runs.samples["harts"] == h)]
            rows.append([c, "%d" % h, str(m.get("commit", "unknown")),
                         "`%s`" % flags if flags else "unknown",
                         "yes" if m.get("quick") else "no" if "quick" in m else "unknown",
                         "%d (%d)" % (len(sub), int((sub["idled"] != 0).sum()))])
    lines = md_table(["config", "harts", "commit", "QEMU flags", "quick",
                      "samples (idled)"], rows, "lrlllr") + [""]
    quick = sorted({c for (c, _), m in runs.meta.items() if m.get("quick")})
    if quick:
        lines += ["Quick runs (check figures, not reference ones): %s." % who(quick), ""]
    return lines


# ---------------------------------------------------------------- targeting

def order_breaks(runs, config, harts, families, col):
    """[(param, wider, narrower, its value, the narrower's)] wherever a
    family listed before another (wider targeting) counted fewer of col."""
    out = []
    for p in runs.params():
        vals = [runs.get(config, harts, f, p, col) for f in families]
        for i in range(len(families) - 1):
            a, b = vals[i], vals[i + 1]
            if a is not None and b is not None and a < b:
                out.append((p, families[i], families[i + 1], a, b))
    return out


def order_cell(breaks, families):
    """The measured order of a run, for the targeting table."""
    if not breaks:
        return " ≥ ".join(label(f) for f in families) + " at every N"
    seen = {}
    for p, wide, narrow, a, b in breaks:
        seen.setdefault((wide, narrow, a, b), []).append(fmt_param(p))
    return "not at every N: " + "; ".join(
        "%s %s < %s %s at N = %s" % (label(w), fmt_num(a), label(n), fmt_num(b), ", ".join(ps))
        for (w, n, a, b), ps in seen.items())


def targeting_lines(runs):
    fams = runs.present(family_group("target"))
    lines = ["### Targeting: which harts a shrink interrupts", ""]
    if len(fams) < 2:
        return lines + ["Fewer than two targeting families (%s) were measured: nothing to "
                        "compare." % ", ".join(family_group("target")), ""]
    p = runs.point()
    names = " / ".join(label(f) for f in fams)
    what = "; ".join("%s %s" % (label(f), POLICY[f]["what"]) for f in fams)
    lines += ["%s. Per shrink of N = %s pages: IPIs sent and remote fences (fences made on "
              "another hart's request), each family in turn; the last column says whether "
              "each wider policy sent at least as many IPIs as the next narrower at every N, "
              "as measured." % (what[0].upper() + what[1:], fmt_param(p)), ""]
    rows = []
    for c in runs.order:
        for h in runs.harts[c]:
            ipis = [runs.get(c, h, f, p, IPIS) for f in fams]
            fences = [runs.get(c, h, f, p, "remote_fences") for f in fams]
            rows.append([c, "%d" % h, slash(ipis), slash(fences),
                         order_cell(order_breaks(runs, c, h, fams, IPIS), fams)])
    lines += md_table(["config", "harts", "IPIs per shrink: " + names,
                       "remote fences: " + names, "measured order (IPIs)"], rows, "lrrrl")
    lines += [""] + targeting_prose(runs, fams, p)
    return lines + ["Figure: [shoot_policy](plots/shoot_policy.svg).", ""]


def targeting_prose(runs, fams, p):
    out = []
    for h in runs.hart_counts:
        cs = [c for c in runs.order if h in runs.harts[c]]
        parts = ["%s %s" % (label(f), span(runs.get(c, h, f, p, IPIS) for c in cs))
                 for f in fams]
        fences = ["%s %s" % (label(f), span(runs.get(c, h, f, p, "remote_fences") for c in cs))
                  for f in fams]
        out.append("- At %d harts, IPIs per shrink (lowest–highest over %s): %s; remote "
                   "fences: %s." % (h, who(cs), ", ".join(parts), ", ".join(fences)))
    broken = sorted({c for c in runs.order for h in runs.harts[c]
                     if order_breaks(runs, c, h, fams, IPIS)})
    if broken:
        out.append("- The wider policy sent fewer IPIs than a narrower one in %s (the "
                   "table's last column says where): what a policy costs is measured here, "
                   "not assumed." % who(broken))
    else:
        out.append("- In every run and at every N, each wider policy sent at least as many "
                   "IPIs as the next narrower (%s)." % " ≥ ".join(label(f) for f in fams))
    out += mask_prose(runs, fams, p) + no_fence_prose(runs)
    return out + [""]


def mask_prose(runs, fams, p):
    """Where the mask policy sat between all and lazy, by the ASID trait."""
    by = {f: POLICY[f]["target"] for f in fams}
    if not {"all", "mask", "lazy"} <= set(by.values()):
        return []
    f_all, f_mask, f_lazy = [next(f for f in fams if by[f] == t) for t in ("all", "mask", "lazy")]
    out = []
    for h in runs.hart_counts:
        cls = {}
        for c in runs.order:
            if h not in runs.harts[c]:
                continue
            a, m, l = [runs.get(c, h, f, p, IPIS) for f in (f_all, f_mask, f_lazy)]
            if None in (a, m, l) or a == l:
                continue
            kind = "as all" if m == a else "as lazy" if m == l else "between"
            cls.setdefault(kind, []).append(c)
        parts = []
        for kind, cs in cls.items():
            asids = {runs.traits(c).get("asid") for c in cs}
            why = ""
            if asids == {"1"} and kind == "as all":
                why = " (with ASIDs: the mask keeps every hart that loaded the address space)"
            elif asids == {"0"} and kind == "as lazy":
                why = (" (without ASIDs: a hart that switches away flushes, so the mask is "
                       "the harts that run it now)")
            parts.append("%s in %s%s" % ({"as all": "as many as all", "as lazy":
                                          "as few as lazy", "between": "between the two"}[kind],
                                         who(cs), why))
        if parts:
            out.append("- At %d harts mask sent %s." % (h, "; ".join(parts)))
    return out


def trap_flushed(traits):
    """Whether the traits say a target's IPI trap itself empties its TLB of
    user entries: traps switch satp, no ASIDs (every satp write flushes),
    no user mirror in the kernel table."""
    return (traits.get("trap_switch") == "yes" and traits.get("asid") == "0"
            and traits.get("user_mirror") == "no")


def no_fence_prose(runs):
    """The configs whose targets took IPIs but never fenced, against what
    their traits say."""
    took, fenced = set(), set()
    for (c, _, b, _), r in runs.rows.items():
        if b not in POLICY:
            continue
        if r[IPIS] > 0:
            took.add(c)
        if r["remote_fences"] > 0:
            fenced.add(c)
    none = [c for c in runs.order if c in took and c not in fenced]
    rule = [c for c in runs.order if c in took and trap_flushed(runs.traits(c))]
    out = []
    explained = [c for c in none if c in rule]
    if explained:
        out.append("- In %s the targets took IPIs but made no remote fence: there traps "
                   "switch satp (trap_switch = yes) and, without ASIDs, every satp write "
                   "flushes the TLB, and no user mirror puts user pages in the kernel table "
                   "(user_mirror = no), so the IPI's own trap has already emptied the "
                   "target's TLB of user entries and the target only acknowledges "
                   "(kernel/ipi.c)." % who(explained))
    odd = [c for c in none if c not in rule]
    if odd:
        out.append("- In %s the targets took IPIs and made no remote fence, which their "
                   "traits do not explain." % who(odd))
    extra = [c for c in rule if c in fenced]
    if extra:
        out.append("- %s fenced remotely although their traits (trap_switch = yes, no ASIDs, "
                   "no user mirror) make the IPI's trap flush already." % who(extra))
    return out


# ---------------------------------------------------------------- grouping

def grouped_table(runs, head, align, rows_of):
    """A table whose first column lists the configs that share their rows:
    rows_of(config) gives a config's rows (lists of cells); configs with
    the same rows are one group, named in its first row only."""
    groups = {}
    for c in runs.order:
        rows = rows_of(c)
        if rows:
            groups.setdefault(tuple(map(tuple, rows)), []).append(c)
    out = []
    for rows, cs in groups.items():
        for i, r in enumerate(rows):
            out.append([", ".join(cs) if i == 0 else ""] + list(r))
    return md_table(["configs"] + head, out, "l" + align) + [""]


# ---------------------------------------------------------------- threshold

def fence_pair(runs, c, h, f, p):
    page, whole = runs.get(c, h, f, p, "page"), runs.get(c, h, f, p, "whole")
    return None if page is None or whole is None else (page, whole)


def crossover(pairs):
    """What the thresholds' counted fences say at one N. pairs: {threshold:
    (page fences, whole fences)}. Returns (cell text, [(page-side
    thresholds, whole-side thresholds, crossover ratio or None)])."""
    classes = {}
    for t in sorted(pairs):
        classes.setdefault(pairs[t], []).append(t)
    if len(classes) == 1:
        return "alike", []
    ordered = sorted(classes.items(), key=lambda kv: (-kv[0][0], kv[0][1]))
    texts, found = [], []
    for (pa, ta), (pb, tb) in zip(ordered, ordered[1:]):
        dp, dw = pa[0] - pb[0], pb[1] - pa[1]
        sa, sb = ", ".join(map(str, ta)), ", ".join(map(str, tb))
        if dp > 0 and dw > 0:
            ratio = dp / dw
            found.append((tuple(ta), tuple(tb), ratio))
            texts.append("by page (T = %s) when f_w/f_p > %s (less with refills), else "
                         "whole (T = %s)" % (sa, fmt_num(ratio), sb))
        else:
            found.append((tuple(ta), tuple(tb), None))
            best = sb if dp > 0 or dw < 0 else sa
            texts.append("T = %s at any ratio (no more fences of either form)" % best)
    return "; ".join(texts), found


def threshold_rows(runs, c, h, fams):
    """[(param, {threshold: (page, whole)}, (cell, found))] of a run, at the
    points every threshold family measured."""
    out = []
    for p in runs.params():
        pairs = {POLICY[f]["threshold"]: fence_pair(runs, c, h, f, p) for f in fams}
        if None in pairs.values():
            continue
        out.append((p, pairs, crossover(pairs)))
    return out


def threshold_table_rows(runs, c, fams):
    """A config's rows of the threshold table, at its most harts: one row
    per N, or one for every N when the thresholds fence alike and the
    same at every N."""
    h = runs.harts[c][-1]
    ts = [POLICY[f]["threshold"] for f in fams]
    trs = threshold_rows(runs, c, h, fams)
    cells = lambda pairs: ["%s + %s" % (fmt_num(pairs[t][0]), fmt_num(pairs[t][1]))  # noqa: E731
                           for t in ts]
    if trs and len({tuple(pairs.values()) for _, pairs, _ in trs}) == 1 and \
            all(cell == "alike" for _, _, (cell, _) in trs):
        return [["%d" % h, "every N"] + cells(trs[0][1]) + ["alike"]]
    return [["%d" % h, fmt_param(p)] + cells(pairs) + [cell] for p, pairs, (cell, _) in trs]


def threshold_lines(runs):
    fams = runs.present(family_group("threshold"))
    lines = ["### Per-page or whole fences: the threshold", ""]
    if len(fams) < 2:
        return lines + ["Fewer than two threshold families (%s) were measured: nothing to "
                        "compare." % ", ".join(family_group("threshold")), ""]
    ts = [POLICY[f]["threshold"] for f in fams]
    lines += [
        "A change of at most T pages is fenced page by page (`sfence.vma va, asid` on the "
        "initiator and on each target), a larger one by one whole-ASID fence (everything, "
        "without ASIDs). Families %s fence at T = %s (OpenSBI fences by page only a single "
        "page, x86 up to 33, Linux RISC-V up to 64). On each hart that fences, N pages by "
        "page cost N × f_p, against f_w + R for the whole fence, where f_p is the cost of "
        "one per-page fence, f_w of one whole fence and R that of the refills the whole "
        "fence causes (the entries of the address space it drops that are used again). "
        "Summed over the harts, with P and W the page and whole fences counted per shrink: "
        "by page is cheaper exactly when P·f_p < W·f_w + R. Between two thresholds that "
        "differ at N by ΔP page fences and ΔW whole ones, the one fencing by page wins when "
        "f_w/f_p > ΔP/ΔW − R/(ΔW·f_p). %s" % (", ".join(fams), ", ".join(map(str, ts)),
                                              refill_sentence(runs, fams)),
        "",
        "Page + whole fences per shrink (sfence.vma, all harts) at each config's most harts, "
        "by threshold T; the last column says which is cheaper at which ratio f_w/f_p:", ""]
    lines += grouped_table(runs, ["harts", "N"] + ["T = %d" % t for t in ts] + ["cheaper"],
                           "rr" + "r" * len(ts) + "l",
                           lambda c: threshold_table_rows(runs, c, fams))
    return lines + threshold_prose(runs, fams) + [
        "Figure: [shoot_threshold](plots/shoot_threshold.svg).", ""]


def model_thresholds(runs, fams):
    """The threshold families of fams that the TLB model's runs measured,
    or [] when fewer than two (nothing to price)."""
    found = runs.model.present(fams) if runs.model is not None else []
    return found if len(found) >= 2 else []


def refill_sentence(runs, fams):
    """What the threshold section says of R: not measured, or priced by
    the TLB model's runs of the threshold families."""
    tail = ("so the table gives the crossover ratio ΔP/ΔW, which holds with no refill: "
            "refills make the whole fence dearer, so by page wins at every ratio above it "
            "and, by R/(ΔW·f_p), below it too.")
    if not model_thresholds(runs, fams):
        return "R is not measured in these runs (they ran without the TLB model), " + tail
    return ("The kernel's counts hold no R, " + tail + " The TLB model's runs (smp/tlb/, "
            "the next section) price R with the fences for preset%s %s: the last items below "
            "say which threshold costs fewer modelled cycles at each N there, as the model "
            "prices them (its estimate, not a measured cost)."
            % ("s" if len(runs.model.presets) > 1 else "", join_words(runs.model.presets)))


def ratio_statements(runs, c, h, fams):
    """{param: [(page-side thresholds, whole-side thresholds, ratio)]} of a
    run, at the points where the thresholds differ."""
    return {p: found for p, _, (_, found) in threshold_rows(runs, c, h, fams) if found}


def threshold_prose(runs, fams):
    out = []
    alike = [c for c in runs.order if threshold_rows(runs, c, runs.harts[c][-1], fams)
             and not ratio_statements(runs, c, runs.harts[c][-1], fams)]
    if alike:
        text = "- In %s the thresholds fence alike at every N" % who(alike)
        if all(trap_flushed(runs.traits(c)) for c in alike):
            text += (": traps switch satp without ASIDs and no user mirror, so the satp "
                     "write on the way back to user mode empties the TLB and a shrink needs "
                     "no fence of its own, by page or whole, locally or remotely")
        out.append(text + ".")
    ratios = {}
    for c in runs.order:
        for p, found in ratio_statements(runs, c, runs.harts[c][-1], fams).items():
            for ta, tb, r in found:
                ratios.setdefault((p, ta, tb), []).append((r, c))
    for (p, ta, tb), rcs in sorted(ratios.items()):
        rs = [r for r, _ in rcs if r is not None]
        if not rs:
            out.append("- N = %s: T = %s and T = %s differ, with neither fencing more of one "
                       "form and less of the other (the table says which fences less)."
                       % (fmt_param(p), ", ".join(map(str, ta)), ", ".join(map(str, tb))))
            continue
        out.append("- N = %s: by page (T = %s) beats the whole fence (T = %s) when "
                   "f_w/f_p > %s, with no refill counted (%s)." % (
                       fmt_param(p), ", ".join(map(str, ta)), ", ".join(map(str, tb)),
                       span(rs), who(sorted({c for _, c in rcs}, key=runs.order.index))))
    other = other_harts_differ(runs, fams)
    if other is not None:
        out.append("- At the other hart counts measured the crossover ratios are %s."
                   % ("the same" if not other else "different in %s" % who(other)))
    out += model_threshold_prose(runs, fams)
    return out + ["- So a threshold T is right for a core whose ratio f_w/f_p (refills "
                  "included) is about T: x86 chose 33 with a single-page flush at about "
                  "100 ns (anchors below); no RISC-V core's ratio is known here.", ""]


def other_harts_differ(runs, fams):
    """Configs whose crossover ratios at a smaller hart count differ from
    those at their most harts; None when no config has two hart counts."""
    multi = [c for c in runs.order if len(runs.harts[c]) > 1]
    if not multi:
        return None
    return [c for c in multi
            if any(ratio_statements(runs, c, h, fams) !=
                   ratio_statements(runs, c, runs.harts[c][-1], fams)
                   for h in runs.harts[c][:-1])]


# ---------------------------------------------------------------- the TLB model

def form_words(page, whole):
    """A threshold's fences at one N by form: what the model counted."""
    if page and whole:
        return "page and whole fences"
    return "page fences" if page else "whole fences" if whole else "no fence"


# One threshold's run at one N in the model: how it fenced (form_words)
# and its refill cycles per shrink, median, lowest and highest sample.
Cell = namedtuple("Cell", "form refill lo hi")


def model_verdict(model, c, h, preset, fams, p):
    """What the TLB model says of the thresholds of fams at N = p in one
    run, or None when a family lacks the point. Thresholds that fenced
    in the same form did the same by their policy: one class. Returns
    ("alike", classes, lo, hi) with the medians' range, ("mixed", classes)
    when no class costs fewer refill cycles than every other, or
    ("cheaper", classes, winner, others, separated): classes
    ((form, thresholds), ...) cheapest first; separated, whether every
    sample of the winner cost less than every sample of the others."""
    cells = {}
    for f in fams:
        vals = [model.get(c, h, preset, f, p, col) for col in
                ("page", "whole", "refill_cycles", "refill_lo", "refill_hi")]
        if None in vals:
            return None
        cells[POLICY[f]["threshold"]] = Cell(form_words(vals[0], vals[1]), *vals[2:])
    by_form = {}
    for t in sorted(cells):
        by_form.setdefault(cells[t].form, []).append(t)

    def cost(ts, field, pick):  # pick (min or max) of the cells' field over thresholds ts
        return pick(getattr(cells[t], field) for t in ts)
    classes = sorted(by_form.items(), key=lambda kv: cost(kv[1], "refill", min))
    if len(classes) == 1:
        return ("alike", tuple((w, tuple(ts)) for w, ts in classes),
                cost(classes[0][1], "refill", min), cost(classes[0][1], "refill", max))
    key = tuple((w, tuple(ts)) for w, ts in classes)
    (_, win), rest = classes[0], [ts for _, ts in classes[1:]]
    if any(cost(win, "refill", max) >= cost(ts, "refill", min) for ts in rest):
        return ("mixed", key)
    return ("cheaper", key, [cells[t].refill for t in win],
            [cells[t].refill for ts in rest for t in ts],
            all(cost(win, "hi", max) < cost(ts, "lo", min) for ts in rest))


def thresholds_text(cls):
    """'T = 33, 64 (page fences)' of a class (form, thresholds)."""
    form, ts = cls
    return "T = %s (%s)" % (", ".join(map(str, ts)), form)


def verdict_text(key, found):
    """One sentence part of the configs sharing a verdict's classes (key):
    found, [(config, verdict)]."""
    kind, classes, cs = key[0], key[1], who(c for c, _ in found)
    if kind == "alike":
        return ("%s fenced alike in %s, so none is cheaper by its policy: %s modelled "
                "cycles per shrink" % (thresholds_text(classes[0]), cs,
                                       span(v for _, vd in found for v in vd[2:4])))
    if kind == "mixed":
        return ("no threshold's fences cost fewer modelled cycles than every other's in %s "
                "(%s; the table below gives each)" % (
                    cs, " against ".join(thresholds_text(x) for x in classes)))
    apart = [c for c, vd in found if vd[4]]
    overlap = [c for c, vd in found if not vd[4]]
    how = ("in every sample" if not overlap else "in the medians; the samples overlap"
           if not apart else "in every sample in %s; in %s the samples overlap"
           % (who(apart), who(overlap)))
    win = classes[0]
    return ("%s %s fewer modelled cycles than %s in %s: %s against %s cycles per shrink, %s" % (
        thresholds_text(win), "costs" if len(win[1]) == 1 else "cost",
        " or ".join(thresholds_text(x) for x in classes[1:]), cs,
        span(v for _, vd in found for v in vd[2]), span(v for _, vd in found for v in vd[3]),
        how))


def model_threshold_prose(runs, fams):
    """Per N and preset, which threshold costs fewer refill cycles under
    the TLB model (at each config's most harts there); [] without its
    runs of two threshold families."""
    fams = model_thresholds(runs, fams)
    if not fams:
        return []
    model = runs.model
    out = []
    for p in sorted(set.intersection(*(set(model.params(f)) for f in fams))):
        bodies = []
        for pr in model.presets:
            groups = {}
            for c in model.order:
                hs = [h for h in model.harts[c] if (c, h, pr) in model.meta]
                found = model_verdict(model, c, hs[-1], pr, fams, p) if hs else None
                if found is not None:
                    groups.setdefault(found[:2], []).append((c, found))
            if groups:
                bodies.append((pr, "at N = %s, %s." % (fmt_param(p), "; ".join(
                    verdict_text(k, v) for k, v in groups.items()))))
        out += ["  - " + b for b in tlb_summary.by_preset(bodies)]
    if not out:
        return []
    return ["- Under the TLB model, at each config's most harts there (%s), in refill cycles "
            "per shrink and regrow: the fences and satp writes at the preset's costs and the "
            "misses after them, summed over the harts (the model's estimate, not a measured "
            "cost; the next section's table gives each):" % join_words(
                map(str, model.hart_counts))] + out


def model_costs(model):
    """A sentence per preset: what it approximates and the costs its runs
    recorded (tools/tlbsim's settings in their meta)."""
    out = []
    for pr in model.presets:
        sets = [m.get("tlbsim") for (_, _, p), m in sorted(model.meta.items())
                if p == pr and m.get("tlbsim")]
        what = tlb_summary.PRESETS.get(pr, "a preset of tools/tlbsim")
        if not sets:
            out.append("%s (%s): its runs recorded no costs (no meta.json)." % (pr, what))
            continue
        said = lambda f: " and ".join(sorted({f(t) for t in sets}))  # noqa: E731
        fences = said(tlb_summary.fence_costs)
        alike = "/" not in fences and " and " not in fences
        text = ("%s approximates %s; its runs' costs: sfence.vma %s cycles%s, a satp write %s, "
                "a walk %s per PTE read, an L2 hit %s." % (
                    pr, what, fences, " (every form alike: f_w/f_p = 1 in the threshold's "
                    "terms)" if alike else "", said(lambda t: t.get("satp", "0")),
                    said(lambda t: t.get("walk", "–")), said(lambda t: t.get("l2hit", "–"))))
        if all(t.get("asid_bits") == "0" for t in sets):
            text += (" It keeps no ASIDs: the model empties a hart's TLBs at each of its satp "
                     "writes (docs/tlb.md), the traps' too where traps switch satp.")
        out.append(text)
    return out


def model_rows(model, preset, fams, c):
    """A config's rows of the model's table: [harts, N, misses, refill
    cycles] per hart count and N, the families' medians slash-separated."""
    out = []
    for h in model.harts[c]:
        for p in sorted({p for f in fams for p in model.params(f)}):
            if not any((c, h, preset, f, p) in model.rows for f in fams):
                continue
            out.append(["%d" % h, fmt_param(p)] + [
                slash([model.get(c, h, preset, f, p, col) for f in fams])
                for col in MODEL_COLUMNS])
    return out


def model_lines(runs):
    """### The TLB model: misses and refill cycles per shrink, a table per
    preset; [] without the model's runs."""
    model = runs.model
    if model is None:
        return []
    fams = model.present(FAMILIES)
    commits = sorted({str(m.get("commit", "unknown")) for m in model.meta.values()})
    quick = sorted({c for (c, _, _), m in model.meta.items() if m.get("quick")})
    lines = [
        "### Refills after the fences: the TLB model", "",
        "The families %s ran under the TLB model too (smp/tlb/: `make bench TLB=... CPUS=...`), "
        "%d run(s) of %s at %s harts, commit %s: tools/tlbsim gives each hart the preset's "
        "TLBs (docs/tlb.md), and a sample's counts are every hart's together. Per operation "
        "(a shrink of N pages and its regrow), medians over every sample (%d of %d idled, "
        "kept as above): TLB misses are the L1 TLB misses of every hart, user and kernel, the "
        "refills after the fences among them; refill cycles are what the model adds to one "
        "cycle per instruction, priced as plot/tlb_summary.py prices the 1-hart runs "
        "(estimated cycles less instructions): each sfence.vma and satp write at the "
        "preset's cost, and each miss's L2 hit or walk. They are the model's estimates at "
        "assumed costs, not a measured hardware cost. Instructions are left out: at 2 or "
        "more harts they are virtual time (the readers' loops, the initiator's spin), QEMU's "
        "scheduling." % (
            ", ".join(fams), len(model.meta), who(model.order),
            join_words(map(str, model.hart_counts)), ", ".join(commits),
            int((model.samples["idled"] != 0).sum()), len(model.samples)), ""]
    lines += ["- " + t for t in model_costs(model)] + [""]
    if quick:
        lines += ["Quick runs (check figures, not reference ones): %s." % who(quick), ""]
    names = " / ".join(fams)
    for pr in model.presets:  # model_table_rows: the same rows for the LaTeX
        lines += ["#### %s" % pr, ""] + grouped_table(
            model, ["harts", "N", "TLB misses (all harts): " + names,
                    "refill cycles (model): " + names],
            "rrrr", lambda c, pr=pr: model_rows(model, pr, fams, c))
    return lines


# ---------------------------------------------------------------- delivery, Svinval, readers

def pick(fams, knob, test):
    """The first family of fams whose knob passes test, or None."""
    return next((f for f in fams if test(POLICY[f][knob])), None)


def delivery_lines(runs):
    fams = runs.present(family_group("via"))
    direct, mmode = pick(fams, "via", lambda v: v == "sswi"), \
        pick(fams, "via", lambda v: v == "mmode")
    lines = ["### Delivery: IPIs direct or through M-mode", ""]
    if not direct or not mmode:
        return lines + ["Not measured (needs %s)." % " and ".join(family_group("via")), ""]
    p = runs.point()
    lines += [
        "%s writes each target's ACLINT SSWI word from S-mode; %s asks M-mode with an "
        "ecall (as an SBI send-IPI call), which raises each target's machine software "
        "interrupt, whose handler passes it on as the supervisor one (kernel/mtrap.S). By "
        "construction M-mode adds one trap on the initiator per shootdown (the ecall) and "
        "one on each target before its supervisor interrupt: ecalls + IPIs traps into "
        "M-mode per shrink, two per IPI when one hart is targeted. What a trap costs in "
        "cycles is not measured here (under icount it costs its instructions only). Per "
        "shrink of N = %s pages:" % (direct, mmode, fmt_param(p)), ""]

    def rows(c):
        out = []
        for h in runs.harts[c]:
            ipi_d, ipi_m = [runs.get(c, h, f, p, IPIS) for f in (direct, mmode)]
            ecalls = [runs.get(c, h, f, p, "ipi_ecalls") for f in (direct, mmode)]
            added = None if None in (ipi_m, ecalls[1]) else ipi_m + ecalls[1]
            out.append(["%d" % h, slash([ipi_d, ipi_m]), slash(ecalls), fmt_num(added)])
        return out
    lines += grouped_table(runs, ["harts", "IPIs: %s / %s" % (direct, mmode),
                                  "ecalls to M-mode: %s / %s" % (direct, mmode),
                                  "M-mode traps added"], "rrrr", rows)
    added = [runs.get(c, h, mmode, p, IPIS) + runs.get(c, h, mmode, p, "ipi_ecalls")
             for c in runs.order for h in runs.harts[c]
             if None not in (runs.get(c, h, mmode, p, IPIS),
                             runs.get(c, h, mmode, p, "ipi_ecalls"))]
    return lines + ["M-mode delivery added %s traps into M-mode per shrink over the runs, for "
                    "the same IPIs. Published (anchors below): on a HiFive Unleashed the SBI "
                    "remote fence beat Linux's own IPIs by 5 %% over about a million flushes; "
                    "Linux RISC-V sends IPIs directly since 6.10." % span(added), ""]


def svinval_lines(runs):
    fams = runs.present(family_group("svinval"))
    plain, batched = pick(fams, "svinval", lambda v: not v), pick(fams, "svinval", bool)
    lines = ["### Svinval: batching the page fences", ""]
    if not plain or not batched:
        return lines + ["Not measured (needs %s)." % " and ".join(family_group("svinval")),
                        ""]
    lines += [
        "%s fences N pages with N sfence.vma on each fencing hart; %s with one batch there: "
        "sfence.w.inval, N sinval.vma, sfence.inval.ir: N + 2 instructions, of which the two "
        "ordering fences make a batch. Above the threshold both fence the whole ASID, with "
        "nothing to batch. Per shrink, at each config's most harts, at the N where either "
        "fenced by page:" % (plain, batched), ""]

    def rows(c):
        h, out = runs.harts[c][-1], []
        for p in runs.params():
            vals = [runs.get(c, h, plain, p, "page"), runs.get(c, h, batched, p, "page"),
                    runs.get(c, h, batched, p, "sinvals"),
                    runs.get(c, h, batched, p, "inval_fences")]
            if None in vals or not any(vals):
                continue
            out.append(["%d" % h, fmt_param(p), fmt_num(vals[0]), fmt_num(vals[1]),
                        fmt_num(vals[2]), "%s (%s)" % (fmt_num(vals[3]), fmt_num(vals[3] / 2))])
        return out
    lines += grouped_table(runs, ["harts", "N", "sfence.vma by page: %s" % plain,
                                  "sfence.vma by page: %s" % batched, "sinval.vma",
                                  "ordering fences (batches)"], "rrrrrr", rows)
    none = [c for c in runs.order if not rows(c)]
    if none:
        lines += ["%s fenced nothing by page at any N under either family (the threshold "
                  "section says why)." % who(none), ""]
    return lines + ["The one published batch cost (docs/anchors.md, the SpacemiT X60): 64 "
                    "pages by Svinval took about 0.55 of the sfence.vma loop's cycles.", ""]


def wide_lines(runs):
    fams = runs.present(family_group("readers"))
    one, wide = pick(fams, "readers", lambda v: v != "wide"), \
        pick(fams, "readers", lambda v: v == "wide")
    lines = ["### Readers on every hart: IPIs against harts", ""]
    if not one or not wide:
        return lines + ["Not measured (needs %s)." % " and ".join(family_group("readers")),
                        ""]
    p = runs.point()
    lines += ["%s runs one reader thread, on hart 1; %s one on every hart but the "
              "initiator's. Under lazy targeting a shrink interrupts the harts that run the "
              "address space now, so its IPIs should follow the readers, not the harts up. "
              "Per shrink of N = %s pages:" % (one, wide, fmt_param(p)), ""]

    def rows(c):
        return [["%d" % h, "%d / %d" % (readers(one, h), readers(wide, h)),
                 slash([runs.get(c, h, f, p, IPIS) for f in (one, wide)]),
                 slash([runs.get(c, h, f, p, "remote_fences") for f in (one, wide)])]
                for h in runs.harts[c]]
    lines += grouped_table(runs, ["harts", "readers: %s / %s" % (one, wide),
                                  "IPIs per shrink", "remote fences"], "rrrr", rows)
    off = {}
    for c in runs.order:
        for h in runs.harts[c]:
            if any(runs.get(c, h, f, p, IPIS) not in (None, readers(f, h))
                   for f in (one, wide)):
                off.setdefault(h, []).append(c)
    if not off:
        return lines + ["Every run sent one IPI per reader's hart.", ""]
    return lines + ["Not one IPI per reader's hart %s: a reader's hart that does not run "
                    "the address space at the shrink is not interrupted under lazy "
                    "targeting, and the table says how many were." % "; ".join(
                        "at %d harts in %s" % (h, who(cs)) for h, cs in sorted(off.items())),
                    ""]


def others_lines(runs):
    """A table per other multi-hart benchmark (registry records with
    min_harts and no shoot policy) that ran: its counters per operation."""
    lines = []
    for b in [b for b in OTHERS if b in runs.benches]:
        r = BY_NAME[b]
        cols = [c for c in r.get("counters", []) if any(
            runs.get(c2, h, b, p, c) is not None for c2 in runs.order for h in runs.harts[c2]
            for p in runs.params(b))]
        rows = [[c, "%d" % h, fmt_param(p)] + [fmt_num(runs.get(c, h, b, p, col)) for col in cols]
                for c in runs.order for h in runs.harts[c] for p in runs.params(b)
                if (c, h, b, p) in runs.rows]
        lines += ["### %s" % b, "", r["text"] + " Medians per operation:", ""]
        lines += md_table(["config", "harts", "param"] + cols, rows,
                          "lrr" + "r" * len(cols)) + [""]
    return lines


# ---------------------------------------------------------------- the wait

def wait_lines(runs):
    lines = ["### The wait: QEMU's scheduling, not hardware", "",
             "The initiator spins until every target has acknowledged (kstats shoot_wait, in "
             "instret ticks). Under `-icount` QEMU runs one hart at a time, a time slice each, "
             "so the spin lasts until QEMU has run each target far enough to take its "
             "interrupt: these virtual instructions measure QEMU's round-robin, not what an "
             "IPI takes on hardware, and no conclusion in this section rests on them. Median "
             "wait per shootdown, lowest–highest over the configs:", ""]
    fams = runs.present(FAMILIES)
    rows = []
    for f in fams:
        cells = []
        for h in runs.hart_counts:
            waits = []
            for c in runs.order:
                for p in runs.params(f):
                    w, n = runs.get(c, h, f, p, "shoot_wait"), runs.get(c, h, f, p, "shootdowns")
                    if w is not None and n:
                        waits.append(w / n)
            cells.append(span(waits))
        rows.append([f] + cells)
    return lines + md_table(["family"] + ["%d harts" % h for h in runs.hart_counts], rows,
                            "l" + "r" * len(runs.hart_counts)) + [""]


# ---------------------------------------------------------------- the section

def section_lines(runs, anchor_lines=()):
    """The report's section (markdown lines); [] without runs."""
    if runs is None:
        return []
    return (intro_lines(runs) + targeting_lines(runs) + threshold_lines(runs)
            + model_lines(runs) + delivery_lines(runs) + svinval_lines(runs) + wide_lines(runs)
            + wait_lines(runs) + others_lines(runs) + list(anchor_lines))


def finding(runs):
    """The summary's shootdown candidate: (effect, sentence), the effect the
    largest |log| of lazy over all IPIs per shrink at one hart count (the
    findings' measure), or None when no run sent IPIs under both."""
    if runs is None:
        return None
    fams = runs.present(family_group("target"))
    wide = [f for f in fams if POLICY[f]["target"] == "all"]
    narrow = [f for f in fams if POLICY[f]["target"] == "lazy"]
    if not wide or not narrow:
        return None
    p = runs.point()
    best = None
    for h in runs.hart_counts:
        pairs = [(c, runs.get(c, h, narrow[0], p, IPIS),
                  runs.get(c, h, wide[0], p, IPIS)) for c in runs.order
                 if h in runs.harts[c]]
        pairs = [(c, v, b) for c, v, b in pairs if v and b]
        if not pairs:
            continue
        effect = max(abs(math.log(v / b)) for _, v, b in pairs)
        if effect > 0 and (best is None or effect > best[0]):
            best = (effect, h, pairs)
    if best is None:
        return None
    effect, h, pairs = best
    ratios = [v / b for _, v, b in pairs]
    change = "×%.2f" % min(ratios) if "%.2f" % min(ratios) == "%.2f" % max(ratios) else \
        "×%.2f to ×%.2f" % (min(ratios), max(ratios))
    return effect, ("Shootdown IPIs per shrink of %s pages at %d harts: %s under %s targeting "
                    "against %s under %s (%s%s; counts, not time: see \"Shootdowns\")." % (
                        fmt_param(p), h, span(v for _, v, _ in pairs), label(narrow[0]),
                        span(b for _, _, b in pairs), label(wide[0]), change,
                        "" if len(pairs) == 1 else ", %d configs" % len(pairs)))


# ---------------------------------------------------------------- figures

def write_blocks(path, header, blocks):
    """A gnuplot table of titled blocks: each a '# title: ' line, the
    header, then rows (label, cells); blocks two blank lines apart."""
    texts = []
    for title, rows in blocks:
        lines = ["# title: " + title.replace("'", ""), " ".join(header)]
        lines += [" ".join([lab] + [fmt_cell(v) for v in cells]) for lab, cells in rows]
        texts.append("\n".join(lines) + "\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n\n".join(texts))


def policy_blocks(runs):
    """shoot_policy.dat: IPIs sent and remote fences per shrink, a row per
    targeting family and hart count, a column per config; None without two
    targeting families."""
    fams = runs.present(family_group("target"))
    if len(fams) < 2:
        return None
    p = runs.point()
    blocks = []
    for col, title in ((IPIS, "IPIs sent per shrink"),
                       ("remote_fences", "remote fences per shrink")):
        rows = [('"%s, %d harts"' % (label(f), h), [runs.get(c, h, f, p, col) for c in runs.order])
                for h in runs.hart_counts for f in fams]
        blocks.append((title + " (N = %s pages)" % fmt_param(p), rows))
    return ["policy"] + runs.order, blocks


def threshold_blocks(runs):
    """shoot_threshold.dat: a block per threshold family, a row per N, two
    columns per config (page and whole fences per shrink, at its most
    harts); configs of one design with identical columns merged."""
    from summarize import merge_identical  # summarize imports this module
    fams = runs.present(family_group("threshold"))
    if len(fams) < 2:
        return None
    ps = runs.params()
    names, columns = [], []
    for c in runs.order:
        h = runs.harts[c][-1]
        cols = [[runs.get(c, h, f, p, form) for p in ps] for f in fams for form in ("page",
                                                                                   "whole")]
        if any(v is not None for col in cols for v in col):
            names.append(c)
            columns.append(cols)
    if not names:
        return None
    header, columns = merge_identical(names, columns, ["[page]", "[whole]"])
    most = sorted({runs.harts[c][-1] for c in names})
    at = "%d harts" % most[0] if len(most) == 1 else "each config's most harts"
    blocks = []
    for i, f in enumerate(fams):
        rows = [(fmt_param(p), [cols[k][j] for cols in columns for k in (2 * i, 2 * i + 1)])
                for j, p in enumerate(ps)]
        blocks.append(("T = %d (%s), %s" % (POLICY[f]["threshold"], f, at), rows))
    return ["pages"] + header, blocks


def write_plot_data(results_dir, runs):
    """DIR/plots/data/shoot_*.dat for the figures with data; stale ones of
    the figures without removed. Returns the names written."""
    data_dir = os.path.join(results_dir, "plots", "data")
    found = {}
    if runs is not None:
        found = {"shoot_policy": policy_blocks(runs), "shoot_threshold": threshold_blocks(runs)}
    written = set()
    for name in FIGURES:
        path = os.path.join(data_dir, name + ".dat")
        if found.get(name):
            os.makedirs(data_dir, exist_ok=True)
            write_blocks(path, *found[name])
            written.add(name)
        elif os.path.exists(path):
            os.remove(path)
    return written


# ---------------------------------------------------------------- LaTeX

def targeting_rows(runs):
    """The targeting table for tables.py's LaTeX: (family labels, N, rows of
    [config, harts, IPIs, remote fences, measured order]); None without two
    targeting families."""
    fams = runs.present(family_group("target"))
    if len(fams) < 2:
        return None
    p = runs.point()
    rows = []
    for c in runs.order:
        for h in runs.harts[c]:
            breaks = order_breaks(runs, c, h, fams, IPIS)
            rows.append([c, "%d" % h, slash([runs.get(c, h, f, p, IPIS) for f in fams]),
                         slash([runs.get(c, h, f, p, "remote_fences") for f in fams]),
                         "holds" if not breaks else "not at N = %s" % ", ".join(
                             sorted({fmt_param(b[0]) for b in breaks}, key=float))])
    return [label(f) for f in fams], p, rows


def model_table_rows(model, preset, fams):
    """The TLB model's table of one preset for tables.py's LaTeX: rows of
    [config, harts, N, misses, refill cycles], the families' medians
    slash-separated, as in the report's table."""
    return [[c] + r for c in model.order for r in model_rows(model, preset, fams, c)]
