// ch10_training: the post's network (2 → H tanh → K softmax) trained by full-batch gradient
// descent on two moons (or circles, a spiral, or the learner's CSV file), with a progress line on
// a terminal, and the four figures of chapter 10: the loss curve, the decision boundary, the
// boundaries of seven hidden sizes, and the loss for several learning rates. Every network is
// trained with this chapter's train_epoch. --save FILE keeps the trained network
// (chapters/10_training/network_file.hpp); --load FILE uses it instead of training, and redraws
// its decision boundary.
#include <malloc.h>

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "03_forward/forward.hpp"
#include "10_training/figures.hpp"
#include "10_training/network_file.hpp"
#include "10_training/progress.hpp"
#include "10_training/sweeps.hpp"
#include "10_training/training.hpp"
#include "common/data.hpp"
#include "common/datasets.hpp"
#include "common/files.hpp"
#include "common/print.hpp"
#include "common/program.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"

namespace {

namespace fs = std::filesystem;

/// The learning rates of figure 4 (the hidden sizes of figure 3 are bp::kSweepHiddenSizes).
const std::vector<double> kRates = {0.05, 0.2, 2.0, 10.0};
/// Epochs of each run of figure 4 (fewer if --epochs is smaller).
constexpr arma::uword kRateEpochs = 200;
/// Points of the held-out set drawn beside a generated training set.
constexpr arma::uword kHeldOut = 1000;

/// The program's flags, with their defaults.
struct Flags {
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

  /// The training settings the flags ask for.
  bp::TrainSettings settings() const { return {static_cast<arma::uword>(epochs), rate, lambda}; }
};

/// Declares every flag, and the memory estimate they give.
void add_flags(bp::Program& program, Flags& f) {
  program.add_size("--hidden", f.hidden, 100000, "Hidden units H");
  program.add_size("--samples", f.samples, 100000,
                   "Training points N of a generated data set (2 or more: each class needs one)");
  program.add_real("--noise", f.noise, 0.0, 10.0,
                   "Standard deviation of the noise on each coordinate of a generated data set");
  program.add_size("--epochs", f.epochs, 1000000, "Full-batch gradient-descent steps");
  program.add_real("--lr", f.rate, 0.0, 1000.0, "Learning rate (step size) eta");
  program.add_real("--l2", f.lambda, 0.0, 100.0,
                   "L2 penalty lambda: the loss gains (lambda/2)(|W1|^2 + |W2|^2)");
  program.add_seed(f.seed);
  program.add_choice("--dataset", f.dataset, bp::dataset_kinds(), "The generated data set");
  program.add_text("--data", f.data_file,
                   "A CSV file of lines x1,x2,label to train on instead (labels 0, 1, ...)");
  program.add_text("--plots", f.plots,
                   "Folder for the figures and their data (default: "
                   "build/figures)");
  program.add_switch("--no-plots", f.no_plots, "Train and report only: no figures, no sweeps");
  program.add_text("--save", f.save_file,
                   "A file to save the trained network to (format bp-network, written whole or "
                   "not at all)");
  program.add_text("--load", f.load_file,
                   "A network saved with --save, used instead of training: evaluated on the "
                   "data, its decision boundary redrawn");
  // The training set's N rows, the 1000 held-out points and, with figures, the 200×200 grid of
  // the decision boundary each pass through an N×H layer; training keeps about six such matrices.
  program.set_memory_estimate({"--hidden", "--samples", "--no-plots"},
                              "8 bytes × H·(6·N + 2000 + 40000 unless --no-plots) + 64 MB", [&f] {
                                const double rows =
                                    6.0 * f.samples + 2000.0 + (f.no_plots ? 0.0 : 40000.0);
                                return 8.0 * static_cast<double>(f.hidden) * rows + 64e6;
                              });
}

/// "W1 2×500, b1 1×500, W2 500×2, b2 1×2 (2502 numbers".
std::string network_shapes(const bp::Params& p) {
  return "W1 " + bp::shape_of(p.W1) + ", b1 " + bp::shape_of(p.b1) + ", W2 " + bp::shape_of(p.W2) +
         ", b2 " + bp::shape_of(p.b2) + " (" +
         std::to_string(p.W1.n_elem + p.b1.n_elem + p.W2.n_elem + p.b2.n_elem) + " numbers";
}

/// "96.5% on the training points, 96.4% on the held-out points" (without the second part when
/// there are no held-out points).
std::string accuracies_text(double training, double held_out) {
  std::string text = bp::percent_text(training) + " on the training points";
  if (!std::isnan(held_out)) text += ", " + bp::percent_text(held_out) + " on the held-out points";
  return text;
}

// ---------------------------------------------------------------------------------------------
// --save and --load.

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
            << bp::shape_text(bp::shape_of_network(params)) << ", with its CRC-32); --load " << path
            << " redraws its figure without training\n";
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

// ---------------------------------------------------------------------------------------------
// The sections of the program, in the order it prints them.

/// The training set and, for a generated one, held-out points of the same distribution.
struct Data {
  bp::Dataset train;     ///< the N training points
  bp::Dataset held_out;  ///< empty for a CSV file
  arma::mat Y;           ///< N×K  the training set's one-hot labels
};

/// 1. The data: --data's file, or a generated data set and its held-out points (each from its
/// own random stream).
Data read_data(const Flags& f) {
  Data data;
  if (!f.data_file.empty()) {
    data.train = bp::load_csv(f.data_file);
    std::cout << "1. The data: " << data.train.name
              << " from --data (--dataset, --samples and "
                 "--noise do not apply)\n";
  } else {
    if (f.samples < 2)
      throw bp::InputError("--samples: '" + std::to_string(f.samples) +
                           "' is not allowed; use a whole number from 2 to 100000 (one "
                           "point per class at least)");
    bp::Rng data_rng(f.seed + 1);
    data.train =
        bp::make_dataset(f.dataset, static_cast<arma::uword>(f.samples), f.noise, data_rng);
    bp::Rng held_out_rng(f.seed + 2);
    data.held_out = bp::make_dataset(f.dataset, kHeldOut, f.noise, held_out_rng);
    std::cout << "1. The data: " << data.train.name << ", " << f.samples << " training points and "
              << kHeldOut << " held-out points of the same distribution\n";
  }
  data.Y = bp::one_hot(data.train.labels, data.train.classes);
  std::cout << "  X " << bp::shape_of(data.train.X) << " (one point per row), Y "
            << bp::shape_of(data.Y) << " (one-hot, " << data.train.classes << " classes)\n";
  return data;
}

/// 2–4 with --load: the saved network instead of a new one, evaluated on the data without
/// training, and its figure 2 redrawn.
void show_loaded(const Flags& f, bool hidden_given, const Data& data, const fs::path& dir) {
  const bp::Params params = loaded_network(f.load_file, data.train.X.n_cols, data.train.classes,
                                           hidden_given ? static_cast<arma::uword>(f.hidden) : 0);
  const arma::uword H = params.W1.n_cols;
  std::cout << "\n2. The network: loaded from " << f.load_file << ": " << network_shapes(params)
            << ", checksum verified)\n"
            << "  No training: --epochs, --lr and --l2 do not apply. The data comes from the "
               "flags as always: give the ones it was trained with to see the same points.\n";
  const double loss = bp::cross_entropy_from_logits(bp::forward(params, data.train.X).Z2, data.Y);
  std::cout << "\n3. The loaded network: loss " << loss << " (cross-entropy), accuracy "
            << accuracies_text(bp::accuracy_on(params, data.train),
                               bp::accuracy_on(params, data.held_out))
            << "\n";
  if (!f.save_file.empty()) save_trained(f.save_file, params);
  if (f.no_plots) {
    std::cout << "\nNo figures (--no-plots).\n";
    return;
  }
  std::cout << "\n4. Figure 2: the decision boundary (figures 1, 3 and 4 show training: they "
               "are not drawn with --load)\n";
  bp::publish_decision_boundary(dir, params, data.train, bp::plot_box(data.train.X), 200,
                                "Chapter 10: the class the network of " + f.load_file +
                                    " predicts (H = " + std::to_string(H) + "), and the " +
                                    data.train.name);
}

/// 2. The network: initialised with --seed (chapter 03's init_params).
bp::Params new_network(const Flags& f, arma::uword classes) {
  const bp::Params params = bp::init_params(static_cast<arma::uword>(f.hidden), f.seed, 2, classes);
  std::cout << "\n2. The network: " << network_shapes(params) << "), initialised with seed "
            << f.seed << "\n";
  return params;
}

/// 3. Training: the main run, with this chapter's train_epoch. A run that diverged draws its
/// loss curve up to there and ends the program with one line (bp::InputError).
bp::History train_network(const Flags& f, const Data& data, const fs::path& dir,
                          bp::Params& params) {
  std::cout << "\n3. Training: " << f.epochs << " epochs of gradient descent, rate eta = " << f.rate
            << ", L2 lambda = " << f.lambda << (f.lambda == 0.0 ? " (no penalty)" : "") << "\n";
  const bp::Clock::time_point start = bp::Clock::now();
  const bp::History history = bp::train_with_progress(params, data.train, f.settings(), "");
  const double seconds = bp::seconds_since(start);
  const arma::uword K = data.train.classes;
  std::cout << "  Before training: loss " << history.loss(0) << " (ln " << K << " = "
            << std::log(static_cast<double>(K)) << " is a uniform guess), accuracy "
            << bp::percent_text(history.accuracy(0)) << "\n";

  if (history.diverged) {
    std::cout << "  Training stopped: " << bp::describe_run(history) << ".\n";
    if (!f.no_plots)
      bp::publish_loss_curve(
          dir, history, "Chapter 10: the loss until it diverged, rate " + bp::number_text(f.rate));
    if (history.epochs_run == 0 && !history.step_not_finite)
      throw bp::InputError("training cannot start: for the untrained network " +
                           bp::divergence_cause(history) +
                           " (are the inputs very large? the largest |x| is " +
                           bp::number_text(arma::abs(data.train.X).max()) + ")");
    throw bp::InputError("--lr " + bp::number_text(f.rate) + ": training diverged at epoch " +
                         std::to_string(history.epochs_run) + " (" + bp::divergence_cause(history) +
                         "); the rate is too large for this problem: try a smaller one, such "
                         "as --lr " +
                         bp::number_text(f.rate / 10.0));
  }
  std::cout << "  After " << f.epochs << " epochs: loss " << history.loss(history.epochs_run)
            << ", accuracy "
            << accuracies_text(history.accuracy(history.epochs_run),
                               bp::accuracy_on(params, data.held_out))
            << "\n  (" << std::setprecision(3) << seconds << " s, "
            << 1000.0 * seconds / std::max(1, f.epochs) << " ms per epoch)\n"
            << std::setprecision(6);
  return history;
}

/// 4. Figures 1 and 2: the loss curve and the decision boundary of the main run.
void draw_main_run(const Flags& f, const Data& data, const fs::path& dir, const bp::Params& params,
                   const bp::History& history) {
  const std::string H = std::to_string(f.hidden);
  std::cout << "\n4. Figures 1 and 2: the loss curve and the decision boundary\n";
  bp::publish_loss_curve(dir, history,
                         "Chapter 10: training on " + data.train.name + ", H = " + H + ", rate " +
                             bp::number_text(f.rate) + ", lambda " + bp::number_text(f.lambda));
  bp::publish_decision_boundary(dir, params, data.train, bp::plot_box(data.train.X), 200,
                                "Chapter 10: the class the network predicts (H = " + H + ", " +
                                    std::to_string(f.epochs) + " epochs), and the " +
                                    data.train.name);
}

/// 5. Figure 3: the same training for each hidden size, with this chapter's train_epoch (the
/// main run is reused for its own H: same seed, same numbers). Chapter 13 draws the same figure
/// with its fused workspace, and times both.
void sweep_hidden_sizes(const Flags& f, const Data& data, const fs::path& dir,
                        const bp::Params& params, const bp::History& history) {
  std::cout << "\n5. Hidden sizes: the same data, seed, epochs, rate and lambda for H = ";
  for (std::size_t i = 0; i < bp::kSweepHiddenSizes.size(); ++i)
    std::cout << (i ? ", " : "") << bp::kSweepHiddenSizes[i];
  std::cout << "\n";
  const bp::SizeRun main_run{static_cast<arma::uword>(f.hidden), params, history,
                             bp::accuracy_on(params, data.held_out)};
  const std::vector<bp::SizeRun> sizes = bp::train_hidden_sizes(
      bp::kSweepHiddenSizes, data.train, data.held_out, f.seed,
      [&](bp::Params& p) {
        return bp::train_with_progress(p, data.train, f.settings(),
                                       "H = " + std::to_string(p.W1.n_cols) + ": ");
      },
      &main_run);
  for (const bp::SizeRun& run : sizes) {
    std::cout << "  H = " << std::setw(3) << run.hidden << ": ";
    if (run.history.diverged) {
      std::cout << bp::describe_run(run.history) << "\n";
      continue;
    }
    std::cout << "loss " << std::setw(9) << run.history.loss(run.history.epochs_run)
              << ", accuracy " << bp::percent_text(run.history.accuracy(run.history.epochs_run))
              << " training";
    if (!std::isnan(run.test_accuracy))
      std::cout << ", " << bp::percent_text(run.test_accuracy) << " held-out";
    std::cout << "\n";
  }
  bp::publish_hidden_sizes(dir, sizes, data.train, bp::plot_box(data.train.X), 120,
                           "Chapter 10: decision boundaries for hidden sizes H = 1 to 500 (" +
                               data.train.name + ", " + std::to_string(f.epochs) +
                               " epochs, rate " + bp::number_text(f.rate) + ")");
}

/// 6. Figure 4: the learning rates, with this chapter's train_epoch (a run at the main rate is
/// the start of the main run).
void sweep_rates(const Flags& f, const Data& data, const fs::path& dir,
                 const bp::History& history) {
  const bp::TrainSettings settings = f.settings();
  const arma::uword rate_epochs = std::min<arma::uword>(kRateEpochs, settings.epochs);
  std::cout << "\n6. Learning rates: " << rate_epochs << " epochs, H = " << f.hidden << ", rate ";
  for (std::size_t i = 0; i < kRates.size(); ++i) std::cout << (i ? ", " : "") << kRates[i];
  std::cout << "\n";
  std::vector<bp::RateRun> rates;
  for (const double r : kRates) {
    bp::RateRun run;
    run.rate = r;
    if (r == f.rate) {
      run.history.loss = history.loss.head(rate_epochs + 1);
      run.history.accuracy = history.accuracy.head(rate_epochs + 1);
      run.history.epochs_run = rate_epochs;
    } else {
      bp::Params p =
          bp::init_params(static_cast<arma::uword>(f.hidden), f.seed, 2, data.train.classes);
      run.history = bp::train_with_progress(p, data.train, {rate_epochs, r, f.lambda},
                                            "rate " + bp::number_text(r) + ": ");
    }
    std::cout << "  rate " << std::setw(4) << r << ": " << bp::describe_run(run.history);
    if (run.history.diverged)
      std::cout << " (each step overshot further than the one before)";
    else if (arma::any(arma::diff(run.history.loss) > 0.0))
      std::cout << " (the loss rose in " << arma::accu(arma::diff(run.history.loss) > 0.0) << " of "
                << run.history.epochs_run << " epochs)";
    std::cout << "\n";
    rates.push_back(std::move(run));
  }
  bp::publish_rates(dir, rates,
                    "Chapter 10: the loss for four learning rates (" + data.train.name +
                        ", H = " + std::to_string(f.hidden) + ")");
}

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
  Flags f;
  add_flags(program, f);
  return program.run(argc, argv, [&] {
    bp::print_banner(
        "Chapter 10: training on two moons",
        "Full-batch gradient descent: every epoch runs the forward pass on all the points, the\n"
        "loss J = cross-entropy + (lambda/2)(|W1|^2 + |W2|^2), the backward pass of chapter 09,\n"
        "and the step theta <- theta - eta dJ/dtheta.");
    std::cout << std::setprecision(6);
    const Data data = read_data(f);
    // The figures' folder and --save's file, checked before the training rather than after it.
    const fs::path dir = f.no_plots ? fs::path() : bp::output_dir(f.plots, bp::figure_files());
    if (!f.save_file.empty()) check_save_target(f.save_file);
    if (!f.load_file.empty()) {
      show_loaded(f, program.given("--hidden"), data, dir);
      return;
    }

    bp::Params params = new_network(f, data.train.classes);
    const bp::History history = train_network(f, data, dir, params);
    if (!f.save_file.empty()) save_trained(f.save_file, params);
    if (f.no_plots) {
      std::cout << "\nNo figures and no sweeps (--no-plots).\n";
      return;
    }
    draw_main_run(f, data, dir, params, history);
    sweep_hidden_sizes(f, data, dir, params, history);
    sweep_rates(f, data, dir, history);
  });
}
