/**
 * @file figures.hpp
 * @brief Chapter 10's four figures (given code, not exercises): the data each one shows, written
 * as CSV, and the PNG drawn from it by a gnuplot script in plots/.
 *
 * | figure | file | script | what it shows |
 * |---|---|---|---|
 * | 1 | ch10_loss.png | plots/ch10_loss.gp | loss and training accuracy, epoch by epoch |
 * | 2 | ch10_boundary.png | plots/ch10_boundary.gp | the predicted class over the plane, and the data |
 * | 3 | ch10_hidden.png | plots/ch10_hidden.gp | the same for H = 1, 2, 3, 5, 20, 50, 500, and their accuracies |
 * | 4 | ch10_rates.png | plots/ch10_rates.gp | the loss for several learning rates, one of which diverges |
 *
 * Each figure's data is written first (bp::write_csv, whole or not at all); a missing gnuplot
 * only means the PNG is not drawn, and the program says where the data went.
 */
#pragma once

#include <armadillo>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "10_training/training.hpp"
#include "common/datasets.hpp"
#include "common/files.hpp"
#include "common/plots.hpp"
#include "common/print.hpp"

namespace bp {

/// One CSV file of a figure, and the gnuplot variable that names it in the figure's script.
struct FigureTable {
  std::string variable;             ///< the script's name for the file ("data", "points")
  std::string file;                 ///< the file's name without ".csv", in the figure's folder
  std::vector<std::string> header;  ///< one name per column
  arma::mat table;                  ///< one row per line
};

/// The files figure 3 (bp::publish_hidden_sizes) writes under the name `name`: its three tables
/// and its PNG.
inline std::vector<std::string> hidden_sizes_files(const std::string& name) {
  return {name + ".csv", name + "_points.csv", name + "_accuracy.csv", name + ".png"};
}

/// Every file the four figures write in their folder, checked before the training
/// (bp::output_dir) so that a target that cannot be written costs no training.
inline std::vector<std::string> figure_files() {
  std::vector<std::string> files;
  for (const char* name : {"ch10_loss", "ch10_boundary", "ch10_boundary_points", "ch10_hidden",
                           "ch10_hidden_points", "ch10_hidden_accuracy", "ch10_rates"})
    files.push_back(std::string(name) + ".csv");
  for (const char* name : {"ch10_loss", "ch10_boundary", "ch10_hidden", "ch10_rates"})
    files.push_back(std::string(name) + ".png");
  return files;
}

/**
 * @brief Writes every table of a figure, draws `dir/<name>.png` with `plots/<script>.gp`, and
 * prints one line saying where the figure and its data went (as bp::publish_figure, for figures
 * drawn from several files).
 * @param script  the gnuplot script in plots/, without ".gp"
 * @param dir     the folder of the figure and its data (bp::output_dir)
 * @param name    the PNG's name without ".png"
 * @param tables  the CSV files, each passed to the script as its variable
 * @param vars    more variables for the script (titles, counts)
 * @return true when the PNG was drawn
 */
inline bool publish_tables(const std::string& script, const std::filesystem::path& dir,
                           const std::string& name, const std::vector<FigureTable>& tables,
                           std::vector<PlotVariable> vars) {
  std::string files;
  for (const FigureTable& t : tables) {
    const std::filesystem::path csv = dir / (t.file + ".csv");
    write_csv(csv, t.header, t.table);
    vars.push_back({t.variable, csv.string(), true});
    files += (files.empty() ? "" : ", ") + csv.string();
  }
  const std::filesystem::path png = dir / (name + ".png");
  const bool drawn = draw_figure(script, png, vars);
  if (drawn)
    std::cout << "Figure: " << png.string() << " (data: " << files << ")\n";
  else
    std::cout << "Figure not drawn: gnuplot is not installed. Its data is in " << files
              << " (install gnuplot-nox, or run ./course setup).\n";
  return drawn;
}

/**
 * @brief Why a run that diverged stopped, in words: "the loss reached 438, above 100 ln 2 =
 * 69.3", "the loss became NaN", "the loss became infinite", or "its step made a parameter NaN
 * or infinite (the gradient overflowed)".
 * @param history  a run with diverged set
 */
inline std::string divergence_cause(const History& history) {
  if (history.step_not_finite)
    return "its step made a parameter NaN or infinite (the gradient overflowed)";
  const double last = history.loss(history.loss.n_elem - 1);
  if (std::isnan(last)) return "the loss became NaN";
  if (std::isinf(last)) return "the loss became infinite";
  return "the loss reached " + number_text(last) + ", above 100 ln " +
         std::to_string(std::max<arma::uword>(history.classes, 2)) + " = " +
         number_text(runaway_loss(history.classes));
}

/**
 * @brief What a training run did, in words, for the program's output and the figures' keys.
 *
 * "diverged at epoch e" when the loss passed runaway_loss(K), became NaN or ∞, or a step made a
 * parameter so (naming which), "unstable" when the loss ended above where it started, else the
 * first and last loss.
 * @param history  the run
 */
inline std::string describe_run(const History& history) {
  const double first = history.loss(0);
  const double last = history.loss(history.loss.n_elem - 1);
  if (history.diverged) {
    if (history.epochs_run == 0 && !history.step_not_finite)
      return "before the first step: " + divergence_cause(history);
    return "diverged at epoch " + std::to_string(history.epochs_run) + ": " +
           divergence_cause(history);
  }
  if (last > first)
    return "unstable: the loss went from " + number_text(first) + " up to " + number_text(last);
  return "loss " + number_text(first) + " -> " + number_text(last);
}

/**
 * @brief Figure 1: the loss (log scale) and the training accuracy over the epochs.
 *
 * Data ch10_loss.csv: epoch, loss, accuracy (a fraction), one row per entry of the history.
 * @param dir      the figure's folder
 * @param history  the run to draw
 * @param title    the figure's title
 * @return true when the PNG was drawn
 */
inline bool publish_loss_curve(const std::filesystem::path& dir, const History& history,
                               const std::string& title) {
  const arma::uword n = history.loss.n_elem;
  arma::mat table(n, 3);
  table.col(0) = arma::regspace<arma::vec>(0, static_cast<double>(n) - 1);
  table.col(1) = history.loss;
  table.col(2) = history.accuracy;
  return publish_tables("ch10_loss", dir, "ch10_loss",
                        {{"data", "ch10_loss", {"epoch", "loss", "accuracy"}, table}},
                        {{"title", title}});
}

/// The points of a data set as a table: x1, x2, label.
/// @param data  the points and their labels
inline arma::mat points_table(const Dataset& data) {
  arma::mat table(data.X.n_rows, 3);
  table.cols(0, 1) = data.X;
  table.col(2) = arma::conv_to<arma::vec>::from(data.labels);
  return table;
}

/**
 * @brief Figure 2: the network's class over the plane (bp::decision_grid), with the data points
 * on top, coloured by their true class.
 *
 * Data ch10_boundary.csv (x1, x2, class: the grid) and ch10_boundary_points.csv (x1, x2, label).
 * @param dir         the figure's folder
 * @param params      the trained network
 * @param data        the points to draw
 * @param box         the rectangle to draw
 * @param resolution  grid points along each side
 * @param title       the figure's title
 * @return true when the PNG was drawn
 */
inline bool publish_decision_boundary(const std::filesystem::path& dir, const Params& params,
                                      const Dataset& data, const PlotBox& box,
                                      arma::uword resolution, const std::string& title) {
  return publish_tables(
      "ch10_boundary", dir, "ch10_boundary",
      {{"data", "ch10_boundary", {"x1", "x2", "class"}, decision_grid(params, box, resolution)},
       {"points", "ch10_boundary_points", {"x1", "x2", "label"}, points_table(data)}},
      {{"title", title}, {"classes", std::to_string(data.classes)}});
}

/// One network of the hidden-size sweep: its size, the trained parameters and how it did.
struct SizeRun {
  arma::uword hidden = 0;  ///< H
  Params params;           ///< the network after training
  History history;         ///< its training run
  /// The accuracy on held-out points, or NaN when there are none (a CSV data set).
  double test_accuracy = std::numeric_limits<double>::quiet_NaN();
};

/**
 * @brief Figure 3: one decision-boundary panel per hidden size, and a last panel with the
 * training and held-out accuracy against H.
 *
 * Data NAME.csv (x1, x2, then the class of each network at that grid point, one column per
 * run, headed "H=1", "H=2", …), NAME_points.csv (x1, x2, label) and NAME_accuracy.csv (hidden,
 * train, test; test NaN when there are no held-out points); the figure NAME.png, drawn by
 * plots/ch10_hidden.gp.
 * @param dir         the figure's folder
 * @param runs        the networks, in the order of the panels
 * @param data        the training points
 * @param box         the rectangle every panel draws
 * @param resolution  grid points along each side
 * @param title       the figure's title
 * @param name        NAME: chapter 10's figure 3, or chapter 13's copy of it
 * @return true when the PNG was drawn
 */
inline bool publish_hidden_sizes(const std::filesystem::path& dir, const std::vector<SizeRun>& runs,
                                 const Dataset& data, const PlotBox& box, arma::uword resolution,
                                 const std::string& title,
                                 const std::string& name = "ch10_hidden") {
  require_shape(!runs.empty(), "publish_hidden_sizes: no runs to draw");
  arma::mat grid;
  arma::mat accuracy(runs.size(), 3);
  std::vector<std::string> header = {"x1", "x2"};
  std::vector<PlotVariable> vars = {{"title", title},
                                    {"panels", std::to_string(runs.size())},
                                    {"classes", std::to_string(data.classes)}};
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const arma::mat g = decision_grid(runs[r].params, box, resolution);
    if (r == 0) grid = g.cols(0, 1);
    grid.insert_cols(grid.n_cols, g.col(2));
    const std::string h = std::to_string(runs[r].hidden);
    header.push_back("H=" + h);
    const double train = runs[r].history.accuracy(runs[r].history.accuracy.n_elem - 1);
    accuracy.row(r) =
        arma::rowvec{static_cast<double>(runs[r].hidden), train, runs[r].test_accuracy};
    std::string panel = "H = " + h + ": training " + percent_text(train);
    if (!std::isnan(runs[r].test_accuracy))
      panel += ", held-out " + percent_text(runs[r].test_accuracy);
    if (runs[r].history.diverged) panel = "H = " + h + ": diverged";
    vars.push_back({"title" + std::to_string(r + 1), panel});
  }
  vars.push_back({"held_out", accuracy.col(2).is_finite() ? "1" : "0"});
  return publish_tables("ch10_hidden", dir, name,
                        {{"data", name, header, grid},
                         {"points", name + "_points", {"x1", "x2", "label"}, points_table(data)},
                         {"accuracy", name + "_accuracy", {"hidden", "train", "test"}, accuracy}},
                        vars);
}

/// One run of the learning-rate sweep.
struct RateRun {
  double rate = 0.0;  ///< η
  History history;    ///< its training run
};

/**
 * @brief Figure 4: the loss over the epochs for each learning rate, on a log scale.
 *
 * Data ch10_rates.csv: epoch, then one column of loss per run, headed with the rate and, for a
 * run that diverged, the epoch where it stopped ("lr 10: diverged at epoch 2"). A run's column
 * is NaN (gnuplot draws nothing) after its last loss, or where a loss is not finite; the script
 * marks the last loss drawn of the first run that diverged with a label (variables mark_x,
 * mark_y, mark_text), and draws runaway_loss(K) as a dashed line (bound, bound_text).
 * @param dir    the figure's folder
 * @param runs   the runs, each with its rate
 * @param title  the figure's title
 * @return true when the PNG was drawn
 */
inline bool publish_rates(const std::filesystem::path& dir, const std::vector<RateRun>& runs,
                          const std::string& title) {
  require_shape(!runs.empty(), "publish_rates: no runs to draw");
  arma::uword rows = 0;
  for (const RateRun& run : runs) rows = std::max<arma::uword>(rows, run.history.loss.n_elem);
  arma::mat table(rows, runs.size() + 1);
  table.fill(std::numeric_limits<double>::quiet_NaN());
  table.col(0) = arma::regspace<arma::vec>(0, static_cast<double>(rows) - 1);
  std::vector<std::string> header = {"epoch"};
  // The runaway bound, drawn as a dashed line (the runs share one data set, so one K).
  const arma::uword K = std::max<arma::uword>(runs.front().history.classes, 2);
  std::vector<PlotVariable> vars = {
      {"title", title},
      {"bound", number_text(runaway_loss(K))},
      {"bound_text", "100 ln " + std::to_string(K) + ": diverged above"}};
  bool marked = false;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const History& history = runs[r].history;
    for (arma::uword e = 0; e < history.loss.n_elem; ++e)
      if (std::isfinite(history.loss(e))) table(e, r + 1) = history.loss(e);
    std::string name = "lr " + number_text(runs[r].rate);
    if (history.diverged) {
      name += ": diverged at epoch " + std::to_string(history.epochs_run);
      // The script marks the last loss drawn of the first run that diverged: the one above the
      // bound, or the last finite one before a loss or a step that was not.
      const arma::uword e = history.epochs_run;
      const bool bound_passed = std::isfinite(history.loss(e)) && !history.step_not_finite;
      if ((bound_passed || e > 0) && !marked) {
        marked = true;
        const arma::uword last = bound_passed ? e : e - 1;
        vars.push_back({"mark_x", std::to_string(last)});
        vars.push_back({"mark_y", number_text(history.loss(last))});
        std::ostringstream text;
        text << "lr " << runs[r].rate << ": loss " << std::setprecision(3) << history.loss(last);
        if (bound_passed)
          text << " at epoch " << e << ", above 100 ln " << K;
        else
          text << " after " << last << (last == 1 ? " epoch" : " epochs") << ", infinite after "
               << e;
        vars.push_back({"mark_text", text.str()});
      }
    }
    header.push_back(name);
  }
  return publish_tables("ch10_rates", dir, "ch10_rates", {{"data", "ch10_rates", header, table}},
                        vars);
}

}  // namespace bp
