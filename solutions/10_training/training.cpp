// Chapter 10 reference solutions.
#include "10_training/training.hpp"

#include <string>

namespace bp {
namespace {

/// Throws ShapeError unless the gradient `g` (named `dname`) has the shape of `p` (`pname`).
template <typename P, typename G>
void require_same_shape(const std::string& where, const std::string& pname, const P& p,
                        const std::string& dname, const G& g) {
  require_shape(p.n_rows == g.n_rows && p.n_cols == g.n_cols,
                where + ": " + dname + " is " + shape_of(g) + " but " + pname + " is " +
                    shape_of(p) + ": a gradient has the shape of its parameter");
}

}  // namespace

// [gradient_step]
void gradient_step(Params& params, const Grads& grads, double rate) {
  // Check all four before touching any: a failed step must not leave half a step behind.
  require_same_shape("gradient_step", "W1", params.W1, "dW1", grads.dW1);
  require_same_shape("gradient_step", "b1", params.b1, "db1", grads.db1);
  require_same_shape("gradient_step", "W2", params.W2, "dW2", grads.dW2);
  require_same_shape("gradient_step", "b2", params.b2, "db2", grads.db2);
  // Minus: the gradient points uphill, and we want the loss to go down.
  params.W1 -= rate * grads.dW1;
  params.b1 -= rate * grads.db1;
  params.W2 -= rate * grads.dW2;
  params.b2 -= rate * grads.db2;
}
// [gradient_step]

// [l2_penalty]
double l2_penalty(const Params& params, double lambda) {
  // λ/2 so that the gradient is λW, with no factor 2 to forget (add_l2_gradient).
  return 0.5 * lambda * (arma::accu(arma::square(params.W1)) + arma::accu(arma::square(params.W2)));
}
// [l2_penalty]

// [add_l2_gradient]
void add_l2_gradient(Grads& grads, const Params& params, double lambda) {
  require_same_shape("add_l2_gradient", "W1", params.W1, "dW1", grads.dW1);
  require_same_shape("add_l2_gradient", "W2", params.W2, "dW2", grads.dW2);
  // d/dW of (λ/2) Σ W² is λW; the biases are not in the penalty, so their gradients stay.
  grads.dW1 += lambda * params.W1;
  grads.dW2 += lambda * params.W2;
}
// [add_l2_gradient]

// [predict]
arma::uvec predict(const arma::mat& P) {
  // Dimension 1: the largest entry along each row, one class per sample.
  return arma::index_max(P, 1);
}
// [predict]

// [train_epoch]
EpochResult train_epoch(Params& params, const arma::mat& X, const arma::mat& Y, double rate,
                        double lambda) {
  // Measure before stepping: the loss and accuracy belong to the parameters forward() used.
  const Cache cache = forward(params, X);
  // From the logits: finite where a true class's probability underflows to 0 (exercise 4.2).
  const EpochResult result{cross_entropy_from_logits(cache.Z2, Y) + l2_penalty(params, lambda),
                           accuracy(predict(cache.P), predict(Y))};
  Grads grads = backward(params, cache, Y);
  add_l2_gradient(grads, params, lambda);
  gradient_step(params, grads, rate);
  return result;
}
// [train_epoch]

}  // namespace bp
