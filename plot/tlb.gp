# plot/tlb.gp: the TLB model's estimated cycles against instructions per
# operation (top, log scale) and their ratio (bottom), grouped by operation
# and design: one bar for instructions, one per preset.
# Reads:  datafile (default results/plots/data/tlb.dat, written by
#         plot/tlb_summary.py): two blocks (gnuplot index 0: a header
#         "operation instructions PRESET...", then one row per operation and
#         design: its quoted label "bench/design", median instructions and
#         estimated cycles per operation of each preset; index 1: a header
#         "operation PRESET...", then estimated cycles / instructions).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/plots/data/tlb.dat'
set datafile columnheaders
stats datafile index 0 using 2 nooutput
ncols = STATS_columns
nrows = STATS_records

set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xrange [-0.6:nrows - 0.4]   # the same for both panels
set grid ytics
set lmargin at screen 0.09
set rmargin at screen 0.80
set multiplot title 'TLB model: estimated cycles and instructions per operation (median)'

# Top: absolute figures; no x labels (the panels share the x axis).
set tmargin at screen 0.90
set bmargin at screen 0.57
set key outside right top
set logscale y
set format y '%.0s%c'   # 100k, 1M
set ylabel 'per operation (log)'
set format x ''
plot for [i=2:ncols] datafile index 0 using i title columnheader(i)

# Bottom: the ratio, same colours as the presets above.
set tmargin at screen 0.53
set bmargin at screen 0.22
unset key
unset logscale y
set format y '%g'
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0   # headroom above the tallest bar
set ylabel 'estimated / instructions'
set format x '%g'
set xtics rotate by -40 font ',9'
plot for [i=2:ncols-1] datafile index 1 using i:xtic(1) linecolor i
unset multiplot
