# Chapter 12, figure 2: gradient descent from near a minimum at learning rates just below and
# just above 2/λmax. Columns of the CSV `data`: step, loss_below, loss_above, e_below, e_above,
# model_below, model_above, where e_t = <∇J(θ_t), v1> / λmax is the distance from the minimum
# along the sharpest direction v1 and model_* is |e_0| |1 - ηλmax|^t, the quadratic model.
# Variables: output, data; lambda, rate_below, rate_above, as strings.
load plots.'/style.gp'
set terminal pngcairo noenhanced size 900,900 font "DejaVu Sans,11" linewidth 1.5
set output output
set datafile columnheaders
below = sprintf("η = %s, just below 2/λmax", rate_below)
above = sprintf("η = %s, just above 2/λmax", rate_above)
set multiplot layout 2,1 title sprintf("Gradient descent near a minimum: λmax = %s, 2/λmax = %.3f", lambda, 2.0 / (lambda + 0))
set xlabel "step t"
set ylabel "loss J"
set key top left box opaque
plot data using 1:2 with linespoints lt 1 title below, \
     data using 1:3 with linespoints lt 2 title above
set ylabel "|e_t|, distance from the minimum along v1 (log scale)"
set logscale y
set format y "1e%T"
set yrange [1e-9:10]
set key at graph 0.98, graph 0.64 right top box opaque
set label 1 "filled points: e_t > 0, open points: e_t < 0" at graph 0.98, graph 0.47 right
# Filled points where e_t > 0, open points where e_t < 0: the sign flips every step.
plot data using 1:($4 > 0 ? $4 : NaN) with points lt 1 pt 7 title below, \
     data using 1:($4 < 0 ? -$4 : NaN) with points lt 1 pt 6 notitle, \
     data using 1:($5 > 0 ? $5 : NaN) with points lt 2 pt 5 title above, \
     data using 1:($5 < 0 ? -$5 : NaN) with points lt 2 pt 4 notitle, \
     data using 1:6 with lines dashtype 2 lc rgb "#1f77b4" title "quadratic model |e_0| |1 - ηλmax|^t", \
     data using 1:7 with lines dashtype 2 lc rgb "#d62728" notitle
unset multiplot
