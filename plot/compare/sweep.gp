# plot/compare/sweep.gp: one benchmark's sweep, the change between two
# result sets (make compare): NEW - BASE median instructions per operation
# against the parameter, a line per config that moved (its design's colour,
# its axis variant's style, from plot/styles.py); x logarithmic, y linear
# around 0 (the dashed line: no change). Past five configs, a panel per
# axis variant (plot/styles.py).
# Reads:  datafile (written by plot/compare.py): a header "param C ...",
#         then one row per parameter; name, the benchmark's name for the
#         title; colour, dash, point (plot/plots.sh loads them).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'build/compare/plots/data/write_null.dat'
if (!exists("name")) name = 'benchmark'
set datafile columnheaders
set datafile missing NaN
stats datafile using 1 nooutput
ncols = STATS_columns

title = sprintf('%s: change NEW - BASE, median instructions per operation', name)
set format y '%+.0f'
set logscale x 2
set grid
set offsets 0, 0, graph 0.1, graph 0.1
if (npanel == 1) {
    set title title
    set xlabel 'parameter'
    set ylabel 'change in instructions per operation'
    set key outside right top Left reverse
    plot for [i=2:ncols] datafile using 1:i with linespoints \
             lc rgb colour[i-1] dt dash[i-1] pt point[i-1] title columnheader(i), \
         0 with lines lc rgb '#000000' dt 2 notitle
} else {
    # Small multiples (plot/styles.py): a panel per axis variant, one y
    # range for all (zero included), one legend right.
    # At most about six x tics, powers of 2 from the first parameter: the
    # panels are narrow.
    stats datafile using 1 nooutput
    set xtics STATS_min, 2 ** ceil(log(STATS_max / STATS_min) / log(2) / 5)
    ymin = 0; ymax = 0
    do for [i=2:ncols] {
        stats datafile using i nooutput
        ymin = (STATS_min < ymin ? STATS_min : ymin)
        ymax = (STATS_max > ymax ? STATS_max : ymax)
    }
    pad = (ymax - ymin) * 0.1 + 1
    set yrange [ymin - pad:ymax + pad]
    set offsets 0, 0, 0, 0
    set label 1 'change in instructions per operation' at screen 0.015, 0.5 center rotate by 90
    set multiplot layout prows, pcols margins 0.10, 0.78, 0.10, 0.90 spacing 0.07, 0.10 title title
    do for [p=1:npanel] {
        set title ptitle[p]
        if (p > npanel - pcols) { set xlabel 'parameter' } else { unset xlabel }
        if (p == 2) { unset label 1 }   # the y label, drawn once
        if (p < npanel) { unset key } else { set key at screen 0.80, 0.88 left top Left reverse }
        plot for [c in pcolumns[p]] datafile using 1:int(c) with linespoints \
                 lc rgb colour[int(c)-1] dt pdash[p] pt ppoint[p] notitle, \
             0 with lines lc rgb '#000000' dt 2 notitle, @key_lines
    }
    unset multiplot
}
