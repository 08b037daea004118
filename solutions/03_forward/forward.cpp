// Chapter 03 reference solutions.
#include "03_forward/forward.hpp"

#include <cmath>

#include "01_shapes/shapes.hpp"
#include "02_activations/activations.hpp"
#include "common/random.hpp"

namespace bp {

// [init]
Params init_params(arma::uword hidden, std::uint64_t seed, arma::uword inputs,
                   arma::uword classes) {
  // Var(w) = 1/fan-in makes Var(z) = fan-in · Var(w) · Var(x) equal Var(x): no layer scales it.
  Rng rng(seed);
  Params params;
  params.W1 = normal_matrix(inputs, hidden, 1.0 / std::sqrt(static_cast<double>(inputs)), rng);
  params.b1.zeros(hidden);
  params.W2 = normal_matrix(hidden, classes, 1.0 / std::sqrt(static_cast<double>(hidden)), rng);
  params.b2.zeros(classes);
  return params;
}
// [init]

// [forward]
Cache forward(const Params& params, const arma::mat& X) {
  // Keep the input and every intermediate: the backward pass reads them instead of recomputing.
  Cache cache;
  cache.X = X;
  cache.Z1 = affine(X, params.W1, params.b1);         // (1) N×H
  cache.A1 = tanh_activation(cache.Z1);               // (2) N×H
  cache.Z2 = affine(cache.A1, params.W2, params.b2);  // (3) N×K
  cache.P = softmax(cache.Z2);                        // (4) N×K
  return cache;
}
// [forward]

}  // namespace bp
