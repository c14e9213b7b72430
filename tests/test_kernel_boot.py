"""tests/test_kernel_boot.py: the built kernels, booted for real through
tools/run.sh (the `make run` path): commands, exit statuses, timeouts, boot
arguments and vmprint's format, in every config under test
(toolhelp.tested_configs).

Reads:  build/<config>/kernel (tools/test.sh builds them before the host
        tests; a config under test without a kernel is a failure).
        Writes: nothing.
"""

# host-test-seconds: 13 (about this long in make test here; tools/test.sh runs the heaviest first)
import os
import re
import shutil
import unittest

from toolhelp import ROOT, run, tested_designs, tool


def kernel(design):
    return os.path.join(ROOT, "build", design, "kernel")


def boot(design, cmd, bootargs="", timeout=60, cpus=1):
    return run([tool("run.sh"), "--kernel", kernel(design), "--cpus", str(cpus),
                "--timeout", str(timeout), "--bootargs", bootargs, "--cmd", cmd],
               timeout=timeout + 30)


@unittest.skipUnless(shutil.which("qemu-system-riscv64"), "QEMU not installed")
class KernelBootTest(unittest.TestCase):
    def designs(self):
        configs = tested_designs()
        missing = [c for c in configs if not os.path.exists(kernel(c))]
        self.assertEqual(missing, [], "configs under test with no kernel built")
        return configs

    def test_commands_run_and_exit_zero(self):
        for d in self.designs():
            with self.subTest(design=d):
                r = boot(d, "echo hi; ls")
                self.assertEqual(r.returncode, 0, r.stderr)
                lines = r.stdout.replace("\r", "").splitlines()
                self.assertIn("hi", lines)
                self.assertTrue(any(l.startswith("init ") for l in lines), r.stdout)

    def test_exit_status_is_the_commands(self):
        for d in self.designs():
            with self.subTest(design=d):
                self.assertEqual(boot(d, 'sh -c "exit 3"').returncode, 3)
                self.assertEqual(boot(d, "nosuchprogram").returncode, 127)

    def test_command_that_never_ends_is_stopped(self):
        d = self.designs()[0]
        r = boot(d, "cat", timeout=3)  # cat waits on the console forever
        self.assertEqual(r.returncode, 124)
        self.assertIn("run stopped after 3 s", r.stderr)

    def test_longest_command_runs(self):
        # tools/run.sh lets through what init can pass to sh -c (MAXARGLEN
        # - 1 bytes, kernel/param.h; tests/test_run.py checks the refusal)
        d = self.designs()[0]
        with open(os.path.join(ROOT, "kernel", "param.h"), encoding="ascii") as f:
            arglen = int(re.search(r"^#define MAXARGLEN (\d+)", f.read(), re.M).group(1))
        word = "x" * (arglen - 1 - len("echo "))
        r = boot(d, "echo " + word)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(word, r.stdout.replace("\r", "").split())

    def test_two_harts(self):
        for d in self.designs():
            with self.subTest(design=d):
                r = boot(d, "echo a | cat; echo b", cpus=2)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stdout.replace("\r", "").split(), ["a", "b"])

    def test_vmprint_boot_argument_prints_pid1_table(self):
        # 6.S081 (2020) format: a header, then "..", ".. ..", ".. .. .."
        # indented lines "idx: pte 0x... pa 0x...".
        line = re.compile(r"^(\.\.)( \.\.){0,2}\d+: pte 0x[0-9a-f]{16} pa 0x[0-9a-f]{16}$")
        for d in self.designs():
            with self.subTest(design=d):
                r = boot(d, "echo", bootargs="vmprint=1")
                self.assertEqual(r.returncode, 0, r.stderr)
                out = r.stdout.replace("\r", "").splitlines()
                start = [i for i, l in enumerate(out) if l.startswith("page table 0x")]
                self.assertEqual(len(start), 1, r.stdout)
                body = out[start[0] + 1:start[0] + 14]
                self.assertTrue(body and all(line.match(l) for l in body), body)
                # level-0 entries: text (R X U), data (R W U), then the
                # stack guard: V alone, no R, W, X or U, so that every
                # access faults, the kernel's included (kernel/vm.c)
                leaves = [int(l.split("pte ")[1].split()[0], 16) & 0x1f
                          for l in body if l.startswith(".. .. ..")]
                self.assertEqual(leaves[:3], [0x1b, 0x17, 0x01])

    def test_no_vmprint_without_the_argument(self):
        d = self.designs()[0]
        r = boot(d, "echo")
        self.assertNotIn("page table 0x", r.stdout)

    def test_pgtbl_prints_its_user_table(self):
        for d in self.designs():
            with self.subTest(design=d):
                r = boot(d, "pgtbl -u")
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn("user table (config %s)" % d, r.stdout)
                ptes = [l for l in r.stdout.splitlines() if ": pte 0x" in l]
                self.assertGreaterEqual(len(ptes), 10, r.stdout)

if __name__ == "__main__":
    unittest.main()
