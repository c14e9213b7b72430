# plot/ptpages.gp: page-table pages one process holds against its size, one
# colour per design: user table pages solid, per-process kernel table pages
# dashed. Past five configs, a panel per axis variant (plot/styles.py).
# Reads:  datafile (default results/latest/plots/data/ptpages.dat, written by
#         plot/summarize.py): a header "param C[user] C[kproc] ...", two
#         columns per config (identical configs merged as "a=b"), then one row per process size in KiB.
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/ptpages.dat'
set datafile columnheaders
set datafile missing NaN   # lines continue across sizes a design lacks
stats datafile using 1 nooutput
ncols = STATS_columns

set logscale x
set offsets 0, 0, graph 0.1, 0
set grid
if (npanel == 1) {
    set title 'Page-table pages per process'
    set xlabel 'process size (KiB)'
    set ylabel 'page-table pages (4 KiB each)'
    set yrange [0:*]
    set key outside right top Left reverse
    plot for [i=2:ncols:2] datafile using 1:i with linespoints \
             lc rgb colour[i-1] dt 1 pt point[i-1] title columnheader(i), \
         for [i=3:ncols:2] datafile using 1:i with linespoints \
             lc rgb colour[i-1] dt 2 pt point[i-1] title columnheader(i)
} else {
    # Small multiples (plot/styles.py): a panel per axis variant, one y
    # range for all, one legend right: the designs, then user/kernel.
    ymax = 0
    do for [i=2:ncols] { stats datafile using i nooutput; ymax = (STATS_max > ymax ? STATS_max : ymax) }
    set yrange [0:ymax * 1.1]
    set label 1 'page-table pages (4 KiB each)' at screen 0.015, 0.5 center rotate by 90
    set multiplot layout prows, pcols margins 0.10, 0.78, 0.10, 0.90 spacing 0.07, 0.10 \
        title 'Page-table pages per process'
    do for [p=1:npanel] {
        set title ptitle[p]
        if (p > npanel - pcols) { set xlabel 'process size (KiB)' } else { unset xlabel }
        if (p == 2) { unset label 1 }   # the y label, drawn once
        if (p < npanel) { unset key } else { set key at screen 0.80, 0.88 left top Left reverse }
        # Even columns hold the user table, odd ones the kernel's.
        plot for [c in pcolumns[p]] datafile using 1:int(c) with linespoints \
                 lc rgb colour[int(c)-1] dt 1 + int(c) % 2 pt ppoint[p] notitle, \
             @key_lines, keyentry with lines lc rgb '#000000' dt 1 title 'user table', \
             keyentry with lines lc rgb '#000000' dt 2 title 'kernel table'
    }
    unset multiplot
}
