#!/usr/bin/python3
"""plot/reprice.py: TLB results re-priced for any cost vector, the cost
sweep's conclusions, and the fence-cost figure's data (a module and a
script).

The plugin (tools/tlbsim) counts per sample: instructions, satp writes,
sfence.vma by form, sinval.vma and the Svinval fences (sfence.w.inval,
sfence.inval.ir), L2-TLB hits, walks by the PTEs they read and the PTEs
they found in the PTE cache. price() computes, for a cost vector
(COST_KEYS), what the plugin's tlb_est_cycles computes for its own:

    insns + sum over forms of fences(form) x fence_<form>
          + satp writes x satp + sinvals x sinval + inval fences x inval_fence
          + l2hits x l2hit
          + (PTE reads - PTE-cache hits) x walk + PTE-cache hits x ptc_hit

Fence, satp and Svinval costs are cycles on top of the one instruction the
model already counts for them. recorded_costs() is the vector a run used,
read from its meta (a run of an older plugin, which charged nothing for
fences, satp writes, Svinval or a PTE cache, records only walk and l2hit:
the rest are 0): price() at it reproduces the plugin's est_cycles exactly.
The sweep is plot/benches.py's COST_SWEEP; its fence axis prices the
Svinval instructions too (cost_vector).

Usage:  /usr/bin/python3 plot/reprice.py --results DIR
Reads:  DIR/tlb/<config>-<preset>.csv and .meta.json (plot/tlb_summary.py),
        DIR/*.csv and meta (the headline points, through ptresults).
Writes: DIR/plots/data/fencesweep.dat (plot/fencesweep.gp's data: block 0,
        ratio to global against fence cost, one column per config; block 1,
        the crossovers: fence cost, ratio 1, config), or removes it when
        there is nothing to draw. report.md takes range_lines() through
        plot/report.py.
Exit:   0 on success, 1 on bad input.
"""
import argparse
import itertools
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tlb_summary  # noqa: E402
from benches import COST_SWEEP, RECORDS, record  # noqa: E402
from ptresults import (REFERENCE_DESIGN, InputError, axes_of, config_order,  # noqa: E402
                       fmt_num, join_words, md_table)

FORMS = tlb_summary.FENCE_FORMS
COST_KEYS = (["fence_" + f for f in FORMS] +
             ["satp", "walk", "l2hit", "ptc_hit", "sinval", "inval_fence"])
# Svinval's counts, by the cost each is priced at; results of a plugin
# from before Svinval have no such columns (none counted).
SVINVAL_COUNTS = {"sinval": "tlb_sinvals", "inval_fence": "tlb_inval_fences"}
# Costs every run records (an older plugin's runs record no others).
ALWAYS_RECORDED = ("walk", "l2hit")
# Operations the sweep judges: the registry's headline points counted in
# instructions, as (bench, param or None for the smallest).
OPERATIONS = [(r["name"], None if r["headline"] == "smallest" else r["headline"])
              for r in RECORDS if r.get("headline") is not None
              and r.get("unit", "instructions") == "instructions"]
# Points on the fence axis drawn between the sweep's ends (log-spaced).
CURVE_POINTS = 25
MAX_SUMMARY_LINES = 5


# ---------------------------------------------------------------- pricing

def pte_reads(df):
    """PTEs read by walks per sample: walks_1 + 2 walks_2 + 3 walks_3."""
    return df["tlb_walks_1"] + 2 * df["tlb_walks_2"] + 3 * df["tlb_walks_3"]


def ptc_hits(df):
    """PTEs walks found in the PTE cache per sample (0 for results of a
    plugin from before the PTE cache)."""
    return df["tlb_ptc_hits"] if "tlb_ptc_hits" in df.columns else 0


def price(df, costs):
    """Estimated cycles per sample (a Series, totals, not per operation) of
    the joined TLB CSV rows df at costs, a dict of COST_KEYS (missing keys
    cost 0). costs values may be Series aligned with df (per-run costs)."""
    c = lambda k: costs.get(k, 0)  # noqa: E731
    hits = ptc_hits(df)
    est = (df["tlb_insns"] + df["tlb_l2_hits"] * c("l2hit")
           + (pte_reads(df) - hits) * c("walk") + hits * c("ptc_hit"))
    for f in FORMS:
        est = est + df["tlb_sfence_" + f] * c("fence_" + f)
    for key, col in SVINVAL_COUNTS.items():
        if col in df.columns:
            est = est + df[col] * c(key)
    return est + df["tlb_satp_writes"] * c("satp")


def recorded_costs(df, meta):
    """The cost vector each sample's run used, as Series aligned with df,
    every COST_KEYS cost from the run's meta (DIR/tlb/<config>-<preset>.meta.json,
    read by tlb_summary.read_meta); a cost an older plugin did not record
    is 0, as it charged nothing for it. Raises InputError when a run did
    not record its walk or l2hit cost."""
    def per_run(key):
        vals = {}
        for run in set(zip(df["config"], df["preset"])):
            v = meta.get(run, {}).get("tlbsim", {}).get(key)
            if v is None and key in ALWAYS_RECORDED:
                raise InputError("%s-%s: no recorded %s cost (meta.json)" % (run + (key,)))
            vals[run] = float(v or 0)
        return df.assign(_c=[vals[r] for r in zip(df["config"], df["preset"])])["_c"]
    return {k: per_run(k) for k in COST_KEYS}


def sweep_axes():
    """{axis: (values, default)} of the registry's COST_SWEEP."""
    return {axis: (tuple(vals), default) for axis, vals, default, _ in COST_SWEEP}


def sinval_share(base):
    """Each run's sinval.vma cost over the cost of the sfence.vma it stands
    for in a shootdown (by address and ASID), from base (recorded costs,
    Series or numbers); 0 where that fence cost nothing."""
    sinval, fence = base.get("sinval", 0), base.get("fence_addr_asid", 0)
    if hasattr(fence, "where"):
        return (sinval / fence.where(fence != 0)).fillna(0)
    return sinval / fence if fence else 0


def cost_vector(base, fence, satp, walk):
    """base (recorded costs) with every fence form at fence, satp and walk;
    an axis given as None keeps the recorded cost. The fence axis moves the
    Svinval costs with it: sfence.w.inval and sfence.inval.ir, the ordering
    half of a fence, cost fence; sinval.vma keeps its run's share of the
    by-address-and-ASID sfence.vma it replaces (sinval_share)."""
    out = dict(base)
    if fence is not None:
        out.update({"fence_" + f: fence for f in FORMS})
        out.update(inval_fence=fence, sinval=sinval_share(base) * fence)
    if satp is not None:
        out["satp"] = satp
    if walk is not None:
        out["walk"] = walk
    return out


def has_depths(df):
    return all(c in df.columns for c in ["tlb_walks_1", "tlb_walks_2", "tlb_walks_3"])


# ---------------------------------------------------------------- data

class Priced:
    """A TLB result set's samples (not idled) with the costs they ran at;
    per-operation medians at any point of the sweep."""

    def __init__(self, results_dir):
        paths = tlb_summary.tlb_paths(results_dir)
        if not paths:
            raise InputError("no %s/tlb/*.csv" % results_dir)
        df = tlb_summary.read_samples(paths)
        if not has_depths(df):
            raise InputError("%s/tlb: no walks by depth (results of an older plugin): "
                             "they cannot be re-priced" % results_dir)
        self.df = df[df["idled"] == 0].reset_index(drop=True)
        runs = sorted(set(zip(self.df["config"], self.df["preset"])))
        self.meta = tlb_summary.read_meta(results_dir, runs)
        self.base = recorded_costs(self.df, self.meta)
        self.configs = config_order(self.df["config"].unique())
        self.presets = tlb_summary.preset_order(self.df["preset"].unique())
        self.cache = {}
        self.keys = set(self.at(1, 1, 1))

    def param(self, bench, wanted):
        params = sorted(self.df.loc[self.df["bench"] == bench, "param"].unique())
        if not params:
            return None
        return params[0] if wanted is None else (wanted if wanted in params else None)

    def per_op(self, costs):
        """Median estimated cycles per operation at costs, by (config,
        preset, bench, param)."""
        d = self.df.assign(_e=price(self.df, costs) / self.df["iters"])
        return d.groupby(["config", "preset", "bench", "param"])["_e"].median().to_dict()

    def at(self, fence, satp, walk):
        """per_op at a sweep point (cached: the sweep asks for each often)."""
        key = (fence, satp, walk)
        if key not in self.cache:
            self.cache[key] = self.per_op(cost_vector(self.base, fence, satp, walk))
        return self.cache[key]


def baseline(config, configs):
    """The reference design's config with config's axes, among configs."""
    _, a, m = axes_of(config)
    return next((c for c in configs if axes_of(c) == (REFERENCE_DESIGN, a, m)), None)


def axis_off(config, axis, configs):
    """The same design with axis ("asid" or "mega") off, among configs."""
    d, a, m = axes_of(config)
    want = (d, 0, m) if axis == "asid" else (d, a, 0)
    if (a if axis == "asid" else m) == 0:
        return None
    return next((c for c in configs if axes_of(c) == want), None)


def contrasts(priced):
    """[(label, bench, param, preset, config, against)]: each design against
    the reference at the same axes, and each axis on against off, per
    operation and preset that the data hold."""
    out = []
    for bench, wanted in OPERATIONS:
        p = priced.param(bench, wanted)
        if p is None:
            continue
        label = record(bench)["short"]
        label = label % fmt_num(p) if "%s" in label else label
        for pr in priced.presets:
            for c in priced.configs:
                pairs = [(c, baseline(c, priced.configs))]
                pairs += [(c, axis_off(c, ax, priced.configs)) for ax in ("asid", "mega")]
                for a, b in pairs:
                    if b and a != b and all(
                            ((x, pr, bench, p) in priced.keys) for x in (a, b)):
                        out.append((label, bench, p, pr, a, b))
    return out


# ---------------------------------------------------------------- ranges

def crossover(priced, key_a, key_b):
    """The fence cost where est(a) - est(b) changes sign, linearly
    interpolated between the bracketing fence values of the sweep at the
    other axes' defaults; None when the sign holds along the fence axis."""
    axes = sweep_axes()
    fences = axes["fence"][0]
    satp, walk = axes["satp"][1], axes["walk"][1]
    diffs = []
    for f in fences:
        e = priced.at(f, satp, walk)
        diffs.append(e[key_a] - e[key_b])
    # Points where the two are equal say nothing of the order: skip them.
    pts = [(f, d) for f, d in zip(fences, diffs) if d != 0]
    for (f0, d0), (f1, d1) in zip(pts, pts[1:]):
        if (d0 < 0) != (d1 < 0):
            return f0 + (f1 - f0) * d0 / (d0 - d1)
    return None


def sign_range(priced, key_a, key_b):
    """(ratio at the defaults, points where the sign at the defaults holds,
    points in all)."""
    axes = sweep_axes()
    d = {a: v[1] for a, v in axes.items()}
    e = priced.at(d["fence"], d["satp"], d["walk"])
    r0 = e[key_a] / e[key_b]
    side = lambda r: (r > 1) - (r < 1)  # noqa: E731
    held = total = 0
    for f, s, w in itertools.product(*(axes[a][0] for a in ("fence", "satp", "walk"))):
        e = priced.at(f, s, w)
        total += 1
        held += side(e[key_a] / e[key_b]) == side(r0)
    return r0, held, total


def range_rows(priced):
    """One row per contrast: [operation, preset, contrast, ratio at the
    defaults, where its sign holds, fence crossover]."""
    rows = []
    for label, bench, p, pr, a, b in contrasts(priced):
        ka, kb = (a, pr, bench, p), (b, pr, bench, p)
        r0, held, total = sign_range(priced, ka, kb)
        x = crossover(priced, ka, kb)
        where = "whole sweep" if held == total else "%d of %d points" % (held, total)
        cross = ("flips at fence cost %s" % fmt_num(round(x)) if x is not None
                 else ("holds across the sweep" if held == total else
                       "no flip on the fence axis"))
        rows.append([label, pr, "%s vs %s" % (a, b), "%.3f" % r0, where, cross])
    return rows


def sweep_sentence():
    return "; ".join("%s %s (%s; default %s)" % (
        axis, "/".join(fmt_num(v) for v in vals), what,
        "each run's own" if default is None else fmt_num(default))
        for axis, vals, default, what in COST_SWEEP)


def range_lines(results_dir):
    """The report's "## Cost sweep" section as lines: [] without TLB data,
    a sentence saying why when the TLB data cannot be re-priced."""
    if not tlb_summary.tlb_paths(results_dir):
        return []
    try:
        priced = Priced(results_dir)
    except InputError as e:
        return ["## Cost sweep", "", "No cost sweep: %s." % e, ""]
    rows = range_rows(priced)
    if not rows:
        return []
    return ["## Cost sweep", "",
            "The TLB model's estimates re-priced (plot/reprice.py) over a sweep of the "
            "costs no core publishes, which the presets assume: %s. A run's own "
            "costs are its preset's (tools/tlbsim/README.md). Each contrast is a "
            "config against the reference design at the same axes, or an axis on "
            "against off; ratio is its estimated cycles over the other's at the "
            "defaults. \"Holds\" counts the sweep points where the ratio stays on "
            "the same side of 1; the crossover is where the order flips on the fence "
            "axis at the other defaults (interpolated between sweep points)."
            % sweep_sentence(), ""] + \
        md_table(["operation", "preset", "contrast", "ratio", "sign holds", "crossover"],
                 rows, "lllrll") + [""]


def summary_items(results_dir):
    """(bullets, how many contrasts were left out): at most
    MAX_SUMMARY_LINES sentences, the contrasts whose sign the sweep flips
    first, then the others, presets sharing a sentence grouped."""
    try:
        priced = Priced(results_dir)
    except InputError:
        return [], 0
    groups = {}
    for op, pr, con, r, where, cross in range_rows(priced):
        groups.setdefault((op, con, where, cross), []).append((pr, r))
    items = sorted(groups.items(), key=lambda kv: kv[0][2] == "whole sweep")
    out = []
    for (op, con, where, cross), prs in items[:MAX_SUMMARY_LINES]:
        ratios = [float(r) for _, r in prs]
        side = "costlier" if ratios[0] > 1 else ("cheaper" if ratios[0] < 1 else "equal")
        lo, hi = "%.2f" % min(ratios), "%.2f" % max(ratios)
        span = lo if lo == hi else "%s–%s" % (lo, hi)
        held = cross if where == "whole sweep" else "sign holds at %s, %s" % (where, cross)
        out.append("%s, %s: %s (×%s on %s at the defaults); %s." % (
            op, con, side, span, join_words([p for p, _ in prs]), held))
    return out, len(items) - len(out)


SUMMARY_INTRO = ("Where each TLB contrast holds as fence, satp-write and walk costs vary "
                 "over the cost sweep%s.")


def summary_lines(results_dir):
    """The summary's cost-sweep lines for report.md; [] without data."""
    items, more = summary_items(results_dir)
    if not items:
        return []
    tail = " (section \"Cost sweep\"%s)" % ("; %d more contrast(s) there" % more
                                             if more else "")
    return ["### Where the TLB contrasts hold", "", SUMMARY_INTRO % tail, ""] + \
        ["- " + i for i in items] + [""]


# ---------------------------------------------------------------- figure

def figure_blocks(priced):
    """(what, configs, curve rows, crossovers) of the fence figure: pingpong
    (else getpid) on the first preset, each config's estimated cycles over
    the reference design's plain config (no axes), at the other axes'
    defaults; None when nothing is drawn."""
    axes = sweep_axes()
    lo, hi = min(axes["fence"][0]), max(axes["fence"][0])
    satp, walk = axes["satp"][1], axes["walk"][1]
    ref = baseline(REFERENCE_DESIGN, priced.configs)
    for bench in ("pingpong", "getpid"):
        p = priced.param(bench, None)
        pr = priced.presets[0]
        if p is None or ref is None or (ref, pr, bench, p) not in priced.keys:
            continue
        cols = [c for c in priced.configs if (c, pr, bench, p) in priced.keys and c != ref]
        if not cols:
            continue
        xs = [lo * (hi / lo) ** (i / (CURVE_POINTS - 1)) for i in range(CURVE_POINTS)]
        rows = []
        for f in xs:
            e = priced.at(f, satp, walk)
            rows.append([f] + [e[(c, pr, bench, p)] / e[(ref, pr, bench, p)] for c in cols])
        marks = [(x, c) for c in cols for x in
                 [crossover(priced, (c, pr, bench, p), (ref, pr, bench, p))] if x is not None]
        return ("%s on %s, against %s" % (bench, pr, ref), cols, rows, marks)
    return None


def write_figure(blocks, path):
    what, cols, rows, marks = blocks
    lines = ["fence " + " ".join(cols)]
    lines += [" ".join("%.6g" % v for v in r) for r in rows]
    lines += ["", "", "# what: %s" % what, "fence ratio config"]
    lines += ["%.6g 1 %s" % (x, c) for x, c in marks] or ["%.6g NaN none" % rows[0][0]]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description="Re-price TLB results over the cost sweep: "
                                 "the fence-cost figure's data.")
    ap.add_argument("--results", default="results/latest")
    args = ap.parse_args(argv)
    dat = os.path.join(args.results, "plots", "data", "fencesweep.dat")
    try:
        priced = Priced(args.results)
        blocks = figure_blocks(priced)
    except InputError as e:
        if os.path.exists(dat):
            os.remove(dat)
        print("reprice.py: no fence-sweep figure: %s" % e)
        return 0
    if blocks is None:
        if os.path.exists(dat):
            os.remove(dat)
        return 0
    os.makedirs(os.path.dirname(dat), exist_ok=True)
    write_figure(blocks, dat)
    print("reprice.py: -> %s" % dat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
