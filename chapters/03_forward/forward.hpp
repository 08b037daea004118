/**
 * @file forward.hpp
 * @brief Chapter 03: the network's parameters, their initialisation, and the forward pass of
 * equations (1)–(4).
 *
 * Dimension letters: N samples, D = 2 inputs, H hidden units (500 in the post), K = 2 classes.
 */
#pragma once

#include <armadillo>
#include <cstdint>

namespace bp {

/// The parameters of the post's network, in the row convention (shapes of the post).
struct Params {
  arma::mat W1;     ///< D×H  input → hidden weights
  arma::rowvec b1;  ///< 1×H  hidden bias
  arma::mat W2;     ///< H×K  hidden → output weights
  arma::rowvec b2;  ///< 1×K  output bias
};

/// What the forward pass keeps for the backward pass: its input and every intermediate.
struct Cache {
  arma::mat X;   ///< N×D  the batch, one sample per row
  arma::mat Z1;  ///< N×H  eq. (1): Z1 = X W1 + 1 b1
  arma::mat A1;  ///< N×H  eq. (2): A1 = tanh(Z1)
  arma::mat Z2;  ///< N×K  eq. (3): Z2 = A1 W2 + 1 b2
  arma::mat P;   ///< N×K  eq. (4): P = softmax(Z2), row by row
};

/**
 * @brief Seeded initialisation (exercise 3.1).
 *
 * Weights are drawn from \f$ \mathcal{N}(0, 1/\text{fan-in}) \f$ (LeCun's scale):
 * \f$ W_1 \sim \mathcal{N}(0, 1/D) \f$, \f$ W_2 \sim \mathcal{N}(0, 1/H) \f$; biases are zero.
 * With inputs of unit variance each entry of \f$ Z_1 \f$ then has variance about 1 — tanh works
 * in its sloped range, neither saturated nor linear — and each logit of \f$ Z_2 \f$ has variance
 * \f$ \mathrm{mean}(a_1^2) < 1 \f$, so the first prediction is close to uniform and the first
 * loss close to \f$ \ln K \f$.
 * Draw order: W1 then W2, each with bp::normal_matrix from one bp::Rng seeded with `seed`.
 * @param hidden   H ≥ 1
 * @param seed     the same seed gives the same numbers
 * @param inputs   D ≥ 1 (2 in the post)
 * @param classes  K ≥ 2 (2 in the post)
 * @return W1 D×H, b1 1×H, W2 H×K, b2 1×K
 */
Params init_params(arma::uword hidden, std::uint64_t seed, arma::uword inputs = 2,
                   arma::uword classes = 2);

/**
 * @brief The forward pass, equations (1)–(4), for a batch (exercise 3.2).
 * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
 * @param X       N×D  one sample per row
 * @return the Cache: X N×D, Z1 N×H, A1 N×H, Z2 N×K, P N×K
 * @throws ShapeError when X's columns do not match W1's rows (through bp::affine).
 * \see \ref ch03-eq1-4 "equations (1)–(4)" on \ref ch03 "chapter 03"'s page; the index of
 * equations: \ref eq1 "(1)", \ref eq2 "(2)", \ref eq3 "(3)", \ref eq4 "(4)". Tested by the
 * suite(s) `Eq1to4_Forward` (\ref tests03 "tests 03").
 */
Cache forward(const Params& params, const arma::mat& X);

}  // namespace bp
