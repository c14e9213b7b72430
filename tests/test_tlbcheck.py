"""tests/test_tlbcheck.py: the stale-translation checker against the kernel.

In every config with the ASID axis (asid=1 in `make traits`), usertests'
sbrk tests run under tools/tlbsim with check=1, twice:

- unmutated they must run clean: no stale translation, no protocol error,
  and the kernel said hello with ASID bits;
- built with MUTATE=drop_shrink_fence (the kernel drops the ASID-scoped
  fence after sbrk shrinks), the same tests must make the checker report a
  stale translation and fail the run.

In the first such config, fork and exit tests boot with asidbits=2 (ASID
rollovers every few processes): clean unmutated, and caught when built
with MUTATE=drop_rollover_flush (no flush at a generation rollover).
usertests under the checker in full, at 1 and 2 harts, is tools/test.sh's.
The configs run two at a time.

Until the kernel announces ASID support (an ANN_HELLO with ASID bits in its
ASID configs) every test skips, saying so.

Reads:  configs/ and the sources, through make. Writes: make's own build
        directories (build/<config>..., the mutated ones included) and
        temporary files.
"""
import os
import shutil
import threading
import unittest
from concurrent.futures import ThreadPoolExecutor

from toolhelp import TempDir, run, tool

PY_TIMEOUT = 900  # per make run: a build and a boot
SHRINK_CMD = "usertests sbrkbasic sbrkbig sbrkcopy"
ROLLOVER_CMD = "usertests forkwait waitmany exitmany execargs"
ROLLOVER_ARGS = "asidbits=2"


def make(*args, timeout=PY_TIMEOUT):
    return run(["make", "-s", "--no-print-directory"] + list(args), timeout=timeout)


def asid_configs():
    """The configs whose traits say asid=1, in `make configs` order."""
    r = make("configs")
    if r.returncode != 0:
        raise AssertionError("make configs failed:\n" + r.stderr)
    found = []
    for config in r.stdout.split():
        t = make("traits", "CONFIG=" + config)
        if "asid=1" in t.stdout.split():
            found.append(config)
    return found


def report_lines(path):
    """The '# tlbsim <kind> ...' lines of a plugin report, by kind."""
    lines = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("# tlbsim "):
                    lines.setdefault(line.split()[2], line.strip())
    return lines


def fields(line):
    return dict(kv.split("=", 1) for kv in (line or "").split() if "=" in kv)


@unittest.skipUnless(shutil.which("make") and shutil.which("gcc") and
                     shutil.which("qemu-system-riscv64") and
                     shutil.which("riscv64-unknown-elf-gcc"),
                     "needs make, gcc, qemu-system-riscv64 and riscv64-unknown-elf-gcc")
class KernelCheckerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir()
        r = run(["make", "-s", "-C", tool("tlbsim"), "OUT=" + cls.tmp.path, "all"], timeout=120)
        if r.returncode != 0:
            raise AssertionError("tlbsim build failed:\n" + r.stdout + r.stderr)
        cls.configs = asid_configs()
        cls.runs = 0
        cls.lock = threading.Lock()
        if not cls.configs:
            raise unittest.SkipTest("no config has the ASID axis (asid=1 in make traits)")
        probe = cls.boot(cls.configs[0], "echo probe")
        hello = fields(probe["lines"].get("kernel"))
        if hello.get("hello") != "1" or hello.get("asid_bits", "0") == "0":
            raise unittest.SkipTest(
                "CONFIG=%s does not announce ASID support to the TLB model yet (its kernel "
                "said %s): the kernel side of issue 14 has not landed, so the checker and "
                "mutation tests cannot run" % (cls.configs[0],
                                               "no ANN_HELLO" if hello.get("hello") != "1"
                                               else "ANN_HELLO with 0 ASID bits"))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def boot(cls, config, cmd, cpus=1, bootargs="", mutate=""):
        """Build (if needed) and run cmd in config under the checker: the
        make result and the report's comment lines."""
        with cls.lock:
            cls.runs += 1
            out = os.path.join(cls.tmp.path, "run%d.csv" % cls.runs)
        plugin = "-plugin %s,check=1,out=%s" % (os.path.join(cls.tmp.path, "tlbsim.so"), out)
        args = ["run", "CONFIG=" + config, "CPUS=%d" % cpus, "CMD=" + cmd,
                "QEMUEXTRA=" + plugin, "BOOTARGS=" + bootargs, "TIMEOUT=600"]
        if mutate:
            args.append("MUTATE=" + mutate)
        r = make(*args)
        return {"status": r.returncode, "out": r.stdout, "err": r.stderr,
                "lines": report_lines(out)}

    def assert_clean(self, res, what):
        self.assertEqual(res["status"], 0, "%s failed:\n%s%s" % (what, res["out"][-2000:],
                                                                  res["err"][-2000:]))
        self.assertNotIn("tlbsim: stale translation", res["err"], what)
        self.assertNotIn("tlbsim: protocol error", res["err"], what)
        check, kernel = fields(res["lines"].get("check")), fields(res["lines"].get("kernel"))
        self.assertEqual((check.get("stale"), kernel.get("errors")), ("0", "0"), what)
        self.assertEqual(kernel.get("hello"), "1", what)

    def assert_caught(self, res, what):
        self.assertNotEqual(res["status"], 0, "%s ran clean: the checker missed it" % what)
        self.assertIn("tlbsim: stale translation: ", res["err"],
                      "%s failed, but not by the checker:\n%s" % (what, res["err"][-2000:]))
        self.assertIn("tlbsim: the checker found ", res["err"], what)

    def test_drop_shrink_fence_caught(self):
        def pair(config):
            return (self.boot(config, SHRINK_CMD),
                    self.boot(config, SHRINK_CMD, mutate="drop_shrink_fence"))

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(pair, self.configs))
        for config, (clean, mutated) in zip(self.configs, results):
            with self.subTest(config=config):
                self.assert_clean(clean, "%s: %s" % (config, SHRINK_CMD))
                self.assert_caught(mutated, "%s with MUTATE=drop_shrink_fence" % config)

    def test_drop_rollover_flush_caught(self):
        config = self.configs[0]
        clean = self.boot(config, ROLLOVER_CMD, bootargs=ROLLOVER_ARGS)
        self.assert_clean(clean, "%s with %s" % (config, ROLLOVER_ARGS))
        self.assertEqual(fields(clean["lines"]["kernel"]).get("asid_bits"), "2",
                         "asidbits=2 did not reach the kernel's ANN_HELLO")
        res = self.boot(config, ROLLOVER_CMD, bootargs=ROLLOVER_ARGS,
                        mutate="drop_rollover_flush")
        self.assert_caught(res, "%s with MUTATE=drop_rollover_flush and %s"
                           % (config, ROLLOVER_ARGS))


if __name__ == "__main__":
    unittest.main()
