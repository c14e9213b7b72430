"""tests/test_sumtests.py: the counting rules of tools/sumtests.py (used by test.sh).

Reads:  tools/sumtests.py. Writes: temporary files only.
"""
import io
import os
import sys
import unittest

from toolhelp import TOOLS, TempDir, run, tool

sys.path.insert(0, TOOLS)
import sumtests  # noqa: E402  (lives in tools/, not a package)

LOG = ("ptbench kernel\r\n"
       "test fork: OK\r\n"
       "test sbrk: FAILED\r\n"
       "usertests: 1 passed, 1 failed\r\n")


class UsertestsTest(unittest.TestCase):
    def test_counts_final_line(self):
        v, lines = sumtests.judge_usertests(LOG, 1)
        self.assertEqual((v.passed, v.failed, v.reasons), (1, 1, []))
        self.assertEqual(v.total_failed(), 1)
        self.assertEqual(lines[-1], "usertests: 1 passed, 1 failed")
        self.assertFalse(any("\r" in l for l in lines))

    def test_last_final_line_wins(self):
        log = "3 passed, 0 failed\n\n7 passed, 2 failed\r\n"
        v, _ = sumtests.judge_usertests(log, 1)
        self.assertEqual((v.passed, v.failed), (7, 2))

    def test_final_line_must_stand_alone(self):
        log = "note: 4 passed, 0 failed so far\nx y: 4 passed, 0 failed\n"
        v, _ = sumtests.judge_usertests(log, 0)
        self.assertEqual((v.passed, v.total_failed()), (0, 1))
        self.assertIn("no final", v.reasons[0])

    def test_missing_final_line_is_one_failure_with_reason(self):
        v, _ = sumtests.judge_usertests("booting\n", 2, "ptbench: kernel 'k' not found\n")
        self.assertEqual((v.passed, v.total_failed()), (0, 1))
        self.assertEqual(len(v.reasons), 1)
        self.assertIn("exit status 2: ptbench: kernel 'k' not found", v.reasons[0])

    def test_panic_adds_one_failure_with_message(self):
        v, _ = sumtests.judge_usertests("5 passed, 0 failed\npanic: kfree: bad page\n", 101)
        self.assertEqual((v.passed, v.failed, v.total_failed()), (5, 0, 1))
        self.assertEqual(v.reasons, ["kernel panic: kfree: bad page"])

    def test_timeout_adds_one_failure(self):
        v, _ = sumtests.judge_usertests("test a: OK\n", 124)
        self.assertEqual(v.total_failed(), 1)
        self.assertIn("timeout", v.reasons[0])
        self.assertEqual(len(v.reasons), 2)  # and no final line
        v, _ = sumtests.judge_usertests("2 passed, 0 failed\n", 124)
        self.assertEqual((v.passed, v.total_failed()), (2, 1))

    def test_nonzero_status_without_failures_counts(self):
        v, _ = sumtests.judge_usertests("2 passed, 0 failed\n", 3)
        self.assertEqual(v.total_failed(), 1)
        self.assertIn("exit status 3", v.reasons[0])
        v, _ = sumtests.judge_usertests("2 passed, 0 failed\n", 0)
        self.assertEqual(v.total_failed(), 0)

    def test_report_prefixes_every_line(self):
        v, lines = sumtests.judge_usertests(LOG + "panic: boom\n", 101)
        out = io.StringIO()
        sumtests.report("umap/2cpu", v, lines, out)
        got = out.getvalue().splitlines()
        self.assertTrue(all(l.startswith("[umap/2cpu] ") for l in got))
        self.assertEqual(got[-2], "[umap/2cpu] FAIL: kernel panic: boom")
        self.assertEqual(got[-1], "[umap/2cpu] total: 1 passed, 2 failed")


FUZZ_OK = ("ptbench kernel\r\npid 4 (fuzz): unknown system call 99\r\n"
           "fuzz: seed 1, 3000 calls, 15 children, OK\r\n")
HOSTILE = "hostile: 609 cases, signature b4a287ca"


class FuzzTest(unittest.TestCase):
    def test_ok_is_one_pass_showing_only_its_lines(self):
        v, lines = sumtests.judge_fuzz(FUZZ_OK, 0)
        self.assertEqual((v.passed, v.total_failed()), (1, 0))
        self.assertEqual(lines, ["fuzz: seed 1, 3000 calls, 15 children, OK"])

    def test_failure_is_one_failure_with_its_line(self):
        log = ("fuzz: batch 3 FAILED: the child was killed\n"
               "fuzz: seed 1 batch 3 call 57: read[5](0x3, 0x80000000, 0x10)\n"
               "fuzz: FAILED: seed 1, 657 calls, 4 children\n")
        v, lines = sumtests.judge_fuzz(log, 1)
        self.assertEqual((v.passed, v.total_failed()), (0, 1))
        self.assertEqual(v.reasons, ["FAILED: seed 1, 657 calls, 4 children"])
        self.assertEqual(len(lines), 3)

    def test_hang_panic_or_bad_status_fail(self):
        v, _ = sumtests.judge_fuzz("fuzz: seed 1", 124)
        self.assertEqual(v.total_failed(), 1)
        self.assertIn("stopped by the timeout without power-off", v.reasons)
        v, _ = sumtests.judge_fuzz("panic: kfree\n", 101)
        self.assertEqual(v.reasons, ["kernel panic: kfree", "no final 'fuzz: ' line"])
        v, _ = sumtests.judge_fuzz(FUZZ_OK, 3)
        self.assertEqual(v.reasons, ["exit status 3 although it printed OK"])


STRESS_OK = ("ptbench kernel\r\nasidstress: ok spaces 128 rollovers 31 asidbits 4\r\n"
             "pid 9 (init): exiting\r\n")


class AsidstressTest(unittest.TestCase):
    def test_ok_is_one_pass_showing_only_its_line(self):
        v, lines = sumtests.judge_asidstress(STRESS_OK, 0)
        self.assertEqual((v.passed, v.total_failed()), (1, 0))
        self.assertEqual(lines, ["asidstress: ok spaces 128 rollovers 31 asidbits 4"])

    def test_failed_line_is_the_reason(self):
        log = ("asidstress: keeper (pid 4): its data, heap or stack read back wrong\n"
               "asidstress: FAILED a keeper failed (rollovers 3, asidbits 6)\n")
        v, lines = sumtests.judge_asidstress(log, 1)
        self.assertEqual((v.passed, v.total_failed()), (0, 1))
        self.assertEqual(v.reasons, ["FAILED a keeper failed (rollovers 3, asidbits 6)"])
        self.assertEqual(len(lines), 2)

    def test_checker_report_after_ok_fails_with_its_message(self):
        err = "tlbsim: 2 stale translations (first: hart 0 pc 0x80001234)\n"
        v, _ = sumtests.judge_asidstress(STRESS_OK, 1, err)
        self.assertEqual(v.total_failed(), 1)
        self.assertEqual(v.reasons, ["exit status 1 although it printed ok: " + err.strip()])

    def test_hang_or_no_line_fails(self):
        v, _ = sumtests.judge_asidstress("asidstress: ok", 124)
        self.assertIn("stopped by the timeout without power-off", v.reasons)
        v, _ = sumtests.judge_asidstress("panic: kfree\n", 101)
        self.assertEqual(v.reasons, ["kernel panic: kfree", "no final 'asidstress: ' line"])


class HostileTest(unittest.TestCase):
    def test_same_line_everywhere_is_one_pass(self):
        runs = [("global/1cpu", HOSTILE + "\n5 passed, 0 failed\n"),
                ("umap/2cpu", "x\r\n" + HOSTILE + "\r\n5 passed, 1 failed\r\n")]
        v, lines = sumtests.judge_hostile(runs)
        self.assertEqual((v.passed, v.total_failed()), (1, 0))
        self.assertEqual(lines, [HOSTILE + ", the same in all 2 runs (global/1cpu, umap/2cpu)"])

    def test_difference_is_one_failure_naming_the_runs(self):
        runs = [("global/1cpu", HOSTILE + "\n"),
                ("umap/1cpu", "hostile: 578 cases, signature 0000beef\n")]
        v, _ = sumtests.judge_hostile(runs)
        self.assertEqual((v.passed, v.total_failed()), (0, 1))
        self.assertEqual(v.reasons, ["hostile-pointer results differ between runs: "
                                     + HOSTILE + " in global/1cpu; hostile: 578 cases, "
                                     "signature 0000beef in umap/1cpu"])

    def test_missing_line_counts_only_for_finished_runs(self):
        runs = [("global/1cpu", HOSTILE + "\n"), ("perproc/1cpu", "panic: x\n"),
                ("umap/1cpu", "3 passed, 0 failed\n")]
        v, _ = sumtests.judge_hostile(runs)
        self.assertEqual(v.total_failed(), 1)
        self.assertEqual(v.reasons,
                         ["no 'hostile: N cases, signature X' line in umap/1cpu"])
        self.assertEqual(sumtests.judge_hostile([("a", "panic: x\n")]), (None, []))


class UnittestOutputTest(unittest.TestCase):
    def test_counts_failures_errors_and_skips(self):
        out = ("test_a ... ok\n" + "-" * 70 + "\nRan 7 tests in 0.5s\n\n"
               "FAILED (failures=1, errors=2, skipped=1)\n")
        v = sumtests.judge_unittest(out, 1)
        self.assertEqual((v.passed, v.failed, v.reasons), (3, 3, []))

    def test_unexpected_success_is_a_failure(self):
        out = "Ran 3 tests in 0.1s\n\nFAILED (expected failures=1, unexpected successes=1)\n"
        v = sumtests.judge_unittest(out, 1)
        self.assertEqual((v.passed, v.failed, v.reasons), (2, 1, []))

    def test_all_ok(self):
        v = sumtests.judge_unittest("Ran 12 tests in 3.1s\n\nOK (skipped=2)\n", 0)
        self.assertEqual((v.passed, v.total_failed()), (10, 0))

    def test_crash_or_no_tests_is_a_failure(self):
        v = sumtests.judge_unittest("Traceback (most recent call last):\n", 1)
        self.assertEqual((v.passed, v.total_failed()), (0, 1))
        v = sumtests.judge_unittest("Ran 0 tests in 0.000s\n\nNO TESTS RAN\n", 5)
        self.assertEqual(v.total_failed(), 1)
        self.assertIn("no host test ran", v.reasons)


class CommandLineTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)
        self.totals = self.tmp.file("totals")

    def sum(self, *args):
        return run(["/usr/bin/python3", tool("sumtests.py")] + list(args))

    def test_totals_add_up_and_set_status(self):
        log = self.tmp.file("u.log", LOG)
        r = self.sum("usertests", "global/1cpu", "1", log, self.tmp.file("u.err"), self.totals)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("[global/1cpu] test sbrk: FAILED", r.stdout.splitlines())
        self.sum("fail", "perproc", "build failed", self.totals)
        out = self.tmp.file("host.out", "Ran 4 tests in 1s\n\nOK\n")
        self.sum("unittest", "host", "0", out, self.totals)
        r = self.sum("total", self.totals)
        self.assertEqual(r.stdout.splitlines()[-1], "5 passed, 2 failed")
        self.assertEqual(r.returncode, 1)

    def test_total_zero_failures_exits_zero(self):
        out = self.tmp.file("host.out", "Ran 4 tests in 1s\n\nOK\n")
        self.sum("unittest", "host", "0", out, self.totals)
        r = self.sum("total", self.totals)
        self.assertEqual((r.stdout, r.returncode), ("4 passed, 0 failed\n", 0))

    def test_hostile_command_adds_one_test(self):
        a = self.tmp.file("a.log", HOSTILE + "\n1 passed, 0 failed\n")
        b = self.tmp.file("b.log", "hostile: 1 cases, signature 00000000\n")
        r = self.sum("hostile", self.totals, "global/1cpu", a, "umap/1cpu", b)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("[hostile] FAIL: hostile-pointer results differ"))
        r = self.sum("hostile", self.totals, "x/1cpu", self.tmp.file("c.log", "panic: y\n"))
        self.assertEqual(r.stdout, "")
        r = self.sum("total", self.totals)
        self.assertEqual(r.stdout, "0 passed, 1 failed\n")

    def test_bad_usage(self):
        r = self.sum("usertests", "x")
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage:", r.stderr)
        self.assertEqual(os.path.getsize(self.totals), 0)


if __name__ == "__main__":
    unittest.main()
