#!/usr/bin/python3
"""tools/xv6run.py: boot an outside xv6 kernel and run one command through its shell.

Usage:  tools/xv6run.py --tree-json FILE --run-dir DIR --cmd 'xv6bench -q'
                        [--plugin SPEC]... [--log FILE]
                        [--boot-timeout S] [--timeout S]

FILE is tools/xv6tree.py's description of a built tree. DIR gets a fresh
copy of its fs.img (every run starts from the image as built) and links to
everything else at the tree's top, so that the tree's own QEMU options,
relative paths and all, apply; QEMU runs there as

    QEMU <the tree's QEMUOPTS, one hart, no -nographic>
         -icount shift=0,sleep=off -display none -monitor none -serial stdio
         -plugin SPEC...

with the console on a pipe. At the shell's first prompt the command is
typed; the run is done when the console has shown "@end failed=N" and the
shell's prompt after it. QEMU is then stopped with SIGTERM, on which it
exits normally and the plugins write their reports.

Reads:  FILE and the tree it names; env QEMU, the QEMU binary (default
        qemu-system-riscv64).
Writes: DIR (the run's image and links); with --log, the console output
        without carriage returns; QEMU's stderr in DIR/qemu.err.
Exit:   0 when the command ran to its end line; 3 when the kernel did not
        boot to a prompt in time; 4 on a kernel panic (its line shown);
        5 when the command did not finish (stopped early or timed out);
        6 when QEMU failed; 2 on bad usage. Messages on stderr.
"""
import argparse
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time

PROMPT = "$ "
END_RE = re.compile(r"^@end failed=\d+$", re.M)
PANIC_RE = re.compile(r"^.*panic: [^\n]*\n", re.M)
PANIC_WAIT = 2  # seconds to wait for the rest of a panic line
ICOUNT = ["-icount", "shift=0,sleep=off"]
CONSOLE = ["-display", "none", "-monitor", "none", "-serial", "stdio"]
STOP_GRACE = 30  # seconds between SIGTERM and SIGKILL once done
TAIL = 8
NO_BOOT_HINT = ("likely cause: a 2020-era xv6 tree on QEMU 6 or later, which refuses "
                "supervisor-mode fetches until M-mode code sets up PMP (pmpaddr0/pmpcfg0 "
                "in kernel/start.c, as later xv6-riscv does)")

EXIT_OK, EXIT_USAGE, EXIT_NO_BOOT, EXIT_PANIC, EXIT_UNFINISHED, EXIT_QEMU = 0, 2, 3, 4, 5, 6


class RunError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def prepare_dir(tree, run_dir):
    """run_dir: links to the tree's top-level entries, a copy of fs.img."""
    if os.path.exists(run_dir):
        shutil.rmtree(run_dir)
    os.makedirs(run_dir)
    root = tree["root"]
    for name in os.listdir(root):
        if name != os.path.basename(tree["fs_img"]):
            os.symlink(os.path.join(root, name), os.path.join(run_dir, name))
    shutil.copyfile(tree["fs_img"], os.path.join(run_dir, os.path.basename(tree["fs_img"])))


def last_lines(text, n=TAIL):
    lines = [l for l in text.replace("\r", "").splitlines() if l.strip()]
    return "\n".join("  | " + l for l in lines[-n:]) or "  (no output)"


class Console:
    """QEMU's serial console: what it printed so far, and typing into it."""

    def __init__(self, proc):
        self.proc = proc
        self.text = ""
        self.closed = False
        self.panic_seen = None  # when "panic: " first showed, line unfinished

    def read(self, timeout):
        """Wait up to timeout for output; add it to text."""
        fd = self.proc.stdout.fileno()
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return
        data = os.read(fd, 65536)
        if not data:
            self.closed = True
        self.text += data.decode("utf-8", "replace").replace("\r", "")

    def type(self, line):
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()


def check_panic(con):
    """RunError on a panic line: once it is complete, or PANIC_WAIT seconds
    after its start showed (a kernel may hang mid-line)."""
    m = PANIC_RE.search(con.text)
    if m is None and "panic: " in con.text:
        con.panic_seen = con.panic_seen or time.monotonic()
        if time.monotonic() - con.panic_seen < PANIC_WAIT:
            return
        m = re.search(r"^.*panic: .*$", con.text, re.M)
    if m:
        raise RunError(EXIT_PANIC, "kernel panic: %s\n%s" % (m.group(0).strip(),
                                                            last_lines(con.text)))


def wait_for(con, done, deadline, what):
    """Read until done(con.text) holds; RunError on panic, QEMU exit or
    deadline (what() gives the message then)."""
    while not done(con.text) or con.panic_seen:
        check_panic(con)
        if con.closed or con.proc.poll() is not None:
            raise RunError(EXIT_QEMU, "QEMU exited (status %s) %s\n%s"
                           % (con.proc.wait(), what("exit"), last_lines(con.text)))
        left = deadline - time.monotonic()
        if left <= 0:
            raise RunError(*what("timeout"))
        con.read(min(left, 0.2 if con.panic_seen else 1.0))
    check_panic(con)


def boot(con, boot_timeout):
    def what(why):
        if why == "exit":
            return "before the shell's prompt"
        if not con.text.strip():
            return (EXIT_NO_BOOT, "the kernel printed nothing within %d s: it did not boot; %s"
                    % (boot_timeout, NO_BOOT_HINT))
        return (EXIT_NO_BOOT, "the kernel printed but showed no shell prompt within %d s:\n%s"
                % (boot_timeout, last_lines(con.text)))

    wait_for(con, lambda t: t.endswith(PROMPT), time.monotonic() + boot_timeout, what)


def run_command(con, cmd, timeout):
    start = len(con.text)

    def finished(text):
        out = text[start:]
        m = END_RE.search(out)
        if m:
            return out.endswith(PROMPT) and out.rfind(PROMPT) > m.end()
        if out.endswith(PROMPT) and "\n" in out:
            raise RunError(EXIT_UNFINISHED, "the workload stopped before its end line "
                           "(the shell prompted again):\n%s" % last_lines(out))
        return False

    def what(why):
        if why == "exit":
            return "before the workload finished"
        return (EXIT_UNFINISHED, "the workload did not finish within %d s:\n%s"
                % (timeout, last_lines(con.text[start:])))

    con.type(cmd)
    wait_for(con, finished, time.monotonic() + timeout, what)


def stop(proc):
    """SIGTERM (QEMU exits cleanly and the plugins write their reports),
    SIGKILL if it is still there after STOP_GRACE seconds."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def plugin_spec(spec):
    """spec with its library and out= paths made absolute (QEMU runs in
    the run directory)."""
    parts = spec.split(",")
    parts[0] = os.path.abspath(parts[0])
    return ",".join("out=" + os.path.abspath(p[4:]) if p.startswith("out=") else p
                    for p in parts)


def check_qemu_version(qemu):
    """RunError unless qemu is 10.0 or later (as tools/run.sh checks)."""
    try:
        out = subprocess.run([qemu, "--version"], capture_output=True, text=True,
                             timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as e:
        raise RunError(EXIT_USAGE, "cannot ask %s its version: %s" % (qemu, e))
    m = re.search(r"version (\d+)\.", out)
    if m is None or int(m.group(1)) < 10:
        raise RunError(EXIT_USAGE, "QEMU %s is %s; ptbench needs QEMU 10.0 or later: run make "
                       "deps (on Debian 12 it installs qemu-system-riscv from "
                       "bookworm-backports)" % (qemu, out.strip() or "of unknown version"))


def run(tree, run_dir, cmd, plugins, boot_timeout, timeout):
    """Boot, run cmd, stop. Returns the console text; RunError on failure."""
    prepare_dir(tree, run_dir)
    name = os.environ.get("QEMU", "qemu-system-riscv64")
    qemu = shutil.which(name)
    if qemu is None:
        raise RunError(EXIT_USAGE, "QEMU binary %r not found (make deps installs it)" % name)
    check_qemu_version(qemu)
    argv = [os.path.abspath(qemu)] + tree["qemu_args"] + ICOUNT + CONSOLE
    for p in plugins:
        argv += ["-plugin", plugin_spec(p)]
    try:
        with open(os.path.join(run_dir, "qemu.err"), "w") as err:
            proc = subprocess.Popen(argv, cwd=run_dir, stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=err)
    except OSError as e:
        raise RunError(EXIT_QEMU, "cannot start %s: %s" % (qemu, e))
    con = Console(proc)
    try:
        boot(con, boot_timeout)
        run_command(con, cmd, timeout)
    except RunError as e:
        with open(os.path.join(run_dir, "qemu.err")) as f:
            qerr = f.read().strip()
        if qerr and e.status == EXIT_QEMU:
            e.args = ("%s\nQEMU said: %s" % (e.args[0], qerr[-2000:]),)
        e.text = con.text
        raise
    finally:
        stop(proc)
    return con.text


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tree-json", required=True)
    ap.add_argument("--run-dir", required=True)
    ap.add_argument("--cmd", required=True)
    ap.add_argument("--plugin", action="append", default=[])
    ap.add_argument("--log")
    ap.add_argument("--boot-timeout", type=int, default=60)
    ap.add_argument("--timeout", type=int, default=900)
    a = ap.parse_args(argv)
    try:
        with open(a.tree_json) as f:
            tree = json.load(f)
    except (OSError, ValueError) as e:
        print("xv6run: cannot read %s: %s" % (a.tree_json, e), file=sys.stderr)
        return EXIT_USAGE
    text, status = "", EXIT_OK
    try:
        text = run(tree, a.run_dir, a.cmd, a.plugin, a.boot_timeout, a.timeout)
    except RunError as e:
        print("xv6run: %s" % e, file=sys.stderr)
        text, status = getattr(e, "text", ""), e.status
    if a.log:
        with open(a.log, "w") as f:
            f.write(text)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
