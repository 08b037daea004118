/**
 * @file hidden_layer.hpp
 * @brief Chapter 08: the backward pass through the hidden layer — the post's equations (10),
 * (11), (16) and (17), corrected.
 *
 * Dimension letters: N samples, D inputs (2), H hidden units (500 in the post), K classes (2).
 * A name dM is the gradient ∂L/∂M of the mean loss L and has the shape of M.
 *
 * The forward lines these functions invert (chapter 03), read from the bottom up:
 *
 *     Z1 = X W1 + 1 b1    (1)   affine(X, W1, b1)      N×D · D×H + 1×H  ->  N×H
 *     A1 = tanh(Z1)       (2)   entry by entry                            N×H
 *     Z2 = A1 W2 + 1 b2   (3)   affine(A1, W2, b2)     N×H · H×K + 1×K  ->  N×K
 *
 * Chapter 07 gave dZ2 = (P − Y)/N and the two gradients of an affine map, weight_gradient
 * (Aᵀ dZ) and bias_gradient (Σ_rows dZ); this chapter adds the two remaining steps, through the
 * input of an affine map and through tanh, and chains all four for the hidden layer.
 * The derivation is on the page \ref ch08; the tests are in tests/08_hidden_layer_test.cpp.
 */
#pragma once

#include <armadillo>

#include "03_forward/forward.hpp"

namespace bp {

/**
 * @brief The gradient flowing into the input of an affine map, \f$ dA = dZ\, W^\top \f$:
 * equation (10), **corrected** (exercise 8.1).
 *
 * Inverts `Z = A W + 1 b`: \f$ Z_{nk} = \sum_h A_{nh} W_{hk} + b_k \f$, so
 * \f[ dA_{nh} = \sum_k dZ_{nk} \frac{\partial Z_{nk}}{\partial A_{nh}}
 *            = \sum_k dZ_{nk} W_{hk} = (dZ\, W^\top)_{nh} . \f]
 * The post's (10) says \f$ \partial z_2 / \partial \tanh(z_1) = z_2 \f$; the local derivative
 * is \f$ W_2 \f$ (its Jacobian, row convention: \f$ W_2^\top \f$), and in the backward pass it
 * appears transposed, on the right. For the output layer (dZ, W) = (dZ2, W2): \f$ dA_1 \f$.
 * Checked by the tests of suite Eq10_InputGradient.
 * @param dZ  N×K  the gradient of the affine map's output (dZ2)
 * @param W   H×K  its weights (W2)
 * @return    N×H  dA, the shape of the map's input (dA1)
 * @throws ShapeError when dZ and W have different numbers of columns (outputs).
 * \see \ref ch08-eq10 "equation (10), corrected" on \ref ch08 "chapter 08"'s page; the index of
 * equations: \ref eq10 "(10)". Tested by the suite(s) `Eq10_InputGradient`
 * (\ref tests08 "tests 08").
 */
arma::mat input_gradient(const arma::mat& dZ, const arma::mat& W);

/**
 * @brief The backward step through tanh, \f$ dZ = dA \odot (1 - A^2) \f$: equation (11)
 * (exercise 8.2).
 *
 * Inverts `A1 = tanh(Z1)`, entry by entry: \f$ A_{nh} \f$ depends on \f$ Z_{nh} \f$ alone, with
 * \f$ \tanh'(z) = 1 - \tanh^2(z) \f$ (the post's (11), correct), written with the output
 * \f$ A = \tanh(Z) \f$ the forward pass cached:
 * \f[ dZ_{nh} = dA_{nh}\,\big(1 - A_{nh}^2\big) . \f]
 * An element-wise product ⊙ (Armadillo `%`), not a matrix product.
 * Checked by the tests of suite Eq11_TanhBackward.
 * @param dA  N×H  the gradient of tanh's output (dA1)
 * @param A   N×H  tanh's output, as the forward pass cached it (A1) — not its input Z1
 * @return    N×H  dZ, the gradient of tanh's input (dZ1)
 * @throws ShapeError when dA and A differ in shape.
 * \see \ref ch08-eq11 "equation (11)" on \ref ch08 "chapter 08"'s page; the index of equations:
 * \ref eq11 "(11)". Tested by the suite(s) `Eq11_TanhBackward` (\ref tests08 "tests 08").
 */
arma::mat tanh_backward(const arma::mat& dA, const arma::mat& A);

/// Everything the backward pass computes in the hidden layer: two intermediates, two gradients.
struct HiddenGrads {
  arma::mat dA1;     ///< N×H  eq. (10) corrected: dZ2 W2ᵀ
  arma::mat dZ1;     ///< N×H  eq. (11): dA1 ⊙ (1 − A1²)
  arma::mat dW1;     ///< D×H  eq. (16) corrected: Xᵀ dZ1
  arma::rowvec db1;  ///< 1×H  eq. (17) corrected: Σ_rows dZ1
};

/**
 * @brief The hidden layer's backward pass, from dZ2 to dW1 and db1: equations (10), (11),
 * (16) and (17), **corrected** (exercise 8.3).
 *
 * \f[ dA_1 = dZ_2 W_2^\top, \quad dZ_1 = dA_1 \odot (1 - A_1^2), \quad
 *     dW_1 = X^\top dZ_1, \quad db_1 = \mathbf{1}^\top dZ_1 . \f]
 * The post's (16), \f$ x^\top (1-\tanh^2 z_1)(y-\hat y) W_2^\top \f$, is not even defined
 * (a 2×H matrix times a 1×2 row), and its (17) chains through \f$ \partial z_1/\partial W_1 \f$
 * where \f$ \partial z_1/\partial b_1 \f$ belongs. Written with input_gradient (8.1),
 * tanh_backward (8.2), weight_gradient (7.2) and bias_gradient (7.3).
 * Checked by the tests of suites HiddenLayer_Backward, Eq16_HiddenWeights, Eq17_HiddenBias.
 * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K (reads W2)
 * @param cache   the forward pass at the point of interest: X N×D, A1 N×H (reads X and A1)
 * @param dZ2     N×K  the output error of chapter 07
 * @return dA1 N×H, dZ1 N×H, dW1 D×H, db1 1×H
 * @throws ShapeError (through the four functions it calls) when the shapes do not fit.
 * \see \ref ch08-eq16 "equations (16) and (17), corrected" on \ref ch08 "chapter 08"'s page; the
 * index of equations: \ref eq16 "(16)", \ref eq17 "(17)". Tested by the suite(s)
 * `Eq16_HiddenWeights`, `Eq17_HiddenBias` (\ref tests08 "tests 08").
 */
HiddenGrads hidden_layer_backward(const Params& params, const Cache& cache, const arma::mat& dZ2);

}  // namespace bp
