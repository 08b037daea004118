# Chapter 10, figure 1: the loss J (left axis, log scale) and the training accuracy (right axis)
# over the epochs. Variables: output, data (CSV: epoch, loss, accuracy as a fraction), title.
load plots.'/style.gp'
if (!exists("title")) title = ""
set datafile columnheaders
set title title
set xlabel "epoch"
set ylabel "loss J = cross-entropy + L2 penalty (log scale)"
set y2label "accuracy on the training points (%)"
set logscale y
set ytics nomirror
set y2tics 10
set y2range [0:100]
set key center right box opaque
plot data using 1:2 with lines lt 1 lw 2 title "loss", \
     data using 1:($3 * 100) axes x1y2 with lines lt 2 lw 2 title "accuracy (%)"
