"""tests/test_figures.py: the figures of a 20-config report can be read (issue 21).

The committed reference's CSVs (every config) are copied to a scratch
directory and plot/summarize.py and plot/plots.sh draw their figures. Then
every SVG is parsed: each plotted series (gnuplot's <g id="gnuplot_plot_N">
group) whose legend names a config is taken with its colour, and

- a design has one colour in every figure (its configs, in every figure);
- no legend entry (its text and its sample) covers a plotted point or a
  corner of a bar of any series.

Past five configs every figure is small multiples: gnuplot's SVG names
each panel's series gnuplot_plot_<N><panel letter>, so the panel letters
are counted: four panels (one per axis variant), eight where each variant
has two (ctxswitch, satp_sfence, tlb); and each variant's panel title is
drawn. The 20-config set includes the committed TLB results.
Also the 5-config case: the plain configs only, same checks, and no
figure split beyond its own panels. About 30 seconds (gnuplot). results/
is never written.

Reads:  results/*.csv and meta, plot/. Writes: temporary directories.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import unittest

from toolhelp import ROOT, TempDir, designs

sys.path.insert(0, os.path.join(ROOT, "plot"))
from ptresults import axes_of  # noqa: E402
import styles  # noqa: E402

# A series; in a multiplot gnuplot adds the panel's letter to its id.
GROUP = re.compile(r'<g id="gnuplot_plot_\d+[a-z]*"\s*>(.*?)(?=<g id="gnuplot_plot_\d+[a-z]*"|</svg>)',
                   re.S)
PANEL = re.compile(r'<g id="gnuplot_plot_\d+([a-z]*)"')
# Figures drawn in two panels even with few configs (left/right, top/bottom).
TWO_PANEL = {"ctxswitch.svg", "satp_sfence.svg", "tlb.svg"}
TEXT = re.compile(r'translate\(([\d.]+),([\d.]+)\)[^>]*>\s*<text>([^<]*)</text>')
COLOUR = re.compile(r"(?:stroke|fill|color)='rgb\(\s*(\d+),\s*(\d+),\s*(\d+)\)'")
USE = re.compile(r"<use [^>]*translate\(([\d.]+),([\d.]+)\)")
PATH = re.compile(r"<path [^>]*d='([^']*)'")
NUM = re.compile(r"([\d.]+),([\d.]+)")
CHAR_PX = 7.5  # width of a legend character at gnuplot's 12 px Arial, generously


def series(svg_text):
    """[(label or None, colour, legend box or None, [points])] of an SVG."""
    out = []
    for body in GROUP.findall(svg_text):
        texts = TEXT.findall(body)
        colours = COLOUR.findall(body)
        if not colours:
            continue
        pts = [(float(x), float(y)) for x, y in USE.findall(body)]
        for d in PATH.findall(body):
            pts += [(float(x), float(y)) for x, y in NUM.findall(d)]
        label = box = None
        if texts:
            x, y, label = float(texts[0][0]), float(texts[0][1]), texts[0][2]
            # The sample (line or box) sits left of the text, on its line.
            box = (x - 60, y - 9, x + CHAR_PX * len(label), y + 5)
        out.append((label, tuple(int(c) for c in colours[0]), box, pts))
    return out


def panel_count(svg_text):
    """How many multiplot panels hold series (0: not a multiplot)."""
    return len({p for p in PANEL.findall(svg_text) if p})


def design_of(label):
    config = re.split(r"[=\[ ]", label.strip())[0]
    return axes_of(config)[0]


def draw(src_configs, where, tlb=False):
    """The figures of src_configs in where; tlb: with the committed TLB
    results too (all of them: only for the set of every config)."""
    for c in src_configs:
        for ext in (".csv", ".meta.json"):
            shutil.copy(os.path.join(ROOT, "results", c + ext), where)
    if tlb:
        shutil.copytree(os.path.join(ROOT, "results", "tlb"), os.path.join(where, "tlb"),
                        ignore=shutil.ignore_patterns("summary.csv"))
    for argv in (["/usr/bin/python3", "plot/summarize.py", "--results", where],
                 ["/usr/bin/python3", "plot/tlb_summary.py", "--results", where],
                 ["plot/plots.sh", where]):
        r = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise AssertionError("%s failed: %s" % (argv, r.stderr[-2000:]))


def committed_configs():
    return sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(ROOT, "results",
                                                                            "*.csv"))
                  if not p.endswith("summary.csv"))


@unittest.skipUnless(shutil.which("gnuplot"), "gnuplot not installed")
class FigureTest(unittest.TestCase):
    configs = None  # every committed config

    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir()
        cls.dir = cls.tmp.path
        draw(cls.configs or committed_configs(), cls.dir,
             tlb=not cls.configs and os.path.isdir(os.path.join(ROOT, "results", "tlb")))
        cls.svgs = {}
        for p in glob.glob(os.path.join(cls.dir, "plots", "*.svg")):
            with open(p, encoding="utf-8") as f:
                cls.svgs[os.path.basename(p)] = f.read()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_figures_drawn(self):
        self.assertGreaterEqual(len(self.svgs), 5)

    def test_one_colour_per_design(self):
        seen = {}
        known = set(designs())
        for name, text in self.svgs.items():
            for label, colour, _, _ in series(text):
                if label and design_of(label) in known:
                    seen.setdefault(design_of(label), set()).add((colour, name))
        self.assertGreaterEqual(len(seen), 2, "no design legend found in any figure")
        for design, uses in seen.items():
            colours = {c for c, _ in uses}
            self.assertEqual(len(colours), 1, "%s has colours %s" % (design, sorted(uses)))
        by_colour = {}
        for design, uses in seen.items():
            by_colour.setdefault(next(iter(uses))[0], []).append(design)
        self.assertTrue(all(len(d) == 1 for d in by_colour.values()),
                        "designs share a colour: %s" % by_colour)

    def test_legends_clear_of_data(self):
        for name, text in self.svgs.items():
            ss = series(text)
            boxes = [(label, box) for label, _, box, _ in ss if box]
            for label, _, box, pts in ss:
                for x, y in pts:
                    for other, (x0, y0, x1, y1) in boxes:
                        inside = x0 < x < x1 and y0 < y < y1
                        if inside and other == label:
                            continue  # a series' own legend sample
                        self.assertFalse(inside, "%s: legend '%s' covers (%.0f, %.0f) of %s"
                                         % (name, other, x, y, label))

    def test_small_multiples(self):
        variants = [name for _, name in styles.VARIANTS]
        for name, text in self.svgs.items():
            want = 4 * (2 if name in TWO_PANEL else 1)
            self.assertEqual(panel_count(text), want, "%s: panels" % name)
            for v in variants:
                self.assertIn("<text>%s</text>" % v, text, "%s: no panel '%s'" % (name, v))


class FiveConfigFigureTest(FigureTest):
    configs = designs()

    def test_small_multiples(self):
        for name, text in self.svgs.items():
            want = 2 if name in TWO_PANEL else 0
            self.assertEqual(panel_count(text), want, "%s: panels" % name)
            self.assertNotIn("<text>ASIDs + megapages</text>", text, name)


if __name__ == "__main__":
    unittest.main()
