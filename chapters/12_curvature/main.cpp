// ch12_curvature: the Hessian of the loss and the step-size limit of gradient descent. For a
// small network, the full Hessian (exercise 12.2), its symmetry and its whole spectrum by
// LAPACK (eig_sym); for the post's network, λmax by power iteration on Hessian-vector products
// (exercises 12.3 and 12.1), optionally checked against eig_sym of its full Hessian; then
// gradient descent from near a minimum with rates just below and just above 2/λmax. Figures
// ch12_spectrum and ch12_step_limit.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "03_forward/forward.hpp"
#include "12_curvature/curvature.hpp"
#include "12_curvature/step_limit.hpp"
#include "common/data.hpp"
#include "common/files.hpp"
#include "common/plots.hpp"
#include "common/program.hpp"
#include "common/random.hpp"

namespace {

using bp::pad;
using bp::sci;

using bp::Clock;
using bp::seconds_since;

// The training before the curvature is measured: plain gradient descent on J, at a rate that
// the measured λmax near the minimum allows (2 · λmax ≈ 1.2 < 2 for the defaults).
constexpr double kTrainRate = 2.0;
constexpr int kTrainSteps = 300;        // the post's network
constexpr int kSmallTrainSteps = 4000;  // the small network: each step costs 50 times less
// The nudge that starts the two runs around 2/λmax: its size, in a random direction.
constexpr double kNudge = 0.01;
// The runs use these multiples of 2/λmax.
constexpr double kBelow = 0.9;
constexpr double kAbove = 1.1;
// The largest H for --full-hessian: n = 5H + 2 = 10002 parameters, an n×n matrix of doubles of
// 8n² bytes = 0.8 GB.
constexpr arma::uword kMaxFullHessianHidden = 2000;

/// One line on a spectrum: its extremes, and how many eigenvalues are negative, zero within
/// `band`, and positive.
void print_spectrum(const std::string& indent, const arma::vec& eigenvalues, double band) {
  const arma::uword negative = arma::accu(eigenvalues < -band);
  const arma::uword positive = arma::accu(eigenvalues > band);
  std::cout << indent << "λmax = " << sci(eigenvalues.max(), 4)
            << ", λmin = " << sci(eigenvalues.min(), 2) << ";\n"
            << indent << "  " << negative << " negative, "
            << eigenvalues.n_elem - negative - positive << " zero (|λ| ≤ " << sci(band)
            << ", n·max|H - Hᵀ|), " << positive << " positive.\n";
}

/// Stops the program with one line when training diverged (a loss that is not finite): the
/// flags asked for a network that the fixed training rate kTrainRate cannot train.
void require_trained(const arma::vec& losses, const std::string& what) {
  if (!std::isfinite(losses(losses.n_elem - 1)))
    throw bp::InputError("training " + what + " at η = " + bp::fixed_text(kTrainRate, 1) +
                         " diverged at step " + std::to_string(losses.n_elem - 1) +
                         " with these flags; try the defaults");
}

/// A run's rate, the quadratic model's factor, and e_t and the loss at a few steps.
void print_run(const std::string& name, const bp::DescentRun& run, double lambda) {
  const arma::uword steps = run.loss.n_elem - 1;
  std::cout << "  " << name << ": η = " << bp::fixed_text(run.rate, 4)
            << ", the model's factor 1 - ηλmax = " << bp::fixed_text(1.0 - run.rate * lambda, 3)
            << " per step\n";
  std::cout << "    step:";
  const std::vector<arma::uword> shown = {0, 1, 2, 3, 10, 20, 30, 40, 50, 60, 70, 80};
  for (const arma::uword t : shown)
    if (t <= steps) std::cout << std::setw(10) << t;
  std::cout << "\n    e_t: ";
  for (const arma::uword t : shown)
    if (t <= steps) std::cout << std::setw(10) << sci(run.along(t), 1);
  std::cout << "\n    loss:";
  for (const arma::uword t : shown)
    if (t <= steps) std::cout << std::setw(10) << bp::fixed_text(run.loss(t), 5);
  std::cout << "\n";
}

/// The eigenvalue of the symmetric part of H nearest 0 and its eigenvector's share on b2 (the
/// last `classes` parameters): why J is flat that way.
void describe_flattest(const arma::mat& H, arma::uword classes) {
  arma::vec values;
  arma::mat vectors;
  arma::eig_sym(values, vectors, arma::mat(0.5 * (H + H.t())));
  const arma::uword flat = arma::abs(values).index_min();
  const arma::vec on_b2 = vectors.col(flat).tail(classes);
  std::cout << "  The eigenvalue nearest 0, " << sci(values(flat)) << ", has "
            << bp::fixed_text(100.0 * arma::dot(on_b2, on_b2), 1)
            << "% of its eigenvector on b2, as (" << bp::fixed_text(on_b2(0), 3) << ", "
            << bp::fixed_text(on_b2(1), 3)
            << "):\n  the same number added to every logit changes "
               "no softmax (chapter 02), and b2 has no penalty,\n  so J is flat that way.\n";
}

/// The program's flags, with their defaults.
struct Flags {
  int hidden = 500;
  int small_hidden = 10;
  int samples = 200;
  int steps = 80;
  double decay = 0.01;
  std::uint64_t seed = 1;
  std::string plots;
  bool full_hessian = false;
};

/// Declares every flag, and the memory and time estimates they give.
void add_flags(bp::Program& program, Flags& f) {
  program.add_size("--hidden", f.hidden, 100000,
                   "Hidden units H of the large network (the post's 500)");
  program.add_size("--small-hidden", f.small_hidden, 200,
                   "Hidden units of the small network whose full Hessian is always built");
  program.add_size("--samples", f.samples, 100000, "Samples N in the toy batch");
  program.add_size("--steps", f.steps, 100000, "Steps of each run around 2/λmax");
  program.add_real("--weight-decay", f.decay, 0.0, 1.0,
                   "μ of the L2 penalty (μ/2)(|W1|² + |W2|²) that gives the loss a minimum");
  program.add_seed(f.seed);
  program.add_text("--plots", f.plots,
                   "Folder for the figures and their data (default: figures/ "
                   "beside the build's bin/)");
  program.add_switch("--full-hessian", f.full_hessian,
                     "Also build the large network's full Hessian (2n gradients) and its whole "
                     "spectrum by eig_sym: about a minute for the post's network");
  // n = 5H + 2 parameters; the full Hessian (--full-hessian) is n×n, kept with its symmetric part.
  program.set_memory_estimate(
      {"--hidden", "--samples", "--full-hessian"},
      "8 bytes × (6·N·H + 2·n² with --full-hessian) + 64 MB", [&f] {
        const double H = f.hidden;
        const double n = 5.0 * H + 2.0;
        return 8.0 * (6.0 * f.samples * H + (f.full_hessian ? 2.0 * n * n : 0.0)) + 64e6;
      });
  // Two power iterations of up to 1000 Hessian-vector products (2 gradients each), 300 training
  // steps and the two runs of --steps: each a gradient over the N×H layer, ~15 ns an entry.
  program.set_work_estimate(
      {"--hidden", "--samples", "--steps"}, "15 ns × N·H·(4300 + 2·steps)", [&f] {
        return 15e-9 * static_cast<double>(f.samples) * f.hidden * (4300.0 + 2.0 * f.steps);
      });
}

/// Refuses --full-hessian for a network whose n×n Hessian would not fit (bp::InputError).
void check_full_hessian(const Flags& f) {
  const auto H = static_cast<arma::uword>(f.hidden);
  const arma::uword n = bp::parameter_count(H);
  if (f.full_hessian && H > kMaxFullHessianHidden)
    throw bp::InputError(
        "--full-hessian: H = " + std::to_string(H) + " has n = " + std::to_string(n) +
        " parameters, and an n×n Hessian of " +
        bp::fixed_text(8.0 * static_cast<double>(n) * static_cast<double>(n) / 1e9, 1) +
        " GB; use it with --hidden " + std::to_string(kMaxFullHessianHidden) + " or fewer");
}

/// 1. The small network: the whole Hessian at initialisation and near a minimum, its symmetry
/// and its spectrum (figure ch12_spectrum), and power iteration against eig_sym.
/// X: N×2 the batch; Y: N×2 one-hot.
void small_network(const Flags& f, const arma::mat& X, const arma::mat& Y,
                   const std::filesystem::path& figures) {
  const auto H_small = static_cast<arma::uword>(f.small_hidden);
  const arma::uword n_small = bp::parameter_count(H_small);
  const bp::GradientFunction small_gradient = bp::network_gradient(X, Y, H_small, f.decay);
  const bp::LossFunction small_loss = bp::network_loss(X, Y, H_small, f.decay);
  arma::vec small_theta = bp::flatten(bp::init_params(H_small, f.seed));
  std::cout << "1. A small network, H = " << H_small << ": n = " << n_small
            << " parameters, N = " << X.n_rows << " samples, seed " << f.seed << "\n";
  bp::Rng direction_rng(f.seed + 3);
  arma::vec v = bp::normal_matrix(n_small, 1, 1.0, direction_rng);
  v /= arma::norm(v);
  const arma::vec Hv = bp::hessian_vector_product(small_gradient, small_theta, v);
  Clock::time_point start = Clock::now();
  const arma::mat H0 = bp::hessian(small_gradient, small_theta, bp::kHessianStep);
  std::cout << "  At initialisation: the full Hessian " << bp::shape_of(H0) << " from "
            << 2 * n_small << " gradients (hessian, exercise 12.2) in "
            << bp::seconds_text(seconds_since(start)) << ".\n  Symmetric to "
            << sci(bp::asymmetry(H0))
            << " (max |H - Hᵀ| / max |H|): the error of the differences of gradients.\n";
  std::cout << "  For a random unit vector v, H v from two gradients (exercise 12.1) and the full "
               "H times v\n  differ by "
            << sci(arma::norm(Hv - H0 * v) / arma::norm(Hv))
            << " relative (|H v| = " << bp::fixed_text(arma::norm(Hv), 4) << ").\n";
  const arma::vec spectrum0 = bp::symmetric_spectrum(0.5 * (H0 + H0.t()));
  std::cout << "  eig_sym (LAPACK's symmetric eigensolver) of (H + Hᵀ)/2:\n";
  print_spectrum("    ", spectrum0, bp::zero_band(H0));
  const arma::vec small_losses =
      bp::gradient_descent(small_gradient, small_loss, small_theta, kTrainRate,
                           static_cast<arma::uword>(kSmallTrainSteps));
  require_trained(small_losses, "the small network");
  const arma::mat H1 = bp::hessian(small_gradient, small_theta, bp::kHessianStep);
  std::cout << "  After " << kSmallTrainSteps << " steps of gradient descent at η = " << kTrainRate
            << " (J " << bp::fixed_text(small_losses(0), 4) << " -> "
            << bp::fixed_text(small_losses(small_losses.n_elem - 1), 4)
            << ", |∇J| = " << sci(arma::norm(small_gradient(small_theta)))
            << "), near a minimum:\n  Symmetric to " << sci(bp::asymmetry(H1)) << ".\n";
  const arma::vec spectrum1 = bp::symmetric_spectrum(0.5 * (H1 + H1.t()));
  std::cout << "  eig_sym of (H + Hᵀ)/2:\n";
  print_spectrum("    ", spectrum1, bp::zero_band(H1));
  describe_flattest(H1, Y.n_cols);
  start = Clock::now();
  const bp::PowerIteration small_power =
      bp::power_iteration(bp::hessian_times(small_gradient, small_theta), n_small, f.seed);
  std::cout << "  Power iteration (12.3) on Hessian-vector products (12.1): λ = "
            << sci(small_power.eigenvalue, 6) << " after " << small_power.iterations
            << " products, in " << bp::seconds_text(seconds_since(start))
            << ";\n  eig_sym's largest " << sci(spectrum1.max(), 6) << ": they differ by "
            << sci(std::abs(small_power.eigenvalue - spectrum1.max()) / spectrum1.max())
            << " relative.\n";
  const arma::vec rank = arma::regspace(1.0, static_cast<double>(n_small));
  bp::publish_figure("ch12_spectrum", figures, "ch12_spectrum",
                     {"rank", "at_initialisation", "near_a_minimum"},
                     arma::join_rows(rank, spectrum0, spectrum1),
                     {{"n", std::to_string(n_small)}, {"hidden", std::to_string(H_small)}});
}

/// The post's network near a minimum: the loss, its gradient, the trained point and its
/// sharpest direction.
struct NearMinimum {
  bp::GradientFunction gradient;  ///< ∇J, n numbers
  bp::LossFunction loss;          ///< J
  arma::vec theta;                ///< n  the point gradient descent reached
  bp::PowerIteration power;       ///< λmax there and its eigenvector v1
  double gradient_seconds = 0.0;  ///< the time one gradient took
  double power_seconds = 0.0;     ///< the time power iteration took there
};

/// 2. The post's network: λmax without the n×n Hessian, at initialisation and, after training,
/// near a minimum. Ends the program with one line (bp::InputError) when the trained point has
/// no positive curvature.
/// X: N×2 the batch; Y: N×2 one-hot.
NearMinimum post_network(const Flags& f, const arma::mat& X, const arma::mat& Y) {
  const auto H = static_cast<arma::uword>(f.hidden);
  const arma::uword n = bp::parameter_count(H);
  NearMinimum m{bp::network_gradient(X, Y, H, f.decay),
                bp::network_loss(X, Y, H, f.decay),
                bp::flatten(bp::init_params(H, f.seed)),
                {},
                0.0,
                0.0};
  std::cout << "\n2. The network of the post, H = " << H << ": n = " << n << " parameters\n";
  // The cost of one gradient: the fastest of three calls (the first also warms up).
  m.gradient_seconds = std::numeric_limits<double>::infinity();
  for (int call = 0; call < 3; ++call) {
    const Clock::time_point start = Clock::now();
    const arma::vec g = m.gradient(m.theta);
    m.gradient_seconds = std::min(m.gradient_seconds, seconds_since(start));
  }
  std::cout << "  One gradient (forward, backward, flatten) takes " << sci(m.gradient_seconds)
            << " s.\n";
  Clock::time_point start = Clock::now();
  const bp::PowerIteration power0 =
      bp::power_iteration(bp::hessian_times(m.gradient, m.theta), n, f.seed);
  std::cout << "  At initialisation, power iteration: λmax = " << sci(power0.eigenvalue, 4)
            << " after " << power0.iterations << " products (" << 2 * power0.iterations
            << " gradients, " << bp::seconds_text(seconds_since(start))
            << "): 2/λmax = " << sci(2.0 / power0.eigenvalue, 2) << ".\n";
  start = Clock::now();
  const arma::vec losses = bp::gradient_descent(m.gradient, m.loss, m.theta, kTrainRate,
                                                static_cast<arma::uword>(kTrainSteps));
  require_trained(losses, "the network");
  std::cout << "  " << kTrainSteps << " steps of gradient descent at η = " << kTrainRate << ", "
            << bp::fixed_text(kTrainRate * power0.eigenvalue / 2.0, 0)
            << " times 2/λmax of the start (" << bp::seconds_text(seconds_since(start))
            << ").\n  J after";
  for (const arma::uword t : {0u, 1u, 2u, 3u, 5u, 10u, 50u})
    if (t < losses.n_elem) std::cout << " " << t << ": " << bp::fixed_text(losses(t), 3) << ",";
  std::cout << " " << losses.n_elem - 1 << ": " << bp::fixed_text(losses(losses.n_elem - 1), 5)
            << "; |∇J| = " << sci(arma::norm(m.gradient(m.theta))) << ".\n"
            << "  It rose at the first step, then fell: far from a minimum the curvature changes "
               "as the\n  parameters move, and the 2/λmax of the start says little about the "
               "steps after it.\n";
  start = Clock::now();
  m.power = bp::power_iteration(bp::hessian_times(m.gradient, m.theta), n, f.seed);
  m.power_seconds = seconds_since(start);
  const double lambda = m.power.eigenvalue;
  if (!(lambda > 0.0))
    throw bp::InputError("power iteration found λ = " + sci(lambda, 3) +
                         " at the trained point: its largest curvature is not positive, so it "
                         "is no minimum and has no step-size limit to test; try the defaults");
  std::cout << "  Near this minimum, power iteration: λmax = " << sci(lambda, 6) << " after "
            << m.power.iterations << " products (" << 2 * m.power.iterations << " gradients) in "
            << bp::seconds_text(m.power_seconds) << (m.power.converged ? "" : " (NOT converged)")
            << ": 2/λmax = " << bp::fixed_text(2.0 / lambda, 4) << ".\n";
  return m;
}

/// The full Hessian of the post's network near its minimum and its whole spectrum by eig_sym,
/// against power iteration (--full-hessian); without the flag, what it would cost.
void full_hessian(const Flags& f, const NearMinimum& m) {
  const arma::uword n = m.theta.n_elem;
  if (!f.full_hessian) {
    std::cout << "  The full Hessian would take " << 2 * n << " gradients (about "
              << bp::fixed_text(2.0 * static_cast<double>(n) * m.gradient_seconds, 0)
              << " s at the time one took here) and eig_sym on " << n << "×" << n
              << " a few seconds more:\n  run with --full-hessian to compare (it is not "
                 "done by default).\n";
    return;
  }
  Clock::time_point start = Clock::now();
  const arma::mat Hfull = bp::hessian(m.gradient, m.theta, bp::kHessianStep);
  const double hessian_seconds = seconds_since(start);
  std::cout << "  The full Hessian " << bp::shape_of(Hfull) << ": " << 2 * n << " gradients in "
            << bp::seconds_text(hessian_seconds) << "; symmetric to " << sci(bp::asymmetry(Hfull))
            << ".\n";
  start = Clock::now();
  const arma::vec full = bp::symmetric_spectrum(0.5 * (Hfull + Hfull.t()));
  const double eig_seconds = seconds_since(start);
  std::cout << "  eig_sym on " << n << "×" << n << " in " << bp::seconds_text(eig_seconds) << ":\n";
  print_spectrum("    ", full, bp::zero_band(Hfull));
  const double lambda = m.power.eigenvalue;
  std::cout << "  Power iteration and eig_sym's largest differ by "
            << sci(std::abs(lambda - full.max()) / full.max()) << " relative; power iteration took "
            << bp::seconds_text(m.power_seconds) << ", the full route "
            << bp::seconds_text(hessian_seconds + eig_seconds) << ".\n";
}

/// 3. Gradient descent from near the minimum, just below and just above 2/λmax (figure
/// ch12_step_limit).
void step_limit(const Flags& f, const NearMinimum& m, const std::filesystem::path& figures) {
  const arma::uword n = m.theta.n_elem;
  const auto T = static_cast<arma::uword>(f.steps);
  const double lambda = m.power.eigenvalue;
  bp::Rng nudge_rng(f.seed + 2);
  arma::vec nudge = bp::normal_matrix(n, 1, 1.0, nudge_rng);
  nudge *= kNudge / arma::norm(nudge);
  const arma::vec start_point = m.theta + nudge;
  std::cout << "\n3. Gradient descent from a point near the minimum: θ + a nudge of size " << kNudge
            << " in a random direction.\n  e_t = <∇J(θ_t), v1> / λmax is the distance from the "
               "minimum along the sharpest direction v1\n  (power iteration's eigenvector) in "
               "the quadratic model: each step multiplies it by 1 - ηλmax.\n";
  const arma::vec& v1 = m.power.eigenvector;
  const bp::DescentRun below =
      bp::descend_along(m.gradient, m.loss, start_point, kBelow * 2.0 / lambda, T, v1, lambda);
  const bp::DescentRun above =
      bp::descend_along(m.gradient, m.loss, start_point, kAbove * 2.0 / lambda, T, v1, lambda);
  print_run(bp::fixed_text(kBelow, 1) + " × 2/λmax", below, lambda);
  print_run(bp::fixed_text(kAbove, 1) + " × 2/λmax", above, lambda);
  std::cout << "  Below the limit, " << bp::describe_descent(below) << ".\n"
            << "  Above it, " << bp::describe_descent(above) << ".\n";
  const arma::uword peak = above.loss.index_max();
  if (peak > 0 && peak < T)
    std::cout << "  Above the limit the loss rose from " << bp::fixed_text(above.loss(0), 4)
              << " to " << bp::fixed_text(above.loss(peak), 4) << " at step " << peak
              << "\n  and then fell back: the quadratic model, which predicts growth for ever, "
                 "stopped holding there.\n";
  arma::vec model_below(T + 1), model_above(T + 1);
  for (arma::uword t = 0; t <= T; ++t) {
    const double td = static_cast<double>(t);
    model_below(t) = std::abs(below.along(0)) * std::pow(std::abs(1.0 - below.rate * lambda), td);
    model_above(t) = std::abs(above.along(0)) * std::pow(std::abs(1.0 - above.rate * lambda), td);
  }
  const arma::vec step_index = arma::regspace(0.0, static_cast<double>(T));
  bp::publish_figure(
      "ch12_step_limit", figures, "ch12_step_limit",
      {"step", "loss_below", "loss_above", "e_below", "e_above", "model_below", "model_above"},
      arma::join_rows(arma::join_rows(step_index, below.loss, above.loss),
                      arma::join_rows(below.along, above.along),
                      arma::join_rows(model_below, model_above)),
      {{"lambda", bp::fixed_text(lambda, 4)},
       {"rate_below", bp::fixed_text(below.rate, 3)},
       {"rate_above", bp::fixed_text(above.rate, 3)}});
}

}  // namespace

int main(int argc, char** argv) {
  bp::Program program(
      "ch12_curvature",
      "Chapter 12: the Hessian of the loss and the step-size limit of gradient descent. The "
      "full Hessian of a small network and its spectrum (eig_sym, LAPACK); the largest "
      "eigenvalue of the post's network by power iteration on Hessian-vector products; and "
      "gradient descent from near a minimum with learning rates just below and just above "
      "2/λmax. Writes the figures ch12_spectrum.png and ch12_step_limit.png and their data.");
  Flags f;
  add_flags(program, f);
  return program.run(argc, argv, [&] {
    check_full_hessian(f);
    const std::filesystem::path figures = bp::output_dir(
        f.plots,
        {"ch12_spectrum.csv", "ch12_spectrum.png", "ch12_step_limit.csv", "ch12_step_limit.png"});
    bp::print_banner(
        "Chapter 12: curvature and the step-size limit",
        "H(θ) v = (∇J(θ + εv) - ∇J(θ - εv)) / 2ε, ε = " + sci(bp::kHessianStep, 0) +
            "   Hessian-vector product (12.1)\n"
            "H(θ) = [H e_1, ..., H e_n]                        the full Hessian (12.2)\n"
            "λmax by power iteration v <- Hv / |Hv|            no n×n matrix needed (12.3)\n"
            "Gradient descent near a minimum multiplies the error along each eigenvector by\n"
            "1 - ηλ per step: it converges only if η < 2/λmax.");
    std::cout << std::setprecision(6);

    bp::Rng rng(f.seed + 1);  // the batch of chapters 03-09 with the same flags
    arma::mat X, Y;
    bp::toy_batch(static_cast<arma::uword>(f.samples), rng, X, Y);
    std::cout << "The loss J = cross-entropy + (μ/2)(|W1|² + |W2|²), μ = " << f.decay
              << " (chapter 10's L2 penalty):\nwithout it, on this separable batch the loss "
                 "falls towards 0 for ever and has no minimum.\n\n";

    small_network(f, X, Y, figures);
    const NearMinimum minimum = post_network(f, X, Y);
    full_hessian(f, minimum);
    step_limit(f, minimum, figures);
  });
}
