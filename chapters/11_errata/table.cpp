// Chapter 11, given: the table of errata and the checks it is made of.
#include "11_errata/table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "11_errata/errata.hpp"
#include "11_errata/forms.hpp"
#include "common/data.hpp"
#include "common/exercise.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"

namespace bp::errata {

arma::mat softmax(const arma::mat& Z) {
  const arma::vec row_max = arma::max(Z, 1);
  arma::mat E = arma::exp(Z.each_col() - row_max);
  const arma::vec row_sum = arma::sum(E, 1);
  E.each_col() /= row_sum;
  return E;
}

double loss(const arma::mat& Z2, const arma::mat& Y) {
  require_shape(arma::size(Z2) == arma::size(Y) && !Z2.is_empty(),
                "loss: Z2 is " + shape_of(Z2) + " and Y is " + shape_of(Y) +
                    ": they must have the same shape, with at least one row");
  const arma::vec row_max = arma::max(Z2, 1);
  const arma::mat shifted = Z2.each_col() - row_max;
  const arma::vec log_sum = arma::log(arma::sum(arma::exp(shifted), 1));
  const arma::mat log_P = shifted.each_col() - log_sum;
  return -arma::accu(Y % log_P) / static_cast<double>(Z2.n_rows);
}

Cache forward(const Params& params, const arma::mat& X) {
  Cache cache;
  cache.X = X;
  cache.Z1 = X * params.W1;
  cache.Z1.each_row() += params.b1;
  cache.A1 = arma::tanh(cache.Z1);
  cache.Z2 = cache.A1 * params.W2;
  cache.Z2.each_row() += params.b2;
  cache.P = softmax(cache.Z2);
  return cache;
}

Example example(arma::uword hidden, arma::uword samples, std::uint64_t seed) {
  Example e;
  Rng rng(seed);
  e.params.W1 = normal_matrix(2, hidden, 1.0 / std::sqrt(2.0), rng);
  e.params.b1.zeros(hidden);
  e.params.W2 = normal_matrix(hidden, 2, 1.0 / std::sqrt(static_cast<double>(hidden)), rng);
  e.params.b2.zeros(2);
  Rng data(seed + 1);
  arma::mat X;
  toy_batch(samples, data, X, e.Y);
  e.cache = errata::forward(e.params, X);
  e.loss = loss(e.cache.Z2, e.Y);
  return e;
}

arma::mat numerical_gradient(const std::function<double(const arma::mat&)>& f, const arma::mat& X,
                             double h) {
  arma::mat G(arma::size(X));
  arma::mat moved = X;
  for (arma::uword i = 0; i < X.n_elem; ++i) {
    moved(i) = X(i) + h;
    const double up = f(moved);
    moved(i) = X(i) - h;
    const double down = f(moved);
    moved(i) = X(i);
    G(i) = (up - down) / (2.0 * h);
  }
  return G;
}

arma::mat numerical_jacobian(const std::function<arma::mat(const arma::mat&)>& F,
                             const arma::mat& X, double h) {
  arma::mat J;
  arma::mat moved = X;
  for (arma::uword i = 0; i < X.n_elem; ++i) {
    moved(i) = X(i) + h;
    const arma::mat up = F(moved);
    moved(i) = X(i) - h;
    const arma::mat down = F(moved);
    moved(i) = X(i);
    if (i == 0) J.zeros(up.n_elem, X.n_elem);
    J.col(i) = arma::vectorise(up - down) / (2.0 * h);
  }
  return J;
}

double relative_error(const arma::mat& a, const arma::mat& b, double floor) {
  require_shape(arma::size(a) == arma::size(b),
                "relative_error: a is " + shape_of(a) + " and b is " + shape_of(b));
  double worst = 0.0;
  for (arma::uword i = 0; i < a.n_elem; ++i)
    worst =
        std::max(worst, std::abs(a(i) - b(i)) / std::max(floor, std::abs(a(i)) + std::abs(b(i))));
  return worst;
}

bool Verdict::agrees() const {
  return kind == Kind::Defined || (kind == Kind::Measured && relative_error <= kTolerance);
}

std::string Verdict::brief() const {
  switch (kind) {
    case Kind::Defined: return "defined " + shape;
    case Kind::WrongShape: return "shape " + shape;
    case Kind::Undefined: return "undefined";
    case Kind::Measured: break;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1e", relative_error);
  return text;
}

std::string Verdict::text() const {
  switch (kind) {
    case Kind::Defined: return "defined: " + shape;
    case Kind::WrongShape: return "shape " + shape + ", not " + detail;
    case Kind::Undefined: return "undefined: " + detail;
    case Kind::Measured: break;
  }
  return brief();
}

std::string Erratum::status() const {
  if (as_printed.agrees()) return "right";
  return as_corrected.agrees() ? "wrong" : "unresolved";
}

Verdict verdict(const std::function<arma::mat()>& form, const arma::mat& reference, double floor) {
  Verdict verdict;
  arma::mat value;
  try {
    value = form();
  } catch (const ExerciseNotDone&) {
    throw;
  } catch (const std::logic_error& e) {
    verdict.kind = Verdict::Kind::Undefined;
    verdict.detail = e.what();
    return verdict;
  }
  verdict.shape = shape_of(value);
  if (arma::size(value) != arma::size(reference)) {
    verdict.kind = Verdict::Kind::WrongShape;
    verdict.detail = shape_of(reference);
    return verdict;
  }
  verdict.relative_error = relative_error(value, reference, floor);
  return verdict;
}

Verdict definition(const std::function<arma::mat()>& form) {
  Verdict verdict;
  try {
    verdict.shape = shape_of(form());
    verdict.kind = Verdict::Kind::Defined;
  } catch (const ExerciseNotDone&) {
    throw;
  } catch (const std::logic_error& e) {
    verdict.kind = Verdict::Kind::Undefined;
    verdict.detail = e.what();
  }
  return verdict;
}

std::vector<Erratum> table(const Example& e) {
  const Params& p = e.params;
  const Cache& c = e.cache;
  const arma::mat& Y = e.Y;
  const arma::uword H = p.W1.n_cols;
  const arma::uword K = p.W2.n_cols;
  const double loss_floor = kFloor * std::max(1.0, std::abs(e.loss));
  // The first sample, for the post's one-sample forms and the local derivatives.
  const arma::rowvec x = c.X.row(0);
  const arma::rowvec z1 = c.Z1.row(0);
  const arma::rowvec a1 = c.A1.row(0);
  const arma::rowvec z2 = c.Z2.row(0);

  // The loss as a function of each quantity it depends on, the others held.
  const auto loss_of_Z2 = [&](const arma::mat& Z2) { return loss(Z2, Y); };
  const auto loss_of_W2 = [&](const arma::mat& W2) {
    arma::mat Z2 = c.A1 * W2;
    Z2.each_row() += p.b2;
    return loss(Z2, Y);
  };
  const auto loss_of_b2 = [&](const arma::mat& b2) {
    arma::mat Z2 = c.A1 * p.W2;
    Z2.each_row() += b2;
    return loss(Z2, Y);
  };
  const auto loss_of_W1 = [&](const arma::mat& W1) {
    Params q = p;
    q.W1 = W1;
    return loss(errata::forward(q, c.X).Z2, Y);
  };
  const auto loss_of_b1 = [&](const arma::mat& b1) {
    Params q = p;
    q.b1 = b1;
    return loss(errata::forward(q, c.X).Z2, Y);
  };

  std::vector<Erratum> rows;
  const auto add = [&rows](std::string equation, std::string printed, std::string corrected,
                           std::string reference, Verdict as_printed, Verdict as_corrected) {
    rows.push_back({std::move(equation), std::move(printed), std::move(corrected),
                    std::move(reference), std::move(as_printed), std::move(as_corrected)});
  };

  // (1)–(4): the forward pass, one sample as printed, the batch as corrected.
  add("(1)", "z1 = x W1 + b1", "Z1 = X W1 + 1 b1", "the shapes of its products",
      definition([&] { return post_eq1_printed(x, p.W1, p.b1); }),
      definition([&] { return arma::mat(c.Z1.row(0)); }));
  add("(2)", "a1 = tanh(z1)", "A1 = tanh(Z1)", "the shapes of its products",
      definition([&] { return post_eq2_printed(z1); }),
      definition([&] { return arma::mat(c.A1.row(0)); }));
  add("(3)", "z2 = a1 W2 + b2", "Z2 = A1 W2 + 1 b2", "the shapes of its products",
      definition([&] { return post_eq3_printed(a1, p.W2, p.b2); }),
      definition([&] { return arma::mat(c.Z2.row(0)); }));
  add("(4)", "ŷ = softmax(z2)", "P = softmax(Z2), row by row", "the shapes of its products",
      definition([&] { return post_eq4_printed(z2); }),
      definition([&] { return arma::mat(c.P.row(0)); }));

  // (5): values of the loss.
  const arma::mat L = {e.loss};
  const std::string loss_reference = "L = −(1/N) Σ Y ⊙ ln softmax(Z2), log-sum-exp";
  add("(5)", "Loss = y ln σ(z2) + (1−y) ln(1−σ(z2)), σ(z2) = ŷ",
      "L = −mean[y ln σ(s) + (1−y) ln(1−σ(s))], s = z2[1] − z2[0]", loss_reference,
      verdict([&] { return arma::mat{post_eq5_printed(c.Z2, Y)}; }, L),
      verdict([&] { return arma::mat{corrected_eq5(c.Z2, Y)}; }, L));
  add("(5) σ", "σ(z2) as σ of each logit (the sign fixed)",
      "L = −mean[y ln σ(s) + (1−y) ln(1−σ(s))], s = z2[1] − z2[0]", loss_reference,
      verdict([&] { return arma::mat{post_eq5_sigma_of_each_logit(c.Z2, Y)}; }, L),
      verdict([&] { return arma::mat{corrected_eq5(c.Z2, Y)}; }, L));

  // (6): σ′ at the logit differences, against the diagonal of σ's Jacobian.
  const arma::mat s = c.Z2.col(1) - c.Z2.col(0);
  const arma::mat sigma_jacobian = numerical_jacobian(errata_sigmoid, s);
  const arma::mat S = errata_sigmoid(s);
  add("(6)", "dσ(z2)/dz = ln σ(z2) · ln(1−σ(z2))", "σ′ = σ (1 − σ)",
      "central differences of σ at s = z2[1] − z2[0]",
      verdict([&] { return arma::mat(arma::diagmat(post_eq6_printed(S))); }, sigma_jacobian),
      verdict([&] { return arma::mat(arma::diagmat(corrected_eq6(S))); }, sigma_jacobian));

  // (7): the exercise 11.1.
  const arma::mat numerical_dZ2 = numerical_gradient(loss_of_Z2, c.Z2);
  const arma::mat dZ2 = corrected_eq7(c.Z2, Y);
  add("(7)", "∂Loss/∂z2 = y − ŷ", "dZ2 = (P − Y)/N, i.e. ŷ − y (exercise 11.1)",
      "central differences of L in Z2",
      verdict([&] { return post_eq7_printed(c.P, Y); }, numerical_dZ2, loss_floor),
      verdict([&] { return dZ2; }, numerical_dZ2, loss_floor));

  // (8)–(13): local derivatives of the first sample, against central-difference Jacobians.
  const arma::mat J8 =
      numerical_jacobian([&](const arma::mat& W2) { return arma::mat(a1 * W2 + p.b2); }, p.W2);
  add("(8)", "∂z2/∂W2 = a1", "= a1: the Jacobian I ⊗ a1", "central differences of z2 in W2",
      verdict([&] { return post_eq8_printed(a1, K); }, J8),
      verdict([&] { return post_eq8_printed(a1, K); }, J8));
  const arma::mat J9 = numerical_jacobian(
      [&](const arma::mat& b2) { return arma::mat(a1 * p.W2 + b2); }, arma::mat(p.b2));
  add("(9)", "∂z2/∂b2 = 1", "= 1: the identity", "central differences of z2 in b2",
      verdict([&] { return post_eq9_printed(K); }, J9),
      verdict([&] { return post_eq9_printed(K); }, J9));
  const arma::mat J10 = numerical_jacobian(
      [&](const arma::mat& a) { return arma::mat(a * p.W2 + p.b2); }, arma::mat(a1));
  add("(10)", "∂z2/∂tanh(z1) = z2", "W2 (the Jacobian W2ᵀ); dA1 = dZ2 W2ᵀ",
      "central differences of z2 in a1", verdict([&] { return post_eq10_printed(z2); }, J10),
      verdict([&] { return corrected_eq10(p.W2); }, J10));
  const arma::mat J11 = numerical_jacobian(
      [](const arma::mat& z) { return arma::mat(arma::tanh(z)); }, arma::mat(z1));
  add("(11)", "∂tanh(z1)/∂z1 = 1 − tanh²(z1)", "= 1 − a1²: the Jacobian diag(1 − a1²)",
      "central differences of tanh in z1", verdict([&] { return post_eq11_printed(a1); }, J11),
      verdict([&] { return post_eq11_printed(a1); }, J11));
  const arma::mat J12 =
      numerical_jacobian([&](const arma::mat& W1) { return arma::mat(x * W1 + p.b1); }, p.W1);
  add("(12)", "∂z1/∂W1 = x", "= x: the Jacobian I ⊗ x", "central differences of z1 in W1",
      verdict([&] { return post_eq12_printed(x, H); }, J12),
      verdict([&] { return post_eq12_printed(x, H); }, J12));
  const arma::mat J13 = numerical_jacobian(
      [&](const arma::mat& b1) { return arma::mat(x * p.W1 + b1); }, arma::mat(p.b1));
  add("(13)", "∂z1/∂b1 = 1", "= 1: the identity", "central differences of z1 in b1",
      verdict([&] { return post_eq13_printed(H); }, J13),
      verdict([&] { return post_eq13_printed(H); }, J13));

  // (14)–(17): the parameter gradients, against central differences of the loss.
  const arma::mat numerical_dW2 = numerical_gradient(loss_of_W2, p.W2);
  add("(14)", "∂Loss/∂W2 = a1ᵀ (y − ŷ)", "dW2 = A1ᵀ dZ2", "central differences of L in W2",
      verdict([&] { return post_eq14_printed(c.A1, c.P, Y); }, numerical_dW2, loss_floor),
      verdict([&] { return corrected_eq14(c.A1, dZ2); }, numerical_dW2, loss_floor));
  const arma::mat numerical_db2 = numerical_gradient(loss_of_b2, arma::mat(p.b2));
  add("(15)", "∂Loss/∂b2 = y − ŷ", "db2 = Σ_rows dZ2", "central differences of L in b2",
      verdict([&] { return post_eq15_printed(c.P, Y); }, numerical_db2, loss_floor),
      verdict([&] { return corrected_eq15(dZ2); }, numerical_db2, loss_floor));
  const arma::mat numerical_dW1 = numerical_gradient(loss_of_W1, p.W1);
  add("(16)", "∂Loss/∂W1 = xᵀ (1 − tanh² z1)(y − ŷ) W2ᵀ",
      "dW1 = Xᵀ [(dZ2 W2ᵀ) ⊙ (1 − A1²)] (exercise 11.2)", "central differences of L in W1",
      verdict([&] { return post_eq16_printed(c.X, c.A1, c.P, Y, p.W2); }, numerical_dW1,
              loss_floor),
      verdict([&] { return corrected_eq16(c.X, dZ2, p.W2, c.A1); }, numerical_dW1, loss_floor));
  const arma::mat numerical_db1 = numerical_gradient(loss_of_b1, arma::mat(p.b1));
  add("(17) line 1", "∂Loss/∂b1 = ∂Loss/∂z2 · ∂z2/∂z1 · ∂z1/∂W1",
      "∂Loss/∂b1 = ∂Loss/∂z2 · ∂z2/∂z1 · ∂z1/∂b1", "central differences of L in b1",
      verdict([&] { return post_eq17_first_line(c.X, dZ2, p.W2, c.A1); }, numerical_db1,
              loss_floor),
      verdict([&] { return corrected_eq17(dZ2, p.W2, c.A1); }, numerical_db1, loss_floor));
  add("(17)", "∂Loss/∂b1 = (1 − tanh² z1)(y − ŷ) W2ᵀ", "db1 = Σ_rows [(dZ2 W2ᵀ) ⊙ (1 − A1²)]",
      "central differences of L in b1",
      verdict([&] { return post_eq17_printed(c.A1, c.P, Y, p.W2); }, numerical_db1, loss_floor),
      verdict([&] { return corrected_eq17(dZ2, p.W2, c.A1); }, numerical_db1, loss_floor));
  return rows;
}

std::string markdown(const std::vector<Erratum>& rows, const std::string& origin) {
  std::string out = "<!-- " + origin + " -->\n";
  out += "| eq. | as printed | corrected | verdict | as printed, checked | corrected, checked "
         "| checked against |\n";
  out += "|---|---|---|---|---|---|---|\n";
  for (const Erratum& row : rows)
    out += "| " + row.equation + " | `" + row.printed + "` | `" + row.corrected + "` | " +
           row.status() + " | " + row.as_printed.text() + " | " + row.as_corrected.text() + " | " +
           row.reference + " |\n";
  return out;
}

}  // namespace bp::errata
