// Chapter 08 reference solutions.
#include "08_hidden_layer/hidden_layer.hpp"

#include <string>

#include "07_output_layer/output_layer.hpp"
#include "common/shape.hpp"

namespace bp {

// [input_gradient]
arma::mat input_gradient(const arma::mat& dZ, const arma::mat& W) {
  require_shape(dZ.n_cols == W.n_cols, "input_gradient: dZ is " + shape_of(dZ) + " but W is " +
                                           shape_of(W) +
                                           ": dZ needs one column per column (output) of W");
  // A(n,h) reached every output k through W(h,k): sum dZ(n,k) W(h,k) over k, that is dZ Wᵀ.
  return dZ * W.t();
}
// [input_gradient]

// [tanh_backward]
arma::mat tanh_backward(const arma::mat& dA, const arma::mat& A) {
  require_shape(dA.n_rows == A.n_rows && dA.n_cols == A.n_cols,
                "tanh_backward: dA is " + shape_of(dA) + " but A is " + shape_of(A) +
                    ": tanh acts entry by entry, so both have the shape of Z");
  // tanh acts entry by entry, so its backward is an entry-by-entry product: tanh' = 1 − tanh².
  return dA % (1.0 - arma::square(A));
}
// [tanh_backward]

// [hidden_layer_backward]
HiddenGrads hidden_layer_backward(const Params& params, const Cache& cache, const arma::mat& dZ2) {
  // Walk back through (3), (2), (1): each step reads what the forward pass cached.
  HiddenGrads g;
  g.dA1 = input_gradient(dZ2, params.W2);   // (10) N×K · K×H -> N×H
  g.dZ1 = tanh_backward(g.dA1, cache.A1);   // (11) N×H ⊙ N×H -> N×H
  g.dW1 = weight_gradient(cache.X, g.dZ1);  // (16) D×N · N×H -> D×H
  g.db1 = bias_gradient(g.dZ1);             // (17) Σ_rows    -> 1×H
  return g;
}
// [hidden_layer_backward]

}  // namespace bp
