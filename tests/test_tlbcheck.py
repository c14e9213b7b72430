"""tests/test_tlbcheck.py: the stale-translation checker against the kernel.

The mutation test of tools/mutate.py: its list of the kernel's fence sites
must cover every fence instruction of the configs it uses (--list), and
each runnable site, removed from the built kernel by patching its ELF,
must make tools/tlbsim's checker (check=1) report a stale translation
under the site's workload, while the unmutated kernel runs the same
workload clean. Sites the list marks redundant or blocked are not run
(mutate.py says why). About a minute on 2 cores.

Reads:  configs/ and the sources, through make. Writes: make's own build
        directories (build/<config>/, build/tlbsim/) and build/mutate/.
"""

# host-test-seconds: 89 (about this long in make test here; tools/test.sh runs the heaviest first)
import os
import re
import shutil
import sys
import unittest

from toolhelp import run, tool

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import mutate  # noqa: E402  (tools/ is not a package)

PY_TIMEOUT = 900


@unittest.skipUnless(shutil.which("make") and shutil.which("gcc") and
                     shutil.which("qemu-system-riscv64") and
                     shutil.which("riscv64-unknown-elf-gcc"),
                     "needs make, gcc, qemu-system-riscv64 and riscv64-unknown-elf-gcc")
class MutationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.configs = sorted({s["config"] for s in mutate.SITES if s["config"]})
        r = run(["make", "-s", "-C", tool("tlbsim"), "all"], timeout=PY_TIMEOUT)
        if r.returncode != 0:
            raise AssertionError("tlbsim build failed:\n" + r.stdout + r.stderr)
        for config in cls.configs:
            r = run(["make", "-s", "--no-print-directory", "-C", ROOT, "CONFIG=" + config],
                    timeout=PY_TIMEOUT)
            if r.returncode != 0:
                raise AssertionError("make CONFIG=%s failed:\n%s" % (config, r.stderr))

    def test_every_fence_instruction_is_a_listed_site(self):
        r = run([tool("mutate.py"), "--list"], timeout=PY_TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotIn("uncovered:", r.stdout)
        for s in mutate.SITES:
            self.assertIn(s["name"], r.stdout)

    def test_sites_name_real_instructions(self):
        # A site whose function or pattern matches nothing in its config
        # would remove nothing: a renamed function must show up here.
        for s in mutate.SITES:
            config = s["config"] or "global-asid"
            with self.subTest(site=s["name"]):
                insns = mutate.disassemble(mutate.kernel_of(config))
                self.assertTrue(mutate.matches(s, insns),
                                "%s: nothing in %s matches %r" % (config, s["function"],
                                                                  s["pattern"]))

    def test_patch_puts_nops_only_where_asked(self):
        s = [s for s in mutate.SITES if s["name"] == "shrunk-asid-fence"][0]
        elf = mutate.kernel_of(s["config"])
        insns = mutate.disassemble(elf)
        addrs = mutate.matches(s, insns)
        out = os.path.join(ROOT, "build", "mutate", "patch-test.elf")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        mutate.patch(elf, addrs, out)
        after = {a: t for _, a, t in mutate.disassemble(out)}
        before = {a: t for _, a, t in insns}
        changed = sorted(a for a in before if before[a] != after.get(a))
        self.assertEqual(changed, sorted(addrs))
        self.assertTrue(all(after[a] == "nop" for a in addrs), [after[a] for a in addrs])

    def test_each_site_caught(self):
        r = run([tool("mutate.py"), "--jobs", "2"], timeout=PY_TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        runnable = [s for s in mutate.SITES if not s["redundant"] and not s["blocked"]]
        for s in runnable:
            self.assertRegex(r.stdout, r"(?m)^caught\s+%s\s" % re.escape(s["name"]))
        self.assertIn("%d caught, 0 not" % len(runnable), r.stdout)


if __name__ == "__main__":
    unittest.main()
