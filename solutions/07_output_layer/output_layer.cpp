// Chapter 07 reference solutions.
#include "07_output_layer/output_layer.hpp"

#include <string>

#include "common/shape.hpp"

namespace bp {

// [output_delta]
arma::mat output_delta(const arma::mat& P, const arma::mat& Y) {
  require_shape(P.n_rows == Y.n_rows && P.n_cols == Y.n_cols,
                "output_delta: P is " + shape_of(P) + " but Y is " + shape_of(Y) +
                    ": probabilities and labels must have the same shape (N×K)");
  require_shape(!P.is_empty(), "output_delta: P and Y are " + shape_of(P) +
                                   ": the mean loss needs at least one sample and one class");
  // Softmax and cross-entropy together leave P − Y; the loss is a mean, hence the 1/N.
  return (P - Y) / static_cast<double>(P.n_rows);
}
// [output_delta]

// [weight_gradient]
arma::mat weight_gradient(const arma::mat& A, const arma::mat& dZ) {
  require_shape(A.n_rows == dZ.n_rows, "weight_gradient: A is " + shape_of(A) + " but dZ is " +
                                           shape_of(dZ) + ": both need one row per sample");
  // Every sample used the same W: the product Aᵀ dZ adds the N contributions A(n,h) dZ(n,k).
  return A.t() * dZ;
}
// [weight_gradient]

// [bias_gradient]
arma::rowvec bias_gradient(const arma::mat& dZ) {
  // b was added to every row, so each row's gradient reaches b: sum them (dimension 0: rows).
  return arma::sum(dZ, 0);
}
// [bias_gradient]

}  // namespace bp
