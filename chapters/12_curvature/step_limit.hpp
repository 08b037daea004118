/**
 * @file step_limit.hpp
 * @brief Chapter 12, given: what its program measures with the exercises — the spectrum of a
 * computed Hessian, how far from 0 an eigenvalue of it can be told apart from 0, and runs of
 * gradient descent recorded along the sharpest direction.
 *
 * Dimension letters: n parameters (θ flattened, bp::flatten). The derivations are on the page
 * \ref ch12.
 */
#pragma once

#include <armadillo>
#include <string>

#include "12_curvature/curvature.hpp"

namespace bp {

/**
 * @brief The product v ↦ H(θ) v of the loss whose gradient is `gradient`, through exercise 12.1
 * (bp::hessian_vector_product, step kHessianStep): what power iteration multiplies by.
 * @param gradient  ∇J, n numbers
 * @param theta     n  the point θ
 */
LinearMap hessian_times(const GradientFunction& gradient, const arma::vec& theta);

/**
 * @brief The eigenvalues of a symmetric matrix, through LAPACK's symmetric eigensolver
 * (eig_sym), largest first.
 * @param symmetric  n×n, symmetric (a computed Hessian's symmetric part, (H + Hᵀ)/2)
 * @return n eigenvalues, in descending order
 * @throws std::runtime_error when eig_sym does not converge.
 */
arma::vec symmetric_spectrum(const arma::mat& symmetric);

/**
 * @brief How far from 0 an eigenvalue of the symmetric part of a computed Hessian H may be and
 * still be 0 as far as the differences can tell: n · max|H − Hᵀ|.
 *
 * Each entry carries an error of about its asymmetry, so the error matrix E has
 * ‖E‖₂ ≤ n · max|E_ij|, and by Weyl's theorem no eigenvalue moves by more than ‖E‖₂.
 * @param H  n×n, a Hessian computed by differences of gradients
 */
double zero_band(const arma::mat& H);

/// What one run of gradient descent recorded, step by step.
struct DescentRun {
  double rate = 0.0;  ///< η
  arma::vec loss;     ///< J(θ_t), t = 0 … steps (NaN after a loss that is not finite)
  arma::vec along;    ///< ⟨∇J(θ_t), v1⟩/λmax: θ_t − θ* along v1, in the quadratic model
};

/**
 * @brief Gradient descent from θ0 at `rate`, recording the loss and the gradient along v1: the
 * experiment of the step-size limit, run just below and just above 2/λmax.
 * @param gradient  ∇J, n numbers
 * @param loss      J
 * @param theta     n  θ0, the start
 * @param rate      η
 * @param steps     how many steps
 * @param v1        n  the sharpest direction, a unit vector (power iteration's eigenvector)
 * @param lambda    λmax, its eigenvalue
 * @return loss and along for t = 0 … steps; both NaN from the first loss that is not finite
 */
DescentRun descend_along(const GradientFunction& gradient, const LossFunction& loss,
                         arma::vec theta, double rate, arma::uword steps, const arma::vec& v1,
                         double lambda);

/// The geometric mean of |along(t+1) / along(t)| over the first `span` steps of `run`: the
/// factor by which each step multiplies the distance along v1 (1 − ηλmax in the quadratic model).
double factor_per_step(const DescentRun& run, arma::uword span);

/// One sentence on a run, from its numbers: whether e_t = `along` changes sign every step, and
/// whether it shrinks or grows, by factor_per_step over the first 15 steps ("e_t changes sign
/// every step and shrinks by a factor 0.800 per step (measured over the first 15 steps)").
std::string describe_descent(const DescentRun& run);

}  // namespace bp
