"""plot/anchors.py: the ptbench column of docs/anchors.md, computed from a
result set (a module; report.py writes it into report.md).

docs/anchors.md holds published measurements of real RISC-V cores with
their sources; this module gives, beside each, the nearest figure ptbench
estimates from the TLB runs of DIR, at the runs' recorded costs and over
the cost sweep (plot/reprice.py). It is a plausibility check only: the
workloads differ, and the row says how. Beside the published shootdown
policies and results (SHOOT_ANCHORS, docs/anchors.md "Shootdowns") it
gives the nearest counts of the shootdown runs (plot/shoot.py): counts
only, since those runs measure no time.

Reads:  DIR/tlb/*.csv and meta (through reprice.Priced); the shootdown
        runs as plot/shoot.py loaded them.
Writes: nothing (lines() and shoot_lines() return the report's sections).
"""
import itertools

from benches import COST_SWEEP
from ptresults import InputError, fmt_num, fmt_param, md_table
import reprice
import shoot

SECTION = "## Plausibility against published measurements"


def est(priced, config, preset, bench):
    """(median est. cycles per op at the run's costs, lowest, highest over
    the sweep) of the smallest param of bench, or None when not measured."""
    p = priced.param(bench, None)
    key = (config, preset, bench, p)
    if p is None or key not in priced.keys:
        return None
    at_run = priced.per_op(priced.base)[key]
    axes = reprice.sweep_axes()
    sweep = [priced.at(f, s, w)[key] for f, s, w in
             itertools.product(*(axes[a][0] for a in ("fence", "satp", "walk")))]
    return at_run, min(sweep), max(sweep)


def fmt_est(e, what):
    if e is None:
        return "not in this run (%s)" % what
    return "%s: %s cycles at the run's costs, %s–%s over the cost sweep" % (
        what, fmt_num(round(e[0])), fmt_num(round(e[1])), fmt_num(round(e[2])))


def run_cost(priced, preset, key):
    """A preset's recorded plugin setting (walk, l2, ...), or None."""
    for (c, p), m in priced.meta.items():
        if p == preset and m.get("tlbsim", {}).get(key) is not None:
            return m["tlbsim"][key]
    return None


def rocket_walker(priced, walk):
    """The rocket preset's walk costs as its run recorded them."""
    if walk is None:
        return "rocket preset: not in this run"
    ptc, hit = run_cost(priced, "rocket", "ptc"), run_cost(priced, "rocket", "ptc_hit")
    if ptc in (None, "0", 0):
        return "rocket preset: %s cycles per PTE read, no PTE cache in this run" % walk
    return ("rocket preset: %s cycles per PTE read; a %s-entry PTE cache, %s cycle(s) per "
            "table PTE found there" % (walk, ptc, hit))


def rows(priced):
    sweep = {axis: vals for axis, vals, _, _ in COST_SWEEP}
    fences = "%s–%s" % (fmt_num(min(sweep["fence"])), fmt_num(max(sweep["fence"])))
    walks = "/".join(fmt_num(v) for v in sweep["walk"])
    c906_walk, rocket_walk = run_cost(priced, "c906", "walk"), run_cost(priced, "rocket",
                                                                         "walk")
    mega = [est(priced, c, "u54", "getpid") for c in ("global", "global-mega")]
    return [
        ["sfence.vma by address, X60", "no X60 preset; the fence sweep spans %s cycles per "
         "sfence.vma (one fence per operation, not a loop over 64 entries)" % fences],
        ["seL4 IPC call, U54", fmt_est(est(priced, "perproc", "u54", "getpid"),
                                       "perproc getpid on u54 (a null system call with "
                                       "its satp writes and fences, not an IPC between "
                                       "two address spaces)")],
        ["seL4 IPC, Rocket / BOOM", fmt_est(est(priced, "perproc", "rocket", "getpid"),
                                            "perproc getpid on rocket")],
        ["UnixBench syscall, D1 (C906)", fmt_est(est(priced, "global", "c906", "getpid"),
                                                 "global getpid on c906 (getpid, not "
                                                 "Linux's syscall mix)")],
        ["random reads, 4 KiB vs 2 MiB pages, SG2042",
         "global-mega against global, getpid on u54 (kernel megapages, not user "
         "pages): %s" % ("not in this run" if None in mega else
                         "%+d cycles per operation at the run's costs"
                         % round(mega[1][0] - mega[0][0]))],
        ["page-table read missing L1, D1", "c906 preset: %s cycles per PTE read; the walk "
         "sweep: %s" % (c906_walk or "not in this run", walks)],
        ["Rocket's page-table walker", rocket_walker(priced, rocket_walk)],
        ["remote fences via SBI, U54", "none: ptbench's TLB runs do not price remote "
         "fences or IPIs"],
    ]


def lines(results_dir):
    """The report's plausibility section; [] without re-priceable TLB data."""
    try:
        priced = reprice.Priced(results_dir)
    except InputError:
        return []
    return [SECTION, "",
            "A plausibility check, not a validation: beside each published measurement "
            "of a real core listed, with its source, in docs/anchors.md, the nearest "
            "figure this run's TLB model estimates. The workloads differ as each row "
            "says, and estimated cycles leave out caches and pipelines.", ""] + \
        md_table(["published measurement", "nearest ptbench estimate"],
                 rows(priced), "ll") + [""]


# ---------------------------------------------------------------- shootdowns

# Published shootdown policies and results, as issue 22 gives them (the
# sources by name and venue; docs/anchors.md, "Shootdowns"): (key, what
# was published, source). shoot_rows() gives ptbench's nearest counts.
SHOOT_ANCHORS = [
    ("linux", "Linux RISC-V flush_tlb_range: sfence.vma page by page up to 64 pages, one "
     "whole-ASID fence above; the harts of mm_cpumask; IPIs sent directly since Linux 6.10 "
     "(an SBI remote-fence call before)", "Linux, arch/riscv/mm/tlbflush.c"),
    ("opensbi", "OpenSBI turns a remote fence of any range over one page into a full flush",
     "OpenSBI, tlb_range_flush_limit"),
    ("x86", "x86 flushes at most 33 pages one by one, everything above; each single-page "
     "flush \"about 100 ns\"", "Linux, arch/x86/mm/tlb.c"),
    ("latr", "lazy translation coherence: munmap latency −70.8 %", "LATR, ASPLOS 2018"),
    ("amit", "page access tracking: up to 98 % fewer TLB invalidations",
     "Amit, \"Optimizing the TLB shootdown algorithm with page access tracking\", USENIX "
     "ATC 2017"),
    ("cpumask", "clearing mm_cpumask in Linux RISC-V: about 98,000 IPIs to 268 in one LTP "
     "test", "a 2025 Linux RISC-V patch"),
    ("sbi", "HiFive Unleashed (U54): the SBI remote fence beat Linux's IPI path by 5 % over "
     "about 1 M flushes", "OpenSBI pull request 111"),
]


def asid_first(runs):
    """The configs with ASIDs (where a mask is never cleared), else all."""
    with_asid = [c for c in runs.order if runs.traits(c).get("asid") == "1"]
    return with_asid or list(runs.order)


def most_harts(runs, configs):
    return max(runs.harts[c][-1] for c in configs)


def fences_at(runs, family, p, configs, h):
    """'P + W' page and whole fences per shrink of family at N = p, h harts,
    lowest–highest over configs; None when not measured."""
    pairs = [shoot.fence_pair(runs, c, h, family, p) for c in configs]
    pairs = [x for x in pairs if x is not None]
    if not pairs:
        return None
    return "%s + %s" % (shoot.span(x[0] for x in pairs), shoot.span(x[1] for x in pairs))


def change(runs, new, old, col, configs, h, p):
    """new against old in col (per shrink), as signed percentages over the
    configs where old counted any; None when none did."""
    pcts = [shoot.pct(runs.get(c, h, new, p, col), runs.get(c, h, old, p, col))
            for c in configs if h in runs.harts[c]]
    pcts = sorted(round(x) for x in pcts if x is not None)
    if not pcts:
        return None
    lo, hi = [("%+d %%" % x).replace("-", "−") for x in (pcts[0], pcts[-1])]
    return lo if lo == hi else "%s to %s" % (lo, hi)


def family(runs, knob, test):
    return shoot.pick(runs.present(shoot.family_group(knob)), knob, test)


def threshold_text(runs, f, configs, h):
    """A threshold family's fences at N = its threshold and at the next N
    measured above it."""
    t = shoot.POLICY[f]["threshold"]
    ps = runs.params(f)
    parts = []
    for p in [x for x in ps if x == t][:1] + [x for x in ps if x > t][:1]:
        text = fences_at(runs, f, p, configs, h)
        if text:
            parts.append("N = %s: %s" % (fmt_param(p), text))
    if not parts:
        return None
    return "%s (T = %d) at %d harts, page + whole fences per shrink: %s" % (
        f, t, h, "; ".join(parts))


def shoot_rows(runs):
    """[published, source, nearest ptbench count] of SHOOT_ANCHORS."""
    p = runs.point()
    cs = asid_first(runs)
    h = most_harts(runs, cs)
    by_target = {t: family(runs, "target", lambda v, t=t: v == t) for t in ("all", "mask", "lazy")}
    base = shoot.SHOOT_BASE if shoot.SHOOT_BASE in runs.benches else None
    t1 = family(runs, "threshold", lambda v: v == 1)
    t33 = family(runs, "threshold", lambda v: v == 33)
    mmode = family(runs, "via", lambda v: v == "mmode")
    missing = "not in this run"
    near = {}
    f = by_target["mask"]
    text = threshold_text(runs, f, cs, h) if f else None
    if text:
        ipis = shoot.span(runs.get(c, h, f, p, shoot.IPIS) for c in cs if h in runs.harts[c])
        near["linux"] = "%s; %s IPIs per shrink (the mask)" % (text, ipis)
    for key, f in (("opensbi", t1), ("x86", t33)):
        text = threshold_text(runs, f, cs, h) if f else None
        if text:
            near[key] = text
    lazy, wide = by_target["lazy"], by_target["all"]
    if lazy and wide:
        ipis = change(runs, lazy, wide, shoot.IPIS, runs.order, h, p)
        fences = change(runs, lazy, wide, "remote_fences", runs.order, h, p)
        if ipis:
            near["latr"] = ("IPIs per shrink, lazy against all targeting at %d harts: %s "
                            "(counts: no latency is measured here)" % (h, ipis))
        if fences:
            near["amit"] = ("remote fences per shrink, lazy against all at %d harts: %s, "
                            "where targets fence" % (h, fences))
    if lazy and by_target["mask"]:
        ipis = change(runs, lazy, by_target["mask"], shoot.IPIS, cs, h, p)
        if ipis:
            near["cpumask"] = ("IPIs per shrink, lazy (stale harts marked, not interrupted) "
                               "against mask at %d harts, configs with ASIDs: %s" % (h, ipis))
    if mmode and base:
        ecalls = shoot.span(runs.get(c, h, mmode, p, "ipi_ecalls") for c in runs.order
                            if h in runs.harts[c])
        ipis = shoot.span(runs.get(c, h, mmode, p, shoot.IPIS) for c in runs.order
                          if h in runs.harts[c])
        near["sbi"] = ("%s at %d harts: %s ecall(s) to M-mode per shrink for %s IPI(s), each "
                       "IPI one M-mode trap more on its target; no time is measured"
                       % (mmode, h, ecalls, ipis))
    return [[what, source, near.get(key, missing)] for key, what, source in SHOOT_ANCHORS]


def shoot_lines(runs):
    """The shootdown section's anchors (markdown lines); [] without runs."""
    if runs is None:
        return []
    return ["### Beside published policies and results", "",
            "Published shootdown policies and results (docs/anchors.md, \"Shootdowns\", cited "
            "by name and venue) beside the nearest counts of these runs. The counts are per "
            "shrink under QEMU; the published figures are times or counts of other workloads "
            "on real machines: a row says what each measured, not that the two agree.", ""] + \
        md_table(["published", "source", "nearest count here"], shoot_rows(runs), "lll") + [""]
