"""tests/test_shoot_report.py: the report's "Shootdowns" section (plot/shoot.py)
on small synthetic multi-hart result sets.

Each test writes DIR/smp/<config>-<harts>.csv and .meta.json in a scratch
directory, made here from a model of what each policy counts (no QEMU, no
/tmp data), changes what it needs, and runs the report's pieces: the
section and its tables must hold the counts of the input, an order that
the input breaks must be reported broken, the threshold crossover must
follow the counted fences, a set of shootdown runs alone must give a
report (no traceback), and a set without smp/ must have no section. With
the TLB model's runs (smp/tlb/<config>-<harts>-<preset>.csv, made here
from counts() and a price per fence and per walk), the model's table must
hold the CSV's medians, the cheaper threshold per N must follow the
modelled cycles (and claim every sample only when the samples do not
overlap), the section without them must be as before, and a malformed one
must be named.
A few seconds (the figures with gnuplot: a second or two more).

Reads:  plot/, tests/fixtures (the 1-hart set without smp/).
Writes: temporary directories only.
"""
import contextlib
import csv
import io
import json
import os
import re
import shutil
import sys
import types
import unittest

from toolhelp import ROOT, TempDir, run

sys.path.insert(0, os.path.join(ROOT, "plot"))
import report  # noqa: E402
import shoot  # noqa: E402
import summarize  # noqa: E402
import tables  # noqa: E402
from benches import SHOOT_FAMILIES  # noqa: E402
from test_figures import design_of, series  # noqa: E402  (the SVG reader)

PLOT = os.path.join(ROOT, "plot")
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
BASE = ("config,bench,param,param_unit,sample,iters,cycles,instret,cycles_per_op,"
        "instret_per_op,syscalls,copyin_calls,copyin_bytes,copyinstr_calls,"
        "copyinstr_bytes,copyout_calls,copyout_bytes,walk_steps,satp_writes,"
        "sfences,ctx_switches,idle_entries,interrupts,ptpages_user,ptpages_kproc,"
        "ptpages_kernel,free_pages").split(",")
HEADER = BASE + shoot.COUNTERS + ["idled", "region", "design", "asid", "megapages"]
WAKE = HEADER[:HEADER.index("idled")] + ["wake_ipis"] + HEADER[HEADER.index("idled"):]
PAGES = [1, 4, 16, 33, 64, 65, 256]
# Traits as configs/*.mk give them (the section reads only these).
TRAITS = {
    "global": {"kernel_table": "shared", "trap_switch": "yes", "user_mirror": "no"},
    "unified": {"kernel_table": "unified", "trap_switch": "no", "user_mirror": "no"},
}
POLICY = {row[0]: dict(zip(("target", "threshold", "via", "svinval", "readers"), row[1:6]))
          for row in SHOOT_FAMILIES}


def counts(config, harts, family, pages):
    """What a shrink of pages counts under family, as the kernel's policy
    (kernel/shoot.h) would: the model the input is made from."""
    design, asid = config.split("-")[0], "asid" in config
    pol = POLICY[family]
    readers = harts - 1 if pol["readers"] == "wide" else 1
    targets = {"all": harts - 1, "mask": harts - 1 if asid else readers,
               "lazy": readers}[pol["target"]]
    flushed = TRAITS[design]["trap_switch"] == "yes" and not asid
    fencing = 1 + (0 if flushed else targets)  # the harts that fence
    c = {k: 0 for k in shoot.COUNTERS}
    c.update(ipis_sent=targets, ipis_received=targets, shootdowns=1 if targets else 0,
             remote_fences=0 if flushed else targets, shoot_wait=1000 * targets + 7)
    if pol["via"] == "mmode" and targets:
        c["ipi_ecalls"] = 1
    if flushed:
        c["sfence_all"] = 2 + 2 * targets  # the traps' own flushes
    elif pages <= pol["threshold"]:
        if pol["svinval"]:
            c.update(sinvals=pages * fencing, inval_fences=2 * fencing)
        else:
            c["sfence_addr_asid" if asid else "sfence_addr"] = pages * fencing
    else:
        c["sfence_asid" if asid else "sfence_all"] = fencing
    c["sfences"] = sum(c[k] for k in shoot.PAGE_FORMS + shoot.WHOLE_FORMS)
    return c


def write_run(where, config, harts, change=None, samples=3, meta=True, wake=False):
    """where/smp/<config>-<harts>.csv (and its meta); change(family, pages,
    counts) may alter a point's counts in place. wake: as a kernel that
    counts wakeup IPIs (wake_ipis, in ipis_sent), with one in every point
    and a thr_pingpong point of two."""
    os.makedirs(os.path.join(where, "smp"), exist_ok=True)
    stem = os.path.join(where, "smp", "%s-%d" % (config, harts))
    design = config.split("-")[0]
    columns = WAKE if wake else HEADER
    points = [(f, p, counts(config, harts, f, p)) for f in POLICY for p in PAGES]
    if wake:
        for _, _, c in points:
            c.update(wake_ipis=1, ipis_sent=c["ipis_sent"] + 1)
        points.append(("thr_pingpong", 1, dict({k: 0 for k in shoot.COUNTERS}, wake_ipis=2,
                                               ipis_sent=2, ctx_switches=2)))
    with open(stem + ".csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns)
        w.writeheader()
        for family, pages, c in points:
            if change:
                change(family, pages, c)
            for s in range(samples):
                row = {k: 0 for k in columns}
                row.update(c, config=config, bench=family, param=pages, param_unit="pages",
                           sample=s, iters=2, cycles=4000000, instret=4000000,
                           cycles_per_op=2000000, instret_per_op=2000000, region=1,
                           design=design, asid=int("asid" in config), megapages=0)
                w.writerow(row)
    if meta:
        traits = dict(TRAITS[design], design=design, config=config,
                      asid=str(int("asid" in config)), megapages="0")
        with open(stem + ".meta.json", "w", encoding="utf-8") as f:
            json.dump({"config": config, "commit": "0123abc", "quick": False,
                       "qemu_flags": "-machine virt,aclint=on -smp %d -icount shift=0" % harts,
                       "kernel_map": {"harts": harts}, "traits": traits,
                       "date": "2026-01-01T00:00:00Z"}, f)


CONFIGS = ["global", "global-asid", "unified"]


def write_set(where, change=None, configs=CONFIGS, harts=(2, 4)):
    for c in configs:
        for h in harts:
            write_run(where, c, h, (lambda f, p, x, c=c, h=h: change(c, h, f, p, x))
                      if change else None)


def section(where):
    """The report's lines from the Shootdowns heading on, as one text."""
    text = "\n".join(report.report_lines(where))
    return text[text.index(shoot.SECTION):] if shoot.SECTION in text else ""


def table_row(text, config, harts):
    """The targeting table's row of config at harts, as cells."""
    text = text[text.index("### Targeting"):]
    for line in text.splitlines():
        cells = [x.strip() for x in line.strip("|").split("|")]
        if line.startswith("| ") and cells[:2] == [config, str(harts)]:
            return cells
    raise AssertionError("no targeting row for %s at %d harts" % (config, harts))


# The TLB model's runs (DIR/smp/tlb/): the joined CSV's columns
# (tools/collect.py --tlb-out) and the synthetic preset's costs.
MODEL_HEADER = ("config,bench,param,param_unit,sample,iters,instret,idled,region,design,"
                "asid,megapages,preset,tlb_insns,tlb_satp_writes,tlb_sfence_all,"
                "tlb_sfence_addr,tlb_sfence_asid,tlb_sfence_addr_asid,tlb_itlb_miss_user,"
                "tlb_itlb_miss_kernel,tlb_dtlb_miss_user,tlb_dtlb_miss_kernel,tlb_l2_hits,"
                "tlb_walks_1,tlb_walks_2,tlb_walks_3,tlb_ptc_hits,tlb_est_cycles,tlb_sfences,"
                "witness_ok,tlb_sinvals,tlb_inval_fences").split(",")
FENCE, WALK = 50, 7  # cycles per sfence.vma (any form), per PTE a walk reads
THRESHOLDS = ["shoot_lazy", "shoot_lazy_t1", "shoot_lazy_t33"]


def model_counts(config, harts, family, pages, refills=16):
    """Per operation under the model: the kernel's fences by form (counts())
    and the misses: 10, and refills misses after each whole fence (the
    readers' pages); every miss a 3-level walk. Returns (fences by form,
    misses, refill cycles)."""
    c = counts(config, harts, family, pages)
    forms = {k: c[k] for k in shoot.PAGE_FORMS + shoot.WHOLE_FORMS}
    misses = 10 + refills * sum(c[k] for k in shoot.WHOLE_FORMS)
    return forms, misses, sum(forms.values()) * FENCE + misses * 3 * WALK


def write_model(where, config, harts, preset="rocket", families=THRESHOLDS, refills=16,
                jitter=0, samples=3):
    """where/smp/tlb/<config>-<harts>-<preset>.csv and its meta: three
    samples a point, of misses m - jitter, m and m + jitter per operation."""
    os.makedirs(os.path.join(where, "smp", "tlb"), exist_ok=True)
    stem = os.path.join(where, "smp", "tlb", "%s-%d-%s" % (config, harts, preset))
    iters, design = 2, config.split("-")[0]
    with open(stem + ".csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=MODEL_HEADER)
        w.writeheader()
        for family in families:
            for pages in PAGES:
                forms, misses, _ = model_counts(config, harts, family, pages, refills)
                for s in range(samples):
                    m = misses + (s - 1) * jitter
                    insns = 1000000 + s
                    row = {k: 0 for k in MODEL_HEADER}
                    row.update({"tlb_" + k: v * iters for k, v in forms.items()})
                    row.update(config=config, bench=family, param=pages, param_unit="pages",
                               sample=s, iters=iters, instret=insns, region=s + 1,
                               design=design, asid=int("asid" in config), preset=preset,
                               tlb_insns=insns, tlb_itlb_miss_kernel=4 * iters,
                               tlb_dtlb_miss_user=(m - 4) * iters, tlb_walks_3=m * iters,
                               tlb_sfences=sum(forms.values()) * iters, witness_ok=1,
                               tlb_est_cycles=insns + iters * (sum(forms.values()) * FENCE
                                                               + m * 3 * WALK))
                    w.writerow(row)
    traits = dict(TRAITS[design], design=design, config=config,
                  asid=str(int("asid" in config)), megapages="0")
    tlbsim = dict({"fence_" + f: str(FENCE) for f in ("all", "addr", "asid", "addr_asid")},
                  preset=preset, walk=str(WALK), l2hit="4", satp="0", asid_bits="0")
    with open(stem + ".meta.json", "w", encoding="utf-8") as f:
        json.dump({"config": config, "commit": "0123abc", "quick": False,
                   "kernel_map": {"harts": harts}, "traits": traits, "tlbsim": tlbsim}, f)
    return stem + ".csv"


def model_section(text):
    """The model's subsection of a section's text."""
    start = text.index("### Refills after the fences: the TLB model")
    return text[start:text.index("\n### ", start + 1)]


class ShootCase(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.dir = self.tmp.path

    def tearDown(self):
        self.tmp.cleanup()


class SectionTest(ShootCase):
    def test_policy_table_holds_the_input(self):
        write_set(self.dir)
        text = section(self.dir)
        self.assertIn("### Targeting", text)
        for c in CONFIGS:
            for h in (2, 4):
                row = table_row(text, c, h)
                want = [counts(c, h, f, 16) for f in ("shoot_all", "shoot_mask", "shoot_lazy")]
                self.assertEqual(row[2], " / ".join(str(x["ipis_sent"]) for x in want), row)
                self.assertEqual(row[3], " / ".join(str(x["remote_fences"]) for x in want),
                                 row)
                self.assertEqual(row[4], "all ≥ mask ≥ lazy at every N")
        # without ASIDs the mask is the harts running it now: as lazy
        self.assertIn("At 4 harts mask sent as few as lazy in global and unified (without "
                      "ASIDs", text)
        self.assertIn("as many as all in global-asid (with ASIDs", text)
        self.assertIn("each wider policy sent at least as many IPIs as the next narrower",
                      text)

    def test_counts_not_assumed_a_broken_order_is_reported(self):
        def mask_above_all(c, h, f, p, x):
            if (c, h, f, p) == ("global-asid", 4, "shoot_all", 16):
                x["ipis_sent"] = 1
        write_set(self.dir, mask_above_all)
        text = section(self.dir)
        row = table_row(text, "global-asid", 4)
        self.assertEqual(row[2], "1 / 3 / 1")
        self.assertEqual(row[4], "not at every N: all 1 < mask 3 at N = 16")
        self.assertEqual(table_row(text, "global-asid", 2)[4], "all ≥ mask ≥ lazy at every N")
        self.assertIn("The wider policy sent fewer IPIs than a narrower one in global-asid",
                      text)
        self.assertNotIn("In every run and at every N", text)

    def test_wakeup_ipis_are_not_shootdown_ipis(self):
        for c in CONFIGS:
            write_run(self.dir, c, 4, wake=True)
        text = section(self.dir)
        self.assertEqual(table_row(text, "global-asid", 4)[2], "3 / 3 / 1")
        self.assertIn("### thr_pingpong", text)
        self.assertIn("| global-asid | 4 | 1 | 2 | 2 | 2 | 0 | 0 |", text)

    def test_trap_flush_explained_from_traits(self):
        write_set(self.dir)
        text = section(self.dir)
        self.assertIn("In global the targets took IPIs but made no remote fence: there traps "
                      "switch satp", text)
        self.assertNotIn("traits do not explain", text)

    def test_no_remote_fence_the_traits_do_not_explain(self):
        def unfenced(c, h, f, p, x):
            if c == "unified":
                x["remote_fences"] = 0
        write_set(self.dir, unfenced)
        text = section(self.dir)
        self.assertIn("In unified the targets took IPIs and made no remote fence, which "
                      "their traits do not explain.", text)

    def test_crossover_follows_the_counted_fences(self):
        write_set(self.dir, configs=["global-asid"], harts=(4,))
        text = section(self.dir)
        # one target: 16 pages by page on 2 harts (32) against 2 whole fences
        self.assertIn("| 4 | 16 | 0 + 2 | 32 + 0 | 32 + 0 | by page (T = 33, 64) when "
                      "f_w/f_p > 16 (less with refills), else whole (T = 1) |", text)
        self.assertIn("N = 16: by page (T = 33, 64) beats the whole fence (T = 1) when "
                      "f_w/f_p > 16", text)
        self.assertIn("N = 64: by page (T = 64) beats the whole fence (T = 1, 33) when "
                      "f_w/f_p > 64", text)

        def wide_whole(c, h, f, p, x):
            if x["sfence_asid"]:
                x["sfence_asid"] *= 4  # four whole fences a hart instead of one
        other = TempDir()
        self.addCleanup(other.cleanup)
        write_set(other.path, wide_whole, configs=["global-asid"], harts=(4,))
        changed = section(other.path)
        self.assertIn("| 4 | 16 | 0 + 8 | 32 + 0 | 32 + 0 | by page (T = 33, 64) when "
                      "f_w/f_p > 4 (less with refills), else whole (T = 1) |", changed)
        self.assertIn("N = 64: by page (T = 64) beats the whole fence (T = 1, 33) when "
                      "f_w/f_p > 16", changed)
        self.assertIn("R is not measured in these runs", changed)

    def test_alike_thresholds_explained_from_traits(self):
        write_set(self.dir, configs=["global"], harts=(4,))
        text = section(self.dir)
        self.assertIn("| global | 4 | every N | 0 + 4 | 0 + 4 | 0 + 4 | alike |", text)
        self.assertIn("In global the thresholds fence alike at every N: traps switch satp "
                      "without ASIDs", text)

    def test_delivery_svinval_readers_and_wait(self):
        write_set(self.dir, configs=["global-asid"], harts=(4,))
        text = section(self.dir)
        # M-mode: one ecall and one IPI: two traps into M-mode per shrink
        self.assertIn("| global-asid | 4 | 1 / 1 | 0 / 1 | 2 |", text)
        # Svinval at 64 pages on 2 harts: 128 sinval.vma, 4 ordering fences, 2 batches
        self.assertIn("| 4 | 64 | 128 | 0 | 128 | 4 (2) |", text)
        self.assertIn("| global-asid | 4 | 1 / 3 | 1 / 3 | 1 / 3 |", text)
        self.assertIn("Every run sent one IPI per reader's hart.", text)
        self.assertIn("QEMU's scheduling, not hardware", text)
        self.assertIn("| shoot_wide | 3,007 |", text)  # the wait per shootdown, as counted

    def test_anchors_beside(self):
        write_set(self.dir)
        text = section(self.dir)
        self.assertIn("| lazy translation coherence: munmap latency −70.8 % | LATR, ASPLOS 2018 "
                      "| IPIs per shrink, lazy against all targeting at 4 harts: −67 %", text)
        self.assertIn("OpenSBI pull request 111", text)

    def test_finding_in_the_summary(self):
        write_set(self.dir)
        lines = report.report_lines(self.dir)
        summary = "\n".join(lines[:lines.index("# Detail")])
        self.assertIn("- Shootdown IPIs per shrink of 16 pages at 4 harts: 1 under lazy "
                      "targeting against 3 under all (×0.33, 3 configs", summary)


class ModelTest(ShootCase):
    """The TLB model's runs (smp/tlb/) in the section: misses and refill
    cycles per preset, and which threshold costs fewer modelled cycles."""

    def test_table_holds_the_csv(self):
        write_set(self.dir, configs=["global-asid"], harts=(2, 4))
        write_model(self.dir, "global-asid", 2)
        text = model_section(section(self.dir))
        self.assertIn("TLB misses (all harts): shoot_lazy / shoot_lazy_t1 / shoot_lazy_t33",
                      text)
        for pages in (4, 33, 65):
            got = [model_counts("global-asid", 2, f, pages) for f in THRESHOLDS]
            want = "| %d | %s | %s |" % (pages, " / ".join("%d" % m for _, m, _ in got),
                                          " / ".join(shoot.fmt_num(r) for _, _, r in got))
            self.assertIn(want, text)
        # at 4 pages: 8 page fences (lazy, t33) or 2 whole ones and 32 refills (t1)
        self.assertIn("| global-asid | 2 | 1 | ", text)
        self.assertIn("| 2 | 4 | 10 / 42 / 10 | 610 / 982 / 610 |", text)
        self.assertIn("the model's estimates at assumed costs, not a measured hardware cost",
                      text)
        self.assertIn("rocket approximates Rocket", text)
        self.assertIn("sfence.vma 50 cycles (every form alike: f_w/f_p = 1 in the threshold's "
                      "terms), a satp write 0, a walk 7 per PTE read", text)

    def test_crossover_picks_the_cheaper_threshold(self):
        write_set(self.dir, configs=["global-asid"], harts=(2, 4))
        write_model(self.dir, "global-asid", 2)
        text = section(self.dir)
        self.assertNotIn("R is not measured in these runs", text)
        self.assertIn("price R with the fences for preset rocket", text)
        self.assertIn("- On rocket, at N = 4, T = 33, 64 (page fences) cost fewer modelled "
                      "cycles than T = 1 (whole fences) in global-asid: 610 against 982 "
                      "cycles per shrink, in every sample.", text)
        self.assertIn("- On rocket, at N = 33, T = 1 (whole fences) costs fewer modelled "
                      "cycles than T = 33, 64 (page fences) in global-asid: 982 against 3,510 "
                      "cycles per shrink, in every sample.", text)
        self.assertIn("- On rocket, at N = 65, T = 1, 33, 64 (whole fences) fenced alike in "
                      "global-asid, so none is cheaper by its policy: 982 modelled cycles",
                      text)
        # dearer refills (200 misses after each whole fence): by page wins at 33 too
        other = TempDir()
        self.addCleanup(other.cleanup)
        write_set(other.path, configs=["global-asid"], harts=(2, 4))
        write_model(other.path, "global-asid", 2, refills=200)
        self.assertIn("- On rocket, at N = 33, T = 33, 64 (page fences) cost fewer modelled "
                      "cycles than T = 1 (whole fences) in global-asid: 3,510 against 8,710 "
                      "cycles per shrink, in every sample.", section(other.path))

    def test_overlapping_samples_claim_medians_only(self):
        write_set(self.dir, configs=["global-asid"], harts=(2,))
        write_model(self.dir, "global-asid", 2, jitter=30)  # ± 630 cycles a sample
        text = section(self.dir)
        self.assertIn("at N = 4, T = 33, 64 (page fences) cost fewer modelled cycles than "
                      "T = 1 (whole fences) in global-asid: 610 against 982 cycles per "
                      "shrink, in the medians; the samples overlap.", text)
        self.assertIn("at N = 33, T = 1 (whole fences) costs fewer modelled cycles than "
                      "T = 33, 64 (page fences) in global-asid: 982 against 3,510 cycles per "
                      "shrink, in every sample.", text)

    def test_presets_and_configs_said(self):
        write_set(self.dir, configs=["global", "global-asid"], harts=(2,))
        for c in ("global", "global-asid"):
            write_model(self.dir, c, 2, preset="rocket")
            write_model(self.dir, c, 2, preset="c906")
            write_model(self.dir, c, 2, preset="u54", refills=200)
        text = section(self.dir)
        for preset in ("u54", "rocket", "c906"):
            self.assertIn("\n#### %s\n" % preset, text)
        self.assertIn("for presets u54, rocket and c906", text)
        # the trap-flushed config fences alike; presets with the same data share a line
        self.assertIn("- On rocket and c906, at N = 33, T = 1, 33, 64 (whole fences) fenced "
                      "alike in global, so none is cheaper by its policy: 1,754 modelled "
                      "cycles per shrink; T = 1 (whole fences) costs fewer modelled cycles "
                      "than T = 33, 64 (page fences) in global-asid: 982 against 3,510 cycles "
                      "per shrink, in every sample.", text)
        self.assertIn("- On u54, at N = 33, T = 1, 33, 64 (whole fences) fenced alike in "
                      "global, so none is cheaper by its policy: 17,210 modelled cycles per "
                      "shrink; T = 33, 64 (page fences) cost fewer modelled cycles than T = 1 "
                      "(whole fences) in global-asid: 3,510 against 8,710", text)
        self.assertNotIn("On rocket, at", text)

    def test_absent_model_leaves_the_section_unchanged(self):
        write_set(self.dir)
        plain = section(self.dir)
        self.assertIn("R is not measured in these runs (they ran without the TLB model)",
                      plain)
        self.assertNotIn("TLB model's", plain)
        write_model(self.dir, "global-asid", 4)
        with_model = section(self.dir)
        changed = set(plain.splitlines()) - set(with_model.splitlines())
        self.assertEqual(len(changed), 1, changed)  # the threshold's paragraph on R only
        self.assertIn("R is not measured", changed.pop())
        added = with_model.replace(model_section(with_model), "")
        self.assertEqual([l for l in added.splitlines() if l not in plain.splitlines()
                          and not l.startswith("  - ") and "TLB model" not in l], [])
        shutil.rmtree(os.path.join(self.dir, "smp", "tlb"))
        self.assertEqual(section(self.dir), plain)

    def test_model_without_threshold_families(self):
        write_set(self.dir, configs=["global-asid"], harts=(2,))
        write_model(self.dir, "global-asid", 2, families=["shoot_all", "shoot_lazy"])
        text = section(self.dir)
        self.assertIn("R is not measured in these runs", text)
        self.assertNotIn("Under the TLB model", text)
        self.assertIn("TLB misses (all harts): shoot_all / shoot_lazy", model_section(text))


SCRIPTS = {"summarize": summarize, "report": report, "tables": tables}


class ResultSetTest(ShootCase):
    def make(self, *scripts):
        """plot/SCRIPT.py --results DIR for each, in this process (as make
        report runs them, without a Python start each): their exit status
        and stderr, as returncode and stderr."""
        out = []
        for name in scripts:
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                status = SCRIPTS[name].main(["--results", self.dir])
            out.append(types.SimpleNamespace(returncode=status, stderr=err.getvalue()))
        return out

    def test_smp_only_gives_a_report(self):
        write_set(self.dir)
        for p in self.make("summarize", "report", "tables"):
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertNotIn("Traceback", p.stderr)
        with open(os.path.join(self.dir, "report.md"), encoding="utf-8") as f:
            md = f.read()
        self.assertTrue(md.startswith("# ptbench results: shootdowns only"))
        self.assertIn("## Shootdowns", md)
        self.assertIn("- Shootdown IPIs per shrink", md)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "summary.csv")))
        for path in ("smp/summary.csv", "plots/data/shoot_policy.dat",
                     "plots/data/shoot_threshold.dat", "tables/shoot.tex"):
            self.assertTrue(os.path.exists(os.path.join(self.dir, path)), path)
        with open(os.path.join(self.dir, "smp", "summary.csv"), encoding="utf-8") as f:
            rows = {(r["config"], r["harts"], r["bench"], r["param"]): r
                    for r in csv.DictReader(f)}
        self.assertEqual(rows[("global-asid", "4", "shoot_mask", "16")]["ipis_sent_median"],
                         "3.000")

    def test_no_smp_no_section(self):
        shutil.rmtree(self.dir)
        shutil.copytree(FIXTURES, self.dir)
        for p in self.make("summarize", "report"):
            self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(self.dir, "report.md"), encoding="utf-8") as f:
            md = f.read()
        self.assertNotIn("Shootdown", md)
        self.assertNotIn("shoot_", md)
        self.assertEqual([n for n in os.listdir(os.path.join(self.dir, "plots", "data"))
                          if n.startswith("shoot")], [])

    def test_full_set_has_both(self):
        shutil.rmtree(self.dir)
        shutil.copytree(FIXTURES, self.dir)
        write_set(self.dir)
        for p in self.make("summarize", "report", "tables"):
            self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(self.dir, "report.md"), encoding="utf-8") as f:
            md = f.read()
        self.assertIn("### getpid", md)
        self.assertIn("## Shootdowns", md)
        found = md.split("### Findings")[1].split("# Detail")[0]
        self.assertLessEqual(len([l for l in found.splitlines() if l.startswith("- ")]), 10)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "tables", "getpid.tex")))
        self.assertTrue(os.path.exists(os.path.join(self.dir, "tables", "shoot.tex")))

    def test_nothing_at_all(self):
        p, = self.make("summarize")
        self.assertEqual(p.returncode, 1)
        self.assertIn("no result CSV in %s (expected <config>.csv, or smp/" % self.dir,
                      p.stderr)

    def test_model_tables_written(self):
        write_set(self.dir, configs=["global-asid"], harts=(2,))
        write_model(self.dir, "global-asid", 2)
        for p in self.make("summarize", "report", "tables"):
            self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(self.dir, "tables", "shoot_tlb.tex"), encoding="utf-8") as f:
            tex = f.read()
        self.assertIn("global-asid & 2 & 4 & 10 / 42 / 10 & 610 / 982 / 610 \\\\", tex)
        self.assertIn("preset rocket", tex)
        self.assertIn("not a measured hardware cost", tex)
        shutil.rmtree(os.path.join(self.dir, "smp", "tlb"))
        p, = self.make("tables")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "tables", "shoot_tlb.tex")))

    def bad_model(self, edit, name=None):
        """A set whose one TLB-model CSV edit(text) spoils (renamed to
        name): report and tables exit 1 with the error, no traceback."""
        write_set(self.dir, configs=["global-asid"], harts=(2,))
        path = write_model(self.dir, "global-asid", 2)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(edit(text))
        if name:
            os.rename(path, os.path.join(os.path.dirname(path), name))
        out = self.make("report", "tables")
        for p in out:
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertNotIn("Traceback", p.stderr)
        return out[0].stderr

    def test_bad_model_input_named(self):
        err = self.bad_model(lambda t: t.replace(",tlb_est_cycles,", ",est,", 1))
        self.assertIn("global-asid-2-rocket.csv lacks required column(s): tlb_est_cycles", err)
        err = self.bad_model(lambda t: t.replace(",tlb_sfence_addr_asid,", ",addr_asid,", 1))
        self.assertIn("global-asid-2-rocket.csv lacks required column(s): "
                      "tlb_sfence_addr_asid", err)
        err = self.bad_model(lambda t: t.replace(",rocket,1000001,", ",rocket,x,", 1))
        self.assertIn("global-asid-2-rocket.csv line 3: column tlb_insns is not a number: 'x'",
                      err)
        err = self.bad_model(lambda t: t, name="global-asid-2.csv")
        self.assertIn("global-asid-2.csv: its samples are of preset rocket, which does not "
                      "end its name", err)

    def test_bad_input_named(self):
        write_run(self.dir, "global", 2)
        path = os.path.join(self.dir, "smp", "global-2.csv")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(",ipi_ecalls,", ",ecalls,", 1))
        p, = self.make("summarize")
        self.assertEqual(p.returncode, 1)
        self.assertIn("global-2.csv lacks required column(s): ipi_ecalls", p.stderr)
        self.assertNotIn("Traceback", p.stderr)
        os.remove(path)
        write_run(self.dir, "global", 2, meta=False)
        os.rename(path, os.path.join(self.dir, "smp", "global-x.csv"))
        os.remove(os.path.join(self.dir, "smp", "global-2.meta.json"))
        p, = self.make("report")
        self.assertEqual(p.returncode, 1)
        self.assertIn("global-x.csv: cannot tell its hart count", p.stderr)


@unittest.skipUnless(shutil.which("gnuplot"), "gnuplot not installed")
class FiguresTest(ShootCase):
    def test_drawn_in_design_colours_legends_clear(self):
        write_set(self.dir, configs=["global", "global-asid", "unified", "unified-asid"])
        p = run([sys.executable, os.path.join(PLOT, "summarize.py"), "--results", self.dir])
        self.assertEqual(p.returncode, 0, p.stderr)
        p = run([os.path.join(PLOT, "plots.sh"), self.dir], timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        colours = {}
        for name in shoot.FIGURES:
            with open(os.path.join(self.dir, "plots", name + ".svg"), encoding="utf-8") as f:
                svg = f.read()
            self.assertTrue(os.path.getsize(os.path.join(self.dir, "plots", name + ".png"))
                            > 1000)
            ss = series(svg)
            boxes = [(label, box) for label, _, box, _ in ss if box]
            for label, colour, _, pts in ss:
                if label and re.match(r"[a-z]", label) and design_of(label) in \
                        ("global", "unified"):
                    colours.setdefault(design_of(label), set()).add(colour)
                for x, y in pts:
                    for other, (x0, y0, x1, y1) in boxes:
                        if other != label:
                            self.assertFalse(x0 < x < x1 and y0 < y < y1,
                                             "%s: legend %s covers a point of %s"
                                             % (name, other, label))
        self.assertEqual(sorted(colours), ["global", "unified"])
        self.assertTrue(all(len(c) == 1 for c in colours.values()), colours)
        self.assertNotEqual(colours["global"], colours["unified"])


if __name__ == "__main__":
    unittest.main()
