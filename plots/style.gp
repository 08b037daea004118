# The course's figure style: loaded by every figure script (load plots.'/style.gp').
# pngcairo draws headless; noenhanced keeps "_" in titles literal.
set terminal pngcairo noenhanced size 900,600 font "DejaVu Sans,11" linewidth 1.5
set output output
set datafile separator ","
set key top right box opaque
set grid lw 0.5 lc rgb "#dddddd"
set border lw 1 lc rgb "#444444"
set linetype 1 lc rgb "#1f77b4" pt 7 ps 0.6
set linetype 2 lc rgb "#d62728" pt 5 ps 0.6
set linetype 3 lc rgb "#2ca02c" pt 9 ps 0.6
set linetype 4 lc rgb "#9467bd" pt 11 ps 0.6
set linetype 5 lc rgb "#ff7f0e" pt 13 ps 0.6
set linetype 6 lc rgb "#8c564b" pt 3 ps 0.6
