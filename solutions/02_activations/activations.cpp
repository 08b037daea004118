// Chapter 02 reference solutions.
#include "02_activations/activations.hpp"

#include <cmath>

namespace bp {

// [tanh]
arma::mat tanh_activation(const arma::mat& Z1) {
  // The C library's tanh saturates to exactly ±1, where (e^2z − 1)/(e^2z + 1) gives inf/inf.
  return arma::tanh(Z1);
}
// [tanh]

// [softmax]
arma::mat softmax(const arma::mat& Z) {
  // The row maximum cancels in the ratio, and after subtracting it every exponent is ≤ 0.
  arma::mat E = Z;
  E.each_col() -= arma::max(Z, 1);
  E = arma::exp(E);
  E.each_col() /= arma::sum(E, 1);
  return E;
}
// [softmax]

// [sigmoid]
arma::mat sigmoid(const arma::mat& S) {
  // Both forms use only e^−|s| ≤ 1: it cannot overflow, and the denominator stays in [1, 2].
  arma::mat out = S;
  out.transform([](double s) {
    const double e = std::exp(-std::abs(s));
    return s >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
  });
  return out;
}
// [sigmoid]

}  // namespace bp
