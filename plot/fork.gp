# plot/fork.gp: fork+exit+wait against process size (x logarithmic, y linear), one line per
# config.
# Reads:  datafile (default results/latest/plots/data/fork.dat, written by
#         plot/summarize.py): a header "param CONFIG..." (configs with
#         identical lines merged as "a=b"), then one row per
#         process size in KiB (NaN where not measured).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/fork.dat'
set datafile columnheaders
set datafile missing NaN   # lines continue across sizes a design lacks
stats datafile using 1 nooutput
ncols = STATS_columns

set title 'fork + exit + wait by process size'
set xlabel 'process size (KiB)'
set ylabel 'instructions per fork+exit+wait'
set format y '%.0s%c'   # 100k, 1M
set logscale x 2
set logscale y   # the sizes span three orders of magnitude
set grid
set key outside right top Left reverse
plot for [i=2:ncols] datafile using 1:i with linespoints lc rgb colour[i-1] dt dash[i-1] pt point[i-1] \
     title columnheader(i)
