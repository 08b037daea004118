// ch10_training: the post's network (2 → H tanh → K softmax) trained by full-batch gradient
// descent on two moons (or circles, a spiral, or the learner's CSV file), with a progress line on
// a terminal, and the four figures of chapter 10: the loss curve, the decision boundary, the
// boundaries of seven hidden sizes, and the loss for several learning rates. --save FILE keeps
// the trained network (chapters/10_training/network_file.hpp); --load FILE uses it instead of
// training, and redraws its decision boundary.
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "03_forward/forward.hpp"
#include "10_training/figures.hpp"
#include "10_training/training.hpp"
#include "13_speed/speed.hpp"
#include "common/data.hpp"
#include "common/datasets.hpp"
#include "common/files.hpp"
#include "10_training/network_file.hpp"
#include "common/program.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"

namespace {

/// The hidden sizes of figure 3 and the learning rates of figure 4.
const std::vector<arma::uword> kHiddenSizes = {1, 2, 3, 5, 20, 50, 500};
const std::vector<double> kRates = {0.05, 0.2, 2.0, 10.0};
/// Epochs of each run of figure 4 (fewer if --epochs is smaller).
constexpr arma::uword kRateEpochs = 200;
/// Points of the held-out set drawn beside a generated training set.
constexpr arma::uword kHeldOut = 1000;

/// A line that shows training progress on a terminal, rewritten in place at most ten times a
/// second; silent when the output is a file or a pipe (tests, logs, the figures target).
class ProgressLine {
 public:
  explicit ProgressLine(std::string label)
      : label_(std::move(label)), on_(::isatty(STDOUT_FILENO) == 1) {}
  ~ProgressLine() { clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  /// Shows epoch e of `epochs` with what it measured.
  void show(arma::uword e, arma::uword epochs, const bp::EpochResult& r) {
    if (!on_) return;
    const auto now = std::chrono::steady_clock::now();
    if (e + 1 != epochs && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    std::ostringstream line;
    line << "  " << label_ << "epoch " << e + 1 << " of " << epochs << ": loss "
         << std::setprecision(5) << r.loss << ", accuracy " << bp::percent_text(r.accuracy);
    const std::string text = line.str();
    std::cout << '\r' << text << std::string(width_ > text.size() ? width_ - text.size() : 0, ' ')
              << std::flush;
    width_ = text.size();
  }

  /// Removes the line, so that the next output starts on a clean line.
  void clear() {
    if (!on_ || width_ == 0) return;
    std::cout << '\r' << std::string(width_, ' ') << '\r' << std::flush;
    width_ = 0;
  }

 private:
  std::string label_;
  bool on_;
  std::size_t width_ = 0;
  std::chrono::steady_clock::time_point last_{};
};

/// Trains `params` with a progress line labelled `label`.
bp::History train_with_progress(bp::Params& params, const bp::Dataset& data,
                                const bp::TrainSettings& settings, const std::string& label) {
  ProgressLine line(label);
  const arma::mat Y = bp::one_hot(data.labels, data.classes);
  return bp::train(params, data.X, Y, settings, [&](arma::uword e, const bp::EpochResult& r) {
    line.show(e, settings.epochs, r);
  });
}

/// Trains `params` as train_with_progress does, with chapter 13's fused workspace: the sweeps
/// train 10 more networks, and the workspace's epoch is about 8 times faster than the textbook's
/// (the same numbers to rounding; chapter 13's tests prove it).
bp::History train_fast_with_progress(bp::TrainingWorkspace& workspace, bp::Params& params,
                                     const bp::Dataset& data, const bp::TrainSettings& settings,
                                     const std::string& label) {
  ProgressLine line(label);
  const arma::mat Y = bp::one_hot(data.labels, data.classes);
  return bp::train(workspace, params, data.X, Y, settings,
                   [&](arma::uword e, const bp::EpochResult& r) { line.show(e, settings.epochs, r); });
}

/// The accuracy of `params` on `data`, NaN when the data set is empty (no held-out set).
double accuracy_on(const bp::Params& params, const bp::Dataset& data) {
  if (data.X.n_rows == 0) return std::nan("");
  return bp::accuracy(bp::classify(params, data.X), data.labels);
}

/// Checks that --save can write `path` (bp::checked_output: its folder takes new files, it is
/// not a folder, a device or a FIFO, its name is not too long), so that a mistake is reported
/// before the training rather than after it.
void check_save_target(const std::string& path) {
  try {
    bp::checked_output(path);
  } catch (const bp::InputError& failure) {
    throw bp::InputError(std::string("--save: ") + failure.what());
  }
}

/// Saves the network to --save's file, whole or not at all, and says where it went.
/// @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
void save_trained(const std::string& path, const bp::Params& params) {
  std::uint64_t bytes = 0;
  try {
    bytes = bp::save_network(path, params);
  } catch (const bp::InputError& failure) {
    throw bp::InputError(std::string("--save: ") + failure.what() +
                         " (a file already there is unchanged)");
  }
  std::cout << "Saved the network to " << path << " (" << bytes << " bytes: format "
            << bp::kNetworkFormat << " version " << bp::kNetworkFormatVersion << ", "
            << bp::shape_text(bp::shape_of_network(params))
            << ", with its CRC-32); --load " << path << " redraws its figure without training\n";
}

/// The network saved in --load's file, checked against the data (D inputs, K classes) and
/// against --hidden when it was given (`hidden` 0: not given).
/// @return W1 D×H, b1 1×H, W2 H×K, b2 1×K
bp::Params loaded_network(const std::string& path, arma::uword inputs, arma::uword classes,
                          arma::uword hidden) {
  bp::Params params;
  try {
    params = bp::load_network(path);
  } catch (const bp::InputError& failure) {
    throw bp::InputError(std::string("--load: ") + failure.what());
  }
  const bp::NetworkShape got = bp::shape_of_network(params);
  const bp::NetworkShape want{inputs, hidden == 0 ? got.hidden : hidden, classes};
  if (got.inputs != want.inputs || got.classes != want.classes)
    throw bp::InputError("--load: " + path + " holds a network of " + bp::shape_text(got) +
                         ", but the data needs " + bp::shape_text(want) +
                         " (D inputs, K classes): was it trained on other data?");
  if (got.hidden != want.hidden)
    throw bp::InputError("--load: " + path + " holds a network of " + bp::shape_text(got) +
                         ", but --hidden asks for " + bp::shape_text(want) +
                         ": leave --hidden out, or give " + std::to_string(got.hidden));
  return params;
}

/// "0.05" for a rate ten times smaller than `rate`, as a flag value.
std::string smaller_rate(double rate) { return bp::number_text(rate / 10.0); }

}  // namespace

int main(int argc, char** argv) {
  // Each epoch allocates and frees a few N×H matrices (800 kB for the post's network). By
  // default glibc hands such blocks back to the system when they are freed and takes them again
  // at the next epoch, a page fault per 4 kB: that doubled the time of a run. Keep them.
  ::mallopt(M_MMAP_THRESHOLD, 256 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 512 << 20);
  bp::Program program(
      "ch10_training",
      "Chapter 10: trains the post's network (2 -> H tanh -> K softmax) by full-batch gradient "
      "descent with an optional L2 penalty, on two moons, circles, a spiral or your own CSV file "
      "(x1,x2,label), and draws four figures: the loss curve, the decision boundary, the "
      "boundaries of hidden sizes 1 to 500, and the loss for several learning rates.");
  int hidden = 500;
  int samples = 200;
  double noise = 0.2;
  int epochs = 1000;
  double rate = 0.2;
  double lambda = 0.0;
  std::uint64_t seed = 1;
  std::string dataset = "moons";
  std::string data_file;
  std::string plots;
  bool no_plots = false;
  std::string save_file;
  std::string load_file;
  program.add_size("--hidden", hidden, 100000, "Hidden units H");
  program.add_size("--samples", samples, 100000,
                   "Training points N of a generated data set (2 or more: each class needs one)");
  program.add_real("--noise", noise, 0.0, 10.0,
                   "Standard deviation of the noise on each coordinate of a generated data set");
  program.add_size("--epochs", epochs, 1000000, "Full-batch gradient-descent steps");
  program.add_real("--lr", rate, 0.0, 1000.0, "Learning rate (step size) eta");
  program.add_real("--l2", lambda, 0.0, 100.0,
                   "L2 penalty lambda: the loss gains (lambda/2)(|W1|^2 + |W2|^2)");
  program.add_seed(seed);
  program.add_choice("--dataset", dataset, bp::dataset_kinds(), "The generated data set");
  program.add_text("--data", data_file,
                   "A CSV file of lines x1,x2,label to train on instead (labels 0, 1, ...)");
  program.add_text("--plots", plots, "Folder for the figures and their data (default: "
                                     "build/figures)");
  program.add_switch("--no-plots", no_plots, "Train and report only: no figures, no sweeps");
  program.add_text("--save", save_file,
                   "A file to save the trained network to (format bp-network, written whole or "
                   "not at all)");
  program.add_text("--load", load_file,
                   "A network saved with --save, used instead of training: evaluated on the "
                   "data, its decision boundary redrawn");

  // The training set's N rows, the 1000 held-out points and, with figures, the 200×200 grid of
  // the decision boundary each pass through an N×H layer; training keeps about six such matrices.
  program.set_memory_estimate(
      {"--hidden", "--samples", "--no-plots"}, "8 bytes × H·(6·N + 2000 + 40000 unless --no-plots) + 64 MB",
      [&] {
        const double rows = 6.0 * samples + 2000.0 + (no_plots ? 0.0 : 40000.0);
        return 8.0 * static_cast<double>(hidden) * rows + 64e6;
      });
  return program.run(argc, argv, [&] {
    bp::print_banner(
        "Chapter 10: training on two moons",
        "Full-batch gradient descent: every epoch runs the forward pass on all the points, the\n"
        "loss J = cross-entropy + (lambda/2)(|W1|^2 + |W2|^2), the backward pass of chapter 09,\n"
        "and the step theta <- theta - eta dJ/dtheta.");
    std::cout << std::setprecision(6);

    // 1. The data: a training set and, for a generated one, held-out points of the same
    // distribution (their own random stream).
    bp::Dataset train_set;
    bp::Dataset held_out;
    if (!data_file.empty()) {
      train_set = bp::load_csv(data_file);
      std::cout << "1. The data: " << train_set.name << " from --data (--dataset, --samples and "
                   "--noise do not apply)\n";
    } else {
      if (samples < 2)
        throw bp::InputError("--samples: '" + std::to_string(samples) +
                             "' is not allowed; use a whole number from 2 to 100000 (one "
                             "point per class at least)");
      bp::Rng data_rng(seed + 1);
      train_set = bp::make_dataset(dataset, static_cast<arma::uword>(samples), noise, data_rng);
      bp::Rng held_out_rng(seed + 2);
      held_out = bp::make_dataset(dataset, kHeldOut, noise, held_out_rng);
      std::cout << "1. The data: " << train_set.name << ", " << samples
                << " training points and " << kHeldOut
                << " held-out points of the same distribution\n";
    }
    const arma::mat Y = bp::one_hot(train_set.labels, train_set.classes);
    const arma::uword K = train_set.classes;
    std::cout << "  X " << bp::shape_of(train_set.X) << " (one point per row), Y "
              << bp::shape_of(Y) << " (one-hot, " << K << " classes)\n";

    // The figures' folder, checked before the training rather than after it.
    std::filesystem::path dir;
    if (!no_plots) dir = bp::output_dir(plots, bp::figure_files());
    if (!save_file.empty()) check_save_target(save_file);

    if (!load_file.empty()) {
      // 2. A saved network instead of a new one, and no training: its figure is redrawn.
      const bp::Params params =
          loaded_network(load_file, train_set.X.n_cols, K,
                         program.given("--hidden") ? static_cast<arma::uword>(hidden) : 0);
      const arma::uword H = params.W1.n_cols;
      std::cout << "\n2. The network: loaded from " << load_file << ": W1 "
                << bp::shape_of(params.W1) << ", b1 " << bp::shape_of(params.b1) << ", W2 "
                << bp::shape_of(params.W2) << ", b2 " << bp::shape_of(params.b2) << " ("
                << params.W1.n_elem + params.b1.n_elem + params.W2.n_elem + params.b2.n_elem
                << " numbers, checksum verified)\n"
                << "  No training: --epochs, --lr and --l2 do not apply. The data comes from the "
                   "flags as always: give the ones it was trained with to see the same points.\n";
      const double loss = bp::cross_entropy_from_logits(bp::forward(params, train_set.X).Z2, Y);
      const double held_out_accuracy = accuracy_on(params, held_out);
      std::cout << "\n3. The loaded network: loss " << loss << " (cross-entropy), accuracy "
                << bp::percent_text(accuracy_on(params, train_set)) << " on the training points";
      if (!std::isnan(held_out_accuracy))
        std::cout << ", " << bp::percent_text(held_out_accuracy) << " on the held-out points";
      std::cout << "\n";
      if (!save_file.empty()) save_trained(save_file, params);
      if (no_plots) {
        std::cout << "\nNo figures (--no-plots).\n";
        return;
      }
      std::cout << "\n4. Figure 2: the decision boundary (figures 1, 3 and 4 show training: they "
                   "are not drawn with --load)\n";
      bp::publish_decision_boundary(dir, params, train_set, bp::plot_box(train_set.X), 200,
                                    "Chapter 10: the class the network of " + load_file +
                                        " predicts (H = " + std::to_string(H) + "), and the " +
                                        train_set.name);
      return;
    }

    // 2. The network.
    const auto H = static_cast<arma::uword>(hidden);
    bp::Params params = bp::init_params(H, seed, 2, K);
    std::cout << "\n2. The network: W1 " << bp::shape_of(params.W1) << ", b1 "
              << bp::shape_of(params.b1) << ", W2 " << bp::shape_of(params.W2) << ", b2 "
              << bp::shape_of(params.b2) << " ("
              << params.W1.n_elem + params.b1.n_elem + params.W2.n_elem + params.b2.n_elem
              << " numbers), initialised with seed " << seed << "\n";

    // 3. Training.
    const bp::TrainSettings settings{static_cast<arma::uword>(epochs), rate, lambda};
    std::cout << "\n3. Training: " << epochs << " epochs of gradient descent, rate eta = " << rate
              << ", L2 lambda = " << lambda << (lambda == 0.0 ? " (no penalty)" : "") << "\n";
    const auto start = std::chrono::steady_clock::now();
    const bp::History history = train_with_progress(params, train_set, settings, "");
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "  Before training: loss " << history.loss(0) << " (ln " << K << " = "
              << std::log(static_cast<double>(K)) << " is a uniform guess), accuracy "
              << bp::percent_text(history.accuracy(0)) << "\n";

    if (history.diverged) {
      std::cout << "  Training stopped: " << bp::describe_run(history) << ".\n";
      if (!no_plots)
        bp::publish_loss_curve(dir, history, "Chapter 10: the loss until it diverged, rate " +
                                                 bp::number_text(rate));
      if (history.epochs_run == 0 && !history.step_not_finite)
        throw bp::InputError("training cannot start: for the untrained network " +
                             bp::divergence_cause(history) +
                             " (are the inputs very large? the largest |x| is " +
                             bp::number_text(arma::abs(train_set.X).max()) + ")");
      throw bp::InputError("--lr " + bp::number_text(rate) + ": training diverged at epoch " +
                           std::to_string(history.epochs_run) + " (" +
                           bp::divergence_cause(history) +
                           "); the rate is too large for this problem: try a smaller one, such "
                           "as --lr " + smaller_rate(rate));
    }
    const double final_accuracy = history.accuracy(history.epochs_run);
    const double held_out_accuracy = accuracy_on(params, held_out);
    std::cout << "  After " << epochs << " epochs: loss " << history.loss(history.epochs_run)
              << ", accuracy " << bp::percent_text(final_accuracy) << " on the training points";
    if (!std::isnan(held_out_accuracy))
      std::cout << ", " << bp::percent_text(held_out_accuracy) << " on the held-out points";
    std::cout << "\n  (" << std::setprecision(3) << seconds << " s, "
              << 1000.0 * seconds / std::max(1, epochs) << " ms per epoch)\n"
              << std::setprecision(6);

    if (!save_file.empty()) save_trained(save_file, params);

    if (no_plots) {
      std::cout << "\nNo figures and no sweeps (--no-plots).\n";
      return;
    }

    std::cout << "\n4. Figures 1 and 2: the loss curve and the decision boundary\n";
    const bp::PlotBox box = bp::plot_box(train_set.X);
    bp::publish_loss_curve(dir, history,
                           "Chapter 10: training on " + train_set.name + ", H = " +
                               std::to_string(H) + ", rate " + bp::number_text(rate) +
                               ", lambda " + bp::number_text(lambda));
    bp::publish_decision_boundary(dir, params, train_set, box, 200,
                                  "Chapter 10: the class the network predicts (H = " +
                                      std::to_string(H) + ", " + std::to_string(epochs) +
                                      " epochs), and the " + train_set.name);

    // Figure 3: the same training for each hidden size (the run above is reused for its own H:
    // same seed, same numbers).
    std::cout << "\n5. Hidden sizes: the same data, seed, epochs, rate and lambda for H = ";
    for (std::size_t i = 0; i < kHiddenSizes.size(); ++i)
      std::cout << (i ? ", " : "") << kHiddenSizes[i];
    std::cout << "\n";
    // The sweeps train with chapter 13's fused workspace (the main run above used your
    // train_epoch): the same numbers, faster.
    bp::TrainingWorkspace workspace;
    std::vector<bp::SizeRun> sizes;
    for (const arma::uword h : kHiddenSizes) {
      bp::SizeRun run;
      run.hidden = h;
      if (h == H) {
        run.params = params;
        run.history = history;
      } else {
        run.params = bp::init_params(h, seed, 2, K);
        run.history = train_fast_with_progress(workspace, run.params, train_set, settings,
                                               "H = " + std::to_string(h) + ": ");
      }
      run.test_accuracy = run.history.diverged ? std::nan("") : accuracy_on(run.params, held_out);
      std::cout << "  H = " << std::setw(3) << h << ": ";
      if (run.history.diverged) {
        std::cout << bp::describe_run(run.history) << "\n";
      } else {
        std::cout << "loss " << std::setw(9) << run.history.loss(run.history.epochs_run)
                  << ", accuracy " << bp::percent_text(run.history.accuracy(run.history.epochs_run))
                  << " training";
        if (!std::isnan(run.test_accuracy))
          std::cout << ", " << bp::percent_text(run.test_accuracy) << " held-out";
        std::cout << "\n";
      }
      sizes.push_back(std::move(run));
    }
    bp::publish_hidden_sizes(dir, sizes, train_set, box, 120,
                             "Chapter 10: decision boundaries for hidden sizes H = 1 to 500 (" +
                                 train_set.name + ", " + std::to_string(epochs) +
                                 " epochs, rate " + bp::number_text(rate) + ")");

    // Figure 4: the learning rates (a run at the main rate is the start of the run above).
    const arma::uword rate_epochs = std::min<arma::uword>(kRateEpochs, settings.epochs);
    std::cout << "\n6. Learning rates: " << rate_epochs << " epochs, H = " << H << ", rate ";
    for (std::size_t i = 0; i < kRates.size(); ++i) std::cout << (i ? ", " : "") << kRates[i];
    std::cout << "\n";
    std::vector<bp::RateRun> rates;
    for (const double r : kRates) {
      bp::RateRun run;
      run.rate = r;
      if (r == rate) {
        run.history.loss = history.loss.head(rate_epochs + 1);
        run.history.accuracy = history.accuracy.head(rate_epochs + 1);
        run.history.epochs_run = rate_epochs;
      } else {
        bp::Params p = bp::init_params(H, seed, 2, K);
        run.history = train_fast_with_progress(workspace, p, train_set, {rate_epochs, r, lambda},
                                               "rate " + bp::number_text(r) + ": ");
      }
      std::cout << "  rate " << std::setw(4) << r << ": " << bp::describe_run(run.history);
      if (run.history.diverged)
        std::cout << " (each step overshot further than the one before)";
      else if (arma::any(arma::diff(run.history.loss) > 0.0))
        std::cout << " (the loss rose in " << arma::accu(arma::diff(run.history.loss) > 0.0)
                  << " of " << run.history.epochs_run << " epochs)";
      std::cout << "\n";
      rates.push_back(std::move(run));
    }
    bp::publish_rates(dir, rates,
                      "Chapter 10: the loss for four learning rates (" + train_set.name +
                          ", H = " + std::to_string(H) + ")");
  });
}
