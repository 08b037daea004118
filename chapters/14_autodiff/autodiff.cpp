// Chapter 14 exercises: automatic differentiation. Read chapters/14_autodiff/README.md first;
// `./course next` runs the tests of the first exercise that is not done yet. The tape, the
// forward operations and the other VJPs are given in autodiff.hpp: read them beside these.
#include "14_autodiff/autodiff.hpp"

#include "common/exercise.hpp"
#include "common/shape.hpp"

namespace bp {

MatmulGrads matmul_vjp(const arma::mat& A, const arma::mat& B, const arma::mat& dC) {
  // TODO(14.1): check that dC has the shape of A B; dA (N×D) and dB (D×H) are each a product
  // of dC with the other factor, transposed. Which side does each go on?
  BP_EXERCISE("14.1");
}

AddRowGrads add_row_vjp(const arma::mat& dC) {
  // TODO(14.2): A passes its gradient through unchanged; b (1×H) was added to all N rows, so
  // its gradient gathers the gradients of all its copies.
  BP_EXERCISE("14.2");
}

arma::mat tanh_elementwise_vjp(const arma::mat& A, const arma::mat& dA) {
  // TODO(14.3): check that A and dA have the same shape; tanh' written with the output A,
  // entry by entry.
  BP_EXERCISE("14.3");
}

arma::mat softmax_cross_entropy_vjp(const arma::mat& P, const arma::mat& Y, double dL) {
  // TODO(14.4): check that P and Y have the same shape and are not empty; the gradient of the
  // mean loss with respect to the logits (chapter 07), times the node's incoming gradient dL.
  BP_EXERCISE("14.4");
}

void Tape::backward(Var loss) {
  // TODO(14.5): check that loss is on the tape and 1×1; zero every node's grad (the shape of
  // its value), set the loss's grad to 1; then from the loss back to node 0, hand each node's
  // grad to its VJP (leaves have none), check each returned shape, and add (+=) it to the
  // parent's grad.
  BP_EXERCISE("14.5");
}

}  // namespace bp
