/**
 * @file curvature.hpp
 * @brief Chapter 12: curvature. Hessian-vector products by central differences of the
 * gradient, the full Hessian column by column, its largest eigenvalue by power iteration, and
 * the step-size limit \f$ \eta < 2/\lambda_{\max} \f$ of gradient descent.
 *
 * Dimension letters: n parameters (n = DH + H + HK + K, 2502 for the post's network), N samples,
 * D inputs (2), H hidden units, K classes (2).
 *
 * All four parameter blocks become one vector θ (n), so that the loss is a function of n
 * numbers, its gradient g(θ) a vector of n and its Hessian an n×n matrix:
 *
 *     θ = [vec(W1); b1ᵀ; vec(W2); b2ᵀ]      flatten, unflatten (given; vec stacks columns)
 *     g(θ)   = ∇L(θ)                          forward + backward + flatten (given)
 *     H(θ) v ≈ (g(θ + εv) − g(θ − εv)) / 2ε   hessian_vector_product        exercise 12.1
 *     H(θ)   = [H e_1, …, H e_n]              hessian                       exercise 12.2
 *     λ_max  = lim vᵀHv, v ← Hv / ‖Hv‖        power_iteration               exercise 12.3
 *
 * Gradient descent θ ← θ − η g(θ) near a minimum θ* is, to first order, e ← (I − ηH) e with
 * e = θ − θ*: it converges when |1 − ηλ| < 1 for every eigenvalue λ of H, that is when
 * 0 < η < 2/λ_max. The exercises take the gradient (or the product with H) as a function, so
 * the same code serves the quadratic losses of the tests and the network. The derivation is on
 * the page \ref ch12; the tests are in tests/12_curvature_test.cpp (the exercises) and
 * tests/curvature_given_test.cpp (the given code).
 */
#pragma once

#include <armadillo>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>

#include "03_forward/forward.hpp"
#include "04_loss/loss.hpp"
#include "09_backprop/backprop.hpp"
#include "common/shape.hpp"

namespace bp {

/// A gradient of a loss: θ (n) ↦ ∇L(θ) (n).
using GradientFunction = std::function<arma::vec(const arma::vec&)>;
/// A loss: θ (n) ↦ L(θ).
using LossFunction = std::function<double(const arma::vec&)>;
/// A linear map given by its product: v (n) ↦ A v (n); for this chapter, v ↦ H v.
using LinearMap = std::function<arma::vec(const arma::vec&)>;

/**
 * @brief The step ε of the central differences of the gradient that give H v.
 *
 * The error of \f$ (g(\theta + \varepsilon v) - g(\theta - \varepsilon v)) / 2\varepsilon \f$ is
 * chapter 05's again, one derivative higher: truncation \f$ \tfrac{\varepsilon^2}{6}
 * \nabla^3 g[v, v, v] \f$ plus rounding \f$ \delta / \varepsilon \f$, where
 * \f$ \delta \approx 10^{-16} \f$ is the rounding error of a gradient entry. For v of norm 1
 * and third derivatives of order one the sum is smallest near \f$ \varepsilon =
 * (3\delta / |\nabla^3 g|)^{1/3} \approx 5 \times 10^{-6} \f$; chapter 05's step
 * \f$ 10^{-5} \f$ is within a factor of two of the best error (about \f$ 10^{-10} \f$), as
 * the page \ref ch12 measures.
 */
inline constexpr double kHessianStep = 1e-5;

// ---------------------------------------------------------------------------------------------
// The exercises.

/**
 * @brief The Hessian-vector product by a central difference of the gradient (exercise 12.1).
 *
 * \f[ H(\theta)\, v \approx
 *     \frac{\nabla L(\theta + \varepsilon v) - \nabla L(\theta - \varepsilon v)}{2\varepsilon} \f]
 * Row i is chapter 05's central difference of \f$ g_i \f$ along v: \f$ \partial g_i / \partial
 * \theta_j = \partial^2 L / \partial\theta_i \partial\theta_j \f$, so the difference of the two
 * gradients is H v plus \f$ O(\varepsilon^2) \f$. Two gradients, whatever n: the full H is never
 * formed. The step along v is \f$ \varepsilon \lVert v \rVert \f$, so give v a norm near 1.
 * Exact (up to rounding) when the gradient is affine, i.e. the loss quadratic.
 * Checked by the tests of suite Curvature_HessianVectorProduct.
 * @param gradient  θ (n) ↦ ∇L(θ) (n)
 * @param theta     n  the point where H is taken
 * @param v         n  the direction
 * @param step      ε > 0 (kHessianStep)
 * @return n  H(θ) v
 * @throws ShapeError when v and θ differ in length, or when `gradient` returns a vector of
 *         another length than θ; the message names both lengths.
 */
arma::vec hessian_vector_product(const GradientFunction& gradient, const arma::vec& theta,
                                 const arma::vec& v, double step = kHessianStep);

/**
 * @brief The full Hessian, column by column (exercise 12.2).
 *
 * Column j of H is \f$ H e_j \f$, the Hessian-vector product with the j-th unit vector:
 * \f[ H_{:j} = \frac{\nabla L(\theta + \varepsilon e_j) - \nabla L(\theta - \varepsilon e_j)}
 *     {2\varepsilon}, \qquad j = 1 \ldots n , \f]
 * 2n gradients in all. The matrix is returned as computed, not symmetrised: the exact Hessian
 * is symmetric (\f$ \partial^2 L / \partial\theta_i \partial\theta_j =
 * \partial^2 L / \partial\theta_j \partial\theta_i \f$), so \f$ H - H^\top \f$ measures the
 * error of the differences (bp::asymmetry).
 * Checked by the tests of suite Curvature_Hessian.
 * @param gradient  θ (n) ↦ ∇L(θ) (n)
 * @param theta     n  the point where H is taken, n ≥ 1
 * @param step      ε > 0 (kHessianStep)
 * @return n×n  H(θ)
 * @throws ShapeError when θ is empty, or (through hessian_vector_product) when `gradient`
 *         returns a vector of another length than θ.
 */
arma::mat hessian(const GradientFunction& gradient, const arma::vec& theta,
                  double step = kHessianStep);

/// What power_iteration found.
struct PowerIteration {
  double eigenvalue = 0.0;     ///< the Rayleigh quotient vᵀ A v of the last unit vector v
  arma::vec eigenvector;       ///< n  that v, of norm 1
  arma::uword iterations = 0;  ///< products with A computed
  bool converged = false;      ///< whether the residual fell below the tolerance
};

/**
 * @brief The eigenvalue of largest magnitude of a symmetric A, and its eigenvector, by power
 * iteration (exercise 12.3).
 *
 * From a random unit vector \f$ v_0 \f$ (entries N(0, 1) from `seed`, then normalised), repeat
 * \f[ w = A v_k, \qquad \lambda_k = v_k^\top w, \qquad
 *     v_{k+1} = \frac{w}{\lVert w \rVert} , \f]
 * stopping when the residual \f$ \lVert w - \lambda_k v_k \rVert \le
 * \text{tolerance} \cdot |\lambda_k| \f$ (then \f$ v_k \f$ is an eigenvector to that accuracy
 * and some eigenvalue lies within \f$ \lVert w - \lambda_k v_k \rVert \f$ of \f$ \lambda_k \f$),
 * or after `max_iterations` products. Writing \f$ v_0 = \sum_i c_i q_i \f$ in the eigenvectors
 * of A, \f$ A^k v_0 = \sum_i c_i \lambda_i^k q_i \f$: the term of largest \f$ |\lambda_i| \f$
 * wins by the factor \f$ |\lambda_1 / \lambda_2|^k \f$. The normalisation keeps
 * \f$ \lambda^k \f$ from overflowing or underflowing. Only products with A are needed: with
 * A v = H v from hessian_vector_product, λmax of the network comes without its n×n Hessian.
 * Largest *magnitude*: when A has a negative eigenvalue larger in size than its largest
 * positive one, that negative one is found.
 * Checked by the tests of suite Curvature_PowerIteration.
 * @param multiply        v (n) ↦ A v (n), A symmetric
 * @param n               the dimension, ≥ 1
 * @param seed            the seed of the start vector
 * @param max_iterations  at most this many products with A, ≥ 1
 * @param tolerance       the relative residual at which to stop
 * @return the eigenvalue estimate, its unit eigenvector, the products used, and whether the
 *         residual test passed.
 * @throws ShapeError when n is 0, or when `multiply` returns a vector of another length than n.
 */
PowerIteration power_iteration(const LinearMap& multiply, arma::uword n, std::uint64_t seed,
                               arma::uword max_iterations = 1000, double tolerance = 1e-6);

// ---------------------------------------------------------------------------------------------
// Given code: the network as a function of one vector θ.

/// The number of parameters of a network of these dimensions: DH + H + HK + K.
/// @param hidden   H
/// @param inputs   D (2 in the post)
/// @param classes  K (2 in the post)
inline arma::uword parameter_count(arma::uword hidden, arma::uword inputs = 2,
                                   arma::uword classes = 2) {
  return inputs * hidden + hidden + hidden * classes + classes;
}

/**
 * @brief All parameters in one vector: \f$ \theta = [\mathrm{vec}(W_1);\, b_1^\top;\,
 * \mathrm{vec}(W_2);\, b_2^\top] \f$, each matrix column by column (Armadillo's storage order).
 * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
 * @return n = DH + H + HK + K
 */
inline arma::vec flatten(const Params& params) {
  return arma::join_cols(arma::join_cols(arma::vectorise(params.W1), params.b1.t()),
                         arma::join_cols(arma::vectorise(params.W2), params.b2.t()));
}

/**
 * @brief All gradients in one vector, in the order of flatten(const Params&): entry i of the
 * result is \f$ \partial L / \partial \theta_i \f$.
 * @param grads  dW1 D×H, db1 1×H, dW2 H×K, db2 1×K
 * @return n = DH + H + HK + K
 */
inline arma::vec flatten(const Grads& grads) {
  return arma::join_cols(arma::join_cols(arma::vectorise(grads.dW1), grads.db1.t()),
                         arma::join_cols(arma::vectorise(grads.dW2), grads.db2.t()));
}

/**
 * @brief The inverse of flatten: the four blocks back from θ.
 * @param theta    n = DH + H + HK + K
 * @param hidden   H ≥ 1
 * @param inputs   D ≥ 1
 * @param classes  K ≥ 1
 * @return W1 D×H, b1 1×H, W2 H×K, b2 1×K
 * @throws ShapeError when θ does not have DH + H + HK + K entries; the message names both
 *         numbers and the dimensions.
 */
inline Params unflatten(const arma::vec& theta, arma::uword hidden, arma::uword inputs = 2,
                        arma::uword classes = 2) {
  const arma::uword n = parameter_count(hidden, inputs, classes);
  require_shape(theta.n_elem == n && hidden > 0 && inputs > 0 && classes > 0,
                "unflatten: θ has " + std::to_string(theta.n_elem) +
                    " entries but D=" + std::to_string(inputs) + " H=" + std::to_string(hidden) +
                    " K=" + std::to_string(classes) +
                    " needs DH + H + HK + K = " + std::to_string(n));
  const arma::uword D = inputs;
  const arma::uword H = hidden;
  const arma::uword K = classes;
  arma::uword at = 0;
  // Each block is a copy of its span of θ, reshaped column by column as vectorise laid it out.
  const auto take = [&](arma::uword rows, arma::uword cols) {
    arma::mat block = arma::reshape(theta.subvec(at, at + rows * cols - 1), rows, cols);
    at += rows * cols;
    return block;
  };
  Params params;
  params.W1 = take(D, H);
  params.b1 = arma::rowvec(take(1, H));
  params.W2 = take(H, K);
  params.b2 = arma::rowvec(take(1, K));
  return params;
}

/**
 * @brief Which entries of θ are weights (1) and which are biases (0), in flatten's order.
 *
 * The L2 penalty of chapter 10 acts on the weights only: \f$ \tfrac{\mu}{2} \lVert m
 * \odot \theta \rVert^2 \f$ with this mask m, whose gradient is \f$ \mu\, m \odot \theta \f$
 * and whose Hessian is \f$ \mu \operatorname{diag}(m) \f$. (Chapter 10 calls the penalty's
 * weight λ; this chapter keeps λ for eigenvalues and writes μ.)
 * @param hidden   H
 * @param inputs   D
 * @param classes  K
 * @return n  1 on the DH entries of W1 and the HK of W2, 0 on those of b1 and b2
 */
inline arma::vec weight_mask(arma::uword hidden, arma::uword inputs = 2, arma::uword classes = 2) {
  Params ones;
  ones.W1.ones(inputs, hidden);
  ones.b1.zeros(hidden);
  ones.W2.ones(hidden, classes);
  ones.b2.zeros(classes);
  return flatten(ones);
}

/**
 * @brief The network's loss as a function of θ: chapter 04's mean cross-entropy of chapter 03's
 * logits, plus chapter 10's L2 penalty on the weights,
 * \f[ J(\theta) = \text{cross\_entropy\_from\_logits}(\text{forward}(\theta, X).Z_2, Y)
 *     + \tfrac{\mu}{2} \left( \lVert W_1 \rVert_F^2 + \lVert W_2 \rVert_F^2 \right) . \f]
 * @param X             N×D  the batch (copied into the function)
 * @param Y             N×K  its one-hot labels (copied)
 * @param hidden        H
 * @param weight_decay  μ ≥ 0 (0: the cross-entropy alone)
 * @return θ (n) ↦ J(θ); the function throws ShapeError for a θ of the wrong length.
 */
inline LossFunction network_loss(const arma::mat& X, const arma::mat& Y, arma::uword hidden,
                                 double weight_decay = 0.0) {
  const arma::vec mask = weight_mask(hidden, X.n_cols, Y.n_cols);
  return [X, Y, hidden, weight_decay, mask](const arma::vec& theta) {
    const Params params = unflatten(theta, hidden, X.n_cols, Y.n_cols);
    const double penalty = 0.5 * weight_decay * arma::accu(arma::square(mask % theta));
    return cross_entropy_from_logits(forward(params, X).Z2, Y) + penalty;
  };
}

/**
 * @brief The gradient of network_loss as a function of θ: one forward pass (chapter 03), one
 * backward pass (chapter 09), flattened in θ's order, plus \f$ \mu\, m \odot \theta \f$
 * for the L2 penalty (weight_mask).
 * @param X             N×D  the batch (copied into the function)
 * @param Y             N×K  its one-hot labels (copied)
 * @param hidden        H
 * @param weight_decay  μ ≥ 0, as in network_loss
 * @return θ (n) ↦ ∇J(θ) (n); the function throws ShapeError for a θ of the wrong length.
 */
inline GradientFunction network_gradient(const arma::mat& X, const arma::mat& Y, arma::uword hidden,
                                         double weight_decay = 0.0) {
  const arma::vec mask = weight_mask(hidden, X.n_cols, Y.n_cols);
  return [X, Y, hidden, weight_decay, mask](const arma::vec& theta) {
    const Params params = unflatten(theta, hidden, X.n_cols, Y.n_cols);
    arma::vec g = flatten(backward(params, forward(params, X), Y));
    if (weight_decay != 0.0) g += weight_decay * (mask % theta);
    return g;
  };
}

/**
 * @brief How far a matrix is from symmetric: \f$ \max_{ij} |H_{ij} - H_{ji}| / \max_{ij}
 * |H_{ij}| \f$ (0 for an exactly symmetric or a zero matrix).
 *
 * For a Hessian from differences of gradients this is the size of their error relative to the
 * largest second derivative: the exact Hessian is symmetric.
 * @param H  n×n
 * @throws ShapeError when H is not square.
 */
inline double asymmetry(const arma::mat& H) {
  require_shape(H.is_square(), "asymmetry: H is " + shape_of(H) + " but must be square");
  const double largest = H.is_empty() ? 0.0 : arma::abs(H).max();
  if (largest == 0.0) return 0.0;
  return arma::abs(H - H.t()).max() / largest;
}

/**
 * @brief Gradient descent on θ: \f$ \theta_{t+1} = \theta_t - \eta\, \nabla L(\theta_t) \f$,
 * recording the loss before each step and after the last.
 *
 * The same rule as chapter 10's training loop, written for one vector θ. It stops early, after
 * recording it, at a loss that is not finite (a step that diverged).
 * @param gradient  θ (n) ↦ ∇L(θ) (n)
 * @param loss      θ (n) ↦ L(θ)
 * @param theta     n  the start; updated in place to the last point reached
 * @param rate      the learning rate η
 * @param steps     the number of steps
 * @return the losses \f$ L(\theta_0), \ldots, L(\theta_T) \f$: steps + 1 numbers, fewer when a
 *         loss was not finite.
 */
inline arma::vec gradient_descent(const GradientFunction& gradient, const LossFunction& loss,
                                  arma::vec& theta, double rate, arma::uword steps) {
  arma::vec losses(steps + 1);
  for (arma::uword t = 0;; ++t) {
    losses(t) = loss(theta);
    if (!std::isfinite(losses(t))) return losses.head(t + 1);
    if (t == steps) return losses;
    theta -= rate * gradient(theta);
  }
}

}  // namespace bp
