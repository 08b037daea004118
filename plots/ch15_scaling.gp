# Chapter 15: time per epoch against the number of ranks — measured (points), and the two models
# (lines): t(1)/p + one allreduce, and t(1)/min(p, cores) + one allreduce. Variables: output,
# data (CSV: ranks, measured ms, the two models' ms, with a header line), title.
load plots.'/style.gp'
if (!exists("title")) title = ""
set datafile columnheaders
set title title
set xlabel "ranks p (MPI processes)"
set ylabel "time per epoch (ms)"
set xtics 1
set yrange [0:*]
set key bottom left box opaque
plot data using 1:2 with linespoints lt 2 lw 2 pt 7 ps 1.2 title columnhead(2), \
     data using 1:3 with lines lt 1 lw 2 dt 2 title columnhead(3), \
     data using 1:4 with lines lt 3 lw 2 title columnhead(4)
