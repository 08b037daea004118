/**
 * @file loss.hpp
 * @brief Chapter 04: the loss the network minimises — mean cross-entropy — and what the
 * post's equation (5) gets wrong.
 *
 * Labels Y are one-hot, N×K: Y(n, k) = 1 when sample n is of class k, else 0. The loss is the
 * mean over the N samples, so every gradient of the later chapters carries a factor 1/N.
 * The derivation is on the page \ref ch04; the tests are in tests/04_loss_test.cpp.
 */
#pragma once

#include <armadillo>

namespace bp {

/**
 * @brief Mean cross-entropy from probabilities (exercise 4.1): the corrected equation (5).
 *
 * \f[ L = -\frac{1}{N} \sum_{n} \sum_{k} Y_{nk} \ln P_{nk} \f]
 * Terms with \f$ Y_{nk} = 0 \f$ count as 0 even where \f$ P_{nk} = 0 \f$ (0 ln 0 = 0).
 * Checked by the tests of suite Eq5_CrossEntropy.
 * @param P  N×K  predicted probabilities, rows summing to 1
 * @param Y  N×K  one-hot labels
 * @return L ≥ 0; 0 for a perfect prediction, ln K for a uniform one
 * @throws ShapeError when P and Y differ in shape, or are empty (no mean over no samples).
 * \see \ref ch04-eq5 "equation (5), corrected" on \ref ch04 "chapter 04"'s page; the index of
 * equations: \ref eq5 "(5)". Tested by the suite(s) `Eq5_CrossEntropy` (\ref tests04 "tests 04").
 */
double cross_entropy(const arma::mat& P, const arma::mat& Y);

/**
 * @brief Mean cross-entropy straight from the logits, through log-sum-exp (exercise 4.2).
 *
 * \f[ L = -\frac{1}{N} \sum_{n} \sum_{k} Y_{nk}
 *        \Big( Z_{nk} - m_n - \ln \sum_j e^{Z_{nj} - m_n} \Big), \qquad m_n = \max_j Z_{nj} \f]
 * Equal to cross_entropy(softmax(Z2), Y), but finite for logits of ±1000, where
 * \f$ \ln P \f$ of an underflowed probability would be \f$ -\infty \f$.
 * Checked by the tests of suite Eq5_CrossEntropyFromLogits.
 * @param Z2  N×K  logits
 * @param Y   N×K  one-hot labels
 * @return L ≥ 0, finite for finite logits
 * @throws ShapeError when Z2 and Y differ in shape, or are empty.
 * \see \ref ch04-eq5 "equation (5), corrected", \ref ch04-logsumexp "log-sum-exp" on \ref ch04
 * "chapter 04"'s page; the index of equations: \ref eq5 "(5)". Tested by the suite(s)
 * `Eq5_CrossEntropyFromLogits` (\ref tests04 "tests 04").
 */
double cross_entropy_from_logits(const arma::mat& Z2, const arma::mat& Y);

/**
 * @brief The post's equation (5) made right, for two classes (exercise 4.3).
 *
 * \f[ L = -\frac{1}{N} \sum_n \Big[ y_n \ln \sigma(s_n) + (1-y_n) \ln\big(1-\sigma(s_n)\big) \Big],
 *     \qquad s_n = Z_{n1} - Z_{n0}, \quad y_n = Y_{n1} \f]
 * The post prints the bracket without the minus sign (a log-likelihood, to be maximised, not a
 * loss) and applies σ to the vector z2 instead of the logit difference. With both fixed it
 * equals cross_entropy(softmax(Z2), Y). Computed stably:
 * \f$ \ln\sigma(s) = -\ln(1+e^{-s}) \f$ and \f$ \ln(1-\sigma(s)) = -\ln(1+e^{s}) \f$, each as
 * \f$ -\max(0, \mp s) - \mathrm{log1p}(e^{-|s|}) \f$.
 * Checked by the tests of suite Eq5_SigmoidForm.
 * @param s  N×1  logit differences \f$ z_2[1] - z_2[0] \f$
 * @param y  N×1  labels in {0, 1} (1 for class 1)
 * @return L ≥ 0
 * @throws ShapeError when s and y differ in shape, or are empty.
 * \see \ref ch04-eq5 "equation (5), corrected", \ref ch04-two-classes "two classes" on \ref ch04
 * "chapter 04"'s page; the index of equations: \ref eq5 "(5)". Tested by the suite(s)
 * `Eq5_SigmoidForm` (\ref tests04 "tests 04").
 */
double sigmoid_cross_entropy(const arma::vec& s, const arma::vec& y);

}  // namespace bp
