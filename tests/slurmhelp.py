"""tests/slurmhelp.py: a one-node Slurm cluster on 127.0.0.1 in a temporary
directory, for make class's ENGINE=slurm test.

munged on a socket of its own, slurmctld and slurmd from one slurm.conf,
free ports; no systemd, no cgroups (proctrack/linuxproc, task/none), no
accounting daemon (jobcomp/filetxt records every finished job). Every
daemon is stopped by the PID in its PID file.

Reads:  nothing but the Slurm and munge programs. Writes: the directory given.
"""
import os
import shutil
import signal
import socket
import subprocess
import time

PROGRAMS = ["mungekey", "munged", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo"]
START_TIMEOUT = 30
STOP_TIMEOUT = 10

SLURM_CONF = """\
# Written by tests/slurmhelp.py: a one-node test cluster.
ClusterName=ptbtest
SlurmctldHost={host}(127.0.0.1)
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={d}/munge.sock
SlurmUser=root
SlurmdUser=root
SlurmctldPort={ctld_port}
SlurmdPort={d_port}
StateSaveLocation={d}/state
SlurmdSpoolDir={d}/spool
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd.pid
SlurmctldLogFile={d}/slurmctld.log
SlurmdLogFile={d}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc={d}/jobcomp.txt
SchedulerParameters=batch_sched_delay=0
MpiDefault=none
ReturnToService=2
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
NodeName={host} NodeAddr=127.0.0.1 CPUs={cpus} State=UNKNOWN
PartitionName=test Nodes={host} Default=YES MaxTime=INFINITE State=UP
"""


def missing():
    """Why this machine cannot run the cluster, or None."""
    if os.geteuid() != 0:
        return "needs root (SlurmUser=root, munged's key)"
    absent = [p for p in PROGRAMS if not shutil.which(p)]
    if absent:
        return "no %s (make deps-slurm installs Slurm and munge)" % ", ".join(absent)
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """start() brings it up (raises RuntimeError with the logs' tails);
    stop() stops every daemon by its PID file; env has SLURM_CONF."""

    def __init__(self, d):
        self.d = d
        self.conf = os.path.join(d, "slurm.conf")
        self.env = dict(os.environ, SLURM_CONF=self.conf)
        self.pidfiles = [os.path.join(d, f) for f in ("slurmd.pid", "slurmctld.pid", "munged.pid")]

    def start(self):
        for sub in ("state", "spool"):
            os.makedirs(os.path.join(self.d, sub), exist_ok=True)
        key = os.path.join(self.d, "munge.key")
        subprocess.run(["mungekey", "-c", "-k", key], check=True, capture_output=True)
        subprocess.run(["munged", "--force", "--socket=" + os.path.join(self.d, "munge.sock"),
                        "--key-file=" + key, "--pid-file=" + os.path.join(self.d, "munged.pid"),
                        "--log-file=" + os.path.join(self.d, "munged.log"),
                        "--seed-file=" + os.path.join(self.d, "munged.seed")],
                       check=True, capture_output=True)
        with open(self.conf, "w", encoding="utf-8") as f:
            f.write(SLURM_CONF.format(host=socket.gethostname().split(".")[0], d=self.d,
                                      ctld_port=free_port(), d_port=free_port(),
                                      cpus=os.cpu_count() or 1))
        subprocess.run(["slurmctld", "-f", self.conf], env=self.env, check=True,
                       capture_output=True)
        subprocess.run(["slurmd", "-f", self.conf], env=self.env, check=True, capture_output=True)
        self.wait_idle()

    def wait_idle(self):
        end = time.time() + START_TIMEOUT
        while time.time() < end:
            r = subprocess.run(["sinfo", "-h", "-o", "%t"], env=self.env, capture_output=True,
                               text=True)
            if r.stdout.strip() in ("idle", "mix", "alloc"):
                return
            time.sleep(0.5)
        raise RuntimeError("the test cluster did not come up within %d s:\n%s"
                           % (START_TIMEOUT, self.logs()))

    def logs(self):
        out = []
        for name in ("slurmctld.log", "slurmd.log", "munged.log"):
            try:
                with open(os.path.join(self.d, name), errors="replace") as f:
                    out.append("== %s\n%s" % (name, "".join(f.readlines()[-15:])))
            except OSError:
                pass
        return "\n".join(out)

    def stop(self):
        """SIGTERM to each daemon by its PID file, then wait for it to go."""
        for pf in self.pidfiles:
            try:
                with open(pf) as f:
                    pid = int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                continue
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            end = time.time() + STOP_TIMEOUT
            while time.time() < end and os.path.exists("/proc/%d" % pid):
                time.sleep(0.1)
            if os.path.exists("/proc/%d" % pid):
                os.kill(pid, signal.SIGKILL)

    def completions(self):
        """The jobcomp file's records, each a dict of its key=value words."""
        path = os.path.join(self.d, "jobcomp.txt")
        if not os.path.exists(path):
            return []
        with open(path, errors="replace") as f:
            return [dict(w.split("=", 1) for w in line.split() if "=" in w) for line in f]
