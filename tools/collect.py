#!/usr/bin/python3
"""tools/collect.py: turn one ptbench console log into <config>.csv.

Reads:  LOG, the console output of `ptbench` (lines "@B,..." from
        user/bench/benchlib.c, "@ptbench ..." header, "@end failed=N",
        and "@kstate key=value ..." lines of kernel state, if any);
        kernel/kstats.h, for the names of the kernel's counters in order;
        optionally a tlbsim CSV (--tlb FILE) to join by region, whose
        "# tlbsim machine ..." line says what it read of the hart's ASIDs.
Writes: OUT (CSV, one row per sample, columns below) atomically: to
        OUT.tmp first, renamed only when the whole log checked out, so a
        failed run never replaces good results. With --tlb, TLBOUT as well.

Columns: config, bench, param, param_unit, sample, iters, cycles, instret,
cycles_per_op, instret_per_op, then one per kernel counter (per operation:
the sample's total divided by iters) in struct kstats order, then idled,
region, and the run's design, asid and megapages from the log's header. A
counter appended to struct kstats becomes a column with no edit here.
"""
import argparse
import csv
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KSTATS_H = os.path.join(ROOT, "kernel", "kstats.h")
# Counters of struct kstats that are not reported per operation.
NOT_REPORTED = {"nproc", "kmap_leaves_4k", "kmap_leaves_2m", "asid_bits"}
# Header fields that every row repeats, after the counters.
HEADER_COLUMNS = ["design", "asid", "megapages"]
TLB_COLUMNS = ["insns", "satp_writes", "sfence_all", "sfence_addr", "sfence_asid",
               "sfence_addr_asid", "itlb_miss_user", "itlb_miss_kernel",
               "dtlb_miss_user", "dtlb_miss_kernel", "l2_hits", "walks_1", "walks_2",
               "walks_3", "ptc_hits", "est_cycles", "sinvals", "inval_fences"]
# Columns a report of an older plugin may lack: read as 0 (it had no PTE
# cache, and saw no Svinval instruction).
TLB_OPTIONAL = {"ptc_hits", "sinvals", "inval_fences"}


# The plugin's fence counts by sfence.vma form, and its Svinval counts
# (sinval.vma; sfence.w.inval and sfence.inval.ir), none of which the
# kernel's sfences counter includes: each witnessed against the kernel's
# counter of the same name when the kernel's log has it.
FENCE_KINDS = ["sfence_all", "sfence_addr", "sfence_asid", "sfence_addr_asid"]
SVINVAL_KINDS = ["sinvals", "inval_fences"]


class CollectError(Exception):
    pass


def kstats_fields(path=KSTATS_H):
    """The field names of struct kstats in kernel/kstats.h, in order."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise CollectError("cannot read %s: %s" % (path, e))
    body = re.search(r"struct kstats\s*\{(.*?)\};", text, re.S)
    if body is None:
        raise CollectError("%s: no struct kstats" % path)
    code = re.sub(r"/\*.*?\*/", "", body.group(1), flags=re.S)
    names = re.findall(r"unsigned long\s+(\w+)\s*;", code)
    if not names:
        raise CollectError("%s: struct kstats has no unsigned long fields" % path)
    return names


KSTATS = kstats_fields() if os.path.exists(KSTATS_H) else []
PER_OP = [k for k in KSTATS if k not in NOT_REPORTED]
COLUMNS = (["config", "bench", "param", "param_unit", "sample", "iters", "cycles",
            "instret", "cycles_per_op", "instret_per_op"] + PER_OP +
           ["idled", "region"] + HEADER_COLUMNS)


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
                           f"kernel/kstats.h declares {len(KSTATS)}: rebuild the kernel")
    if header.get("config") != config:
        raise CollectError(f"{path}: log is from config {header.get('config')!r}, "
                           f"not {config!r}")
    if end is None:
        raise CollectError(f"{path}: no '@end' line: the benchmark did not finish")
    if end.get("failed") != "0":
        raise CollectError(f"{path}: {end.get('failed')} benchmark(s) failed")
    if not rows:
        raise CollectError(f"{path}: no samples")
    missing = [k for k in HEADER_COLUMNS if k not in header]
    if missing:
        raise CollectError(f"{path}: the '@ptbench' header lacks {', '.join(missing)}")
    for row in rows:
        row.update({k: header[k] for k in HEADER_COLUMNS})
    return rows, header


def parse_sample(line, lineno, config):
    f = line.split(",")
    nfixed = 11
    if len(f) != nfixed + len(KSTATS):
        raise CollectError(f"line {lineno}: expected {nfixed + len(KSTATS)} fields, "
                           f"got {len(f)}: {line[:80]}")
    try:
        region, oregion, bench, param, unit, sample, iters = (
            int(f[1]), int(f[2]), f[3], int(f[4]), f[5], int(f[6]), int(f[7]))
        cycles, instret, idled = int(f[8]), int(f[9]), int(f[10])
        k = [int(x) for x in f[nfixed:]]
    except ValueError as e:
        raise CollectError(f"line {lineno}: {e}: {line[:80]}")
    if iters <= 0:
        raise CollectError(f"line {lineno}: iters must be positive")
    row = {"config": config, "bench": bench, "param": param, "param_unit": unit,
           "sample": sample, "iters": iters, "cycles": cycles, "instret": instret,
           "cycles_per_op": fmt(cycles / iters), "instret_per_op": fmt(instret / iters),
           "idled": idled, "region": region, "_oregion": oregion}
    for name, v in zip(KSTATS, k):
        if name in PER_OP:
            row[name] = fmt(v / iters)
        row["_raw_" + name] = v
    return row


def write_atomic(path, columns, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n",
                           extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)
    os.replace(tmp, path)


def read_regions(tlb_path):
    with open(tlb_path) as f:
        lines = [l for l in f if l.strip() and not l.startswith("#")]
    return list(csv.DictReader(lines))


def key_values(line, prefix):
    """The integer key=value fields of line after prefix."""
    fields = {}
    for kv in line[len(prefix):].split():
        k, sep, v = kv.partition("=")
        if sep and v.lstrip("-").isdigit():
            fields[k] = int(v)
    return fields


def read_machine(tlb_path):
    """The '# tlbsim machine' line of a tlbsim report as a dict ({} if none)."""
    with open(tlb_path) as f:
        for line in f:
            if line.startswith("# tlbsim machine "):
                return key_values(line, "# tlbsim machine ")
    return {}


def kernel_facts(log_path):
    """The kernel's own statements about itself: '@kstate' and '@ptbench'
    key=value integers of the log."""
    facts = {}
    with open(log_path, errors="replace") as f:
        for line in f:
            line = line.strip()
            for prefix in ("@kstate ", "@ptbench "):
                if line.startswith(prefix):
                    facts.update(key_values(line, prefix))
    return facts


def machine_witness(tlb_path, log_path):
    """Mismatches between the ASIDs the plugin read from satp and what the
    kernel states of its ASID bits: the hardware's width (read back after
    the kernel's probe) must hold the kernel's, and no user address space
    may have run under an ASID wider than the kernel's bits."""
    seen, facts = read_machine(tlb_path), kernel_facts(log_path)
    if not seen:
        return [f"{tlb_path}: no '# tlbsim machine' line (a plugin from before QEMU 10?)"]
    bad = []
    if seen.get("regs_missing", 0):
        bad.append("the plugin could not read satp, priv or the general registers")
    if "asid_bits" not in facts:
        bad.append("kernel states no asid_bits (an '@kstate' line): the ASIDs read have "
                   "no witness")
        return bad
    bits = facts["asid_bits"]
    if bits > seen["asid_hw_bits"]:
        bad.append(f"kernel uses {bits} ASID bits but satp held at most "
                   f"{seen['asid_hw_bits']}")
    if seen["user_asid_max"] >= (1 << bits):
        bad.append(f"a user table ran under ASID {seen['user_asid_max']}, wider than the "
                   f"kernel's {bits} ASID bits")
    return bad


def join_tlb(rows, tlb_path, preset, log_path=None):
    """The TLB model's regions joined to the samples by region number, with
    the empty sample's region subtracted as the benchmarks do. Checks the
    witnesses: for every sample that did not idle, the model's instruction,
    satp-write and sfence.vma counts (by form, when the kernel counts forms)
    and its sinval.vma and Svinval fence counts (when the kernel counts
    them) must equal instret and the kernel's counters exactly; and the ASIDs
    the plugin read from satp must fit what the log says of them (log_path).
    Returns (rows, witness failures)."""
    regions = read_regions(tlb_path)
    out, bad = [], []
    if log_path is not None:
        bad += machine_witness(tlb_path, log_path)

    def region(n):
        if not 1 <= n <= len(regions):
            raise CollectError(f"{tlb_path}: no region {n} ({len(regions)} recorded)")
        return regions[n - 1]

    for row in rows:
        t, e = region(row["region"]), region(row["_oregion"])
        d = {c: int(t.get(c) or 0) - int(e.get(c) or 0) if c in TLB_OPTIONAL
             else int(t[c]) - int(e[c]) for c in TLB_COLUMNS}
        d["sfences"] = sum(d[c] for c in ("sfence_all", "sfence_addr", "sfence_asid",
                                           "sfence_addr_asid"))
        j = {k: row[k] for k in ("config", "bench", "param", "param_unit", "sample",
                                 "iters", "instret", "idled", "region")}
        j.update({k: row.get(k, "") for k in HEADER_COLUMNS})
        j["preset"] = preset
        iters = row["iters"]
        for c in [c for c in TLB_COLUMNS if c not in SVINVAL_KINDS] + ["sfences"]:
            j["tlb_" + c] = d[c]
        for c in ("itlb_miss_user", "itlb_miss_kernel", "dtlb_miss_user",
                  "dtlb_miss_kernel", "l2_hits", "walks_1", "walks_2", "walks_3",
                  "ptc_hits", "est_cycles", "insns"):
            j[c + "_per_op"] = fmt(d[c] / iters)
        j["walk_levels_per_op"] = fmt((d["walks_1"] + 2 * d["walks_2"] + 3 * d["walks_3"])
                                      / iters)
        j["tlb_miss_per_op"] = fmt(sum(d[c] for c in ("itlb_miss_user", "itlb_miss_kernel",
                                                       "dtlb_miss_user",
                                                       "dtlb_miss_kernel")) / iters)
        checks = [("insns", d["insns"], row["instret"]),
                  ("satp_writes", d["satp_writes"], row["_raw_satp_writes"]),
                  ("sfences", d["sfences"], row["_raw_sfences"])]
        checks += [(k, d[k], row["_raw_" + k]) for k in FENCE_KINDS + SVINVAL_KINDS
                   if "_raw_" + k in row]
        ok = True
        if not row["idled"]:
            for name, model, kernel in checks:
                if model != kernel:
                    ok = False
                    bad.append(f"{row['bench']} {row['param']} sample {row['sample']}: "
                               f"model {name} {model} != kernel {kernel}")
        j["witness_ok"] = int(ok)
        # Appended after the older columns, whose places stay.
        j.update(("tlb_" + c, d[c]) for c in SVINVAL_KINDS)
        out.append(j)
    return out, bad


def multi_hart(log_path):
    """Whether the run of log_path had more than one hart (ptbench's header)."""
    return int(kernel_facts(log_path).get("harts", 1)) > 1


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
        tlb_rows, bad = join_tlb(rows, a.tlb, a.tlb_preset, a.log) if a.tlb else (None, [])
    except (CollectError, OSError) as e:
        print(f"collect.py: error: {e}", file=sys.stderr)
        return 1
    if bad and tlb_rows is not None and multi_hart(a.log):
        # At 2+ harts the kernel's counters are global while the region is
        # marked on one hart: another hart's trap between the sample's
        # kstats call and its marker falls on the other side. Such samples
        # are left out (witness_ok 0), said here; a point left with none
        # fails the run.
        kept = [j for j in tlb_rows if j["witness_ok"]]
        points = {(j["bench"], j["param"]) for j in tlb_rows}
        if {(j["bench"], j["param"]) for j in kept} == points and all(
                " sample " in b for b in bad):
            for b in bad:
                print(f"collect.py: left out (another hart's event at a sample's edge): {b}",
                      file=sys.stderr)
            tlb_rows, bad = kept, []
    if bad:
        for b in bad:
            print(f"collect.py: witness mismatch: {b}", file=sys.stderr)
        print(f"collect.py: error: {len(bad)} witness mismatch(es): results not written",
              file=sys.stderr)
        return 1
    write_atomic(a.out, COLUMNS, rows)
    if tlb_rows is not None:
        write_atomic(a.tlb_out, list(tlb_rows[0].keys()), tlb_rows)
    print(f"collect.py: {len(rows)} samples -> {a.out}")
    if tlb_rows is not None:
        svinval = ", sinval.vma and Svinval fences" if all(
            "_raw_" + k in rows[0] for k in SVINVAL_KINDS) else ""
        print(f"collect.py: witnesses agree on all {len(tlb_rows)} samples "
              f"(instructions, satp writes, sfence.vma by form{svinval}, ASID bits) "
              f"-> {a.tlb_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
