/**
 * @file training.hpp
 * @brief Chapter 10: training the post's network by full-batch gradient descent, with an L2
 * penalty on the weights, and its predictions.
 *
 * Dimension letters: N samples, D inputs (2), H hidden units (500 in the post), K classes (2).
 *
 * One epoch of full-batch gradient descent, written with the chapters before it:
 *
 *     Cache c = forward(θ, X)                          chapter 03, eqs. (1)–(4)
 *     J = cross_entropy_from_logits(c.Z2, Y)           chapter 04, eq. (5) corrected, 4.2
 *         + l2_penalty(θ, λ)                           10.2
 *     Grads g = backward(θ, c, Y)                      chapter 09, eqs. (7)–(17) corrected
 *     add_l2_gradient(g, θ, λ)                         10.3
 *     gradient_step(θ, g, η)                           10.1: θ ← θ − η g
 *
 * The exercises are declared first (10.1 to 10.5); the given code after them — accuracy,
 * evaluate, the training loop train() and the decision grid — uses them. The derivation is on
 * the page \ref ch10; the tests are in tests/10_training_test.cpp.
 */
#pragma once

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "03_forward/forward.hpp"
#include "04_loss/loss.hpp"
#include "09_backprop/backprop.hpp"
#include "common/shape.hpp"

namespace bp {

// ---------------------------------------------------------------------------------------------
// The exercises.

/**
 * @brief One step of gradient descent, in place (exercise 10.1).
 *
 * \f[ W_1 \leftarrow W_1 - \eta\, dW_1, \quad b_1 \leftarrow b_1 - \eta\, db_1, \quad
 *     W_2 \leftarrow W_2 - \eta\, dW_2, \quad b_2 \leftarrow b_2 - \eta\, db_2 \f]
 * The gradient points to where the loss grows fastest; a small step against it lowers the loss.
 * Checked by the tests of suite Training_GradientStep.
 * \see \ref ch10-descent "why a step against the gradient lowers the loss" on \ref ch10 "chapter 10"'s page.
 * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K: updated in place
 * @param grads   dW1 D×H, db1 1×H, dW2 H×K, db2 1×K: each of its parameter's shape
 * @param rate    the learning rate η ≥ 0
 * @throws ShapeError, before changing anything, when a gradient does not have the shape of its
 *         parameter; the message names both shapes.
 */
void gradient_step(Params& params, const Grads& grads, double rate);

/**
 * @brief The L2 penalty on the weights (exercise 10.2).
 *
 * \f[ R(\theta) = \frac{\lambda}{2} \left( \lVert W_1 \rVert_F^2 + \lVert W_2 \rVert_F^2 \right)
 *     = \frac{\lambda}{2} \Big( \sum_{d,h} (W_1)_{dh}^2 + \sum_{h,k} (W_2)_{hk}^2 \Big) \f]
 * The course's convention is λ/2 (its gradient is then λW, add_l2_gradient). The biases are not
 * penalised. The loss that training minimises is J = cross_entropy_from_logits(Z2, Y) + R(θ).
 * Checked by the tests of suite Training_L2Penalty.
 * \see \ref ch10-l2 "the penalty and its gradient" on \ref ch10 "chapter 10"'s page.
 * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K (only W1 and W2 are read)
 * @param lambda  λ ≥ 0; 0 switches the penalty off
 * @return R ≥ 0
 */
double l2_penalty(const Params& params, double lambda);

/**
 * @brief Adds the gradient of the L2 penalty to the gradients of the loss, in place
 * (exercise 10.3).
 *
 * \f[ \frac{\partial R}{\partial W_1} = \lambda W_1, \qquad
 *     \frac{\partial R}{\partial W_2} = \lambda W_2, \qquad
 *     \frac{\partial R}{\partial b_1} = \frac{\partial R}{\partial b_2} = 0 \f]
 * so dW1 += λ W1 and dW2 += λ W2; db1 and db2 stay as they are. With λ = 0 nothing changes.
 * Checked by the tests of suite Training_L2Gradient.
 * \see \ref ch10-l2 "the penalty and its gradient" on \ref ch10 "chapter 10"'s page.
 * @param grads   dW1 D×H, db1 1×H, dW2 H×K, db2 1×K of the cross-entropy: updated in place
 * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
 * @param lambda  λ ≥ 0, the same as in l2_penalty
 * @throws ShapeError, before changing anything, when dW1 or dW2 does not have the shape of its
 *         weight matrix.
 */
void add_l2_gradient(Grads& grads, const Params& params, double lambda);

/**
 * @brief The predicted class of each row: the column of its largest probability
 * (exercise 10.4).
 *
 * \f[ \hat c_n = \operatorname*{arg\,max}_k P_{nk} \f]
 * Ties go to the lowest class. Applied to one-hot labels Y, it gives back the class indices.
 * Checked by the tests of suites Training_Predict and Figure_DecisionBoundary.
 * \see \ref ch10-argmax "the prediction" on \ref ch10 "chapter 10"'s page.
 * @param P  N×K  probabilities (or any scores), one row per sample
 * @return   N    class indices 0 … K − 1
 */
arma::uvec predict(const arma::mat& P);

/// What one epoch of training measured, at the parameters it started from.
struct EpochResult {
  double loss = 0.0;      ///< J = cross_entropy_from_logits(Z2, Y) + l2_penalty(θ, λ)
  double accuracy = 0.0;  ///< the fraction of the batch whose predicted class is its label
};

/**
 * @brief One epoch of full-batch gradient descent (exercise 10.5).
 *
 * Forward pass, loss, backward pass, L2 gradient, step — the five lines at the top of this
 * file. The loss is chapter 04's cross_entropy_from_logits of Z2 (exercise 4.2) plus
 * l2_penalty: it stays finite, and true, where a probability of a true class underflows to 0
 * and cross_entropy of P (exercise 4.1) would say +∞.
 * Checked by the tests of suites Training_TrainEpoch, Training_TwoMoons, Training_Train and
 * Figure_Training.
 * \see \ref ch10-code "the code" on \ref ch10 "chapter 10"'s page.
 * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K: updated in place by one step
 * @param X       N×D  the whole training set, one sample per row
 * @param Y       N×K  its one-hot labels
 * @param rate    the learning rate η
 * @param lambda  λ of the L2 penalty (0: none)
 * @return the loss and the accuracy at the parameters *before* the step (those the forward
 *         pass used).
 */
EpochResult train_epoch(Params& params, const arma::mat& X, const arma::mat& Y, double rate,
                        double lambda);

// ---------------------------------------------------------------------------------------------
// Given code, built on the exercises.

/**
 * @brief The fraction of predictions equal to the labels.
 * @param predicted  N  class indices
 * @param labels     N  class indices
 * @return a number in [0, 1]
 * @throws ShapeError when the two differ in length or are empty.
 */
inline double accuracy(const arma::uvec& predicted, const arma::uvec& labels) {
  require_shape(predicted.n_elem == labels.n_elem && !labels.is_empty(),
                "accuracy: " + std::to_string(predicted.n_elem) + " predictions for " +
                    std::to_string(labels.n_elem) + " labels");
  return static_cast<double>(arma::accu(predicted == labels)) / static_cast<double>(labels.n_elem);
}

/// The network's class for each row of X: predict(forward(params, X).P).
/// @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
/// @param X       N×D  one point per row
/// @return        N    class indices
inline arma::uvec classify(const Params& params, const arma::mat& X) {
  return predict(forward(params, X).P);
}

/// The loss J and the accuracy of the network on a batch, without a step.
/// @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
/// @param X       N×D  one sample per row
/// @param Y       N×K  one-hot labels
/// @param lambda  λ of the L2 penalty included in the loss
inline EpochResult evaluate(const Params& params, const arma::mat& X, const arma::mat& Y,
                            double lambda) {
  const Cache cache = forward(params, X);
  return {cross_entropy_from_logits(cache.Z2, Y) + l2_penalty(params, lambda),
          accuracy(predict(cache.P), predict(Y))};
}

/// How to train: the number of epochs, the learning rate η and the L2 weight λ.
struct TrainSettings {
  arma::uword epochs = 1000;  ///< full-batch steps
  double rate = 0.2;          ///< η
  double lambda = 0.0;        ///< λ of l2_penalty (0: none)
};

/**
 * @brief The loss above which a run has diverged: 100 ln K for K classes (K ≥ 2).
 *
 * A network that knows nothing says 1/K for every class: its loss is ln K. A mean loss of
 * 100 ln K gives the true classes a geometric mean probability of K^−100 (2^−100 ≈ 8·10^−31
 * for two classes): a network that confident of the wrong answers is not learning but running
 * away. A healthy run zigzags well below it (chapter 10's rate 2 peaks at 22 ln 2), and one
 * point confidently wrong among many does not reach it; chapter 10's rate 10 passes it on its
 * second step.
 * @param classes  K, the number of classes (1 counts as 2)
 */
inline double runaway_loss(arma::uword classes) {
  return 100.0 * std::log(static_cast<double>(std::max<arma::uword>(classes, 2)));
}

/// What train() saw, epoch by epoch.
struct History {
  arma::vec loss;      ///< loss(e): J after e epochs, e = 0 … epochs_run (epochs_run + 1 numbers)
  arma::vec accuracy;  ///< accuracy(e): on the training batch after e epochs
  arma::uword epochs_run = 0;  ///< the steps taken and kept
  arma::uword classes = 0;     ///< K, the length of b2: the run diverged above runaway_loss(K)
  /// True when training stopped early: loss(epochs_run) was above runaway_loss(K) or not
  /// finite, or the step taken from there made a parameter NaN or infinite (step_not_finite).
  bool diverged = false;
  /// True when training stopped because the step of epoch epochs_run made a parameter NaN or
  /// infinite while loss(epochs_run) was finite: the gradient, or η times it, overflowed.
  bool step_not_finite = false;
};

/// Called after each epoch with its index e (0-based) and what it measured (after e epochs).
using Progress = std::function<void(arma::uword epoch, const EpochResult& result)>;

/// One epoch that steps `params` in place and returns what it measured before its step.
using EpochStep = std::function<EpochResult(Params& params)>;
/// The loss and accuracy of `params`, without a step.
using Evaluation = std::function<EpochResult(const Params& params)>;

/**
 * @brief The training loop, for any way of computing an epoch: settings.epochs calls of `step`,
 * stopping at a loss above runaway_loss(K) or not finite (NaN or ∞), or at a step that makes a
 * parameter not finite.
 *
 * After a normal end, params hold the network after every step and the history ends with
 * `measure` of it. When the loss after e epochs is above runaway_loss(K) or not finite, or the
 * step taken from there made a parameter NaN or ∞ (a gradient that overflowed:
 * step_not_finite), that step is undone: params hold the network after e epochs, the history
 * stops at loss(e), and diverged is set. K is the length of b2.
 * Nothing is printed: `progress` sees every epoch, and the caller says what happened.
 * train() runs it with train_epoch and evaluate; chapter 13 with its fused workspace.
 * @param params    W1 D×H, b1 1×H, W2 H×K, b2 1×K: trained in place
 * @param epochs    how many steps at most
 * @param step      one epoch: train_epoch(params, X, Y, η, λ) or an equal computation
 * @param measure   the loss J and accuracy without a step: evaluate(params, X, Y, λ) or equal
 * @param progress  optional; called once per epoch
 */
inline History train_loop(Params& params, arma::uword epochs, const EpochStep& step,
                          const Evaluation& measure, const Progress& progress = {}) {
  // Sized once: an epoch itself allocates nothing here (copying into `before` reuses its memory).
  std::vector<double> loss;
  std::vector<double> accuracy;
  loss.reserve(epochs + 1);
  accuracy.reserve(epochs + 1);
  History history;
  history.classes = params.b2.n_elem;
  const double bound = runaway_loss(history.classes);
  // Not `loss > bound`: a NaN loss is out of bounds too.
  const auto out_of_bounds = [bound](double value) { return !(value <= bound); };
  Params before = params;
  for (arma::uword e = 0; e < epochs; ++e) {
    before = params;  // the network the step starts from, to undo a step that is not finite
    const EpochResult result = step(params);
    loss.push_back(result.loss);
    accuracy.push_back(result.accuracy);
    if (progress) progress(e, result);
    const bool step_finite = params.W1.is_finite() && params.b1.is_finite() &&
                             params.W2.is_finite() && params.b2.is_finite();
    if (out_of_bounds(result.loss) || !step_finite) {
      history.step_not_finite = !out_of_bounds(result.loss);
      params = before;
      history.diverged = true;
      history.epochs_run = e;
      break;
    }
  }
  if (!history.diverged) {
    const EpochResult last = measure(params);
    loss.push_back(last.loss);
    accuracy.push_back(last.accuracy);
    history.epochs_run = epochs;
    history.diverged = out_of_bounds(last.loss);
  }
  history.loss = arma::vec(loss);
  history.accuracy = arma::vec(accuracy);
  return history;
}

/**
 * @brief The training loop of this chapter: train_loop with train_epoch (exercise 10.5) and
 * evaluate.
 * @param params    W1 D×H, b1 1×H, W2 H×K, b2 1×K: trained in place
 * @param X         N×D  the training set
 * @param Y         N×K  its one-hot labels
 * @param settings  epochs, rate, lambda
 * @param progress  optional; called once per epoch
 */
inline History train(Params& params, const arma::mat& X, const arma::mat& Y,
                     const TrainSettings& settings, const Progress& progress = {}) {
  return train_loop(
      params, settings.epochs,
      [&](Params& p) { return train_epoch(p, X, Y, settings.rate, settings.lambda); },
      [&](const Params& p) { return evaluate(p, X, Y, settings.lambda); }, progress);
}

/// A rectangle of the plane (x1, x2), for figures.
struct PlotBox {
  double x1_min = 0.0;  ///< left edge
  double x1_max = 0.0;  ///< right edge
  double x2_min = 0.0;  ///< bottom edge
  double x2_max = 0.0;  ///< top edge
};

/**
 * @brief The smallest rectangle holding every point of X, widened on each side by `margin` times
 * its width (or height), and by at least 0.5 when the points lie on a line.
 * @param X       N×2  the points
 * @param margin  a fraction of the extent added on each side
 */
inline PlotBox plot_box(const arma::mat& X, double margin = 0.1) {
  require_shape(X.n_cols == 2 && X.n_rows > 0,
                "plot_box: X is " + shape_of(X) + " but must be N×2 with N ≥ 1");
  const arma::rowvec lo = arma::min(X, 0);
  const arma::rowvec hi = arma::max(X, 0);
  const double pad1 = std::max(margin * (hi(0) - lo(0)), hi(0) > lo(0) ? 0.0 : 0.5);
  const double pad2 = std::max(margin * (hi(1) - lo(1)), hi(1) > lo(1) ? 0.0 : 0.5);
  return {lo(0) - pad1, hi(0) + pad1, lo(1) - pad2, hi(1) + pad2};
}

/**
 * @brief The network's class at each point of a regular grid over `box`: what the decision
 * boundary figures draw.
 *
 * Row g = i + resolution·j is the point (x1_i, x2_j), x1_i = x1_min + i·(x1_max − x1_min)/(r − 1)
 * and likewise x2_j: x1 runs fastest, as gnuplot's `with image` reads a grid. The points are
 * classified a block of rows at a time, so that the forward pass never holds more than 4096×H
 * numbers per matrix.
 * @param params      W1 2×H, b1 1×H, W2 H×K, b2 1×K
 * @param box         the rectangle to cover
 * @param resolution  r ≥ 2 points along each side
 * @return r²×3: columns x1, x2 and the class (as a double)
 */
inline arma::mat decision_grid(const Params& params, const PlotBox& box, arma::uword resolution) {
  require_shape(resolution >= 2, "decision_grid: the resolution must be at least 2");
  const arma::vec x1 = arma::linspace(box.x1_min, box.x1_max, resolution);
  const arma::vec x2 = arma::linspace(box.x2_min, box.x2_max, resolution);
  arma::mat grid(resolution * resolution, 3);
  for (arma::uword j = 0; j < resolution; ++j)
    for (arma::uword i = 0; i < resolution; ++i) {
      grid(i + resolution * j, 0) = x1(i);
      grid(i + resolution * j, 1) = x2(j);
    }
  const arma::uword block = 4096;
  for (arma::uword first = 0; first < grid.n_rows; first += block) {
    const arma::uword last = std::min(first + block, grid.n_rows) - 1;
    const arma::mat points = grid(arma::span(first, last), arma::span(0, 1));
    grid(arma::span(first, last), 2) = arma::conv_to<arma::vec>::from(classify(params, points));
  }
  return grid;
}

}  // namespace bp
