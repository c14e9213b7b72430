# plot/ctxswitch.gp: pipe ping-pong, one bar per config: instructions per
# round trip (left), and satp writes and sfence.vma per round trip (right),
# what a context switch costs each design in table loads and TLB flushes.
# Past five configs, a row of panels per axis variant (plot/styles.py).
# Reads:  datafile (default results/latest/plots/data/ctxswitch.dat, written
#         by plot/summarize.py): a header "config instructions satp_writes
#         sfences ctx_switches", then one row per config.
# Writes: the figure, to the terminal and output that plot/plots.sh sets.
if (!exists("datafile")) datafile = 'results/latest/plots/data/ctxswitch.dat'
set datafile columnheaders
stats datafile using 2 nooutput
nrows = STATS_records

set style fill solid 0.85 border -1
set grid ytics
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0   # headroom above the tallest bar
if (npanel == 1) {
    set xrange [-0.6:nrows - 0.4]
    set xtics rotate by -90 font ',8' nomirror
    set bmargin 9
    set multiplot layout 1,2 title 'Pipe ping-pong, 1 byte each way (median per round trip)'
    set title 'instructions'
    unset key
    set boxwidth 0.6
    plot datafile using 0:2:(rowrgb[int($0)+1]):xtic(1) with boxes lc rgb variable
    set title 'satp writes and sfence.vma'
    set key top center horizontal   # one line, in the headroom of the offsets
    set boxwidth 0.3
    plot datafile using ($0-0.16):3:xtic(1) with boxes lc rgb '#404040' title 'satp writes', \
         datafile using ($0+0.16):4 with boxes lc rgb '#b0b0b0' title 'sfence.vma'
    unset multiplot
} else {
    # Small multiples (plot/styles.py): a row per axis variant, a bar per
    # design at its own place in every row, one y range per column.
    stats datafile using 2 nooutput
    imax = STATS_max
    stats datafile using 3 nooutput
    cmax = STATS_max
    stats datafile using 4 nooutput
    cmax = (STATS_max > cmax ? STATS_max : cmax)
    set xrange [-0.6:ndesign - 0.4]
    inpanel(k, p) = rowpanel[int(k) + 1] == p
    x(k) = rowdesign[int(k) + 1] - 1
    set multiplot layout npanel, 2 margins 0.10, 0.80, 0.12, 0.90 spacing 0.05, 0.03 \
        title 'Pipe ping-pong, 1 byte each way (median per round trip)'
    do for [p=1:npanel] {
        if (p == npanel) {
            set xtics rotate by -30 font ',9' nomirror
            set xtics ()
            do for [d=1:ndesign] { set xtics add (dname[d] d - 1) }
        } else { unset xtics }
        set title (p == 1 ? 'instructions' : '')
        set ylabel ptitle[p]
        set yrange [0:imax * 1.1]
        unset key
        set boxwidth 0.6
        plot datafile using (inpanel($0, p) ? x($0) : NaN):2:(rowrgb[int($0)+1]) with boxes lc rgb variable
        set title (p == 1 ? 'satp writes and sfence.vma' : '')
        unset ylabel
        set yrange [0:cmax * 1.1]
        set boxwidth 0.3
        if (p == npanel) { set key at screen 0.82, 0.88 left top Left reverse }
        plot datafile using (inpanel($0, p) ? x($0) - 0.16 : NaN):3 with boxes lc rgb '#404040' \
                 title (p == npanel ? 'satp writes' : ''), \
             datafile using (inpanel($0, p) ? x($0) + 0.16 : NaN):4 with boxes lc rgb '#b0b0b0' \
                 title (p == npanel ? 'sfence.vma' : '')
    }
    unset multiplot
}
