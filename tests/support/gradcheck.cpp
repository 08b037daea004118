#include "support/gradcheck.hpp"

#include <algorithm>
#include <cmath>

namespace bp::test {

double relative_error(double a, double b, double floor) {
  return std::abs(a - b) / std::max(floor, std::abs(a) + std::abs(b));
}

double max_relative_error(const arma::mat& a, const arma::mat& b, double floor) {
  double worst = 0.0;
  for (arma::uword i = 0; i < a.n_elem; ++i)
    worst = std::max(worst, relative_error(a(i), b(i), floor));
  return worst;
}

arma::mat numerical_gradient(const std::function<double(const arma::mat&)>& f, const arma::mat& X,
                             double h) {
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

arma::mat numerical_jacobian(const std::function<arma::mat(const arma::mat&)>& F,
                             const arma::mat& X, double h) {
  const arma::uword outputs = F(X).n_elem;
  arma::mat J(outputs, X.n_elem);
  arma::mat Xh = X;
  for (arma::uword c = 0; c < X.n_elem; ++c) {
    Xh(c) = X(c) + h;
    const arma::mat up = F(Xh);
    Xh(c) = X(c) - h;
    const arma::mat down = F(Xh);
    Xh(c) = X(c);
    J.col(c) = arma::vectorise(up - down) / (2.0 * h);
  }
  return J;
}

double numerical_directional(const std::function<arma::mat(const arma::mat&)>& F,
                             const arma::mat& X, const arma::mat& U, const arma::mat& V, double h) {
  const double up = arma::accu(V % F(X + h * U));
  const double down = arma::accu(V % F(X - h * U));
  return (up - down) / (2.0 * h);
}

}  // namespace bp::test
