// ch02_activations: the activations of the post, tanh (equation 2) and softmax (equation 4),
// and the sigmoid; the checks that make softmax safe to use: rows sum to 1, a shift changes
// nothing, and logits of ±1000 give finite probabilities where the unshifted formula gives NaN.
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <string>

#include "02_activations/activations.hpp"
#include "common/program.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"

namespace {

const char* yes_no(bool holds) { return holds ? "yes" : "NO"; }

/// Softmax without the shift, as equation (4) reads: e^Z divided by its row sums. For
/// contrast only: it overflows (inf/inf) or underflows (0/0) beyond about ±709.
arma::mat naive_softmax(const arma::mat& Z) {
  arma::mat E = arma::exp(Z);
  E.each_col() /= arma::sum(E, 1);
  return E;
}

}  // namespace

int main(int argc, char** argv) {
  bp::Program program("ch02_activations",
                      "Chapter 02: tanh (equation 2), softmax row by row (equation 4) and the "
                      "sigmoid, on a worked example, on random logits and on logits of ±1000.");
  int samples = 4;
  int classes = 2;
  double scale = 3.0;
  std::uint64_t seed = 1;
  program.add_size("--samples", samples, 100000, "Rows N of the random logits");
  program.add_size("--classes", classes, 1000, "Classes K, the columns of the random logits");
  program.add_real("--scale", scale, 0.0, 1e6, "Standard deviation of the random logits; try 1000");
  program.add_seed(seed);

  program.set_memory_estimate({"--samples", "--classes"}, "8 bytes × 5·N·K + 64 MB", [&] {
    return 8.0 * 5 * static_cast<double>(samples) * static_cast<double>(classes) + 64e6;
  });
  return program.run(argc, argv, [&] {
    const auto N = static_cast<arma::uword>(samples);
    const auto K = static_cast<arma::uword>(classes);
    bp::print_banner(
        "Chapter 02: activations, tanh and softmax",
        "Equation (2) of the post: a1 = tanh(z1), entry by entry.\n"
        "Equation (4): ŷ = softmax(z2), row by row:\n"
        "  P_nk = e^(Z_nk − m_n) / Σ_j e^(Z_nj − m_n), with m_n the largest logit of row n.\n"
        "And the sigmoid σ(s) = 1/(1 + e^−s) that the post's equations (5) and (6) use.");
    std::cout << std::setprecision(6);

    std::cout << "1. tanh, entry by entry (exercise 2.1)\n";
    const arma::mat z = {{-1000.0, -3.0, -1.0, 0.0, 0.5, 1.0, 3.0, 1000.0}};
    const arma::mat a = bp::tanh_activation(z);
    const arma::mat a_of_minus = bp::tanh_activation(-z);
    std::cout << "  " << std::setw(10) << "z" << std::setw(14) << "tanh(z)" << std::setw(14)
              << "std::tanh(z)\n";
    double largest = 0.0;
    for (arma::uword j = 0; j < z.n_cols; ++j) {
      std::cout << "  " << std::setw(10) << z(0, j) << std::setw(14) << a(0, j) << std::setw(14)
                << std::tanh(z(0, j)) << "\n";
      largest = std::max(largest, std::abs(a(0, j) - std::tanh(z(0, j))));
    }
    std::cout << "  equals std::tanh: largest difference " << largest << "\n"
              << "  odd, tanh(−z) = −tanh(z): "
              << yes_no(arma::approx_equal(a_of_minus, -a, "absdiff", 0.0))
              << ";  bounded, |tanh(z)| ≤ 1 and finite at ±1000: "
              << yes_no(a.is_finite() && arma::abs(a).max() <= 1.0) << "\n\n";

    std::cout << "2. softmax, row by row (exercise 2.2)\n";
    const arma::mat z2 = {{1.7, 3.6}};
    const arma::mat p = bp::softmax(z2);
    std::cout << "  A worked example: z2 = (1.7, 3.6) gives ŷ = (" << p(0, 0) << ", " << p(0, 1)
              << ").\n  By hand: 1/(1 + e^1.9) = 0.130108 and 1/(1 + e^−1.9) = 0.869892; agrees: "
              << yes_no(std::abs(p(0, 0) - 0.130108) < 5e-7 && std::abs(p(0, 1) - 0.869892) < 5e-7)
              << "\n";

    bp::Rng rng(seed);
    const arma::mat Z = bp::normal_matrix(N, K, scale, rng);
    std::cout << "\n  A batch of N = " << N << " rows of K = " << K
              << " random logits, standard deviation " << scale << ":\n";
    bp::print_matrix("  Z", Z);
    const arma::mat P = bp::softmax(Z);
    bp::print_matrix("  P = softmax(Z)", P);
    std::cout << "  P has the shape of Z: " << bp::shape_of(P)
              << "; entries in [0, 1]: " << yes_no(P.min() >= 0.0 && P.max() <= 1.0) << "\n";
    std::cout << "  Every row sums to 1: largest |row sum − 1| = "
              << arma::abs(arma::sum(P, 1) - 1.0).max() << "\n";
    arma::mat shifted = Z;  // row n shifted by 100 n
    shifted.each_col() += 100.0 * arma::regspace<arma::vec>(1.0, static_cast<double>(N));
    std::cout << "  Adding 100·n to every logit of row n changes P by at most "
              << arma::abs(bp::softmax(shifted) - P).max()
              << "\n  (e^c cancels between numerator and denominator; only rounding is left)\n";
    if (naive_softmax(Z).has_nan())
      std::cout << "  Without the shift, e^Z / (row sums of e^Z) gives NaN on these logits:\n"
                   "  some lie beyond ±709, where e^z overflows to inf, or a whole row\n"
                   "  underflows to 0.\n";
    else
      std::cout << "  Without the shift, e^Z / (row sums of e^Z) is still finite on these\n"
                   "  logits: none lies beyond ±709, where e^z overflows. Try --scale 1000.\n";

    const arma::mat Zx = {{1000.0, -1000.0}, {1000.0, 1000.0}, {-1000.0, -1000.0}, {1000.0, 999.0}};
    const double e = std::exp(1.0);
    const arma::mat limits = {{1.0, 0.0}, {0.5, 0.5}, {0.5, 0.5}, {e / (1.0 + e), 1.0 / (1.0 + e)}};
    std::cout << "\n  Logits of ±1000, where e^1000 = inf and e^−1000 = 0 in double:\n";
    bp::print_matrix("  Z", Zx);
    const arma::mat Px = bp::softmax(Zx);
    bp::print_matrix("  softmax(Z), shifted by each row's maximum", Px);
    bp::print_matrix("  e^Z / (row sums of e^Z), not shifted", naive_softmax(Zx));
    std::cout << "  The shifted one is finite: " << yes_no(Px.is_finite())
              << ";\n  it gives the limits (1, 0), (1/2, 1/2), (1/2, 1/2), (e/(1+e), 1/(1+e)): "
              << yes_no(arma::approx_equal(Px, limits, "absdiff", 1e-15))
              << "\n  The unshifted one has NaN (inf/inf and 0/0): "
              << yes_no(naive_softmax(Zx).has_nan()) << "\n\n";

    std::cout << "3. The sigmoid σ(s) = 1/(1 + e^−s) (exercise 2.3)\n";
    const arma::mat s = {{-1000.0, -1.9, 0.0, 1.9, 1000.0}};
    const arma::mat sig = bp::sigmoid(s);
    bp::print_matrix("  s", s);
    bp::print_matrix("  σ(s)", sig);
    std::cout << "  σ(0) = 1/2: " << yes_no(sig(0, 2) == 0.5)
              << ";  finite at ±1000, no NaN: " << yes_no(sig.is_finite())
              << ";  σ(−s) = 1 − σ(s): "
              << yes_no(arma::approx_equal(bp::sigmoid(-s), 1.0 - sig, "absdiff", 1e-15)) << "\n";
    std::cout << "  σ(1.9) = " << sig(0, 3) << " is the second probability of the worked example:\n"
              << "  two-class softmax is the sigmoid of z2[1] − z2[0] = 3.6 − 1.7 = 1.9.\n";
    const arma::mat two = arma::join_cols(Zx, K >= 2 ? arma::mat(Z.cols(0, 1)) : arma::mat(0, 2));
    const arma::mat from_softmax = bp::softmax(two);
    const arma::mat from_sigmoid = bp::sigmoid(two.col(1) - two.col(0));
    std::cout << "  softmax(z)[1] against σ(z[1] − z[0]) on the ±1000 rows"
              << (K >= 2 ? "\n  and the first two columns of the batch" : "") << " (" << two.n_rows
              << " rows): largest difference "
              << arma::abs(from_softmax.col(1) - from_sigmoid).max() << "\n";
  });
}
