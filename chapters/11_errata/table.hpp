/**
 * @file table.hpp
 * @brief Chapter 11, given: the table of errata — every form of forms.hpp and the exercises,
 * each checked numerically on the post's network — and the checks it is made of.
 *
 * Dimension letters: N samples, D = 2 inputs, H hidden units, K = 2 classes.
 *
 * The verdicts use no learner code but exercises 11.1 and 11.2: the network, the loss and the
 * central differences are written again here (chapters 03–05 wrote them as exercises), in the
 * namespace bp::errata, so that their names (bp::errata::forward, bp::errata::loss) say whose
 * they are. The derivations are on the page \ref ch11.
 */
#pragma once

#include <armadillo>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "03_forward/forward.hpp"

namespace bp {

/// \brief Chapter 11's table of errata and the checks it is made of: the chapter's own network,
/// loss and central differences, so that the verdicts use no exercise but 11.1 and 11.2.
namespace errata {

// ---------------------------------------------------------------------------------------------
// The chapter's own network, loss and central differences.

/// The step of the chapter's central differences, \f$ 10^{-5} \f$: chapter 05's kCentralStep.
inline constexpr double kStep = 1e-5;
/// The floor of the chapter's relative error, \f$ 10^{-4} \f$: chapter 05's kRelativeFloor.
inline constexpr double kFloor = 1e-4;
/// A form agrees with its reference when the relative error is at most \f$ 10^{-6} \f$ (chapter
/// 05's kGradientTolerance): correct forms show \f$ 10^{-10} \f$ or less, the post's wrong ones
/// \f$ 10^{-1} \f$ or more.
inline constexpr double kTolerance = 1e-6;

/**
 * @brief Softmax of each row, shifted by the row maximum (equation (4), chapter 02's formula).
 * @param Z  N×K  logits
 * @return   N×K  probabilities, rows summing to 1
 */
arma::mat softmax(const arma::mat& Z);

/**
 * @brief The mean cross-entropy from the logits, through log-sum-exp: the corrected (5), as
 * chapter 04 computes it,
 * \f$ L = -\frac{1}{N}\sum_n\sum_k Y_{nk}\ln \mathrm{softmax}(Z_2)_{nk} \f$.
 * @param Z2  N×K  logits
 * @param Y   N×K  one-hot labels
 * @return L ≥ 0
 * @throws ShapeError when Z2 and Y differ in shape or are empty.
 */
double loss(const arma::mat& Z2, const arma::mat& Y);

/**
 * @brief The forward pass, equations (1)–(4), for a batch (chapter 03's, written again).
 * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
 * @param X       N×D  one sample per row
 * @return X N×D, Z1 N×H, A1 N×H, Z2 N×K, P N×K
 */
Cache forward(const Params& params, const arma::mat& X);

/// The network and the batch the chapter checks the post on.
struct Example {
  Params params;  ///< W1 2×H, b1 1×H, W2 H×2, b2 1×2
  arma::mat Y;    ///< N×2  one-hot labels
  Cache cache;    ///< forward(params, X); the batch X is cache.X (N×2)
  double loss;    ///< loss(cache.Z2, Y)
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
Example example(arma::uword hidden, arma::uword samples, std::uint64_t seed);

/**
 * @brief \f$ \partial f / \partial X \f$ by central differences, entry by entry:
 * \f$ (f(X + h e_i) - f(X - h e_i)) / 2h \f$ (chapter 05's numerical_gradient, written again).
 * @param f  a scalar function of a matrix
 * @param X  where to differentiate
 * @param h  the step
 * @return   the shape of X
 */
arma::mat numerical_gradient(const std::function<double(const arma::mat&)>& f, const arma::mat& X,
                             double h = kStep);

/**
 * @brief The Jacobian of a matrix function by central differences, in numerator layout: row r,
 * column c is \f$ \partial\, \mathrm{vec}(F)_r / \partial\, \mathrm{vec}(X)_c \f$ (vec stacks
 * columns, Armadillo's storage order), as in chapter 06.
 * @param F  a matrix function of a matrix
 * @param X  where to differentiate
 * @param h  the step
 * @return   (entries of F) × (entries of X)
 */
arma::mat numerical_jacobian(const std::function<arma::mat(const arma::mat&)>& F,
                             const arma::mat& X, double h = kStep);

/**
 * @brief The largest entrywise relative error \f$ |a - b| / \max(\text{floor}, |a| + |b|) \f$
 * between two matrices of the same shape (chapter 05's relative_error, entry by entry).
 *
 * Two numbers of opposite signs give exactly 1: the verdict of every sign error.
 * @throws ShapeError when a and b differ in shape.
 */
double relative_error(const arma::mat& a, const arma::mat& b, double floor = kFloor);

// ---------------------------------------------------------------------------------------------
// The table of errata.

/// How a form fared against its numerical reference.
struct Verdict {
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

  /// Defined, or Measured with relative_error ≤ kTolerance.
  bool agrees() const;

  /// The short form for the console: "1.0e+00", "defined 1×500", "shape 2×500", "undefined".
  std::string brief() const;

  /// The whole verdict, for the Markdown table: brief() with the expected shape or the message.
  std::string text() const;
};

/// One row of the table: an equation of the post, as printed and corrected, both checked.
struct Erratum {
  std::string equation;   ///< the post's number, "(5)"; "(17) line 1" for a part
  std::string printed;    ///< the post's form, in its notation (one sample)
  std::string corrected;  ///< the course's form (row convention, batch, mean loss)
  std::string reference;  ///< what both forms are checked against
  Verdict as_printed;     ///< the post's form against the reference
  Verdict as_corrected;   ///< the correction against the reference

  /// "right" when the printed form agrees; "wrong" when it does not and the correction does;
  /// "unresolved" when neither agrees (an unfinished or wrong exercise).
  std::string status() const;
};

/**
 * @brief Evaluates `form` and compares it with `reference`: Measured when the shapes match,
 * WrongShape when they do not, Undefined when Armadillo (or a shape check) refuses a product.
 * An unfinished exercise (bp::ExerciseNotDone) is not a verdict: it propagates.
 * @param form       computes the form to judge
 * @param reference  what it should equal (central differences, or an exact value)
 * @param floor      the floor of the relative error
 */
Verdict verdict(const std::function<arma::mat()>& form, const arma::mat& reference,
                double floor = kFloor);

/**
 * @brief The verdict of a definition: Defined with its shape when `form` computes, Undefined
 * when a product is refused.
 */
Verdict definition(const std::function<arma::mat()>& form);

/**
 * @brief The table: every equation of the post, as printed and corrected, each form checked
 * numerically on `example`.
 *
 * Rows, in the post's order: (1), (2), (3), (4), (5), "(5) σ" (σ of each logit, the sign
 * fixed), (6), (7), (8), …, (16), "(17) line 1", (17). The references:
 * - (1)–(4) are definitions: their products must be defined (shape only);
 * - (5): the loss L of bp::errata::loss (log-sum-exp) — the value, not a derivative;
 * - (6): central differences of σ at the logit differences s of the batch (its diagonal Jacobian);
 * - (8)–(13), local derivatives: the central-difference Jacobian for the first sample;
 * - (7), (14)–(17), gradients of L: central differences of L in Z2, W2, b2, W1, b1, with the
 *   floor kFloor · max(1, L).
 * Calls the exercises corrected_eq7 (11.1) and corrected_eq16 (11.2); a bp::ExerciseNotDone
 * propagates. Costs about 2(HK + K + H + DH) + … evaluations; 0.1 s for the post's network and
 * one sample.
 * @param e  the network and batch (two classes)
 * @return one Erratum per row, in the order above
 */
std::vector<Erratum> table(const Example& e);

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
 * Verdict::text() and the reference. Every line ends in a newline; no cell holds a `|`.
 * @param rows    the rows of bp::errata::table
 * @param origin  one line saying how the table was made (without "--", which would end the
 *                comment)
 */
std::string markdown(const std::vector<Erratum>& rows, const std::string& origin);

}  // namespace errata
}  // namespace bp
