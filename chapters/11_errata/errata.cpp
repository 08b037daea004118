// Chapter 11 exercises: two of the post's corrections, derived. Read chapters/11_errata/README.md
// first; `./course next` runs the tests of the first exercise that is not done yet.
#include "11_errata/errata.hpp"

#include "common/exercise.hpp"

namespace bp {

arma::mat corrected_eq7(const arma::mat& Z2, const arma::mat& Y) {
  // TODO(11.1): check that Z2 and Y are both N×2 with N ≥ 1 (require_shape, shape_of). Then,
  // with s = Z2.col(1) − Z2.col(0) and y = Y.col(1), return the N×2 matrix whose row n is
  // (σ(s_n) − y_n)/N times (−1, +1). errata_sigmoid computes σ. Do not start from softmax:
  // the point is to see ∂ℓ/∂s = σ(s) − y come out of the chain through σ′ = σ(1 − σ).
  BP_EXERCISE("11.1");
}

arma::mat corrected_eq16(const arma::mat& X, const arma::mat& dZ2, const arma::mat& W2,
                         const arma::mat& A1) {
  // TODO(11.2): return dW1 = Xᵀ [(dZ2 W2ᵀ) ⊙ (1 − A1²)] as one Armadillo expression, without
  // the functions of chapters 07 and 08: * is the matrix product, % the element-wise one.
  BP_EXERCISE("11.2");
}

}  // namespace bp
