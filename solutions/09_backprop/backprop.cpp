// Chapter 09 reference solutions.
#include "09_backprop/backprop.hpp"

#include <algorithm>
#include <string>

#include "01_shapes/shapes.hpp"
#include "02_activations/activations.hpp"
#include "04_loss/loss.hpp"
#include "05_finite_differences/finite_differences.hpp"
#include "07_output_layer/output_layer.hpp"
#include "08_hidden_layer/hidden_layer.hpp"
#include "common/shape.hpp"

namespace bp {

// [backward]
Grads backward(const Params& params, const Cache& cache, const arma::mat& Y) {
  // The chain from the loss down: the output layer (chapter 07) hands dZ2 to the hidden layer.
  const arma::mat dZ2 = output_delta(cache.P, Y);  // (7)  N×K
  Grads grads;
  grads.dW2 = weight_gradient(cache.A1, dZ2);                            // (14) H×K
  grads.db2 = bias_gradient(dZ2);                                        // (15) 1×K
  const HiddenGrads hidden = hidden_layer_backward(params, cache, dZ2);  // (10), (11)
  grads.dW1 = hidden.dW1;                                                // (16) D×H
  grads.db1 = hidden.db1;                                                // (17) 1×H
  return grads;
}
// [backward]

namespace {

void require_shape_of(const arma::mat& gradient, const arma::mat& parameter,
                      const std::string& name) {
  require_shape(gradient.n_rows == parameter.n_rows && gradient.n_cols == parameter.n_cols,
                "gradient_check: d" + name + " is " + shape_of(gradient) + " but " + name + " is " +
                    shape_of(parameter) + ": a gradient has its parameter's shape");
}

// The worst relative error of the analytic entries against the numerical ones.
double worst_relative_error(const arma::mat& analytic, const arma::mat& numerical, double floor) {
  double worst = 0.0;
  for (arma::uword i = 0; i < analytic.n_elem; ++i)
    worst = std::max(worst, relative_error(analytic(i), numerical(i), floor));
  return worst;
}

}  // namespace

// [gradient_check]
GradientCheck gradient_check(const BackwardFunction& backward_fn, const Params& params,
                             const arma::mat& X, const arma::mat& Y, double h, double floor) {
  const Cache cache = forward(params, X);
  const Grads grads = backward_fn(params, cache, Y);
  require_shape_of(grads.dW1, params.W1, "W1");
  require_shape_of(grads.db1, params.b1, "b1");
  require_shape_of(grads.dW2, params.W2, "W2");
  require_shape_of(grads.db2, params.b2, "b2");

  GradientCheck worst;
  // W2 and b2 act after A1: the cached A1 stays, and only (3) is recomputed for each nudge.
  const auto loss_of_W2 = [&](const arma::mat& W2) {
    return cross_entropy_from_logits(affine(cache.A1, W2, params.b2), Y);
  };
  const auto loss_of_b2 = [&](const arma::mat& b2) {
    return cross_entropy_from_logits(affine(cache.A1, params.W2, b2), Y);
  };
  worst.W2 = worst_relative_error(grads.dW2, numerical_gradient(loss_of_W2, params.W2, h), floor);
  worst.b2 = worst_relative_error(grads.db2, numerical_gradient(loss_of_b2, params.b2, h), floor);

  // Column u of W1 and b1(u) feed hidden unit u alone: nudging one of them changes column u of
  // A1, and the logits by that change times row u of W2. O(N) work per nudge instead of O(NH).
  const arma::uword D = params.W1.n_rows;
  for (arma::uword u = 0; u < params.W1.n_cols; ++u) {
    const arma::mat theta = arma::join_cols(params.W1.col(u), arma::mat{params.b1(u)});
    const auto loss_of_unit = [&](const arma::mat& t) {
      const arma::mat a = tanh_activation(affine(X, t.rows(0, D - 1), t.row(D)));  // (1), (2)
      return cross_entropy_from_logits(cache.Z2 + (a - cache.A1.col(u)) * params.W2.row(u), Y);
    };
    const arma::mat g = numerical_gradient(loss_of_unit, theta, h);
    worst.W1 = std::max(worst.W1, worst_relative_error(grads.dW1.col(u), g.rows(0, D - 1), floor));
    worst.b1 = std::max(worst.b1, relative_error(grads.db1(u), g(D), floor));
  }
  return worst;
}
// [gradient_check]

}  // namespace bp
