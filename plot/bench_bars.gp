# plot/bench_bars.gp: single-size benchmarks as bars, grouped by benchmark,
# one bar per config (log scale).
# Reads:  datafile (default results/latest/plots/data/bench_bars.dat, written by
#         plot/summarize.py): a header "bench CONFIG...", then one row per
#         benchmark: its quoted name and the median instructions per operation
#         of each design (NaN where not measured).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/bench_bars.dat'
set datafile columnheaders
stats datafile using 2 nooutput
ncols = STATS_columns

set title 'Instructions per operation (median, icount)'
set ylabel 'instructions per operation'
set format y '%.0s%c'   # 100k, 1M
set logscale y
set grid ytics
set key outside right top
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
plot for [i=2:ncols] datafile using i:xtic(1) lc rgb colour[i-1] fs solid density[i-1] border -1 title columnheader(i)
