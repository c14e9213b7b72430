# plot/copyin.gp: copyin size sweep: write() to the null device, instructions
# per write against bytes written (x logarithmic, y linear), one colour per
# config; aligned user buffer solid, unaligned (write_null_ua) dashed.
# Reads:  datafile (default results/latest/plots/data/copyin.dat, written by
#         plot/summarize.py): a header "param C C[ua] ...", two columns per
#         config (configs with identical lines merged as "a=b"), then one row
#         per size in bytes (NaN where not measured).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/copyin.dat'
set datafile columnheaders
set datafile missing NaN   # lines continue across sizes a design lacks
stats datafile using 1 nooutput
ncols = STATS_columns

set title 'write() to the null device: copyin by size'
set xlabel 'bytes per write'
set ylabel 'instructions per write'
set format y '%.0s%c'   # 10k, 20k
set logscale x 2
set format x '%.0b%B'   # 1, 8, 64, 512, 1Ki...
set yrange [0:*]
set grid
set key outside right top Left reverse
plot for [i=2:ncols:2] datafile using 1:i with linespoints \
         lc rgb colour[i-1] dt 1 pt point[i-1] title columnheader(i), \
     for [i=3:ncols:2] datafile using 1:i with linespoints \
         lc rgb colour[i-1] dt 2 pt point[i-1] title columnheader(i)
