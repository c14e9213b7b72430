"""plot/benches.py: the benchmark registry, one record per benchmark (a module).

Every report script, table and figure iterates RECORDS; adding a benchmark
is one C function in user/bench/ptbench.c and one record here (plus docs).

A record (a dict) holds:
  name      the bench column of the CSVs (what ptbench prints)
  text      what it measures, for the report (no design named: what differs
            between designs is said from their traits, see `traits`)
  short     a few words for tables and findings ("%s" takes the parameter)
  unit      what a cell counts ("instructions" unless said)
  traits    the design traits that explain its differences
  headline  the parameter shown in the summary's headline table: a number,
            "smallest" for the smallest measured, or absent (not shown)
  preferred the parameter standing for a sweep in single-value places
  fit       (what is fitted, [(term name, regressor column or "pages",
            unit word)], model text); optional "fit_tail" (fit the points
            after the last drop only) and "fit_target" (the fitted column)
  targets   [(title, param or None for the smallest, scale, unit, limit)]
            where limit is a number or [(trait conditions, limit)], the
            first whose conditions all hold applying (docs/targets.md)
  figure    a sweep figure of its own, drawn by plot/sweep.gp: its name
            (plots/NAME.svg), title, x and y labels, and whether y is
            logarithmic (x always is, base 2)
  bars      True when it is one of the single-size bars of bench_bars
  xv6       the xv6 workload's settings (plot/xv6_report.py): its text
            there and the parameter of its one-line comparison (None: the
            smallest), for the benchmarks user/bench/xv6bench.c runs
  min_harts a benchmark that runs only on this many harts or more (the
            shootdown families, thr_pingpong): measured into DIR/smp/
            (make bench CPUS=2,4), never into <config>.csv, so no 1-hart
            table or figure expects it; the report's "Shootdowns" section
            (plot/shoot.py) is its place
  counters  for a multi-hart benchmark that is not a shootdown family: the
            kernel counters (per operation) its table in that section shows
  shoot     a shootdown family's policy (kernel/shoot.h): target (all,
            mask, lazy), threshold (pages fenced page by page at most),
            via (sswi, mmode), svinval (0, 1), readers ("one": a reader
            thread on hart 1; "wide": one on every other hart), its label
            in figures and tables and what its shrink does, in words
Reads and writes nothing.
"""

RECORDS = [
    {"name": "getpid",
     "xv6": {"param": None,
             "text": "getpid(): the null system call, one round trip into the kernel."}, "short": "getpid",
     "text": "The null system call: one getpid() round trip from user mode into the "
             "kernel and back, the fixed cost every system call pays.",
     "traits": ["trap_switch", "asid"], "headline": "smallest", "bars": True,
     "targets": [("getpid round trip", None, 1, "instructions", 180)]},
    {"name": "write_null", "short": "write of %s",
     "text": "write() of N bytes to the null device from a page-aligned buffer. The "
             "device copies the bytes in a page at a time, so a write of N bytes makes "
             "ceil(N/4096) copyin calls of at most 4096 bytes each (the copyin_calls "
             "counter), not one copy of N bytes. The sizes 4095, 4096 and 4097 show "
             "what a second call and page cost.",
     "traits": ["copyin"], "headline": 65536, "preferred": 4096,
     "fit": ("instructions per write",
             [("per copyin call", "copyin_calls_median", "call"),
              ("per byte", "copyin_bytes_median", "byte")],
             "instructions per write = fixed + per call × copyin calls + per byte × "
             "bytes, the calls and bytes per write taken from the kernel's counters "
             "(copyin_calls, copyin_bytes)."),
     "targets": [("copyin of 64 KiB (write_null), per byte", 65536, 65536,
                  "instructions/byte", 0.5)]},
    {"name": "write_null_ua", "short": "unaligned write of %s",
     "text": "As write_null, from a buffer one byte past a page boundary: the copy "
             "cannot start with whole aligned words, and the last call may touch one "
             "page more.",
     "traits": ["copyin"], "preferred": 4096,
     "fit": ("instructions per write",
             [("per copyin call", "copyin_calls_median", "call"),
              ("per byte", "copyin_bytes_median", "byte")],
             "as write_null, from the unaligned buffer.")},
    {"name": "open_missing",
     "xv6": {"param": 120,
             "text": ("open() of a missing path of N bytes: copyinstr of the path, then "
                     "a failed lookup in the root directory.")}, "figure": {"name": "copyinstr", "title": "open() of a missing path by path length",
                "x": "path length (bytes)", "y": "instructions per open", "logy": False}, "short": "open() of a missing %s path",
     "text": "open() of a path that does not exist, by the path's length in bytes: "
             "copyinstr brings the path in up to its NUL, then the file-system path "
             "walk (namei) fails. Not monotonic: a name too long for a directory entry "
             "is refused before the directory is scanned, so the longer paths skip "
             "work the short ones do; the fit below uses only the points after the "
             "last drop.",
     "traits": ["copyin"], "preferred": 120,
     "fit": ("instructions per open", [("per byte", "copyinstr_bytes_median", "byte")],
             "instructions per open = fixed + per byte × bytes copyinstr copied "
             "(copyinstr_bytes), over the points after the last drop only (the longer "
             "names skip the directory scan). The per-byte term is all of open()'s "
             "cost per byte of path (copyinstr, the path walk and string handling), "
             "not copyinstr's alone."),
     "fit_tail": True,
     "targets": [("open() of a missing 120-byte path", 120, 1, "instructions", 30000)]},
    {"name": "read_file", "short": "read() of %s (copyout control)",
     "text": "read() of N bytes from a file in the RAM file system: copyout, the same "
             "code in every design, so this is a control that should not differ "
             "between designs.",
     "preferred": 4096,
     "fit": ("instructions per read",
             [("per copyout call", "copyout_calls_median", "call"),
              ("per byte", "copyout_bytes_median", "byte")],
             "instructions per read = fixed + per call × copyout calls + per byte × "
             "bytes (copyout_calls, copyout_bytes counters)."),
     "targets": [("copyout of 64 KiB (read_file), per byte", 65536, 65536,
                  "instructions/byte", 0.5)]},
    {"name": "pipe_rw",
     "xv6": {"param": 4096,
             "text": ("N bytes written into a pipe and read back, in calls of at most 512 "
                     "bytes (xv6's pipe buffer): copyin and copyout through the pipe. This is "
                     "the copy sweep for xv6, which has no null device to write to.")}, "short": "pipe write+read of %s",
     "text": "N bytes written into a pipe and read back out, in 512-byte calls: "
             "copyin and copyout through the pipe buffer plus the system calls around "
             "them.",
     "traits": ["copyin"], "preferred": 4096, "bars": True,
     "targets": [("pipe write+read of 4 KiB in 512 B calls", 4096, 1, "instructions",
                  15000)]},
    {"name": "fork_exit_wait",
     "xv6": {"param": None,
             "text": ("fork() of the workload grown to N KiB (the smallest point is "
                     "the program as loaded, whose size depends on the kernel's exec), "
                     "the child exits at once, the parent waits.")}, "figure": {"name": "fork", "title": "fork + exit + wait by process size",
                "x": "process size (KiB)", "y": "instructions per fork+exit+wait", "logy": True}, "short": "fork+exit+wait of a %s process",
     "text": "fork() of a process of the given size in KiB (the size the process really "
             "had); the child exits at once and the parent waits: user memory and page "
             "table copied, and any per-process kernel table built and freed.",
     "traits": ["kernel_table", "user_mirror", "megapages"], "headline": "smallest",
     "fit": ("instructions per fork+exit+wait", [("per page", "pages", "page")],
             "instructions per fork+exit+wait = fixed + per page × pages of user "
             "memory (size / 4 KiB)."),
     "targets": [("fork+exit+wait, smallest process", None, 1, "instructions",
                  [({"kernel_table": "shared"}, 120000), ({"kernel_table": "none"}, 120000),
                   ({"kernel_table": "unified"}, 120000),
                   ({"kernel_table": "private-root"}, 400000),
                   ({"kernel_table": "private-copy", "megapages": "1"}, 150000),
                   ({"kernel_table": "private-copy"}, 500000)])]},
    {"name": "fork_exec_wait",
     "xv6": {"param": None,
             "text": ("fork(), exec() of a small program (benchnop) in the child, "
                     "exit, wait.")}, "short": "fork+exec+wait",
     "text": "fork() then exec() of a small program in the child, exit and wait: the "
             "whole cost of starting a program.",
     "traits": ["kernel_table", "user_mirror", "megapages"], "headline": "smallest",
     "bars": True,
     "targets": [("fork+exec+wait", None, 1, "instructions",
                  [({"kernel_table": "shared"}, 300000), ({"kernel_table": "none"}, 300000),
                   ({"kernel_table": "unified"}, 300000),
                   ({"kernel_table": "private-root"}, 600000),
                   ({"kernel_table": "private-copy"}, 700000)])]},
    {"name": "sbrk",
     "xv6": {"param": 16,
             "text": "sbrk() up by N pages, then down by N pages."}, "figure": {"name": "sbrk", "title": "sbrk(+N pages) then sbrk(-N pages)",
                "x": "pages", "y": "instructions per grow+shrink", "logy": True}, "short": "sbrk up and down by %s",
     "text": "sbrk() up by N pages then down by N pages: allocating, mapping, unmapping "
             "and freeing user memory.",
     "traits": ["user_mirror"], "headline": 16, "preferred": 16,
     "fit": ("instructions per grow+shrink", [("per page", "pages", "page")],
             "instructions per sbrk up and down = fixed + per page × pages."),
     "targets": [("sbrk +16 then -16 pages", 16, 1, "instructions", 150000)]},
    {"name": "pingpong",
     "xv6": {"param": None,
             "text": ("one byte each way between two processes through two pipes: two "
                     "context switches per round trip.")}, "short": "ping-pong round trip",
     "text": "One byte sent each way between two processes through two pipes (one "
             "round trip): blocking and context switching.",
     "traits": ["kernel_table", "trap_switch", "asid"], "headline": "smallest",
     "bars": True,
     "targets": [("pipe ping-pong round trip", None, 1, "instructions", 10000)]},
    {"name": "ptpages", "short": "page-table pages of a %s process", "unit": "pages",
     "text": "Page-table pages one process holds, by process size in KiB: its user page "
             "table and its per-process kernel table if the design has one. Cells show "
             "pages, not instructions.",
     "traits": ["kernel_table", "user_mirror", "megapages"], "headline": "smallest",
     "preferred": 16384,
     "fit": ("page-table pages", [("per page", "pages", "page")],
             "page-table pages (user + per-process kernel) = fixed + per page × pages "
             "of user memory; the tables grow in steps of one page per 2 MiB mapped, "
             "so the residuals show the steps."),
     "fit_target": "ptpages_total_median"},
]

# The shootdown families (ptbench's shoot_*, user/bench/ptbench.c's
# shoot_variants), each a record built from one row of this table:
# (name, target, threshold, via, svinval, readers, label, what it does).
# One thread on hart 0 shrinks the heap by N pages and regrows it (one
# operation) while reader threads of the process run on other harts; the
# process visited every hart first. The targeting families come first,
# from the widest to the narrowest (the report checks, not assumes, that
# the narrower send no more IPIs); every other family differs from
# SHOOT_BASE in one knob only, which is what the report compares it on.
SHOOT_FAMILIES = [
    ("shoot_all", "all", 64, "sswi", 0, "one", "all",
     "interrupts every other hart that is up"),
    ("shoot_mask", "mask", 64, "sswi", 0, "one", "mask",
     "interrupts the harts in the address space's mask, those that loaded it (Linux's "
     "mm_cpumask, never cleared with ASIDs; without ASIDs a hart that switches away "
     "flushes, so the mask is the harts that run it now)"),
    ("shoot_lazy", "lazy", 64, "sswi", 0, "one", "lazy",
     "interrupts only the harts that run the address space now; the others in its mask "
     "are marked and fence its ASID before they load it again"),
    ("shoot_lazy_t1", "lazy", 1, "sswi", 0, "one", "threshold 1 (OpenSBI)",
     "is lazy, fencing page by page only a change of one page (as OpenSBI, which turns "
     "any larger range into a full flush)"),
    ("shoot_lazy_t33", "lazy", 33, "sswi", 0, "one", "threshold 33 (x86)",
     "is lazy, fencing page by page up to 33 pages (as x86)"),
    ("shoot_mmode", "lazy", 64, "mmode", 0, "one", "M-mode IPIs",
     "is lazy, its IPIs delivered through M-mode (an ecall, as an SBI send-IPI call)"),
    ("shoot_svinval", "lazy", 64, "sswi", 1, "one", "Svinval",
     "is lazy, its page fences batched with Svinval (sfence.w.inval; sinval.vma per "
     "page; sfence.inval.ir)"),
    ("shoot_wide", "lazy", 64, "sswi", 0, "wide", "readers on every hart",
     "is lazy, with a reader thread on every other hart, not on hart 1 only"),
]
SHOOT_BASE = "shoot_lazy"


def shoot_record(name, target, threshold, via, svinval, readers, label, what):
    """The registry record of one row of SHOOT_FAMILIES."""
    return {
        "name": name, "min_harts": 2, "unit": "events per operation", "preferred": 16,
        "short": "shrink and regrow of %s (" + label + ")",
        "text": "A TLB shootdown per operation: the heap shrunk by N pages and grown "
                "back while other threads of the process read memory on other harts; "
                "the shrink %s. Per-page fences up to %d pages, a whole-ASID fence "
                "(everything, without ASIDs) above, locally and on each target. Cells "
                "count events per operation (IPIs, fences by form, M-mode calls), not "
                "instructions: under -icount every hart advances the virtual time."
                % (what, threshold),
        "shoot": {"target": target, "threshold": threshold, "via": via,
                  "svinval": svinval, "readers": readers, "label": label, "what": what}}


RECORDS += [shoot_record(*row) for row in SHOOT_FAMILIES]
RECORDS.append(
    {"name": "thr_pingpong", "min_harts": 2, "unit": "events per operation",
     "short": "thread ping-pong across two harts",
     "text": "One byte each way through two pipes between two threads of one process, "
             "pinned to harts 0 and 1: each hart switches only between its thread and its "
             "idle loop, and each wakeup of the other thread interrupts that thread's idle "
             "hart (a wakeup IPI). Counts per round trip; its time is virtual, as every "
             "multi-hart run's.",
     "counters": ["wake_ipis", "ipis_sent", "ctx_switches", "satp_writes", "sfences"]})

# The cost sweep plot/reprice.py re-prices every TLB result set at (issue 23):
# the one table of it. A row is (axis, values, default, meaning). The fence
# axis prices every sfence.vma form alike; each cost is cycles added on top
# of the one instruction the model already counts for the fence or satp
# write. "default" is the value an axis holds while another is swept (the
# crossovers are read on the fence axis at the other axes' defaults); None:
# each run's own recorded cost, its preset's (tools/tlbsim/README.md), so
# that a ratio "at the defaults" is the ratio of the plugin's estimates.
COST_SWEEP = [
    ("fence", (1, 50, 500, 5000), None, "cycles per sfence.vma (any form)"),
    ("satp", (1, 50, 500), None, "cycles per satp write"),
    ("walk", (16, 40, 160), None, "cycles per PTE a walk reads"),
]

BY_NAME = {r["name"]: r for r in RECORDS}


def record(name):
    """The record of a benchmark, or a bare one for a benchmark the registry
    does not know (shown with its name only)."""
    return BY_NAME.get(name, {"name": name, "short": name.replace("_", " "), "text": ""})


def figure_args(figure):
    """gnuplot -e assignments for plot/sweep.gp of the named sweep figure,
    one a line; '' when no record draws it."""
    for r in RECORDS:
        f = r.get("figure")
        if f and f["name"] == figure:
            q = lambda t: "'%s'" % t.replace("'", "")
            return "\n".join(["title=" + q(f["title"]), "xlabel=" + q(f["x"]),
                              "ylabel=" + q(f["y"]), "logy=%d" % bool(f["logy"])])
    return ""


def unit_of(name):
    """What a cell of the benchmark counts."""
    return record(name).get("unit", "instructions")


def one_hart(name):
    """Whether the benchmark runs on one hart, into <config>.csv (not a
    multi-hart family of DIR/smp/)."""
    return record(name).get("min_harts", 1) <= 1


if __name__ == "__main__":
    import sys
    # plot/plots.sh: `benches.py --figure NAME` prints sweep.gp's labels.
    if len(sys.argv) == 3 and sys.argv[1] == "--figure":
        text = figure_args(sys.argv[2])
        print(text)
        sys.exit(0 if text else 1)
    sys.exit("usage: plot/benches.py --figure NAME")
