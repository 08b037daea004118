# Chapter 10, figure 4: the loss over the epochs for several learning rates (log scale). A run
# that diverged ends at the loss that passed 100 ln K (or at its last finite loss); its title
# says so. Variables: output, data (CSV: epoch, then one loss column per rate, headed by its
# description), title; mark_x, mark_y, mark_text (optional): the last loss drawn of a run that
# diverged, and what to say; bound, bound_text (optional): the loss above which a run has
# diverged (100 ln K), drawn as a dashed line.
load plots.'/style.gp'
if (!exists("title")) title = ""
set title title
set xlabel "epoch"
set ylabel "loss J (log scale)"
set logscale y
set key top right box opaque
if (exists("mark_text")) {
  set label 1 mark_text at real(mark_x), real(mark_y) point pt 6 ps 2.5 lc rgb "#444444" \
    offset 2, 0 left front
}
if (exists("bound")) {
  set arrow 2 from graph 0, first real(bound) to graph 1, first real(bound) nohead dt 2 \
    lc rgb "#888888" back
  set label 2 bound_text at graph 0.98, first real(bound) right offset 0, -0.8 tc rgb "#666666"
}
stats data using 0 nooutput
columns = STATS_columns
plot for [i=2:columns] data using 1:i with linespoints pointinterval 50 title columnhead(i)
