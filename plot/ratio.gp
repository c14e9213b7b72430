# plot/ratio.gp: each config's median instructions per operation over the
# reference design's (same axes), one bar per config, grouped by operation,
# on a linear scale around 1 (a bar above the line costs more).
# Reads:  datafile (default results/latest/plots/data/ratio.dat, written by
#         plot/summarize.py): a header "operation CONFIG...", then one row per
#         operation: its quoted label and the ratio of each config (NaN where
#         not measured).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/ratio.dat'
set datafile columnheaders
set datafile missing NaN
stats datafile using 2 nooutput
ncols = STATS_columns
nrows = STATS_records

set title 'Instructions per operation, ratio to the reference design (median, icount)'
set ylabel 'ratio to the reference (1 = same cost)'
set grid ytics
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set xrange [-0.6:nrows - 0.4]
set key outside right top
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics rotate by -35 font ',9' nomirror
set bmargin 7
set rmargin 16
plot for [i=2:ncols] datafile using i:xtic(1) lc rgb colour[i-1] fs solid density[i-1] border -1 title columnheader(i), \
     1 with lines lc rgb '#000000' dt 2 notitle
