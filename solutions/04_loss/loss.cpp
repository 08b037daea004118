// Chapter 04 reference solutions.
#include "04_loss/loss.hpp"

#include <string>

#include "common/shape.hpp"

namespace bp {

// [cross_entropy]
double cross_entropy(const arma::mat& P, const arma::mat& Y) {
  require_shape(P.n_rows == Y.n_rows && P.n_cols == Y.n_cols,
                "cross_entropy: P is " + shape_of(P) + " but Y is " + shape_of(Y) +
                    ": probabilities and labels must have the same shape (N×K)");
  require_shape(!P.is_empty(), "cross_entropy: P and Y are " + shape_of(P) +
                                   ": the mean needs at least one sample and one class");
  // Only entries with Y ≠ 0 count (0 ln 0 = 0): a predicted 0 elsewhere must not give 0·(−∞) = NaN.
  const arma::uvec labelled = arma::find(Y != 0.0);
  return -arma::accu(Y.elem(labelled) % arma::log(P.elem(labelled))) /
         static_cast<double>(P.n_rows);
}
// [cross_entropy]

// [cross_entropy_from_logits]
double cross_entropy_from_logits(const arma::mat& Z2, const arma::mat& Y) {
  require_shape(Z2.n_rows == Y.n_rows && Z2.n_cols == Y.n_cols,
                "cross_entropy_from_logits: Z2 is " + shape_of(Z2) + " but Y is " + shape_of(Y) +
                    ": logits and labels must have the same shape (N×K)");
  require_shape(!Z2.is_empty(), "cross_entropy_from_logits: Z2 and Y are " + shape_of(Z2) +
                                    ": the mean needs at least one sample and one class");
  // Minus the row maximum, every exponent is ≤ 0 and every row sum ≥ 1: no overflow, no ln 0.
  const arma::mat S = Z2.each_col() - arma::max(Z2, 1);
  const arma::vec log_sum = arma::log(arma::sum(arma::exp(S), 1));
  const arma::mat log_P = S.each_col() - log_sum;
  return -arma::accu(Y % log_P) / static_cast<double>(Z2.n_rows);
}
// [cross_entropy_from_logits]

// [sigmoid_cross_entropy]
double sigmoid_cross_entropy(const arma::vec& s, const arma::vec& y) {
  require_shape(s.n_rows == y.n_rows, "sigmoid_cross_entropy: s is " + shape_of(s) + " but y is " +
                                          shape_of(y) +
                                          ": one label per logit difference (both N×1)");
  require_shape(!s.is_empty(), "sigmoid_cross_entropy: s and y are " + shape_of(s) +
                                   ": the mean needs at least one sample");
  // ln σ(s) = −max(0, −s) − ln(1 + e^−|s|): no positive exponent; log1p keeps a tiny e^−|s|.
  const arma::vec tail = arma::log1p(arma::exp(-arma::abs(s)));
  const arma::vec log_sigma = -arma::clamp(-s, 0.0, arma::datum::inf) - tail;
  const arma::vec log_one_minus_sigma = -arma::clamp(s, 0.0, arma::datum::inf) - tail;
  return -arma::mean(y % log_sigma + (1.0 - y) % log_one_minus_sigma);
}
// [sigmoid_cross_entropy]

}  // namespace bp
