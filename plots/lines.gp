# A generic figure: column 1 of the CSV `data` on x, every other column a line titled by its
# header. Variables: output, data, title, xlabel, ylabel; logscale = "", "x", "y" or "xy".
load plots.'/style.gp'
if (!exists("title")) title = ""
if (!exists("xlabel")) xlabel = ""
if (!exists("ylabel")) ylabel = ""
if (!exists("logscale")) logscale = ""
set title title
set xlabel xlabel
set ylabel ylabel
if (strstrt(logscale, "x") > 0) { set logscale x; set format x "10^{%T}" }
if (strstrt(logscale, "y") > 0) { set logscale y; set format y "10^{%T}" }
stats data using 0 nooutput
columns = STATS_columns
plot for [i=2:columns] data using 1:i with linespoints title columnhead(i)
