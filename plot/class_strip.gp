# plot/class_strip.gp: every part of a class, per operation, as its ratio to
# ptbench's global design (y logarithmic): submissions as a jittered strip,
# ptbench's designs and the lab-start tree marked beside them.
# Reads:  datafile (written by plot/class_report.py): "x ratio kind operation
#         label" rows, kind 0 a submission, 1 a design, 2 the lab start.
#         tics: the operations' x tics, '"name" x, ...'.
# Writes: outfile (SVG).
if (!exists("datafile")) datafile = 'class-strip.dat'
if (!exists("outfile")) outfile = 'class-strip.svg'
set terminal svg size 1000,500 dynamic noenhanced
set output outfile
set title 'instructions per operation, ratio to global'
set ylabel 'x global'
set logscale y
set grid ytics
set key top left
set xtics rotate by -30 nomirror
if (exists("tics")) eval('set xtics (' . tics . ')')
set xrange [-0.6:*]
set offsets 0, 0.6, 0, 0   # room right of the last operation's marks
jitter(x, l) = x - 0.25 + 0.5 * (strlen(l) % 7) / 6.0
plot datafile using (column(3) == 0 ? jitter($1, strcol(5)) : NaN):2 \
         with points pt 7 ps 0.5 lc rgb '#4477aa' title 'submissions', \
     '' using (column(3) == 1 ? $1 + 0.35 : NaN):2 with points pt 5 ps 0.8 lc rgb '#228833' title 'ptbench designs', \
     '' using (column(3) == 2 ? $1 + 0.35 : NaN):2 with points pt 9 ps 1 lc rgb '#cc3311' title 'lab start'
