# plot/fencesweep.gp: the TLB model re-priced against the cost of one
# sfence.vma: each config's estimated cycles per operation over the
# reference design's at the same axes, one line per config (colour by
# design, line style by axis), on a log x axis; crossovers marked on the
# line at 1.
# Reads:  datafile (plots/data/fencesweep.dat, written by plot/reprice.py):
#         block 0, a header "fence CONFIG..." then one row per fence cost;
#         block 1, a comment "# what: " naming the operation and preset,
#         a header, then one row per crossover: fence cost, 1, config.
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/fencesweep.dat'
set datafile columnheaders
set datafile missing NaN
stats datafile index 0 using 1 nooutput
ncols = STATS_columns
what = system("sed -n 's/^# what: //p' '" . datafile . "'")
set title 'Estimated cycles over the reference design against fence cost (' . what . ')'
set xlabel 'cycles per sfence.vma (log scale)'
set ylabel 'ratio to the reference (1 = same cost)'
set logscale x 10
set grid xtics ytics
set key outside right top
set rmargin 18
plot for [i=2:ncols] datafile index 0 using 1:i with lines lw 2 lc rgb colour[i-1] dt dash[i-1] title columnheader(i), \
     datafile index 1 using 1:2 with points pt 6 ps 2 lc rgb '#000000' title 'crossover', \
     1 with lines lc rgb '#000000' dt 2 notitle
