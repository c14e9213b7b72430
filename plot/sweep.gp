# plot/sweep.gp: one benchmark's sweep, median instructions per operation
# against its parameter (x logarithmic, base 2), a line per config (its
# design's colour, its axis variant's style, from plot/styles.py).
# The labels come from the benchmark's record in plot/benches.py, which
# plot/plots.sh passes as arguments: title, xlabel, ylabel, logy (1: y
# logarithmic, else linear from 0).
# Reads:  datafile (plots/data/NAME.dat, written by plot/summarize.py): a
#         header "param CONFIG..." (configs of one design with identical
#         lines merged as "a=-asid"), then one row per parameter (NaN where
#         not measured).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/fork.dat'
if (!exists("title")) title = 'sweep'
if (!exists("xlabel")) xlabel = 'parameter'
if (!exists("ylabel")) ylabel = 'instructions per operation'
if (!exists("logy")) logy = 0
set datafile columnheaders
set datafile missing NaN   # lines continue across points a config lacks
stats datafile using 1 nooutput
ncols = STATS_columns

set title title
set xlabel xlabel
set ylabel ylabel
set format y '%.0s%c'   # 100k, 1M
set logscale x 2
if (logy) { set logscale y } else { set yrange [0:*] }
set grid
set key outside right top Left reverse
plot for [i=2:ncols] datafile using 1:i with linespoints lc rgb colour[i-1] dt dash[i-1] \
     pt point[i-1] title columnheader(i)
