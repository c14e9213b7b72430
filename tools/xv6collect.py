#!/usr/bin/python3
"""tools/xv6collect.py: turn an xv6bench run into results, with its witnesses.

Usage:  tools/xv6collect.py --config LABEL --log LOG --tlbsim CSV --profile FILE
                            --out OUT.csv [--meta-in FILE] [--counters]
                            [--tlb PRESET=LOG,CSV]... [--tlb-dir DIR]
                            [--kernel ELF --profile-out FILE]

Reads:  LOG, the console of the plain run (user/bench/xv6bench.c's "@X"
        lines); CSV, tlbsim's report of that run; FILE, the profile
        plugin's report of that run (tools/tlbsim/profile.c: per region its
        wfi, and with pcs=1 its instructions per address); per --tlb, the
        console and tlbsim report of a run under that preset; with
        --kernel, the kernel ELF's symbols (riscv64-unknown-elf-readelf);
        --meta-in, a JSON object of facts about the run to record.
Writes: OUT.csv (tools/collect.py's columns: one row per sample, the
        label as config; instructions, satp writes and sfence.vma from
        tlbsim; the kernel counters blank, xv6 has none), OUT.meta.json
        (the run, the tree, and how each figure was measured); per --tlb,
        DIR/LABEL-PRESET.csv (collect.py's TLB columns) and .meta.json;
        with --profile-out, FILE: per sample point, every function's
        instructions per operation and share. Every file is written to
        .tmp first and all are renamed only when every check passed: a
        failed check writes nothing.

Checks (any failure: error, nothing written): the log is complete (header,
@end failed=0) and its regions are tlbsim's (sample regions have marker 1,
empty ones 2; no region abandoned); the profile plugin closed the same
regions; with --counters (ptbench's kernels, where the workload reads
instret), instret equals tlbsim's count in every sample that did not
idle; each TLB run saw the same samples and counted the same instructions,
satp writes and sfence.vma as the plain run (its witness_ok); with
--profile-out, in every region the instructions attributed to functions
add up to tlbsim's count.
Exit:   0 when written, 1 on a failed check or bad input, 2 on bad usage.
"""
import argparse
import bisect
import csv
import datetime
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import collect  # noqa: E402  (the results' columns, fmt, the TLB join)

MARK_SAMPLE, MARK_EMPTY = 1, 2
USER = "(user)"
TRAMPOLINE_VA = 0x3FFFFFF000   # MAXVA - PGSIZE, as in xv6 and ptbench
KERNEL_BASE = 0x80000000
PAGE_MASK = 0xFFF
# Symbols that name a page or an end, not code: the trampoline page is
# found through them, and they never name a function.
PAGE_NAMES = ("trampoline", "_trampoline", "etext", "end", "_end")
READELF = "riscv64-unknown-elf-readelf"
PROFILE_COLUMNS = ["config", "bench", "param", "param_unit", "sample", "iters", "rank",
                   "function", "insns_per_op", "share", "instret_per_op"]

MEASURED_OUTSIDE = {
    "cycles, instret": "tlbsim plugin: instructions executed strictly between the region "
                       "markers (under -icount shift=0 one cycle is one instruction), "
                       "sample minus the empty sample",
    "satp_writes, sfences": "tlbsim plugin: CSR writes to satp and sfence.vma executed in "
                            "the region, decoded from the instruction words",
    "idled": "profile plugin: 1 when the region executed wfi",
    "other counters": "blank: they need ptbench's kernel counters (kstats)",
}
MEASURED_PTBENCH = dict(MEASURED_OUTSIDE)
MEASURED_PTBENCH["cycles, instret"] = (
    "the workload's rdcycle and rdinstret right outside the region markers (xv6bench -c), "
    "sample minus the empty sample; instret checked equal to the tlbsim plugin's count")


class Xv6CollectError(Exception):
    pass


# ---------------------------------------------------------------- inputs

def parse_log(path, counters):
    """(header dict, sample list) from a console log. Each sample: bench,
    param, unit, sample, iters, region, oregion (and cycles, instret)."""
    header, end, samples, errors = None, None, [], []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("@xv6bench "):
                header = dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)
            elif line.startswith("@end "):
                end = dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)
            elif line.startswith("@error"):
                errors.append(line)
            elif line.startswith("@X,"):
                samples.append(parse_sample(line, counters))
    if header is None:
        raise Xv6CollectError("%s: no '@xv6bench' header: did the workload start?" % path)
    if header.get("counters") != ("1" if counters else "0"):
        raise Xv6CollectError("%s: the workload ran with counters=%s, expected %d"
                              % (path, header.get("counters"), counters))
    if end is None:
        raise Xv6CollectError("%s: no '@end' line: the workload did not finish" % path)
    if end.get("failed") != "0" or errors:
        raise Xv6CollectError("%s: %s benchmark(s) failed: %s"
                              % (path, end.get("failed"), "; ".join(errors) or "?"))
    if not samples:
        raise Xv6CollectError("%s: no samples" % path)
    return header, samples


def parse_sample(line, counters):
    f = line.split(",")
    if len(f) != (10 if counters else 8):
        raise Xv6CollectError("bad sample line (%d fields): %s" % (len(f), line[:80]))
    try:
        s = {"region": int(f[1]), "oregion": int(f[2]), "bench": f[3], "param": int(f[4]),
             "unit": f[5], "sample": int(f[6]), "iters": int(f[7])}
        if counters:
            s["cycles"], s["instret"] = int(f[8]), int(f[9])
    except ValueError:
        raise Xv6CollectError("bad number in sample line: %s" % line[:80])
    if s["iters"] <= 0:
        raise Xv6CollectError("iters must be positive: %s" % line[:80])
    return s


def trailer(path, prefix):
    """key=value fields of the last '# PREFIX end' line of a plugin report."""
    with open(path) as f:
        ends = [l for l in f if l.startswith("# %s end " % prefix)]
    if not ends:
        raise Xv6CollectError("%s: no '# %s end' line: QEMU did not exit cleanly" % (path, prefix))
    return dict(kv.split("=", 1) for kv in ends[-1].split()[3:] if "=" in kv)


def read_tlbsim(path):
    """tlbsim's rows, checked complete."""
    t = trailer(path, "tlbsim")
    if t.get("abandoned") != "0" or "rows_lost" in t:
        raise Xv6CollectError("%s: regions were abandoned or lost (%s): the markers do not "
                              "pair up" % (path, " ".join("%s=%s" % kv for kv in t.items())))
    return collect.read_regions(path)


def read_profile(path):
    """(regions, pcs): regions[n-1] = (id, insns, wfi); pcs[n] = {pc: count}."""
    t = trailer(path, "profile")
    if t.get("abandoned") != "0" or "cells_lost" in t:
        raise Xv6CollectError("%s: regions abandoned or counts lost (%s)"
                              % (path, " ".join("%s=%s" % kv for kv in t.items())))
    regions, pcs = [], {}
    with open(path) as f:
        for line in f:
            if line.startswith("P,"):
                _, n, pc, count = line.split(",")
                pcs.setdefault(int(n), {})[int(pc, 16)] = int(count)
            elif line.startswith("R,"):
                _, n, rid, insns, wfi = line.split(",")
                if int(n) != len(regions) + 1:
                    raise Xv6CollectError("%s: region %s out of order" % (path, n))
                regions.append((int(rid), int(insns), int(wfi)))
    return regions, pcs


# ---------------------------------------------------------------- the join

def region_of(regions, n, path):
    if not 1 <= n <= len(regions):
        raise Xv6CollectError("%s: no region %d (%d recorded)" % (path, n, len(regions)))
    return regions[n - 1]


def sfences(r):
    return sum(int(v) for k, v in r.items() if k.startswith("sfence_"))


def join(config, samples, tlbsim, tlbsim_path, prof_regions, counters):
    """The results rows of the samples, with collect.py's hidden fields for
    the TLB join. Raises Xv6CollectError when a check fails."""
    if len(prof_regions) != len(tlbsim):
        raise Xv6CollectError("the profile plugin closed %d regions, tlbsim %d"
                              % (len(prof_regions), len(tlbsim)))
    for i, (p, t) in enumerate(zip(prof_regions, tlbsim), 1):
        if p[0] != int(t["region"]):
            raise Xv6CollectError("region %d: marker %s for tlbsim, %d for the profile plugin"
                                  % (i, t["region"], p[0]))
    rows, bad = [], []
    for s in samples:
        t = region_of(tlbsim, s["region"], tlbsim_path)
        e = region_of(tlbsim, s["oregion"], tlbsim_path)
        if int(t["region"]) != MARK_SAMPLE or int(e["region"]) != MARK_EMPTY:
            raise Xv6CollectError("%s %s sample %d: regions %d and %d are not a sample and an "
                                  "empty sample" % (s["bench"], s["param"], s["sample"],
                                                    s["region"], s["oregion"]))
        insns = int(t["insns"]) - int(e["insns"])
        idled = int(prof_regions[s["region"] - 1][2] - prof_regions[s["oregion"] - 1][2] > 0)
        cycles, instret = (s["cycles"], s["instret"]) if counters else (insns, insns)
        if counters and not idled and instret != insns:
            bad.append("%s %d sample %d: instret %d != tlbsim %d"
                       % (s["bench"], s["param"], s["sample"], instret, insns))
        n = s["iters"]
        satp, sf = int(t["satp_writes"]) - int(e["satp_writes"]), sfences(t) - sfences(e)
        rows.append({"config": config, "bench": s["bench"], "param": s["param"],
                     "param_unit": s["unit"], "sample": s["sample"], "iters": n,
                     "cycles": cycles, "instret": instret,
                     "cycles_per_op": collect.fmt(cycles / n),
                     "instret_per_op": collect.fmt(instret / n),
                     "satp_writes": collect.fmt(satp / n), "sfences": collect.fmt(sf / n),
                     "idled": idled, "region": s["region"], "_oregion": s["oregion"],
                     "_raw_satp_writes": satp, "_raw_sfences": sf, "_insns": insns})
    if bad:
        raise Xv6CollectError("instret disagrees with tlbsim: " + "; ".join(bad[:5]))
    return rows


def join_tlb_run(rows, samples, log, csv_path, preset, counters):
    """collect.py's TLB rows for a preset's run, witnessed against the plain
    run: the same samples and regions, and (collect.join_tlb) the same
    instructions, satp writes and sfence.vma in every sample."""
    _, theirs = parse_log(log, counters)
    key = lambda s: (s["bench"], s["param"], s["sample"], s["region"], s["oregion"])  # noqa
    if [key(s) for s in theirs] != [key(s) for s in samples]:
        raise Xv6CollectError("%s: the %s run's samples differ from the plain run's" % (log, preset))
    read_tlbsim(csv_path)
    base = [dict(r, instret=r["_insns"]) for r in rows]
    tlb_rows, bad = collect.join_tlb(base, csv_path, preset)
    if bad:
        raise Xv6CollectError("the %s run counted differently from the plain run: %s"
                              % (preset, "; ".join(b.replace("kernel", "plain run")
                                                   for b in bad[:5])))
    for t, r in zip(tlb_rows, rows):
        t["instret"] = r["instret"]
    return tlb_rows


# ---------------------------------------------------------------- profile

def read_symbols(elf):
    """(starts, names, ends, trampoline base) of the kernel's code symbols:
    sized functions, and assembly labels (end = next symbol)."""
    r = subprocess.run([READELF, "-sW", elf], capture_output=True, text=True)
    if r.returncode != 0:
        raise Xv6CollectError("%s: cannot read symbols: %s" % (elf, r.stderr.strip()))
    syms, tramp = {}, None
    for line in r.stdout.splitlines():
        f = line.split()
        if len(f) < 8 or f[3] not in ("FUNC", "NOTYPE") or f[6] in ("UND", "ABS"):
            continue
        addr, size, name = int(f[1], 16), int(f[2]), f[7]
        if name.startswith(("$", ".L")) or addr < KERNEL_BASE:
            continue
        if name in PAGE_NAMES:
            if name.lstrip("_") == "trampoline":
                tramp = addr
            continue
        # A sized function wins over a label at the same address.
        if addr not in syms or (size and not syms[addr][1]):
            syms[addr] = (name, size)
    if not syms:
        raise Xv6CollectError("%s has no symbols: build it with them (-g, not stripped)" % elf)
    if tramp is None and "uservec" in (n for n, _ in syms.values()):
        tramp = next(a for a, (n, _) in syms.items() if n == "uservec") & ~PAGE_MASK
    starts = sorted(syms)
    return starts, [syms[a][0] for a in starts], tramp


def attribute(pcs, symbols):
    """{function: count} of one region's {pc: count}."""
    starts, names, tramp = symbols
    out = {}
    for pc, n in pcs.items():
        if TRAMPOLINE_VA <= pc < TRAMPOLINE_VA + PAGE_MASK + 1 and tramp is not None:
            pc = tramp + (pc - TRAMPOLINE_VA)
        if pc < KERNEL_BASE:
            name = USER
        else:
            i = bisect.bisect_right(starts, pc) - 1
            name = names[i] if i >= 0 else "(kernel, no symbol)"
        out[name] = out.get(name, 0) + n
    return out


def profile_rows(rows, prof_regions, pcs, symbols, tlbsim):
    """Per point, the sample of median instret: each function's
    instructions per op (sample minus empty), sorted, with share. Checks
    that in every region the instructions by address add up to the
    profile plugin's count and to tlbsim's."""
    for n, ((rid, insns, _), t) in enumerate(zip(prof_regions, tlbsim), 1):
        got = sum(pcs.get(n, {}).values())
        if got != insns or got != int(t["insns"]):
            raise Xv6CollectError("region %d: instructions by address add up to %d, tlbsim "
                                  "counted %s (the profile plugin %d)"
                                  % (n, got, t["insns"], insns))
    out, points = [], {}
    for r in rows:
        if not r["idled"]:
            points.setdefault((r["bench"], r["param"]), []).append(r)
    for (bench, param), rs in points.items():
        med = statistics.median_low([r["_insns"] for r in rs])
        r = next(x for x in rs if x["_insns"] == med)
        f = attribute(pcs.get(r["region"], {}), symbols)
        for name, n in attribute(pcs.get(r["_oregion"], {}), symbols).items():
            f[name] = f.get(name, 0) - n
        if sum(f.values()) != r["_insns"]:
            raise Xv6CollectError("%s %s: attributed %d != counted %d"
                                  % (bench, param, sum(f.values()), r["_insns"]))
        ranked = sorted((kv for kv in f.items() if kv[1] != 0), key=lambda kv: (-kv[1], kv[0]))
        for rank, (name, n) in enumerate(ranked, 1):
            out.append({"config": r["config"], "bench": bench, "param": param,
                        "param_unit": r["param_unit"], "sample": r["sample"],
                        "iters": r["iters"], "rank": rank, "function": name,
                        "insns_per_op": collect.fmt(n / r["iters"]),
                        "share": "%.4f" % (n / r["_insns"]) if r["_insns"] else "",
                        "instret_per_op": r["instret_per_op"]})
    return out


# ---------------------------------------------------------------- output

def meta(args, header, extra, tlb_csv=None):
    m = dict(extra)
    m.update({"config": args.config, "workload": "xv6bench", "quick": header.get("quick") == "1",
              "measured": MEASURED_PTBENCH if args.counters else MEASURED_OUTSIDE,
              "date": datetime.datetime.now(datetime.timezone.utc)
                      .strftime("%Y-%m-%dT%H:%M:%SZ")})
    if tlb_csv:
        with open(tlb_csv) as f:
            comments = [l[len("# tlbsim "):].strip() for l in f if l.startswith("# tlbsim ")]
        m["tlbsim"] = dict(kv.split("=", 1) for kv in comments[0].split() if "=" in kv)
        m["tlbsim_model"] = comments[1].removeprefix("model: ")
        m["witness"] = ("each sample's instructions, satp writes and sfence.vma equal the "
                        "plain run's (same workload, same regions)")
    return m


def write_tmp(path, columns, rows):
    with open(path + ".tmp", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def write_json_tmp(path, obj):
    with open(path + ".tmp", "w") as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write("\n")
    return path


def collect_all(a, written):
    """Write every output to its .tmp, appending its final path to written;
    returns the number of samples. Raises on a failed check."""
    header, samples = parse_log(a.log, a.counters)
    tlbsim = read_tlbsim(a.tlbsim)
    prof_regions, pcs = read_profile(a.profile)
    rows = join(a.config, samples, tlbsim, a.tlbsim, prof_regions, a.counters)
    extra = {}
    if a.meta_in:
        with open(a.meta_in) as f:
            extra = json.load(f)
    written.append(write_tmp(a.out, collect.COLUMNS, rows))
    written.append(write_json_tmp(os.path.splitext(a.out)[0] + ".meta.json",
                                  meta(a, header, extra)))
    for spec in a.tlb:
        preset, files = spec.split("=", 1)
        log, csv_path = files.split(",", 1)
        tlb_rows = join_tlb_run(rows, samples, log, csv_path, preset, a.counters)
        base = os.path.join(a.tlb_dir, "%s-%s" % (a.config, preset))
        written.append(write_tmp(base + ".csv", list(tlb_rows[0].keys()), tlb_rows))
        written.append(write_json_tmp(base + ".meta.json", meta(a, header, extra, csv_path)))
    if a.profile_out:
        prows = profile_rows(rows, prof_regions, pcs, read_symbols(a.kernel), tlbsim)
        written.append(write_tmp(a.profile_out, PROFILE_COLUMNS, prows))
        written.append(write_json_tmp(os.path.splitext(a.profile_out)[0] + ".meta.json",
                                      dict(meta(a, header, extra), kernel_elf=a.kernel)))
    return len(rows)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--tlbsim", required=True)
    ap.add_argument("--profile", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--meta-in")
    ap.add_argument("--counters", action="store_true")
    ap.add_argument("--tlb", action="append", default=[], metavar="PRESET=LOG,CSV")
    ap.add_argument("--tlb-dir")
    ap.add_argument("--kernel")
    ap.add_argument("--profile-out")
    a = ap.parse_args(argv)
    if (a.tlb and not a.tlb_dir) or (bool(a.kernel) != bool(a.profile_out)):
        ap.error("--tlb needs --tlb-dir; --kernel and --profile-out go together")
    for d in [os.path.dirname(a.out), a.tlb_dir, a.profile_out and os.path.dirname(a.profile_out)]:
        if d:
            os.makedirs(d, exist_ok=True)
    written = []
    try:
        n = collect_all(a, written)
    except (Xv6CollectError, collect.CollectError, OSError, ValueError, KeyError) as e:
        for p in written:
            if os.path.exists(p + ".tmp"):
                os.remove(p + ".tmp")
        print("xv6collect: error: %s: nothing written" % e, file=sys.stderr)
        return 1
    for p in written:
        os.replace(p + ".tmp", p)
    print("xv6collect: %d samples -> %s" % (n, ", ".join(written)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
