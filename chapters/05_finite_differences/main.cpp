// ch05_finite_differences: the error of the central and the forward difference against the
// step h, for tanh at 0.5 and for one entry of the network's gradient, ∂L/∂b2[0]; where the
// error is smallest, what the tests' step gives, and chapter 05's figure (ch05_fd_error).
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "03_forward/forward.hpp"
#include "04_loss/loss.hpp"
#include "05_finite_differences/finite_differences.hpp"
#include "common/files.hpp"
#include "common/plots.hpp"
#include "common/program.hpp"
#include "common/shape.hpp"

namespace {

using bp::pad;
using bp::sci;

constexpr double kEpsilon = std::numeric_limits<double>::epsilon();  // 2^−52 ≈ 2.2e−16

/// The row of `table` whose step (column 0) is nearest to h, on a log scale.
arma::uword row_nearest(const arma::mat& table, double h) {
  const arma::vec distance = arma::abs(arma::log10(table.col(0)) - std::log10(h));
  return distance.index_min();
}

/// A number in scientific notation, 2 significant digits: errors and steps.

/// Prints chosen rows of an error table: h, central error, forward error.
void print_rows(const arma::mat& table, const std::vector<double>& steps) {
  std::cout << "  " << std::setw(9) << "h" << std::setw(14) << "central" << std::setw(14)
            << "forward"
            << "\n";
  for (const double h : steps) {
    const arma::uword r = row_nearest(table, h);
    std::cout << "  " << std::setw(9) << sci(table(r, 0)) << std::setw(14) << sci(table(r, 1))
              << std::setw(14) << sci(table(r, 2)) << "\n";
  }
}

/// Prints where each column of an error table is smallest, and its value at the course's step.
void print_best(const arma::mat& table) {
  const arma::uword c = table.col(1).index_min();
  const arma::uword f = table.col(2).index_min();
  const arma::uword k = row_nearest(table, bp::kCentralStep);
  std::cout << "  Smallest central error " << sci(table(c, 1)) << " at h = " << sci(table(c, 0))
            << "; smallest forward error " << sci(table(f, 2)) << " at h = " << sci(table(f, 0))
            << "\n  At the course's step h = " << sci(bp::kCentralStep) << ": central "
            << sci(table(k, 1)) << ", forward " << sci(table(k, 2)) << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  bp::Program program("ch05_finite_differences",
                      "Chapter 05: the error of the central difference (f(x+h) - f(x-h))/2h and "
                      "of the forward difference (f(x+h) - f(x))/h against the step h, for tanh "
                      "and for one entry of the network's gradient; writes the figure "
                      "ch05_fd_error.png and its data.");
  bp::ToyNetworkFlags toy;  // --hidden, --samples, --seed
  std::string plots;
  toy.add_to(program, 5);
  program.add_text("--plots", plots,
                   "Folder for the figure and its data (default: figures/ "
                   "beside the build's bin/)");

  return program.run(argc, argv, [&] {
    const arma::uword H = toy.H();
    const arma::uword N = toy.N();
    const std::uint64_t seed = toy.seed;
    const std::filesystem::path figures =
        bp::output_dir(plots, {"ch05_fd_error.csv", "ch05_fd_error.png"});
    bp::print_banner(
        "Chapter 05: finite differences",
        "central  (f(x+h) - f(x-h)) / 2h:  truncation error h^2 |f'''| / 6, falls as h^2\n"
        "forward  (f(x+h) - f(x)) / h:     truncation error h |f''| / 2,    falls as h\n"
        "Both carry a rounding error of about eps |f| / h (eps = 2.2e-16), which grows as h "
        "shrinks.");
    std::cout << std::setprecision(6);
    const arma::vec steps = bp::log_steps(1, 13, 4);  // h = 1e-1 ... 1e-13, 4 per decade
    const std::vector<double> shown = {1e-1, 1e-3, 1e-5, 1e-8, 1e-11, 1e-13};

    // 1. A function whose derivatives are known: tanh at 0.5.
    const double x = 0.5;
    const double t = std::tanh(x);
    const double d1 = 1.0 - t * t;               // tanh'   = 1 − tanh²
    const double d2 = -2.0 * t * d1;             // tanh''  = −2 tanh tanh'
    const double d3 = d1 * (6.0 * t * t - 2.0);  // tanh''' = (1 − tanh²)(6 tanh² − 2)
    const auto tanh_fn = [](double v) { return std::tanh(v); };
    const arma::mat tanh_table = bp::fd_error_table(tanh_fn, x, d1, steps);
    std::cout << "1. tanh at x = 0.5: exact derivative 1 - tanh^2(0.5) = " << d1
              << "; relative errors:\n";
    print_rows(tanh_table, shown);
    print_best(tanh_table);
    const double best_central = std::cbrt(3.0 * kEpsilon * std::abs(t) / std::abs(d3));
    const double best_forward = std::sqrt(2.0 * kEpsilon * std::abs(t) / std::abs(d2));
    std::cout
        << "  The model h^2|f'''|/6 + eps|f|/h is smallest at h = (3 eps |f| / |f'''|)^(1/3) = "
        << sci(best_central)
        << ";\n  h|f''|/2 + eps|f|/h at h = (2 eps |f| / |f''|)^(1/2) = " << sci(best_forward)
        << ".\n";

    // 2. One entry of the network's gradient: L as a function of b2[0] alone.
    const bp::Params params = bp::init_params(H, seed);
    arma::mat X, Y;
    toy.draw_batch(X, Y);  // the batch of chapters 03 to 09 with the same flags
    const bp::Cache cache = bp::forward(params, X);
    const double loss = bp::cross_entropy_from_logits(cache.Z2, Y);
    // Chapter 07 derives ∂L/∂b2 = Σ_rows (P − Y)/N: for b2[0], the mean of P(:,0) − Y(:,0).
    const double exact_b2 = arma::mean(cache.P.col(0) - Y.col(0));
    const auto loss_of_b2 = [&](double b) {
      bp::Params moved = params;
      moved.b2(0) = b;
      return bp::cross_entropy_from_logits(bp::forward(moved, X).Z2, Y);
    };
    const arma::mat net_table = bp::fd_error_table(loss_of_b2, params.b2(0), exact_b2, steps);
    std::cout << "\n2. The network (H = " << H << ", N = " << N << ", seed " << seed
              << "): L = " << loss << ", dL/db2[0] = mean(P(:,0) - Y(:,0)) = " << exact_b2
              << "\n   (chapter 07 derives it); relative errors of the differences of L(b2[0]):\n";
    print_rows(net_table, shown);
    print_best(net_table);
    const arma::uword k = row_nearest(net_table, bp::kCentralStep);
    const double absolute = net_table(k, 1) * std::abs(exact_b2);
    std::cout << "  Absolute error at h = " << sci(bp::kCentralStep) << ": " << sci(absolute)
              << ". Rounding bounds it by about eps |L| / h = "
              << sci(kEpsilon * loss / bp::kCentralStep)
              << ":\n  nudging b2[0] moves one logit per sample. For the defaults (H = 500, N = "
                 "200, seed "
                 "1), the\n  largest absolute error over all 2502 entries of the gradient at this "
                 "step is 1.3e-11,\n  at that bound (measured against chapter 09's backward "
                 "pass).\n";

    // 3. The numbers the tests use, and the learner's numerical_gradient on b2.
    std::cout
        << "\n3. The course's checks: step h = " << sci(bp::kCentralStep) << ", tolerance "
        << sci(bp::kGradientTolerance) << " on relative_error, floor " << sci(bp::kRelativeFloor)
        << "\n"
        << "  A correct derivative is off by about 1e-11 at this step, 1e5 times below "
           "the tolerance.\n"
        << "  A gradient entry below the floor is compared absolutely, to tolerance x floor = "
        << sci(bp::kGradientTolerance * bp::kRelativeFloor)
        << ",\n  ten times the rounding "
           "bound eps |L| / h above.\n";
    const auto loss_of_b2_row = [&](const arma::mat& b2) {
      bp::Params moved = params;
      moved.b2 = b2;
      return bp::cross_entropy_from_logits(bp::forward(moved, X).Z2, Y);
    };
    const arma::mat db2 = bp::numerical_gradient(loss_of_b2_row, arma::mat(params.b2));
    const arma::rowvec exact_db2 = arma::mean(cache.P - Y, 0);
    std::cout << "  numerical_gradient of L with respect to b2 (" << bp::shape_of(db2)
              << ") against the exact mean of P - Y by columns:\n";
    bool all_pass = true;
    for (arma::uword j = 0; j < db2.n_elem; ++j) {
      const double error = bp::relative_error(db2(j), exact_db2(j));
      all_pass = all_pass && error < bp::kGradientTolerance;
      std::cout << "    b2[" << j << "]: numerical " << std::setw(12) << db2(j) << "   exact "
                << std::setw(12) << exact_db2(j) << "   relative_error " << sci(error) << "\n";
    }
    std::cout << "  Both below the tolerance " << sci(bp::kGradientTolerance) << ": "
              << (all_pass ? "yes" : "NO") << "\n\n";

    // The figure: both tables side by side, and the model curves for tanh.
    arma::mat figure(steps.n_elem, 7);
    figure.cols(0, 2) = tanh_table;
    figure.cols(3, 4) = net_table.cols(1, 2);
    for (arma::uword r = 0; r < steps.n_elem; ++r) {
      const double h = steps(r);
      figure(r, 5) = (h * h * std::abs(d3) / 6.0 + kEpsilon * std::abs(t) / h) / d1;
      figure(r, 6) = (h * std::abs(d2) / 2.0 + kEpsilon * std::abs(t) / h) / d1;
    }
    bp::publish_figure("fd_error", figures, "ch05_fd_error",
                       {"h", "central_tanh", "forward_tanh", "central_network", "forward_network",
                        "model_central_tanh", "model_forward_tanh"},
                       figure, {{"step", sci(bp::kCentralStep)}});
  });
}
