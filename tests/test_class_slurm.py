"""tests/test_class_slurm.py: make class ENGINE=slurm on a real one-node
Slurm cluster (tests/slurmhelp.py: munged, slurmctld and slurmd on
127.0.0.1 in a temporary directory), against the local pool.

The class: the three 2020 lab fixtures (the tarballs in env
PTBENCH_XV6_TREES, as .ci/run sets it; stub trees from tests/xv6stub.py
without it), a copy of one under another name and a non-tree, with the first
fixture as the lab start; the measure step is tests/fakemeasure (the tlbsim
plugin does not load on QEMU 10 yet). Run once on the local pool and once
as a Slurm job array (2 parts per task, at most 2 tasks at a time, WAIT=1)
with its merge job. Asserts: every part's CSV and the class CSVs
byte-identical across the engines; the copy's rows equal to its original's
but for the label; the non-tree refused with its reason and the merge run
all the same; one completion record per array task and one for the merge,
all completed. Then make sweep SWEEP='CONFIG=all' (tests/fakebench for make
bench) through both engines: the same points, the same files. After each
test the daemons are stopped by their PIDs, and checked gone.

Skipped, saying why, only without root or without the Slurm packages (make
deps-slurm). About 40 s.

Reads:  tools/, plot/, tests/fakemeasure, env PTBENCH_XV6_TREES.
Writes: temporary directories (the cluster's included).
"""

# host-test-seconds: 26 (about this long in make test here; tools/test.sh runs the heaviest first)
import csv
import filecmp
import glob
import json
import os
import shutil
import unittest

import slurmhelp
import xv6stub
from toolhelp import ROOT, TempDir, run

TREES_ENV = "PTBENCH_XV6_TREES"
MEASURE = os.path.join(ROOT, "tests", "fakemeasure")
PER_TASK = 2


def fixtures(dest):
    """Three lab trees as tarballs in dest: the fixtures when given, else stubs."""
    given = os.environ.get(TREES_ENV)
    found = sorted(glob.glob(os.path.join(given, "*.tar.gz"))) if given else []
    if len(found) >= 3:
        for f in found[:3]:
            shutil.copy(f, dest)
        return [os.path.basename(f) for f in found[:3]]
    names = ["global.tar.gz", "perproc.tar.gz", "umap.tar.gz"]
    for i, n in enumerate(names):
        xv6stub.tarball(os.path.join(dest, n), i)
    return names


def class_rows(results, label):
    with open(os.path.join(results, "class.csv"), encoding="utf-8", newline="") as f:
        return [{k: v for k, v in r.items() if k not in ("label", "group")}
                for r in csv.DictReader(f) if r["label"] == label]


def read_status(results, label):
    with open(os.path.join(results, "parts", label, "status.json"), encoding="utf-8") as f:
        return json.load(f)


@unittest.skipIf(slurmhelp.missing(), slurmhelp.missing() or "")
class SlurmClassTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.addCleanup(self.tmp.cleanup)
        self.cluster = slurmhelp.Cluster(os.path.join(self.tmp.path, "cluster"))
        os.makedirs(self.cluster.d)
        self.addCleanup(self.stop_cluster)
        self.cluster.start()

    def stop_cluster(self):
        pids = []
        for pf in self.cluster.pidfiles:
            if os.path.exists(pf):
                with open(pf) as f:
                    pids.append(int(f.read().split()[0]))
        self.cluster.stop()
        self.assertEqual([p for p in pids if os.path.exists("/proc/%d" % p)], [])

    def make_class(self, subs, labstart, results, *extra):
        env = dict(self.cluster.env, PTBENCH_CLASS_MEASURE=MEASURE)
        return run(["make", "--no-print-directory", "class", "SUBMISSIONS=" + subs,
                    "LABSTART=" + labstart, "RESULTS=" + results, "JOBS=2"] + list(extra),
                   env=env, timeout=300)

    def test_slurm_equals_local(self):
        subs = os.path.join(self.tmp.path, "subs")
        os.makedirs(subs)
        names = fixtures(subs)
        labstart = os.path.join(self.tmp.path, "start-" + names[0])
        shutil.copy(os.path.join(subs, names[0]), labstart)
        original = names[1].split(".")[0]
        shutil.copy(os.path.join(subs, names[1]), os.path.join(subs, "copy_of_" + names[1]))
        self.tmp.file("subs/README", "an instructor's note, not a tree\n")
        local, slurm = (os.path.join(self.tmp.path, d) for d in ("local", "slurm"))

        r = self.make_class(subs, labstart, local)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = self.make_class(subs, labstart, slurm, "ENGINE=slurm", "WAIT=1", "MAXRUN=2",
                            "PER_TASK=%d" % PER_TASK)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr + self.cluster.logs())
        with open(os.path.join(slurm, "slurm", "jobs.json"), encoding="utf-8") as f:
            jobs = json.load(f)
        self.assertIn("submitted array job %s" % jobs["array"], r.stdout)
        self.assertIn("merge job %s" % jobs["merge"], r.stdout)

        with open(os.path.join(local, "manifest.json"), encoding="utf-8") as f:
            parts = json.load(f)["parts"]
        for p in parts:
            st = read_status(local, p["label"])
            self.assertEqual(st["status"], read_status(slurm, p["label"])["status"], p["label"])
            if st["status"] == "ok":
                self.assertTrue(filecmp.cmp(os.path.join(local, "parts", p["label"], st["csv"]),
                                            os.path.join(slurm, "parts", p["label"], st["csv"]),
                                            shallow=False), p["label"])
        for f in ("class.csv", "class-quartiles.csv"):
            self.assertTrue(filecmp.cmp(os.path.join(local, f), os.path.join(slurm, f),
                                        shallow=False), f)

        copy = class_rows(slurm, "copy_of_" + original)
        self.assertTrue(copy)
        self.assertEqual(copy, class_rows(slurm, original))

        st = read_status(slurm, "README")
        self.assertEqual((st["status"], st["reason"]), ("refused", "not a tree"))
        with open(os.path.join(slurm, "class-report.md"), encoding="utf-8") as f:
            self.assertIn("| README | refused | not a tree |", f.read())

        records = self.cluster.completions()
        tasks = [x for x in records if x.get("ArrayJobId") == jobs["array"]]
        self.assertEqual(sorted(int(x["ArrayTaskId"]) for x in tasks),
                         list(range(jobs["tasks"])))
        self.assertEqual(jobs["tasks"], (len(parts) + PER_TASK - 1) // PER_TASK)
        merge = [x for x in records if x.get("JobId") == jobs["merge"]]
        self.assertEqual(len(merge), 1)
        self.assertEqual({x["JobState"] for x in tasks + merge}, {"COMPLETED"})

    def test_sweep_both_engines(self):
        env = dict(self.cluster.env, PTBENCH_CLASS_BENCH=os.path.join(ROOT, "tests", "fakebench"))
        out = {}
        for engine in ("local", "slurm"):
            out[engine] = os.path.join(self.tmp.path, "sweep-" + engine)
            r = run(["make", "--no-print-directory", "sweep", "SWEEP=CONFIG=all", "QUICK=1",
                     "RESULTS=" + out[engine], "ENGINE=" + engine, "WAIT=1", "PER_TASK=8"],
                    env=env, timeout=300)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        configs = run(["make", "-s", "--no-print-directory", "configs"]).stdout.split()
        points = sorted(glob.glob(os.path.join(out["slurm"], "parts", "*", "point.txt")))
        self.assertEqual(len(points), len(configs))
        for p in points:
            twin = os.path.join(out["local"], os.path.relpath(p, out["slurm"]))
            self.assertTrue(filecmp.cmp(p, twin, shallow=False), p)
        self.assertTrue(filecmp.cmp(os.path.join(out["local"], "sweep.md"),
                                    os.path.join(out["slurm"], "sweep.md"), shallow=False))


if __name__ == "__main__":
    unittest.main()
