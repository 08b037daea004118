// ch13_speed: where the time of a training epoch goes. Times each line of the textbook epoch
// (chapters 03, 04, 07, 08, 10), then the epoch made faster step by step: a vectorised tanh in
// the textbook code, then the fused workspace with each tanh kernel this processor has. Checks that
// the fast gradients are the textbook's. Prints medians over --repeats runs; the numbers depend
// on the machine and on what else runs on it (bench/ has the careful measurements). Last, the
// payoff: chapter 10's hidden-size sweep trained again with the workspace, timed against the
// textbook epoch, and its figure redrawn (ch13_hidden.png).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "01_shapes/shapes.hpp"
#include "02_activations/activations.hpp"
#include "03_forward/forward.hpp"
#include "04_loss/loss.hpp"
#include "07_output_layer/output_layer.hpp"
#include "08_hidden_layer/hidden_layer.hpp"
#include "09_backprop/backprop.hpp"
#include "10_training/figures.hpp"
#include "10_training/sweeps.hpp"
#include "10_training/training.hpp"
#include "13_speed/speed.hpp"
#include "common/data.hpp"
#include "common/datasets.hpp"
#include "common/files.hpp"
#include "common/print.hpp"
#include "common/program.hpp"
#include "common/random.hpp"

namespace {

using bp::Clock;

/// The most numbers an N×H matrix may hold: the textbook epoch keeps about six of them, so
/// 2·10⁷ (160 MB each) bounds it near 1 GB.
constexpr double kMaxMatrixNumbers = 2e7;

/// Milliseconds with two decimals, right-aligned in 9 columns.
std::string ms(double seconds) {
  std::ostringstream out;
  out << std::setw(9) << bp::fixed_text(seconds * 1e3, 2) << " ms";
  return out.str();
}

/// A ratio with one decimal, as "3.4×".
std::string times(double ratio) { return bp::fixed_text(ratio, 1) + "×"; }

/// The largest |a − b| relative to the largest |b|: how far a is from b, as a whole.
/// a and b: any shape, the same for both.
double max_relative(const arma::mat& a, const arma::mat& b) {
  return arma::abs(a - b).max() / std::max(arma::abs(b).max(), 1e-300);
}

/// The textbook epoch, one line at a time, each line timed.
/// start: W1 2×H, b1 1×H, W2 H×2, b2 1×2; X: N×2; Y: N×2 one-hot.
void profile_textbook(const bp::Params& start, const arma::mat& X, const arma::mat& Y,
                      int repeats) {
  struct Step {
    std::string name;
    double seconds;
  };
  bp::Params p = start;
  bp::Cache c;
  arma::mat dZ2, dA1, dZ1;
  bp::Grads g;
  double loss = 0.0;
  // Each line reads what the lines before it wrote; every run repeats the whole sequence.
  const std::vector<std::pair<std::string, std::function<void()>>> lines = {
      {"(1)  Z1 = X W1 + 1 b1", [&] { c.Z1 = bp::affine(X, p.W1, p.b1); }},
      {"(2)  A1 = tanh(Z1)", [&] { c.A1 = bp::tanh_activation(c.Z1); }},
      {"(3)  Z2 = A1 W2 + 1 b2", [&] { c.Z2 = bp::affine(c.A1, p.W2, p.b2); }},
      {"(4)  P = softmax(Z2)", [&] { c.P = bp::softmax(c.Z2); }},
      {"(5)  L from the logits", [&] { loss = bp::cross_entropy_from_logits(c.Z2, Y); }},
      {"(7)  dZ2 = (P − Y)/N", [&] { dZ2 = bp::output_delta(c.P, Y); }},
      {"(14) dW2 = A1ᵀ dZ2, (15) db2",
       [&] {
         g.dW2 = bp::weight_gradient(c.A1, dZ2);
         g.db2 = bp::bias_gradient(dZ2);
       }},
      {"(10) dA1 = dZ2 W2ᵀ", [&] { dA1 = bp::input_gradient(dZ2, p.W2); }},
      {"(11) dZ1 = dA1 ⊙ (1 − A1²)", [&] { dZ1 = bp::tanh_backward(dA1, c.A1); }},
      {"(16) dW1 = Xᵀ dZ1, (17) db1",
       [&] {
         g.dW1 = bp::weight_gradient(X, dZ1);
         g.db1 = bp::bias_gradient(dZ1);
       }},
      {"step θ ← θ − η g", [&] { bp::gradient_step(p, g, 1e-3); }},
  };
  std::vector<std::vector<double>> runs(lines.size());
  for (int r = 0; r < repeats; ++r)
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const Clock::time_point t0 = Clock::now();
      lines[i].second();
      runs[i].push_back(bp::seconds_since(t0));
    }
  std::vector<Step> steps;
  double total = 0.0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    steps.push_back({lines[i].first, bp::median(runs[i])});
    total += steps.back().seconds;
  }
  std::cout << "The textbook epoch, line by line (median of " << repeats << " runs):\n";
  for (const Step& s : steps)
    std::cout << "  " << bp::pad(s.name, 32) << ms(s.seconds) << "  " << std::setw(3)
              << static_cast<int>(100.0 * s.seconds / total + 0.5) << " %\n";
  std::cout << "  " << bp::pad("total", 32) << ms(total) << "  (loss " << loss << ")\n\n";
}

/// The whole epoch, faster step by step: the textbook's, with a vectorised tanh, and fused in
/// the workspace with each tanh kernel this processor has; each starts from the same network.
/// start: W1 2×H, b1 1×H, W2 H×2, b2 1×2; X: N×2; Y: N×2 one-hot.
void time_epochs(const bp::Params& start, const arma::mat& X, const arma::mat& Y, int repeats) {
  const double rate = 1e-3;
  bp::Params p = start;
  const double textbook = bp::median_seconds(repeats, [&] { bp::train_epoch(p, X, Y, rate, 0.0); });
  p = start;
  const double sleef_textbook = bp::median_seconds(repeats, [&] {
    // The textbook epoch with (2) vectorised: the same lines, one function swapped.
    bp::Cache c;
    c.X = X;
    c.Z1 = bp::affine(X, p.W1, p.b1);
    c.A1 = bp::vector_tanh(c.Z1);
    c.Z2 = bp::affine(c.A1, p.W2, p.b2);
    c.P = bp::softmax(c.Z2);
    bp::gradient_step(p, bp::backward(p, c, Y), rate);
  });
  std::cout << "The whole epoch (forward, loss, backward, step), median of " << repeats
            << " runs:\n";
  std::cout << "  " << bp::pad("textbook (arma::tanh, N×H temporaries)", 46) << ms(textbook)
            << "\n";
  std::cout << "  "
            << bp::pad("textbook with " + bp::kernel_name(bp::best_tanh_kernel()) + "'s tanh", 46)
            << ms(sleef_textbook) << "  " << times(textbook / sleef_textbook) << " faster\n";
  for (bp::TanhKernel kernel : bp::available_tanh_kernels()) {
    bp::TrainingWorkspace workspace(kernel);
    p = start;
    workspace.train_epoch(p, X, Y, rate, 0.0);  // sizes the buffers
    const double fused =
        bp::median_seconds(repeats, [&] { workspace.train_epoch(p, X, Y, rate, 0.0); });
    std::cout << "  " << bp::pad("fused workspace, " + bp::kernel_name(kernel), 46) << ms(fused)
              << "  " << times(textbook / fused) << " faster\n";
  }
}

/// The fast gradients against the textbook's, at the starting parameters.
/// start: W1 2×H, b1 1×H, W2 H×2, b2 1×2; X: N×2; Y: N×2 one-hot.
void compare_gradients(const bp::Params& start, const arma::mat& X, const arma::mat& Y) {
  bp::TrainingWorkspace workspace;
  const bp::EpochResult fast = workspace.loss_and_gradients(start, X, Y);
  const bp::Cache cache = bp::forward(start, X);
  const bp::Grads g = bp::backward(start, cache, Y);
  const double loss = bp::cross_entropy_from_logits(cache.Z2, Y);
  const double worst = std::max(
      {max_relative(workspace.grads().dW1, g.dW1), max_relative(workspace.grads().db1, g.db1),
       max_relative(workspace.grads().dW2, g.dW2), max_relative(workspace.grads().db2, g.db2)});
  std::cout << "\nThe fused workspace (" << bp::kernel_name(bp::best_tanh_kernel())
            << ") against the textbook: loss " << fast.loss << " vs " << loss
            << ", largest gradient difference " << bp::sci(worst)
            << " of the gradient's largest entry (the tests ask for 1e-12).\n";
}

/// The payoff: chapter 10's figure 3, the seven networks of its hidden-size sweep with chapter
/// 10's defaults, trained with the textbook epoch (bp::train) and with the workspace (the same
/// bp::train_loop, another epoch), each timed; the figure drawn from the workspace's networks.
void redraw_hidden_sizes(const std::filesystem::path& dir) {
  // Chapter 10's defaults: two moons, noise 0.2, 200 training points from seed 1 + 1 and 1000
  // held-out points from seed 1 + 2; 1000 epochs at rate 0.2, no penalty; networks from seed 1.
  const std::uint64_t seed = 1;
  const bp::TrainSettings settings{1000, 0.2, 0.0};
  bp::Rng train_rng(seed + 1);
  bp::Rng held_out_rng(seed + 2);
  const bp::Dataset train = bp::make_dataset("moons", 200, 0.2, train_rng);
  const bp::Dataset held_out = bp::make_dataset("moons", 1000, 0.2, held_out_rng);
  const arma::mat Y = bp::one_hot(train.labels, train.classes);
  std::cout << "\nChapter 10's figure 3 again: " << bp::kSweepHiddenSizes.size()
            << " networks, H = 1 to 500, " << settings.epochs << " epochs each on "
            << train.X.n_rows << " points of " << train.name << ":\n";

  Clock::time_point start = Clock::now();
  const std::vector<bp::SizeRun> textbook =
      bp::train_hidden_sizes(bp::kSweepHiddenSizes, train, held_out, seed,
                             [&](bp::Params& p) { return bp::train(p, train.X, Y, settings); });
  const double textbook_seconds = bp::seconds_since(start);
  bp::TrainingWorkspace workspace;
  start = Clock::now();
  const std::vector<bp::SizeRun> fast = bp::train_hidden_sizes(
      bp::kSweepHiddenSizes, train, held_out, seed,
      [&](bp::Params& p) { return bp::train(workspace, p, train.X, Y, settings); });
  const double fast_seconds = bp::seconds_since(start);

  // The final losses of the two, as chapter 10 prints them (6 digits), and their largest
  // relative difference.
  double worst = 0.0;
  for (std::size_t i = 0; i < fast.size(); ++i) {
    const double a = fast[i].history.loss(fast[i].history.loss.n_elem - 1);
    const double b = textbook[i].history.loss(textbook[i].history.loss.n_elem - 1);
    worst = std::max(worst, std::abs(a - b) / std::max(std::abs(b), 1e-300));
  }
  std::cout << "  " << bp::pad("textbook epoch (bp::train of chapter 10)", 46)
            << bp::seconds_text(textbook_seconds) << "\n"
            << "  " << bp::pad("fused workspace, " + bp::kernel_name(bp::best_tanh_kernel()), 46)
            << bp::seconds_text(fast_seconds) << "  " << times(textbook_seconds / fast_seconds)
            << " faster\n"
            << "  The final losses agree to " << bp::sci(worst)
            << " (relative): chapter 10's sweep lines, to the last digit shown.\n";
  bp::publish_hidden_sizes(dir, fast, train, bp::plot_box(train.X), 120,
                           "Chapter 13: chapter 10's hidden sizes H = 1 to 500 again, trained "
                           "with the fused workspace (" +
                               train.name + ", " + std::to_string(settings.epochs) +
                               " epochs, rate " + bp::number_text(settings.rate) + ")",
                           "ch13_hidden");
}

}  // namespace

int main(int argc, char** argv) {
  bp::Program program("ch13_speed",
                      "Where the time of a training epoch goes: each line of the textbook epoch "
                      "timed, then the same epoch with a vectorised tanh (SLEEF, glibc) and fused "
                      "into one pass over blocks of rows, and a check that the fast gradients are "
                      "the textbook's.");
  int hidden = 500;
  int samples = 1000;
  int repeats = 7;
  std::uint64_t seed = 13;
  std::string plots;
  program.add_size("--hidden", hidden, 100000, "Hidden units H");
  program.add_size("--samples", samples, 100000, "Samples N in the batch");
  program.add_size("--repeats", repeats, 1000, "Runs of each timing (the median is printed)");
  program.add_seed(seed);
  program.add_text("--plots", plots,
                   "Folder for the figure of chapter 10's sweep, redrawn, and its data (default: "
                   "build/figures)");
  program.set_memory_estimate({"--hidden", "--samples"}, "8 bytes × 8·N·H + 64 MB", [&] {
    return 8.0 * 8 * static_cast<double>(samples) * static_cast<double>(hidden) + 64e6;
  });
  return program.run(argc, argv, [&] {
    const arma::uword H = static_cast<arma::uword>(hidden);
    const arma::uword N = static_cast<arma::uword>(samples);
    if (static_cast<double>(N) * static_cast<double>(H) > kMaxMatrixNumbers)
      throw bp::InputError("--samples " + std::to_string(N) + " with --hidden " +
                           std::to_string(H) + " makes N×H matrices of " + std::to_string(N * H) +
                           " numbers; at most 20000000 (the textbook epoch keeps six of them)");
    // The figure's folder, checked before the work rather than after it.
    const std::filesystem::path dir = bp::output_dir(plots, bp::hidden_sizes_files("ch13_hidden"));
    bp::print_banner("Chapter 13 — where the time goes",
                     "one epoch of the post's network, N = " + std::to_string(N) +
                         ", H = " + std::to_string(H) + ", one thread, double precision");
    bp::Rng rng(seed);
    arma::mat X, Y;
    bp::toy_batch(N, rng, X, Y);
    const bp::Params start = bp::init_params(H, seed);

    profile_textbook(start, X, Y, repeats);
    time_epochs(start, X, Y, repeats);
    compare_gradients(start, X, Y);
    redraw_hidden_sizes(dir);
    std::cout << "The comparison with numpy: ./course bench (bench/README.md).\n";
  });
}
