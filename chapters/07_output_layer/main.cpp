// ch07_output_layer: the backward pass through the output layer — dZ2 = (P − Y)/N,
// dW2 = A1ᵀ dZ2, db2 = Σ_rows dZ2 (the post's equations 7, 14, 15, corrected) — with every
// shape, the post's printed formula next to the corrected one, and each gradient checked against
// central differences of the loss, entry by entry.
//
// The central differences here are a small local helper, not chapter 05's numerical_gradient:
// this program checks chapter 07's exercises, so it must run (and blame chapter 07) even while
// chapter 05 is unfinished or wrong. It does use chapter 05's constants (step, floor, tolerance),
// which are given, not exercises. Chapter 09 runs the full check with the learner's own checker.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>

#include "01_shapes/shapes.hpp"
#include "03_forward/forward.hpp"
#include "04_loss/loss.hpp"
#include "05_finite_differences/finite_differences.hpp"
#include "07_output_layer/output_layer.hpp"
#include "common/program.hpp"
#include "common/shape.hpp"

namespace {

using bp::pad;
using bp::sci;

/// ∂f/∂M by central differences, entry by entry: (f(M + h E_ij) − f(M − h E_ij)) / 2h.
arma::mat central_gradient(const std::function<double(const arma::mat&)>& f, const arma::mat& M) {
  const double h = bp::kCentralStep;
  arma::mat G(arma::size(M));
  arma::mat nudged = M;
  for (arma::uword i = 0; i < M.n_elem; ++i) {
    nudged(i) = M(i) + h;
    const double up = f(nudged);
    nudged(i) = M(i) - h;
    const double down = f(nudged);
    nudged(i) = M(i);
    G(i) = (up - down) / (2.0 * h);
  }
  return G;
}

/// The largest |a − g| / max(floor, |a| + |g|) over the entries: the course's relative error.
double worst_error(const arma::mat& analytic, const arma::mat& numerical) {
  double worst = 0.0;
  for (arma::uword i = 0; i < analytic.n_elem; ++i) {
    const double scale =
        std::max(bp::kRelativeFloor, std::abs(analytic(i)) + std::abs(numerical(i)));
    worst = std::max(worst, std::abs(analytic(i) - numerical(i)) / scale);
  }
  return worst;
}

/// One line of a check: a candidate, what it is, its worst relative error and the verdict.
void verdict(const std::string& formula, const std::string& what, double error) {
  std::cout << "    " << pad(formula, 22) << pad(what, 32) << "worst relative error "
            << std::setw(8) << sci(error) << "   "
            << (error <= bp::kGradientTolerance ? "passes" : "FAILS") << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  bp::Program program(
      "ch07_output_layer",
      "Chapter 07: the backward pass through the output layer, dZ2 = (P - Y)/N, dW2 = A1ᵀ dZ2 and "
      "db2 = sum of the rows of dZ2 (the post's equations 7, 14 and 15, corrected), each checked "
      "against central differences of the loss.");
  bp::ToyNetworkFlags toy;  // --hidden, --samples, --seed
  toy.add_to(program, 3);

  program.set_work_estimate({"--hidden", "--samples"}, "2.3 ns × 2·H²·N", [&] {
    const double H = toy.hidden;
    return 2.3e-9 * 2.0 * H * H * static_cast<double>(toy.samples);
  });
  return program.run(argc, argv, [&] {
    const arma::uword H = toy.H();
    const arma::uword N = toy.N();
    const std::uint64_t seed = toy.seed;
    bp::print_banner(
        "Chapter 07: the output layer, backwards",
        "Equations (7), (14), (15) of the post, corrected, for a batch (one sample per row) and\n"
        "the mean loss L = -(1/N) sum Y ln P of chapter 04:\n"
        "  dZ2 = (P - Y)/N      dW2 = A1ᵀ dZ2      db2 = sum of the rows of dZ2\n"
        "Each is checked against central differences of L: step " +
            sci(bp::kCentralStep) + ", tolerance " + sci(bp::kGradientTolerance) +
            " on the relative error,\nfloor " + sci(bp::kRelativeFloor) + " (chapter 05).");
    std::cout << std::setprecision(6);

    // The network and the batch of chapters 03 and 04 with the same flags.
    const bp::Params params = bp::init_params(H, seed);
    arma::mat X, Y;
    toy.draw_batch(X, Y);  // the batch of chapters 03 to 09 with the same flags
    const bp::Cache cache = bp::forward(params, X);
    const double loss = bp::cross_entropy_from_logits(cache.Z2, Y);
    std::cout << "1. The forward pass (chapters 03 and 04), seed " << seed << "\n"
              << "  A1 " << bp::shape_of(cache.A1) << "   W2 " << bp::shape_of(params.W2)
              << "   b2 " << bp::shape_of(params.b2) << "   Z2 and P " << bp::shape_of(cache.P)
              << "   Y " << bp::shape_of(Y) << "   loss L = " << loss << "\n\n";

    // 2. dZ2, equation (7).
    std::cout << "2. dZ2 = dL/dZ2, equation (7) (exercise 7.1)\n"
              << "  The post prints dLoss/dz2 = y - ŷ: the gradient of its (5) as printed, a\n"
              << "  log-likelihood to maximise. The loss to minimise is its negative, and a mean\n"
              << "  over N samples: dZ2 = (P - Y)/N. The 1/N enters here, once.\n";
    const arma::mat dZ2 = bp::output_delta(cache.P, Y);
    bp::print_matrix("  dZ2", dZ2);
    std::cout << "  Shape " << bp::shape_of(dZ2) << ", the shape of Z2. Every row sums to 0 "
              << "(largest |row sum| " << sci(arma::abs(arma::sum(dZ2, 1)).max()) << "):\n"
              << "  rows of P and of Y both sum to 1.\n";
    const auto loss_of_Z2 = [&](const arma::mat& Z2) {
      return bp::cross_entropy_from_logits(Z2, Y);
    };
    const arma::mat num_dZ2 = central_gradient(loss_of_Z2, cache.Z2);
    std::cout << "  Against central differences of L(Z2), all " << num_dZ2.n_elem << " entries:\n";
    verdict("(P - Y)/N", "corrected (7)", worst_error(dZ2, num_dZ2));
    verdict("(Y - P)/N", "the post's sign", worst_error(-dZ2, num_dZ2));
    verdict("P - Y", "without the 1/N", worst_error(cache.P - Y, num_dZ2));
    std::cout << "\n";

    // 3. dW2, equation (14).
    std::cout << "3. dW2 = A1ᵀ dZ2, equation (14) (exercise 7.2)\n";
    const arma::mat dW2 = bp::weight_gradient(cache.A1, dZ2);
    std::cout << "  A1ᵀ " << cache.A1.n_cols << "×" << cache.A1.n_rows << " times dZ2 "
              << bp::shape_of(dZ2) << " is " << bp::shape_of(dW2) << ", the shape of W2 "
              << bp::shape_of(params.W2) << ".\n"
              << "  The post's a1ᵀ(y - ŷ) is the same product for one sample (an outer product\n"
              << "  " << H
              << "×1 times 1×2), with the sign of its (7). Every sample used the same W2,\n"
              << "  so a batch adds the N single-sample products: that sum is A1ᵀ dZ2.\n";
    arma::mat sum_of_outer(arma::size(dW2), arma::fill::zeros);
    for (arma::uword n = 0; n < N; ++n) sum_of_outer += cache.A1.row(n).t() * dZ2.row(n);
    std::cout << "  Sum of the " << N << " outer products a1ᵀ dz2 minus A1ᵀ dZ2: largest entry "
              << sci(arma::abs(sum_of_outer - dW2).max()) << "\n";
    bp::print_matrix("  dW2", dW2, 3);
    const auto loss_of_W2 = [&](const arma::mat& W2) {
      return bp::cross_entropy_from_logits(bp::affine(cache.A1, W2, params.b2), Y);
    };
    const arma::mat num_dW2 = central_gradient(loss_of_W2, params.W2);
    std::cout << "  Against central differences of L(W2) (A1 does not depend on W2: kept), all "
              << num_dW2.n_elem << " entries:\n";
    verdict("A1ᵀ dZ2", "corrected (14)", worst_error(dW2, num_dW2));
    verdict("A1ᵀ (Y - P)/N", "the post's sign", worst_error(-dW2, num_dW2));
    verdict("a1ᵀ dz2", "(14) of sample 0, not summed",
            worst_error(cache.A1.row(0).t() * dZ2.row(0), num_dW2));
    verdict("Z1ᵀ dZ2", "pre-activation for A1", worst_error(cache.Z1.t() * dZ2, num_dW2));
    std::cout << "\n";

    // 4. db2, equation (15).
    std::cout << "4. db2 = sum of the rows of dZ2, equation (15) (exercise 7.3)\n";
    const arma::rowvec db2 = bp::bias_gradient(dZ2);
    std::cout << "  b2 is added to every row of Z2, so each of the N rows of dZ2 reaches it:\n"
              << "  db2 = 1ᵀ dZ2, shape " << bp::shape_of(db2) << ", the shape of b2; its entries "
              << "sum to 0, as every row of dZ2 does.\n";
    bp::print_matrix("  db2", db2);
    const auto loss_of_b2 = [&](const arma::mat& b2) {
      return bp::cross_entropy_from_logits(bp::affine(cache.A1, params.W2, b2), Y);
    };
    const arma::mat num_db2 = central_gradient(loss_of_b2, params.b2);
    std::cout << "  Against central differences of L(b2), both entries:\n";
    verdict("sum of rows of dZ2", "corrected (15)", worst_error(db2, num_db2));
    verdict("(Y - P)/N, summed", "the post's sign", worst_error(-db2, num_db2));
    verdict("dz2", "(15) of sample 0, not summed", worst_error(dZ2.row(0), num_db2));
    verdict("mean of rows of dZ2", "the 1/N taken twice", worst_error(arma::mean(dZ2, 0), num_db2));
    std::cout << "\nThe gradients of the output layer are right. Chapter 08 sends dZ2 on, through "
                 "W2 and tanh,\nto the hidden layer's W1 and b1.\n";
  });
}
