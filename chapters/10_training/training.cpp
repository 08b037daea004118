// Chapter 10 exercises: training by gradient descent. Read chapters/10_training/README.md first;
// `./course next` runs the tests of the first exercise that is not done yet.
#include "10_training/training.hpp"

#include "common/exercise.hpp"

namespace bp {

void gradient_step(Params& params, const Grads& grads, double rate) {
  // TODO(10.1): check that each gradient has its parameter's shape (bp::require_shape,
  // bp::shape_of), then move W1, b1, W2 and b2 by -rate times their gradients.
  BP_EXERCISE("10.1");
}

double l2_penalty(const Params& params, double lambda) {
  // TODO(10.2): return (lambda / 2) times the sum of the squares of every entry of W1 and W2
  // (not of the biases).
  BP_EXERCISE("10.2");
}

void add_l2_gradient(Grads& grads, const Params& params, double lambda) {
  // TODO(10.3): check the shapes of dW1 and dW2, then add the gradient of l2_penalty to them;
  // leave db1 and db2 as they are.
  BP_EXERCISE("10.3");
}

arma::uvec predict(const arma::mat& P) {
  // TODO(10.4): return, for each row of P, the index of its largest entry.
  BP_EXERCISE("10.4");
}

EpochResult train_epoch(Params& params, const arma::mat& X, const arma::mat& Y, double rate,
                        double lambda) {
  // TODO(10.5): forward pass; the loss (cross-entropy plus penalty) and the accuracy at these
  // parameters; backward pass; add the L2 gradient; take the step. Return the loss and accuracy.
  BP_EXERCISE("10.5");
}

}  // namespace bp
