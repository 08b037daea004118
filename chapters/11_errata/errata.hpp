/**
 * @file errata.hpp
 * @brief Chapter 11: every equation of the post as printed, next to its correction, each with a
 * numerical verdict — the exercises.
 *
 * Dimension letters: N samples, D = 2 inputs, H hidden units (500 in the post), K = 2 classes.
 * A name dM is the gradient ∂L/∂M of the mean loss L and has the shape of M. The post's own
 * forms are for one sample (N = 1): x, a1, z2, y, ŷ are rows.
 *
 * The chapter's code, in three headers:
 * - **here, the exercises** (chapters/11_errata/errata.cpp): corrected_eq7 (11.1), the corrected
 *   (7) derived the post's way, through σ of the logit difference and the corrected (6); and
 *   corrected_eq16 (11.2), the corrected (16) as one expression; and errata_sigmoid, the σ that
 *   exercise 11.1 calls;
 * - **forms.hpp** (given): one function per form the post prints (post_eq1_printed …
 *   post_eq17_printed) and the corrections that are not exercises;
 * - **table.hpp** (given, namespace bp::errata): the chapter's own small network and central
 *   differences, and the table bp::errata::table with its Markdown form bp::errata::markdown.
 *   The verdicts use no learner code but 11.1 and 11.2: the network, the loss and the
 *   differences are written again there (chapters 03–05 wrote them as exercises).
 *
 * The forward lines the backward lines invert, with the post's numbers:
 *
 *     Z1 = X W1 + 1 b1        (1)   dW1 = Xᵀ dZ1 (16), (12)    db1 = Σ_rows dZ1 (17), (13)
 *     A1 = tanh(Z1)           (2)   dZ1 = dA1 ⊙ (1 − A1²) (11)
 *     Z2 = A1 W2 + 1 b2       (3)   dA1 = dZ2 W2ᵀ (10)
 *                                   dW2 = A1ᵀ dZ2 (14), (8)    db2 = Σ_rows dZ2 (15), (9)
 *     P  = softmax(Z2)        (4)   dZ2 = (P − Y)/N (7), through (6)
 *     L  = −(1/N) Σ Y ⊙ ln P  (5)
 *
 * The derivations are on the page \ref ch11; the tests are in tests/11_errata_test.cpp.
 */
#pragma once

#include <armadillo>
#include <cmath>

#include "common/shape.hpp"

namespace bp {

// ---------------------------------------------------------------------------------------------
// The exercises.

/**
 * @brief Equation (7) corrected, derived the post's way: through σ of the logit difference and
 * the corrected (6) (exercise 11.1).
 *
 * For two classes, softmax is a sigmoid of the logit difference (chapter 04):
 * \f$ \hat y_n = P_{n1} = \sigma(s_n) \f$ with \f$ s_n = Z_{n1} - Z_{n0} \f$. With
 * \f$ y_n = Y_{n1} \f$, the loss of sample n (the corrected (5)) is
 * \f$ \ell_n = -\big[y_n \ln\sigma(s_n) + (1-y_n)\ln(1-\sigma(s_n))\big] \f$, and
 * \f[ \frac{\partial \ell_n}{\partial s_n}
 *     = \Big(-\frac{y_n}{\sigma} + \frac{1-y_n}{1-\sigma}\Big)\,\sigma(1-\sigma)
 *     = \sigma(s_n) - y_n , \f]
 * where \f$ \sigma' = \sigma(1-\sigma) \f$ (the corrected (6)) cancels both denominators. Since
 * \f$ \partial s_n / \partial Z_{n0} = -1 \f$ and \f$ \partial s_n / \partial Z_{n1} = +1 \f$,
 * and \f$ L = \frac{1}{N}\sum_n \ell_n \f$:
 * \f[ dZ_2 = \frac{1}{N}\,\big(\sigma(s) - y\big)\,\begin{pmatrix} -1 & 1 \end{pmatrix}
 *     = \frac{1}{N}(P - Y) . \f]
 * The post prints \f$ y - \hat y \f$, the gradient of its printed (5), a log-likelihood.
 * Checked by the tests of suites Errata_Eq5, Errata_Eq6, Errata_Eq7, Errata_Eq8, Errata_Eq9,
 * Errata_Eq14 and Errata_Eq15.
 * @param Z2  N×2  logits, one row per sample
 * @param Y   N×2  one-hot labels
 * @return    N×2  dZ2; every row sums to 0
 * @throws ShapeError when Z2 and Y differ in shape, do not have two columns, or are empty.
 */
arma::mat corrected_eq7(const arma::mat& Z2, const arma::mat& Y);

/**
 * @brief Equation (16) corrected, as one expression: \f$ dW_1 = X^\top\big[(dZ_2 W_2^\top)
 * \odot (1 - A_1^2)\big] \f$ (exercise 11.2).
 *
 * The chain of the post's (16), read from the loss backwards: \f$ dZ_2 \f$ (the corrected (7)),
 * through \f$ z_2 = a_1 W_2 + b_2 \f$ (the corrected (10): \f$ dA_1 = dZ_2 W_2^\top \f$,
 * N×H), through tanh entry by entry ((11): \f$ \odot (1 - A_1^2) \f$, still N×H), through
 * \f$ z_1 = x W_1 + b_1 \f$ ((12): \f$ X^\top \cdot \f$, D×H). The post writes
 * \f$ x^\top (1-\tanh^2 z_1)(y-\hat y) W_2^\top \f$: the factors in another order, with matrix
 * products only, and that product of a 1×H row and a 1×2 row is not defined.
 *
 * X may be any N×D matrix: with \f$ X = I_N \f$ the result is \f$ dZ_1 \f$ itself, and with a
 * column of ones it is \f$ \mathbf{1}^\top dZ_1 = db_1 \f$, the corrected (17) (the bias is the
 * weight of an input that is always 1).
 * Checked by the tests of suites Errata_Eq1to4, Errata_Eq10 to Errata_Eq13, Errata_Eq16,
 * Errata_Eq17 and Errata_Table.
 * @param X    N×D  the input of layer 1 (the batch)
 * @param dZ2  N×K  the output error, \f$ (P - Y)/N \f$
 * @param W2   H×K  the weights of layer 2
 * @param A1   N×H  the hidden activations the forward pass cached, \f$ \tanh(Z_1) \f$
 * @return     D×H  dW1, the shape of W1
 * @throws std::logic_error (Armadillo's size error, or bp::ShapeError) when the shapes do not
 *         fit.
 */
arma::mat corrected_eq16(const arma::mat& X, const arma::mat& dZ2, const arma::mat& W2,
                         const arma::mat& A1);

// ---------------------------------------------------------------------------------------------
// Given: the σ exercise 11.1 calls.

/**
 * @brief The logistic sigmoid \f$ \sigma(s) = 1/(1+e^{-s}) \f$, entry by entry, stable: chapter
 * 02's formula, written again so that the verdicts use no exercise of chapter 02. Given:
 * exercise 11.1 computes σ with it.
 * @param S  any shape
 * @return   same shape, entries in [0, 1]; no exponent is ever positive
 */
inline arma::mat errata_sigmoid(const arma::mat& S) {
  arma::mat out(arma::size(S));
  for (arma::uword i = 0; i < S.n_elem; ++i) {
    const double s = S(i);
    out(i) = s >= 0.0 ? 1.0 / (1.0 + std::exp(-s)) : std::exp(s) / (1.0 + std::exp(s));
  }
  return out;
}

}  // namespace bp
