# Chapter 10, figure 4: the loss over the epochs for several learning rates (log scale). A run
# that diverged ends at the loss that passed 100 ln K (or at its last finite loss); its title
# says so. Variables: output, data (CSV: epoch, then one loss column per rate, headed by its
# description), title; mark_x, mark_y, mark_text (optional): the last loss drawn of a run that
# diverged, and what to say.
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
stats data using 0 nooutput
columns = STATS_columns
plot for [i=2:columns] data using 1:i with linespoints pointinterval 50 title columnhead(i)
