#!/usr/bin/python3
"""plot/tlb_summary.py: the TLB model's summary and plot data; the report's
TLB section for plot/report.py (section_lines).

Usage:  /usr/bin/python3 plot/tlb_summary.py --results DIR

Reads:  DIR/tlb/<design>-<preset>.csv except summary.csv (tools/collect.py
        --tlb-out: one row per sample, the plugin's counts joined to it) and
        the <design>-<preset>.meta.json beside each (optional: the run and
        the plugin's settings); DIR/<design>.meta.json (the plain runs'
        commits).
Writes: DIR/tlb/summary.csv   per design/preset/bench/param: samples used and
                              medians per operation of instructions, TLB
                              misses, L2 hits, walks, flushes, refill cycles
                              and estimated cycles; est_ratio = estimated
                              cycles / instructions, refill_share = refill /
                              estimated cycles (medians);
        DIR/plots/data/tlb.dat  what plot/tlb.gp draws.
        With no DIR/tlb/*.csv it writes nothing and removes these outputs of
        an earlier run. report.md is plot/report.py's: it calls
        section_lines() for its "TLB model" section.
Exit:   0 on success, 1 on bad input (unreadable CSV, missing columns, bad
        numbers, a sample whose witnesses disagree).

Samples flagged idled=1 are left out, as in summarize.py.
"""
import argparse
import glob
import json
import os
import sys

import pandas as pd

from ptresults import (REFERENCE_DESIGN, InputError, axes_of, bench_order, config_order,
                       fmt_cell, fmt_num, fmt_param, join_words, md_table, read_csv)

SECTION = "## TLB model"
# Per-sample totals from collect.py, divided by iters for per-op figures.
TOTALS = ["insns", "itlb_miss_user", "itlb_miss_kernel", "dtlb_miss_user",
          "dtlb_miss_kernel", "l2_hits", "est_cycles", "sfences", "satp_writes"]
MISSES = ["itlb_miss_user", "itlb_miss_kernel", "dtlb_miss_user", "dtlb_miss_kernel"]
REQUIRED = (["config", "preset", "bench", "param", "param_unit", "sample", "iters",
             "idled", "witness_ok"] + ["tlb_" + c for c in TOTALS])
STRING_COLUMNS = ["config", "preset", "bench", "param_unit"]
# Derived per-op figures: L1 misses, misses that walked, cycles added by them.
PER_OP = TOTALS[:1] + MISSES + ["tlb_misses", "l2_hits", "walks", "sfences",
                                "satp_writes", "refill_cycles", "est_cycles", "walk_levels"]
# Walk-cost factors the sensitivity table re-prices every result at.
WALK_FACTORS = (0.5, 1.0, 2.0)
GROUP = ["config", "preset", "bench", "param"]

# Presets in the plugin's order, and the core each approximates.
PRESETS = {"u54": "SiFive U54 (no ASIDs)", "rocket": "Rocket, default configuration (no ASIDs, no L2)",
           "rocket-l2": "Rocket with Chipyard's L2 TLB (no ASIDs)",
           "c906": "T-Head C906 (ASIDs kept in its jTLB)"}
# The operations the report shows: (bench, param or None for the smallest).
SHOWN = [("getpid", None), ("write_null", 4096), ("fork_exec_wait", None),
         ("pingpong", None)]

MODEL_TEXT = [
    "Under `-icount` every figure above counts instructions: TLB misses cost "
    "nothing. Here the same benchmarks ran under tools/tlbsim, a QEMU plugin "
    "that runs every instruction fetch, load and store through a model TLB "
    "(docs/tlb.md defines it; tools/tlbsim/README.md documents the plugin), and "
    "its misses are priced "
    "in cycles.",
    "",
    "**What the model is.** Each preset is a set of TLBs keyed by virtual "
    "page, least-recently-used replacement within a set (FIFO where the "
    "source says so): separate L1 instruction and data TLBs and, in some "
    "presets, a shared L2 TLB behind them, following the cores' public "
    "sources (docs/tlb.md names them); they are not exact models of those "
    "cores. Entries carry their page size (an entry covers its whole 2 MiB "
    "page), ASID and global bit, from the page tables the model walks itself; `sfence.vma` "
    "acts by its operands as the privileged spec says; a satp write keeps "
    "or drops entries as the modelled core does (a core without ASIDs is "
    "emptied by every satp write of a kernel that uses them). An L1 miss "
    "that hits the L2 costs `l2hit` cycles; a miss in every level walks the "
    "page table and costs `walk` cycles per PTE read, or `ptc_hit` for a "
    "table PTE found in the preset's PTE cache (Rocket's 8 entries). Each "
    "`sfence.vma` costs `fence_<form>` cycles and each satp write `satp` "
    "cycles beyond their one instruction: no core's figure is published, so "
    "these are assumptions, and the section \"Cost sweep\" says how far each "
    "contrast holds as they vary. Estimated cycles = instructions + L2 hits × "
    "l2hit + PTEs read past the PTE cache × walk + PTE-cache hits × ptc_hit + "
    "fences × fence + satp writes × satp: every instruction costs one cycle, "
    "as under `-icount`. Refill is estimated cycles − instructions, the "
    "cycles the misses, fences and satp writes add. {svinval}{measured}",
    "",
    "**What it leaves out.** Data caches: every PTE read past the PTE cache "
    "costs the same. "
    "Hardware updates of the A and D bits. Speculative and wrong-path "
    "fetches and accesses: only executed instructions are seen. Real cores' "
    "replacement policies (pseudo-LRU, random). Privilege is read from the "
    "hart: S-mode is kernel, U-mode user, so the kernel copying user memory "
    "counts as kernel. And "
    "the rest of a core's timing: cache misses, branch mispredictions, "
    "pipeline stalls. Estimated cycles are not a prediction of run time on "
    "these cores; they show what TLB refills would add to each design's "
    "instruction count.",
    "",
]


# ---------------------------------------------------------------- input

def tlb_paths(results_dir):
    """DIR/tlb/*.csv except summary.csv, sorted."""
    return sorted(p for p in glob.glob(os.path.join(results_dir, "tlb", "*.csv"))
                  if os.path.basename(p) != "summary.csv")


def read_tlb_csv(path):
    """One joined TLB CSV with numeric columns converted. Raises InputError."""
    numeric = [c for c in REQUIRED if c not in STRING_COLUMNS]
    df = read_csv(path, required=REQUIRED, strings=STRING_COLUMNS, nonempty=numeric)
    if (df["iters"] <= 0).any():
        raise InputError("%s line %d: iters must be positive"
                         % (path, int((df["iters"] <= 0).idxmax()) + 2))
    if (df["witness_ok"] != 1).any():
        raise InputError("%s line %d: witness_ok is not 1: the model disagrees with "
                         "the kernel" % (path, int((df["witness_ok"] != 1).idxmax()) + 2))
    return df


def read_samples(paths):
    """All samples of paths in one DataFrame, with per-op columns added."""
    df = pd.concat([read_tlb_csv(p) for p in paths], ignore_index=True)
    if df.empty:
        raise InputError("no samples in %s" % ", ".join(paths))
    for c in TOTALS:
        df[c] = df["tlb_" + c] / df["iters"]
    df["tlb_misses"] = df[MISSES].sum(axis=1)
    df["walks"] = df["tlb_misses"] - df["l2_hits"]
    df["refill_cycles"] = df["est_cycles"] - df["insns"]
    # PTEs read by walks (results from before walks by depth: unknown).
    if all("tlb_walks_%d" % k in df.columns for k in (1, 2, 3)):
        df["walk_levels"] = sum(k * df["tlb_walks_%d" % k] for k in (1, 2, 3)) / df["iters"]
    else:
        df["walk_levels"] = float("nan")
    return df


def read_meta(results_dir, runs):
    """{(design, preset): dict} from DIR/tlb/<design>-<preset>.meta.json."""
    meta = {}
    for config, preset in runs:
        path = os.path.join(results_dir, "tlb", "%s-%s.meta.json" % (config, preset))
        try:
            with open(path, encoding="utf-8") as f:
                meta[(config, preset)] = json.load(f)
        except FileNotFoundError:
            meta[(config, preset)] = {}
        except (OSError, ValueError) as e:
            print("tlb_summary.py: warning: ignoring %s: %s" % (path, e), file=sys.stderr)
            meta[(config, preset)] = {}
    return meta


# ---------------------------------------------------------------- summary

def preset_order(presets):
    """Known presets in PRESETS order, then any others alphabetically."""
    known = [p for p in PRESETS if p in presets]
    return known + sorted(set(presets) - set(known))


def summarize(samples):
    """Medians per config/preset/bench/param of the per-op figures, over
    samples that did not idle, in design, preset, bench and param order."""
    used = samples[samples["idled"] == 0]
    aggs = {"param_unit": ("param_unit", "first"), "n": ("insns", "size")}
    for c in PER_OP:
        aggs[c + "_per_op"] = (c, "median")
    s = used.groupby(GROUP, sort=False).agg(**aggs).reset_index()
    est = s["est_cycles_per_op"]
    s["est_ratio"] = est / s["insns_per_op"].where(s["insns_per_op"] != 0)
    s["refill_share"] = s["refill_cycles_per_op"] / est.where(est != 0)
    ranks = [{v: i for i, v in enumerate(order(s[col].unique()))}
             for col, order in (("config", config_order), ("preset", preset_order),
                                ("bench", bench_order))]
    key = [s["config"].map(ranks[0]), s["preset"].map(ranks[1]),
           s["bench"].map(ranks[2]), s["param"]]
    s = s.assign(_a=key[0], _b=key[1], _c=key[2]).sort_values(
        ["_a", "_b", "_c", "param"], kind="stable")
    return s.drop(columns=["_a", "_b", "_c"]).reset_index(drop=True)


def write_summary(s, path):
    """tlb/summary.csv: 3 decimals for per-op figures, 4 for the ratios."""
    out = pd.DataFrame({c: s[c] for c in ["config", "preset", "bench"]})
    out["param"] = s["param"].map(fmt_param)
    out["param_unit"] = s["param_unit"]
    out["n"] = s["n"].map(lambda v: "%d" % v)
    for c in [c + "_per_op" for c in PER_OP]:
        out[c] = s[c].map(lambda v: "%.3f" % v)
    for c in ("est_ratio", "refill_share"):
        out[c] = s[c].map(lambda v: "" if pd.isna(v) else "%.4f" % v)
    out.to_csv(path, index=False, lineterminator="\n")


class Lookup:
    """Summary values by (design, preset, bench, param)."""

    def __init__(self, s):
        self.s = s
        self.rows = {(r.config, r.preset, r.bench, r.param): r for r in s.itertuples()}
        self.designs = config_order(s["config"].unique())
        self.presets = preset_order(s["preset"].unique())

    def baseline(self, config):
        """The reference design's config with config's axes, if measured."""
        _, a, m = axes_of(config)
        for c in self.designs:
            if axes_of(c) == (REFERENCE_DESIGN, a, m):
                return c
        return None

    def get(self, design, preset, bench, param, col):
        row = self.rows.get((design, preset, bench, param))
        return None if row is None else float(getattr(row, col))

    def param(self, bench, wanted):
        """wanted if measured for bench, the smallest if wanted is None;
        None when that is not measured."""
        params = sorted(self.s.loc[self.s["bench"] == bench, "param"].unique())
        if not params:
            return None
        if wanted is None:
            return params[0]
        return wanted if wanted in params else None

    def shown(self):
        """[(bench, param, label)] of SHOWN that were measured."""
        out = []
        for bench, wanted in SHOWN:
            p = self.param(bench, wanted)
            if p is not None:
                out.append((bench, p, bench if wanted is None else
                            "%s %s" % (bench, fmt_param(p))))
        return out


# ---------------------------------------------------------------- report

def fmt_pct(x):
    return "%.1f%%" % (100 * x)


def tlb_shape(entries, ways):
    """'32, fully associative', '512, direct mapped', '512, 4-way', 'none'."""
    if entries is None:
        return "–"  # not recorded
    if entries == "0":
        return "none"
    if ways in (None, entries):
        return "%s, fully associative" % entries
    return "%s, %s" % (entries, "direct mapped" if ways == "1" else ways + "-way")


def presets_table(look, meta):
    """The presets as the runs recorded them (first run of each preset)."""
    rows = []
    for p in look.presets:
        t = next((meta[(d, p)].get("tlbsim") for d in look.designs
                  if meta.get((d, p), {}).get("tlbsim")), None) or {}
        rows.append([p, PRESETS.get(p, "–"), tlb_shape(t.get("itlb"), t.get("iways")),
                     tlb_shape(t.get("dtlb"), t.get("dways")),
                     tlb_shape(t.get("l2"), t.get("l2ways")),
                     t.get("walk", "–"), t.get("l2hit", "–"),
                     "%s × %s" % (t["ptc"], t.get("ptc_hit", "–")) if t.get("ptc", "0") != "0"
                     else "none", fence_costs(t), t.get("satp", "0")])
    return md_table(["preset", "approximates", "L1 I-TLB", "L1 D-TLB", "L2 TLB",
                     "walk (cycles)", "L2 hit (cycles)", "PTE cache (entries × cycles)",
                     "fence (cycles)", "satp (cycles)"], rows, "lllllrrrrr")


FENCE_FORMS = ("all", "addr", "asid", "addr_asid")


def fence_costs(t):
    """A run's sfence.vma costs as recorded: one figure when every form
    costs the same, else all/addr/asid/addr_asid; 0 for an older plugin."""
    vals = [t.get("fence_" + f, "0") for f in FENCE_FORMS]
    return vals[0] if len(set(vals)) == 1 else "/".join(vals)


def costs_sentence(look, meta):
    """The walk and L2-hit costs the runs used, from their meta."""
    walks = sorted({m["tlbsim"].get("walk") for m in meta.values() if m.get("tlbsim")})
    hits = sorted({m["tlbsim"].get("l2hit") for m in meta.values() if m.get("tlbsim")})
    missing = [(d, p) for d in look.designs for p in look.presets
               if (d, p) in meta and not meta[(d, p)].get("tlbsim")]
    if not walks:
        return ["The runs' plugin settings were not recorded (no meta.json): the "
                "costs used are unknown here; the plugin's defaults are in "
                "tools/tlbsim/README.md.", ""]
    fences = sorted({fence_costs(m["tlbsim"]) for m in meta.values() if m.get("tlbsim")})
    satps = sorted({m["tlbsim"].get("satp", "0") for m in meta.values() if m.get("tlbsim")})
    text = ("Costs in these runs: walk = %s cycles, l2hit = %s cycles, sfence.vma = %s "
            "cycles, satp write = %s cycles (the table above, per preset). tools/bench.sh "
            "passes only the preset, so these are the presets' own costs; "
            "`-plugin build/tlbsim/tlbsim.so,preset=P,walk=N,fence=N,satp=N` changes them, "
            "and the cost sweep re-prices the same counts without a re-run."
            % (" and ".join(walks), " and ".join(hits), " and ".join(fences),
               " and ".join(satps)))
    if missing:
        text += " Not recorded for %s." % ", ".join("%s-%s" % m for m in missing)
    return [text, ""]


def runs_lines(look, meta, samples, results_dir):
    """Which runs, at which commit, and how many samples were used."""
    used = int((samples["idled"] == 0).sum())
    commits = sorted({str(m.get("commit")) for m in meta.values() if m.get("commit")})
    quick = sorted("%s-%s" % k for k, m in meta.items() if m.get("quick"))
    text = ("Runs: designs %s; presets %s; %s; %d samples used; idled samples left "
            "out: %d. In every sample the model's instructions, satp writes and "
            "sfence.vma equal instret and the kernel's counters (tools/collect.py "
            "writes no CSV otherwise)."
            % (join_words(look.designs) if len(look.designs) <= 5
               else "%d configs (the table below names them)" % len(look.designs),
               join_words(look.presets),
               "commit " + ", ".join(commits) if commits else "commit not recorded",
               used, len(samples) - used))
    if quick:
        text += " Quick runs (fewer samples; check, not reference): %s." % ", ".join(quick)
    plain = plain_commits(results_dir, look.designs)
    if plain and commits and plain != commits:
        text += (" The plain results above are from commit %s: their instruction "
                 "counts may differ from these." % ", ".join(plain))
    return [text, ""]


def plain_commits(results_dir, designs):
    """Sorted commits recorded in DIR/<design>.meta.json for designs."""
    commits = set()
    for d in designs:
        try:
            with open(os.path.join(results_dir, d + ".meta.json"), encoding="utf-8") as f:
                commits.add(str(json.load(f).get("commit")))
        except (OSError, ValueError):
            continue
    return sorted(commits)


def per_op_tables(look):
    """One table per shown operation: a row per design and preset."""
    lines = ["### Per operation", "",
             "Medians per operation over the samples. Misses are L1 TLB misses, "
             "user or kernel by the instruction's address; est./instr. is estimated "
             "cycles over instructions; refill is the share of estimated cycles "
             "that TLB misses, fences and satp writes add.", ""]
    head = ["design", "preset", "instructions", "I-TLB user", "I-TLB kernel",
            "D-TLB user", "D-TLB kernel", "L2 hits", "est. cycles", "est./instr.",
            "refill"]
    for bench, p, label in look.shown():
        rows = []
        for d in look.designs:
            for pr in look.presets:
                if (d, pr, bench, p) not in look.rows:
                    continue
                g = lambda c: look.get(d, pr, bench, p, c)  # noqa: E731
                rows.append([d, pr] + [fmt_num(g(c + "_per_op")) for c in
                                       ["insns"] + MISSES + ["l2_hits", "est_cycles"]]
                            + ["%.2f" % g("est_ratio"), fmt_pct(g("refill_share"))])
        lines += ["#### %s" % label, ""] + md_table(head, rows, "ll" + "r" * 9) + [""]
    return lines


# ---------------------------------------------------------------- findings

def by_preset(bodies):
    """'On u54 and rocket, X. On c906, Y.' from [(preset, X)]: presets whose
    sentence is the same share it."""
    groups = {}
    for p, body in bodies:
        groups.setdefault(body, []).append(p)
    return ["On %s, %s" % (join_words(ps), body) for body, ps in groups.items()]


def refill_finding(look, bench, p, label):
    """'On rocket, TLB refill is 57.7% of getpid's estimated cost in global
    (16 misses after 2 sfence.vma per operation: 320 of 555 cycles), ...'."""
    bodies = []
    for pr in look.presets:
        parts = []
        for d in look.designs:
            g = lambda c: look.get(d, pr, bench, p, c)  # noqa: E731
            if g("refill_share") is None or pd.isna(g("refill_share")):
                continue
            where = "of %s's estimated cost in %s" % (label, d) if not parts else "in " + d
            parts.append("%s %s (%s misses after %s sfence.vma per operation: %s of "
                         "%s cycles)" % (fmt_pct(g("refill_share")), where,
                                         fmt_short(g("tlb_misses_per_op")),
                                         fmt_short(g("sfences_per_op")),
                                         fmt_num(g("refill_cycles_per_op")),
                                         fmt_num(g("est_cycles_per_op"))))
        if parts:
            bodies.append((pr, "TLB refill is %s." % join_words(parts)))
    return by_preset(bodies)


def flush_finding(look, bench, p, label):
    """What each config's extra sfence.vma over the reference come with."""
    bodies = []
    for pr in look.presets:
        parts = []
        for d in look.designs:
            ref = look.baseline(d)
            base = lambda c: look.get(ref, pr, bench, p, c)  # noqa: E731
            g = lambda c: look.get(d, pr, bench, p, c)  # noqa: E731
            if ref is None or d == ref or g("sfences_per_op") is None \
                    or base("sfences_per_op") is None:
                continue
            extra = g("sfences_per_op") - base("sfences_per_op")
            if extra == 0:
                continue
            parts.append("%s's %s %s sfence.vma per %s operation than %s come "
                         "with %s TLB misses: %s refill cycles, against %s instructions"
                         % (d, fmt_short(abs(extra)), "more" if extra > 0 else "fewer",
                            label, ref,
                            fmt_signed(g("tlb_misses_per_op") - base("tlb_misses_per_op")),
                            fmt_signed(g("refill_cycles_per_op")
                                       - base("refill_cycles_per_op")),
                            fmt_signed(g("insns_per_op") - base("insns_per_op"))))
        if parts:
            bodies.append((pr, "; ".join(parts) + "."))
    return by_preset(bodies)


def fmt_short(x):
    """A per-op count in a sentence: one decimal at most."""
    return fmt_num(round(x, 1))


def fmt_signed(x):
    """'+560', '-122', '+0.5'."""
    x = round(x, 1)
    return ("-" if x < 0 else "+") + fmt_num(abs(x))


def fmt_change(value, base):
    """Signed change of value against base, '+12.5%'; no '-0.0%'."""
    x = round(100 * (value / base - 1), 1)
    return "%+.1f%%" % (x if x != 0 else 0.0)


def gap_finding(look, bench, p, label):
    """Each config against the reference in instructions and estimated cycles."""
    bodies = []
    for pr in look.presets:
        parts = []
        for d in look.designs:
            ref = look.baseline(d)
            base_i = look.get(ref, pr, bench, p, "insns_per_op") if ref else None
            base_e = look.get(ref, pr, bench, p, "est_cycles_per_op") if ref else None
            i = look.get(d, pr, bench, p, "insns_per_op")
            e = look.get(d, pr, bench, p, "est_cycles_per_op")
            if d != ref and i is not None and base_i and base_e and \
                    (fmt_change(i, base_i), fmt_change(e, base_e)) != ("+0.0%", "+0.0%"):
                parts.append("%s %s in instructions and %s in estimated cycles"
                             % (d, fmt_change(i, base_i), fmt_change(e, base_e)))
        if parts:
            bodies.append((pr, "%s against %s: %s." % (label, look.baseline(look.designs[0])
                                                      or REFERENCE_DESIGN, "; ".join(parts))))
    return by_preset(bodies)


def l2_finding(look, meta):
    """Per preset with an L2: the share of L1 misses it serves, all designs."""
    out = []
    for pr in look.presets:
        has_l2 = any(m.get("tlbsim", {}).get("l2", "0") != "0"
                     for (d, p), m in meta.items() if p == pr)
        parts = []
        for bench, p, label in look.shown():
            rows = look.s[(look.s["preset"] == pr) & (look.s["bench"] == bench)
                          & (look.s["param"] == p)]
            misses = rows["tlb_misses_per_op"].sum()
            hits = rows["l2_hits_per_op"].sum()
            has_l2 = has_l2 or hits > 0
            if misses > 0:
                parts.append("%s of %s's" % (fmt_pct(hits / misses), label))
        if has_l2 and parts:
            out.append("On %s, the L2 TLB serves %s L1 TLB misses (all designs "
                       "together): every flush empties it too." % (pr, join_words(parts)))
    return out


def findings(look, meta):
    shown = {b: (p, label) for b, p, label in look.shown()}
    out = []
    for bench in ("getpid", "pingpong"):
        if bench in shown:
            out += refill_finding(look, bench, *shown[bench])
    if "pingpong" in shown:
        out += flush_finding(look, "pingpong", *shown["pingpong"])
    for bench, p, label in look.shown():
        out += gap_finding(look, bench, p, label)
    out += l2_finding(look, meta)
    lines = ["### Findings", ""]
    if not out:
        return lines + ["The TLB data hold no comparison to report.", ""]
    return lines + ["- " + f for f in out] + [""] + sensitivity_lines(look, meta)


def est_at(look, meta, d, pr, bench, p, factor):
    """Estimated cycles per op of (d, pr, bench, p) with the walk cost of its
    run times factor; None when the walks or the run's cost are unknown."""
    est = look.get(d, pr, bench, p, "est_cycles_per_op")
    levels = look.get(d, pr, bench, p, "walk_levels_per_op")
    walk = meta.get((d, pr), {}).get("tlbsim", {}).get("walk")
    if est is None or levels is None or pd.isna(levels) or walk is None:
        return None
    return est + (factor - 1) * levels * float(walk)


def sensitivity_lines(look, meta):
    """### Walk cost: each design against the reference in estimated cycles
    for every shown operation and preset, with the walk cost halved, as
    run, and doubled (re-priced from the walks by depth, no new run)."""
    rows = []
    for bench, p, label in look.shown():
        for pr in look.presets:
            for d in look.designs:
                ref = look.baseline(d)
                if ref is None or d == ref:
                    continue
                cells = []
                for f in WALK_FACTORS:
                    e, b = (est_at(look, meta, x, pr, bench, p, f) for x in (d, ref))
                    cells.append(fmt_change(e, b) if e is not None and b else None)
                if any(c is None for c in cells):
                    continue
                flips = len({c.startswith("-") for c in cells}) > 1
                rows.append([label, pr, "%s vs %s" % (d, ref)] + cells +
                            ["yes" if flips else "no"])
    if not rows:
        return []
    head = ["operation", "preset", "design"] + \
        ["walk x%s" % fmt_num(f) for f in WALK_FACTORS] + ["sign changes"]
    return (["### Walk cost", "",
             "Each design against the reference in estimated cycles, with every "
             "walk level priced at half, the run's, and twice its cost (re-priced "
             "from the walks by depth). A conclusion holds over that range where "
             "its sign does not change.", ""] +
            md_table(head, rows, "lll" + "r" * len(WALK_FACTORS) + "l") + [""])


def section(look, meta, samples, drawn, results_dir):
    text = [t.replace("{svinval}", svinval_sentence(samples, meta))
            .replace("{measured}", measured_sentence(meta)) for t in MODEL_TEXT]
    lines = [SECTION, ""] + text + presets_table(look, meta) + [""]
    lines += costs_sentence(look, meta) + runs_lines(look, meta, samples, results_dir)
    lines += per_op_tables(look) + findings(look, meta)
    if drawn:
        lines += ["Figure: [tlb](plots/tlb.svg): estimated cycles (one bar per "
                  "preset) beside instructions per operation for each operation "
                  "and design, on a log scale; below, estimated cycles over "
                  "instructions.", ""]
    return lines


# Svinval's counts in the joined CSVs (tools/collect.py): absent from the
# results of a plugin from before Svinval, and 0 where no run used it.
SVINVAL_COLUMNS = ["tlb_sinvals", "tlb_inval_fences"]


def svinval_sentence(samples, meta):
    """How these runs priced Svinval's instructions, with a space after it;
    "" when no sample executed any (the text is then as before Svinval)."""
    if not any(c in samples.columns and samples[c].sum() > 0 for c in SVINVAL_COLUMNS):
        return ""
    costs = {k: sorted({m["tlbsim"].get(k, "0") for m in meta.values() if m.get("tlbsim")})
             for k in ("sinval", "inval_fence")}
    said = lambda k: " and ".join(costs[k]) or "unrecorded"  # noqa: E731
    return ("These runs invalidated with Svinval too: each `sinval.vma` costs `sinval` "
            "cycles (%s here) and each `sfence.w.inval` or `sfence.inval.ir` "
            "`inval_fence` cycles (%s), beyond their one instruction, also assumptions, "
            "counted in estimated cycles and refill; a `sinval.vma` invalidates what the "
            "`sfence.vma` of the same operands does, but the sfence.vma figures below do "
            "not count it. " % (said("sinval"), said("inval_fence")))


def measured_sentence(meta):
    """What these runs measured, from their own meta files."""
    asked = set()
    for m in meta.values():
        b = m.get("benchmarks", "all")
        asked.update(b if isinstance(b, list) else [str(b)])
    if not asked or asked == {"all"}:
        return "These runs measured every benchmark."
    return "These runs measured %s." % join_words(sorted(asked))


def section_lines(results_dir):
    """The report's "## TLB model" section as lines, computed from
    DIR/tlb/*.csv; None when there is none. Raises InputError."""
    paths = tlb_paths(results_dir)
    if not paths:
        return None
    samples = read_samples(paths)
    s = summarize(samples)
    look = Lookup(s)
    meta = read_meta(results_dir, sorted(set(zip(s["config"], s["preset"]))))
    drawn = os.path.exists(os.path.join(results_dir, "plots", "data", "tlb.dat"))
    return section(look, meta, samples, drawn, results_dir)


# ---------------------------------------------------------------- plot data

def plot_blocks(look):
    """tlb.dat: block 0, instructions and estimated cycles per preset; block
    1, estimated cycles over instructions per preset; a row per operation
    and design. None when no shown operation was measured."""
    values, ratios = [], []
    for bench, p, label in look.shown():
        for d in look.designs:
            rows = look.s[(look.s["config"] == d) & (look.s["bench"] == bench)
                          & (look.s["param"] == p)]
            if rows.empty:
                continue
            name = '"%s/%s"' % (label.replace(" ", "_"), d)
            est = [look.get(d, pr, bench, p, "est_cycles_per_op") for pr in look.presets]
            values.append((name, [rows["insns_per_op"].median()] + est))
            ratios.append((name, [look.get(d, pr, bench, p, "est_ratio")
                                  for pr in look.presets]))
    if not values:
        return None
    return [(["operation", "instructions"] + look.presets, values),
            (["operation"] + look.presets, ratios)]


def write_plot_data(blocks, path):
    """A gnuplot table: each block a header line then its rows (labels
    quoted), blocks separated by two blank lines (gnuplot 'index')."""
    texts = []
    for header, rows in blocks:
        lines = [" ".join(header)]
        lines += [" ".join([label] + [fmt_cell(c) for c in cells]) for label, cells in rows]
        texts.append("\n".join(lines) + "\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n\n".join(texts))


# ---------------------------------------------------------------- main

def remove_outputs(results_dir):
    for path in (os.path.join(results_dir, "tlb", "summary.csv"),
                 os.path.join(results_dir, "plots", "data", "tlb.dat")):
        if os.path.exists(path):
            os.remove(path)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Summarize the TLB model's results: "
                                 "tlb/summary.csv and plot data.")
    ap.add_argument("--results", default="results/latest",
                    help="directory holding tlb/<config>-<preset>.csv "
                         "(default: results/latest)")
    args = ap.parse_args(argv)
    paths = tlb_paths(args.results)
    try:
        if not paths:
            remove_outputs(args.results)
            print("tlb_summary.py: no %s/tlb/*.csv: no TLB summary" % args.results)
            return 0
        samples = read_samples(paths)
        s = summarize(samples)
        look = Lookup(s)
        write_summary(s, os.path.join(args.results, "tlb", "summary.csv"))
        blocks = plot_blocks(look)
        dat = os.path.join(args.results, "plots", "data", "tlb.dat")
        os.makedirs(os.path.dirname(dat), exist_ok=True)
        if blocks:
            write_plot_data(blocks, dat)
        elif os.path.exists(dat):
            os.remove(dat)
    except InputError as e:
        print("tlb_summary.py: error: %s" % e, file=sys.stderr)
        return 1
    print("tlb_summary.py: %d samples, %d rows -> %s/tlb/summary.csv, plots/data/tlb.dat"
          % (len(samples), len(s), args.results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
