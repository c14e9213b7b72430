#!/usr/bin/python3
"""tools/sumtests.py: turn test output into counts for tools/test.sh.

Reads:  a usertests console log (from tools/run.sh --log) with run.sh's exit
        status and stderr, or the output of `python3 -m unittest -v`.
Writes: a block of result lines on stdout, and one "PASSED FAILED" line
        appended to a totals file per run; `total` prints the grand total.

usage:
  sumtests.py usertests LABEL STATUS LOG ERRFILE TOTALS
  sumtests.py unittest LABEL STATUS OUTPUT TOTALS
  sumtests.py fail LABEL REASON TOTALS
  sumtests.py total TOTALS     prints "N passed, N failed"; exit 0 iff N failed is 0

A usertests run adds the counts of its last "N passed, N failed" line. A run that
was stopped by the timeout, panicked, printed no such line, or exited non-zero
although it reported no failure adds one more failure, with the reasons.
"""
import re
import sys

RUN_TIMEOUT = 124  # tools/run.sh: stopped by the timeout
RUN_PANIC = 101  # tools/run.sh and kernel/printf.h PANIC_STATUS

# "12 passed, 0 failed", maybe after one "word:" and maybe with ", N skipped".
FINAL_RE = re.compile(r"^(?:\S+:\s+)?(\d+) passed, (\d+) failed(?:, \d+ skipped)?\s*$")
RAN_RE = re.compile(r"^Ran (\d+) tests? in ")
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


def judge_usertests(log, status, err=""):
    """Verdict of one usertests run from its console log and run.sh's status."""
    lines = console_lines(log)
    v = Verdict()
    final = None
    for line in lines:
        m = FINAL_RE.match(line)
        if m:
            final = m
    panic = next((l for l in lines if l.startswith("panic: ")), None)
    if panic is not None:
        v.reasons.append("kernel " + panic)
    elif status == RUN_PANIC:
        v.reasons.append("exit status 101 (kernel panic)")
    if status == RUN_TIMEOUT:
        v.reasons.append("stopped by the timeout without power-off")
    if final is None:
        why = "no final 'N passed, N failed' line"
        if status not in (RUN_PANIC, RUN_TIMEOUT):  # else said above
            detail = first_line(err)
            why += " (exit status %d%s)" % (status, ": " + detail if detail else "")
        v.reasons.append(why)
    else:
        v.passed, v.failed = int(final.group(1)), int(final.group(2))
        if status not in (0, RUN_PANIC, RUN_TIMEOUT) and v.failed == 0:
            v.reasons.append("exit status %d although no test failed" % status)
    return v, lines


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
