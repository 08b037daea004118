// Chapter 06 reference solutions.
#include "06_local_derivatives/local_derivatives.hpp"

#include <string>

#include "common/shape.hpp"

namespace bp {

// [tanh_derivative]
arma::mat tanh_derivative(const arma::mat& A) {
  // tanh' = 1 − tanh²: from the output the forward pass kept, no second tanh.
  return 1.0 - A % A;
}
// [tanh_derivative]

// [sigmoid_derivative]
arma::mat sigmoid_derivative(const arma::mat& S) {
  // σ' = e^−s / (1 + e^−s)² = σ · (1 − σ).
  return S % (1.0 - S);
}
// [sigmoid_derivative]

// [softmax_jacobian]
arma::mat softmax_jacobian(const arma::rowvec& p) {
  // ∂p_i/∂z_j = p_i (δ_ij − p_j): the diagonal p_i, minus the outer product pᵀp.
  return arma::diagmat(p) - p.t() * p;
}
// [softmax_jacobian]

// [loss_gradient_logits]
arma::rowvec loss_gradient_logits(const arma::rowvec& p, const arma::rowvec& y) {
  require_shape(p.n_cols == y.n_cols,
                "loss_gradient_logits: p is " + shape_of(p) + " but y is " + shape_of(y) +
                    ": probabilities and label must have the same shape (1×K)");
  // (−y/p) times diag(p) − pᵀp leaves p Σy − y = p − y: the loss's gradient, not the likelihood's.
  return p - y;
}
// [loss_gradient_logits]

// [affine_jacobian_input]
arma::mat affine_jacobian_input(const arma::mat& W) {
  // ∂z_k/∂a_d = W_dk: row k of J is column k of W.
  return W.t();
}
// [affine_jacobian_input]

// [affine_jacobian_weights]
arma::mat affine_jacobian_weights(const arma::rowvec& x, arma::uword K) {
  // ∂z_k/∂W_dj = x_d δ_kj: one copy of x per output, in the block of column k of W.
  return arma::kron(arma::eye(K, K), x);
}
// [affine_jacobian_weights]

// [affine_jacobian_bias]
arma::mat affine_jacobian_bias(arma::uword K) {
  // ∂z_k/∂b_j = δ_kj: each output has its own bias.
  return arma::eye(K, K);
}
// [affine_jacobian_bias]

}  // namespace bp
