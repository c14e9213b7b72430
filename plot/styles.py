#!/usr/bin/python3
"""plot/styles.py DATAFILE: the one place figures take their styles from.

A design has one colour in every figure: the designs are those of
configs/*.mk in sorted order (the only list there is), each taking the next
colour of PALETTE; a design not declared there (an older result set) takes
the colours after them, by name. An axis variant has one line style, point
and fill density in every figure (AXIS_STYLE).

A figure of more than MOST_IN_ONE configs is drawn as small multiples: one
panel per axis variant present (plain, ASIDs, megapages, both, in that
order), each holding that variant's configs in their designs' colours, and
one legend of the designs for all panels. A label names a config when its
design is declared in configs/*.mk; a row label may name one after a '/'
("getpid/umap-asid", the TLB figure's rows).

Reads:  DATAFILE, a gnuplot table of plot/summarize.py: its header line
        (the first column, then one per config, "a=b" for configs drawn as
        one) and its rows' first words (configs, in figures with a row per
        config), from its first block; each block's "# title: TEXT" line,
        if it has one (comment lines are not rows); configs/*.mk.
Writes: on stdout, gnuplot commands defining the arrays colour[i], rgb[i]
        (as an integer), dash[i], point[i] and density[i] for header column
        i+1, and rowrgb[k] for row k (1-based); the panels: npanel (1 for
        at most MOST_IN_ONE configs), prows and pcols of the panel grid,
        and per panel p ptitle[p], pcolumns[p] (the gnuplot columns it
        draws, as words), pnrows[p] (how many rows it draws), pdash[p],
        ppoint[p], pdensity[p] (its variant's styles); per row k
        rowpanel[k], rowpos[k] (its panel and place there, from 0) and
        rowdesign[k] (its design's place in dname; all 0 when rows are not
        configs), rowtic[k] (its x tic there); the designs' legend: ndesign, dname[d],
        dcolour[d], and the macros key_lines and key_boxes (keyentry plot
        items, one per design); the blocks: nblock and btitle[b] (1-based,
        '' for a block without a title). plot/plots.sh loads them.
"""
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confignames import axes_of  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Colour-blind-safe where it can be (Okabe-Ito first), then more.
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9",
           "#7f7f7f", "#000000", "#8c564b", "#bcbd22"]
# (ASIDs, megapages) -> (dash type, point type, fill density).
AXIS_STYLE = {(0, 0): (1, 7, 0.9), (1, 0): (2, 5, 0.6), (0, 1): (4, 9, 0.4),
              (1, 1): (5, 11, 0.2)}
# The axis variants as panels, in panel order, with their panel titles.
VARIANTS = [((0, 0), "plain"), ((1, 0), "ASIDs"), ((0, 1), "megapages"),
            ((1, 1), "ASIDs + megapages")]
# The most configs one panel shows; past this, small multiples.
MOST_IN_ONE = 5


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
    suffix, or after a '/' ("getpid/umap-asid")."""
    config = re.split(r"[=\[ ]", label.strip('"'))[0].split("/")[-1]
    design, asid, mega = axes_of(config)
    dash, point, density = AXIS_STYLE.get((asid, mega), AXIS_STYLE[(0, 0)])
    return colour_of(design, extra), dash, point, density


def configs_of(label, known):
    """The configs a label names ('a=-asid=-mega[ua]': a, a-asid, a-mega;
    'getpid/a-asid': a-asid), [] when it names none of the known designs."""
    name = re.split(r"[\[ ]", label.strip('"'))[0].split("/")[-1]
    parts = name.split("=")
    design = axes_of(parts[0])[0]
    if design not in known:
        return []
    return [parts[0]] + [design + p for p in parts[1:] if p.startswith("-")]


def panels(header, rows):
    """[(variant, [gnuplot columns], [row indexes])] of the small multiples,
    one per variant present, or [] when the configs fit in one panel."""
    known = declared_designs()
    cols = {i + 2: configs_of(h, known) for i, h in enumerate(header)}
    rowcfg = {k: configs_of(r, known) for k, r in enumerate(rows)}
    configs = {c for cs in list(cols.values()) + list(rowcfg.values()) for c in cs}
    if len(configs) <= MOST_IN_ONE:
        return []
    out = []
    for axes, _ in VARIANTS:
        has = lambda cs: any(axes_of(c)[1:] == axes for c in cs)  # noqa: E731
        pc = [c for c, cs in sorted(cols.items()) if has(cs)]
        pr = [k for k, cs in sorted(rowcfg.items()) if has(cs)]
        if pc or pr:
            out.append((axes, pc, pr))
    return out


def panel_commands(header, rows):
    """gnuplot commands for the panels and the designs' legend."""
    ps = panels(header, rows)
    n = max(1, len(ps))
    names = dict(VARIANTS)
    out = ["npanel = %d" % n, "prows = %d" % (2 if n > 2 else 1),
           "pcols = %d" % (2 if n > 1 else 1)]
    for a in ("ptitle", "pcolumns", "pnrows", "pdash", "ppoint", "pdensity"):
        out.append("array %s[%d]" % (a, n))
    for p, (axes, pc, pr) in enumerate(ps, 1):
        dash, point, density = AXIS_STYLE[axes]
        out += ["ptitle[%d] = '%s'" % (p, names[axes]),
                "pcolumns[%d] = '%s'" % (p, " ".join(map(str, pc))),
                "pnrows[%d] = %d" % (p, len(pr)), "pdash[%d] = %d" % (p, dash),
                "ppoint[%d] = %d" % (p, point), "pdensity[%d] = %.1f" % (p, density)]
    rowpanel, rowpos = [0] * len(rows), [0] * len(rows)
    for p, (_, _, pr) in enumerate(ps, 1):
        for pos, k in enumerate(pr):
            rowpanel[k], rowpos[k] = p, pos
    out += ["array rowpanel[%d]" % max(1, len(rows)), "array rowpos[%d]" % max(1, len(rows)),
            "array rowdesign[%d]" % max(1, len(rows)), "array rowtic[%d]" % max(1, len(rows))]
    known = declared_designs()
    present = legend_designs(header, rows)
    for k, r in enumerate(rows):
        cs = configs_of(r, known)
        d = present.index(axes_of(cs[0])[0]) + 1 if cs else 0
        out += ["rowpanel[%d] = %d" % (k + 1, rowpanel[k]), "rowpos[%d] = %d" % (k + 1, rowpos[k]),
                "rowdesign[%d] = %d" % (k + 1, d), "rowtic[%d] = '%s'" % (k + 1, row_tic(r, d, present))]
    return out + legend_commands(header, rows)


def row_tic(label, d, present):
    """A row's x tic in a panel: its config replaced by the design (the
    panel names the variant), "getpid/umap-asid" as "getpid/umap"."""
    label = label.strip('"').replace("'", "")
    if not d:
        return label
    head = label.rsplit("/", 1)[0] + "/" if "/" in label else ""
    return head + present[d - 1]


def legend_designs(header, rows):
    """The designs the labels name, in declared order."""
    known = declared_designs()
    named = {axes_of(c)[0] for l in header + rows for c in configs_of(l, known)}
    return [d for d in known if d in named]


def legend_commands(header, rows):
    """The designs of the labels, in declared order, with their colours,
    and the keyentry macros that draw them as one legend."""
    ds = legend_designs(header, rows)
    out = ["ndesign = %d" % len(ds), "array dname[%d]" % max(1, len(ds)),
           "array dcolour[%d]" % max(1, len(ds))]
    for d, name in enumerate(ds, 1):
        out += ["dname[%d] = '%s'" % (d, name), "dcolour[%d] = '%s'" % (d, colour_of(name))]
    return out + [
        "key_lines = 'for [d=1:ndesign] keyentry with lines lw 2 lc rgb dcolour[d] "
        "title dname[d]'",
        "key_boxes = 'for [d=1:ndesign] keyentry with boxes fs solid 0.85 border -1 "
        "lc rgb dcolour[d] title dname[d]'"]


TITLE = "# title: "


def block_titles(blocks):
    """Each block's '# title: ' text, '' for one without."""
    return [next((l[len(TITLE):].replace("'", "") for l in b.splitlines()
                  if l.startswith(TITLE)), "") for b in blocks]


def commands(path):
    with open(path, encoding="utf-8") as f:
        blocks = [b for b in f.read().split("\n\n\n") if b.strip()]
    lines = [l for l in (blocks[0] if blocks else "").splitlines() if not l.startswith("#")]
    titles = block_titles(blocks)
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
    out += ["nblock = %d" % len(titles), "array btitle[%d]" % max(1, len(titles))]
    out += ["btitle[%d] = '%s'" % (b, t) for b, t in enumerate(titles, 1)]
    return out + panel_commands(header, rows)


def main(argv):
    if len(argv) != 2:
        print("usage: plot/styles.py DATAFILE", file=sys.stderr)
        return 2
    print("\n".join(commands(argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
