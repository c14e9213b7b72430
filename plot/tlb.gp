# plot/tlb.gp: the TLB model's estimated cycles against instructions per
# operation (top, log scale) and their ratio (bottom), grouped by operation
# and design: one bar for instructions, one per preset. Past five configs,
# a row of panels per axis variant (plot/styles.py).
# Reads:  datafile (default results/plots/data/tlb.dat, written by
#         plot/tlb_summary.py): two blocks (gnuplot index 0: a header
#         "operation instructions PRESET...", then one row per operation and
#         design: its quoted label "bench/design", median instructions and
#         estimated cycles per operation of each preset; index 1: a header
#         "operation PRESET...", then estimated cycles / instructions).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/plots/data/tlb.dat'
set datafile columnheaders
stats datafile index 0 using 2 nooutput
ncols = STATS_columns
nrows = STATS_records

if (npanel == 1) {
    set style data histograms
    set style histogram clustered gap 1
    set style fill solid 0.85 border -1
    set boxwidth 0.9
    set xrange [-0.6:nrows - 0.4]   # the same for both panels
    set grid ytics
    set lmargin at screen 0.09
    set rmargin at screen 0.80
    set multiplot title 'TLB model: estimated cycles and instructions per operation (median)'

    # Top: absolute figures; no x labels (the panels share the x axis).
    set tmargin at screen 0.90
    set bmargin at screen 0.57
    set key outside right top
    set logscale y
    set format y '%.0s%c'   # 100k, 1M
    set ylabel 'per operation (log)'
    set format x ''
    plot for [i=2:ncols] datafile index 0 using i title columnheader(i)

    # Bottom: the ratio, same colours as the presets above.
    set tmargin at screen 0.53
    set bmargin at screen 0.22
    unset key
    unset logscale y
    set format y '%g'
    set yrange [0:*]
    set offsets 0, 0, graph 0.1, 0   # headroom above the tallest bar
    set ylabel 'estimated / instructions'
    set format x '%g'
    set xtics rotate by -40 font ',9'
    plot for [i=2:ncols-1] datafile index 1 using i:xtic(1) linecolor i
    unset multiplot
} else {
    # Small multiples (plot/styles.py): a row per axis variant, absolute
    # figures left (log) and the ratio right, a group of bars per
    # operation and design at the same place in every row, one legend.
    ymin = 1e300; ymax = 0; rmax = 0
    do for [i=2:ncols] {
        stats datafile index 0 using i nooutput
        ymin = (STATS_min < ymin ? STATS_min : ymin)
        ymax = (STATS_max > ymax ? STATS_max : ymax)
    }
    do for [i=2:ncols-1] { stats datafile index 1 using i nooutput; rmax = (STATS_max > rmax ? STATS_max : rmax) }
    nper = 0
    do for [p=1:npanel] { nper = (pnrows[p] > nper ? pnrows[p] : nper) }
    bw = 0.8 / (ncols - 1)   # a bar's width: ncols - 1 bars per group
    # x of column i (index 0's numbering) of row k, NaN outside panel p.
    bx(k, i, p) = rowpanel[int(k) + 1] == p ? rowpos[int(k) + 1] - 0.4 + bw * (i - 1.5) : NaN
    set style data boxes
    set style fill solid 0.85 border -1
    set boxwidth bw
    set xrange [-0.6:nper - 0.4]
    set grid ytics
    set multiplot layout npanel, 2 margins 0.10, 0.82, 0.16, 0.90 spacing 0.06, 0.03 \
        title 'TLB model: estimated cycles and instructions per operation (median)'
    do for [p=1:npanel] {
        if (p == npanel) {
            set xtics rotate by -40 font ',8' nomirror
            set xtics ()
            do for [k=1:|rowpanel|] { if (rowpanel[k] == p) { set xtics add (rowtic[k] rowpos[k]) } }
        } else { unset xtics }
        set title (p == 1 ? 'per operation (log)' : '')
        set ylabel ptitle[p]
        set logscale y
        set format y '%.0s%c'   # 100k, 1M
        set yrange [ymin / 1.5:ymax * 1.5]
        if (p == npanel) { set key at screen 0.84, 0.88 left top Left reverse } else { unset key }
        plot datafile index 0 using (bx($0, 2, p)):2 lc 1 \
                 title (p == npanel ? columnheader(2) : ''), \
             for [i=3:ncols] datafile index 0 using (bx($0, i, p)):i lc i - 1 \
                 title (p == npanel ? columnheader(i) : '')
        set title (p == 1 ? 'estimated / instructions' : '')
        unset ylabel
        unset logscale y
        set format y '%g'
        set yrange [0:rmax * 1.1]
        unset key
        plot datafile index 1 using (bx($0, 3, p)):2 lc 2 notitle, \
             for [i=3:ncols-1] datafile index 1 using (bx($0, i + 1, p)):i lc i notitle
    }
    unset multiplot
}
