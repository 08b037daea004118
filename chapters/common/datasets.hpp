/**
 * @file datasets.hpp
 * @brief Two-dimensional data sets for training (given code, not exercises): two moons,
 * concentric circles and a spiral, each seeded, and the learner's own points from a CSV file.
 *
 * Every data set is a batch in the course's row convention: X is N×2, one point per row, with
 * one class index per point. The generators give point n the class n mod 2, so the classes
 * alternate and any first n points are balanced; the noise is Gaussian, added to each
 * coordinate, with the standard deviation asked for. The same generator state gives the same
 * points (draws: for each point in turn, its position along the curve, then the noise of x1,
 * then of x2).
 */
#pragma once

#include <armadillo>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/input_error.hpp"
#include "common/random.hpp"

namespace bp {

/// A labelled two-dimensional data set.
struct Dataset {
  std::string name;         ///< what it is, for titles and messages ("two moons, noise 0.2")
  arma::mat X;              ///< N×2  one point (x1, x2) per row
  arma::uvec labels;        ///< N    the class of each point, 0 … classes − 1
  arma::uword classes = 0;  ///< K ≥ 2, and every class 0 … K − 1 has at least one point
};

/// The most points a data set may have (as the programs' --samples flag).
inline constexpr arma::uword kMaxPoints = 100000;
/// The most bytes a CSV file may have: 16 MiB (100000 points of 17-digit numbers take 6 MB).
inline constexpr std::uint64_t kMaxCsvBytes = std::uint64_t{16} << 20;
/// The most lines a CSV file may have, blank lines and comments included.
inline constexpr std::size_t kMaxCsvLines = 1000000;
/// The most classes a CSV file may use (labels 0 … 9).
inline constexpr arma::uword kMaxClasses = 10;

/**
 * @brief Two interleaving half circles ("two moons"), as scikit-learn's make_moons.
 *
 * Class 0: \f$ (\cos t, \sin t) \f$, class 1: \f$ (1 - \cos t, \tfrac12 - \sin t) \f$, with
 * \f$ t \f$ uniform in \f$ [0, \pi] \f$, plus noise. No straight line separates them; a small
 * network does.
 * @param samples  N ≥ 2
 * @param noise    standard deviation of the noise on each coordinate, finite and ≥ 0
 * @param rng      the generator to draw from
 * @throws std::invalid_argument for N < 2, N > kMaxPoints or a noise that is negative or not
 *         finite.
 */
Dataset make_moons(arma::uword samples, double noise, Rng& rng);

/**
 * @brief Two concentric circles: class 0 of radius 1, class 1 of radius 1/2.
 *
 * \f$ r (\cos t, \sin t) \f$ with \f$ t \f$ uniform in \f$ [0, 2\pi) \f$, plus noise. The
 * boundary a network must learn is a closed curve around the origin.
 * @param samples  N ≥ 2
 * @param noise    standard deviation of the noise on each coordinate, finite and ≥ 0
 * @param rng      the generator to draw from
 * @throws std::invalid_argument as make_moons.
 */
Dataset make_circles(arma::uword samples, double noise, Rng& rng);

/**
 * @brief Two interleaved spiral arms, one per class.
 *
 * Arm k: \f$ r (\cos\theta, \sin\theta) \f$ with \f$ u \f$ uniform in \f$ [0, 1) \f$,
 * \f$ r = 0.2 + 1.8 u \f$ and \f$ \theta = 2\pi u + k\pi \f$ (one turn, the second arm the
 * first one turned by half a turn, 0.9 apart along a ray), plus noise. The hardest of the
 * three: the boundary winds between the arms.
 * @param samples  N ≥ 2
 * @param noise    standard deviation of the noise on each coordinate, finite and ≥ 0
 * @param rng      the generator to draw from
 * @throws std::invalid_argument as make_moons.
 */
Dataset make_spiral(arma::uword samples, double noise, Rng& rng);

/// The names make_dataset knows, in the order the programs list them.
const std::vector<std::string>& dataset_kinds();

/**
 * @brief One of the generated data sets by name: "moons", "circles" or "spiral".
 * @throws std::invalid_argument for another name, or as the generator itself.
 */
Dataset make_dataset(const std::string& kind, arma::uword samples, double noise, Rng& rng);

/**
 * @brief Reads a data set from a CSV file of lines `x1,x2,label`.
 *
 * The format:
 * - one point per line: two finite numbers and a class index, separated by commas (spaces
 *   around a value are allowed; Windows line ends too);
 * - a label is a whole number 0 … 9 (written `1`, `1.0` or `1e0`); the classes are 0 … K − 1
 *   where K − 1 is the largest label, and each of them must have at least one point;
 * - the first line may be a header: it is one when none of its three fields is a number
 *   (`x1,x2,label`);
 * - blank lines and lines starting with `#` are skipped.
 *
 * @param path  the file to read
 * @return the points, with name "<file name>, N points"
 * @throws InputError with one line naming the file, and the line for a problem on a line
 *         (`points.csv:7: ...`), when the file is missing or unreadable, is not a regular file
 *         (a folder, a device, a FIFO: see bp::InputFile), has more than kMaxCsvBytes bytes or
 *         kMaxCsvLines lines, is empty, is UTF-16 or holds a NUL byte, or has no data line; when a line has another number of fields than 3, a value that is not a number
 *         or not finite, or a label that is not a class index; when a class has no point or
 *         there is only one class; or when it has more than kMaxPoints points.
 */
Dataset load_csv(const std::filesystem::path& path);

}  // namespace bp
