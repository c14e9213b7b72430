"""tests/test_class.py: make class, class-report and sweep on the local pool,
and the sandbox around a student's Makefile (tools/class.py,
tools/sandbox.sh, plot/class_report.py).

The measure step is tests/fakemeasure (env PTBENCH_CLASS_MEASURE): it copies
and checks each tree as tools/xv6bench.sh does and writes counts derived
from the tree's files instead of booting it (the tlbsim plugin does not load
on QEMU 10 yet). The trees are stubs with an xv6 tree's files.

- ClassTest: a class of three trees, a copy of one under another name and a
  non-tree: every part's status; the copy's rows equal to its original's
  but for the label, and grouped with it; the non-tree refused with its
  reason; a rerun skips every ok part; colliding labels are refused; the
  merge refuses parts of another compiler, naming it; an infrastructure
  failure fails the run and RETRY=failed reruns only that part; when no
  part was measured the report still lists every part and why.
- SandboxTest: four hostile trees whose Makefiles write outside their copy,
  connect to a socket the test listens on, fork-bomb and loop forever: each
  refused (build) with the cause in its message, the outside file and the
  originals untouched, no connection made, no sandbox process left. Needs
  bwrap (skipped, saying so, without it).
- SweepTest: make sweep SWEEP='CONFIG=all' (tests/fakebench instead of make
  bench): one ok point per config; a failing point fails the sweep.

About 20 s. Reads: tools/, plot/, tests/fake*. Writes: temporary directories;
a canary file in build/ (removed).
"""

# host-test-seconds: 16 (about this long in make test here; tools/test.sh runs the heaviest first)
import csv
import json
import os
import shutil
import socket
import subprocess
import tarfile
import unittest

import xv6stub
from toolhelp import ROOT, TempDir, run

FAKE_ENV = {"PTBENCH_CLASS_MEASURE": os.path.join(ROOT, "tests", "fakemeasure")}
SANDBOX_UID_BASE = 200000  # tools/sandbox.sh


def make(*args, env=None, timeout=120):
    e = dict(FAKE_ENV)
    e.update(env or {})
    return run(["make", "--no-print-directory"] + list(args), env=e, timeout=timeout)


def status(results, label):
    with open(os.path.join(results, "parts", label, "status.json"), encoding="utf-8") as f:
        return json.load(f)


def rows(results, label):
    with open(os.path.join(results, "class.csv"), encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if r["label"] == label]


class ClassTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)
        self.subs = os.path.join(self.tmp.path, "subs")
        self.results = os.path.join(self.tmp.path, "results")
        os.makedirs(self.subs)
        for name, variant in (("alice", 1), ("bob", 2), ("carol", 3)):
            xv6stub.tarball(os.path.join(self.subs, name + ".tar.gz"), variant)
        shutil.copy(os.path.join(self.subs, "bob.tar.gz"), os.path.join(self.subs, "Bob copy.tgz"))
        self.tmp.file("subs/notes.txt", "not a tree\n")
        self.labstart = os.path.join(self.tmp.path, "start.tar.gz")
        xv6stub.tarball(self.labstart, 0)

    def make_class(self, *extra, env=None):
        return make("class", "SUBMISSIONS=" + self.subs, "LABSTART=" + self.labstart,
                    "RESULTS=" + self.results, "JOBS=2", *extra, env=env)

    def test_class_report_and_rerun(self):
        r = self.make_class()
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        for label in ("alice", "bob", "carol", "Bob_copy", "labstart", "ptbench_global"):
            self.assertEqual(status(self.results, label)["status"], "ok", label)
        st = status(self.results, "notes_txt")
        self.assertEqual((st["status"], st["reason"]), ("refused", "not a tree"))
        self.assertIn("neither a directory nor a tarball", st["message"])
        for key in ("seconds", "host", "compiler", "qemu", "ptbench_commit", "settings"):
            self.assertIn(key, st)
        with open(os.path.join(self.results, "manifest.json"), encoding="utf-8") as f:
            plan = json.load(f)
        copy = next(p for p in plan["parts"] if p["label"] == "Bob_copy")
        bob = next(p for p in plan["parts"] if p["label"] == "bob")
        self.assertEqual(copy["sha256"], bob["sha256"])
        strip = [{k: v for k, v in x.items() if k != "label"} for x in rows(self.results, "Bob_copy")]
        self.assertEqual(strip, [{k: v for k, v in x.items() if k != "label"}
                                 for x in rows(self.results, "bob")])
        self.assertTrue(strip)
        self.assertNotEqual(rows(self.results, "alice")[0]["instret_per_op"],
                            rows(self.results, "carol")[0]["instret_per_op"])
        self.assertEqual({x["ratio_global"] for x in rows(self.results, "ptbench_global")}, {"1.0"})
        self.assertEqual({x["ratio_labstart"] for x in rows(self.results, "labstart")}, {"1.0"})
        with open(os.path.join(self.results, "class-report.md"), encoding="utf-8") as f:
            report = f.read()
        self.assertTrue(report.startswith("# Class report\n\n5 submissions: 4 measured, 1 refused"))
        self.assertIn("| notes_txt | refused | not a tree |", report)
        self.assertIn("- `Bob_copy`, `bob`", report)
        self.assertTrue(os.path.exists(os.path.join(self.results, "students", "notes_txt.md")))
        before = os.path.getmtime(os.path.join(self.results, "parts", "alice", "status.json"))
        again = self.make_class()
        self.assertEqual(again.returncode, 0, again.stderr)
        ok = [p["label"] for p in plan["parts"] if p["label"] != "notes_txt"]
        for label in ok:
            self.assertIn("class: %s: already ok, skipped" % label, again.stdout)
        self.assertEqual(before,
                         os.path.getmtime(os.path.join(self.results, "parts", "alice", "status.json")))

    def test_colliding_labels_refused(self):
        shutil.copy(os.path.join(self.subs, "alice.tar.gz"), os.path.join(self.subs, "alice.tgz"))
        r = self.make_class()
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("labels collide", r.stderr)
        self.assertIn("alice.tar.gz and ", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.results, "parts")))

    def test_merge_refuses_mixed_compilers(self):
        self.assertEqual(self.make_class().returncode, 0)
        path = os.path.join(self.results, "parts", "carol", "status.json")
        st = status(self.results, "carol")
        st["compiler"] = "gcc 99"
        with open(path, "w", encoding="utf-8") as f:
            json.dump(st, f)
        r = make("class-report", "RESULTS=" + self.results)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("compiler: ", r.stderr)
        self.assertIn('"gcc 99" in carol', r.stderr)
        self.assertNotIn("qemu:", r.stderr)

    def test_infrastructure_failure_and_retry(self):
        broken = self.tmp.file("broken", "#!/bin/sh\n"
                               "case \"$*\" in *carol*) echo 'No space left on device' >&2;"
                               " exit 1;; esac\nexec %s \"$@\"\n" % FAKE_ENV["PTBENCH_CLASS_MEASURE"])
        os.chmod(broken, 0o755)
        r = self.make_class(env={"PTBENCH_CLASS_MEASURE": broken})
        self.assertNotEqual(r.returncode, 0)
        st = status(self.results, "carol")
        self.assertEqual((st["status"], st["reason"]), ("failed", "infrastructure"))
        self.assertIn("No space left", st["message"])
        self.assertEqual(status(self.results, "alice")["status"], "ok")
        self.assertTrue(os.path.exists(os.path.join(self.results, "class-report.md")))
        r = self.make_class("RETRY=failed")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(status(self.results, "carol")["status"], "ok")
        self.assertIn("class: carol: ok", r.stdout)
        self.assertIn("class: notes_txt: already", r.stdout)  # refused: not rerun

    def test_report_when_nothing_measured(self):
        failing = self.tmp.file("failing", "#!/bin/sh\necho 'qemu: could not load plugin' >&2\n"
                                "exit 1\n")
        os.chmod(failing, 0o755)
        r = self.make_class(env={"PTBENCH_CLASS_MEASURE": failing})
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("no part was measured", r.stderr)
        with open(os.path.join(self.results, "class-report.md"), encoding="utf-8") as f:
            report = f.read()
        self.assertIn("| ptbench_global | failed | infrastructure | qemu: could not load plugin |",
                      report)
        self.assertIn("| notes_txt | failed | infrastructure |", report)


HOSTILE = {
    "write": "echo pwned >> {canary}",
    "network": "python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", {port}), 3)'",
    "forkbomb": "python3 -c 'import os, time; [os.fork() == 0 and (time.sleep(60), os._exit(0))"
                " for i in range(100000)]'",
    "loop": "while :; do :; done",
}


@unittest.skipUnless(shutil.which("bwrap"), "no bwrap: make deps installs bubblewrap")
class SandboxTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)
        os.makedirs(os.path.join(ROOT, "build"), exist_ok=True)
        self.canary = os.path.join(ROOT, "build", "class-test-canary-%d" % os.getpid())
        with open(self.canary, "w", encoding="utf-8") as f:
            f.write("untouched\n")
        os.chmod(self.canary, 0o666)  # so that only the sandbox stands in the way
        self.addCleanup(os.remove, self.canary)
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.listener.setblocking(False)
        self.addCleanup(self.listener.close)

    def test_hostile_trees_contained(self):
        subs = os.path.join(self.tmp.path, "subs")
        fill = {"canary": self.canary, "port": self.listener.getsockname()[1]}
        for name, recipe in HOSTILE.items():
            xv6stub.tree(os.path.join(subs, name), 1, recipe=recipe.format(**fill))
        digests = {n: xv6stub.snapshot(os.path.join(subs, n)) for n in HOSTILE}
        results = os.path.join(self.tmp.path, "results")
        r = make("class", "SUBMISSIONS=" + subs, "RESULTS=" + results, "JOBS=2",
                 env={"FAKEMEASURE_BUILD": "1", "PTBENCH_SANDBOX_TIME": "6",
                      "PTBENCH_SANDBOX_PROCS": "64"})
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        expect = {"write": "Read-only file system", "network": "Connection refused",
                  "forkbomb": "Resource temporarily unavailable", "loop": "its time limit"}
        for name, cause in expect.items():
            st = status(results, name)
            self.assertEqual((st["status"], st["reason"]), ("refused", "build"), name)
            self.assertIn(cause, st["message"], name)
        with open(self.canary, encoding="utf-8") as f:
            self.assertEqual(f.read(), "untouched\n")
        for n in HOSTILE:
            self.assertEqual(digests[n], xv6stub.snapshot(os.path.join(subs, n)), n)
        with self.assertRaises(BlockingIOError):
            self.listener.accept()
        self.assertEqual(sandbox_processes(), [])


def sandbox_processes():
    """Processes running as a sandbox's uid."""
    left = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.stat("/proc/" + pid).st_uid >= SANDBOX_UID_BASE:
                left.append(int(pid))
        except OSError:
            pass
    return left


class SweepTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)
        self.env = {"PTBENCH_CLASS_BENCH": os.path.join(ROOT, "tests", "fakebench")}

    def test_config_all_sweep(self):
        results = os.path.join(self.tmp.path, "sweep")
        r = make("sweep", "SWEEP=CONFIG=all", "QUICK=1", "RESULTS=" + results, env=self.env)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        configs = run(["make", "-s", "--no-print-directory", "configs"]).stdout.split()
        self.assertGreater(len(configs), 1)
        for c in configs:
            label = "config_" + c.replace("-", "_")
            self.assertEqual(status(results, label)["status"], "ok")
            with open(os.path.join(results, "parts", label, "point.txt"), encoding="utf-8") as f:
                self.assertEqual(f.read(), "CONFIG=%s\nQUICK=1\n" % c)
        with open(os.path.join(results, "sweep.md"), encoding="utf-8") as f:
            self.assertIn("| `CONFIG=%s` | ok |" % configs[0], f.read())

    def test_failing_point_fails_sweep(self):
        results = os.path.join(self.tmp.path, "sweep")
        configs = run(["make", "-s", "--no-print-directory", "configs"]).stdout.split()
        env = dict(self.env, FAKEBENCH_FAIL=configs[-1])
        r = make("sweep", "SWEEP=CONFIG=%s,%s" % (configs[0], configs[-1]), "RESULTS=" + results,
                 env=env)
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(status(results, "config_" + configs[-1].replace("-", "_"))["status"],
                         "failed")
        self.assertEqual(status(results, "config_" + configs[0].replace("-", "_"))["status"], "ok")


if __name__ == "__main__":
    unittest.main()
