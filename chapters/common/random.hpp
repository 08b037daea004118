/**
 * @file random.hpp
 * @brief Seeded random matrices: the same seed gives the same numbers, on any machine with
 * the same standard library.
 *
 * The generator is passed explicitly (never Armadillo's global one), so a function's
 * randomness is visible in its signature and two calls cannot disturb each other.
 */
#pragma once

#include <armadillo>
#include <cstdint>
#include <random>

namespace bp {

/// The course's random generator: a 64-bit Mersenne twister seeded explicitly.
using Rng = std::mt19937_64;

/// An n_rows×n_cols matrix of independent N(0, stddev²) draws, filled column by column.
inline arma::mat normal_matrix(arma::uword n_rows, arma::uword n_cols, double stddev, Rng& rng) {
  std::normal_distribution<double> normal(0.0, stddev);
  arma::mat m(n_rows, n_cols);
  m.imbue([&] { return normal(rng); });
  return m;
}

}  // namespace bp
