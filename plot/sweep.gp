# plot/sweep.gp: one benchmark's sweep, median instructions per operation
# against its parameter (x logarithmic, base 2), a line per config (its
# design's colour, its axis variant's style, from plot/styles.py).
# The labels come from the benchmark's record in plot/benches.py, which
# plot/plots.sh passes as arguments: title, xlabel, ylabel, logy (1: y
# logarithmic, else linear from 0).
# Reads:  datafile (plots/data/NAME.dat, written by plot/summarize.py): a
#         header "param CONFIG..." (configs of one design with identical
#         lines merged as "a=-asid"), then one row per parameter (NaN where
#         not measured).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/fork.dat'
if (!exists("title")) title = 'sweep'
if (!exists("xlabel")) xlabel = 'parameter'
if (!exists("ylabel")) ylabel = 'instructions per operation'
if (!exists("logy")) logy = 0
set datafile columnheaders
set datafile missing NaN   # lines continue across points a config lacks
stats datafile using 1 nooutput
ncols = STATS_columns

set format y '%.0s%c'   # 100k, 1M
set logscale x 2
set grid
if (npanel == 1) {
    set title title
    set xlabel xlabel
    set ylabel ylabel
    if (logy) { set logscale y } else { set yrange [0:*] }
    set key outside right top Left reverse
    plot for [i=2:ncols] datafile using 1:i with linespoints lc rgb colour[i-1] dt dash[i-1] \
         pt point[i-1] title columnheader(i)
} else {
    # Small multiples (plot/styles.py): a panel per axis variant, the
    # same y range in each so that panels compare, one legend right.
    # At most about six x tics, powers of 2 from the first parameter: the
    # panels are narrow.
    stats datafile using 1 nooutput
    set xtics STATS_min, 2 ** ceil(log(STATS_max / STATS_min) / log(2) / 5)
    ymin = 1e300; ymax = 0
    do for [i=2:ncols] {
        stats datafile using i nooutput
        ymin = (STATS_min < ymin ? STATS_min : ymin)
        ymax = (STATS_max > ymax ? STATS_max : ymax)
    }
    if (logy) { set logscale y; set yrange [ymin / 1.5:ymax * 1.5] } else { set yrange [0:ymax * 1.05]; set format y '%.1s%c' }
    set label 1 ylabel at screen 0.015, 0.5 center rotate by 90
    set multiplot layout prows, pcols margins 0.10, 0.78, 0.10, 0.90 spacing 0.07, 0.10 title title
    do for [p=1:npanel] {
        set title ptitle[p]
        if (p > npanel - pcols) { set xlabel xlabel } else { unset xlabel }
        if (p == 2) { unset label 1 }   # the y label, drawn once
        if (p < npanel) { unset key } else { set key at screen 0.80, 0.88 left top Left reverse }
        plot for [c in pcolumns[p]] datafile using 1:int(c) with linespoints \
             lc rgb colour[int(c)-1] dt pdash[p] pt ppoint[p] notitle, \
             @key_lines
    }
    unset multiplot
}
