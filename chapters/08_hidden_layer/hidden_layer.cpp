// Chapter 08 exercises: the backward pass through the hidden layer. Read
// chapters/08_hidden_layer/README.md first; `./course next` runs the tests of the first
// exercise that is not done yet.
#include "08_hidden_layer/hidden_layer.hpp"

#include "07_output_layer/output_layer.hpp"
#include "common/exercise.hpp"
#include "common/shape.hpp"

namespace bp {

arma::mat input_gradient(const arma::mat& dZ, const arma::mat& W) {
  // TODO(8.1): throw ShapeError when dZ and W have different numbers of columns; then return
  // dZ Wᵀ (N×K times K×H).
  BP_EXERCISE("8.1");
}

arma::mat tanh_backward(const arma::mat& dA, const arma::mat& A) {
  // TODO(8.2): throw ShapeError when dA and A differ in shape; then return dA ⊙ (1 − A²),
  // entry by entry.
  BP_EXERCISE("8.2");
}

HiddenGrads hidden_layer_backward(const Params& params, const Cache& cache, const arma::mat& dZ2) {
  // TODO(8.3): fill dA1 (input_gradient), dZ1 (tanh_backward), dW1 (weight_gradient) and db1
  // (bias_gradient), in that order.
  BP_EXERCISE("8.3");
}

}  // namespace bp
