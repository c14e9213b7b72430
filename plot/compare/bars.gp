# plot/compare/bars.gp: the single-size benchmarks that moved between two
# result sets (make compare): the change NEW - BASE per benchmark and
# config, one bar each (a change shows even beside a large absolute value).
# Reads:  datafile (written by plot/compare.py): a header "operation
#         change", then one row per moved "bench/config" (quoted).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'build/compare/plots/data/moved.dat'
set datafile columnheaders
stats datafile using 2 nooutput
nrows = STATS_records

set title 'Moved: change NEW - BASE, median instructions per operation'
set ylabel 'change in instructions per operation'
set grid ytics
set offsets 0, 0, graph 0.1, graph 0.1
set xrange [-0.6:nrows - 0.4]
set key outside right top
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics rotate by -30 font ',9' nomirror
set bmargin 6
plot datafile using 2:xtic(1) lc rgb '#404040' title 'NEW - BASE', \
     0 with lines lc rgb '#000000' dt 2 notitle
