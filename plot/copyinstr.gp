# plot/copyinstr.gp: copyinstr sweep: open() of a missing path, instructions
# per call against path length, one line per config.
# Reads:  datafile (default results/latest/plots/data/copyinstr.dat, written by
#         plot/summarize.py): a header "param CONFIG..." (configs with
#         identical lines merged as "a=b"), then one row per
#         path length in bytes (NaN where not measured).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/copyinstr.dat'
set datafile columnheaders
set datafile missing NaN   # lines continue across sizes a design lacks
stats datafile using 1 nooutput
ncols = STATS_columns

set title 'open() of a missing path: copyinstr by path length'
set xlabel 'path length (bytes)'
set ylabel 'instructions per open'
set yrange [0:*]
set grid
set key outside right top Left reverse
plot for [i=2:ncols] datafile using 1:i with linespoints lc rgb colour[i-1] dt dash[i-1] pt point[i-1] \
     title columnheader(i)
