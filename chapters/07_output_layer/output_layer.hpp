/**
 * @file output_layer.hpp
 * @brief Chapter 07: the backward pass through the output layer — the post's equations (7),
 * (14) and (15), corrected.
 *
 * Dimension letters: N samples, H hidden units (500 in the post), K classes (2 in the post).
 * A name dM is the gradient ∂L/∂M of the mean loss L of chapter 04 and has the shape of M.
 *
 * The forward lines these functions invert (chapter 03):
 *
 *     Z2 = A1 W2 + 1 b2      (3)   affine(A1, W2, b2)       N×H · H×K + 1×K  ->  N×K
 *     P  = softmax(Z2)       (4)   row by row                                N×K
 *     L  = −(1/N) Σ Y ⊙ ln P (5)   corrected, chapter 04                     scalar
 *
 * The same three functions serve the hidden layer in chapter 08: weight_gradient and
 * bias_gradient invert any affine map Z = A W + 1 b, whatever its input A.
 * The derivation is on the page \ref ch07; the tests are in tests/07_output_layer_test.cpp.
 */
#pragma once

#include <armadillo>

namespace bp {

/**
 * @brief The output error \f$ dZ_2 = (P - Y)/N \f$: equation (7), **corrected** (exercise 7.1).
 *
 * Inverts `P = softmax(Z2)` and `L = −(1/N) Σ Y ⊙ ln P` together:
 * \f[ \frac{\partial L}{\partial Z_{2,nk}} = \frac{1}{N}\,(P_{nk} - Y_{nk}) . \f]
 * The post prints \f$ y - \hat y \f$: the sign of the log-likelihood it wrote as (5), not of the
 * loss to minimise. The \f$ 1/N \f$ is the mean's, and enters the backward pass here, once.
 * Checked by the tests of suite Eq7_OutputDelta.
 * @param P  N×K  probabilities of equation (4), rows summing to 1
 * @param Y  N×K  one-hot labels
 * @return   N×K  dZ2; every row sums to 0
 * @throws ShapeError when P and Y differ in shape, or are empty (no mean over no samples).
 * \see \ref ch07-eq7 "equation (7), corrected" on \ref ch07 "chapter 07"'s page; the index of
 * equations: \ref eq7 "(7)". Tested by the suite(s) `Eq7_OutputDelta` (\ref tests07 "tests 07").
 */
arma::mat output_delta(const arma::mat& P, const arma::mat& Y);

/**
 * @brief The weight gradient of an affine map, \f$ dW = A^\top dZ \f$: equation (14),
 * **corrected** (exercise 7.2).
 *
 * Inverts `Z = A W + 1 b`: \f$ Z_{nk} = \sum_h A_{nh} W_{hk} + b_k \f$, so
 * \f[ dW_{hk} = \sum_n \frac{\partial L}{\partial Z_{nk}} \frac{\partial Z_{nk}}{\partial W_{hk}}
 *            = \sum_n A_{nh}\, dZ_{nk} = (A^\top dZ)_{hk} . \f]
 * The product sums over the samples: every sample used the same W. For the output layer
 * (A, dZ) = (A1, dZ2) and this is \f$ dW_2 = A_1^\top dZ_2 \f$; the post's \f$ a_1^\top(y - \hat y) \f$
 * has the sign of its (7). Chapter 08 calls it with (X, dZ1) for \f$ dW_1 \f$.
 * Checked by the tests of suite Eq14_WeightGradient.
 * @param A   N×H  the input of the affine map (A1 for the output layer)
 * @param dZ  N×K  the gradient of its output (dZ2)
 * @return    H×K  dW, the shape of W
 * @throws ShapeError when A and dZ have different numbers of rows (samples).
 * \see \ref ch07-eq14 "equation (14), corrected", \ref ch08-eq16 "and (16) in the hidden layer" on
 * \ref ch07 "chapter 07"'s page; the index of equations: \ref eq14 "(14)", \ref eq16 "(16)".
 * Tested by the suite(s) `Eq14_WeightGradient` (\ref tests07 "tests 07").
 */
arma::mat weight_gradient(const arma::mat& A, const arma::mat& dZ);

/**
 * @brief The bias gradient of an affine map, \f$ db = \mathbf{1}^\top dZ \f$ (the sum of the
 * rows): equation (15), **corrected** (exercise 7.3).
 *
 * Inverts `Z = A W + 1 b`: b is added to every row, so \f$ \partial Z_{nk} / \partial b_k = 1 \f$
 * for every sample n and
 * \f[ db_k = \sum_n dZ_{nk} . \f]
 * For the output layer this is \f$ db_2 = \mathbf{1}^\top dZ_2 \f$; the post's \f$ (y - \hat y) \f$
 * is one sample's row, with the sign of its (7). Chapter 08 calls it with dZ1 for \f$ db_1 \f$.
 * Checked by the tests of suite Eq15_BiasGradient.
 * @param dZ  N×K  the gradient of the affine map's output
 * @return    1×K  db, the shape of b
 * \see \ref ch07-eq15 "equation (15), corrected", \ref ch08-eq16 "and (17) in the hidden layer" on
 * \ref ch07 "chapter 07"'s page; the index of equations: \ref eq15 "(15)", \ref eq17 "(17)".
 * Tested by the suite(s) `Eq15_BiasGradient` (\ref tests07 "tests 07").
 */
arma::rowvec bias_gradient(const arma::mat& dZ);

}  // namespace bp
