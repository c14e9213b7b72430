"""tests/toolhelp.py: shared helpers for the host tests of tools/.

Reads:  nothing itself. Writes: temporary directories that the tests remove.
"""
import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.path.join(ROOT, "tools")
FAKEQEMU = os.path.join(ROOT, "tests", "fakeqemu")


def designs():
    """The designs, one per configs/<design>.mk: the only list there is."""
    return sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, "configs"))
                  if f.endswith(".mk"))


def tested_configs():
    """The configs this test run covers: those tools/test.sh was given
    (PTBENCH_TEST_CONFIGS), else every design's plain config. A test that
    needs a config's kernel fails when it is missing: a configured design
    is never skipped."""
    given = os.environ.get("PTBENCH_TEST_CONFIGS", "").split()
    return given or designs()


def tested_designs():
    """One config per design under test: the plain ones among
    tested_configs() (a design's axes are covered by usertests), or all of
    them when none is plain."""
    configs = tested_configs()
    plain = [c for c in configs if c in designs()]
    return plain or configs


def tool(name):
    return os.path.join(TOOLS, name)


def run(argv, env=None, timeout=60, cwd=ROOT):
    """Run argv with stdin closed; return the CompletedProcess (text, both streams)."""
    # A make run's QEMUEXTRA/BOOTARGS (exported to tools/run.sh) must not
    # leak into the tests' own runs.
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("PTBENCH_QEMUEXTRA", "PTBENCH_BOOTARGS")}
    full_env.update(env or {})
    return subprocess.run(argv, cwd=cwd, env=full_env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


def pid_alive(pid):
    """Whether pid still runs (a zombie counts as gone)."""
    try:
        with open("/proc/%d/stat" % pid, encoding="ascii") as f:
            return f.read().split(") ")[-1][0] != "Z"
    except OSError:
        return False


class TempDir:
    """A temporary directory removed by cleanup(); path in .path."""

    def __init__(self):
        self._dir = tempfile.TemporaryDirectory(prefix="ptbench-test-")
        self.path = self._dir.name

    def file(self, name, text=""):
        path = os.path.join(self.path, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def cleanup(self):
        self._dir.cleanup()
