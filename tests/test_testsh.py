"""tests/test_testsh.py: tools/test.sh end to end in a scratch tree.

The scratch tree has copies of tools/, a Makefile whose "kernel" target copies
kernels/<config> to build/<config>/kernel (a missing file is a failed build),
tests/fakeqemu as QEMU, and one small host test file. Each fake kernel holds a
"fakeqemu: MODE" line that tells fakeqemu how to behave.

Reads:  tools/test.sh, tools/run.sh, tools/sumtests.py, kernel/param.h, tests/fakeqemu.
Writes: temporary files only.
"""

# host-test-seconds: 12 (about this long in make test here; tools/test.sh runs the heaviest first)
import os
import re
import shutil
import unittest

from toolhelp import FAKEQEMU, ROOT, TempDir, run, tool

MAKEFILE = (".PHONY: kernel\n"  # there is a kernel/ directory (param.h)
            "kernel:\n"
            "\t@mkdir -p build/$(CONFIG)\n"
            "\t@cp kernels/$(CONFIG) build/$(CONFIG)/kernel\n")
HOST_TEST = ("import unittest\n"
             "class T(unittest.TestCase):\n"
             "    def test_one(self): pass\n"
             "    def test_two(self): self.assertTrue(%s)\n")


class TestShTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)
        os.mkdir(os.path.join(self.tmp.path, "tools"))
        for name in ("test.sh", "run.sh", "sumtests.py"):
            shutil.copy2(tool(name), os.path.join(self.tmp.path, "tools", name))
        os.mkdir(os.path.join(self.tmp.path, "kernel"))  # run.sh reads MAXARGLEN there
        shutil.copy2(os.path.join(ROOT, "kernel", "param.h"),
                     os.path.join(self.tmp.path, "kernel", "param.h"))
        self.tmp.file("Makefile", MAKEFILE)
        self.kernels = {"pass": "usertests:3:0", "fail": "usertests:2:1",
                        "panic": "panic", "hang": "hang", "odd": "usertests:3:0:12345678"}

    def run_test_sh(self, configs, host_ok=True, env=None):
        self.tmp.file("tests/test_tiny.py", HOST_TEST % host_ok)
        for name, mode in self.kernels.items():
            self.tmp.file("kernels/" + name, "fakeqemu: %s\n" % mode)
        return run([os.path.join(self.tmp.path, "tools", "test.sh")] + configs,
                   env=dict({"QEMU": FAKEQEMU, "TIMEOUT": "1"}, **(env or {})),
                   cwd=self.tmp.path, timeout=120)

    def test_all_pass(self):
        r = self.run_test_sh(["pass"])
        lines = r.stdout.splitlines()
        # usertests 3 + 3, threads 3, fuzz 1, hostile check 1, host 2
        self.assertEqual(lines[-1], "13 passed, 0 failed", r.stdout + r.stderr)
        self.assertEqual(r.returncode, 0)
        self.assertIn("[pass/1cpu] test ok2: OK", lines)
        self.assertIn("[pass/2cpu] ptbench kernel (fake), 2 harts", lines)
        self.assertIn("[pass/threads-4cpu] ptbench kernel (fake), 4 harts", lines)
        self.assertIn("[pass/fuzz] fuzz: seed 1, 3000 calls, 15 children, OK", lines)
        self.assertFalse(any("unknown system call" in l for l in lines))
        self.assertIn("[host/test_tiny] total: 2 passed, 0 failed", lines)
        self.assertIn("[hostile] hostile: 10 cases, signature 0badcafe, the same in all "
                      "2 runs (pass/1cpu, pass/2cpu)", lines)
        log = os.path.join(self.tmp.path, "build/pass/usertests-2cpu.log")
        with open(log, encoding="utf-8") as f:
            self.assertEqual(f.read().splitlines()[-1], "3 passed, 0 failed")

    def test_failures_of_every_kind_are_counted(self):
        r = self.run_test_sh(["pass", "fail", "nobuild", "panic", "hang"], host_ok=False)
        lines = r.stdout.splitlines()
        # usertests: pass 3+3+3, fail 2+2+2 (1+1+1 failed), panic 1+1+1,
        # hang 1+1+1 failed; fuzz: pass 1, fail, panic, hang 1 failed each;
        # nobuild 1 failed; hostile check 1 (the runs that died are left
        # out); host 1+1
        self.assertEqual(lines[-1], "18 passed, 14 failed", r.stdout)
        self.assertEqual(r.returncode, 1)
        self.assertIn("[nobuild] FAIL: build failed (make CONFIG=nobuild kernel exited 2)",
                      lines)
        self.assertIn("[panic/2cpu] FAIL: kernel panic: boom; no final 'N passed, "
                      "N failed' line", lines)
        self.assertTrue(any(l.startswith("[hang/1cpu] FAIL: stopped by the timeout")
                            for l in lines))
        self.assertIn("[fail/fuzz] FAIL: FAILED: seed 1, 10 calls, 1 children", lines)
        self.assertIn("[fail/fuzz] fuzz: batch 0 FAILED: the child was killed", lines)
        self.assertIn("[panic/fuzz] FAIL: kernel panic: boom; no final 'fuzz: ' line", lines)

    def test_hostile_signatures_must_agree(self):
        r = self.run_test_sh(["pass", "odd"])
        lines = r.stdout.splitlines()
        self.assertEqual(lines[-1], "22 passed, 1 failed", r.stdout)
        self.assertEqual(r.returncode, 1)
        self.assertIn("[hostile] FAIL: hostile-pointer results differ between runs: "
                      "hostile: 10 cases, signature 0badcafe in pass/1cpu, pass/2cpu; "
                      "hostile: 10 cases, signature 12345678 in odd/1cpu, odd/2cpu", lines)
        self.assertIn("[hostile] total: 0 passed, 1 failed", lines)

    def test_blocks_print_whole_and_two_runs_at_most(self):
        r = self.run_test_sh(["pass", "fail", "panic"])
        lines = r.stdout.splitlines()
        running = [int(m.group(1)) for m in
                   (re.search(r"; (\d+) running\)$", l) for l in lines) if m]
        self.assertEqual(len(running), 12)
        self.assertLessEqual(max(running), 2)
        self.assertEqual(max(running), 2)
        for i, line in enumerate(lines):
            m = re.match(r"\[(\S+)\] finished in \d+ s, exit status \d+$", line)
            if not m:
                continue
            end = next(j for j in range(i, len(lines)) if "] total: " in lines[j])
            prefix = "[%s] " % m.group(1)
            self.assertTrue(all(l.startswith(prefix) for l in lines[i:end + 1]),
                            lines[i:end + 1])

    def asid_config(self, name, mode="usertests:3:0"):
        """A fake config with the ASID axis on (as its config.h says), and a
        TLB model plugin directory that builds nothing."""
        self.kernels[name] = mode
        self.tmp.file("build/%s/config.h" % name, "#define KPT_ASID 1\n#define KPT_MEGA 0\n")
        self.tmp.file("tools/tlbsim/Makefile", "all:\n\t@true\n")

    def stress_lines(self, out):
        """{label: the asidstress line} of the stress runs in out."""
        got = {}
        for line in out.splitlines():
            m = re.match(r"^\[(\S+/stress-\S+)\] (asidstress: .*)$", line)
            if m:
                got[m.group(1)] = m.group(2)
        return got

    def test_stress_sample_covers_every_width_and_hart_count(self):
        names = ["a%d" % i for i in range(1, 6)]
        for c in names:
            self.asid_config(c)
        r = self.run_test_sh(names)
        got = self.stress_lines(r.stdout)
        self.assertEqual(len(got), 15, r.stdout)
        for c in names:
            mine = [k for k in got if k.startswith(c + "/")]
            widths = {k.split("-")[1] for k in mine}
            harts = {k.split("-")[2] for k in mine}
            self.assertEqual(len(mine), 3, mine)
            self.assertEqual(len(widths), 3, mine)
            self.assertEqual(harts, {"1cpu", "2cpu", "4cpu"}, mine)
        pairs = {tuple(k.split("/")[1].split("-")[1:]) for k in got}
        self.assertEqual(len(pairs), 15, sorted(pairs))  # every width at every count
        for label, line in got.items():
            width = label.split("-")[1][1:]
            args = "asidstart=65500" if width == "default" else "asidbits=" + width
            self.assertEqual(line, "asidstress: ok spaces 9 rollovers 2 (%s, plugin)" % args)
        # Any 5 ASID configs check every shootdown policy, one each.
        shoot = set(re.findall(r"^\[a\d/shoot-(\S+)-4cpu\] started", r.stdout, re.M))
        self.assertEqual(len(shoot), 5, r.stdout)
        # per config: quick 3, usertests 3, threads 3, fuzz 1, check 3,
        # rollover 3, stress 3, shoot 3; then hostile 1, host 2
        self.assertEqual(r.stdout.splitlines()[-1], "%d passed, 0 failed" % (5 * 22 + 1 + 2),
                         r.stdout)

    def test_stress_all_and_a_failed_stress_run(self):
        self.asid_config("a1", "usertests:3:1")
        r = self.run_test_sh(["a1"], env={"STRESS": "all"})
        got = self.stress_lines(r.stdout)
        self.assertEqual(len(got), 15, r.stdout)
        self.assertIn("[a1/stress-w3-4cpu] FAIL: FAILED a keeper failed (asidbits=3, plugin)",
                      r.stdout.splitlines())
        self.assertEqual(r.returncode, 1)

    def test_host_modules_heaviest_first(self):
        # Two more modules: the one that says it is heavier runs (and
        # prints) before the larger one that says nothing.
        self.tmp.file("tests/test_heavy.py", "# host-test-seconds: 99\n" + HOST_TEST % True)
        self.tmp.file("tests/test_large.py", HOST_TEST % True + "#" * 20000 + "\n")
        r = self.run_test_sh(["pass"])
        lines = r.stdout.splitlines()
        order = [l.split("]")[0][6:] for l in lines
                 if l.startswith("[host/") and "] total: " in l]
        done = [l.split("]")[0][6:] for l in lines if re.match(r"\[host/\S+\] done in ", l)]
        self.assertEqual(sorted(done), ["test_heavy", "test_large", "test_tiny"], r.stdout)
        self.assertEqual(order, ["test_heavy", "test_large", "test_tiny"], r.stdout)
        self.assertEqual(lines[-1], "17 passed, 0 failed", r.stdout)

    def test_named_tests_exist(self):
        """The lists of tests test.sh runs name tests of user/usertests.c,
        and THREAD_TESTS is every thread test there (a new one runs at 4
        harts in every config without another edit)."""
        with open(os.path.join(ROOT, "user", "usertests.c"), encoding="utf-8") as f:
            tests = set(re.findall(r'^\s*\{"(\w+)", test_\w+, [01]\}', f.read(), re.M))
        with open(tool("test.sh"), encoding="utf-8") as f:
            sh = f.read()
        lists = {}
        for m in re.finditer(r'^readonly (\w+_TESTS|CHECK_BASE)="([^"]*)"', sh, re.M):
            lists[m.group(1)] = m.group(2).replace("\\\n", " ").replace("$CHECK_BASE", "").split()
        self.assertEqual(set(lists), {"THREAD_TESTS", "CHECK_BASE", "CHECK_TESTS",
                                      "ROLLOVER_TESTS", "SHOOT_TESTS"})
        self.assertGreater(len(tests), 100)
        for name, names in lists.items():
            with self.subTest(list=name):
                self.assertLessEqual(set(names), tests)
        self.assertEqual(set(lists["THREAD_TESTS"]), {t for t in tests if t.startswith("thr")})

    def test_bad_usage(self):
        r = run([tool("test.sh")])
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: tools/test.sh CONFIG...", r.stderr)


if __name__ == "__main__":
    unittest.main()
