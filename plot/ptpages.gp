# plot/ptpages.gp: page-table pages one process holds against its size, one
# colour per design: user table pages solid, per-process kernel table pages
# dashed.
# Reads:  datafile (default results/latest/plots/data/ptpages.dat, written by
#         plot/summarize.py): a header "param C[user] C[kproc] ...", two
#         columns per config (identical configs merged as "a=b"), then one row per process size in KiB.
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/ptpages.dat'
set datafile columnheaders
set datafile missing NaN   # lines continue across sizes a design lacks
stats datafile using 1 nooutput
ncols = STATS_columns

set title 'Page-table pages per process'
set xlabel 'process size (KiB)'
set ylabel 'page-table pages (4 KiB each)'
set logscale x
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0
set grid
set key outside right top Left reverse
plot for [i=2:ncols:2] datafile using 1:i with linespoints \
         lc rgb colour[i-1] dt 1 pt point[i-1] title columnheader(i), \
     for [i=3:ncols:2] datafile using 1:i with linespoints \
         lc rgb colour[i-1] dt 2 pt point[i-1] title columnheader(i)
