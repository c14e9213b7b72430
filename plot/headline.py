"""plot/headline.py: the report's summary: a headline table and the findings
chosen by effect size (a module; report.py and tables.py use it).

The headline points are the registry's (plot/benches.py, "headline"). A
finding contrasts a design with the reference design at the same axes, or
one axis on against off in the same design; the configs that share a
contrast are said once, with the range of their ratios. Findings are ranked
by the largest |log ratio| and at most MAX_FINDINGS are kept; a contrast
whose every ratio rounds to 0.0 % is not a finding. A caller may add
candidates of its own, ranked with them by the same measure (the
shootdown runs' one, plot/shoot.py).

Reads and writes nothing (works on a ptresults.Table).
"""
import math

from benches import RECORDS, record, unit_of
from ptresults import REFERENCE_DESIGN, fmt_num, fmt_size, join_words, trait_phrase

MAX_FINDINGS = 10
AXIS_WORDS = {"asid": "ASIDs", "megapages": "kernel megapages"}


def headline_points(table):
    """[(bench, param, label)] for the registry's headline benchmarks that
    the table holds, in registry order."""
    out = []
    for r in RECORDS:
        want = r.get("headline")
        if want is None or not table.params(r["name"]):
            continue
        p = table.smallest(r["name"]) if want == "smallest" else want
        if p not in table.params(r["name"]):
            continue
        short = r["short"]
        label = short % fmt_size(p, table.unit(r["name"])) if "%s" in short else short
        out.append((r["name"], p, label))
    return out


def headline_rows(table, points):
    """One row per config: its name, then a cell per headline point."""
    rows = []
    for c in table.order:
        cells = []
        for bench, p, _ in points:
            col = "ptpages_total_median" if unit_of(bench) == "pages" else None
            v = table.get(c, bench, p, col) if col else table.get(c, bench, p)
            cells.append(fmt_num(v))
        rows.append([c] + cells)
    return rows


def headline_header(table, points):
    return ["config"] + ["%s (%s)" % (label, unit_of(b)) for b, _, label in points]


# ---------------------------------------------------------------- findings

def design_contrasts(table, bench, p, label):
    """A candidate per design other than the reference: its configs' values
    against the reference design's at the same axes, with the trait that
    explains the difference."""
    cf = table.configs
    out = []
    for d in cf.designs:
        if d == REFERENCE_DESIGN:
            continue
        pairs = []
        for c in table.order:
            base = cf.baseline(c)
            if cf.design(c) != d or base is None:
                continue
            pairs.append((c, value(table, c, bench, p), value(table, base, bench, p)))
        why = reason(table, d, bench, pairs)
        cand = candidate(pairs, bench, "%s in %s" % (label, d),
                         "%s at the same axes" % REFERENCE_DESIGN, why)
        if cand:
            out.append(cand)
    return out


def reason(table, design, bench, pairs):
    """The first of the benchmark's traits on which design differs from the
    reference, in words, or ''."""
    if not pairs:
        return ""
    cf = table.configs
    mine, ref = cf.traits(pairs[0][0]), cf.traits(cf.baseline(pairs[0][0]))
    for key in record(bench).get("traits", []):
        if key not in ("asid", "megapages") and mine.get(key) != ref.get(key):
            return trait_phrase(key, mine.get(key))
    return ""


def axis_contrasts(table, bench, p, label):
    """A candidate per axis: each config with the axis on against the same
    design's config with it off (other axis equal); pairs that do not change
    are left out and said as such."""
    cf = table.configs
    by_axes = {cf.axes[c]: c for c in table.order}
    out = []
    for i, axis in enumerate(("asid", "megapages")):
        pairs, same = [], set()
        for c in table.order:
            d, a, m = cf.axes[c]
            if not (a, m)[i]:
                continue
            off = by_axes.get((d, 0, m) if i == 0 else (d, a, 0))
            if off is None:
                continue
            v, b = value(table, c, bench, p), value(table, off, bench, p)
            if v is not None and b and round(100 * (v / b - 1), 1) != 0:
                pairs.append((c, v, b))
            else:
                same.add(d)
        designs = sorted({cf.design(c) for c, _, _ in pairs})
        who = join_words(designs) if len(designs) <= 5 else "%d designs" % len(designs)
        why = ("no change in %s" % (join_words(sorted(same)) if len(same) <= 5
                                     else "%d designs" % len(same))) if same - set(designs) else ""
        cand = candidate(pairs, bench, "%s with %s in %s" % (label, AXIS_WORDS[axis], who),
                         "the same config without", why)
        if cand:
            out.append(cand)
    return out


def value(table, config, bench, p):
    col = "ptpages_total_median" if unit_of(bench) == "pages" else None
    return table.get(config, bench, p, col) if col else table.get(config, bench, p)


def candidate(pairs, bench, subject, against, why=""):
    """A finding from [(config, value, base)]: (effect, sentence), or None
    when no pair changes by 0.05 % or more."""
    pairs = [(c, v, b) for c, v, b in pairs if v is not None and b and v > 0]
    if not pairs or all(round(100 * (v / b - 1), 1) == 0 for _, v, b in pairs):
        return None
    ratios = [v / b for _, v, b in pairs]
    effect = max(abs(math.log(r)) for r in ratios)
    unit = unit_of(bench)
    vs, bs = [v for _, v, _ in pairs], [b for _, _, b in pairs]
    text = "%s: %s %s against %s %s in %s (%s%s)" % (
        subject, fmt_span(vs), unit, fmt_span(bs), unit, against,
        fmt_change(min(ratios), max(ratios)),
        "" if len(pairs) == 1 else ", %d configs" % len(pairs))
    return effect, text + ("; %s." % why if why else ".")


def fmt_span(values):
    lo, hi = fmt_num(min(values)), fmt_num(max(values))
    return lo if lo == hi else "%s–%s" % (lo, hi)


def fmt_change(lo, hi):
    """×1.23 when a ratio is 1.5 or more (or 0.5 or less), else +1.2 %."""
    big = max(hi, 1 / lo) >= 1.5
    f = (lambda r: "×%.2f" % r) if big else (lambda r: "%+.1f %%" % (100 * (r - 1)))
    return f(lo) if f(lo) == f(hi) else "%s to %s" % (f(lo), f(hi))


def findings(table, limit=MAX_FINDINGS, extra=()):
    """At most limit finding sentences, largest effect first. table may be
    None (no 1-hart run); extra: more (effect, sentence) candidates."""
    cands = [c for c in extra if c]
    for bench, p, label in headline_points(table) if table is not None else []:
        cands += design_contrasts(table, bench, p, label)
        cands += axis_contrasts(table, bench, p, label)
    cands.sort(key=lambda c: -c[0])
    return [text[0].upper() + text[1:] for _, text in cands[:limit]]


def summary_lines(table, tlb_rows=None, extra=()):
    """The report's summary section as markdown lines. tlb_rows: optional
    (header, rows) of the TLB model's estimated cycles for the headline;
    extra: more finding candidates (findings()). table None: no 1-hart
    run, the findings of extra alone."""
    lines = ["## Summary", ""]
    if table is None:
        found = findings(None, extra=extra)
        lines += ["No 1-hart benchmark ran: no headline table. The shootdown runs' finding:",
                  "", "### Findings", ""]
        if not found:
            return lines + ["No shootdown finding: no run sent IPIs under both targeting "
                            "policies compared.", ""]
        return lines + ["- " + f for f in found] + [""]
    points = headline_points(table)
    if not points:
        return lines + ["No headline benchmark was measured in this run.", ""]
    lines += ["Median per operation (page-table pages: user + per-process kernel, for "
              "the smallest process). One row per config: a design with ASIDs "
              "(-asid) and kernel megapages (-mega) on or off.", ""]
    header = headline_header(table, points)
    lines += md(header, headline_rows(table, points))
    if tlb_rows:
        lines += [""] + tlb_rows
    found = findings(table, extra=extra)
    lines += ["", "### Findings", ""]
    if not found:
        return lines + ["No headline operation differs between the configs of this run.", ""]
    lines += ["Largest differences first; ratios against the same axes, over every "
              "config that shares the contrast.", ""]
    return lines + ["- " + f for f in found] + [""]


def md(header, rows):
    lines = ["| " + " | ".join(header) + " |",
             "|---|" + "|".join("---:" for _ in header[1:]) + "|"]
    return lines + ["| " + " | ".join(r) + " |" for r in rows]


def tlb_lines(results_dir, table):
    """The TLB model's estimated cycles at the headline points this run
    measured under the model (DIR/tlb/), as a table with one row per config
    and the range over the presets in each cell; [] without TLB runs."""
    import tlb_summary  # only when there may be TLB runs
    paths = tlb_summary.tlb_paths(results_dir)
    if not paths:
        return []
    s = tlb_summary.summarize(tlb_summary.read_samples(paths))
    points = [(b, label) for b, _, label in headline_points(table)]
    points += [(r["name"], r["short"]) for r in RECORDS if r.get("headline") and
               r["name"] not in {b for b, _ in points} and "%s" not in r["short"]]
    cols = []
    for bench, label in points:
        sub = s[s["bench"] == bench]
        if len(sub):
            p = sub["param"].min() if record(bench).get("headline") == "smallest" \
                else record(bench).get("headline")
            if (sub["param"] == p).any():
                cols.append((bench, p, label))
    if not cols:
        return []
    presets = tlb_summary.preset_order(s["preset"].unique())
    rows = []
    for c in tlb_summary.config_order(s["config"].unique()):
        cells = []
        for bench, p, _ in cols:
            v = s[(s["config"] == c) & (s["bench"] == bench) & (s["param"] == p)]
            est = v["est_cycles_per_op"]
            cells.append("–" if est.empty else fmt_span(list(est)))
        rows.append([c] + cells)
    return ["TLB model (section \"TLB model\" below): estimated cycles per operation, "
            "lowest–highest over the presets %s, for the operations this run measured "
            "under the model." % join_words(presets), ""] + \
        md(["config"] + ["%s (est. cycles)" % label for _, _, label in cols], rows) + [""]
