# plot/compare/bars.gp: the single-size benchmarks that moved between two
# result sets (make compare): BASE and NEW bars per benchmark and config.
# Reads:  datafile (written by plot/compare.py): a header "operation BASE
#         NEW", then one row per moved "bench/config" (quoted).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'build/compare/plots/data/moved.dat'
set datafile columnheaders
stats datafile using 2 nooutput
nrows = STATS_records

set title 'Moved: median instructions per operation, BASE and NEW'
set ylabel 'instructions per operation'
set grid ytics
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0
set xrange [-0.6:nrows - 0.4]
set key outside right top
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics rotate by -30 font ',9' nomirror
set bmargin 6
plot datafile using 2:xtic(1) title 'BASE', '' using 3 title 'NEW'
