// Chapter 01 reference solutions.
#include "01_shapes/shapes.hpp"

#include <string>

namespace bp {

// [check_affine_shapes]
void check_affine_shapes(const arma::mat& X, const arma::mat& W, const arma::mat& b) {
  // Each rule names the shapes it compares, so the reader sees which argument is wrong.
  require_shape(X.n_cols == W.n_rows, "affine: X is " + shape_of(X) + " but W is " + shape_of(W) +
                                          ": the columns of X must equal the rows of W");
  require_shape(b.n_rows == 1, "affine: b is " + shape_of(b) + " but must be a single row (1×K)");
  require_shape(b.n_cols == W.n_cols, "affine: b is " + shape_of(b) + " but W is " + shape_of(W) +
                                          ": b needs one entry per column of W");
}
// [check_affine_shapes]

// [affine]
arma::mat affine(const arma::mat& X, const arma::mat& W, const arma::mat& b) {
  check_affine_shapes(X, W, b);
  // Adding b to each row is the product 1 b of the post without building the N×K matrix.
  arma::mat Z = X * W;
  Z.each_row() += b;
  return Z;
}
// [affine]

}  // namespace bp
