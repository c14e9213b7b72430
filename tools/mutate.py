#!/usr/bin/python3
"""tools/mutate.py: the kernel's fence sites, and the mutation test that
removes each in turn and shows the TLB model's checker catch it.

SITES below is the one list of every place in the kernel that exists to
make a TLB forget: every sfence.vma instruction, the calls whose purpose is
to fence (aspace_changed(), aspace_user_shrunk()), and the atomic updates
that decide where fences happen (a hart recorded in ran_on, other harts
marked in stale_on). A site is named by the function objdump shows it in
(a regular expression matching the whole name) and a pattern of the instruction; every instruction of that function that
matches is the site. Mutating a site patches the built kernel ELF: each
matching instruction becomes a nop of its size (addi x0, x0, 0, or c.nop
for a compressed one); nothing is rebuilt,
so the list stays right while the kernel's C is restructured, as long as
the functions keep their names.

Each site names the config, harts, boot arguments and user command
(user/fencecheck.c) under which its fence matters; the mutated kernel runs
that under tools/tlbsim with check=1 and must fail with a stale
translation reported. A site whose fence is redundant says why instead,
and is not run. `--list` checks that every fence instruction of the
configs the sites use is covered by some site (a new sfence.vma that is
not listed fails it).

Usage:
  tools/mutate.py --list                 sites, and uncovered instructions
  tools/mutate.py [--only NAME] [--jobs N]
                                         run the mutation test (--only also
                                         runs a blocked site)
Reads:  build/<config>/kernel (built with make CONFIG=...), build/tlbsim/
        tlbsim.so. Writes: build/mutate/ (patched kernels, reports).
Exit:   0 when every runnable site was caught and every unmutated run was
        clean; 1 otherwise; 2 on bad usage or a missing build.
"""
import argparse
import concurrent.futures
import os
import re
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OBJDUMP = "riscv64-unknown-elf-objdump"
NOP = struct.pack("<I", 0x00000013)  # addi x0, x0, 0
C_NOP = struct.pack("<H", 0x0001)    # c.nop: for a compressed (16-bit) instruction
STALE_EXIT = 86                      # tools/tlbsim/tlbsim.c TLBSIM_EXIT_FAILED
SFENCE_ALL = r"sfence\.vma$"
SFENCE_ASID = r"sfence\.vma\s+zero,\w+$"
PAGE_FENCE = r"sfence\.vma\s+(?!zero)\w+(,\w+)?$"  # sfence.vma va[, asid]
SINVAL = r"\.4byte\s+0x16[0-9a-f]{6}$"           # sinval.vma (funct7 0001011)
INVAL_ORDER = r"\.4byte\s+0x18[01]00073$"         # sfence.w.inval, sfence.inval.ir


def site(name, function, pattern, config=None, cmd=None, cpus=1, bootargs="",
         redundant=None, blocked=None):
    """redundant: why the fence is not needed (not run); blocked: why the
    site cannot be shown caught yet (not run, reported as not shown)."""
    return {"name": name, "function": function, "pattern": pattern, "config": config,
            "cmd": cmd, "cpus": cpus, "bootargs": bootargs, "redundant": redundant,
            "blocked": blocked}


# Every fence site of the kernel. Config: one where the fence matters.
SITES = [
    site("boot-probe-flush", "aspace_boot", SFENCE_ALL, redundant=(
        "the flush after the ASID-width probe: the probed satp value lives for the one "
        "csrr that reads it back, fetched from a global kernel page; what it may leave "
        "cached is global and identical in every table")),
    site("hart-init-flush", "aspace_hart_init", SFENCE_ALL, redundant=(
        "the first satp write of a hart: nothing was translated on it before (M-mode and "
        "bare-mode accesses are not), so no TLB holds anything yet")),
    # aspace_write, and its copy inlined into aspace_load_kernel: one site.
    site("load-flush", "aspace_(write|load_kernel)", SFENCE_ALL, "perproc",
         "fencecheck procs"),
    site("rollover-flush", "asid_here_slow", SFENCE_ALL, "global-asid",
         "fencecheck procs", bootargs="asidbits=2"),
    site("deferred-asid-fence", "asid_here_slow", SFENCE_ASID, "global-asid",
         "fencecheck migrate", cpus=2),
    # An exec that rolls the ASIDs over while its kernel table is loaded
    # (perproc_copy's private kernel stack is not global), with asidbits=4
    # so that the kernel table's old and new ASIDs differ; at 2 harts,
    # where the old ASID's next owner then runs on the same hart.
    site("follow-call", "asid_here_slow", r"<satp_follow>", "perproc_copy-asid", "asidstress",
         cpus=2, bootargs="asidbits=4"),
    site("follow-fence", "satp_follow", SFENCE_ASID, "perproc_copy-asid", "asidstress",
         cpus=2, bootargs="asidbits=4"),
    site("ran-on-record", "asid_here_slow", r"amoor\.d\s", "global-asid",
         "fencecheck shrink"),
    # A shrink's local fences (kernel/aspace.c fence_range, inlined into
    # each caller): the whole TLB or ASID above the threshold (shootpages=0
    # puts every shrink there), page by page at or below it (the default,
    # 64), batched with Svinval with svinval=1.
    site("shrunk-flush", "aspace_user_shrunk", SFENCE_ALL, "unified", "fencecheck shrink",
         bootargs="shootpages=0"),
    site("shrunk-asid-fence", "aspace_user_shrunk", SFENCE_ASID, "global-asid",
         "fencecheck shrink", bootargs="shootpages=0"),
    site("shrunk-page-call", "aspace_user_shrunk", r"<fence_pages>", "global-asid",
         "fencecheck shrink"),
    site("shrunk-inval-call", "aspace_user_shrunk", r"<inval_pages>", "global-asid",
         "fencecheck shrink", bootargs="svinval=1"),
    # The page fences themselves, and Svinval's invalidations, shared by
    # local and remote fences; here on a shootdown's target.
    site("page-fences", "fence_pages", PAGE_FENCE, "global-asid", "fencecheck remote",
         cpus=2),
    site("sinvals", "inval_pages", SINVAL, "global-asid", "fencecheck remote", cpus=2,
         bootargs="svinval=1"),
    site("inval-ordering", "inval_pages", INVAL_ORDER, redundant=(
        "sfence.w.inval and sfence.inval.ir order the page-table stores and the "
        "invalidations; they invalidate nothing themselves, and the model takes each "
        "sinval.vma's invalidation as it executes (QEMU runs a hart's instructions in "
        "order), so no translation differs without them")),
    site("shrunk-mark-stale", "aspace_user_shrunk", r"amoor\.d\s", "global-asid",
         "fencecheck migrate", cpus=2),
    site("changed-flush", "aspace_changed", SFENCE_ALL, redundant=(
        "umap without ASIDs, the one plain design that changes its mirror with the table "
        "loaded: no path uses a mirror address between the change (sbrk, exec) and the next "
        "full flush, which userret's return to user mode or the scheduler's satp writes "
        "always make first (exec copies argv out through the new user table, not the "
        "mirror); kept so that the change is safe on its own, should a later path copy "
        "through the mirror after changing it")),
    site("changed-asid-fence", "aspace_changed", SFENCE_ASID, "umap-asid",
         "fencecheck shrink", bootargs="shootpages=0"),
    site("changed-page-call", "aspace_changed", r"<fence_pages>", "umap-asid",
         "fencecheck shrink"),
    site("changed-inval-call", "aspace_changed", r"<inval_pages>", "umap-asid",
         "fencecheck shrink", bootargs="svinval=1"),
    site("changed-mark-stale", "aspace_changed", r"amoor\.d\s", "umap-asid",
         "fencecheck migrate", cpus=2),
    site("grow-shrunk-call", "proc_grow", r"<aspace_user_shrunk>", "global-asid",
         "fencecheck shrink"),
    # With a second thread the shrink takes the shared path (grow_shared).
    site("grow-shared-shrunk-call", "grow_shared", r"<aspace_user_shrunk>",
         "global-asid", "fencecheck threads"),
    # A thread that ends takes its trap frame (every design) and, with a
    # per-process kernel table, its kernel stack out of the live tables;
    # the next thread in its slot gets new frames at the same addresses.
    site("thread-trapframe-call", "(free_proc|vmspace_leave)", r"<aspace_changed>",
         "global-asid", "fencecheck slots"),
    site("thread-kstack-call", "kpt_thread_free", r"<aspace_changed>", "perproc-asid",
         "fencecheck slots"),
    # The fences a shootdown's IPI makes on its target (kernel/ipi.c): with
    # ASIDs, or where the table stays loaded in the kernel (unified),
    # nothing else empties that hart's TLB before its thread loads from
    # the page again. (A trap-switching design without ASIDs flushes in
    # uservec on the way into the interrupt: its target does not fence.)
    # By page at or below the threshold, whole ASIDs above it, the whole
    # TLB without ASIDs.
    site("ipi-remote-page-call", "ipi_intr", r"<tlb_fence_pages>", "global-asid",
         "fencecheck remote", cpus=2),
    site("remote-page-call", "tlb_fence_pages", r"<fence_pages>", "global-asid",
         "fencecheck remote", cpus=2),
    site("remote-inval-call", "tlb_fence_pages", r"<inval_pages>", "global-asid",
         "fencecheck remote", cpus=2, bootargs="svinval=1"),
    site("ipi-remote-asid-call", "ipi_intr", r"<tlb_fence_asid>", "global-asid",
         "fencecheck remote", cpus=2, bootargs="shootpages=0"),
    site("remote-asid-fence", "tlb_fence_asid", SFENCE_ASID, "global-asid",
         "fencecheck remote", cpus=2, bootargs="shootpages=0"),
    site("ipi-remote-flush", "ipi_intr", SFENCE_ALL, "unified", "fencecheck remote", cpus=2,
         bootargs="shootpages=0"),
    # A dropped IPI: the shootdown interrupts no hart (and waits for none).
    site("shoot-call", "vmspace_shootdown", r"<ipi_shootdown>", "global-asid",
         "fencecheck remote", cpus=2),
    # A mask that misses a hart: lazily, the harts running the address
    # space (harts_running sets none); with shoot=mask, the harts that
    # loaded it (asid_here_slow records none).
    site("running-mask", "harts_running", r"^or\s", "global-asid", "fencecheck remote",
         cpus=2),
    site("mask-ran-on-record", "asid_here_slow", r"amoor\.d\s", "global-asid",
         "fencecheck remote", cpus=2, bootargs="shoot=mask"),
    site("umap-shrink-mirror-call", "kpt_user_changed", r"<aspace_changed>", "umap-asid",
         "fencecheck shrink"),
    site("umap-exec-mirror-call", "kpt_user_replaced", r"<aspace_changed>", "umap-asid",
         "fencecheck exec"),
    site("uservec-flush", "trampoline", SFENCE_ALL, "umap", "fencecheck shrink"),
    site("userret-flush", "userret", SFENCE_ALL, "umap", "fencecheck shrink"),
]

# What a fence instruction looks like to --list's coverage check.
FENCE_LIKE = re.compile(r"sfence\.vma|<aspace_changed>|<aspace_user_shrunk>|<satp_follow>|"
                        r"<fence_pages>|<inval_pages>|<tlb_fence_\w+>|<ipi_shootdown>|"
                        + SINVAL[:-1] + "|" + INVAL_ORDER[:-1])


def disassemble(elf):
    """[(function, address, instruction text)] of elf's code."""
    out = subprocess.run([OBJDUMP, "-d", "--no-show-raw-insn", elf], capture_output=True,
                         text=True, check=True).stdout
    insns, function = [], None
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
        if m:
            function = m.group(1)
            continue
        m = re.match(r"^\s+([0-9a-f]+):\s+(.*)$", line)
        if m and function:
            insns.append((function, int(m.group(1), 16), m.group(2).strip()))
    return insns


def matches(s, insns):
    """Addresses of the instructions of insns that site s names."""
    pat = re.compile(s["pattern"])
    return [a for f, a, text in insns
            if re.fullmatch(s["function"], f) and pat.search(text)]


def load_segments(data):
    """[(vaddr, file offset, file size)] of an ELF64's PT_LOAD segments."""
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    segs = []
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz = struct.unpack_from(
            "<IIQQQQ", data, phoff + i * phentsize)
        if p_type == 1:
            segs.append((p_vaddr, p_offset, p_filesz))
    return segs


def patch(elf, addrs, out):
    """Write elf to out with a nop at each address of addrs."""
    with open(elf, "rb") as f:
        data = bytearray(f.read())
    segs = load_segments(data)
    for a in addrs:
        for vaddr, off, size in segs:
            if vaddr <= a < vaddr + size:
                at = off + a - vaddr
                # A 32-bit instruction has 11 in its lowest two bits; any
                # other value is a compressed one, of 16 bits (RVC).
                nop = NOP if data[at] & 3 == 3 else C_NOP
                data[at:at + len(nop)] = nop
                break
        else:
            raise ValueError("0x%x is in no loaded segment of %s" % (a, elf))
    with open(out, "wb") as f:
        f.write(data)


def kernel_of(config):
    return os.path.join(ROOT, "build", config, "kernel")


# QEMU 10.0.2 now and then stops a run of 2+ harts under a plugin with
# this message (a QEMU fault, not the guest's): such a run is retried.
QEMU_FLAKE = "Bad icount read"
TRIES = 4


def run_checked(kernel, s, report):
    """Run s's command on kernel under the checker: (status, output)."""
    plugin = os.path.join(ROOT, "build", "tlbsim", "tlbsim.so")
    for _ in range(TRIES):
        r = subprocess.run([os.path.join(ROOT, "tools", "run.sh"), "--kernel", kernel,
                            "--cpus", str(s["cpus"]), "--timeout", "120", "--bootargs",
                            s["bootargs"], "--cmd", s["cmd"], "--extra",
                            "-plugin %s,check=1,out=%s" % (plugin, report)],
                           capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if QEMU_FLAKE not in r.stderr:
            break
    return r.returncode, r.stdout + r.stderr


def try_site(s, workdir):
    """Run s unmutated and mutated: (verdict, detail)."""
    insns = disassemble(kernel_of(s["config"]))
    addrs = matches(s, insns)
    if not addrs:
        return "missing", "no instruction of %s matches %r in %s" % (
            s["function"], s["pattern"], s["config"])
    base = os.path.join(workdir, s["name"])
    status, out = run_checked(kernel_of(s["config"]), s, base + ".clean.csv")
    if status != 0:
        return "unclean", "unmutated %s failed (%d): %s" % (s["config"], status, out[-600:])
    patch(kernel_of(s["config"]), addrs, base + ".elf")
    status, out = run_checked(base + ".elf", s, base + ".csv")
    if status == STALE_EXIT and "tlbsim: stale translation: " in out:
        first = [l for l in out.splitlines() if l.startswith("tlbsim: stale translation: ")][0]
        return "caught", "%d nop(s); %s" % (len(addrs), first[len("tlbsim: "):][:160])
    return "missed", "%d nop(s); status %d: %s" % (len(addrs), status, out[-600:])


def list_sites(configs):
    """Print the sites and any fence-like instruction no site covers; the
    number uncovered."""
    uncovered = 0
    for s in SITES:
        where = "%s, %d hart(s)%s: %s" % (s["config"], s["cpus"],
                                          ", " + s["bootargs"] if s["bootargs"] else "",
                                          s["cmd"])
        if s["redundant"]:
            where = "redundant: " + s["redundant"]
        elif s["blocked"]:
            where += " -- NOT SHOWN: " + s["blocked"]
        print("%-26s %-22s %-24s %s" % (s["name"], s["function"], s["pattern"], where))
    for config in configs:
        insns = disassemble(kernel_of(config))
        covered = {a for s in SITES for a in matches(s, insns)}
        for f, a, text in insns:
            if FENCE_LIKE.search(text) and a not in covered:
                print("uncovered: %s 0x%x in %s: %s" % (config, a, f, text))
                uncovered += 1
    return uncovered


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args(argv)
    names = {s["name"] for s in SITES}
    if set(a.only) - names:
        print("mutate.py: unknown site(s) %s; sites are %s"
              % (", ".join(sorted(set(a.only) - names)), ", ".join(s["name"] for s in SITES)),
              file=sys.stderr)
        return 2
    runnable = [s for s in SITES if not s["redundant"] and
                (s["name"] in a.only if a.only else not s["blocked"])]
    configs = sorted({s["config"] for s in SITES if s["config"]})
    for c in configs:
        if not os.path.exists(kernel_of(c)):
            print("mutate.py: build/%s/kernel missing (make CONFIG=%s)" % (c, c),
                  file=sys.stderr)
            return 2
    if a.list:
        return 1 if list_sites(configs) else 0
    workdir = os.path.join(ROOT, "build", "mutate")
    os.makedirs(workdir, exist_ok=True)
    bad = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for s, (verdict, detail) in zip(runnable, pool.map(lambda s: try_site(s, workdir),
                                                           runnable)):
            print("%-7s %-26s %s" % (verdict, s["name"], detail), flush=True)
            bad += verdict != "caught"
    print("%d caught, %d not, %d redundant (documented), %d not shown (blocked)"
          % (len(runnable) - bad, bad, sum(1 for s in SITES if s["redundant"]),
             sum(1 for s in SITES if s["blocked"] and s not in runnable)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
