// ch06_local_derivatives: every local derivative of the post, equations (6)–(13), at one sample
// of the post's network: its value, what the post prints where the post is wrong, and the
// relative error of each against central differences (chapter 05's numerical_gradient).
#include <cmath>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "02_activations/activations.hpp"
#include "03_forward/forward.hpp"
#include "05_finite_differences/finite_differences.hpp"
#include "06_local_derivatives/local_derivatives.hpp"
#include "common/data.hpp"
#include "common/program.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"

namespace {

using bp::pad;
using bp::sci;

using MatrixFunction = std::function<arma::mat(const arma::mat&)>;

/// A number in scientific notation, 2 significant digits.

/// A 1×1 matrix holding x.
arma::mat scalar(double x) { return arma::mat(1, 1, arma::fill::value(x)); }

/// The largest entrywise bp::relative_error between two matrices of the same shape.
double max_relative_error(const arma::mat& a, const arma::mat& b) {
  double worst = 0.0;
  for (arma::uword i = 0; i < a.n_elem; ++i)
    worst = std::max(worst, bp::relative_error(a(i), b(i)));
  return worst;
}

/// The Jacobian of F at X by central differences, one output at a time: row i is the numerical
/// gradient of vec(F)_i, flattened like vec(X). Costs 2·(inputs)·(outputs) calls of F: for
/// small Jacobians only.
arma::mat numerical_jacobian(const MatrixFunction& F, const arma::mat& X) {
  const arma::uword outputs = F(X).n_elem;
  arma::mat J(outputs, X.n_elem);
  for (arma::uword i = 0; i < outputs; ++i)
    J.row(i) =
        arma::vectorise(bp::numerical_gradient([&](const arma::mat& M) { return F(M)(i); }, X)).t();
  return J;
}

/// v J by central differences, for a Jacobian too large to build numerically: the numerical
/// gradient of ⟨v, F(X)⟩, flattened like vec(X). Costs 2·(inputs) calls of F.
arma::rowvec numerical_row(const MatrixFunction& F, const arma::mat& X, const arma::mat& v) {
  return arma::vectorise(
             bp::numerical_gradient([&](const arma::mat& M) { return arma::accu(v % F(M)); }, X))
      .t();
}

/// One line of the summary: the equation, what it computes, the relative error of the
/// corrected form, and of the post's printed form where the post is wrong.
struct Summary {
  std::string equation;
  std::string derivative;
  double corrected;
  double printed;  // < 0: the post's form is right (or not comparable)
  std::string note;
};

}  // namespace

int main(int argc, char** argv) {
  bp::Program program("ch06_local_derivatives",
                      "Chapter 06: the local derivatives of the post, equations (6) to (13), at "
                      "one sample of the network, each checked against central differences; the "
                      "post's (6), (7) and (10) as printed next to their corrections.");
  int hidden = 500;
  std::uint64_t seed = 1;
  program.add_size("--hidden", hidden, 100000, "Hidden units H");
  program.add_seed(seed);

  program.set_memory_estimate({"--hidden"}, "8 bytes × 4·H² + 64 MB", [&] {
    return 8.0 * 4 * static_cast<double>(hidden) * static_cast<double>(hidden) + 64e6;
  });
  return program.run(argc, argv, [&] {
    const auto H = static_cast<arma::uword>(hidden);
    bp::print_banner(
        "Chapter 06: local derivatives, equations (6)-(13)",
        "Each local derivative alone, as a Jacobian J_ij = d out_i / d in_j (numerator layout:\n"
        "one row per output, one column per input; a matrix input W counts as vec(W), its\n"
        "columns stacked). Checked against central differences at h = 1e-5; tolerance 1e-6.");
    std::cout << std::setprecision(6);

    // One sample of the post's network: sample 0 of chapter 03's toy batch with the same seed.
    const bp::Params params = bp::init_params(H, seed);
    bp::Rng rng(seed + 1);
    arma::mat X, Y;
    bp::toy_batch(1, rng, X, Y);
    const bp::Cache cache = bp::forward(params, X);
    const arma::rowvec x = X.row(0);
    const arma::rowvec y = Y.row(0);
    const arma::rowvec z1 = cache.Z1.row(0);
    const arma::rowvec a1 = cache.A1.row(0);
    const arma::rowvec z2 = cache.Z2.row(0);
    const arma::rowvec p = cache.P.row(0);
    std::cout << "One sample: x " << bp::shape_of(x) << " -> z1, a1 " << bp::shape_of(z1)
              << " -> z2, y^ " << bp::shape_of(z2) << "; label y = (" << y(0) << ", " << y(1)
              << ")\n";
    bp::Rng directions(seed + 2);  // random output directions for the large Jacobians
    std::vector<Summary> summary;

    // (11) tanh.
    std::cout << "\n(11) d a1 / d z1, a1 = tanh(z1): diagonal, 1 - a1^2 from the output  "
                 "[the post: 1 - tanh^2(z1), right]\n";
    const arma::mat d_tanh = bp::tanh_derivative(a1);
    bp::print_matrix("  1 - a1^2", d_tanh);
    {
      const arma::mat v = bp::normal_matrix(1, H, 1.0, directions);
      const arma::rowvec numerical =
          numerical_row([](const arma::mat& m) -> arma::mat { return arma::tanh(m); }, z1, v);
      const double error = max_relative_error(v % d_tanh, numerical);
      std::cout << "  numerical v J (v random, 1×" << H << "): relative error " << sci(error)
                << "\n";
      summary.push_back({"(11)", "1 - a1^2", error, -1.0, "as printed"});
    }

    // (6) sigmoid, for the two classes: p_1 = sigma(s), s = z2[1] - z2[0].
    const double s = z2(1) - z2(0);
    const double sigma = bp::sigmoid(scalar(s))(0, 0);
    const double corrected_6 = bp::sigmoid_derivative(scalar(sigma))(0, 0);
    const double printed_6 = std::log(sigma) * std::log(1.0 - sigma);
    const double numerical_6 = bp::central_difference(
        [](double t) { return bp::sigmoid(scalar(t))(0, 0); }, s, bp::kCentralStep);
    std::cout << "\n(6) d sigma / ds at s = z2[1] - z2[0] = " << s << " (sigma = " << sigma
              << ")\n  corrected sigma (1 - sigma) = " << corrected_6
              << "\n  the post:  ln(sigma) ln(1 - sigma) = " << printed_6
              << "\n  numerical (central difference)  = " << numerical_6
              << "\n  relative error: corrected "
              << sci(bp::relative_error(corrected_6, numerical_6)) << ", printed "
              << sci(bp::relative_error(printed_6, numerical_6)) << "\n";
    summary.push_back({"(6)", "sigma (1 - sigma)", bp::relative_error(corrected_6, numerical_6),
                       bp::relative_error(printed_6, numerical_6), "ln sigma ln(1 - sigma)"});

    // (6) for the softmax of (4).
    std::cout << "\n(6) for the softmax of (4): d y^ / d z2 = diag(y^) - y^T y^ (2×2)\n";
    const arma::mat J_softmax = bp::softmax_jacobian(p);
    bp::print_matrix("  J", J_softmax);
    {
      const arma::mat numerical = numerical_jacobian(
          [](const arma::mat& m) -> arma::mat { return bp::softmax(m); }, arma::mat(z2));
      const double error = max_relative_error(J_softmax, numerical);
      std::cout << "  entry (1, 1) is sigma (1 - sigma) = " << corrected_6
                << "; numerical Jacobian: relative error " << sci(error) << "\n";
      summary.push_back({"(6)", "diag(y^) - y^T y^", error, -1.0, "(softmax form)"});
    }

    // (7) the loss gradient in the logits.
    std::cout << "\n(7) d L / d z2 for L = -sum y ln y^\n";
    const arma::rowvec corrected_7 = bp::loss_gradient_logits(p, y);
    const arma::rowvec printed_7 = y - p;
    const auto loss_of_z2 = [&](const arma::mat& z) {
      return -arma::accu(y % arma::log(bp::softmax(z)));
    };
    const arma::mat numerical_7 = bp::numerical_gradient(loss_of_z2, arma::mat(z2));
    bp::print_matrix("  corrected y^ - y", corrected_7);
    bp::print_matrix("  the post: y - y^", printed_7);
    bp::print_matrix("  numerical", numerical_7);
    summary.push_back({"(7)", "y^ - y", max_relative_error(corrected_7, numerical_7),
                       max_relative_error(printed_7, numerical_7), "y - y^ (sign)"});
    std::cout << "  relative error: corrected " << sci(summary.back().corrected) << ", printed "
              << sci(summary.back().printed)
              << " (opposite sign: the gradient of the printed (5))\n";

    // (10) the input of layer 2.
    std::cout << "\n(10) d z2 / d a1 for z2 = a1 W2 + b2: W2^T, " << 2 << "×" << H << "\n";
    const arma::mat J_input = bp::affine_jacobian_input(params.W2);
    bp::print_matrix("  W2^T", J_input);
    std::cout << "  the post: z2 = (" << z2(0) << ", " << z2(1)
              << "), 1×2: not even the shape of a "
              << "2×" << H << " Jacobian\n";
    {
      const auto layer2 = [&](const arma::mat& a) -> arma::mat {
        arma::mat z = a * params.W2;
        z.each_row() += params.b2;
        return z;
      };
      const arma::mat numerical = numerical_jacobian(layer2, arma::mat(a1));
      const double error = max_relative_error(J_input, numerical);
      std::cout << "  numerical Jacobian (" << bp::shape_of(numerical) << "): relative error "
                << sci(error) << "; in backprop: dA1 = dZ2 W2^T (chapter 08)\n";
      summary.push_back({"(10)", "W2^T", error, -1.0, "z2 (wrong shape)"});
    }

    // (8) and (12): the weights.
    std::cout << "\n(8) d z2 / d vec(W2) = I_2 (x) a1, 2×" << 2 * H
              << ": row k holds a1 in the block of column k of W2  [the post: a1, right]\n";
    const arma::mat J_w2 = bp::affine_jacobian_weights(a1, 2);
    {
      const auto of_W2 = [&](const arma::mat& W) -> arma::mat { return a1 * W + params.b2; };
      const arma::mat numerical = numerical_jacobian(of_W2, params.W2);
      const double error = max_relative_error(J_w2, numerical);
      std::cout << "  numerical Jacobian (" << bp::shape_of(numerical) << "): relative error "
                << sci(error) << "\n";
      summary.push_back({"(8)", "I_2 (x) a1", error, -1.0, "as printed (a1)"});
    }
    std::cout << "(12) d z1 / d vec(W1) = I_H (x) x, " << H << "×" << 2 * H
              << "  [the post: x, right]\n";
    const arma::mat J_w1 = bp::affine_jacobian_weights(x, H);
    {
      const auto of_W1 = [&](const arma::mat& W) -> arma::mat { return x * W + params.b1; };
      const arma::mat v = bp::normal_matrix(1, H, 1.0, directions);
      const arma::rowvec numerical = numerical_row(of_W1, params.W1, v);
      const double error = max_relative_error(v * J_w1, numerical);
      std::cout << "  numerical v J (v random): relative error " << sci(error) << "\n";
      summary.push_back({"(12)", "I_H (x) x", error, -1.0, "as printed (x)"});
    }

    // (9) and (13): the biases.
    std::cout << "\n(9) d z2 / d b2 = I_2; (13) d z1 / d b1 = I_H  [the post: 1, right: the "
                 "identity]\n";
    {
      const auto of_b2 = [&](const arma::mat& b) -> arma::mat { return a1 * params.W2 + b; };
      const double error_9 =
          max_relative_error(bp::affine_jacobian_bias(2), numerical_jacobian(of_b2, params.b2));
      const auto of_b1 = [&](const arma::mat& b) -> arma::mat { return x * params.W1 + b; };
      const arma::mat v = bp::normal_matrix(1, H, 1.0, directions);
      const double error_13 =
          max_relative_error(v * bp::affine_jacobian_bias(H), numerical_row(of_b1, params.b1, v));
      std::cout << "  (9) numerical Jacobian: relative error " << sci(error_9)
                << "; (13) numerical v J: relative error " << sci(error_13) << "\n";
      summary.push_back({"(9)", "I_2", error_9, -1.0, "as printed (1)"});
      summary.push_back({"(13)", "I_H", error_13, -1.0, "as printed (1)"});
    }

    std::cout << "\nSummary: relative error against central differences (tolerance "
              << sci(bp::kGradientTolerance) << ")\n";
    std::cout << "  " << std::left << std::setw(6) << "eq." << std::setw(20) << "derivative"
              << std::setw(12) << "error" << std::setw(10) << "check"
              << "the post prints\n";
    for (const Summary& row : summary) {
      std::cout << "  " << std::setw(6) << row.equation << std::setw(20) << row.derivative
                << std::setw(12) << sci(row.corrected) << std::setw(10)
                << (row.corrected < bp::kGradientTolerance ? "ok" : "FAILS") << row.note;
      if (row.printed >= 0.0) std::cout << ": error " << sci(row.printed);
      std::cout << "\n";
    }
    std::cout << std::right;
  });
}
