// Chapter 07 exercises: the backward pass through the output layer. Read
// chapters/07_output_layer/README.md first; `./course next` runs the tests of the first
// exercise that is not done yet.
#include "07_output_layer/output_layer.hpp"

#include "common/exercise.hpp"
#include "common/shape.hpp"

namespace bp {

arma::mat output_delta(const arma::mat& P, const arma::mat& Y) {
  // TODO(7.1): throw ShapeError (require_shape, shape_of) when P and Y differ in shape or are
  // empty; then return (P − Y) divided by the number of samples N.
  BP_EXERCISE("7.1");
}

arma::mat weight_gradient(const arma::mat& A, const arma::mat& dZ) {
  // TODO(7.2): throw ShapeError when A and dZ have different numbers of rows; then return
  // Aᵀ dZ, the H×K sum over the samples.
  BP_EXERCISE("7.2");
}

arma::rowvec bias_gradient(const arma::mat& dZ) {
  // TODO(7.3): return the sum of the rows of dZ, one entry per column (1×K).
  BP_EXERCISE("7.3");
}

}  // namespace bp
