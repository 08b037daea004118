// ch08_hidden_layer: the backward pass through the hidden layer — dA1 = dZ2 W2ᵀ,
// dZ1 = dA1 ⊙ (1 − A1²), dW1 = Xᵀ dZ1, db1 = Σ_rows dZ1 (the post's equations 10, 11, 16, 17,
// corrected) — with every shape, the post's printed products (Armadillo refuses two of them),
// and each intermediate checked against central differences of the loss.
//
// The N×H intermediates have 100 000 entries at the defaults; a central difference of each would
// cost 200 000 forward passes. The check here takes random directions (one difference weighs
// every entry) and a few single entries. Its central differences are a small local helper, not
// chapter 05's numerical_gradient, so that the program checks chapter 08 even while chapter 05
// is unfinished; chapter 05's constants (step, floor, tolerance) are given, and used.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "03_forward/forward.hpp"
#include "04_loss/loss.hpp"
#include "05_finite_differences/finite_differences.hpp"
#include "07_output_layer/output_layer.hpp"
#include "08_hidden_layer/hidden_layer.hpp"
#include "common/program.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"

namespace {

using bp::pad;
using bp::sci;

/// Central differences of f at M, taken once: along `directions` random unit directions U
/// ((f(M + hU) − f(M − hU)) / 2h, which is ⟨∂f/∂M, U⟩) and at `entries` random single entries.
/// Any candidate gradient is then compared with the same numbers.
class Probe {
 public:
  Probe(const std::function<double(const arma::mat&)>& f, const arma::mat& M, int directions,
        int entries, std::uint64_t seed) {
    const double h = bp::kCentralStep;
    bp::Rng rng(seed);
    for (int d = 0; d < directions; ++d) {
      arma::mat U = bp::normal_matrix(M.n_rows, M.n_cols, 1.0, rng);
      U /= arma::norm(arma::vectorise(U));
      along_.push_back((f(M + h * U) - f(M - h * U)) / (2.0 * h));
      directions_.push_back(std::move(U));
    }
    arma::mat nudged = M;
    for (int e = 0; e < entries; ++e) {
      const arma::uword i = rng() % M.n_elem;
      nudged(i) = M(i) + h;
      const double up = f(nudged);
      nudged(i) = M(i) - h;
      const double down = f(nudged);
      nudged(i) = M(i);
      entries_.push_back(i);
      partial_.push_back((up - down) / (2.0 * h));
    }
  }

  /// The worst relative error of `analytic` over the directions and entries.
  double worst_error(const arma::mat& analytic) const {
    double worst = 0.0;
    for (std::size_t d = 0; d < directions_.size(); ++d)
      worst = std::max(worst, relative(arma::accu(analytic % directions_[d]), along_[d]));
    for (std::size_t e = 0; e < entries_.size(); ++e)
      worst = std::max(worst, relative(analytic(entries_[e]), partial_[e]));
    return worst;
  }

 private:
  static double relative(double a, double b) {
    return std::abs(a - b) / std::max(bp::kRelativeFloor, std::abs(a) + std::abs(b));
  }
  std::vector<arma::mat> directions_;
  std::vector<double> along_;
  std::vector<arma::uword> entries_;
  std::vector<double> partial_;
};

/// One line of a check: a candidate, what it is, its worst relative error and the verdict.
void verdict(const std::string& formula, const std::string& what, double error) {
  std::cout << "    " << pad(formula, 24) << pad(what, 30) << "worst relative error "
            << std::setw(8) << sci(error) << "   "
            << (error <= bp::kGradientTolerance ? "passes" : "FAILS") << "\n";
}

/// Runs `product` and prints Armadillo's size error, or the shape it gave.
void try_product(const std::string& label, const std::function<arma::mat()>& product) {
  try {
    const arma::mat result = product();
    std::cout << "  " << label << ": defined, " << bp::shape_of(result) << "\n";
  } catch (const std::logic_error& e) {
    std::cout << "  " << label << ": Armadillo says \"" << e.what() << "\"\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  bp::Program program(
      "ch08_hidden_layer",
      "Chapter 08: the backward pass through the hidden layer, dA1 = dZ2 W2ᵀ, dZ1 = dA1 ⊙ "
      "(1 - A1²), dW1 = Xᵀ dZ1 and db1 = sum of the rows of dZ1 (the post's equations 10, 11, 16 "
      "and 17, corrected), each checked against central differences of the loss.");
  bp::ToyNetworkFlags toy;  // --hidden, --samples, --seed
  toy.add_to(program, 26);

  return program.run(argc, argv, [&] {
    const arma::uword H = toy.H();
    const std::uint64_t seed = toy.seed;
    bp::print_banner(
        "Chapter 08: the hidden layer, backwards",
        "Equations (10), (11), (16), (17) of the post, corrected, for a batch:\n"
        "  dA1 = dZ2 W2ᵀ    dZ1 = dA1 ⊙ (1 - A1²)    dW1 = Xᵀ dZ1    db1 = sum of the rows of dZ1\n"
        "Each is checked against central differences of the loss along 6 random directions\n"
        "and at 6 single entries: step " +
            sci(bp::kCentralStep) + ", tolerance " + sci(bp::kGradientTolerance) + ", floor " +
            sci(bp::kRelativeFloor) + " (chapter 05).");
    std::cout << std::setprecision(6);

    const bp::Params params = bp::init_params(H, seed);
    arma::mat X, Y;
    toy.draw_batch(X, Y);  // the batch of chapters 03 to 09 with the same flags
    const bp::Cache cache = bp::forward(params, X);
    const arma::mat dZ2 = bp::output_delta(cache.P, Y);
    std::cout << "1. The forward pass (chapter 03) and dZ2 = (P - Y)/N (chapter 07), seed " << seed
              << "\n  X " << bp::shape_of(X) << "   W1 " << bp::shape_of(params.W1) << "   Z1, A1 "
              << bp::shape_of(cache.A1) << "   W2 " << bp::shape_of(params.W2) << "   dZ2 "
              << bp::shape_of(dZ2) << "   loss " << bp::cross_entropy_from_logits(cache.Z2, Y)
              << "\n\n";

    // The loss seen from each intermediate, the layers before it held at the forward pass.
    const auto loss_of_A1 = [&](const arma::mat& A1) {
      arma::mat Z2 = A1 * params.W2;
      Z2.each_row() += params.b2;
      return bp::cross_entropy_from_logits(Z2, Y);
    };
    const auto loss_of_Z1 = [&](const arma::mat& Z1) { return loss_of_A1(arma::tanh(Z1)); };
    const auto loss_of_W1 = [&](const arma::mat& W1) {
      bp::Params moved = params;
      moved.W1 = W1;
      return bp::cross_entropy_from_logits(bp::forward(moved, X).Z2, Y);
    };
    const auto loss_of_b1 = [&](const arma::mat& b1) {
      bp::Params moved = params;
      moved.b1 = b1;
      return bp::cross_entropy_from_logits(bp::forward(moved, X).Z2, Y);
    };

    // 2. dA1, equation (10).
    std::cout
        << "2. dA1 = dZ2 W2ᵀ, equation (10) (exercise 8.1)\n"
        << "  The post's (10) says dz2/d tanh(z1) = z2. But z2 = a1 W2 + b2 is linear in a1:\n"
        << "  its derivative is W2, whatever z2 is (here z2 is " << bp::shape_of(cache.Z2)
        << ", W2ᵀ is " << params.W2.n_cols << "×" << params.W2.n_rows << ").\n";
    const arma::mat dA1 = bp::input_gradient(dZ2, params.W2);
    std::cout << "  dZ2 " << bp::shape_of(dZ2) << " times W2ᵀ " << params.W2.n_cols << "×"
              << params.W2.n_rows << " is " << bp::shape_of(dA1) << ", the shape of A1.\n";
    const Probe probe_A1(loss_of_A1, cache.A1, 6, 6, seed + 10);
    std::cout << "  Against central differences of L(A1):\n";
    verdict("dZ2 W2ᵀ", "corrected (10)", probe_A1.worst_error(dA1));
    if (params.W2.n_rows == params.W2.n_cols) {
      verdict("dZ2 W2", "W2 where W2ᵀ belongs", probe_A1.worst_error(dZ2 * params.W2));
    } else {
      try_product("dZ2 W2, W2 where W2ᵀ belongs", [&] { return arma::mat(dZ2 * params.W2); });
    }
    std::cout << "\n";

    // 3. dZ1, equation (11).
    std::cout << "3. dZ1 = dA1 ⊙ (1 - A1²), equation (11) (exercise 8.2)\n"
              << "  The post's (11), tanh' = 1 - tanh², is right. Written with the cached output "
                 "A1, no\n  tanh is recomputed; ⊙ is entry by entry (Armadillo %), tanh acting on "
                 "each entry alone.\n";
    const arma::mat dZ1 = bp::tanh_backward(dA1, cache.A1);
    const arma::mat slope = 1.0 - arma::square(cache.A1);
    std::cout << "  dZ1 " << bp::shape_of(dZ1) << ". The factor 1 - A1² averages "
              << arma::mean(arma::vectorise(slope)) << " (1 at z = 0, 0 for a saturated unit).\n";
    const Probe probe_Z1(loss_of_Z1, cache.Z1, 6, 6, seed + 11);
    std::cout << "  Against central differences of L(Z1):\n";
    verdict("dA1 ⊙ (1 - A1²)", "corrected (11)", probe_Z1.worst_error(dZ1));
    verdict("dA1 ⊙ (1 - A1)", "1 - tanh for 1 - tanh²",
            probe_Z1.worst_error(dA1 % (1.0 - cache.A1)));
    verdict("dA1 ⊙ (1 - Z1²)", "the input for the output",
            probe_Z1.worst_error(dA1 % (1.0 - arma::square(cache.Z1))));
    std::cout << "\n";

    // 4. dW1, equation (16).
    std::cout << "4. dW1 = Xᵀ dZ1, equation (16)\n"
              << "  The post's (16) for one sample, x = row 0: xᵀ (1 - tanh² z1) (y - ŷ) W2ᵀ.\n";
    const arma::mat x = X.row(0), a1 = cache.A1.row(0), y = Y.row(0), y_hat = cache.P.row(0);
    try_product("xᵀ (1 - tanh² z1) (y - ŷ) W2ᵀ, as printed", [&] {
      return arma::mat(x.t() * (1.0 - arma::square(a1)) * (y - y_hat) * params.W2.t());
    });
    std::cout << "  The factors are 2×1, 1×" << H << ", 1×2, 2×" << H
              << ": between 1 - tanh² z1 and (y - ŷ) the inner sizes\n  differ (" << H
              << " and 1), so the chain is undefined however it is bracketed. Corrected:\n"
              << "  xᵀ [((ŷ - y) W2ᵀ) ⊙ (1 - a1²)], (2×1)(1×" << H << ") = 2×" << H
              << ", W1's shape.\n";
    const bp::HiddenGrads layer = bp::hidden_layer_backward(params, cache, dZ2);
    const arma::mat dW1 = layer.dW1;
    std::cout << "  For the batch, dW1 = Xᵀ dZ1: " << X.n_cols << "×" << X.n_rows << " times "
              << bp::shape_of(dZ1) << " is " << bp::shape_of(dW1)
              << " (exercise 8.3 computes it).\n";
    const Probe probe_W1(loss_of_W1, params.W1, 6, 6, seed + 12);
    std::cout << "  Against central differences of L(W1), the whole forward pass recomputed:\n";
    verdict("Xᵀ dZ1", "corrected (16)", probe_W1.worst_error(dW1));
    verdict("Xᵀ [dA1 ⊙ (1 - Z1²)]", "dW1 from Z1 instead of A1",
            probe_W1.worst_error(X.t() * (dA1 % (1.0 - arma::square(cache.Z1)))));
    std::cout << "    A1ᵀ dZ1, the output layer's input where X belongs, is " << cache.A1.n_cols
              << "×" << dZ1.n_cols << ", not W1's " << bp::shape_of(params.W1)
              << ":\n    a shape check catches it before any number.\n\n";

    // 5. db1, equation (17).
    std::cout << "5. db1 = sum of the rows of dZ1, equation (17)\n"
              << "  The post's (17) chains through dz1/dW1 where dz1/db1 = 1 belongs, and its "
                 "last line\n  repeats the product of (16) without xᵀ:\n";
    try_product("(1 - tanh² z1) (y - ŷ) W2ᵀ, as printed",
                [&] { return arma::mat((1.0 - arma::square(a1)) * (y - y_hat) * params.W2.t()); });
    const arma::rowvec db1 = layer.db1;
    std::cout << "  Corrected: db1 = 1ᵀ dZ1, " << bp::shape_of(db1) << ", b1's shape.\n";
    const Probe probe_b1(loss_of_b1, params.b1, 6, 6, seed + 13);
    std::cout << "  Against central differences of L(b1):\n";
    verdict("sum of rows of dZ1", "corrected (17)", probe_b1.worst_error(db1));
    verdict("dz1 of sample 0", "(17) of sample 0, not summed", probe_b1.worst_error(dZ1.row(0)));
    std::cout << "\n";

    // 6. The four together.
    std::cout << "6. hidden_layer_backward (exercise 8.3) chains the four: its dA1 and dZ1 equal "
                 "the ones\n  above (largest difference "
              << sci(std::max(arma::abs(layer.dA1 - dA1).max(), arma::abs(layer.dZ1 - dZ1).max()))
              << "). Chapter 09 puts chapters 07 and 08 together in\n  backward() and checks all "
              << params.W1.n_elem + params.b1.n_elem + params.W2.n_elem + params.b2.n_elem
              << " parameters, each on its own.\n";
  });
}
