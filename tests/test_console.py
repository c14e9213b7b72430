"""tests/test_console.py: the kernel's shell and tools as a user meets them:
Ctrl-C stops the foreground program and the shell prompts again (never
killing the shell or init), `pgtbl -k | wc` counts exactly the lines pgtbl
prints, and `make qemu-gdb` stops at the kernel's entry with gdb-multiarch
attached.

Reads:  build/<config>/kernel of the first config `make configs` lists
        (tools/test.sh builds it before the host tests; not built: skipped).
Writes: nothing (QEMU and gdb run in the foreground of each test).
"""

# host-test-seconds: 17 (about this long in make test here; tools/test.sh runs the heaviest first)
import os
import select
import shutil
import socket
import subprocess
import time
import unittest

from toolhelp import ROOT, run, tool


def first_config():
    r = run(["make", "-s", "--no-print-directory", "configs"])
    configs = r.stdout.split()
    return configs[0] if configs else None


CONFIG = first_config()
KERNEL = os.path.join(ROOT, "build", CONFIG or "none", "kernel")


class Console:
    """QEMU with the console on a pipe, as a terminal user would type."""

    def __init__(self):
        self.p = subprocess.Popen(
            ["qemu-system-riscv64", "-machine", "virt", "-bios", "none", "-kernel", KERNEL,
             "-m", "128M", "-smp", "1", "-icount", "shift=0,sleep=off", "-display", "none",
             "-monitor", "none", "-serial", "stdio"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.out = b""

    def expect(self, text, timeout=30):
        """Read until text appears after what was already matched."""
        end = time.time() + timeout
        while text.encode() not in self.out:
            left = end - time.time()
            if left <= 0 or self.p.poll() is not None:
                raise AssertionError("no %r in console output: %r" % (text, self.out[-400:]))
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if r:
                self.out += os.read(self.p.stdout.fileno(), 4096)
        i = self.out.index(text.encode()) + len(text)
        seen, self.out = self.out[:i], self.out[i:]
        return seen.decode(errors="replace")

    def send(self, data):
        self.p.stdin.write(data.encode())
        self.p.stdin.flush()

    def close(self):
        self.p.kill()
        self.p.wait()
        self.p.stdin.close()
        self.p.stdout.close()


@unittest.skipUnless(shutil.which("qemu-system-riscv64"), "QEMU not installed")
class ConsoleTest(unittest.TestCase):
    def setUp(self):
        if CONFIG is None or not os.path.exists(KERNEL):
            self.skipTest("no kernel built")
        self.c = Console()
        self.addCleanup(self.c.close)
        self.c.expect("$ ")

    def test_ctrl_c_stops_foreground_program(self):
        # ptbench runs for seconds, in user mode most of the time; cat
        # sleeps in the console; a pipeline has two foreground processes.
        for cmd in ("ptbench", "cat", "cat | cat"):
            with self.subTest(cmd=cmd):
                self.c.send(cmd + "\n")
                time.sleep(1.5)
                self.c.send("\x03")
                self.c.expect("^C")
                self.c.expect("$ ", timeout=20)
                self.c.send("echo alive $?\n")
                self.assertIn("alive", self.c.expect("$ "))

    def test_ctrl_c_at_the_prompt_keeps_the_shell(self):
        self.c.send("echo typed")
        self.c.send("\x03")
        self.c.expect("$ ")
        self.c.send("echo still here\n")
        seen = self.c.expect("$ ")
        self.assertIn("still here", seen)
        self.assertNotIn("typed", seen)  # the dropped line never ran

    def test_background_job_survives_ctrl_c(self):
        self.c.send("ptbench > /out &\n")  # seconds of work, not reading the console
        self.c.expect("$ ")
        self.c.send("cat\n")
        time.sleep(1)
        self.c.send("\x03")
        self.c.expect("$ ")
        self.c.send("\x10")  # ^P lists the processes
        self.c.expect("1 sleep init")
        self.c.expect("ptbench", timeout=10)  # the background job is still there


@unittest.skipUnless(shutil.which("qemu-system-riscv64"), "QEMU not installed")
class PgtblTest(unittest.TestCase):
    def test_wc_counts_what_pgtbl_prints(self):
        if CONFIG is None or not os.path.exists(KERNEL):
            self.skipTest("no kernel built")
        for mode in ("", " -l", " -t"):
            with self.subTest(mode=mode):
                r = run([tool("run.sh"), "--kernel", KERNEL, "--timeout", "60", "--cmd",
                         "pgtbl -k%s; echo @@; pgtbl -k%s | wc" % (mode, mode)], timeout=90)
                self.assertEqual(r.returncode, 0, r.stderr)
                out = r.stdout.replace("\r", "").splitlines()
                mark = out.index("@@")
                start = [i for i, l in enumerate(out) if l.startswith("pid ")][-1]
                printed = mark - start
                self.assertGreater(printed, 2)
                self.assertEqual(int(out[mark + 1].split()[0]), printed, out[start:start + 5])

    def test_summary_merges_runs(self):
        if CONFIG is None or not os.path.exists(KERNEL):
            self.skipTest("no kernel built")
        r = run([tool("run.sh"), "--kernel", KERNEL, "--timeout", "60", "--cmd",
                 "pgtbl -k -s | wc; pgtbl -k -l | wc"], timeout=90)
        self.assertEqual(r.returncode, 0, r.stderr)
        counts = [int(l.split()[0]) for l in r.stdout.replace("\r", "").splitlines()
                  if l.strip() and l.split()[0].isdigit()]
        self.assertEqual(len(counts), 2, r.stdout)
        self.assertLess(counts[0] * 50, counts[1])  # 32 Ki RAM pages are one line

    def test_bad_option_refused(self):
        if CONFIG is None or not os.path.exists(KERNEL):
            self.skipTest("no kernel built")
        r = run([tool("run.sh"), "--kernel", KERNEL, "--timeout", "60", "--cmd",
                 "pgtbl -x"], timeout=90)
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: pgtbl", r.stdout)


def free_port():
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


@unittest.skipUnless(shutil.which("qemu-system-riscv64") and shutil.which("gdb-multiarch"),
                     "QEMU or gdb-multiarch not installed")
class QemuGdbTest(unittest.TestCase):
    def test_gdb_stops_at_kernel_entry(self):
        if CONFIG is None or not os.path.exists(KERNEL):
            self.skipTest("no kernel built")
        port = free_port()
        qemu = subprocess.Popen(["make", "--no-print-directory", "-s", "CONFIG=" + CONFIG,
                                 "GDBPORT=%d" % port, "qemu-gdb"], cwd=ROOT,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.addCleanup(lambda: (os.killpg(qemu.pid, 9) if qemu.poll() is None else None,
                                 qemu.wait()))
        gdbinit = os.path.join(ROOT, "build", CONFIG, "gdbinit")
        for _ in range(100):  # until make has written gdbinit and QEMU listens
            try:
                socket.create_connection(("localhost", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        g = subprocess.run(["gdb-multiarch", "-nx", "-batch", "-x", gdbinit,
                            "-ex", "break _entry", "-ex", "continue",
                            "-ex", "print/x $pc", "-ex", "info symbol $pc", "-ex", "kill"],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
        self.assertIn("_entry", g.stdout, g.stdout + g.stderr)
        self.assertRegex(g.stdout, r"\$1 = 0x80000000")
        self.assertIn("Breakpoint 1", g.stdout)
