# plot/shoot_policy.gp: shootdown targeting, IPIs sent (top) and remote
# fences (bottom) per shrink, grouped by targeting policy and hart count,
# one bar per config (its design's colour, its axis variant's fill); past
# five configs, a row of panels per axis variant (plot/styles.py).
# Reads:  datafile (default results/latest/plots/data/shoot_policy.dat,
#         written by plot/summarize.py through plot/shoot.py): two blocks
#         (gnuplot index 0: IPIs, index 1: remote fences), each a "# title:"
#         line (btitle[b] from plot/styles.py), a header "policy CONFIG..."
#         and one row per policy and hart count: its quoted label and the
#         median count per shrink (NaN where a config was not run).
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/shoot_policy.dat'
set datafile columnheaders
set datafile missing NaN
stats datafile index 0 using 0 nooutput   # the row numbers: always there
ncols = STATS_columns

set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set offsets 0, 0, graph 0.1, 0   # headroom above the tallest bar
# One y range for both blocks and every panel: the counts compare (a
# config with no value in a block adds nothing).
ymax = 1
do for [b=0:1] {
    do for [i=2:ncols] {
        undefine STATS_*
        stats datafile index b using i nooutput
        if (exists("STATS_max")) { ymax = (STATS_max > ymax ? STATS_max : ymax) }
    }
}
set yrange [0:ymax * 1.15]
set ytics 1
if (npanel == 1) {
    set key outside right top
    set lmargin 8
    set rmargin 20   # room for the longest design name in the key
    set multiplot title 'Shootdown targeting: counts per shrink (median; counts, not time)'
    # Top panel: no x labels (the policies are named once, below).
    set size 1, 0.40
    set origin 0, 0.53
    set tmargin 2
    set bmargin 0.5
    unset xtics
    set title btitle[1] offset 0, -0.5
    plot for [i=2:ncols] datafile index 0 using i lc rgb colour[i-1] fs solid density[i-1] border -1 title columnheader(i)
    set size 1, 0.53
    set origin 0, 0
    set tmargin 1.5
    set bmargin 5.5
    set xtics rotate by -30 font ',9' nomirror
    set title btitle[2] offset 0, -0.5
    plot for [i=2:ncols] datafile index 1 using i:xtic(1) lc rgb colour[i-1] fs solid density[i-1] border -1 notitle
    unset multiplot
} else {
    # Small multiples (plot/styles.py): a row of panels per axis variant,
    # IPIs left, remote fences right, the policies named on the bottom row,
    # one legend right.
    set ytics 1 font ',9'
    set multiplot layout npanel, 2 margins 0.10, 0.80, 0.15, 0.90 spacing 0.04, 0.03 \
        title 'Shootdown targeting: counts per shrink (median; counts, not time)'
    do for [p=1:npanel] {
        do for [b=0:1] {
            set title (p == 1 ? btitle[b+1] : '')
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
