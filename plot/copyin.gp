# plot/copyin.gp: copyin size sweep: write() to the null device, instructions
# per write against bytes written (x logarithmic, y linear), one colour per
# config; aligned user buffer solid, unaligned (write_null_ua) dashed.
# Past five configs, a panel per axis variant (plot/styles.py).
# Reads:  datafile (default results/latest/plots/data/copyin.dat, written by
#         plot/summarize.py): a header "param C C[ua] ...", two columns per
#         config (configs with identical lines merged as "a=b"), then one row
#         per size in bytes (NaN where not measured).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/copyin.dat'
set datafile columnheaders
set datafile missing NaN   # lines continue across sizes a design lacks
stats datafile using 1 nooutput
ncols = STATS_columns

set format y '%.0s%c'   # 10k, 20k
set logscale x 2
set format x '%.0b%B'   # 1, 8, 64, 512, 1Ki...
set grid
if (npanel == 1) {
    set title 'write() to the null device: copyin by size'
    set xlabel 'bytes per write'
    set ylabel 'instructions per write'
    set yrange [0:*]
    set key outside right top Left reverse
    plot for [i=2:ncols:2] datafile using 1:i with linespoints \
             lc rgb colour[i-1] dt 1 pt point[i-1] title columnheader(i), \
         for [i=3:ncols:2] datafile using 1:i with linespoints \
             lc rgb colour[i-1] dt 2 pt point[i-1] title columnheader(i)
} else {
    # Small multiples (plot/styles.py): a panel per axis variant, one y
    # range for all, one legend right: the designs, then aligned/unaligned.
    ymax = 0
    do for [i=2:ncols] { stats datafile using i nooutput; ymax = (STATS_max > ymax ? STATS_max : ymax) }
    set yrange [0:ymax * 1.05]
    set xtics 1, 8
    set label 1 'instructions per write' at screen 0.015, 0.5 center rotate by 90
    set multiplot layout prows, pcols margins 0.10, 0.78, 0.10, 0.90 spacing 0.07, 0.10 \
        title 'write() to the null device: copyin by size'
    do for [p=1:npanel] {
        set title ptitle[p]
        if (p > npanel - pcols) { set xlabel 'bytes per write' } else { unset xlabel }
        if (p == 2) { unset label 1 }   # the y label, drawn once
        if (p < npanel) { unset key } else { set key at screen 0.80, 0.88 left top Left reverse }
        # Even columns hold the aligned buffer, odd ones the unaligned.
        plot for [c in pcolumns[p]] datafile using 1:int(c) with linespoints \
                 lc rgb colour[int(c)-1] dt 1 + int(c) % 2 pt ppoint[p] notitle, \
             @key_lines, keyentry with lines lc rgb '#000000' dt 1 title 'aligned', \
             keyentry with lines lc rgb '#000000' dt 2 title 'unaligned'
    }
    unset multiplot
}
