# plot/ctxswitch.gp: pipe ping-pong, one bar per design: instructions per
# round trip (left) and context switches per round trip (right).
# Reads:  datafile (default results/plots/data/ctxswitch.dat, written by
#         plot/summarize.py): a header "design instructions ctx_switches",
#         then one row per design.
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/plots/data/ctxswitch.dat'
set datafile columnheaders

set style fill solid 0.85 border -1
set boxwidth 0.6
set grid ytics
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0   # headroom above the tallest bar
set xrange [-0.6:*]
unset key
set multiplot layout 1,2 title 'Pipe ping-pong, 1 byte each way (median per round trip)'
set title 'instructions'
plot datafile using 0:2:($0+1):xtic(1) with boxes lc variable
set title 'context switches'
plot datafile using 0:3:($0+1):xtic(1) with boxes lc variable
unset multiplot
