#!/usr/bin/python3
"""tools/collect.py: turn one ptbench console log into results/<config>.csv.

Reads:  LOG, the console output of `ptbench` (lines "@B,..." from
        user/bench/benchlib.c, "@ptbench ..." header, "@end failed=N");
        optionally a tlbsim CSV (--tlb FILE) to join by region.
Writes: OUT (CSV, one row per sample, columns below) atomically: to
        OUT.tmp first, renamed only when the whole log checked out, so a
        failed run never replaces good results. With --tlb, TLBOUT as well.

Per-operation columns are the sample's totals divided by iters.
"""
import argparse
import csv
import os
import sys

KSTATS = ["syscalls", "copyin_calls", "copyin_bytes", "copyinstr_calls",
          "copyinstr_bytes", "copyout_calls", "copyout_bytes", "walk_steps",
          "satp_writes", "sfences", "ctx_switches", "idle_entries", "interrupts",
          "ptpages_user", "ptpages_kproc", "ptpages_kernel", "free_pages", "nproc"]
PER_OP = KSTATS[:-1]  # nproc is not reported
COLUMNS = (["config", "bench", "param", "param_unit", "sample", "iters", "cycles",
            "instret", "cycles_per_op", "instret_per_op"] + PER_OP +
           ["idled", "region"])
TLB_COLUMNS = ["insns", "satp_writes", "sfence_all", "sfence_addr", "sfence_asid",
               "sfence_addr_asid", "itlb_miss_user", "itlb_miss_kernel",
               "dtlb_miss_user", "dtlb_miss_kernel", "l2_hits", "est_cycles"]


class CollectError(Exception):
    pass


def fmt(x):
    """Per-op value: integers stay integers, fractions get 4 decimals."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.4f}"


def parse_log(path, config):
    """Return (rows, header fields) from a ptbench console log."""
    rows, header, end = [], None, None
    with open(path, errors="replace") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if line.startswith("@ptbench "):
                header = dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)
            elif line.startswith("@end "):
                end = dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)
            elif line.startswith("@B,"):
                rows.append(parse_sample(line, lineno, config))
    if header is None:
        raise CollectError(f"{path}: no '@ptbench' header: did the benchmark start?")
    if int(header.get("kstats", -1)) != len(KSTATS):
        raise CollectError(f"{path}: kernel reports {header.get('kstats')} counters, "
                           f"collect.py knows {len(KSTATS)}")
    if header.get("design") != config:
        raise CollectError(f"{path}: log is from design {header.get('design')!r}, "
                           f"not {config!r}")
    if end is None:
        raise CollectError(f"{path}: no '@end' line: the benchmark did not finish")
    if end.get("failed") != "0":
        raise CollectError(f"{path}: {end.get('failed')} benchmark(s) failed")
    if not rows:
        raise CollectError(f"{path}: no samples")
    return rows, header


def parse_sample(line, lineno, config):
    f = line.split(",")
    if len(f) != 10 + len(KSTATS):
        raise CollectError(f"line {lineno}: expected {10 + len(KSTATS)} fields, "
                           f"got {len(f)}: {line[:80]}")
    try:
        region, bench, param, unit, sample, iters = (int(f[1]), f[2], int(f[3]), f[4],
                                                     int(f[5]), int(f[6]))
        cycles, instret, idled = int(f[7]), int(f[8]), int(f[9])
        k = [int(x) for x in f[10:]]
    except ValueError as e:
        raise CollectError(f"line {lineno}: {e}: {line[:80]}")
    if iters <= 0:
        raise CollectError(f"line {lineno}: iters must be positive")
    row = {"config": config, "bench": bench, "param": param, "param_unit": unit,
           "sample": sample, "iters": iters, "cycles": cycles, "instret": instret,
           "cycles_per_op": fmt(cycles / iters), "instret_per_op": fmt(instret / iters),
           "idled": idled, "region": region}
    for name, v in zip(KSTATS, k):
        if name in PER_OP:
            row[name] = fmt(v / iters)
    return row


def write_atomic(path, columns, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r)
    os.replace(tmp, path)


def join_tlb(rows, tlb_path, preset):
    """Rows of the TLB model joined to the samples by region number."""
    regions = []
    with open(tlb_path) as f:
        lines = [l for l in f if l.strip() and not l.startswith("#")]
    for r in csv.DictReader(lines):
        regions.append(r)
    out = []
    for row in rows:
        i = row["region"] - 1  # regions are numbered from 1 in order
        if i >= len(regions):
            raise CollectError(f"{tlb_path}: no region {row['region']} "
                               f"({len(regions)} recorded)")
        t = regions[i]
        j = {k: row[k] for k in ("config", "bench", "param", "param_unit", "sample",
                                 "iters", "instret", "region")}
        j["preset"] = preset
        for c in TLB_COLUMNS:
            j["tlb_" + c] = t[c]
        iters = row["iters"]
        for c in ("itlb_miss_user", "itlb_miss_kernel", "dtlb_miss_user",
                  "dtlb_miss_kernel", "est_cycles", "insns"):
            j[c + "_per_op"] = fmt(int(t[c]) / iters)
        out.append(j)
    return out


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--tlb", help="tlbsim CSV to join by region")
    ap.add_argument("--tlb-preset", default="")
    ap.add_argument("--tlb-out")
    a = ap.parse_args(argv)
    try:
        rows, _ = parse_log(a.log, a.config)
        tlb_rows = join_tlb(rows, a.tlb, a.tlb_preset) if a.tlb else None
    except (CollectError, OSError) as e:
        print(f"collect.py: error: {e}", file=sys.stderr)
        return 1
    write_atomic(a.out, COLUMNS, rows)
    if tlb_rows is not None:
        write_atomic(a.tlb_out, list(tlb_rows[0].keys()), tlb_rows)
    print(f"collect.py: {len(rows)} samples -> {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
