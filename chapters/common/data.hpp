/**
 * @file data.hpp
 * @brief Labels and small data sets for the chapter programs (given code, not exercises).
 */
#pragma once

#include <armadillo>

#include "common/random.hpp"

namespace bp {

/**
 * @brief One-hot labels: row n has a 1 in column labels(n) and 0 elsewhere.
 * @param labels   N  class indices, each < classes
 * @param classes  K ≥ 1
 * @return N×K
 * @throws std::invalid_argument naming the first label that is not a class index.
 */
arma::mat one_hot(const arma::uvec& labels, arma::uword classes);

/**
 * @brief A toy two-class batch: N points from N(0, 1)², labelled 1 when x2 > x1.
 * @param samples  N
 * @param rng      the generator to draw from
 * @param X        out: N×2, one point per row
 * @param Y        out: N×2, one-hot labels
 */
void toy_batch(arma::uword samples, Rng& rng, arma::mat& X, arma::mat& Y);

}  // namespace bp
