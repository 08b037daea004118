/**
 * @file forms.hpp
 * @brief Chapter 11, given: the post's equations as it prints them, one function per form, and
 * the corrections that are not exercises (those are in errata.hpp).
 *
 * Dimension letters: N samples, D = 2 inputs, H hidden units, K = 2 classes. The post's forms
 * are for one sample: x, a1, z1, z2 are 1×… rows; read on a batch, X, A1, P and Y take their
 * place. Each form's verdict, against central differences or the loss itself, is in
 * table.hpp (bp::errata::table); the derivations are on the page \ref ch11.
 */
#pragma once

#include <armadillo>

#include "11_errata/errata.hpp"

namespace bp {

// ---------------------------------------------------------------------------------------------
// Given: the post, as printed. Its forms are for one sample; x, a1, z1, z2 are 1×… rows.

/// (1) as printed, right: \f$ z_1 = x W_1 + b_1 \f$ for one sample x (1×D); returns 1×H.
arma::mat post_eq1_printed(const arma::rowvec& x, const arma::mat& W1, const arma::rowvec& b1);

/// (2) as printed, right: \f$ a_1 = \tanh(z_1) \f$, entry by entry; returns the shape of z1.
arma::mat post_eq2_printed(const arma::rowvec& z1);

/// (3) as printed, right: \f$ z_2 = a_1 W_2 + b_2 \f$ for one sample a1 (1×H); returns 1×K.
arma::mat post_eq3_printed(const arma::rowvec& a1, const arma::mat& W2, const arma::rowvec& b2);

/// (4) as printed, right: \f$ \hat y = \mathrm{softmax}(z_2) \f$ for one sample; returns 1×K.
arma::mat post_eq4_printed(const arma::rowvec& z2);

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
double post_eq5_printed(const arma::mat& Z2, const arma::mat& Y);

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
double post_eq5_sigma_of_each_logit(const arma::mat& Z2, const arma::mat& Y);

/**
 * @brief (6) as printed, **wrong**: \f$ d\sigma/dz = \ln\sigma \cdot \ln(1-\sigma) \f$, entry by
 * entry, from the output \f$ S = \sigma(s) \f$.
 * @param S  any shape, entries in (0, 1)
 * @return   same shape; positive, but not \f$ \sigma' \f$ (at s = 0: \f$ (\ln 2)^2 = 0.48 \f$
 *           instead of 0.25)
 */
arma::mat post_eq6_printed(const arma::mat& S);

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
arma::mat post_eq7_printed(const arma::mat& P, const arma::mat& Y);

/**
 * @brief (8) as printed, right: \f$ \partial z_2 / \partial W_2 = a_1 \f$, read as the Jacobian in
 * the row convention, \f$ I_K \otimes a_1 \f$ (numerator layout, W2 flattened column by column):
 * \f$ \partial z_{2,k} / \partial W_{2,hj} = a_{1,h}\,\delta_{kj} \f$.
 * @param a1  1×H  one sample's hidden activations
 * @param K   the number of classes
 * @return    K×(H·K)
 */
arma::mat post_eq8_printed(const arma::rowvec& a1, arma::uword K);

/// (9) as printed, right: \f$ \partial z_2 / \partial b_2 = 1 \f$, read as the K×K identity.
arma::mat post_eq9_printed(arma::uword K);

/**
 * @brief (10) as printed, **wrong**: \f$ \partial z_2 / \partial \tanh(z_1) = z_2 \f$.
 *
 * The derivative of the linear map \f$ a_1 \mapsto a_1 W_2 + b_2 \f$ is its matrix, not its
 * output: the Jacobian is \f$ W_2^\top \f$ (K×H), \f$ W_2 \f$ in the post's layout (H×K). The
 * printed \f$ z_2 \f$ is 1×K: neither.
 * @param z2  1×K  one sample's logits
 * @return    1×K  z2 itself
 */
arma::mat post_eq10_printed(const arma::rowvec& z2);

/**
 * @brief (11) as printed, right: \f$ \partial \tanh(z_1) / \partial z_1 = 1 - \tanh^2(z_1) \f$,
 * read as the Jacobian of tanh entry by entry: the diagonal matrix
 * \f$ \mathrm{diag}(1 - a_1^2) \f$.
 * @param a1  1×H  tanh(z1) of one sample
 * @return    H×H
 */
arma::mat post_eq11_printed(const arma::rowvec& a1);

/**
 * @brief (12) as printed, right: \f$ \partial z_1 / \partial W_1 = x \f$, read as the Jacobian
 * \f$ I_H \otimes x \f$ (numerator layout, W1 flattened column by column).
 * @param x  1×D  one sample
 * @param H  the number of hidden units
 * @return   H×(D·H)
 */
arma::mat post_eq12_printed(const arma::rowvec& x, arma::uword H);

/// (13) as printed, right: \f$ \partial z_1 / \partial b_1 = 1 \f$, read as the H×H identity.
arma::mat post_eq13_printed(arma::uword H);

/**
 * @brief (14) as printed, **wrong** (the sign of (7)): \f$ a_1^\top (y - \hat y) \f$; for a
 * batch \f$ A_1^\top (Y - P) \f$.
 * @param A1  N×H,  @param P  N×K,  @param Y  N×K
 * @return H×K, the shape of W2, with the opposite sign of the loss's gradient (and no 1/N)
 */
arma::mat post_eq14_printed(const arma::mat& A1, const arma::mat& P, const arma::mat& Y);

/**
 * @brief (15) as printed, **wrong** (the sign of (7)): \f$ y - \hat y \f$. For a batch Y − P
 * is N×K: one row per sample, where \f$ \partial L / \partial b_2 \f$ is one row (1×K).
 * @param P  N×K,  @param Y  N×K
 * @return N×K
 */
arma::mat post_eq15_printed(const arma::mat& P, const arma::mat& Y);

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
arma::mat post_eq16_printed(const arma::mat& X, const arma::mat& A1, const arma::mat& P,
                            const arma::mat& Y, const arma::mat& W2);

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
arma::mat post_eq17_first_line(const arma::mat& X, const arma::mat& dZ2, const arma::mat& W2,
                               const arma::mat& A1);

/**
 * @brief (17), last line as printed, **wrong**: \f$ (1 - \tanh^2 z_1)(y - \hat y) W_2^\top \f$,
 * matrix products in the printed order: (1×H)(1×K) is not defined (unless H = N).
 * @param A1  N×H,  @param P  N×K,  @param Y  N×K,  @param W2  H×K
 * @throws std::logic_error (Armadillo's size error) when H ≠ N.
 */
arma::mat post_eq17_printed(const arma::mat& A1, const arma::mat& P, const arma::mat& Y,
                            const arma::mat& W2);

// ---------------------------------------------------------------------------------------------
// Given: the corrections that are not exercises.

/**
 * @brief (5) corrected: \f$ L = -\frac{1}{N}\sum_n \big[y_n\ln\sigma(s_n)
 * + (1-y_n)\ln(1-\sigma(s_n))\big] \f$,
 * \f$ s_n = Z_{n1} - Z_{n0} \f$, \f$ y_n = Y_{n1} \f$: the minus sign, and σ of the logit
 * difference, so that \f$ \sigma(s) \f$ is the softmax probability of (4).
 *
 * Logarithms taken naively, as the post writes them (chapter 04's exercise 4.3 makes them
 * stable); equal to bp::errata::loss for moderate logits.
 * @throws ShapeError as post_eq5_printed.
 */
double corrected_eq5(const arma::mat& Z2, const arma::mat& Y);

/// (6) corrected: \f$ \sigma' = \sigma(1 - \sigma) \f$, entry by entry, from the output S = σ(s).
arma::mat corrected_eq6(const arma::mat& S);

/**
 * @brief (6) for the softmax of (4): its Jacobian \f$ \mathrm{diag}(p) - p^\top p \f$ (K×K) for
 * one sample p (1×K). For two classes, \f$ \sigma'(s) \begin{pmatrix} 1 & -1 \\ -1 & 1
 * \end{pmatrix} \f$.
 */
arma::mat corrected_eq6_softmax(const arma::rowvec& p);

/**
 * @brief (10) corrected: the Jacobian of \f$ z_2 = a_1 W_2 + b_2 \f$ in \f$ a_1 \f$,
 * \f$ W_2^\top \f$ (K×H) — \f$ W_2 \f$ in the post's layout. In the backward pass
 * \f$ dA_1 = dZ_2 W_2^\top \f$.
 */
arma::mat corrected_eq10(const arma::mat& W2);

/// (14) corrected: \f$ dW_2 = A_1^\top dZ_2 \f$ (H×K), with dZ2 the corrected (7).
arma::mat corrected_eq14(const arma::mat& A1, const arma::mat& dZ2);

/// (15) corrected: \f$ db_2 = \mathbf{1}^\top dZ_2 \f$, the sum of the rows (1×K).
arma::mat corrected_eq15(const arma::mat& dZ2);

/**
 * @brief (17) corrected: \f$ db_1 = \mathbf{1}^\top\big[(dZ_2 W_2^\top) \odot (1 - A_1^2)\big] \f$
 * (1×H): the chain of (16) with \f$ \partial z_1 / \partial b_1 = 1 \f$ (13) where (16) has
 * \f$ \partial z_1 / \partial W_1 = x \f$ (12). Written as exactly that: corrected_eq16 with a
 * column of ones for X.
 */
arma::mat corrected_eq17(const arma::mat& dZ2, const arma::mat& W2, const arma::mat& A1);

}  // namespace bp
