// Chapter 06 exercises: the local derivatives of the post, equations (6)–(13), corrected where
// the post is wrong. Read chapters/06_local_derivatives/README.md first; `./course next` runs
// the tests of the first exercise that is not done yet.
#include "06_local_derivatives/local_derivatives.hpp"

#include "common/exercise.hpp"
#include "common/shape.hpp"

namespace bp {

arma::mat tanh_derivative(const arma::mat& A) {
  // TODO(6.1): return 1 − A², entry by entry (A is the output of tanh, not its input).
  BP_EXERCISE("6.1");
}

arma::mat sigmoid_derivative(const arma::mat& S) {
  // TODO(6.2): return σ(1 − σ) entry by entry, where S holds σ (not ln σ · ln(1 − σ)).
  BP_EXERCISE("6.2");
}

arma::mat softmax_jacobian(const arma::rowvec& p) {
  // TODO(6.3): return the K×K matrix diag(p) − pᵀp.
  BP_EXERCISE("6.3");
}

arma::rowvec loss_gradient_logits(const arma::rowvec& p, const arma::rowvec& y) {
  // TODO(6.4): check that p and y have the same shape (require_shape, shape_of), then return
  // p − y (not y − p).
  BP_EXERCISE("6.4");
}

arma::mat affine_jacobian_input(const arma::mat& W) {
  // TODO(6.5): return the K×D matrix of ∂z_k/∂a_d for z = a W + b.
  BP_EXERCISE("6.5");
}

arma::mat affine_jacobian_weights(const arma::rowvec& x, arma::uword K) {
  // TODO(6.6): return the K×(D·K) matrix whose row k holds x in columns k·D … k·D + D − 1 and
  // zeros elsewhere.
  BP_EXERCISE("6.6");
}

arma::mat affine_jacobian_bias(arma::uword K) {
  // TODO(6.7): return the K×K matrix of ∂z_k/∂b_j.
  BP_EXERCISE("6.7");
}

}  // namespace bp
