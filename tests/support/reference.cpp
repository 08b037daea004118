#include "support/reference.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <random>
#include <sstream>

#include "common/shape.hpp"

namespace bp::test {
namespace {

arma::mat normal(arma::uword rows, arma::uword cols, double stddev, std::mt19937_64& rng) {
  std::normal_distribution<double> draw(0.0, stddev);
  arma::mat m(rows, cols);
  m.imbue([&] { return draw(rng); });
  return m;
}

// W1, b1, W2, b2 in that order from `rng` (random_params).
Params draw_params(arma::uword D, arma::uword H, arma::uword K, double bias_stddev,
                   std::mt19937_64& rng) {
  Params p;
  p.W1 = normal(D, H, 1.0 / std::sqrt(double(D)), rng);
  p.b1 = normal(1, H, bias_stddev, rng);
  p.W2 = normal(H, K, 1.0 / std::sqrt(double(H)), rng);
  p.b2 = normal(1, K, bias_stddev, rng);
  return p;
}

// A random direction of unit norm with the shape of `like`.
arma::mat unit_direction(const arma::mat& like, std::mt19937_64& rng) {
  arma::mat U = normal(like.n_rows, like.n_cols, 1.0, rng);
  return U / arma::norm(arma::vectorise(U));
}

std::string shape_message(const arma::mat& analytic, const arma::mat& point,
                          const std::string& what) {
  return what + " is " + shape_of(analytic) + " but must have the shape " + shape_of(point) +
         " of what it differentiates";
}

}  // namespace

std::string Network::name() const {
  std::ostringstream out;
  out << "D=" << inputs << " H=" << hidden << " K=" << classes << " N=" << samples << " seed "
      << seed;
  return out.str();
}

const std::vector<Network>& small_networks() {
  static const std::vector<Network> networks = {
      {2, 3, 2, 4, 11},  // the post's D and K, a few hidden units
      {2, 5, 2, 1, 12},  // one sample: the post's own case
      {3, 4, 3, 6, 13},  // three inputs, three classes
      {2, 2, 2, 6, 14},  // H = K: dZ2 W2 is defined too
      {3, 3, 3, 5, 15},  // H = K again, three classes
  };
  return networks;
}

const std::vector<Network>& planted_bug_networks() {
  static const std::vector<Network> networks = {small_networks()[3], small_networks()[4]};
  return networks;
}

Network posts_network(arma::uword samples) { return {2, 500, 2, samples, 21}; }

Params random_params(arma::uword D, arma::uword H, arma::uword K, std::uint64_t seed,
                     double bias_stddev) {
  std::mt19937_64 rng(seed);
  return draw_params(D, H, K, bias_stddev, rng);
}

Example make_example(const Network& net) {
  std::mt19937_64 rng(net.seed);
  Example e;
  e.params = draw_params(net.inputs, net.hidden, net.classes, 0.1, rng);
  e.X = normal(net.samples, net.inputs, 1.0, rng);
  e.Y.zeros(net.samples, net.classes);
  for (arma::uword n = 0; n < net.samples; ++n) e.Y(n, rng() % net.classes) = 1.0;
  e.cache = reference_forward(e.params, e.X);
  e.loss = reference_loss_from_logits(e.cache.Z2, e.Y);
  return e;
}

Example duplicated(const Example& example) {
  Example twice;
  twice.params = example.params;
  twice.X = arma::join_cols(example.X, example.X);
  twice.Y = arma::join_cols(example.Y, example.Y);
  twice.cache = reference_forward(twice.params, twice.X);
  twice.loss = reference_loss_from_logits(twice.cache.Z2, twice.Y);
  return twice;
}

arma::mat reference_sigmoid(const arma::mat& S) { return 1.0 / (1.0 + arma::exp(-S)); }

arma::mat reference_softmax(const arma::mat& Z) {
  arma::mat E = arma::exp(Z.each_col() - arma::max(Z, 1));
  E.each_col() /= arma::sum(E, 1);
  return E;
}

double reference_loss_from_logits(const arma::mat& Z2, const arma::mat& Y) {
  const arma::mat S = Z2.each_col() - arma::max(Z2, 1);
  const arma::mat log_P = S.each_col() - arma::log(arma::sum(arma::exp(S), 1));
  return -arma::accu(Y % log_P) / static_cast<double>(Z2.n_rows);
}

Cache reference_forward(const Params& params, const arma::mat& X) {
  Cache c;
  c.X = X;
  c.Z1 = X * params.W1;
  c.Z1.each_row() += params.b1;
  c.A1 = arma::tanh(c.Z1);
  c.Z2 = c.A1 * params.W2;
  c.Z2.each_row() += params.b2;
  c.P = reference_softmax(c.Z2);
  return c;
}

double reference_loss(const Params& params, const arma::mat& X, const arma::mat& Y) {
  arma::mat Z1 = X * params.W1;
  Z1.each_row() += params.b1;
  arma::mat Z2 = arma::tanh(Z1) * params.W2;
  Z2.each_row() += params.b2;
  return reference_loss_from_logits(Z2, Y);
}

arma::mat reference_output_delta(const arma::mat& P, const arma::mat& Y) {
  return (P - Y) / static_cast<double>(P.n_rows);
}

arma::mat reference_dZ2(const Example& example) {
  return reference_output_delta(example.cache.P, example.Y);
}

HiddenGrads reference_hidden_backward(const Params& params, const Cache& cache,
                                      const arma::mat& dZ2) {
  HiddenGrads g;
  g.dA1 = dZ2 * params.W2.t();
  g.dZ1 = g.dA1 % (1.0 - cache.A1 % cache.A1);
  g.dW1 = cache.X.t() * g.dZ1;
  g.db1 = arma::sum(g.dZ1, 0);
  return g;
}

Grads reference_backward(const Params& params, const Cache& cache, const arma::mat& Y) {
  const arma::mat dZ2 = reference_output_delta(cache.P, Y);
  const HiddenGrads hidden = reference_hidden_backward(params, cache, dZ2);
  Grads g;
  g.dW1 = hidden.dW1;
  g.db1 = hidden.db1;
  g.dW2 = cache.A1.t() * dZ2;
  g.db2 = arma::sum(dZ2, 0);
  return g;
}

double gradient_floor(double loss) { return kFloor * std::max(1.0, std::abs(loss)); }

testing::AssertionResult MatchesCentralDifferences(const std::function<double(const arma::mat&)>& f,
                                                   const arma::mat& point,
                                                   const arma::mat& analytic,
                                                   const std::string& what, const Clues& clues) {
  const double floor = gradient_floor(f(point));
  const arma::mat numerical = numerical_gradient(f, point, kStep);
  Clues named = clues;
  named.name = what;
  named.floor = floor;
  if (analytic.n_rows != point.n_rows || analytic.n_cols != point.n_cols)
    return testing::AssertionFailure() << shape_message(analytic, point, what) << ". "
                                       << doctor_report(analytic, numerical, named);
  double worst = 0.0;
  arma::uword at = 0;
  for (arma::uword i = 0; i < point.n_elem; ++i) {
    const double e = relative_error(analytic(i), numerical(i), floor);
    if (e > worst) {
      worst = e;
      at = i;
    }
  }
  std::ostringstream out;
  out << what << ": worst relative error " << worst << " (tolerance " << kTolerance << ", floor "
      << floor << ") at entry (" << at % point.n_rows << ", " << at / point.n_rows << "): analytic "
      << std::setprecision(12) << analytic(at) << ", central difference " << numerical(at);
  if (worst <= kTolerance) return testing::AssertionSuccess() << out.str();
  return testing::AssertionFailure()
         << doctor_report(analytic, numerical, named) << " [" << out.str() << "]";
}

testing::AssertionResult MatchesAlongRandomDirections(
    const std::function<double(const arma::mat&)>& f, const arma::mat& point,
    const arma::mat& analytic, int directions, std::uint64_t seed, const std::string& what) {
  if (analytic.n_rows != point.n_rows || analytic.n_cols != point.n_cols)
    return testing::AssertionFailure() << shape_message(analytic, point, what);
  const double floor = gradient_floor(f(point));
  std::mt19937_64 rng(seed);
  double worst = 0.0;
  double worst_analytic = 0.0, worst_numerical = 0.0;
  for (int d = 0; d < directions; ++d) {
    const arma::mat U = unit_direction(point, rng);
    const double numerical = (f(point + kStep * U) - f(point - kStep * U)) / (2.0 * kStep);
    const double along = arma::accu(analytic % U);
    const double e = relative_error(along, numerical, floor);
    if (e >= worst) {
      worst = e;
      worst_analytic = along;
      worst_numerical = numerical;
    }
  }
  std::ostringstream out;
  out << what << ", " << directions << " random directions: worst relative error " << worst
      << " (tolerance " << kTolerance << ", floor " << floor << "): <analytic, U> "
      << std::setprecision(12) << worst_analytic << ", central difference " << worst_numerical;
  if (worst <= kTolerance) return testing::AssertionSuccess() << out.str();
  return testing::AssertionFailure() << out.str();
}

std::function<double(const arma::mat&)> loss_of_W1(const Example& example) {
  return [&example](const arma::mat& W1) {
    Params p = example.params;
    p.W1 = W1;
    return reference_loss(p, example.X, example.Y);
  };
}

std::function<double(const arma::mat&)> loss_of_b1(const Example& example) {
  return [&example](const arma::mat& b1) {
    Params p = example.params;
    p.b1 = b1;
    return reference_loss(p, example.X, example.Y);
  };
}

std::function<double(const arma::mat&)> loss_of_W2(const Example& example) {
  // W2 acts after A1: the reference's A1 stays, as a forward pass would recompute it unchanged.
  return [&example](const arma::mat& W2) {
    arma::mat Z2 = example.cache.A1 * W2;
    Z2.each_row() += example.params.b2;
    return reference_loss_from_logits(Z2, example.Y);
  };
}

std::function<double(const arma::mat&)> loss_of_b2(const Example& example) {
  return [&example](const arma::mat& b2) {
    arma::mat Z2 = example.cache.A1 * example.params.W2;
    Z2.each_row() += arma::rowvec(b2);
    return reference_loss_from_logits(Z2, example.Y);
  };
}

std::function<double(const arma::mat&)> loss_of_Z2(const Example& example) {
  return [&example](const arma::mat& Z2) { return reference_loss_from_logits(Z2, example.Y); };
}

std::function<double(const arma::mat&)> loss_of_A1(const Example& example) {
  return [&example](const arma::mat& A1) {
    arma::mat Z2 = A1 * example.params.W2;
    Z2.each_row() += example.params.b2;
    return reference_loss_from_logits(Z2, example.Y);
  };
}

std::function<double(const arma::mat&)> loss_of_Z1(const Example& example) {
  return [&example](const arma::mat& Z1) {
    arma::mat Z2 = arma::tanh(Z1) * example.params.W2;
    Z2.each_row() += example.params.b2;
    return reference_loss_from_logits(Z2, example.Y);
  };
}

testing::AssertionResult HasTheShapesOf(const Params& params, arma::uword D, arma::uword H,
                                        arma::uword K) {
  testing::AssertionResult r = HasShape(params.W1, D, H, "W1");
  if (r) r = HasShape(params.b1, 1, H, "b1");
  if (r) r = HasShape(params.W2, H, K, "W2");
  if (r) r = HasShape(params.b2, 1, K, "b2");
  return r;
}

testing::AssertionResult HasTheShapesOfTheParameters(const Grads& grads, const Params& params) {
  const auto same = [](const arma::mat& a, const arma::mat& b) {
    return a.n_rows == b.n_rows && a.n_cols == b.n_cols;
  };
  if (!same(grads.dW1, params.W1))
    return testing::AssertionFailure()
           << "dW1 is " << shape_of(grads.dW1) << ", W1 is " << shape_of(params.W1);
  if (!same(grads.db1, params.b1))
    return testing::AssertionFailure()
           << "db1 is " << shape_of(grads.db1) << ", b1 is " << shape_of(params.b1);
  if (!same(grads.dW2, params.W2))
    return testing::AssertionFailure()
           << "dW2 is " << shape_of(grads.dW2) << ", W2 is " << shape_of(params.W2);
  if (!same(grads.db2, params.b2))
    return testing::AssertionFailure()
           << "db2 is " << shape_of(grads.db2) << ", b2 is " << shape_of(params.b2);
  return testing::AssertionSuccess();
}

GradientCheck check_every_entry(const Grads& grads, const Example& example) {
  const testing::AssertionResult shapes = HasTheShapesOfTheParameters(grads, example.params);
  require_shape(static_cast<bool>(shapes), shapes.message());
  const double floor = gradient_floor(example.loss);
  GradientCheck worst;
  worst.W1 = max_relative_error(grads.dW1,
                                numerical_gradient(loss_of_W1(example), example.params.W1), floor);
  worst.b1 = max_relative_error(grads.db1,
                                numerical_gradient(loss_of_b1(example), example.params.b1), floor);
  worst.W2 = max_relative_error(grads.dW2,
                                numerical_gradient(loss_of_W2(example), example.params.W2), floor);
  worst.b2 = max_relative_error(grads.db2,
                                numerical_gradient(loss_of_b2(example), example.params.b2), floor);
  return worst;
}

GradientCheck check_sampled(const Grads& grads, const Example& example, int directions,
                            arma::uword entries, std::uint64_t seed) {
  const testing::AssertionResult shapes = HasTheShapesOfTheParameters(grads, example.params);
  require_shape(static_cast<bool>(shapes), shapes.message());
  const double floor = gradient_floor(example.loss);
  std::mt19937_64 rng(seed);
  const auto block = [&](const std::function<double(const arma::mat&)>& f, const arma::mat& point,
                         const arma::mat& analytic) {
    double worst = 0.0;
    for (int d = 0; d < directions; ++d) {
      const arma::mat U = unit_direction(point, rng);
      const double numerical = (f(point + kStep * U) - f(point - kStep * U)) / (2.0 * kStep);
      worst = std::max(worst, relative_error(arma::accu(analytic % U), numerical, floor));
    }
    // Entries: all of them when there are no more than `entries`, else `entries` at random.
    std::vector<arma::uword> picked;
    if (point.n_elem <= entries) {
      for (arma::uword i = 0; i < point.n_elem; ++i) picked.push_back(i);
    } else {
      for (arma::uword j = 0; j < entries; ++j) picked.push_back(rng() % point.n_elem);
    }
    arma::mat nudged = point;
    for (const arma::uword i : picked) {
      nudged(i) = point(i) + kStep;
      const double up = f(nudged);
      nudged(i) = point(i) - kStep;
      const double down = f(nudged);
      nudged(i) = point(i);
      worst = std::max(worst, relative_error(analytic(i), (up - down) / (2.0 * kStep), floor));
    }
    return worst;
  };
  GradientCheck worst;
  worst.W1 = block(loss_of_W1(example), example.params.W1, grads.dW1);
  worst.b1 = block(loss_of_b1(example), example.params.b1, grads.db1);
  worst.W2 = block(loss_of_W2(example), example.params.W2, grads.dW2);
  worst.b2 = block(loss_of_b2(example), example.params.b2, grads.db2);
  return worst;
}

testing::AssertionResult AgreesToRounding(const arma::mat& a, const arma::mat& b) {
  if (a.n_rows != b.n_rows || a.n_cols != b.n_cols)
    return testing::AssertionFailure()
           << "shapes differ: " << shape_of(a) << " and " << shape_of(b);
  const double scale = b.is_empty() ? 0.0 : arma::abs(b).max();
  testing::AssertionResult near = EntriesNear(a, b, 1e-12 * scale, "");
  if (!near) near << " (1e-12 of the largest entry, " << scale << ")";
  return near;
}

std::string show(const Params& params) {
  return "W1 = " + show(params.W1) + ", b1 = " + show(params.b1) + ", W2 = " + show(params.W2) +
         ", b2 = " + show(params.b2);
}

std::string describe(const GradientCheck& errors) {
  std::ostringstream out;
  out << std::setprecision(2) << std::scientific << "W1 " << errors.W1 << "  b1 " << errors.b1
      << "  W2 " << errors.W2 << "  b2 " << errors.b2;
  return out.str();
}

}  // namespace bp::test
