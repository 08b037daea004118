/**
 * @file local_derivatives.hpp
 * @brief Chapter 06: every local derivative of the post, equations (6)–(13), alone, as a
 * Jacobian; corrected where the post is wrong: (6), (7) and (10).
 *
 * Dimension letters: D inputs of an affine map (2 for layer 1, H = 500 for layer 2), K its
 * outputs (H for layer 1, 2 for layer 2), K classes for the softmax.
 *
 * **Layout.** A Jacobian here is in numerator layout: for a function out = F(in),
 * \f[ J_{ij} = \frac{\partial\, \mathrm{out}_i}{\partial\, \mathrm{in}_j} , \f]
 * one row per output and one column per input. A row vector (the course's samples are rows)
 * counts as the list of its entries; a matrix input W counts as vec(W), its columns stacked one
 * under the other (Armadillo's storage order, `arma::vectorise`). This is the layout of the
 * tests' bp::test::numerical_jacobian.
 *
 * The post reads its derivatives the other way round, in denominator layout, where
 * \f$ \partial z / \partial a \f$ has one row per entry of a and one column per entry of z:
 * the transpose. That is why the corrected (10) is \f$ W_2 \f$ on the post's reading and
 * \f$ W_2^\top \f$ here. Backpropagation multiplies a row gradient by the numerator-layout
 * Jacobian from the right: for \f$ z = a W + b \f$,
 * \f$ \frac{\partial L}{\partial a} = \frac{\partial L}{\partial z}\, J = dZ\, W^\top \f$,
 * the course's \f$ dA = dZ\, W^\top \f$ (chapter 08).
 */
#pragma once

#include <armadillo>

namespace bp {

/**
 * @brief Equation (11): \f$ \tanh'(z) = 1 - \tanh^2(z) \f$, written from the output
 * \f$ A = \tanh(Z) \f$ (exercise 6.1).
 *
 * \f[ \frac{\partial A_{nh}}{\partial Z_{nh}} = 1 - A_{nh}^2 \f]
 * tanh acts entry by entry, so its Jacobian is diagonal, \f$ \mathrm{diag}(\mathrm{vec}(1 - A
 * \odot A)) \f$: this function returns that diagonal in the shape of A. The post's (11) is
 * right. The forward pass already has A, so the backward pass needs no second tanh.
 * Checked by the tests of suite Eq11_TanhDerivative.
 * @param A  N×H  the output of tanh, every entry in [−1, 1]
 * @return   N×H  \f$ 1 - A \odot A \f$, every entry in [0, 1]
 * \see \ref ch06-eq11 "equation (11)" on \ref ch06 "chapter 06"'s page; the index of equations:
 * \ref eq11 "(11)". Tested by the suite(s) `Eq11_TanhDerivative` (\ref tests06 "tests 06").
 */
arma::mat tanh_derivative(const arma::mat& A);

/**
 * @brief Equation (6) corrected: \f$ \sigma'(s) = \sigma(s)\,(1 - \sigma(s)) \f$, written from
 * the output \f$ S = \sigma(s) \f$ (exercise 6.2).
 *
 * The post prints \f$ \frac{d\sigma}{dz} = \ln\sigma \cdot \ln(1-\sigma) \f$: wrong. From
 * \f$ \sigma = (1 + e^{-s})^{-1} \f$,
 * \f$ \sigma' = e^{-s} (1 + e^{-s})^{-2} = \sigma \cdot \frac{e^{-s}}{1 + e^{-s}}
 * = \sigma (1 - \sigma) \f$. Entry by entry, like tanh.
 * Checked by the tests of suite Eq6_SigmoidDerivative.
 * @param S  any shape, the output of the sigmoid, every entry in [0, 1]
 * @return   same shape, \f$ S \odot (1 - S) \f$, every entry in [0, 1/4]
 * \see \ref ch06-eq6 "equation (6), corrected" on \ref ch06 "chapter 06"'s page; the index of
 * equations: \ref eq6 "(6)". Tested by the suite(s) `Eq6_SigmoidDerivative`
 * (\ref tests06 "tests 06").
 */
arma::mat sigmoid_derivative(const arma::mat& S);

/**
 * @brief The softmax Jacobian, equation (6) for the softmax of equation (4) (exercise 6.3).
 *
 * For one sample, \f$ p = \mathrm{softmax}(z) \f$ with \f$ p_i = e^{z_i} / \sum_k e^{z_k} \f$:
 * \f[ J_{ij} = \frac{\partial p_i}{\partial z_j} = p_i (\delta_{ij} - p_j), \qquad
 *     J = \mathrm{diag}(p) - p^\top p . \f]
 * Symmetric; every row and column sums to 0 (adding a constant to z changes nothing). For two
 * classes it is \f$ \sigma'(s) \begin{pmatrix} 1 & -1 \\ -1 & 1 \end{pmatrix} \f$ with
 * \f$ s = z_1 - z_0 \f$: the sigmoid derivative of (6) corrected.
 * Checked by the tests of suite Eq6_SoftmaxJacobian.
 * @param p  1×K  probabilities of one sample (a row of P)
 * @return   K×K  J
 * \see \ref ch06-softmax "equation (6) for the softmax" on \ref ch06 "chapter 06"'s page; the
 * index of equations: \ref eq6 "(6)". Tested by the suite(s) `Eq6_SoftmaxJacobian`
 * (\ref tests06 "tests 06").
 */
arma::mat softmax_jacobian(const arma::rowvec& p);

/**
 * @brief Equation (7) corrected: \f$ \partial L / \partial z_2 = \hat y - y \f$ for one sample
 * (exercise 6.4).
 *
 * With \f$ L = -\sum_k y_k \ln p_k \f$ and \f$ p = \mathrm{softmax}(z) \f$, the chain rule
 * through the softmax Jacobian gives
 * \f[ \frac{\partial L}{\partial z_j} = \sum_i \Big(-\frac{y_i}{p_i}\Big) p_i (\delta_{ij} - p_j)
 *     = -y_j + p_j \sum_i y_i = p_j - y_j . \f]
 * The post prints \f$ y - \hat y \f$: the gradient of its printed (5), a log-likelihood, not of
 * the loss. For a batch and the mean loss this becomes \f$ (P - Y)/N \f$ (chapter 07).
 * Checked by the tests of suite Eq7_LossGradientLogits.
 * @param p  1×K  probabilities of one sample
 * @param y  1×K  its one-hot label (any row summing to 1 works)
 * @return   1×K  \f$ p - y \f$, a row like z2 (the course's dZ2 convention)
 * @throws ShapeError when p and y differ in shape.
 * \see \ref ch06-eq7 "equation (7), corrected" on \ref ch06 "chapter 06"'s page; the index of
 * equations: \ref eq7 "(7)". Tested by the suite(s) `Eq7_LossGradientLogits`
 * (\ref tests06 "tests 06").
 */
arma::rowvec loss_gradient_logits(const arma::rowvec& p, const arma::rowvec& y);

/**
 * @brief Equation (10) corrected: the Jacobian of \f$ z = a W + b \f$ with respect to its
 * input a (exercise 6.5).
 *
 * \f$ z_k = \sum_d a_d W_{dk} + b_k \f$, so \f$ \partial z_k / \partial a_d = W_{dk} \f$:
 * \f[ J = W^\top \quad (K\times D) . \f]
 * The post prints \f$ \partial z_2 / \partial \tanh(z_1) = z_2 \f$: wrong — the derivative of a
 * linear map is its matrix, not its output. On the post's (denominator-layout) reading the
 * answer is \f$ W_2 \f$; in backprop it is used as \f$ dA_1 = dZ_2\, W_2^\top \f$.
 * Checked by the tests of suite Eq10_AffineJacobianInput.
 * @param W  D×K  the weights
 * @return   K×D  \f$ W^\top \f$
 * \see \ref ch06-eq10 "equation (10), corrected" on \ref ch06 "chapter 06"'s page; the index of
 * equations: \ref eq10 "(10)". Tested by the suite(s) `Eq10_AffineJacobianInput`
 * (\ref tests06 "tests 06").
 */
arma::mat affine_jacobian_input(const arma::mat& W);

/**
 * @brief Equations (8) and (12): the Jacobian of \f$ z = x W + b \f$ with respect to the
 * weights W, flattened column by column (exercise 6.6).
 *
 * \f$ z_k = \sum_d x_d W_{dk} + b_k \f$ depends on column k of W only:
 * \f$ \partial z_k / \partial W_{dj} = x_d\, \delta_{kj} \f$. With W's entry (d, j) at position
 * \f$ d + jD \f$ of vec(W), row k of J holds x in columns \f$ kD \f$ to \f$ kD + D - 1 \f$ and
 * zeros elsewhere:
 * \f[ J = I_K \otimes x \quad (K \times DK) . \f]
 * The post's "= x" (for (8), \f$ a_1 \f$) names exactly those non-zero blocks; it is right.
 * Contracted with a row gradient dz it gives \f$ dW = x^\top dz \f$ (chapter 07).
 * Checked by the tests of suite Eq12_AffineJacobianWeights.
 * @param x  1×D  the input of the map (a row of X or of A1)
 * @param K  the number of outputs (columns of W), K ≥ 1
 * @return   K×(D·K)  J
 * \see \ref ch06-eq8 "equations (8) and (12)" on \ref ch06 "chapter 06"'s page; the index of
 * equations: \ref eq8 "(8)", \ref eq12 "(12)". Tested by the suite(s) `Eq12_AffineJacobianWeights`
 * (\ref tests06 "tests 06").
 */
arma::mat affine_jacobian_weights(const arma::rowvec& x, arma::uword K);

/**
 * @brief Equations (9) and (13): the Jacobian of \f$ z = x W + b \f$ with respect to the bias
 * (exercise 6.7).
 *
 * \f$ \partial z_k / \partial b_j = \delta_{kj} \f$: \f[ J = I_K . \f]
 * The post's "= 1" is right, read as the identity. For a batch the bias is added to every row,
 * so its gradient sums dZ over the rows (chapter 07).
 * Checked by the tests of suite Eq13_AffineJacobianBias.
 * @param K  the number of outputs, K ≥ 1
 * @return   K×K  the identity
 * \see \ref ch06-eq9 "equations (9) and (13)" on \ref ch06 "chapter 06"'s page; the index of
 * equations: \ref eq9 "(9)", \ref eq13 "(13)". Tested by the suite(s) `Eq13_AffineJacobianBias`
 * (\ref tests06 "tests 06").
 */
arma::mat affine_jacobian_bias(arma::uword K);

}  // namespace bp
