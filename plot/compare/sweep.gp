# plot/compare/sweep.gp: one benchmark's sweep, the change between two
# result sets (make compare): NEW - BASE median instructions per operation
# against the parameter, a line per config that moved (its design's colour,
# its axis variant's style, from plot/styles.py); x logarithmic, y linear
# around 0 (the dashed line: no change).
# Reads:  datafile (written by plot/compare.py): a header "param C ...",
#         then one row per parameter; name, the benchmark's name for the
#         title; colour, dash, point (plot/plots.sh loads them).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'build/compare/plots/data/write_null.dat'
if (!exists("name")) name = 'benchmark'
set datafile columnheaders
set datafile missing NaN
stats datafile using 1 nooutput
ncols = STATS_columns

set title sprintf('%s: change NEW - BASE, median instructions per operation', name)
set xlabel 'parameter'
set ylabel 'change in instructions per operation'
set format y '%+.0f'
set logscale x 2
set grid
set offsets 0, 0, graph 0.1, graph 0.1
set key outside right top Left reverse
plot for [i=2:ncols] datafile using 1:i with linespoints \
         lc rgb colour[i-1] dt dash[i-1] pt point[i-1] title columnheader(i), \
     0 with lines lc rgb '#000000' dt 2 notitle
