# plot/ratio.gp: each config's median instructions per operation over the
# reference design's (same axes), one bar per config, grouped by operation,
# on a linear scale around 1 (a bar above the line costs more); past five
# configs, a panel per axis variant (plot/styles.py).
# Reads:  datafile (default results/latest/plots/data/ratio.dat, written by
#         plot/summarize.py): a header "operation CONFIG...", then one row per
#         operation: its quoted label and the ratio of each config (NaN where
#         not measured).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/ratio.dat'
set datafile columnheaders
set datafile missing NaN
stats datafile using 2 nooutput
ncols = STATS_columns
nrows = STATS_records

set grid ytics
set offsets 0, 0, graph 0.08, 0
set xrange [-0.6:nrows - 0.4]
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics rotate by -35 font ',9' nomirror
if (npanel == 1) {
    set title 'Instructions per operation, ratio to the reference design (median, icount)'
    set ylabel 'ratio to the reference (1 = same cost)'
    set yrange [0:*]
    set key outside right top
    set bmargin 7
    set rmargin 20   # room for the longest design name in the key
    plot for [i=2:ncols] datafile using i:xtic(1) lc rgb colour[i-1] fs solid density[i-1] border -1 title columnheader(i), \
         1 with lines lc rgb '#000000' dt 2 notitle
} else {
    # Small multiples (plot/styles.py): a panel per axis variant, one y
    # range for all, one legend right.
    ymax = 0
    do for [i=2:ncols] { stats datafile using i nooutput; ymax = (STATS_max > ymax ? STATS_max : ymax) }
    set yrange [0:ymax * 1.08]
    set xtics font ',8'
    set label 1 'ratio to the reference (1 = same cost)' at screen 0.015, 0.5 center rotate by 90
    set multiplot layout prows, pcols margins 0.08, 0.80, 0.15, 0.90 spacing 0.05, 0.20 \
        title 'Instructions per operation, ratio to the reference design (median, icount)'
    do for [p=1:npanel] {
        set title ptitle[p]
        if (p == 2) { unset label 1 }   # the y label, drawn once
        if (p < npanel) { unset key } else { set key at screen 0.82, 0.88 left top Left reverse }
        plot for [c in pcolumns[p]] datafile using int(c):xtic(1) lc rgb colour[int(c)-1] \
                 fs solid 0.85 border -1 notitle, \
             1 with lines lc rgb '#000000' dt 2 notitle, @key_boxes
    }
    unset multiplot
}
