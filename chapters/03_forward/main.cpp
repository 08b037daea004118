// ch03_forward: the post's network, initialised with the scale 1/sqrt(fan-in), and a batch
// pushed through equations (1)–(4): every shape of the Cache, and what the scale does to the
// hidden layer and to the first predictions.
#include <cmath>
#include <iomanip>
#include <iostream>

#include "03_forward/forward.hpp"
#include "common/program.hpp"
#include "common/shape.hpp"

namespace {

/// The sample standard deviation of all the entries of M.
double entry_stddev(const arma::mat& M) { return arma::stddev(arma::vectorise(M)); }

}  // namespace

int main(int argc, char** argv) {
  bp::Program program("ch03_forward",
                      "Chapter 03: initialise the post's network (W1 2×H, b1 1×H, W2 H×2, b2 1×2) "
                      "and push a toy batch through the forward pass, equations (1) to (4).");
  bp::ToyNetworkFlags toy;  // --hidden, --samples, --seed
  toy.add_to(program, 5);

  return program.run(argc, argv, [&] {
    const arma::uword H = toy.H();
    const arma::uword N = toy.N();
    const std::uint64_t seed = toy.seed;
    const double D = 2.0;
    bp::print_banner("Chapter 03: the forward pass",
                     "Equations (1)–(4) of the post for a batch X (N×2, one sample per row):\n"
                     "  Z1 = X W1 + 1 b1    A1 = tanh(Z1)    Z2 = A1 W2 + 1 b2    P = softmax(Z2)\n"
                     "The Cache keeps X and all four results: the backward pass reads them.");
    std::cout << std::setprecision(6);

    std::cout << "1. Initialisation (exercise 3.1), seed " << seed << "\n";
    const bp::Params params = bp::init_params(H, seed);
    std::cout << "  W1 " << bp::shape_of(params.W1) << "  b1 " << bp::shape_of(params.b1) << "  W2 "
              << bp::shape_of(params.W2) << "  b2 " << bp::shape_of(params.b2) << "  ("
              << params.W1.n_elem + params.b1.n_elem + params.W2.n_elem + params.b2.n_elem
              << " numbers)\n";
    std::cout << "  Entries of W1: standard deviation " << entry_stddev(params.W1)
              << ", asked for 1/sqrt(D) = 1/sqrt(2) = " << 1.0 / std::sqrt(D) << "\n";
    std::cout << "  Entries of W2: standard deviation " << entry_stddev(params.W2)
              << ", asked for 1/sqrt(H) = " << 1.0 / std::sqrt(static_cast<double>(H)) << "\n";
    std::cout << "  Biases: largest |b1| = " << arma::abs(params.b1).max()
              << ", largest |b2| = " << arma::abs(params.b2).max() << "\n\n";

    std::cout << "2. One sample, as in the post (exercise 3.2)\n";
    arma::mat X, Y;
    toy.draw_batch(X, Y);  // the batch of chapters 03 to 09 with the same flags
    const bp::Cache one = bp::forward(params, X.row(0));
    std::cout << "  x " << bp::shape_of(one.X) << " → z1 " << bp::shape_of(one.Z1) << " → a1 "
              << bp::shape_of(one.A1) << " → z2 " << bp::shape_of(one.Z2) << " → ŷ "
              << bp::shape_of(one.P) << "\n";
    bp::print_matrix("  x", one.X);
    bp::print_matrix("  z2", one.Z2);
    bp::print_matrix("  ŷ = softmax(z2)", one.P);

    std::cout << "\n3. A toy batch of N = " << N << " points from N(0, 1)², class 1 when x2 > x1\n"
              << "   (the labels wait for chapter 04; the forward pass reads only X)\n";
    const bp::Cache cache = bp::forward(params, X);
    std::cout << "  Cache:  X " << bp::shape_of(cache.X) << "   Z1 " << bp::shape_of(cache.Z1)
              << "   A1 " << bp::shape_of(cache.A1) << "   Z2 " << bp::shape_of(cache.Z2) << "   P "
              << bp::shape_of(cache.P) << "\n";
    const bool shapes_ok = cache.X.n_rows == N && cache.X.n_cols == 2 && cache.Z1.n_rows == N &&
                           cache.Z1.n_cols == H && cache.A1.n_rows == N && cache.A1.n_cols == H &&
                           cache.Z2.n_rows == N && cache.Z2.n_cols == 2 && cache.P.n_rows == N &&
                           cache.P.n_cols == 2;
    std::cout << "  Expected N×2, N×H, N×H, N×2, N×2: " << (shapes_ok ? "yes" : "NO") << "\n";
    const arma::mat row0 = cache.P.row(0);
    std::cout << "  Row 0 of P equals the single sample's ŷ: largest difference "
              << arma::abs(row0 - one.P).max() << "\n";
    std::cout << "  Rows of P sum to 1: largest |row sum − 1| = "
              << arma::abs(arma::sum(cache.P, 1) - 1.0).max() << "\n\n";

    std::cout << "4. What the scale 1/sqrt(fan-in) does\n";
    // Var(z) = fan-in · Var(w) · Var(x): column j of Z1 has variance w_1j² + w_2j² over the
    // batch, which is 2 · 1/2 = 1 on average over the hidden units.
    const arma::rowvec column_variances = arma::var(cache.Z1, 0, 0);
    std::cout << "  Z1: variance of a column over the batch, averaged over the " << H
              << " units: " << arma::mean(column_variances) << "\n"
              << "      (Var(z1) = D · Var(w) · Var(x) = 2 · 1/2 · 1 = 1)\n";
    const double saturated = static_cast<double>(arma::accu(arma::abs(cache.A1) > 0.99)) /
                             static_cast<double>(cache.A1.n_elem);
    const double mean_a1_squared = arma::mean(arma::vectorise(arma::square(cache.A1)));
    std::cout << "  A1: mean of a1² = " << mean_a1_squared
              << "; saturated, |a1| > 0.99: " << 100.0 * saturated << "% of the entries\n"
              << "      (tanh works in its sloped range: neither saturated nor linear)\n";
    std::cout << "  Z2: standard deviation of the logits " << entry_stddev(cache.Z2) << "\n"
              << "      On average over draws of W2, Var(z2) = H · 1/H · mean(a1²), a standard\n"
              << "      deviation of sqrt(mean(a1²)) = " << std::sqrt(mean_a1_squared)
              << " < 1. One draw strays further from it\n"
              << "      than Z1 does: the " << H
              << " hidden units all see the same two inputs and move together.\n";
    std::cout << "  P:  mean predicted probability of class 0 = " << arma::mean(cache.P.col(0))
              << ", of class 1 = " << arma::mean(cache.P.col(1)) << "\n"
              << "      About 1/2 each: the biases are zero, tanh is odd and the inputs are\n"
              << "      symmetric about 0, so each logit is as likely to be positive as negative;\n"
              << "      the untrained network prefers neither class. Single samples spread over\n"
              << "      [" << cache.P.col(1).min() << ", " << cache.P.col(1).max() << "].\n";

    bp::Params unscaled = params;
    unscaled.W2 *= std::sqrt(static_cast<double>(H));
    const bp::Cache loud = bp::forward(unscaled, X);
    const double confident =
        static_cast<double>(arma::accu(arma::max(loud.P, 1) > 0.99)) / static_cast<double>(N);
    std::cout << "  For contrast, W2 with standard deviation 1 instead of 1/sqrt(H): the logits\n"
              << "  have standard deviation " << entry_stddev(loud.Z2) << ", and "
              << 100.0 * confident
              << "% of the predictions give one class\n  more than 0.99 before any training.\n";
  });
}
