# plot/ctxswitch.gp: pipe ping-pong, one bar per config: instructions per
# round trip (left), and satp writes and sfence.vma per round trip (right),
# what a context switch costs each design in table loads and TLB flushes.
# Reads:  datafile (default results/latest/plots/data/ctxswitch.dat, written
#         by plot/summarize.py): a header "config instructions satp_writes
#         sfences ctx_switches", then one row per config.
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/ctxswitch.dat'
set datafile columnheaders
stats datafile using 2 nooutput
nrows = STATS_records

set style fill solid 0.85 border -1
set grid ytics
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0   # headroom above the tallest bar
set xrange [-0.6:nrows - 0.4]
set xtics rotate by -90 font ',8' nomirror
set bmargin 9
set multiplot layout 1,2 title 'Pipe ping-pong, 1 byte each way (median per round trip)'
set title 'instructions'
unset key
set boxwidth 0.6
plot datafile using 0:2:(rowrgb[int($0)+1]):xtic(1) with boxes lc rgb variable
set title 'satp writes and sfence.vma'
set key top right
set boxwidth 0.3
plot datafile using ($0-0.16):3:xtic(1) with boxes lc rgb '#404040' title 'satp writes', \
     datafile using ($0+0.16):4 with boxes lc rgb '#b0b0b0' title 'sfence.vma'
unset multiplot
