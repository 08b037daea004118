/**
 * @file activations.hpp
 * @brief Chapter 02: the activations of the post, tanh (eq. 2) and softmax (eq. 4), and the
 * sigmoid that the post's equations (5) and (6) use.
 *
 * All three act on a batch in the row convention: one sample per row.
 */
#pragma once

#include <armadillo>

namespace bp {

/**
 * @brief Equation (2): \f$ A_1 = \tanh(Z_1) \f$, element by element (exercise 2.1).
 * @param Z1  N×H  pre-activations of the hidden layer
 * @return    N×H  \f$ A_1 \f$, every entry in [−1, 1]: in (−1, 1) mathematically, exactly ±1 in
 *                  double once |z| > 19.1
 * \see \ref ch02-eq2 "equation (2)" on \ref ch02 "chapter 02"'s page; the index of equations: \ref
 * eq2 "(2)". Tested by the suite(s) `Eq2_Tanh` (\ref tests02 "tests 02").
 */
arma::mat tanh_activation(const arma::mat& Z1);

/**
 * @brief Equation (4): \f$ P = \mathrm{softmax}(Z) \f$, row by row, stable (exercise 2.2).
 *
 * \f[ P_{nk} = \frac{e^{Z_{nk} - m_n}}{\sum_j e^{Z_{nj} - m_n}}, \qquad m_n = \max_j Z_{nj} \f]
 * Subtracting the row maximum changes nothing mathematically and keeps every exponent ≤ 0,
 * so logits of ±1000 give finite probabilities.
 * @param Z  N×K  logits, one row per sample
 * @return   N×K  probabilities: every entry in [0, 1], every row sums to 1
 * \see \ref ch02-eq4 "equation (4)" on \ref ch02 "chapter 02"'s page; the index of equations: \ref
 * eq4 "(4)". Tested by the suite(s) `Eq4_Softmax` (\ref tests02 "tests 02").
 */
arma::mat softmax(const arma::mat& Z);

/**
 * @brief The logistic sigmoid \f$ \sigma(s) = 1/(1+e^{-s}) \f$, element by element, stable
 * (exercise 2.3).
 *
 * For two classes, softmax equals a sigmoid of the logit difference:
 * \f$ \mathrm{softmax}(z)_1 = \sigma(z_1 - z_0) \f$. The post's (5) and (6) are written with σ.
 * Computed as \f$ 1/(1+e^{-s}) \f$ for \f$ s \ge 0 \f$ and \f$ e^{s}/(1+e^{s}) \f$ for
 * \f$ s < 0 \f$, so no exponent is positive.
 * @param S  any shape
 * @return   same shape, every entry in [0, 1]
 * \see \ref ch02-sigmoid "the two-class softmax, as the post's (5) uses it" on \ref ch02
 * "chapter 02"'s page; the index of equations: \ref eq5 "(5)". Tested by the suite(s)
 * `Eq5_Sigmoid` (\ref tests02 "tests 02").
 */
arma::mat sigmoid(const arma::mat& S);

}  // namespace bp
