"""plot/anchors.py: the ptbench column of docs/anchors.md, computed from a
result set (a module; report.py writes it into report.md).

docs/anchors.md holds published measurements of real RISC-V cores with
their sources; this module gives, beside each, the nearest figure ptbench
estimates from the TLB runs of DIR, at the runs' recorded costs and over
the cost sweep (plot/reprice.py). It is a plausibility check only: the
workloads differ, and the row says how.

Reads:  DIR/tlb/*.csv and meta (through reprice.Priced).
Writes: nothing (lines() returns the report's section).
"""
import itertools

from benches import COST_SWEEP
from ptresults import InputError, fmt_num, md_table
import reprice

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
