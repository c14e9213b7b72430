# plot/satp_sfence.gp: satp writes (top) and sfence.vma executions (bottom)
# per operation, grouped by benchmark, one bar per design.
# Reads:  datafile (default results/plots/data/satp_sfence.dat, written by
#         plot/summarize.py): two blocks (gnuplot index 0: satp writes,
#         index 1: sfence.vma), each a header "bench DESIGN..." then one row
#         per benchmark: its quoted name and the median count per operation.
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/plots/data/satp_sfence.dat'
set datafile columnheaders
stats datafile index 0 using 2 nooutput
ncols = STATS_columns

set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0   # headroom above the tallest bar
set key outside right top
set xtics rotate by -30 font ',9'
set multiplot layout 2,1 title 'TLB flushes per operation (median)'
set title 'satp writes'
plot for [i=2:ncols] datafile index 0 using i:xtic(1) title columnheader(i)
set title 'sfence.vma executions'
plot for [i=2:ncols] datafile index 1 using i:xtic(1) title columnheader(i)
unset multiplot
