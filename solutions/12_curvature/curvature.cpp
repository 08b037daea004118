// Chapter 12 reference solutions.
#include "12_curvature/curvature.hpp"

#include <cmath>
#include <string>

#include "common/random.hpp"
#include "common/shape.hpp"

namespace bp {

// [hessian_vector_product]
arma::vec hessian_vector_product(const GradientFunction& gradient, const arma::vec& theta,
                                 const arma::vec& v, double step) {
  require_shape(v.n_elem == theta.n_elem, "hessian_vector_product: v is " + shape_of(v) +
                                              " but θ is " + shape_of(theta) +
                                              ": the direction needs one entry per parameter");
  const arma::vec plus = gradient(theta + step * v);
  const arma::vec minus = gradient(theta - step * v);
  require_shape(plus.n_elem == theta.n_elem && minus.n_elem == theta.n_elem,
                "hessian_vector_product: the gradient is " + shape_of(plus) + " but θ is " +
                    shape_of(theta) + ": a gradient has one entry per parameter");
  // Central: the ε² terms of g(θ ± εv) are equal and cancel, leaving H v + O(ε²).
  return (plus - minus) / (2.0 * step);
}
// [hessian_vector_product]

// [hessian]
arma::mat hessian(const GradientFunction& gradient, const arma::vec& theta, double step) {
  require_shape(!theta.is_empty(),
                "hessian: θ is " + shape_of(theta) + ": there must be at least one parameter");
  const arma::uword n = theta.n_elem;
  arma::mat H(n, n);
  arma::vec unit(n, arma::fill::zeros);
  for (arma::uword j = 0; j < n; ++j) {
    // H e_j is column j; the unit vector is put back to 0 before the next column.
    unit(j) = 1.0;
    H.col(j) = hessian_vector_product(gradient, theta, unit, step);
    unit(j) = 0.0;
  }
  return H;
}
// [hessian]

// [power_iteration]
PowerIteration power_iteration(const LinearMap& multiply, arma::uword n, std::uint64_t seed,
                               arma::uword max_iterations, double tolerance) {
  require_shape(n > 0, "power_iteration: n is 0: there must be at least one dimension");
  Rng rng(seed);
  arma::vec v = normal_matrix(n, 1, 1.0, rng);
  v /= arma::norm(v);
  PowerIteration result;
  result.eigenvector = v;
  for (arma::uword k = 1; k <= max_iterations; ++k) {
    const arma::vec w = multiply(v);
    require_shape(w.n_elem == n, "power_iteration: A v is " + shape_of(w) + " but v is " +
                                     shape_of(v) + ": A must be n×n");
    const double lambda = arma::dot(v, w);  // the Rayleigh quotient, as ‖v‖ = 1
    result.eigenvalue = lambda;
    result.eigenvector = v;
    result.iterations = k;
    if (arma::norm(w - lambda * v) <= tolerance * std::abs(lambda)) {
      result.converged = true;
      return result;
    }
    // Normalising keeps λ^k from overflowing (|λ| > 1) or underflowing (|λ| < 1).
    v = w / arma::norm(w);
  }
  return result;
}
// [power_iteration]

}  // namespace bp
