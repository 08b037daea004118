// ch09_backprop: the whole backward pass, backward(), and the full gradient check of every one
// of the network's parameters — 2·500 + 500 + 500·2 + 2 = 2502 for the post's — with the worst
// relative error per parameter block, the time it took, and what a failing check looks like on
// two planted bugs.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>

#include "03_forward/forward.hpp"
#include "04_loss/loss.hpp"
#include "05_finite_differences/finite_differences.hpp"
#include "07_output_layer/output_layer.hpp"
#include "08_hidden_layer/hidden_layer.hpp"
#include "09_backprop/backprop.hpp"
#include "common/program.hpp"
#include "common/shape.hpp"

namespace {

using bp::pad;
using bp::sci;

using bp::Clock;
using bp::seconds_since;

/// The table of a check: one line per block, its size, its worst relative error, the verdict.
void print_check(const bp::GradientCheck& check, const bp::Params& params) {
  const auto line = [](const std::string& block, arma::uword entries, double error) {
    std::cout << "    " << std::left << std::setw(4) << block << std::right << std::setw(8)
              << entries << std::setw(12) << sci(error) << "   "
              << (error <= bp::kGradientTolerance ? "passes" : "FAILS") << "\n";
  };
  std::cout << "    block  entries  worst error\n";
  line("W1", params.W1.n_elem, check.W1);
  line("b1", params.b1.n_elem, check.b1);
  line("W2", params.W2.n_elem, check.W2);
  line("b2", params.b2.n_elem, check.b2);
}

/// A planted bug: the post's sign of (7), dZ2 = (Y − P)/N; the rest of the chain is right.
bp::Grads backward_with_the_posts_sign(const bp::Params& params, const bp::Cache& cache,
                                       const arma::mat& Y) {
  const arma::mat dZ2 = -bp::output_delta(cache.P, Y);
  bp::Grads g;
  g.dW2 = bp::weight_gradient(cache.A1, dZ2);
  g.db2 = bp::bias_gradient(dZ2);
  const bp::HiddenGrads hidden = bp::hidden_layer_backward(params, cache, dZ2);
  g.dW1 = hidden.dW1;
  g.db1 = hidden.db1;
  return g;
}

/// A planted bug: 1 − tanh for 1 − tanh² in the hidden layer; the rest of the chain is right.
bp::Grads backward_with_one_minus_tanh(const bp::Params& params, const bp::Cache& cache,
                                       const arma::mat& Y) {
  bp::Grads g = bp::backward(params, cache, Y);
  const arma::mat dA1 = bp::input_gradient(bp::output_delta(cache.P, Y), params.W2);
  const arma::mat dZ1 = dA1 % (1.0 - cache.A1);
  g.dW1 = bp::weight_gradient(cache.X, dZ1);
  g.db1 = bp::bias_gradient(dZ1);
  return g;
}

}  // namespace

int main(int argc, char** argv) {
  bp::Program program(
      "ch09_backprop",
      "Chapter 09: backward() — all four gradients of the post's network by the chain rule — "
      "and the full gradient check of every parameter against central differences of the loss, "
      "with the worst relative error per block, the time taken, and two planted bugs.");
  bp::ToyNetworkFlags toy;  // --hidden, --samples, --seed
  toy.add_to(program, 7);

  program.set_work_estimate({"--hidden", "--samples"}, "1.3 ns × 10·H²·N", [&] {
    const double H = toy.hidden;
    return 1.3e-9 * 10.0 * H * H * static_cast<double>(toy.samples);
  });
  return program.run(argc, argv, [&] {
    const arma::uword H = toy.H();
    const arma::uword N = toy.N();
    const std::uint64_t seed = toy.seed;
    bp::print_banner(
        "Chapter 09: backprop, and the full gradient check",
        "backward() chains chapter 07 (dZ2, dW2, db2) and chapter 08 (dA1, dZ1, dW1, db1).\n"
        "gradient_check() compares every gradient it returns with a central difference of the\n"
        "loss: step " +
            sci(bp::kCentralStep) + ", relative error with floor " + sci(bp::kRelativeFloor) +
            ", tolerance " + sci(bp::kGradientTolerance) + " (chapter 05).");
    std::cout << std::setprecision(6);

    const bp::Params params = bp::init_params(H, seed);
    arma::mat X, Y;
    toy.draw_batch(X, Y);  // the batch of chapters 03 to 09 with the same flags
    const arma::uword count =
        params.W1.n_elem + params.b1.n_elem + params.W2.n_elem + params.b2.n_elem;
    // The cost of one forward pass: the fastest of three (the first also pays for warming up).
    bp::Cache cache;
    double forward_seconds = 0.0;
    for (int run = 0; run < 3; ++run) {
      const Clock::time_point start = Clock::now();
      cache = bp::forward(params, X);
      const double took = seconds_since(start);
      forward_seconds = run == 0 ? took : std::min(forward_seconds, took);
    }
    std::cout << "1. The network and the batch, seed " << seed << ": H = " << H << ", N = " << N
              << ", loss " << bp::cross_entropy_from_logits(cache.Z2, Y) << "\n"
              << "  Parameters: W1 " << bp::shape_of(params.W1) << " + b1 "
              << bp::shape_of(params.b1) << " + W2 " << bp::shape_of(params.W2) << " + b2 "
              << bp::shape_of(params.b2) << " = " << params.W1.n_elem << " + " << params.b1.n_elem
              << " + " << params.W2.n_elem << " + " << params.b2.n_elem << " = " << count
              << " numbers.\n\n";

    std::cout << "2. backward() (exercise 9.1)\n";
    Clock::time_point start = Clock::now();
    const bp::Grads grads = bp::backward(params, cache, Y);
    const double backward_seconds = seconds_since(start);
    std::cout << "  dW1 " << bp::shape_of(grads.dW1) << "   db1 " << bp::shape_of(grads.db1)
              << "   dW2 " << bp::shape_of(grads.dW2) << "   db2 " << bp::shape_of(grads.db2)
              << ": each the shape of its parameter.\n";
    bp::print_matrix("  db2", grads.db2);
    std::cout << "  All " << count << " gradients in " << sci(backward_seconds)
              << " s (one forward pass: " << sci(forward_seconds) << " s).\n\n";

    std::cout << "3. The full check (exercise 9.2): every one of the " << count
              << " gradients against\n  (L(θ + h e_i) - L(θ - h e_i)) / 2h, " << 2 * count
              << " evaluations of the loss\n";
    start = Clock::now();
    const bp::GradientCheck check =
        bp::gradient_check(bp::backward, params, X, Y, bp::kCentralStep, bp::kRelativeFloor);
    const double check_seconds = seconds_since(start);
    print_check(check, params);
    std::cout << "  "
              << (check.worst() <= bp::kGradientTolerance ? "Every block passes" : "A block FAILS")
              << ": worst relative error " << sci(check.worst()) << ", tolerance "
              << sci(bp::kGradientTolerance) << ".\n"
              << "  Time: " << std::fixed << std::setprecision(2) << check_seconds << " s. "
              << "Rerunning the whole forward pass (" << sci(forward_seconds)
              << " s) for each of the\n  " << 2 * count << " evaluations would take about "
              << std::setprecision(0) << 2.0 * static_cast<double>(count) * forward_seconds
              << " s: the check recomputes only what each nudge changes.\n\n"
              << std::defaultfloat << std::setprecision(6);

    std::cout << "4. What a failing check looks like: two planted bugs, through the same check\n";
    std::cout << "  a) The post's sign of (7): dZ2 = (Y - P)/N. Every gradient is the negative of "
                 "the right one,\n     so every block is off by a relative error of exactly 1:\n";
    print_check(bp::gradient_check(backward_with_the_posts_sign, params, X, Y, bp::kCentralStep,
                                   bp::kRelativeFloor),
                params);
    std::cout << "  b) 1 - tanh for 1 - tanh² in the hidden layer: dZ1 = dA1 ⊙ (1 - A1). Only "
                 "layer 1's\n     gradients are wrong, and only their blocks fail: the check "
                 "points at the layer.\n";
    print_check(bp::gradient_check(backward_with_one_minus_tanh, params, X, Y, bp::kCentralStep,
                                   bp::kRelativeFloor),
                params);
  });
}
