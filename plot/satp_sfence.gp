# plot/satp_sfence.gp: satp writes (top) and sfence.vma executions (bottom)
# per operation, grouped by benchmark, one bar per config; past five
# configs, a row of panels per axis variant (plot/styles.py).
# Reads:  datafile (default results/latest/plots/data/satp_sfence.dat, written by
#         plot/summarize.py): two blocks (gnuplot index 0: satp writes,
#         index 1: sfence.vma), each a header "bench CONFIG..." then one row
#         per benchmark: its quoted name and the median count per operation.
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/satp_sfence.dat'
set datafile columnheaders
stats datafile index 0 using 2 nooutput
ncols = STATS_columns

set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0   # headroom above the tallest bar
set ytics 10
if (npanel == 1) {
    set key outside right top
    set lmargin 8
    set rmargin 20   # room for the longest design name in the key
    set multiplot title 'TLB flushes per operation (median)'
    # Top panel: no x labels (the benchmarks are named once, below).
    set size 1, 0.40
    set origin 0, 0.53
    set tmargin 2
    set bmargin 0.5
    unset xtics
    set title 'satp writes' offset 0, -0.5
    plot for [i=2:ncols] datafile index 0 using i lc rgb colour[i-1] fs solid density[i-1] border -1 title columnheader(i)
    set size 1, 0.53
    set origin 0, 0
    set tmargin 1.5
    set bmargin 5.5
    set xtics rotate by -30 font ',9' nomirror
    set title 'sfence.vma executions' offset 0, -0.5
    plot for [i=2:ncols] datafile index 1 using i:xtic(1) lc rgb colour[i-1] fs solid density[i-1] border -1 notitle
    unset multiplot
} else {
    # Small multiples (plot/styles.py): a row of panels per axis variant,
    # satp writes left, sfence.vma right, one y range for all, the
    # benchmarks named on the bottom row, one legend right.
    ymax = 0
    do for [b=0:1] {
        do for [i=2:ncols] {
            stats datafile index b using i nooutput
            ymax = (STATS_max > ymax ? STATS_max : ymax)
        }
    }
    set yrange [0:ymax * 1.1]
    set ytics 10 font ',9'
    set multiplot layout npanel, 2 margins 0.10, 0.80, 0.15, 0.90 spacing 0.04, 0.03 \
        title 'TLB flushes per operation (median)'
    do for [p=1:npanel] {
        do for [b=0:1] {
            set title (p == 1 ? (b == 0 ? 'satp writes' : 'sfence.vma executions') : '')
            if (b == 0) { set ylabel ptitle[p] } else { unset ylabel }
            if (p < npanel || b == 0) { unset key } else { set key at screen 0.82, 0.88 left top Left reverse }
            if (p == npanel) {
                set xtics rotate by -30 font ',9' nomirror
                plot for [c in pcolumns[p]] datafile index b using int(c):xtic(1) \
                         lc rgb colour[int(c)-1] fs solid 0.85 border -1 notitle, \
                     @key_boxes
            } else {
                unset xtics
                plot for [c in pcolumns[p]] datafile index b using int(c) \
                         lc rgb colour[int(c)-1] fs solid 0.85 border -1 notitle
            }
        }
    }
    unset multiplot
}
