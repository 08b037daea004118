// Chapter 11 reference solutions.
#include "11_errata/errata.hpp"

namespace bp {

// [corrected_eq7]
arma::mat corrected_eq7(const arma::mat& Z2, const arma::mat& Y) {
  require_shape(Z2.n_cols == 2 && arma::size(Z2) == arma::size(Y) && Z2.n_rows > 0,
                "corrected_eq7: Z2 is " + shape_of(Z2) + " and Y is " + shape_of(Y) +
                    ": both must be N×2 (the sigmoid form is for two classes), N ≥ 1");
  const double N = static_cast<double>(Z2.n_rows);
  const arma::vec s = Z2.col(1) - Z2.col(0);
  // σ′ = σ(1 − σ) cancels the denominators of −y/σ + (1 − y)/(1 − σ): ∂ℓ/∂s = σ(s) − y.
  const arma::vec dl_ds = errata_sigmoid(s) - Y.col(1);
  // ∂s/∂z2 = (−1, +1); the 1/N is the mean's.
  arma::mat dZ2(Z2.n_rows, 2);
  dZ2.col(0) = -dl_ds / N;
  dZ2.col(1) = dl_ds / N;
  return dZ2;
}
// [corrected_eq7]

// [corrected_eq16]
arma::mat corrected_eq16(const arma::mat& X, const arma::mat& dZ2, const arma::mat& W2,
                         const arma::mat& A1) {
  // Backwards from the loss: through W2 (matrix product, on the right, transposed), through tanh
  // (entry by entry, so %), through W1 (Xᵀ on the left, which sums over the samples).
  return X.t() * ((dZ2 * W2.t()) % (1.0 - arma::square(A1)));
}
// [corrected_eq16]

}  // namespace bp
