// Chapter 05 reference solutions.
#include "05_finite_differences/finite_differences.hpp"

#include <algorithm>
#include <cmath>

namespace bp {

// [central_difference]
double central_difference(const std::function<double(double)>& f, double x, double h) {
  // Symmetric about x: the h² f''/2 terms of f(x+h) and f(x−h) cancel, the error is O(h²).
  return (f(x + h) - f(x - h)) / (2.0 * h);
}
// [central_difference]

// [relative_error]
double relative_error(double a, double b, double floor) {
  // |a| + |b| treats both numbers alike; the floor turns tiny ones into an absolute comparison.
  return std::abs(a - b) / std::max(floor, std::abs(a) + std::abs(b));
}
// [relative_error]

// [numerical_gradient]
arma::mat numerical_gradient(const std::function<double(const arma::mat&)>& f, const arma::mat& X,
                             double h) {
  // One copy, one entry nudged at a time and put back: f always sees X plus a single ±h.
  arma::mat G(arma::size(X));
  arma::mat Xh = X;
  for (arma::uword i = 0; i < X.n_elem; ++i) {
    Xh(i) = X(i) + h;
    const double up = f(Xh);
    Xh(i) = X(i) - h;
    const double down = f(Xh);
    Xh(i) = X(i);
    G(i) = (up - down) / (2.0 * h);
  }
  return G;
}
// [numerical_gradient]

}  // namespace bp
