#!/usr/bin/python3
"""The "measured difference vs. by construction" table (docs/costs.md).

Reads one result set (DIR/<config>.csv and DIR/<config>.meta.json, through
ptresults.load) and, for the headline point of each headline benchmark,
sets each config's measured difference to the reference design with the
same axes (instructions per operation, medians) beside what the
mechanisms of the two configs add by construction: per-occurrence costs
counted in the code (COSTS below, derived in docs/costs.md) times how
often the operation meets each mechanism, taken from the config's own
per-operation counters (syscalls, ctx_switches, kpt_ptes) or, where no
counter says it, from what the benchmark does per operation (WORKLOAD).
A difference more than 10 % (and more than 30 instructions) above what
construction explains is flagged.

Writes the markdown table to stdout (or --out FILE). Used by the report;
run on its own: construction.py --results DIR [--out FILE].
"""
import argparse
import sys

from ptresults import REFERENCE_DESIGN, Configs, InputError, load

# Instructions each mechanism adds per occurrence (docs/costs.md derives
# every figure from the instruction sequences in the kernel).
COSTS = {
    # the trampoline's satp write and fence, in and out, with their counts
    "trap_switch": {"0": 19, "1": 21},
    # the scheduler loading a process's own table and the global one back
    "table_switch": {"0": 31, "1": 29},
    # with ASIDs, a second address space (the kernel table's) to check
    "second_aspace": 11,
    # a per-process kernel table sharing the root's subtrees, built and freed
    "private_root_table": 11650,
    # a per-process kernel table copied whole: per table page copied
    # (kpt_ptes / 512), and per table page above level 0 (scanned twice)
    "private_copy_page": 1590,
    "private_copy_nonleaf": 6144,
    "private_copy_nonleaf_pages": 5,
    # unified: one shared kernel entry linked and unlinked (per PTE
    # stored), and the two calls around them (per table linked)
    "unified_link_pte": 69,
    "unified_link_call": 60,
    # umap: the mirror's own level-1 table per process, and per user page
    # mirrored (mapped and later unmapped)
    "mirror_table": 6700,
    "mirror_page": 215,
    # with ASIDs: the slow path for a new address space (an ASID given)
    "asid_new": 200,
    # with ASIDs: a change to a live address space (interrupts off, the
    # hart's bit, the other harts marked, the threshold's tests): once per
    # whole-ASID fence, or once per range fenced by page
    "asid_fence": 60,
    # a range fenced by page (fence_pages): per page, and per call
    "page_fence": 3,
    "page_fence_call": 9,
}

# What a benchmark does per operation that no kernel counter says: new
# processes, and user pages that come and go (user/bench/ptbench.c).
WORKLOAD = {
    "fork_exit_wait": lambda param: {"procs": 1, "execs": 0, "user_pages": param / 4},
    "fork_exec_wait": lambda param: {"procs": 1, "execs": 1, "user_pages": 0},
    "sbrk": lambda param: {"procs": 0, "execs": 0, "user_pages": param, "shrinks": 1},
}
NO_WORK = {"procs": 0, "execs": 0, "user_pages": 0}


def ranges_fenced(pages, work):
    """Ranges fenced by page per operation, of pages fenced by page: a
    shrink fences its pages once per table that needs it (the user table,
    the mirror), so the page fences over the pages shrunk; an exec that
    fences by page frees its old image in one range. 0 where no fence is
    by page."""
    if not pages:
        return 0
    if work.get("shrinks") and work["user_pages"]:
        return work["shrinks"] * round(pages / work["user_pages"])
    return work["execs"]


# Headline points: (benchmark, parameter).
HEADLINE = [("getpid", 0), ("pingpong", 1), ("fork_exit_wait", 64),
            ("fork_exec_wait", 0), ("sbrk", 16)]

FLAG_RELATIVE = 0.10
FLAG_ABSOLUTE = 30


def construction(traits, counters, bench, param):
    """Instructions per operation the config's mechanisms add over a
    design that has none of them: traits are the config's (strings),
    counters its per-operation medians (a dict)."""
    asid = traits.get("asid", "0")
    table = traits.get("kernel_table", "shared")
    work = WORKLOAD.get(bench, lambda p: NO_WORK)(param)
    total = 0.0
    if traits.get("trap_switch") == "yes":
        total += COSTS["trap_switch"][asid] * counters.get("syscalls", 0)
    if table != "shared":
        per = COSTS["table_switch"][asid]
        if asid == "1" and table.startswith("private"):
            per += COSTS["second_aspace"]
        total += per * counters.get("ctx_switches", 0)
    page_fences = counters.get("sfence_addr", 0) + counters.get("sfence_addr_asid", 0)
    ranges = ranges_fenced(page_fences, work)
    total += COSTS["page_fence"] * page_fences + COSTS["page_fence_call"] * ranges
    if asid == "1":
        spaces = 2 if table.startswith("private") else 1
        total += COSTS["asid_new"] * (spaces * work["procs"] + work["execs"])
        total += COSTS["asid_fence"] * (counters.get("sfence_asid", 0) + ranges)
    kpt_ptes = counters.get("kpt_ptes", 0)
    if table == "private-root":
        total += COSTS["private_root_table"] * work["procs"]
    elif table == "private-copy":
        if kpt_ptes:
            total += (COSTS["private_copy_page"] * kpt_ptes / 512
                      + COSTS["private_copy_nonleaf"] * COSTS["private_copy_nonleaf_pages"])
    elif table == "unified":
        total += (COSTS["unified_link_pte"] * kpt_ptes
                  + COSTS["unified_link_call"] * (work["procs"] + work["execs"]))
    if traits.get("user_mirror") == "yes":
        total += (COSTS["mirror_table"] * work["procs"]
                  + COSTS["mirror_page"] * work["user_pages"])
    return total


def point_medians(samples, config, bench, param):
    """Median instructions per op and per-op counters of one point, or None."""
    s = samples[(samples["config"] == config) & (samples["bench"] == bench)
                & (samples["param"] == param)]
    if s.empty:
        return None
    med = s.median(numeric_only=True)
    return float(med["instret"] / med["iters"]) if "iters" in med else None, med.to_dict()


def plain_of(configs, config):
    """The config of config's design without ASIDs (same megapages), or None."""
    d, a, m = configs.axes[config]
    if not a:
        return None
    for c, axes in configs.axes.items():
        if axes == (d, 0, m):
            return c
    return None


def pairs(configs):
    """(config, what it is compared with): each design against the
    reference design with the same axes, then each -asid config against
    its design without ASIDs."""
    for c in configs.order:
        if not configs.is_reference(c) and configs.baseline(c):
            yield c, configs.baseline(c)
    for c in configs.order:
        if plain_of(configs, c):
            yield c, plain_of(configs, c)


def rows(samples, meta):
    """One dict per (headline point, compared pair)."""
    configs = Configs(samples, meta)
    out = []
    for bench, param in HEADLINE:
        for c, base in pairs(configs):
            got, base_got = (point_medians(samples, x, bench, param) for x in (c, base))
            if got is None or base_got is None:
                continue
            measured = got[0] - base_got[0]
            built = (construction(configs.traits(c), got[1], bench, param)
                     - construction(configs.traits(base), base_got[1], bench, param))
            excess = measured - built
            flag = excess > max(FLAG_RELATIVE * abs(built), FLAG_ABSOLUTE)
            out.append({"bench": bench, "param": param, "config": c, "base": base,
                        "measured": measured, "construction": built, "flag": flag})
    return out


def table(samples, meta):
    """(markdown, number of flagged rows)."""
    lines = ["| operation | config | vs | measured | by construction | |",
             "|---|---|---|---:|---:|---|"]
    flagged = 0
    for r in rows(samples, meta):
        flagged += r["flag"]
        lines.append("| {} {:g} | {} | {} | {:+,.0f} | {:+,.0f} | {} |".format(
            r["bench"], r["param"], r["config"], r["base"], r["measured"],
            r["construction"], "**above construction**" if r["flag"] else ""))
    return "\n".join(lines) + "\n", flagged


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", required=True, help="result set directory")
    ap.add_argument("--out", help="markdown file to write (default stdout)")
    args = ap.parse_args(argv)
    try:
        samples, meta = load(args.results)
    except InputError as e:
        print("construction.py: %s" % e, file=sys.stderr)
        return 1
    md, flagged = table(samples, meta)
    if args.out:
        with open(args.out, "w") as f:
            f.write(md)
        print("construction.py: -> %s (%d flagged)" % (args.out, flagged), file=sys.stderr)
    else:
        sys.stdout.write(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
