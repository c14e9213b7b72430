# plot/copyin.gp: copyin size sweep: write() to the null device, instructions
# per call against bytes written (log-log), one line per design; aligned user
# buffer solid, unaligned (write_null_ua) dashed.
# Reads:  datafile (default results/plots/data/copyin.dat, written by
#         plot/summarize.py): a header "param D D-ua ...", two columns per
#         design, then one row per size in bytes (NaN where not measured).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/plots/data/copyin.dat'
set datafile columnheaders
set datafile missing NaN   # lines continue across sizes a design lacks
stats datafile using 1 nooutput
ncols = STATS_columns

set title 'write() to the null device: copyin by size'
set xlabel 'bytes per write'
set ylabel 'instructions per write'
set format y '%.0s%c'   # 100k, 1M
set logscale xy
set grid
set key top left
plot for [i=2:ncols:2] datafile using 1:i with linespoints \
         lc (i/2) dt 1 pt 7 title columnheader(i), \
     for [i=3:ncols:2] datafile using 1:i with linespoints \
         lc ((i-1)/2) dt 2 pt 6 title columnheader(i)
