// ch13_speed: where the time of a training epoch goes. Times each line of the textbook epoch
// (chapters 03, 04, 07, 08, 10), then the epoch made faster step by step: a vectorised tanh in
// the textbook code, then the fused workspace with each tanh kernel this processor has. Checks that
// the fast gradients are the textbook's. Prints medians over --repeats runs; the numbers depend
// on the machine and on what else runs on it (bench/ has the careful measurements).
#include <algorithm>
#include <chrono>
#include <cstdint>
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
#include "10_training/training.hpp"
#include "13_speed/speed.hpp"
#include "common/data.hpp"
#include "common/program.hpp"
#include "common/random.hpp"

namespace {

using Clock = std::chrono::steady_clock;

/// The most numbers an N×H matrix may hold: the textbook epoch keeps about six of them, so
/// 2·10⁷ (160 MB each) bounds it near 1 GB.
constexpr double kMaxMatrixNumbers = 2e7;

/// The median of `repeats` timings of `run`, in seconds.
double median_seconds(int repeats, const std::function<void()>& run) {
  std::vector<double> t;
  for (int i = 0; i < repeats; ++i) {
    const Clock::time_point start = Clock::now();
    run();
    t.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::nth_element(t.begin(), t.begin() + static_cast<long>(t.size() / 2), t.end());
  return t[t.size() / 2];
}

/// Milliseconds with two decimals, right-aligned in 9 columns.
std::string ms(double seconds) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(2) << std::setw(9) << seconds * 1e3 << " ms";
  return out.str();
}

/// A ratio with one decimal, as "3.4×".
std::string times(double ratio) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << ratio << "×";
  return out.str();
}

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
      {"(14) dW2 = A1ᵀ dZ2, (15) db2", [&] {
         g.dW2 = bp::weight_gradient(c.A1, dZ2);
         g.db2 = bp::bias_gradient(dZ2);
       }},
      {"(10) dA1 = dZ2 W2ᵀ", [&] { dA1 = bp::input_gradient(dZ2, p.W2); }},
      {"(11) dZ1 = dA1 ⊙ (1 − A1²)", [&] { dZ1 = bp::tanh_backward(dA1, c.A1); }},
      {"(16) dW1 = Xᵀ dZ1, (17) db1", [&] {
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
      runs[i].push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    }
  std::vector<Step> steps;
  double total = 0.0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::nth_element(runs[i].begin(), runs[i].begin() + repeats / 2, runs[i].end());
    steps.push_back({lines[i].first, runs[i][static_cast<std::size_t>(repeats / 2)]});
    total += steps.back().seconds;
  }
  std::cout << "The textbook epoch, line by line (median of " << repeats << " runs):\n";
  for (const Step& s : steps)
    std::cout << "  " << bp::pad(s.name, 32) << ms(s.seconds) << "  " << std::setw(3)
              << static_cast<int>(100.0 * s.seconds / total + 0.5) << " %\n";
  std::cout << "  " << bp::pad("total", 32) << ms(total) << "  (loss " << loss << ")\n\n";
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
  program.add_size("--hidden", hidden, 100000, "Hidden units H");
  program.add_size("--samples", samples, 100000, "Samples N in the batch");
  program.add_size("--repeats", repeats, 1000, "Runs of each timing (the median is printed)");
  program.add_seed(seed);
  program.set_memory_estimate({"--hidden", "--samples"}, "8 bytes × 8·N·H + 64 MB", [&] {
    return 8.0 * 8 * static_cast<double>(samples) * static_cast<double>(hidden) + 64e6;
  });
  return program.run(argc, argv, [&] {
    const arma::uword H = static_cast<arma::uword>(hidden);
    const arma::uword N = static_cast<arma::uword>(samples);
    if (static_cast<double>(N) * static_cast<double>(H) > kMaxMatrixNumbers)
      throw bp::InputError("--samples " + std::to_string(N) + " with --hidden " +
                           std::to_string(H) + " makes N×H matrices of " +
                           std::to_string(N * H) +
                           " numbers; at most 20000000 (the textbook epoch keeps six of them)");
    bp::print_banner("Chapter 13 — where the time goes",
                     "one epoch of the post's network, N = " + std::to_string(N) + ", H = " +
                         std::to_string(H) + ", one thread, double precision");
    bp::Rng rng(seed);
    arma::mat X, Y;
    bp::toy_batch(N, rng, X, Y);
    const bp::Params start = bp::init_params(H, seed);

    profile_textbook(start, X, Y, repeats);

    // The epoch, faster step by step; each variant starts from the same parameters.
    const double rate = 1e-3;
    bp::Params p = start;
    const double textbook = median_seconds(repeats, [&] { bp::train_epoch(p, X, Y, rate, 0.0); });
    p = start;
    const double sleef_textbook = median_seconds(repeats, [&] {
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
              << ms(sleef_textbook) << "  "
              << times(textbook / sleef_textbook) << " faster\n";
    for (bp::TanhKernel kernel : bp::available_tanh_kernels()) {
      bp::TrainingWorkspace workspace(kernel);
      p = start;
      workspace.train_epoch(p, X, Y, rate, 0.0);  // sizes the buffers
      const double fused =
          median_seconds(repeats, [&] { workspace.train_epoch(p, X, Y, rate, 0.0); });
      std::cout << "  " << bp::pad("fused workspace, " + bp::kernel_name(kernel), 46) << ms(fused)
                << "  " << times(textbook / fused) << " faster\n";
    }

    // The fast gradients against the textbook's, at the starting parameters.
    bp::TrainingWorkspace workspace;
    const bp::EpochResult fast = workspace.loss_and_gradients(start, X, Y);
    const bp::Cache cache = bp::forward(start, X);
    const bp::Grads g = bp::backward(start, cache, Y);
    const double loss = bp::cross_entropy_from_logits(cache.Z2, Y);
    const double worst = std::max({max_relative(workspace.grads().dW1, g.dW1),
                                   max_relative(workspace.grads().db1, g.db1),
                                   max_relative(workspace.grads().dW2, g.dW2),
                                   max_relative(workspace.grads().db2, g.db2)});
    std::cout << "\nThe fused workspace (" << bp::kernel_name(bp::best_tanh_kernel())
              << ") against the textbook: loss " << fast.loss << " vs " << loss
              << ", largest gradient difference " << bp::sci(worst)
              << " of the gradient's largest entry (the tests ask for 1e-12).\n";
    std::cout << "The comparison with numpy: ./course bench (bench/README.md).\n";
  });
}
