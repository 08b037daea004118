# Chapter 05's figure: the relative error of the central and the forward difference against the
# step h, on log-log axes. Columns of the CSV `data`: h, central_tanh, forward_tanh,
# central_network, forward_network, model_central_tanh, model_forward_tanh.
# Variables: output, data; step = the step the course's checks use (a vertical line).
load plots.'/style.gp'
set title "Error of a difference quotient against its step h"
set xlabel "step h"
set ylabel "relative error |difference quotient - f'| / |f'|"
set logscale xy
set format x "1e%T"
set format y "1e%T"
set xrange [1e-13:1e-1]
set yrange [1e-14:10]
set mxtics 10
set key bottom left box opaque
if (exists("step")) {
  set arrow 1 from step + 0, graph 0 to step + 0, graph 1 nohead dashtype 2 lc rgb "#555555"
  set label 1 sprintf("the checks' step h = %s", step) at step + 0, graph 0.04 offset 0.6, 0 \
      left textcolor rgb "#555555"
}
plot data using 1:2 with linespoints lt 1 title "central, tanh at 0.5", \
     data using 1:3 with linespoints lt 2 title "forward, tanh at 0.5", \
     data using 1:4 with linespoints lt 3 title "central, dL/db2[0] of the network", \
     data using 1:5 with linespoints lt 4 title "forward, dL/db2[0] of the network", \
     data using 1:6 with lines dashtype 3 lc rgb "#1f77b4" lw 1 title "model for tanh: h^2|f'''|/6 + eps|f|/h", \
     data using 1:7 with lines dashtype 3 lc rgb "#d62728" lw 1 title "model for tanh: h|f''|/2 + eps|f|/h"
