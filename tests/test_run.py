"""tests/test_run.py: tools/run.sh against tests/fakeqemu (no real QEMU).

Reads:  tools/run.sh, tests/fakeqemu. Writes: temporary files only.
"""
import json
import os
import re
import signal
import subprocess
import time
import unittest

from toolhelp import FAKEQEMU, ROOT, TempDir, pid_alive, run, tool

RUN = tool("run.sh")
APPEND_MAX = 1023  # kernel/param.h BOOTARGS_MAX less the NUL


def param(name):
    """The value of #define name in kernel/param.h."""
    path = os.path.join(ROOT, "kernel", "param.h")
    with open(path, encoding="ascii") as f:
        m = re.search(r"^#define %s (\d+)" % name, f.read(), re.M)
    return int(m.group(1))


CMD_MAX = param("MAXARGLEN") - 1  # what init can pass to sh -c


class RunShTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)
        self.kernel = self.tmp.file("kernel", "not a real kernel\n")
        self.pidfile = os.path.join(self.tmp.path, "fakeqemu.pid")
        self.addCleanup(self.kill_leftover)

    def kill_leftover(self):
        """Kill the last fakeqemu if a failed test left it running."""
        pid = self.fake_pid()
        if pid and pid_alive(pid):
            os.kill(pid, signal.SIGKILL)

    def fake_pid(self):
        try:
            with open(self.pidfile, encoding="ascii") as f:
                return int(f.read())
        except (OSError, ValueError):
            return None

    def run_sh(self, *args, mode="echo", env=None, timeout=60):
        full_env = {"QEMU": FAKEQEMU, "FAKEQEMU_MODE": mode,
                    "FAKEQEMU_PIDFILE": self.pidfile}
        full_env.update(env or {})
        return run([RUN, "--kernel", self.kernel] + list(args), env=full_env,
                   timeout=timeout)

    def qemu_argv(self, *args):
        """The argument list fakeqemu received."""
        r = self.run_sh(*args)
        self.assertEqual(r.returncode, 0, r.stderr)
        line = next(l for l in r.stdout.splitlines() if l.startswith("fakeqemu-argv: "))
        return json.loads(line.split(": ", 1)[1])

    def append_of(self, argv):
        return argv[argv.index("-append") + 1] if "-append" in argv else None

    def test_make_options_from_environment_come_first(self):
        # The Makefile exports QEMUEXTRA and BOOTARGS for every run it makes.
        r = self.run_sh("--extra", "-d nochain", "--bootargs", "b=2", "--cmd", "ls",
                        env={"PTBENCH_QEMUEXTRA": "-s -S", "PTBENCH_BOOTARGS": "vmprint=1"})
        self.assertEqual(r.returncode, 0, r.stderr)
        line = next(l for l in r.stdout.splitlines() if l.startswith("fakeqemu-argv: "))
        argv = json.loads(line.split(": ", 1)[1])
        self.assertEqual(self.append_of(argv), "vmprint=1 b=2 cmd=ls")
        self.assertEqual(argv[-4:], ["-s", "-S", "-d", "nochain"])

    def test_exit_status_passes_through(self):
        for status in (0, 3, 77):
            r = self.run_sh(mode="exit:%d" % status)
            self.assertEqual(r.returncode, status, r.stderr)
            self.assertIn("exiting with %d" % status, r.stdout)

    def test_machine_flags(self):
        argv = self.qemu_argv("--cpus", "2")
        want = ["-machine", "virt,aclint=on", "-cpu", "rv64,svinval=on", "-bios", "none", "-kernel", self.kernel, "-m", "128M",
                "-smp", "2", "-icount", "shift=0,sleep=off",
                "-display", "none", "-monitor", "none", "-serial", "stdio"]
        self.assertEqual(argv[:len(want)], want)
        self.assertNotIn("-nographic", argv)

    def test_interactive_uses_nographic(self):
        argv = self.qemu_argv("--interactive")
        self.assertIn("-nographic", argv)
        self.assertNotIn("-serial", argv)
        self.assertEqual(argv[argv.index("-icount") + 1], "shift=0,sleep=off")

    def test_cmd_is_last_after_bootargs(self):
        cmd = "echo a  b; x=1 cmd=2"
        argv = self.qemu_argv("--bootargs", "quiet trace=vm", "--cmd", cmd)
        self.assertEqual(self.append_of(argv), "quiet trace=vm cmd=" + cmd)

    def test_append_without_bootargs_or_cmd(self):
        self.assertEqual(self.append_of(self.qemu_argv("--cmd", "ls")), "cmd=ls")
        self.assertEqual(self.append_of(self.qemu_argv("--bootargs", "k=v")), "k=v")
        self.assertIsNone(self.append_of(self.qemu_argv("--cmd", "")))

    def test_extra_is_split_like_a_shell(self):
        argv = self.qemu_argv("--extra", "-d in_asm  -plugin 'a b,x=1' \"c d\" e\\ f")
        self.assertEqual(argv[-6:], ["-d", "in_asm", "-plugin", "a b,x=1", "c d", "e f"])
        r = self.run_sh("--extra", "-plugin 'unclosed")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unmatched quote", r.stderr)

    def test_cmd_length_limit(self):
        # init passes the command to sh -c as one exec argument: at most
        # MAXARGLEN - 1 bytes (kernel/param.h) can run.
        fits = "echo " + "x" * (CMD_MAX - len("echo "))
        self.assertEqual(len(fits), CMD_MAX)
        self.assertEqual(self.append_of(self.qemu_argv("--cmd", fits)), "cmd=" + fits)
        for cmd in (fits + "y", "x" * (APPEND_MAX - len("cmd="))):
            r = self.run_sh("--cmd", cmd)
            self.assertEqual(r.returncode, 2)
            self.assertIn("the command is %d bytes; at most %d can run" % (len(cmd), CMD_MAX),
                          r.stderr)
            self.assertIn("MAXARGLEN", r.stderr)
            self.assertNotIn("fakeqemu-argv", r.stdout)
        r = self.run_sh("--bootargs", "b" * 1000, "--cmd", "echo " + "z" * 30)
        self.assertEqual(r.returncode, 2)
        self.assertIn("at most 1023", r.stderr)
        self.assertNotIn("fakeqemu-argv", r.stdout)

    def test_cmd_newline_and_double_cmd_refused(self):
        r = self.run_sh("--cmd", "echo a\necho b")
        self.assertEqual(r.returncode, 2)
        self.assertIn("newline", r.stderr)
        r = self.run_sh("--bootargs", "cmd=ls", "--cmd", "echo")
        self.assertEqual(r.returncode, 2)
        self.assertIn("cmd=", r.stderr)

    def test_timeout_stops_a_hung_run(self):
        log = os.path.join(self.tmp.path, "hang.log")
        start = time.monotonic()
        r = self.run_sh("--timeout", "1", "--log", log, mode="hang", timeout=30)
        elapsed = time.monotonic() - start
        self.assertEqual(r.returncode, 124)
        self.assertIn("ptbench: run stopped after 1 s without power-off (TIMEOUT=1)",
                      r.stderr.splitlines())
        self.assertLess(elapsed, 5)
        self.assertIn("hart 0 waiting forever", r.stdout)
        with open(log, encoding="utf-8") as f:
            self.assertEqual(f.read(), "hart 0 waiting forever\n")
        self.assertFalse(pid_alive(self.fake_pid()))

    def test_timeout_kills_what_ignores_term(self):
        start = time.monotonic()
        r = self.run_sh("--timeout", "1", mode="hang-noterm", timeout=30)
        self.assertEqual(r.returncode, 124)
        self.assertIn("TIMEOUT=1", r.stderr)
        self.assertLess(time.monotonic() - start, 12)
        self.assertFalse(pid_alive(self.fake_pid()))

    def test_panic_reported(self):
        r = self.run_sh(mode="panic")
        self.assertEqual(r.returncode, 101)
        self.assertIn("ptbench: kernel panic: boom", r.stderr.splitlines())
        r = self.run_sh(mode="panic0")  # QEMU exited 0, but the console says panic
        self.assertEqual(r.returncode, 101)
        self.assertIn("ptbench: kernel panic: boom", r.stderr)
        r = self.run_sh(mode="exit:0")
        self.assertNotIn("panic", r.stderr)

    def test_log_streams_and_strips_carriage_returns(self):
        log = os.path.join(self.tmp.path, "out.log")
        r = run([RUN, "--kernel", self.kernel, "--log", log],
                env={"QEMU": FAKEQEMU, "FAKEQEMU_MODE": "usertests:2:1"})
        self.assertEqual(r.returncode, 1)
        with open(log, "rb") as f:
            saved = f.read()
        self.assertNotIn(b"\r", saved)
        self.assertTrue(saved.endswith(b"2 passed, 1 failed\n"))
        self.assertEqual(r.stdout.replace("\r\n", "\n").encode(), saved)

    def test_missing_kernel_or_qemu(self):
        r = run([RUN, "--kernel", os.path.join(self.tmp.path, "nokernel")],
                env={"QEMU": FAKEQEMU})
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("nokernel' not found", r.stderr)
        r = run([RUN, "--kernel", self.kernel], env={"QEMU": "/nonexistent/qemu"})
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("QEMU binary '/nonexistent/qemu' not found", r.stderr)

    def test_old_qemu_refused(self):
        r = self.run_sh("--cmd", "x", env={"FAKEQEMU_VERSION": "7.2.0"})
        self.assertEqual(r.returncode, 2)
        self.assertIn("needs QEMU 10.0 or later", r.stderr)
        self.assertIn("make deps", r.stderr)
        self.assertNotIn("fakeqemu-argv", r.stdout)
        r = self.run_sh("--cmd", "x", env={"FAKEQEMU_VERSION": "10.0.2"})
        self.assertEqual(r.returncode, 0)
        self.assertIn("fakeqemu-argv", r.stdout)

    def test_bad_options_print_usage(self):
        for args in (["--frobnicate"], ["--cpus"], ["--cpus", "0"], ["--timeout", "x"]):
            r = self.run_sh(*args)
            self.assertEqual(r.returncode, 2, args)
            self.assertTrue("usage:" in r.stderr or "must be" in r.stderr, args)
        r = run([RUN], env={"QEMU": FAKEQEMU})
        self.assertEqual(r.returncode, 2)
        self.assertIn("--kernel is required", r.stderr)

    def test_interrupt_stops_qemu(self):
        env = dict(os.environ, QEMU=FAKEQEMU, FAKEQEMU_MODE="hang",
                   FAKEQEMU_PIDFILE=self.pidfile)
        p = subprocess.Popen([RUN, "--kernel", self.kernel, "--timeout", "100"], env=env,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 10
        while self.fake_pid() is None:
            self.assertLess(time.monotonic(), deadline, "fakeqemu never started")
            time.sleep(0.05)
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=20)
        self.assertEqual(p.returncode, 143)
        self.assertIn("interrupted", err)
        self.assertFalse(pid_alive(self.fake_pid()))


if __name__ == "__main__":
    unittest.main()
