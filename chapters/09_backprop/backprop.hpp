/**
 * @file backprop.hpp
 * @brief Chapter 09: the whole backward pass, backward(), and the full gradient check of every
 * parameter of the post's network.
 *
 * Dimension letters: N samples, D inputs (2), H hidden units (500 in the post), K classes (2).
 * A name dM is the gradient ∂L/∂M of the mean loss L and has the shape of M.
 *
 * The forward pass (chapter 03) and the loss (chapter 04), and the backward line that inverts
 * each of them, bottom up (chapters 07 and 08):
 *
 *     Z1 = X W1 + 1 b1      dW1 = Xᵀ dZ1            db1 = Σ_rows dZ1     (16), (17) corrected
 *     A1 = tanh(Z1)         dZ1 = dA1 ⊙ (1 − A1²)                        (11)
 *     Z2 = A1 W2 + 1 b2     dA1 = dZ2 W2ᵀ                                (10) corrected
 *                           dW2 = A1ᵀ dZ2           db2 = Σ_rows dZ2     (14), (15) corrected
 *     P  = softmax(Z2)
 *     L  = −(1/N) Σ Y ⊙ ln P                dZ2 = (P − Y)/N             (7) corrected
 *
 * The derivation is on the page \ref ch09; the tests are in tests/09_backprop_test.cpp.
 */
#pragma once

#include <algorithm>
#include <armadillo>
#include <functional>

#include "03_forward/forward.hpp"

namespace bp {

/// The gradient of the loss with respect to every parameter: each has its parameter's shape.
struct Grads {
  arma::mat dW1;     ///< D×H  ∂L/∂W1, eq. (16) corrected
  arma::rowvec db1;  ///< 1×H  ∂L/∂b1, eq. (17) corrected
  arma::mat dW2;     ///< H×K  ∂L/∂W2, eq. (14) corrected
  arma::rowvec db2;  ///< 1×K  ∂L/∂b2, eq. (15) corrected
};

/**
 * @brief The backward pass: all four gradients of the mean cross-entropy, by the chain rule
 * (exercise 9.1).
 *
 * Chapter 07's output layer, then chapter 08's hidden layer:
 * \f[ dZ_2 = \tfrac{1}{N}(P - Y), \quad dW_2 = A_1^\top dZ_2, \quad db_2 = \mathbf{1}^\top dZ_2,
 *     \quad (dW_1, db_1) = \text{hidden\_layer\_backward}(dZ_2) . \f]
 * Checked by the tests of suites Backprop_Backward, Backprop_FullCheck, Backprop_PlantedBugs.
 * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
 * @param cache   the forward pass of these parameters on the batch: X N×D, Z1 N×H, A1 N×H,
 *                Z2 N×K, P N×K (reads X, A1, P)
 * @param Y       N×K  one-hot labels of the batch
 * @return dW1 D×H, db1 1×H, dW2 H×K, db2 1×K
 * @throws ShapeError (through the functions of chapters 07 and 08) when the shapes do not fit.
 * \see \ref ch09-eq7-17 "equations (7)–(17), corrected, as one pass" on \ref ch09 "chapter 09"'s
 * page; the index of equations: \ref equations. Tested by the suite(s) `Backprop_Backward`,
 * `Backprop_FullCheck`, `Backprop_PlantedBugs` (\ref tests09 "tests 09").
 */
Grads backward(const Params& params, const Cache& cache, const arma::mat& Y);

/// Any function with backward()'s signature: backward itself, or one with a planted bug.
using BackwardFunction = std::function<Grads(const Params&, const Cache&, const arma::mat&)>;

/// The result of a gradient check: the worst relative error found in each parameter block.
struct GradientCheck {
  double W1 = 0.0;  ///< worst over the D×H entries of dW1
  double b1 = 0.0;  ///< worst over the H entries of db1
  double W2 = 0.0;  ///< worst over the H×K entries of dW2
  double b2 = 0.0;  ///< worst over the K entries of db2

  /// The worst of the four blocks.
  double worst() const { return std::max({W1, b1, W2, b2}); }
};

/**
 * @brief The full gradient check: every one of the DH + H + HK + K gradients that
 * `backward_fn` returns, against a central difference of the loss (exercise 9.2).
 *
 * The loss is chapter 04's mean cross-entropy of the network's logits,
 * L(θ) = cross_entropy_from_logits(forward(θ, X).Z2, Y). For each parameter
 * \f$ \theta_i \f$, chapter 05's numerical_gradient gives
 * \f$ g_i = \big(L(\theta + h e_i) - L(\theta - h e_i)\big) / 2h \f$, and chapter 05's
 * relative_error compares it with the analytic \f$ a_i \f$:
 * \f$ |a_i - g_i| / \max(\text{floor}, |a_i| + |g_i|) \f$. The result keeps the worst per block.
 *
 * 2(DH + H + HK + K) evaluations of the loss — 5004 for the post's network — are cheap only if
 * each evaluation recomputes no more than the perturbed parameter changes:
 * - W2 and b2 come after A1: keep the forward pass's A1 and recompute Z2 = A1 W2 + 1 b2 only;
 * - column h of W1 and entry h of b1 reach the loss through hidden unit h alone: recompute
 *   that unit's column of A1, \f$ a = \tanh(X w + \beta) \f$, and add its change to the cached
 *   logits, \f$ Z_2 + (a - A_{1,:h})\, W_{2,h:} \f$.
 * The page \ref ch09 derives both and measures the difference (a second instead of minutes).
 *
 * @param backward_fn  the backward pass to check (bp::backward, or one with a planted bug)
 * @param params       W1 D×H, b1 1×H, W2 H×K, b2 1×K: the point where the gradients are checked
 * @param X            N×D  the batch, one sample per row
 * @param Y            N×K  one-hot labels
 * @param h            the step of the central differences (chapter 05's kCentralStep, 1e-5)
 * @param floor        the floor of the relative error (chapter 05's kRelativeFloor, 1e-4):
 *                     below it |a| + |g| counts as the floor, so entries too small for a
 *                     central difference to resolve are compared absolutely
 * @return the worst relative error of each block: W1, b1, W2, b2
 * @throws ShapeError when a gradient of `backward_fn` does not have its parameter's shape.
 */
GradientCheck gradient_check(const BackwardFunction& backward_fn, const Params& params,
                             const arma::mat& X, const arma::mat& Y, double h, double floor);

}  // namespace bp
