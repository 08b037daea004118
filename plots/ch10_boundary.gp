# Chapter 10, figure 2: the network's class at each point of a grid (a light tint per class),
# with the data points on top in their true class's colour. Variables: output, data (CSV: x1,
# x2, class on a regular grid, x1 fastest), points (CSV: x1, x2, label), classes, title.
load plots.'/style.gp'
load plots.'/ch10_palette.gp'
if (!exists("title")) title = ""
set datafile columnheaders
classes = int(classes)
set title title
set xlabel "x1"
set ylabel "x2"
set size ratio -1
set autoscale fix
set key outside right top box opaque
set grid front
plot data using 1:2:3 with image notitle, \
     for [k=0:classes-1] points using 1:(int($3) == k ? $2 : NaN) with points lt k+1 pt 7 ps 0.9 \
       title sprintf("class %d", k)
