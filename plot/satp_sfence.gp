# plot/satp_sfence.gp: satp writes (top) and sfence.vma executions (bottom)
# per operation, grouped by benchmark, one bar per config.
# Reads:  datafile (default results/latest/plots/data/satp_sfence.dat, written by
#         plot/summarize.py): two blocks (gnuplot index 0: satp writes,
#         index 1: sfence.vma), each a header "bench CONFIG..." then one row
#         per benchmark: its quoted name and the median count per operation.
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/satp_sfence.dat'
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
set ytics 10
set lmargin 8
set rmargin 14
set multiplot title 'TLB flushes per operation (median)'
# Top panel: no x labels (the benchmarks are named once, below).
set size 1, 0.40
set origin 0, 0.53
set tmargin 2
set bmargin 0.5
unset xtics
set title 'satp writes' offset 0, -0.5
plot for [i=2:ncols] datafile index 0 using i lc rgb colour[i-1] fs solid density[i-1] border -1 title columnheader(i)
set size 1, 0.53
set origin 0, 0
set tmargin 1.5
set bmargin 5.5
set xtics rotate by -30 font ',9' nomirror
set title 'sfence.vma executions' offset 0, -0.5
plot for [i=2:ncols] datafile index 1 using i:xtic(1) lc rgb colour[i-1] fs solid density[i-1] border -1 notitle
unset multiplot
