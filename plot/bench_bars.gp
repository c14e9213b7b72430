# plot/bench_bars.gp: single-size benchmarks as bars, grouped by benchmark,
# one bar per config (log scale); past five configs, a panel per axis
# variant (plot/styles.py).
# Reads:  datafile (default results/latest/plots/data/bench_bars.dat, written by
#         plot/summarize.py): a header "bench CONFIG...", then one row per
#         benchmark: its quoted name and the median instructions per operation
#         of each design (NaN where not measured).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/bench_bars.dat'
set datafile columnheaders
stats datafile using 2 nooutput
ncols = STATS_columns

set format y '%.0s%c'   # 100k, 1M
set logscale y
set grid ytics
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
if (npanel == 1) {
    set title 'Instructions per operation (median, icount)'
    set ylabel 'instructions per operation'
    set key outside right top
    plot for [i=2:ncols] datafile using i:xtic(1) lc rgb colour[i-1] fs solid density[i-1] border -1 title columnheader(i)
} else {
    # Small multiples (plot/styles.py): a panel per axis variant, one y
    # range for all, one legend right.
    ymin = 1e300; ymax = 0
    do for [i=2:ncols] {
        stats datafile using i nooutput
        ymin = (STATS_min < ymin ? STATS_min : ymin)
        ymax = (STATS_max > ymax ? STATS_max : ymax)
    }
    set yrange [ymin / 2:ymax * 2]
    set xtics rotate by -30 font ',9' nomirror
    set label 1 'instructions per operation' at screen 0.015, 0.5 center rotate by 90
    set multiplot layout prows, pcols margins 0.10, 0.80, 0.12, 0.90 spacing 0.07, 0.16 \
        title 'Instructions per operation (median, icount)'
    do for [p=1:npanel] {
        set title ptitle[p]
        if (p == 2) { unset label 1 }   # the y label, drawn once
        if (p < npanel) { unset key } else { set key at screen 0.82, 0.88 left top Left reverse }
        plot for [c in pcolumns[p]] datafile using int(c):xtic(1) lc rgb colour[int(c)-1] \
                 fs solid 0.85 border -1 notitle, \
             @key_boxes
    }
    unset multiplot
}
