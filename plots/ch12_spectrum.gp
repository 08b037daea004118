# Chapter 12, figure 1: the eigenvalues of the Hessian of a small network, largest first, at
# initialisation and near a minimum. Columns of the CSV `data`: rank, at_initialisation,
# near_a_minimum. Variables: output, data; n (parameters) and hidden (H), as strings.
#
# The eigenvalues span several decades and have both signs, so the y axis is a symmetric
# logarithm: linear within ±c of 0, logarithmic beyond (gnuplot's nonlinear axis).
load plots.'/style.gp'
set datafile columnheaders
set title sprintf("Hessian eigenvalues of a small network (H = %s, n = %s parameters)", hidden, n)
set xlabel "eigenvalue number, largest first"
set ylabel "eigenvalue (symmetric log scale: linear within ±1e-4)"
c = 1e-4
symlog(y) = sgn(y) * log10(1 + abs(y) / c)
symexp(u) = sgn(u) * c * (10**abs(u) - 1)
set nonlinear y via symlog(y) inverse symexp(y)
set ytics ("-1" -1, "-0.1" -0.1, "-0.01" -0.01, "-1e-3" -1e-3, "0" 0, "1e-3" 1e-3, \
           "0.01" 0.01, "0.1" 0.1, "1" 1, "10" 10, "100" 100)
set xrange [0:n + 1]
# A margin of about 0.3 decades beyond the extreme eigenvalues (the axis is logarithmic there).
stats data using 2 nooutput prefix "A"
stats data using 3 nooutput prefix "B"
top = (A_max > B_max ? A_max : B_max)
bottom = (A_min < B_min ? A_min : B_min)
set yrange [(bottom < 0 ? 2 * bottom : -c):(top > 0 ? 2 * top : c)]
set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead dashtype 2 lc rgb "#555555"
set key top right box opaque
plot data using 1:2 with linespoints lt 2 title "at initialisation", \
     data using 1:3 with linespoints lt 1 title "near a minimum (after training)"
