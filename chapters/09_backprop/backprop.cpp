// Chapter 09 exercises: the whole backward pass and the full gradient check. Read
// chapters/09_backprop/README.md first; `./course next` runs the tests of the first exercise
// that is not done yet.
#include "09_backprop/backprop.hpp"

#include "01_shapes/shapes.hpp"
#include "02_activations/activations.hpp"
#include "04_loss/loss.hpp"
#include "05_finite_differences/finite_differences.hpp"
#include "07_output_layer/output_layer.hpp"
#include "08_hidden_layer/hidden_layer.hpp"
#include "common/exercise.hpp"
#include "common/shape.hpp"

namespace bp {

Grads backward(const Params& params, const Cache& cache, const arma::mat& Y) {
  // TODO(9.1): dZ2 from P and Y (chapter 07), then dW2 and db2 from it; the hidden layer's
  // dW1 and db1 from dZ2 (chapter 08). Return the four in a Grads.
  BP_EXERCISE("9.1");
}

GradientCheck gradient_check(const BackwardFunction& backward_fn, const Params& params,
                             const arma::mat& X, const arma::mat& Y, double h, double floor) {
  // TODO(9.2): run forward and backward_fn once, check the shape of each gradient; then for
  // each block compare numerical_gradient (chapter 05) of the loss with backward_fn's block,
  // entry by entry with relative_error, and keep the worst. Recompute only what a block
  // changes: A1 stays for W2 and b2; column h of W1 and b1(h) move hidden unit h alone.
  BP_EXERCISE("9.2");
}

}  // namespace bp
