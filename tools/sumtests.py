#!/usr/bin/python3
"""tools/sumtests.py: turn test output into counts for tools/test.sh.

Reads:  a usertests or fuzz console log (from tools/run.sh --log) with run.sh's
        exit status and stderr, or the output of `python3 -m unittest -v`.
Writes: a block of result lines on stdout, and one "PASSED FAILED" line
        appended to a totals file per run; `total` prints the grand total.

usage:
  sumtests.py usertests LABEL STATUS LOG ERRFILE TOTALS
  sumtests.py fuzz LABEL STATUS LOG ERRFILE TOTALS
  sumtests.py asidstress LABEL STATUS LOG ERRFILE TOTALS
  sumtests.py hostile TOTALS [LABEL LOG]...   usertests logs: same hostile line?
  sumtests.py unittest LABEL STATUS OUTPUT TOTALS
  sumtests.py fail LABEL REASON TOTALS
  sumtests.py total TOTALS     prints "N passed, N failed"; exit 0 iff N failed is 0

A usertests run adds the counts of its last "N passed, N failed" line. A run that
was stopped by the timeout, panicked, printed no such line, or exited non-zero
although it reported no failure adds one more failure, with the reasons.

A fuzz run counts as one test: it passes when its last "fuzz: " line ends in
", OK" and it exited 0; only its "fuzz: " lines are shown (the kernel's notes
on the invalid call numbers it makes are left in the log).

An asidstress run counts as one test: it passes when its last "asidstress: "
line starts "asidstress: ok" and it exited 0 (under the TLB model's checker a
stale translation makes the run exit non-zero after an ok line: the checker's
"tlbsim: " message from stderr is given as the reason).

The hostile check counts as one test over the usertests logs of a `make test`:
each log that reached its final line must hold one "hostile: N cases,
signature X" line, and all those lines must be the same (every design, 1 and
2 harts). Logs of runs that died early are left out: they failed already.
"""
import re
import sys

RUN_TIMEOUT = 124  # tools/run.sh: stopped by the timeout
RUN_PANIC = 101  # tools/run.sh and kernel/printf.h PANIC_STATUS

# "12 passed, 0 failed", maybe after one "word:" and maybe with ", N skipped".
FINAL_RE = re.compile(r"^(?:\S+:\s+)?(\d+) passed, (\d+) failed(?:, \d+ skipped)?\s*$")
RAN_RE = re.compile(r"^Ran (\d+) tests? in ")
HOSTILE_RE = re.compile(r"^hostile: \d+ cases, signature [0-9a-f]{8}$")
FUZZ_PREFIX = "fuzz: "
STRESS_PREFIX = "asidstress: "
VERDICT_RE = re.compile(r"^(OK|FAILED)(?: \((.*)\))?\s*$")


class Verdict:
    """Counts for one run, and why it failed beyond its own count."""

    def __init__(self, passed=0, failed=0, reasons=()):
        self.passed = passed
        self.failed = failed
        self.reasons = list(reasons)

    def total_failed(self):
        """Failures counted for the run: its own plus one if anything else broke."""
        return self.failed + (1 if self.reasons else 0)


def console_lines(text):
    """Lines of a console log without carriage returns or blank lines."""
    lines = (line.rstrip("\r") for line in text.replace("\r\n", "\n").split("\n"))
    return [line.replace("\r", "") for line in lines if line.strip("\r ")]


def first_line(text):
    lines = console_lines(text)
    return lines[0] if lines else ""


def run_problems(lines, status, err, final_found, what):
    """Reasons a run failed beyond its own count: a panic, the timeout, no
    final line (what names it)."""
    reasons = []
    panic = next((l for l in lines if l.startswith("panic: ")), None)
    if panic is not None:
        reasons.append("kernel " + panic)
    elif status == RUN_PANIC:
        reasons.append("exit status 101 (kernel panic)")
    if status == RUN_TIMEOUT:
        reasons.append("stopped by the timeout without power-off")
    if not final_found:
        why = "no final %s line" % what
        if status not in (RUN_PANIC, RUN_TIMEOUT):  # else said above
            detail = first_line(err)
            why += " (exit status %d%s)" % (status, ": " + detail if detail else "")
        reasons.append(why)
    return reasons


def judge_usertests(log, status, err=""):
    """Verdict of one usertests run from its console log and run.sh's status."""
    lines = console_lines(log)
    final = None
    for line in lines:
        m = FINAL_RE.match(line)
        if m:
            final = m
    v = Verdict(reasons=run_problems(lines, status, err, final is not None,
                                     "'N passed, N failed'"))
    if final is not None:
        v.passed, v.failed = int(final.group(1)), int(final.group(2))
        if status not in (0, RUN_PANIC, RUN_TIMEOUT) and v.failed == 0:
            # The TLB model's checker fails a run whose tests all passed.
            tlbsim = next((l for l in err.splitlines() if l.startswith("tlbsim: ")), "")
            v.reasons.append("exit status %d although no test failed%s"
                             % (status, ": " + tlbsim if tlbsim else ""))
    return v, lines


def judge_fuzz(log, status, err=""):
    """Verdict of one fuzz run (one test) and the lines to show: its own."""
    lines = console_lines(log)
    mine = [l for l in lines if l.startswith(FUZZ_PREFIX)]
    final = mine[-1] if mine else None
    v = Verdict(reasons=run_problems(lines, status, err, final is not None, "'fuzz: '"))
    if final is not None and not final.endswith(", OK"):
        v.reasons.append(final[len(FUZZ_PREFIX):])
    elif final is not None and status not in (0, RUN_PANIC, RUN_TIMEOUT):
        v.reasons.append("exit status %d although it printed OK" % status)
    if not v.reasons:
        v.passed = 1
    return v, mine


def judge_asidstress(log, status, err=""):
    """Verdict of one asidstress run (one test) and the lines to show: its own."""
    lines = console_lines(log)
    mine = [l for l in lines if l.startswith(STRESS_PREFIX)]
    final = mine[-1] if mine else None
    v = Verdict(reasons=run_problems(lines, status, err, final is not None,
                                     "'asidstress: '"))
    if final is not None and not final.startswith(STRESS_PREFIX + "ok"):
        v.reasons.append(final[len(STRESS_PREFIX):])
    elif final is not None and status not in (0, RUN_PANIC, RUN_TIMEOUT):
        tlbsim = next((l for l in err.splitlines() if l.startswith("tlbsim: ")), "")
        v.reasons.append("exit status %d although it printed ok%s"
                         % (status, ": " + tlbsim if tlbsim else ""))
    if not v.reasons:
        v.passed = 1
    return v, mine


def judge_hostile(runs):
    """Verdict of the hostile check (one test) over runs, a list of (label,
    log text), and its lines; None when no run got far enough to count."""
    seen, missing = {}, []
    for label, log in runs:
        lines = console_lines(log)
        found = [l for l in lines if HOSTILE_RE.match(l)]
        if found:
            seen.setdefault(found[-1], []).append(label)
        elif any(FINAL_RE.match(l) for l in lines):
            missing.append(label)
    if not seen and not missing:
        return None, []
    v = Verdict()
    if missing:
        v.reasons.append("no 'hostile: N cases, signature X' line in " + ", ".join(missing))
    if len(seen) > 1:
        v.reasons.append("hostile-pointer results differ between runs: " + "; ".join(
            "%s in %s" % (line, ", ".join(labels)) for line, labels in seen.items()))
    if v.reasons:
        return v, []
    (line, labels), = seen.items()
    v.passed = 1
    return v, ["%s, the same in all %d runs (%s)" % (line, len(labels), ", ".join(labels))]


def judge_unittest(output, status):
    """Verdict of a `python3 -m unittest -v` run from its output and status."""
    v = Verdict()
    ran = None
    counts = {}
    for line in console_lines(output):
        m = RAN_RE.match(line)
        if m:
            ran = int(m.group(1))
        m = VERDICT_RE.match(line)
        if m and ran is not None:
            for item in (m.group(2) or "").split(","):
                key, _, num = item.strip().partition("=")
                if num.isdigit():
                    counts[key] = int(num)
    if ran is None:
        v.reasons.append("host tests printed no summary (exit status %d)" % status)
        return v
    v.failed = (counts.get("failures", 0) + counts.get("errors", 0)
                + counts.get("unexpected successes", 0))
    v.passed = max(ran - v.failed - counts.get("skipped", 0), 0)
    if ran == 0:
        v.reasons.append("no host test ran")
    if status != 0 and v.failed == 0:
        v.reasons.append("unittest exited with status %d" % status)
    return v


def report(label, v, lines=(), out=sys.stdout):
    """Print a run's block: its lines and verdict, each prefixed with [label]."""
    for line in lines:
        out.write("[%s] %s\n" % (label, line))
    if v.reasons:
        out.write("[%s] FAIL: %s\n" % (label, "; ".join(v.reasons)))
    out.write("[%s] total: %d passed, %d failed\n" % (label, v.passed, v.total_failed()))


def add_total(path, v):
    with open(path, "a", encoding="utf-8") as f:
        f.write("%d %d\n" % (v.passed, v.total_failed()))


def grand_total(path):
    """(passed, failed) summed over the totals file."""
    passed = failed = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            p, f_ = line.split()
            passed += int(p)
            failed += int(f_)
    return passed, failed


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def main(argv):
    cmd, args = (argv[1], argv[2:]) if len(argv) > 1 else ("", [])
    if cmd == "usertests" and len(args) == 5:
        label, status, log, err, totals = args
        v, lines = judge_usertests(read(log), int(status), read(err))
        report(label, v, lines)
    elif cmd in ("fuzz", "asidstress") and len(args) == 5:
        label, status, log, err, totals = args
        judge = judge_fuzz if cmd == "fuzz" else judge_asidstress
        v, lines = judge(read(log), int(status), read(err))
        report(label, v, lines)
    elif cmd == "hostile" and len(args) % 2 == 1:
        totals, pairs = args[0], args[1:]
        v, lines = judge_hostile([(pairs[i], read(pairs[i + 1]))
                                  for i in range(0, len(pairs), 2)])
        if v is None:
            return 0
        report("hostile", v, lines)
    elif cmd == "unittest" and len(args) == 4:
        label, status, output, totals = args
        v = judge_unittest(read(output), int(status))
        report(label, v)
    elif cmd == "fail" and len(args) == 3:
        label, reason, totals = args
        v = Verdict(reasons=[reason])
        report(label, v)
    elif cmd == "total" and len(args) == 1:
        passed, failed = grand_total(args[0])
        print("%d passed, %d failed" % (passed, failed))
        return 0 if failed == 0 else 1
    else:
        sys.stderr.write(__doc__.split("\n\n")[2] + "\n")
        return 2
    add_total(totals, v)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
