#!/usr/bin/python3
"""tools/class.py: measure a whole class of xv6 trees, or a parameter sweep,
one job per part, on a local pool or a Slurm cluster (make class, make sweep).

Usage:
  tools/class.py plan  --results DIR --submissions SUBDIR [--labstart TREE]
                       [--quick] [--tlb PRESET|all]
  tools/class.py plan  --results DIR --sweep 'VAR=v1,v2 VAR=all ...' [--quick]
  tools/class.py prepare --results DIR
  tools/class.py job   --results DIR --task T [--per-task K] [--retry-failed]
  tools/class.py pool  --results DIR [--jobs N] [--retry-failed]
  tools/class.py slurm --results DIR [--sbatch 'OPTS'] [--maxrun N]
                       [--per-task K] [--wait] [--retry-failed]
  tools/class.py merge --results DIR

The plan is DIR/manifest.json: one entry per part, each with a label (from
the file name, cleaned: letters, digits and _; two sources cleaning to one
label, or to a reference part's label, are refused with both names), its
kind and source (a tarball with its sha256). A class has a part per
submission, one per ptbench design (configs/*.mk; labelled ptbench_DESIGN)
and one for the lab-start
tree (--labstart). A sweep has one part per point of the product of its
variables' values (CONFIG=all and TLB=all expand as make bench expands them).

`prepare` builds what every job shares once: ptbench's kernels, the workload
programs and the plugins. A job (task T handles parts T*K .. T*K+K-1) runs
each part in a scratch directory of its own and writes DIR/parts/LABEL/:
status.json and, when ok, LABEL.csv (and tlb/ with --tlb). A submission is
measured by tools/xv6bench.sh with its make of the tree inside
tools/sandbox.sh. The status is "ok", "refused" (the tree's fault: not a
tree, build, boot, panic, unfinished, failed check; with the message) or
"failed" (the infrastructure's: the job exits 1 and RETRY=failed reruns it).
A part already ok with the same settings and ptbench commit is skipped.
`pool` runs every task locally, N at a time; `slurm` submits them as one job
array and the merge as a job that depends on it (afterany), prints both ids
and, with --wait, polls squeue until the merge has ended. `merge` runs
plot/class_report.py (a class) or writes the sweep's index (a sweep).

Env:    PTBENCH_CLASS_MEASURE: the measuring command instead of
        tools/xv6bench.sh (tests); PTBENCH_CLASS_BENCH: instead of
        `make bench` for a sweep's points (tests); PTBENCH_SANDBOX_*: the
        sandbox's limits (tools/sandbox.sh); SLURM_CPUS_PER_TASK.
Reads:  the submissions, ptbench's sources, configs/*.mk.
Writes: DIR/manifest.json, DIR/parts/, DIR/scratch/ (removed after an ok
        part), DIR/slurm/ (scripts and job output).
Exit:   0 when every part is ok or refused; 1 when a part failed for the
        infrastructure; 2 on bad usage or a refused plan.
"""
import argparse
import concurrent.futures
import hashlib
import itertools
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = "/usr/bin/python3"
TARBALL_RE = re.compile(r"\.(tar\.gz|tgz|tar\.xz|tar\.bz2|tar)$")
LABSTART = "labstart"
# ptbench's designs are parts too, labelled apart from the submissions
# (students' trees are often named after the design they implement).
DESIGN_PREFIX = "ptbench_"
TREE_PREFIX = "xv6_"
# How a refused tree's message names its cause (tools/xv6tree.py,
# tools/xv6run.py, tools/xv6collect.py), first match wins. Anything else that
# fails is the infrastructure's.
REASONS = [
    ("not a tree", re.compile(r"is not an xv6-riscv tree|neither a directory nor a tarball|"
                              r"no such file or directory|cannot unpack|would land outside|"
                              r"is a device or an absolute link")),
    ("build", re.compile(r"does not build|made no kernel|cannot read \w+ from the tree")),
    ("boot", re.compile(r"did not boot|showed no shell prompt|printed but")),
    ("panic", re.compile(r"kernel panic")),
    ("unfinished", re.compile(r"workload stopped|did not finish within")),
    ("failed check", re.compile(r"xv6collect: error")),
]
POLL_SECONDS = 2
MESSAGE_LINES = 30


class PlanError(Exception):
    """The plan cannot be made; the message says why."""


# --- the plan ----------------------------------------------------------------

def clean_label(name):
    """A label from a file name: the tarball suffix dropped, every run of
    other characters made one _, a leading digit or _ prefixed with s."""
    label = re.sub(r"[^A-Za-z0-9]+", "_", TARBALL_RE.sub("", name)).strip("_")
    return "s_" + label if not label or not label[0].isalpha() else label


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def designs():
    """ptbench's designs: one per configs/*.mk, the only list there is."""
    return sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, "configs")) if f.endswith(".mk"))


def all_configs():
    r = subprocess.run(["make", "-s", "--no-print-directory", "configs"], cwd=ROOT,
                       capture_output=True, text=True, check=True)
    return r.stdout.split()


def submission_parts(subdir):
    """One part per entry of subdir (hidden ones left out), sorted."""
    if not os.path.isdir(subdir):
        raise PlanError("SUBMISSIONS=%s is not a directory" % subdir)
    parts = []
    for name in sorted(os.listdir(subdir)):
        if name.startswith("."):
            continue
        path = os.path.abspath(os.path.join(subdir, name))
        part = {"label": clean_label(name), "kind": "submission", "source": path}
        if os.path.isfile(path):
            part["sha256"] = sha256_file(path)
        parts.append(part)
    return parts


def refuse_collisions(parts):
    """Raise PlanError naming every label that more than one part has."""
    seen, clashes = {}, []
    for p in parts:
        if p["label"] in seen:
            clashes.append("%s: %s and %s" % (p["label"], seen[p["label"]], p["source"]))
        seen.setdefault(p["label"], p["source"])
    if clashes:
        raise PlanError("labels collide (rename the submissions): " + "; ".join(clashes))


def class_plan(a):
    parts = [{"label": DESIGN_PREFIX + d, "kind": "design", "config": d,
              "source": "configs/%s.mk" % d} for d in designs()]
    if a.labstart:
        src = os.path.abspath(a.labstart)
        parts.append({"label": LABSTART, "kind": "labstart", "source": src})
        if os.path.isfile(src):
            parts[-1]["sha256"] = sha256_file(src)
    parts += submission_parts(a.submissions)
    refuse_collisions(parts)
    return {"kind": "class", "settings": {"quick": a.quick, "tlb": a.tlb or ""}, "parts": parts}


def sweep_values(var, value):
    if value == "all" and var == "CONFIG":
        return all_configs()
    if value == "all" and var == "TLB":
        return tlb_presets()
    return value.split(",")


def sweep_plan(a):
    """One part per point: the product of the variables' values."""
    axes = []
    for word in shlex.split(a.sweep):
        var, eq, value = word.partition("=")
        if not eq or not re.fullmatch(r"[A-Z][A-Z0-9_]*", var) or not value:
            raise PlanError("SWEEP word %r is not VAR=value[,value...]" % word)
        axes.append([(var, v) for v in sweep_values(var, value)])
    parts = []
    for point in itertools.product(*axes):
        label = clean_label("_".join("%s_%s" % (k.lower(), v) for k, v in point))
        parts.append({"label": label, "kind": "point", "source": " ".join("%s=%s" % kv for kv in point),
                      "make": ["%s=%s" % kv for kv in point]})
    refuse_collisions(parts)
    return {"kind": "sweep", "settings": {"quick": a.quick, "tlb": ""}, "parts": parts}


def tlb_presets():
    """The TLB presets, as the plugin lists them (tools/xv6bench.sh does the same)."""
    prepare_shared()
    r = subprocess.run(["qemu-system-riscv64", "-machine", "none", "-display", "none", "-plugin",
                        os.path.join(ROOT, "build/tlbsim/tlbsim.so") + ",preset=?"],
                       capture_output=True, text=True)
    m = re.search(r"presets are (.*)", r.stderr)
    if not m:
        raise PlanError("tlbsim did not list its presets: %s" % r.stderr.strip()[-300:])
    return [p.strip() for p in m.group(1).split(",") if p.strip()]


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# --- what every part records -------------------------------------------------

def first_line(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return "unknown"


def ptbench_commit():
    r = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short=12", "HEAD"],
                       capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "user", "tools",
                            "kernel", "configs"], capture_output=True, text=True).stdout.strip()
    return (r.stdout.strip() or "unknown") + ("+dirty" if dirty else "")


def environment():
    """What makes two parts' counts comparable (the merge checks these)."""
    return {"ptbench_commit": ptbench_commit(),
            "compiler": first_line(["riscv64-unknown-elf-gcc", "--version"]),
            "qemu": first_line(["qemu-system-riscv64", "--version"])}


# --- one part ------------------------------------------------------------------

def classify(message):
    """The refusal reason a measuring failure's message names, or None (the
    infrastructure failed)."""
    for reason, pattern in REASONS:
        if pattern.search(message):
            return reason
    return None


def jobs_per_part():
    """Parallel runs inside one part: Slurm's allocation, not nproc (which is
    the whole node inside a job)."""
    return os.environ.get("SLURM_CPUS_PER_TASK") or os.environ.get("PTBENCH_JOBS") or "1"


def measure_argv(plan, part, scratch):
    s = plan["settings"]
    if part["kind"] == "point":
        bench = shlex.split(os.environ.get("PTBENCH_CLASS_BENCH", "make --no-print-directory bench"))
        return bench + part["make"] + (["QUICK=1"] if s["quick"] else []) + \
            ["RESULTS=" + os.path.join(scratch, "results")]
    argv = shlex.split(os.environ.get("PTBENCH_CLASS_MEASURE", "tools/xv6bench.sh"))
    argv += ["--prepared", "--work", os.path.join(scratch, "work"),
             "--results", os.path.join(scratch, "results")]
    argv += (["--quick"] if s["quick"] else []) + (["--tlb", s["tlb"]] if s["tlb"] else [])
    if part["kind"] == "design":
        return argv + [part["config"]]
    return argv + ["--tree", part["source"], "--name", measured_name(part)]


def measured_name(part):
    """The name a part's kernel has in its CSV: a design's config; a tree's
    label after xv6_ (xv6bench.sh's prefix), which no config name takes."""
    return part["config"] if part["kind"] == "design" else TREE_PREFIX + part["label"]


def keep_results(part, scratch, out):
    """Move the part's results from scratch into its part directory."""
    res = os.path.join(scratch, "results")
    src = res if part["kind"] == "point" else os.path.join(res, "xv6")
    for name in os.listdir(src) if os.path.isdir(src) else []:
        if name.endswith(".md") or name in ("report", "plots"):
            continue
        shutil.move(os.path.join(src, name), os.path.join(out, name))


def run_part(plan, part, results, env_info):
    """Measure one part into results/parts/LABEL/; returns its status."""
    out = os.path.join(results, "parts", part["label"])
    scratch = os.path.join(results, "scratch", part["label"])
    for d in (out, scratch):
        shutil.rmtree(d, ignore_errors=True)
    os.makedirs(out)
    os.makedirs(scratch)
    env = dict(os.environ, PTBENCH_JOBS=jobs_per_part(),
               PTBENCH_SANDBOX=os.path.join(ROOT, "tools", "sandbox.sh"))
    t0 = time.time()
    with open(os.path.join(out, "job.log"), "w") as log:
        r = subprocess.run(measure_argv(plan, part, scratch), cwd=ROOT, env=env,
                           stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.PIPE,
                           text=True, errors="replace")
        log.write(r.stderr)
    status = dict(env_info, label=part["label"], kind=part["kind"], source=part["source"],
                  sha256=part.get("sha256"), settings=plan["settings"], host=socket.gethostname(),
                  seconds=round(time.time() - t0, 1), exit=r.returncode,
                  csv=measured_name(part) + ".csv")
    if r.returncode == 0:
        keep_results(part, scratch, out)
        status.update(status="ok", reason="", message="")
        shutil.rmtree(scratch, ignore_errors=True)
    else:
        message = "\n".join(r.stderr.strip().splitlines()[-MESSAGE_LINES:])
        reason = classify(r.stderr) if part["kind"] != "point" else None
        status.update(status="refused" if reason else "failed", reason=reason or "infrastructure",
                      message=message or "exited %d with no message" % r.returncode)
        if reason:
            shutil.rmtree(scratch, ignore_errors=True)
    write_json(os.path.join(out, "status.json"), status)
    return status


def should_run(part, results, plan, env_info, retry_failed):
    """Whether a part needs a run: not when ok with the same settings and
    commit; with retry_failed, only when it failed for the infrastructure."""
    path = os.path.join(results, "parts", part["label"], "status.json")
    try:
        old = read_json(path)
    except (OSError, ValueError):
        return True
    same = old.get("settings") == plan["settings"] and \
        old.get("ptbench_commit") == env_info["ptbench_commit"]
    if retry_failed:
        return not same or old.get("status") == "failed"
    return not same or old.get("status") != "ok"


def run_task(results, task, per_task, retry_failed):
    """Task T: parts T*K .. T*K+K-1. Returns 1 when one failed for the
    infrastructure, else 0."""
    plan = read_json(os.path.join(results, "manifest.json"))
    env_info = environment()
    failed = 0
    for part in plan["parts"][task * per_task:(task + 1) * per_task]:
        if not should_run(part, results, plan, env_info, retry_failed):
            print("class: %s: already ok, skipped" % part["label"])
            continue
        st = run_part(plan, part, results, env_info)
        print("class: %s: %s%s (%.0f s)" % (part["label"], st["status"],
                                             ": " + st["reason"] if st["reason"] else "",
                                             st["seconds"]), flush=True)
        failed |= st["status"] == "failed"
    return 1 if failed else 0


# --- engines ----------------------------------------------------------------------

def prepare_shared():
    """Build, once, what every job uses: a kernel per design, the workload
    programs (build/user/root) and the plugins."""
    if os.environ.get("PTBENCH_CLASS_MEASURE"):
        return  # a stand-in measure (tests) needs none of it
    for d in designs():
        subprocess.run(["make", "-s", "--no-print-directory", "CONFIG=" + d, "kernel"],
                       cwd=ROOT, check=True)
    subprocess.run(["make", "-s", "--no-print-directory", "-C", "tools/tlbsim"], cwd=ROOT,
                   check=True)


def remove_if_empty(d):
    try:
        os.rmdir(d)
    except OSError:
        pass


def tasks(results, per_task):
    n = len(read_json(os.path.join(results, "manifest.json"))["parts"])
    return (n + per_task - 1) // per_task


def pool(a):
    """Every task on this machine, a.jobs at a time (each a process)."""
    me = [PY, os.path.abspath(__file__), "job", "--results", a.results, "--per-task", "1"]
    me += ["--retry-failed"] if a.retry_failed else []
    env = dict(os.environ, PTBENCH_JOBS="1")

    def one(t):
        return subprocess.run(me + ["--task", str(t)], cwd=ROOT, env=env).returncode

    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        statuses = list(ex.map(one, range(tasks(a.results, 1))))
    remove_if_empty(os.path.join(a.results, "scratch"))
    merged = merge(a.results)
    return max(statuses + [merged], default=0)


SBATCH_ARRAY = """#!/bin/bash
# Written by tools/class.py: one task of the class or sweep in {results}.
#SBATCH --job-name=ptbench-class
#SBATCH --output={results}/slurm/task-%A_%a.out
#SBATCH --chdir={root}
exec {py} {me} job --results {results} --task "$SLURM_ARRAY_TASK_ID" --per-task {k}{retry}
"""
SBATCH_MERGE = """#!/bin/bash
# Written by tools/class.py: the merge, after every task has ended.
#SBATCH --job-name=ptbench-merge
#SBATCH --output={results}/slurm/merge-%j.out
#SBATCH --chdir={root}
exec {py} {me} merge --results {results}
"""


def sbatch(argv):
    """Submit; returns the job id (sbatch --parsable prints id[;cluster])."""
    r = subprocess.run(["sbatch", "--parsable"] + argv, capture_output=True, text=True)
    if r.returncode != 0:
        raise PlanError("sbatch failed: %s" % r.stderr.strip())
    return r.stdout.strip().split(";")[0]


def slurm(a):
    """One job array (throttled to a.maxrun, a.per_task parts per task) and
    a merge job after it (afterany); with a.wait, poll squeue until the
    merge has ended."""
    d = os.path.join(a.results, "slurm")
    os.makedirs(d, exist_ok=True)
    fill = dict(results=a.results, root=ROOT, py=PY, me=os.path.abspath(__file__),
                k=a.per_task, retry=" --retry-failed" if a.retry_failed else "")
    for name, text in (("array.sbatch", SBATCH_ARRAY), ("merge.sbatch", SBATCH_MERGE)):
        with open(os.path.join(d, name), "w", encoding="utf-8") as f:
            f.write(text.format(**fill))
    site = shlex.split(a.sbatch or "")
    n = tasks(a.results, a.per_task)
    throttle = "%%%d" % a.maxrun if a.maxrun else ""
    array = sbatch(site + ["--array=0-%d%s" % (n - 1, throttle), os.path.join(d, "array.sbatch")])
    merge_id = sbatch(site + ["--dependency=afterany:" + array, os.path.join(d, "merge.sbatch")])
    print("class: submitted array job %s (%d tasks) and merge job %s" % (array, n, merge_id))
    write_json(os.path.join(d, "jobs.json"), {"array": array, "merge": merge_id, "tasks": n})
    if not a.wait:
        return 0
    while subprocess.run(["squeue", "-h", "-j", merge_id], capture_output=True,
                         text=True).stdout.strip():
        time.sleep(POLL_SECONDS)
    print("class: merge job %s ended; its output: %s/merge-%s.out" % (merge_id, d, merge_id))
    return merged_status(a.results)


def merged_status(results):
    """After a Slurm run: 1 when a part failed for the infrastructure or the
    merge wrote nothing."""
    plan = read_json(os.path.join(results, "manifest.json"))
    statuses = []
    for p in plan["parts"]:
        try:
            statuses.append(read_json(os.path.join(results, "parts", p["label"],
                                                   "status.json"))["status"])
        except (OSError, ValueError):
            statuses.append("missing")
    return 0 if all(s in ("ok", "refused") for s in statuses) else 1


def merge(results):
    plan = read_json(os.path.join(results, "manifest.json"))
    if plan["kind"] == "sweep":
        return sweep_index(results, plan)
    return subprocess.run([PY, os.path.join(ROOT, "plot", "class_report.py"), "--results",
                           results], cwd=ROOT).returncode


def sweep_index(results, plan):
    """results/sweep.md: each point, its status and where its results are."""
    lines = ["# Sweep", "", "| point | status | results |", "|---|---|---|"]
    bad = 0
    for p in plan["parts"]:
        try:
            st = read_json(os.path.join(results, "parts", p["label"], "status.json"))
        except (OSError, ValueError):
            st = {"status": "missing", "reason": "no status"}
        bad += st["status"] != "ok"
        lines.append("| `%s` | %s | parts/%s/ |" % (p["source"], st["status"] +
                                                    (": " + st["reason"] if st.get("reason") else ""),
                                                    p["label"]))
    with open(os.path.join(results, "sweep.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("class: %d points, %d not ok: %s" % (len(plan["parts"]), bad,
                                               os.path.join(results, "sweep.md")))
    return 1 if bad else 0


# --- command line -------------------------------------------------------------------

def plan_cmd(a):
    if bool(a.submissions) == bool(a.sweep):
        raise PlanError("plan needs --submissions or --sweep")
    plan = class_plan(a) if a.submissions else sweep_plan(a)
    os.makedirs(a.results, exist_ok=True)
    write_json(os.path.join(a.results, "manifest.json"), plan)
    print("class: %d parts planned in %s" % (len(plan["parts"]),
                                             os.path.join(a.results, "manifest.json")))
    return 0


def parse(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["plan", "prepare", "job", "pool", "slurm", "merge"])
    ap.add_argument("--results", required=True)
    ap.add_argument("--submissions")
    ap.add_argument("--labstart")
    ap.add_argument("--sweep")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--tlb")
    ap.add_argument("--task", type=int)
    ap.add_argument("--per-task", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--retry-failed", action="store_true")
    ap.add_argument("--sbatch")
    ap.add_argument("--maxrun", type=int, default=0)
    ap.add_argument("--wait", action="store_true")
    a = ap.parse_args(argv)
    a.results = os.path.abspath(a.results)
    if a.per_task < 1 or a.jobs < 1 or a.maxrun < 0:
        ap.error("--per-task and --jobs must be at least 1, --maxrun at least 0")
    if a.command == "job" and a.task is None:
        ap.error("job needs --task")
    return a


def main(argv):
    a = parse(argv)
    try:
        if a.command == "plan":
            return plan_cmd(a)
        if a.command == "prepare":
            prepare_shared()
            return 0
        if a.command == "job":
            return run_task(a.results, a.task, a.per_task, a.retry_failed)
        if a.command == "pool":
            return pool(a)
        if a.command == "slurm":
            return slurm(a)
        return merge(a.results)
    except (PlanError, subprocess.CalledProcessError) as e:
        print("class: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
