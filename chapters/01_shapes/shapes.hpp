/**
 * @file shapes.hpp
 * @brief Chapter 01: shapes and the affine map of the post's equations (1) and (3).
 *
 * Dimension letters used throughout the course:
 *   N  samples in a batch (rows of X)      D  input features (2 in the post)
 *   H  hidden units (500 in the post)      K  classes (2 in the post)
 *
 * The row convention: a batch X is N×D, one sample per row, and a layer maps it by
 * Z = X W + 1 b, with W D×H and the bias b 1×H added to every row (1 is the N×1 column of
 * ones). The post's single sample is the case N = 1.
 */
#pragma once

#include <armadillo>

#include "common/shape.hpp"

namespace bp {

/**
 * @brief Checks that X, W and b fit the affine map Z = X W + 1 b (exercise 1.1).
 *
 * The rules: the columns of X equal the rows of W (the product X W is defined), b is one row,
 * and b has as many columns as W (one bias per output).
 *
 * @param X  N×D  the batch, one sample per row
 * @param W  D×K  the weights
 * @param b  1×K  the bias
 * @throws ShapeError when a rule is broken; its message names the shapes involved, as
 *         bp::shape_of writes them ("3×2"), and the rule.
 */
void check_affine_shapes(const arma::mat& X, const arma::mat& W, const arma::mat& b);

/**
 * @brief The affine map of equations (1) and (3): \f$ Z = X W + \mathbf{1} b \f$ (exercise 1.2).
 *
 * \f[ Z_{nk} = \sum_{d} X_{nd} W_{dk} + b_k \f]
 * Equation (1) is this map with (X, W, b) = (x, W1, b1); equation (3) with (a1, W2, b2).
 *
 * @param X  N×D  the batch, one sample per row
 * @param W  D×K  the weights
 * @param b  1×K  the bias, added to every row
 * @return   N×K  Z
 * @throws ShapeError (through check_affine_shapes) when the shapes do not fit.
 * \see \ref ch01-eq1 "equations (1) and (3)" on \ref ch01 "chapter 01"'s page; the index of
 * equations: \ref eq1 "(1)", \ref eq3 "(3)". Tested by the suite(s) `Eq1_AffineMap`
 * (\ref tests01 "tests 01").
 */
arma::mat affine(const arma::mat& X, const arma::mat& W, const arma::mat& b);

}  // namespace bp
