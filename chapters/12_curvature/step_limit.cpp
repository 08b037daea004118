// Chapter 12, given: H v as a map, spectra, the zero band, and runs of gradient descent along
// v1.
#include "12_curvature/step_limit.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/print.hpp"

namespace bp {

LinearMap hessian_times(const GradientFunction& gradient, const arma::vec& theta) {
  return [gradient, theta](const arma::vec& v) {
    return hessian_vector_product(gradient, theta, v, kHessianStep);
  };
}

arma::vec symmetric_spectrum(const arma::mat& symmetric) {
  arma::vec eigenvalues;
  if (!arma::eig_sym(eigenvalues, symmetric)) throw std::runtime_error("eig_sym did not converge");
  return arma::reverse(eigenvalues);  // eig_sym returns them in ascending order
}

double zero_band(const arma::mat& H) {
  return static_cast<double>(H.n_rows) * arma::abs(H - H.t()).max();
}

DescentRun descend_along(const GradientFunction& gradient, const LossFunction& loss,
                         arma::vec theta, double rate, arma::uword steps, const arma::vec& v1,
                         double lambda) {
  DescentRun run{rate, arma::vec(steps + 1, arma::fill::value(arma::datum::nan)),
                 arma::vec(steps + 1, arma::fill::value(arma::datum::nan))};
  for (arma::uword t = 0; t <= steps; ++t) {
    run.loss(t) = loss(theta);
    if (!std::isfinite(run.loss(t))) break;
    const arma::vec g = gradient(theta);
    run.along(t) = arma::dot(g, v1) / lambda;
    theta -= rate * g;
  }
  return run;
}

double factor_per_step(const DescentRun& run, arma::uword span) {
  return std::pow(std::abs(run.along(span) / run.along(0)), 1.0 / static_cast<double>(span));
}

std::string describe_descent(const DescentRun& run) {
  const arma::uword span = std::min<arma::uword>(15, run.along.n_elem - 1);
  bool alternates = true;
  for (arma::uword t = 0; t < span; ++t)
    alternates = alternates && run.along(t) * run.along(t + 1) < 0.0;
  const double factor = factor_per_step(run, span);
  return std::string("e_t ") +
         (alternates ? "changes sign every step" : "does not change sign every step") + " and " +
         (factor < 1.0 ? "shrinks" : "grows") + " by a factor " + fixed_text(factor, 3) +
         " per step (measured over the first " + std::to_string(span) + " steps)";
}

}  // namespace bp
