// Chapter 12 exercises: curvature. Read chapters/12_curvature/README.md first; `./course next`
// runs the tests of the first exercise that is not done yet.
#include "12_curvature/curvature.hpp"

#include "common/exercise.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"

namespace bp {

arma::vec hessian_vector_product(const GradientFunction& gradient, const arma::vec& theta,
                                 const arma::vec& v, double step) {
  // TODO(12.1): check that v has as many entries as θ; evaluate the gradient at θ + εv and at
  // θ − εv, check its length, and return their difference divided by 2ε.
  BP_EXERCISE("12.1");
}

arma::mat hessian(const GradientFunction& gradient, const arma::vec& theta, double step) {
  // TODO(12.2): check that θ is not empty; column j of the n×n result is the Hessian-vector
  // product with the unit vector e_j (exercise 12.1).
  BP_EXERCISE("12.2");
}

PowerIteration power_iteration(const LinearMap& multiply, arma::uword n, std::uint64_t seed,
                               arma::uword max_iterations, double tolerance) {
  // TODO(12.3): check n; draw v (n×1, N(0, 1)) with normal_matrix from Rng(seed) and scale it
  // to norm 1. Then repeat: w = multiply(v) (check its length), λ = vᵀw, stop when
  // ‖w − λv‖ ≤ tolerance·|λ|, else v = w / ‖w‖. Return λ, v, the products used, converged.
  BP_EXERCISE("12.3");
}

}  // namespace bp
