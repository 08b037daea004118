// Chapter 01 exercises: shapes and the affine map. Read chapters/01_shapes/README.md first;
// `./course next` runs the tests of the first exercise that is not done yet.
#include "01_shapes/shapes.hpp"

#include "common/exercise.hpp"

namespace bp {

void check_affine_shapes(const arma::mat& X, const arma::mat& W, const arma::mat& b) {
  // TODO(1.1): throw ShapeError (use require_shape and shape_of) when X's columns differ
  // from W's rows, when b is not a single row, or when b's columns differ from W's columns.
  BP_EXERCISE("1.1");
}

arma::mat affine(const arma::mat& X, const arma::mat& W, const arma::mat& b) {
  // TODO(1.2): check the shapes, then return X W with the row b added to every row.
  BP_EXERCISE("1.2");
}

}  // namespace bp
