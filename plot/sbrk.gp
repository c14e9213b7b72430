# plot/sbrk.gp: sbrk up then down by N pages, against N (log-log), one line
# per design.
# Reads:  datafile (default results/plots/data/sbrk.dat, written by
#         plot/summarize.py): a header "param DESIGN...", then one row per
#         page count (NaN where not measured).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/plots/data/sbrk.dat'
set datafile columnheaders
set datafile missing NaN   # lines continue across sizes a design lacks
stats datafile using 1 nooutput
ncols = STATS_columns

set title 'sbrk(+N pages) then sbrk(-N pages)'
set xlabel 'pages'
set ylabel 'instructions per grow+shrink'
set format y '%.0s%c'   # 100k, 1M
set logscale xy
set grid
set key top left
plot for [i=2:ncols] datafile using 1:i with linespoints lc (i-1) pt 7 \
     title columnheader(i)
