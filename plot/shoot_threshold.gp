# plot/shoot_threshold.gp: the shootdown threshold sweep, sfence.vma per
# shrink (every hart, local and remote) against the pages shrunk (x and y
# logarithmic), a panel per threshold family; by page solid, whole (an
# ASID or everything) dashed; one colour per design, one point shape per
# axis variant; past five configs, a row of panels per axis variant
# (plot/styles.py). A count of 0 has no place on a logarithmic axis: its
# point is drawn below the panel, so a line falls to the x axis there.
# Lines of equal counts lie on each other: earlier configs are drawn wider.
# Reads:  datafile (default results/latest/plots/data/shoot_threshold.dat,
#         written by plot/summarize.py through plot/shoot.py): a block per
#         threshold family (btitle[b] from plot/styles.py), each a header
#         "pages C[page] C[whole] ..." (configs of one design with identical
#         lines merged as "a=-asid") and one row per N.
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/shoot_threshold.dat'
set datafile columnheaders
set datafile missing NaN
stats datafile index 0 using 1 nooutput
ncols = STATS_columns
xmin = STATS_min
xmax = STATS_max

# The largest count and the smallest above 0 of a row, over every column
# (recursive, so that a column of zeros leaves no stats without points).
rmax(i, m) = (i > ncols) ? m : rmax(i + 1, (column(i) > m ? column(i) : m))
rmin(i, m) = (i > ncols) ? m : rmin(i + 1, ((column(i) > 0 && column(i) < m) ? column(i) : m))
ymin = 1e300; ymax = 0
do for [b=0:nblock-1] {
    stats datafile index b using (rmax(2, 0)):(rmin(2, 1e300)) nooutput
    ymax = (STATS_max_x > ymax ? STATS_max_x : ymax)
    ymin = (STATS_min_y < ymin ? STATS_min_y : ymin)
}
if (ymax <= 0) { ymax = 1 }
if (ymin > ymax) { ymin = ymax }
ylo = ymin / 2.0
floor = ymin / 8.0   # below the panel: where a count of 0 goes
y(v) = (v > 0 ? v : floor)
# Configs of different designs with the same counts lie on one line: the
# earlier columns are drawn wider, so that each still shows under the next.
w(i) = 1 + 2.5 * (ncols - i) / ncols
sz(i) = 0.5 + 1.0 * (ncols - i) / ncols

set logscale x 2
set logscale y 10
set xrange [xmin / 1.3:xmax * 1.3]
set yrange [ylo:ymax * 2]
set xtics xmin, 4 font ',9'
set ytics font ',9'
set format y '%g'
set grid
set key at screen 0.84, 0.88 left top Left reverse
set multiplot layout npanel, nblock margins 0.09, 0.82, 0.12, 0.88 spacing 0.04, 0.07 \
    title 'Shootdown threshold: page (solid) or whole (dashed) fences per shrink (median counts)'
do for [p=1:npanel] {
    do for [b=0:nblock-1] {
        set title (p == 1 ? btitle[b+1] : '') font ',10'
        # The y label on the left column, naming the row's axis variant.
        if (b > 0) { unset ylabel } else {
            if (npanel > 1) { set ylabel ptitle[p] . ': sfence.vma per shrink' } else {
                set ylabel 'sfence.vma per shrink (every hart)' }
        }
        if (p == npanel) { set xlabel 'pages shrunk (N)' } else { unset xlabel }
        if (npanel == 1) {
            # One panel per threshold: every config, its axis variant's point.
            if (b < nblock - 1) {
                plot for [i=2:ncols:2] datafile index b using 1:(y(column(i))) with linespoints \
                         lc rgb colour[i-1] dt 1 lw w(i) pt point[i-1] ps sz(i) notitle, \
                     for [i=3:ncols:2] datafile index b using 1:(y(column(i))) with linespoints \
                         lc rgb colour[i-1] dt 2 lw w(i) pt point[i-1] ps sz(i) notitle
            } else {
                plot for [i=2:ncols:2] datafile index b using 1:(y(column(i))) with linespoints \
                         lc rgb colour[i-1] dt 1 lw w(i) pt point[i-1] ps sz(i) notitle, \
                     for [i=3:ncols:2] datafile index b using 1:(y(column(i))) with linespoints \
                         lc rgb colour[i-1] dt 2 lw w(i) pt point[i-1] ps sz(i) notitle, \
                     @key_lines, keyentry with lines lc rgb '#000000' dt 1 title 'by page', \
                     keyentry with lines lc rgb '#000000' dt 2 title 'whole'
            }
        } else {
            # Even columns hold the page fences, odd ones the whole fences.
            if (p < npanel || b < nblock - 1) {
                plot for [c in pcolumns[p]] datafile index b using 1:(y(column(int(c)))) \
                         with linespoints lc rgb colour[int(c)-1] dt 1 + int(c) % 2 \
                         lw w(int(c)) pt ppoint[p] ps sz(int(c)) notitle
            } else {
                plot for [c in pcolumns[p]] datafile index b using 1:(y(column(int(c)))) \
                         with linespoints lc rgb colour[int(c)-1] dt 1 + int(c) % 2 \
                         lw w(int(c)) pt ppoint[p] ps sz(int(c)) notitle, \
                     @key_lines, keyentry with lines lc rgb '#000000' dt 1 title 'by page', \
                     keyentry with lines lc rgb '#000000' dt 2 title 'whole'
            }
        }
    }
}
unset multiplot
