#!/usr/bin/python3
"""plot/styles.py DATAFILE: the one place figures take their styles from.

A design has one colour in every figure: the designs are those of
configs/*.mk in sorted order (the only list there is), each taking the next
colour of PALETTE; a design not declared there (an older result set) takes
the colours after them, by name. An axis variant has one line style, point
and fill density in every figure (AXIS_STYLE).

Reads:  DATAFILE, a gnuplot table of plot/summarize.py: its header line
        (the first column, then one per config, "a=b" for configs drawn as
        one) and its rows' first words (configs, in figures with a row per
        config); configs/*.mk.
Writes: on stdout, gnuplot commands defining the arrays colour[i], rgb[i]
        (as an integer), dash[i], point[i] and density[i] for header column
        i+1, and rowrgb[k] for row k (1-based); plot/plots.sh loads them.
"""
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptresults import axes_of  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Colour-blind-safe where it can be (Okabe-Ito first), then more.
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9",
           "#7f7f7f", "#000000", "#8c564b", "#bcbd22"]
# (ASIDs, megapages) -> (dash type, point type, fill density).
AXIS_STYLE = {(0, 0): (1, 7, 0.9), (1, 0): (2, 5, 0.6), (0, 1): (4, 9, 0.4),
              (1, 1): (5, 11, 0.2)}


def declared_designs():
    return sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, "configs",
                                                                          "*.mk")))


def colour_of(design, extra=()):
    """The design's colour: its place among the declared designs."""
    known = declared_designs()
    order = known + sorted(set(extra) - set(known))
    i = order.index(design) if design in order else len(order)
    return PALETTE[i % len(PALETTE)]


def style_of(label, extra=()):
    """(colour, dash, point, density) of a column or row label: a config,
    or configs joined by '=' (styled as the first), with any '[series]'
    suffix."""
    config = re.split(r"[=\[ ]", label.strip('"'))[0]
    design, asid, mega = axes_of(config)
    dash, point, density = AXIS_STYLE.get((asid, mega), AXIS_STYLE[(0, 0)])
    return colour_of(design, extra), dash, point, density


def commands(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n\n\n")[0].splitlines()
    header = lines[0].split()[1:] if lines else []
    rows = [l.split()[0] for l in lines[1:] if l.strip()]
    labels = header + rows
    extra = {axes_of(re.split(r"[=\[ ]", l.strip('"'))[0])[0] for l in header}
    out = ["array colour[%d]" % max(1, len(header)), "array rgb[%d]" % max(1, len(header)),
           "array dash[%d]" % max(1, len(header)), "array point[%d]" % max(1, len(header)),
           "array density[%d]" % max(1, len(header)), "array rowrgb[%d]" % max(1, len(rows))]
    for i, h in enumerate(header, 1):
        c, d, p, f = style_of(h, extra)
        out += ["colour[%d] = '%s'" % (i, c), "rgb[%d] = %d" % (i, int(c[1:], 16)),
                "dash[%d] = %d" % (i, d), "point[%d] = %d" % (i, p),
                "density[%d] = %.1f" % (i, f)]
    for k, r in enumerate(rows, 1):
        out.append("rowrgb[%d] = %d" % (k, int(style_of(r, extra)[0][1:], 16)))
    return out


def main(argv):
    if len(argv) != 2:
        print("usage: plot/styles.py DATAFILE", file=sys.stderr)
        return 2
    print("\n".join(commands(argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
