# Chapter 10, figure 3: one decision-boundary panel per hidden size, then the accuracy against H.
# Variables: output, data (CSV: x1, x2, then the class of each network, one column per panel),
# points (CSV: x1, x2, label), accuracy (CSV: hidden, train, test), panels, title1 … titleN,
# classes, held_out ("1" when the test column holds held-out accuracies, "0" when it is NaN),
# title.
load plots.'/style.gp'
set terminal pngcairo noenhanced size 1800,900 font "DejaVu Sans,10" linewidth 1.5
set output output
load plots.'/ch10_palette.gp'
if (!exists("title")) title = ""
set datafile columnheaders
panels = int(panels)
classes = int(classes)
columns = int(ceil((panels + 1) / 2.0))
set multiplot layout 2, columns title title font "DejaVu Sans,13"
set autoscale fix
set xlabel "x1"
set ylabel "x2"
set grid front
unset key
do for [i=1:panels] {
  set title value(sprintf("title%d", i))
  plot data using 1:2:(column(i + 2)) with image, \
       for [k=0:classes-1] points using 1:(int($3) == k ? $2 : NaN) with points lt k+1 pt 7 ps 0.5
}
set title "accuracy against the hidden size H"
set autoscale
set logscale x
set xlabel "H (log scale)"
set ylabel "accuracy (%)"
set yrange [*:100]
set key bottom right box opaque
if (int(held_out)) {
  plot accuracy using 1:($2 * 100) with linespoints lt 1 title "training points", \
       accuracy using 1:($3 * 100) with linespoints lt 2 title "held-out points"
} else {
  plot accuracy using 1:($2 * 100) with linespoints lt 1 title "training points"
}
unset multiplot
