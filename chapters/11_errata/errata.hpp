/**
 * @file errata.hpp
 * @brief Chapter 11: every equation of the post as printed, next to its correction, each with a
 * numerical verdict.
 *
 * Dimension letters: N samples, D = 2 inputs, H hidden units (500 in the post), K = 2 classes.
 * A name dM is the gradient ∂L/∂M of the mean loss L and has the shape of M. The post's own
 * forms are for one sample (N = 1): x, a1, z2, y, ŷ are rows.
 *
 * What is given and what is an exercise:
 * - **Exercises** (chapters/11_errata/errata.cpp): corrected_eq7 (11.1), the corrected (7)
 *   derived the post's way, through σ of the logit difference and the corrected (6); and
 *   corrected_eq16 (11.2), the corrected (16) as one expression.
 * - **Given** (here, inline): one function per form the post prints (post_eq1_printed …
 *   post_eq17_printed), the corrections that are not exercises, the chapter's own small
 *   network and central differences, and the table errata_table with its Markdown form
 *   errata_markdown. The verdicts use no learner code but 11.1 and 11.2: the network, the loss
 *   and the differences are written again here (chapters 03–05 wrote them as exercises).
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

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "03_forward/forward.hpp"
#include "common/data.hpp"
#include "common/exercise.hpp"
#include "common/random.hpp"
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
// Given: the chapter's own network, loss and central differences.

/// The step of the chapter's central differences, \f$ 10^{-5} \f$: chapter 05's kCentralStep.
inline constexpr double kErrataStep = 1e-5;
/// The floor of the chapter's relative error, \f$ 10^{-4} \f$: chapter 05's kRelativeFloor.
inline constexpr double kErrataFloor = 1e-4;
/// A form agrees with its reference when the relative error is at most \f$ 10^{-6} \f$ (chapter
/// 05's kGradientTolerance): correct forms show \f$ 10^{-10} \f$ or less, the post's wrong ones
/// \f$ 10^{-1} \f$ or more.
inline constexpr double kErrataTolerance = 1e-6;

/**
 * @brief The logistic sigmoid \f$ \sigma(s) = 1/(1+e^{-s}) \f$, entry by entry, stable: chapter
 * 02's formula, written again so that the verdicts use no exercise of chapter 02.
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

/**
 * @brief Softmax of each row, shifted by the row maximum (equation (4), chapter 02's formula).
 * @param Z  N×K  logits
 * @return   N×K  probabilities, rows summing to 1
 */
inline arma::mat errata_softmax(const arma::mat& Z) {
  const arma::vec row_max = arma::max(Z, 1);
  arma::mat E = arma::exp(Z.each_col() - row_max);
  const arma::vec row_sum = arma::sum(E, 1);
  E.each_col() /= row_sum;
  return E;
}

/**
 * @brief The mean cross-entropy from the logits, through log-sum-exp: the corrected (5), as
 * chapter 04 computes it,
 * \f$ L = -\frac{1}{N}\sum_n\sum_k Y_{nk}\ln \mathrm{softmax}(Z_2)_{nk} \f$.
 * @param Z2  N×K  logits
 * @param Y   N×K  one-hot labels
 * @return L ≥ 0
 * @throws ShapeError when Z2 and Y differ in shape or are empty.
 */
inline double errata_loss(const arma::mat& Z2, const arma::mat& Y) {
  require_shape(arma::size(Z2) == arma::size(Y) && !Z2.is_empty(),
                "errata_loss: Z2 is " + shape_of(Z2) + " and Y is " + shape_of(Y) +
                    ": they must have the same shape, with at least one row");
  const arma::vec row_max = arma::max(Z2, 1);
  const arma::mat shifted = Z2.each_col() - row_max;
  const arma::vec log_sum = arma::log(arma::sum(arma::exp(shifted), 1));
  const arma::mat log_P = shifted.each_col() - log_sum;
  return -arma::accu(Y % log_P) / static_cast<double>(Z2.n_rows);
}

/**
 * @brief The forward pass, equations (1)–(4), for a batch (chapter 03's, written again).
 * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
 * @param X       N×D  one sample per row
 * @return X N×D, Z1 N×H, A1 N×H, Z2 N×K, P N×K
 */
inline Cache errata_forward(const Params& params, const arma::mat& X) {
  Cache cache;
  cache.X = X;
  cache.Z1 = X * params.W1;
  cache.Z1.each_row() += params.b1;
  cache.A1 = arma::tanh(cache.Z1);
  cache.Z2 = cache.A1 * params.W2;
  cache.Z2.each_row() += params.b2;
  cache.P = errata_softmax(cache.Z2);
  return cache;
}

/// The network and the batch the chapter checks the post on.
struct ErrataExample {
  Params params;  ///< W1 2×H, b1 1×H, W2 H×2, b2 1×2
  arma::mat Y;    ///< N×2  one-hot labels
  Cache cache;    ///< errata_forward(params, X); the batch X is cache.X (N×2)
  double loss;    ///< errata_loss(cache.Z2, Y)
};

/**
 * @brief The post's network and a toy batch: the same numbers as the programs of chapters 03
 * and 04 with the same flags.
 *
 * Chapter 03's initialisation (W1 then W2 from one bp::Rng seeded with `seed`, LeCun's scale
 * \f$ \mathcal{N}(0, 1/\text{fan-in}) \f$, biases zero) and chapter 04's batch (bp::toy_batch
 * from a generator seeded with seed + 1: class 1 when x2 > x1).
 * @param hidden   H ≥ 1
 * @param samples  N ≥ 1 (the post's case is 1)
 * @param seed     the same seed gives the same numbers
 */
inline ErrataExample errata_example(arma::uword hidden, arma::uword samples, std::uint64_t seed) {
  ErrataExample e;
  Rng rng(seed);
  e.params.W1 = normal_matrix(2, hidden, 1.0 / std::sqrt(2.0), rng);
  e.params.b1.zeros(hidden);
  e.params.W2 = normal_matrix(hidden, 2, 1.0 / std::sqrt(static_cast<double>(hidden)), rng);
  e.params.b2.zeros(2);
  Rng data(seed + 1);
  arma::mat X;
  toy_batch(samples, data, X, e.Y);
  e.cache = errata_forward(e.params, X);
  e.loss = errata_loss(e.cache.Z2, e.Y);
  return e;
}

/**
 * @brief \f$ \partial f / \partial X \f$ by central differences, entry by entry:
 * \f$ (f(X + h e_i) - f(X - h e_i)) / 2h \f$ (chapter 05's numerical_gradient, written again).
 * @param f  a scalar function of a matrix
 * @param X  where to differentiate
 * @param h  the step
 * @return   the shape of X
 */
inline arma::mat errata_numerical_gradient(const std::function<double(const arma::mat&)>& f,
                                           const arma::mat& X, double h = kErrataStep) {
  arma::mat G(arma::size(X));
  arma::mat moved = X;
  for (arma::uword i = 0; i < X.n_elem; ++i) {
    moved(i) = X(i) + h;
    const double up = f(moved);
    moved(i) = X(i) - h;
    const double down = f(moved);
    moved(i) = X(i);
    G(i) = (up - down) / (2.0 * h);
  }
  return G;
}

/**
 * @brief The Jacobian of a matrix function by central differences, in numerator layout: row r,
 * column c is \f$ \partial\, \mathrm{vec}(F)_r / \partial\, \mathrm{vec}(X)_c \f$ (vec stacks
 * columns, Armadillo's storage order), as in chapter 06.
 * @param F  a matrix function of a matrix
 * @param X  where to differentiate
 * @param h  the step
 * @return   (entries of F) × (entries of X)
 */
inline arma::mat errata_numerical_jacobian(const std::function<arma::mat(const arma::mat&)>& F,
                                           const arma::mat& X, double h = kErrataStep) {
  arma::mat J;
  arma::mat moved = X;
  for (arma::uword i = 0; i < X.n_elem; ++i) {
    moved(i) = X(i) + h;
    const arma::mat up = F(moved);
    moved(i) = X(i) - h;
    const arma::mat down = F(moved);
    moved(i) = X(i);
    if (i == 0) J.zeros(up.n_elem, X.n_elem);
    J.col(i) = arma::vectorise(up - down) / (2.0 * h);
  }
  return J;
}

/**
 * @brief The largest entrywise relative error \f$ |a - b| / \max(\text{floor}, |a| + |b|) \f$
 * between two matrices of the same shape (chapter 05's relative_error, entry by entry).
 *
 * Two numbers of opposite signs give exactly 1: the verdict of every sign error.
 * @throws ShapeError when a and b differ in shape.
 */
inline double errata_relative_error(const arma::mat& a, const arma::mat& b,
                                    double floor = kErrataFloor) {
  require_shape(arma::size(a) == arma::size(b), "errata_relative_error: a is " + shape_of(a) +
                                                    " and b is " + shape_of(b));
  double worst = 0.0;
  for (arma::uword i = 0; i < a.n_elem; ++i)
    worst = std::max(worst, std::abs(a(i) - b(i)) /
                                std::max(floor, std::abs(a(i)) + std::abs(b(i))));
  return worst;
}

// ---------------------------------------------------------------------------------------------
// Given: the post, as printed. Its forms are for one sample; x, a1, z1, z2 are 1×… rows.

/// (1) as printed, right: \f$ z_1 = x W_1 + b_1 \f$ for one sample x (1×D); returns 1×H.
inline arma::mat post_eq1_printed(const arma::rowvec& x, const arma::mat& W1,
                                  const arma::rowvec& b1) {
  return x * W1 + b1;
}

/// (2) as printed, right: \f$ a_1 = \tanh(z_1) \f$, entry by entry; returns the shape of z1.
inline arma::mat post_eq2_printed(const arma::rowvec& z1) { return arma::tanh(z1); }

/// (3) as printed, right: \f$ z_2 = a_1 W_2 + b_2 \f$ for one sample a1 (1×H); returns 1×K.
inline arma::mat post_eq3_printed(const arma::rowvec& a1, const arma::mat& W2,
                                  const arma::rowvec& b2) {
  return a1 * W2 + b2;
}

/// (4) as printed, right: \f$ \hat y = \mathrm{softmax}(z_2) \f$ for one sample; returns 1×K.
inline arma::mat post_eq4_printed(const arma::rowvec& z2) { return errata_softmax(z2); }

/**
 * @brief (5) as printed, **wrong**: \f$ y \ln\sigma(z_2) + (1-y)\ln(1-\sigma(z_2)) \f$, averaged
 * over the batch, with \f$ \sigma(z_2) \f$ read as the post reads it under (7),
 * \f$ \sigma(z_2) = \hat y \f$: the softmax probability of class 1,
 * \f$ \sigma(z_2[1] - z_2[0]) \f$, and \f$ y = Y_{n1} \f$.
 *
 * So read, it is \f$ \frac{1}{N}\sum_n\sum_k Y_{nk}\ln P_{nk} = -L \f$: a log-likelihood, the
 * loss without its minus sign. Logarithms taken naively (fine for moderate logits).
 * @param Z2  N×2  logits
 * @param Y   N×2  one-hot labels
 * @return −L ≤ 0
 * @throws ShapeError when Z2 and Y differ in shape, do not have two columns, or are empty.
 */
inline double post_eq5_printed(const arma::mat& Z2, const arma::mat& Y) {
  require_shape(arma::size(Z2) == arma::size(Y) && Z2.n_cols == 2 && Z2.n_rows > 0,
                "post_eq5_printed: Z2 is " + shape_of(Z2) + " and Y is " + shape_of(Y) +
                    ": both must be N×2 (two classes), N ≥ 1");
  const arma::vec y_hat = errata_sigmoid(Z2.col(1) - Z2.col(0));
  const arma::vec y = Y.col(1);
  return arma::mean(y % arma::log(y_hat) + (1.0 - y) % arma::log(1.0 - y_hat));
}

/**
 * @brief (5) with σ read literally, as a sigmoid of each logit, and the sign **fixed**:
 * \f$ -\frac{1}{N}\sum_n\sum_k \big[Y_{nk}\ln\sigma(Z_{nk})
 * + (1-Y_{nk})\ln(1-\sigma(Z_{nk}))\big] \f$.
 *
 * That is the loss of K independent sigmoid units, not of the softmax of equation (4): even with
 * the minus sign it is not L. This isolates the post's sigmoid-versus-softmax error.
 * @param Z2  N×K  logits
 * @param Y   N×K  one-hot labels
 * @return the sigmoid units' loss, ≥ 0
 * @throws ShapeError when Z2 and Y differ in shape or are empty.
 */
inline double post_eq5_sigma_of_each_logit(const arma::mat& Z2, const arma::mat& Y) {
  require_shape(arma::size(Z2) == arma::size(Y) && Z2.n_rows > 0,
                "post_eq5_sigma_of_each_logit: Z2 is " + shape_of(Z2) + " and Y is " +
                    shape_of(Y) + ": they must have the same shape, with at least one row");
  const arma::mat S = errata_sigmoid(Z2);
  return -arma::accu(Y % arma::log(S) + (1.0 - Y) % arma::log(1.0 - S)) /
         static_cast<double>(Z2.n_rows);
}

/**
 * @brief (6) as printed, **wrong**: \f$ d\sigma/dz = \ln\sigma \cdot \ln(1-\sigma) \f$, entry by
 * entry, from the output \f$ S = \sigma(s) \f$.
 * @param S  any shape, entries in (0, 1)
 * @return   same shape; positive, but not \f$ \sigma' \f$ (at s = 0: \f$ (\ln 2)^2 = 0.48 \f$
 *           instead of 0.25)
 */
inline arma::mat post_eq6_printed(const arma::mat& S) { return arma::log(S) % arma::log(1.0 - S); }

/**
 * @brief (7) as printed, **wrong**: \f$ \partial\,\mathrm{Loss} / \partial z_2 = y - \hat y \f$,
 * row by row: Y − P.
 *
 * The gradient of the printed (5) for one sample (a log-likelihood); the loss's is the negative,
 * and for the mean over a batch \f$ (P - Y)/N \f$.
 * @param P  N×K  probabilities
 * @param Y  N×K  one-hot labels
 * @return   N×K  Y − P
 */
inline arma::mat post_eq7_printed(const arma::mat& P, const arma::mat& Y) { return Y - P; }

/**
 * @brief (8) as printed, right: \f$ \partial z_2 / \partial W_2 = a_1 \f$, read as the Jacobian in
 * the row convention, \f$ I_K \otimes a_1 \f$ (numerator layout, W2 flattened column by column):
 * \f$ \partial z_{2,k} / \partial W_{2,hj} = a_{1,h}\,\delta_{kj} \f$.
 * @param a1  1×H  one sample's hidden activations
 * @param K   the number of classes
 * @return    K×(H·K)
 */
inline arma::mat post_eq8_printed(const arma::rowvec& a1, arma::uword K) {
  return arma::kron(arma::mat(arma::eye(K, K)), arma::mat(a1));
}

/// (9) as printed, right: \f$ \partial z_2 / \partial b_2 = 1 \f$, read as the K×K identity.
inline arma::mat post_eq9_printed(arma::uword K) { return arma::eye(K, K); }

/**
 * @brief (10) as printed, **wrong**: \f$ \partial z_2 / \partial \tanh(z_1) = z_2 \f$.
 *
 * The derivative of the linear map \f$ a_1 \mapsto a_1 W_2 + b_2 \f$ is its matrix, not its
 * output: the Jacobian is \f$ W_2^\top \f$ (K×H), \f$ W_2 \f$ in the post's layout (H×K). The
 * printed \f$ z_2 \f$ is 1×K: neither.
 * @param z2  1×K  one sample's logits
 * @return    1×K  z2 itself
 */
inline arma::mat post_eq10_printed(const arma::rowvec& z2) { return z2; }

/**
 * @brief (11) as printed, right: \f$ \partial \tanh(z_1) / \partial z_1 = 1 - \tanh^2(z_1) \f$,
 * read as the Jacobian of tanh entry by entry: the diagonal matrix
 * \f$ \mathrm{diag}(1 - a_1^2) \f$.
 * @param a1  1×H  tanh(z1) of one sample
 * @return    H×H
 */
inline arma::mat post_eq11_printed(const arma::rowvec& a1) {
  return arma::diagmat(1.0 - arma::square(a1));
}

/**
 * @brief (12) as printed, right: \f$ \partial z_1 / \partial W_1 = x \f$, read as the Jacobian
 * \f$ I_H \otimes x \f$ (numerator layout, W1 flattened column by column).
 * @param x  1×D  one sample
 * @param H  the number of hidden units
 * @return   H×(D·H)
 */
inline arma::mat post_eq12_printed(const arma::rowvec& x, arma::uword H) {
  return arma::kron(arma::mat(arma::eye(H, H)), arma::mat(x));
}

/// (13) as printed, right: \f$ \partial z_1 / \partial b_1 = 1 \f$, read as the H×H identity.
inline arma::mat post_eq13_printed(arma::uword H) { return arma::eye(H, H); }

/**
 * @brief (14) as printed, **wrong** (the sign of (7)): \f$ a_1^\top (y - \hat y) \f$; for a
 * batch \f$ A_1^\top (Y - P) \f$.
 * @param A1  N×H,  @param P  N×K,  @param Y  N×K
 * @return H×K, the shape of W2, with the opposite sign of the loss's gradient (and no 1/N)
 */
inline arma::mat post_eq14_printed(const arma::mat& A1, const arma::mat& P, const arma::mat& Y) {
  return A1.t() * (Y - P);
}

/**
 * @brief (15) as printed, **wrong** (the sign of (7)): \f$ y - \hat y \f$. For a batch Y − P
 * is N×K: one row per sample, where \f$ \partial L / \partial b_2 \f$ is one row (1×K).
 * @param P  N×K,  @param Y  N×K
 * @return N×K
 */
inline arma::mat post_eq15_printed(const arma::mat& P, const arma::mat& Y) { return Y - P; }

/**
 * @brief (16) as printed, **wrong**: \f$ x^\top (1 - \tanh^2 z_1)(y - \hat y) W_2^\top \f$, every
 * product a matrix product, in the printed order.
 *
 * \f$ x^\top (1-a_1^2) \f$ is (D×1)(1×H) = D×H, and D×H times \f$ (y - \hat y) \f$, 1×K, is
 * not defined (unless H = N). Armadillo refuses it: this function lets its size error surface.
 * @param X   N×D,  @param A1  N×H,  @param P  N×K,  @param Y  N×K,  @param W2  H×K
 * @return D×H only in the degenerate case H = N
 * @throws std::logic_error "matrix multiplication: incompatible matrix dimensions: 1x500 and
 *         1x2" (Armadillo's message) when H ≠ N.
 */
inline arma::mat post_eq16_printed(const arma::mat& X, const arma::mat& A1, const arma::mat& P,
                                   const arma::mat& Y, const arma::mat& W2) {
  const arma::mat product = X.t() * (1.0 - arma::square(A1)) * (Y - P) * W2.t();
  return product;
}

/**
 * @brief (17), first line as printed, **wrong**: \f$ \frac{\partial L}{\partial z_2}
 * \frac{\partial z_2}{\partial z_1} \frac{\partial z_1}{\partial W_1} \f$ — a chain that ends
 * in \f$ \partial z_1 / \partial W_1 \f$, where \f$ \partial L / \partial b_1 \f$ needs
 * \f$ \partial z_1 / \partial b_1 \f$.
 *
 * Evaluated with the corrected factors, that chain is the corrected (16), \f$ \partial L /
 * \partial W_1 \f$: D×H, the shape of W1, not the 1×H of b1.
 * @param X  N×D,  @param dZ2  N×K,  @param W2  H×K,  @param A1  N×H
 * @return D×H  corrected_eq16(X, dZ2, W2, A1)
 */
inline arma::mat post_eq17_first_line(const arma::mat& X, const arma::mat& dZ2, const arma::mat& W2,
                                      const arma::mat& A1) {
  return corrected_eq16(X, dZ2, W2, A1);
}

/**
 * @brief (17), last line as printed, **wrong**: \f$ (1 - \tanh^2 z_1)(y - \hat y) W_2^\top \f$,
 * matrix products in the printed order: (1×H)(1×K) is not defined (unless H = N).
 * @param A1  N×H,  @param P  N×K,  @param Y  N×K,  @param W2  H×K
 * @throws std::logic_error (Armadillo's size error) when H ≠ N.
 */
inline arma::mat post_eq17_printed(const arma::mat& A1, const arma::mat& P, const arma::mat& Y,
                                   const arma::mat& W2) {
  const arma::mat product = (1.0 - arma::square(A1)) * (Y - P) * W2.t();
  return product;
}

// ---------------------------------------------------------------------------------------------
// Given: the corrections that are not exercises.

/**
 * @brief (5) corrected: \f$ L = -\frac{1}{N}\sum_n \big[y_n\ln\sigma(s_n)
 * + (1-y_n)\ln(1-\sigma(s_n))\big] \f$,
 * \f$ s_n = Z_{n1} - Z_{n0} \f$, \f$ y_n = Y_{n1} \f$: the minus sign, and σ of the logit
 * difference, so that \f$ \sigma(s) \f$ is the softmax probability of (4).
 *
 * Logarithms taken naively, as the post writes them (chapter 04's exercise 4.3 makes them
 * stable); equal to errata_loss for moderate logits.
 * @throws ShapeError as post_eq5_printed.
 */
inline double corrected_eq5(const arma::mat& Z2, const arma::mat& Y) {
  return -post_eq5_printed(Z2, Y);
}

/// (6) corrected: \f$ \sigma' = \sigma(1 - \sigma) \f$, entry by entry, from the output S = σ(s).
inline arma::mat corrected_eq6(const arma::mat& S) { return S % (1.0 - S); }

/**
 * @brief (6) for the softmax of (4): its Jacobian \f$ \mathrm{diag}(p) - p^\top p \f$ (K×K) for
 * one sample p (1×K). For two classes, \f$ \sigma'(s) \begin{pmatrix} 1 & -1 \\ -1 & 1
 * \end{pmatrix} \f$.
 */
inline arma::mat corrected_eq6_softmax(const arma::rowvec& p) {
  return arma::diagmat(p) - p.t() * p;
}

/**
 * @brief (10) corrected: the Jacobian of \f$ z_2 = a_1 W_2 + b_2 \f$ in \f$ a_1 \f$,
 * \f$ W_2^\top \f$ (K×H) — \f$ W_2 \f$ in the post's layout. In the backward pass
 * \f$ dA_1 = dZ_2 W_2^\top \f$.
 */
inline arma::mat corrected_eq10(const arma::mat& W2) { return W2.t(); }

/// (14) corrected: \f$ dW_2 = A_1^\top dZ_2 \f$ (H×K), with dZ2 the corrected (7).
inline arma::mat corrected_eq14(const arma::mat& A1, const arma::mat& dZ2) { return A1.t() * dZ2; }

/// (15) corrected: \f$ db_2 = \mathbf{1}^\top dZ_2 \f$, the sum of the rows (1×K).
inline arma::mat corrected_eq15(const arma::mat& dZ2) { return arma::sum(dZ2, 0); }

/**
 * @brief (17) corrected: \f$ db_1 = \mathbf{1}^\top\big[(dZ_2 W_2^\top) \odot (1 - A_1^2)\big] \f$
 * (1×H): the chain of (16) with \f$ \partial z_1 / \partial b_1 = 1 \f$ (13) where (16) has
 * \f$ \partial z_1 / \partial W_1 = x \f$ (12). Written as exactly that: corrected_eq16 with a
 * column of ones for X.
 */
inline arma::mat corrected_eq17(const arma::mat& dZ2, const arma::mat& W2, const arma::mat& A1) {
  return corrected_eq16(arma::ones(A1.n_rows, 1), dZ2, W2, A1);
}

// ---------------------------------------------------------------------------------------------
// Given: the table of errata.

/// How a form fared against its numerical reference.
struct ErrataVerdict {
  /// What could be measured.
  enum class Kind {
    Defined,     ///< a definition ((1)–(4)): its products are defined; only its shape is checked
    Measured,    ///< computed, with the reference's shape: relative_error is the verdict
    WrongShape,  ///< computed, but with another shape than what it claims to be
    Undefined,   ///< not computable: Armadillo refused a product (its message is in detail)
  };
  Kind kind = Kind::Measured;  ///< what could be measured
  /// Measured: the largest entrywise relative error against the reference; NaN otherwise.
  double relative_error = std::numeric_limits<double>::quiet_NaN();
  std::string shape;   ///< the shape the form has ("1×500"); empty when Undefined
  std::string detail;  ///< WrongShape: the shape it should have; Undefined: Armadillo's message

  /// Defined, or Measured with relative_error ≤ kErrataTolerance.
  bool agrees() const {
    return kind == Kind::Defined || (kind == Kind::Measured && relative_error <= kErrataTolerance);
  }

  /// The short form for the console: "1.0e+00", "defined 1×500", "shape 2×500", "undefined".
  std::string brief() const {
    switch (kind) {
      case Kind::Defined: return "defined " + shape;
      case Kind::WrongShape: return "shape " + shape;
      case Kind::Undefined: return "undefined";
      case Kind::Measured: break;
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.1e", relative_error);
    return text;
  }

  /// The whole verdict, for the Markdown table: brief() with the expected shape or the message.
  std::string text() const {
    switch (kind) {
      case Kind::Defined: return "defined: " + shape;
      case Kind::WrongShape: return "shape " + shape + ", not " + detail;
      case Kind::Undefined: return "undefined: " + detail;
      case Kind::Measured: break;
    }
    return brief();
  }
};

/// One row of the table: an equation of the post, as printed and corrected, both checked.
struct Erratum {
  std::string equation;        ///< the post's number, "(5)"; "(17) line 1" for a part
  std::string printed;         ///< the post's form, in its notation (one sample)
  std::string corrected;       ///< the course's form (row convention, batch, mean loss)
  std::string reference;       ///< what both forms are checked against
  ErrataVerdict as_printed;    ///< the post's form against the reference
  ErrataVerdict as_corrected;  ///< the correction against the reference

  /// "right" when the printed form agrees; "wrong" when it does not and the correction does;
  /// "unresolved" when neither agrees (an unfinished or wrong exercise).
  std::string status() const {
    if (as_printed.agrees()) return "right";
    return as_corrected.agrees() ? "wrong" : "unresolved";
  }
};

/**
 * @brief Evaluates `form` and compares it with `reference`: Measured when the shapes match,
 * WrongShape when they do not, Undefined when Armadillo (or a shape check) refuses a product.
 * An unfinished exercise (bp::ExerciseNotDone) is not a verdict: it propagates.
 * @param form       computes the form to judge
 * @param reference  what it should equal (central differences, or an exact value)
 * @param floor      the floor of the relative error
 */
inline ErrataVerdict errata_verdict(const std::function<arma::mat()>& form,
                                    const arma::mat& reference, double floor = kErrataFloor) {
  ErrataVerdict verdict;
  arma::mat value;
  try {
    value = form();
  } catch (const ExerciseNotDone&) {
    throw;
  } catch (const std::logic_error& e) {
    verdict.kind = ErrataVerdict::Kind::Undefined;
    verdict.detail = e.what();
    return verdict;
  }
  verdict.shape = shape_of(value);
  if (arma::size(value) != arma::size(reference)) {
    verdict.kind = ErrataVerdict::Kind::WrongShape;
    verdict.detail = shape_of(reference);
    return verdict;
  }
  verdict.relative_error = errata_relative_error(value, reference, floor);
  return verdict;
}

/**
 * @brief The verdict of a definition: Defined with its shape when `form` computes, Undefined
 * when a product is refused.
 */
inline ErrataVerdict errata_definition(const std::function<arma::mat()>& form) {
  ErrataVerdict verdict;
  try {
    verdict.shape = shape_of(form());
    verdict.kind = ErrataVerdict::Kind::Defined;
  } catch (const ExerciseNotDone&) {
    throw;
  } catch (const std::logic_error& e) {
    verdict.kind = ErrataVerdict::Kind::Undefined;
    verdict.detail = e.what();
  }
  return verdict;
}

/**
 * @brief The table: every equation of the post, as printed and corrected, each form checked
 * numerically on `example`.
 *
 * Rows, in the post's order: (1), (2), (3), (4), (5), "(5) σ" (σ of each logit, the sign
 * fixed), (6), (7), (8), …, (16), "(17) line 1", (17). The references:
 * - (1)–(4) are definitions: their products must be defined (shape only);
 * - (5): the loss L of errata_loss (log-sum-exp) — the value, not a derivative;
 * - (6): central differences of σ at the logit differences s of the batch (its diagonal Jacobian);
 * - (8)–(13), local derivatives: the central-difference Jacobian for the first sample;
 * - (7), (14)–(17), gradients of L: central differences of L in Z2, W2, b2, W1, b1, with the
 *   floor kErrataFloor · max(1, L).
 * Calls the exercises corrected_eq7 (11.1) and corrected_eq16 (11.2); a bp::ExerciseNotDone
 * propagates. Costs about 2(HK + K + H + DH) + … evaluations; 0.1 s for the post's network and
 * one sample.
 * @param e  the network and batch (two classes)
 * @return one Erratum per row, in the order above
 */
inline std::vector<Erratum> errata_table(const ErrataExample& e) {
  const Params& p = e.params;
  const Cache& c = e.cache;
  const arma::mat& Y = e.Y;
  const arma::uword H = p.W1.n_cols;
  const arma::uword K = p.W2.n_cols;
  const double loss_floor = kErrataFloor * std::max(1.0, std::abs(e.loss));
  // The first sample, for the post's one-sample forms and the local derivatives.
  const arma::rowvec x = c.X.row(0);
  const arma::rowvec z1 = c.Z1.row(0);
  const arma::rowvec a1 = c.A1.row(0);
  const arma::rowvec z2 = c.Z2.row(0);

  // The loss as a function of each quantity it depends on, the others held.
  const auto loss_of_Z2 = [&](const arma::mat& Z2) { return errata_loss(Z2, Y); };
  const auto loss_of_W2 = [&](const arma::mat& W2) {
    arma::mat Z2 = c.A1 * W2;
    Z2.each_row() += p.b2;
    return errata_loss(Z2, Y);
  };
  const auto loss_of_b2 = [&](const arma::mat& b2) {
    arma::mat Z2 = c.A1 * p.W2;
    Z2.each_row() += b2;
    return errata_loss(Z2, Y);
  };
  const auto loss_of_W1 = [&](const arma::mat& W1) {
    Params q = p;
    q.W1 = W1;
    return errata_loss(errata_forward(q, c.X).Z2, Y);
  };
  const auto loss_of_b1 = [&](const arma::mat& b1) {
    Params q = p;
    q.b1 = b1;
    return errata_loss(errata_forward(q, c.X).Z2, Y);
  };

  std::vector<Erratum> rows;
  const auto add = [&rows](std::string equation, std::string printed, std::string corrected,
                           std::string reference, ErrataVerdict as_printed,
                           ErrataVerdict as_corrected) {
    rows.push_back({std::move(equation), std::move(printed), std::move(corrected),
                    std::move(reference), std::move(as_printed), std::move(as_corrected)});
  };

  // (1)–(4): the forward pass, one sample as printed, the batch as corrected.
  add("(1)", "z1 = x W1 + b1", "Z1 = X W1 + 1 b1", "the shapes of its products",
      errata_definition([&] { return post_eq1_printed(x, p.W1, p.b1); }),
      errata_definition([&] { return arma::mat(c.Z1.row(0)); }));
  add("(2)", "a1 = tanh(z1)", "A1 = tanh(Z1)", "the shapes of its products",
      errata_definition([&] { return post_eq2_printed(z1); }),
      errata_definition([&] { return arma::mat(c.A1.row(0)); }));
  add("(3)", "z2 = a1 W2 + b2", "Z2 = A1 W2 + 1 b2", "the shapes of its products",
      errata_definition([&] { return post_eq3_printed(a1, p.W2, p.b2); }),
      errata_definition([&] { return arma::mat(c.Z2.row(0)); }));
  add("(4)", "ŷ = softmax(z2)", "P = softmax(Z2), row by row", "the shapes of its products",
      errata_definition([&] { return post_eq4_printed(z2); }),
      errata_definition([&] { return arma::mat(c.P.row(0)); }));

  // (5): values of the loss.
  const arma::mat L = {e.loss};
  const std::string loss_reference = "L = −(1/N) Σ Y ⊙ ln softmax(Z2), log-sum-exp";
  add("(5)", "Loss = y ln σ(z2) + (1−y) ln(1−σ(z2)), σ(z2) = ŷ",
      "L = −mean[y ln σ(s) + (1−y) ln(1−σ(s))], s = z2[1] − z2[0]", loss_reference,
      errata_verdict([&] { return arma::mat{post_eq5_printed(c.Z2, Y)}; }, L),
      errata_verdict([&] { return arma::mat{corrected_eq5(c.Z2, Y)}; }, L));
  add("(5) σ", "σ(z2) as σ of each logit (the sign fixed)",
      "L = −mean[y ln σ(s) + (1−y) ln(1−σ(s))], s = z2[1] − z2[0]", loss_reference,
      errata_verdict([&] { return arma::mat{post_eq5_sigma_of_each_logit(c.Z2, Y)}; }, L),
      errata_verdict([&] { return arma::mat{corrected_eq5(c.Z2, Y)}; }, L));

  // (6): σ′ at the logit differences, against the diagonal of σ's Jacobian.
  const arma::mat s = c.Z2.col(1) - c.Z2.col(0);
  const arma::mat sigma_jacobian = errata_numerical_jacobian(errata_sigmoid, s);
  const arma::mat S = errata_sigmoid(s);
  add("(6)", "dσ(z2)/dz = ln σ(z2) · ln(1−σ(z2))", "σ′ = σ (1 − σ)",
      "central differences of σ at s = z2[1] − z2[0]",
      errata_verdict([&] { return arma::mat(arma::diagmat(post_eq6_printed(S))); }, sigma_jacobian),
      errata_verdict([&] { return arma::mat(arma::diagmat(corrected_eq6(S))); }, sigma_jacobian));

  // (7): the exercise 11.1.
  const arma::mat numerical_dZ2 = errata_numerical_gradient(loss_of_Z2, c.Z2);
  const arma::mat dZ2 = corrected_eq7(c.Z2, Y);
  add("(7)", "∂Loss/∂z2 = y − ŷ", "dZ2 = (P − Y)/N, i.e. ŷ − y (exercise 11.1)",
      "central differences of L in Z2",
      errata_verdict([&] { return post_eq7_printed(c.P, Y); }, numerical_dZ2, loss_floor),
      errata_verdict([&] { return dZ2; }, numerical_dZ2, loss_floor));

  // (8)–(13): local derivatives of the first sample, against central-difference Jacobians.
  const arma::mat J8 = errata_numerical_jacobian(
      [&](const arma::mat& W2) { return arma::mat(a1 * W2 + p.b2); }, p.W2);
  add("(8)", "∂z2/∂W2 = a1", "= a1: the Jacobian I ⊗ a1", "central differences of z2 in W2",
      errata_verdict([&] { return post_eq8_printed(a1, K); }, J8),
      errata_verdict([&] { return post_eq8_printed(a1, K); }, J8));
  const arma::mat J9 = errata_numerical_jacobian(
      [&](const arma::mat& b2) { return arma::mat(a1 * p.W2 + b2); }, arma::mat(p.b2));
  add("(9)", "∂z2/∂b2 = 1", "= 1: the identity", "central differences of z2 in b2",
      errata_verdict([&] { return post_eq9_printed(K); }, J9),
      errata_verdict([&] { return post_eq9_printed(K); }, J9));
  const arma::mat J10 = errata_numerical_jacobian(
      [&](const arma::mat& a) { return arma::mat(a * p.W2 + p.b2); }, arma::mat(a1));
  add("(10)", "∂z2/∂tanh(z1) = z2", "W2 (the Jacobian W2ᵀ); dA1 = dZ2 W2ᵀ",
      "central differences of z2 in a1",
      errata_verdict([&] { return post_eq10_printed(z2); }, J10),
      errata_verdict([&] { return corrected_eq10(p.W2); }, J10));
  const arma::mat J11 = errata_numerical_jacobian(
      [](const arma::mat& z) { return arma::mat(arma::tanh(z)); }, arma::mat(z1));
  add("(11)", "∂tanh(z1)/∂z1 = 1 − tanh²(z1)", "= 1 − a1²: the Jacobian diag(1 − a1²)",
      "central differences of tanh in z1",
      errata_verdict([&] { return post_eq11_printed(a1); }, J11),
      errata_verdict([&] { return post_eq11_printed(a1); }, J11));
  const arma::mat J12 = errata_numerical_jacobian(
      [&](const arma::mat& W1) { return arma::mat(x * W1 + p.b1); }, p.W1);
  add("(12)", "∂z1/∂W1 = x", "= x: the Jacobian I ⊗ x", "central differences of z1 in W1",
      errata_verdict([&] { return post_eq12_printed(x, H); }, J12),
      errata_verdict([&] { return post_eq12_printed(x, H); }, J12));
  const arma::mat J13 = errata_numerical_jacobian(
      [&](const arma::mat& b1) { return arma::mat(x * p.W1 + b1); }, arma::mat(p.b1));
  add("(13)", "∂z1/∂b1 = 1", "= 1: the identity", "central differences of z1 in b1",
      errata_verdict([&] { return post_eq13_printed(H); }, J13),
      errata_verdict([&] { return post_eq13_printed(H); }, J13));

  // (14)–(17): the parameter gradients, against central differences of the loss.
  const arma::mat numerical_dW2 = errata_numerical_gradient(loss_of_W2, p.W2);
  add("(14)", "∂Loss/∂W2 = a1ᵀ (y − ŷ)", "dW2 = A1ᵀ dZ2", "central differences of L in W2",
      errata_verdict([&] { return post_eq14_printed(c.A1, c.P, Y); }, numerical_dW2, loss_floor),
      errata_verdict([&] { return corrected_eq14(c.A1, dZ2); }, numerical_dW2, loss_floor));
  const arma::mat numerical_db2 = errata_numerical_gradient(loss_of_b2, arma::mat(p.b2));
  add("(15)", "∂Loss/∂b2 = y − ŷ", "db2 = Σ_rows dZ2", "central differences of L in b2",
      errata_verdict([&] { return post_eq15_printed(c.P, Y); }, numerical_db2, loss_floor),
      errata_verdict([&] { return corrected_eq15(dZ2); }, numerical_db2, loss_floor));
  const arma::mat numerical_dW1 = errata_numerical_gradient(loss_of_W1, p.W1);
  add("(16)", "∂Loss/∂W1 = xᵀ (1 − tanh² z1)(y − ŷ) W2ᵀ",
      "dW1 = Xᵀ [(dZ2 W2ᵀ) ⊙ (1 − A1²)] (exercise 11.2)", "central differences of L in W1",
      errata_verdict([&] { return post_eq16_printed(c.X, c.A1, c.P, Y, p.W2); }, numerical_dW1,
                     loss_floor),
      errata_verdict([&] { return corrected_eq16(c.X, dZ2, p.W2, c.A1); }, numerical_dW1,
                     loss_floor));
  const arma::mat numerical_db1 = errata_numerical_gradient(loss_of_b1, arma::mat(p.b1));
  add("(17) line 1", "∂Loss/∂b1 = ∂Loss/∂z2 · ∂z2/∂z1 · ∂z1/∂W1",
      "∂Loss/∂b1 = ∂Loss/∂z2 · ∂z2/∂z1 · ∂z1/∂b1", "central differences of L in b1",
      errata_verdict([&] { return post_eq17_first_line(c.X, dZ2, p.W2, c.A1); }, numerical_db1,
                     loss_floor),
      errata_verdict([&] { return corrected_eq17(dZ2, p.W2, c.A1); }, numerical_db1, loss_floor));
  add("(17)", "∂Loss/∂b1 = (1 − tanh² z1)(y − ŷ) W2ᵀ", "db1 = Σ_rows [(dZ2 W2ᵀ) ⊙ (1 − A1²)]",
      "central differences of L in b1",
      errata_verdict([&] { return post_eq17_printed(c.A1, c.P, Y, p.W2); }, numerical_db1,
                     loss_floor),
      errata_verdict([&] { return corrected_eq17(dZ2, p.W2, c.A1); }, numerical_db1, loss_floor));
  return rows;
}

/**
 * @brief The table as Markdown, for the pages: a stable format that the docs build includes and
 * a docs check can compare with the chapter's page.
 *
 * Line 1 is an HTML comment holding `origin` (how the table was made). Line 2 is the header,
 * one line in the file (broken here only to fit):
 *
 *     | eq. | as printed | corrected | verdict | as printed, checked | corrected, checked
 *       | checked against |
 *
 * line 3 the separator, `|---|---|---|---|---|---|---|`, and then one line per Erratum in the
 * table's order: the equation, the two forms as code spans, status(), the two
 * ErrataVerdict::text() and the reference. Every line ends in a newline; no cell holds a `|`.
 * @param table   errata_table's rows
 * @param origin  one line saying how the table was made (without "--", which would end the
 *                comment)
 */
inline std::string errata_markdown(const std::vector<Erratum>& table, const std::string& origin) {
  std::string out = "<!-- " + origin + " -->\n";
  out += "| eq. | as printed | corrected | verdict | as printed, checked | corrected, checked "
         "| checked against |\n";
  out += "|---|---|---|---|---|---|---|\n";
  for (const Erratum& row : table)
    out += "| " + row.equation + " | `" + row.printed + "` | `" + row.corrected + "` | " +
           row.status() + " | " + row.as_printed.text() + " | " + row.as_corrected.text() +
           " | " + row.reference + " |\n";
  return out;
}

}  // namespace bp
