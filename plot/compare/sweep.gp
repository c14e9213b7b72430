# plot/compare/sweep.gp: one benchmark's sweep in two result sets (make
# compare): per config that moved, BASE dashed with open points and NEW
# solid with filled points, in one colour; x logarithmic, y linear.
# Reads:  datafile (written by plot/compare.py): a header
#         "param C[base] C[new] ...", then one row per parameter; name, the
#         benchmark's name for the title.
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'build/compare/plots/data/write_null.dat'
if (!exists("name")) name = 'benchmark'
set datafile columnheaders
set datafile missing NaN
stats datafile using 1 nooutput
ncols = STATS_columns

set title sprintf('%s: BASE (dashed) and NEW (solid), median instructions per operation', name)
set xlabel 'parameter'
set ylabel 'instructions per operation'
set format y '%.0s%c'
set logscale x 2
set yrange [0:*]
set grid
set key top left
plot for [i=2:ncols:2] datafile using 1:i with linespoints \
         lc (i/2) dt 2 pt 6 title columnheader(i), \
     for [i=3:ncols:2] datafile using 1:i with linespoints \
         lc ((i-1)/2) dt 1 pt 7 title columnheader(i)
