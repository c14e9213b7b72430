# plot/compare/bars.gp: the single-size benchmarks that moved between two
# result sets (make compare): the change NEW - BASE per benchmark and
# config, one bar each (a change shows even beside a large absolute value);
# past five configs, a panel per axis variant (plot/styles.py).
# Reads:  datafile (written by plot/compare.py): a header "operation
#         change", then one row per moved "bench/config" (quoted).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'build/compare/plots/data/moved.dat'
set datafile columnheaders
stats datafile using 2 nooutput
nrows = STATS_records

title = 'Moved: change NEW - BASE, median instructions per operation'
set grid ytics
set offsets 0, 0, graph 0.1, graph 0.1
set style fill solid 0.85 border -1
set xtics rotate by -30 font ',9' nomirror
if (npanel == 1) {
    set title title
    set ylabel 'change in instructions per operation'
    set xrange [-0.6:nrows - 0.4]
    set key outside right top
    set style data histograms
    set style histogram clustered gap 1
    set boxwidth 0.9
    set bmargin 6
    plot datafile using 2:xtic(1) lc rgb '#404040' title 'NEW - BASE', \
         0 with lines lc rgb '#000000' dt 2 notitle
} else {
    # Small multiples (plot/styles.py): a panel per axis variant, each bar
    # in its design's colour and named by benchmark and design, one y range.
    stats datafile using 2 nooutput
    ymin = (STATS_min < 0 ? STATS_min : 0); ymax = (STATS_max > 0 ? STATS_max : 0)
    set yrange [ymin * 1.1:ymax * 1.1]   # headroom, as the offsets give one panel
    nper = 0
    do for [p=1:npanel] { nper = (pnrows[p] > nper ? pnrows[p] : nper) }
    set xrange [-0.6:nper - 0.4]
    set boxwidth 0.7
    set xtics font ',8'
    set label 1 'change in instructions per operation' at screen 0.015, 0.5 center rotate by 90
    set multiplot layout prows, pcols margins 0.10, 0.80, 0.16, 0.90 spacing 0.07, 0.22 title title
    do for [p=1:npanel] {
        set title ptitle[p]
        set xtics ()
        do for [k=1:|rowpanel|] { if (rowpanel[k] == p) { set xtics add (rowtic[k] rowpos[k]) } }
        if (p == 2) { unset label 1 }   # the y label, drawn once
        if (p < npanel) { unset key } else { set key at screen 0.82, 0.88 left top Left reverse }
        plot datafile using (rowpanel[int($0)+1] == p ? rowpos[int($0)+1] : NaN):2:(rowrgb[int($0)+1]) \
                 with boxes lc rgb variable notitle, \
             0 with lines lc rgb '#000000' dt 2 notitle, @key_boxes
    }
    unset multiplot
}
