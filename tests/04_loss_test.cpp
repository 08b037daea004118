// Chapter 04 tests: the loss, mean cross-entropy — the post's equation (5), corrected.
//
// Exercise 4.1 -> suite Eq5_CrossEntropy, 4.2 -> Eq5_CrossEntropyFromLogits,
// 4.3 -> Eq5_SigmoidForm (chapters/exercises.txt holds the map). In each suite the shape test
// comes first, then the values. The first call of every test is an ordinary call of the function
// under test, so that an unfinished exercise fails each test with its own ExerciseNotDone.
//
// Every reference value is computed with plain Armadillo and <cmath>, here or in the trusted
// tests/support/reference (its softmax): no test calls another exercise or chapter 02's softmax,
// so one unfinished exercise cannot fail the tests of another. A failure names the call it made
// (cross_entropy(P = …, Y = …)) and both values.
//
// Tolerances. The losses compared are of order 1 and are sums of at most a dozen terms, each a
// logarithm or exponential correct to an ulp or two (2.2e-16 near 1). Two correct routes to the
// same loss (ln of a quotient vs a difference of logarithms) therefore agree to about 1e-15;
// 1e-12 leaves a factor of a thousand for summation order, and is still far below any error a
// real mistake makes (a missing 1/N is off by a factor N, a missing minus sign by the sign,
// a missing shift by infinity).
#include <gtest/gtest.h>

#include <armadillo>
#include <cmath>
#include <string>

#include "04_loss/loss.hpp"
#include "common/data.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"
#include "support/assertions.hpp"
#include "support/reference.hpp"

namespace {

using bp::test::reference_softmax;  // softmax of each row, shifted by the row maximum
using bp::test::show;
using bp::test::show_call;
using bp::test::ThrowsShapeErrorNaming;

// −(1/N) Σ_n Σ_k Y_nk ln P_nk, one term at a time, skipping the terms with Y_nk = 0.
double reference_loss(const arma::mat& P, const arma::mat& Y) {
  double sum = 0.0;
  for (arma::uword n = 0; n < P.n_rows; ++n)
    for (arma::uword k = 0; k < P.n_cols; ++k)
      if (Y(n, k) != 0.0) sum += Y(n, k) * std::log(P(n, k));
  return -sum / static_cast<double>(P.n_rows);
}

// One-hot labels cycling through the classes: sample n is of class n mod K.
arma::mat cycling_labels(arma::uword samples, arma::uword classes) {
  arma::uvec labels(samples);
  for (arma::uword n = 0; n < samples; ++n) labels(n) = n % classes;
  return bp::one_hot(labels, classes);
}

// The calls as a failure names them: "cross_entropy(P = [...], Y = [...])".
std::string cross_entropy_call(const arma::mat& P, const arma::mat& Y) {
  return show_call("cross_entropy", {{"P", P}, {"Y", Y}});
}
std::string from_logits_call(const arma::mat& Z2, const arma::mat& Y) {
  return show_call("cross_entropy_from_logits", {{"Z2", Z2}, {"Y", Y}});
}
std::string sigmoid_call(const arma::vec& s, const arma::vec& y) {
  return show_call("sigmoid_cross_entropy", {{"s", s}, {"y", y}});
}

// ---------------------------------------------------------------------------------------------
// Exercise 4.1: L = −(1/N) Σ_n Σ_k Y_nk ln P_nk.

// [cross-entropy-test]
TEST(Eq5_CrossEntropy, RejectsShapesThatDoNotMatch) {
  // A valid call first, so that an unfinished exercise fails here with its own message.
  const arma::mat P = {{0.5, 0.5}, {0.25, 0.75}, {0.9, 0.1}};
  ASSERT_NO_THROW(bp::cross_entropy(P, cycling_labels(3, 2)));
  // Labels of three classes for probabilities of two; labels transposed; an empty batch.
  EXPECT_TRUE(
      ThrowsShapeErrorNaming([&] { bp::cross_entropy(P, cycling_labels(3, 3)); }, "3×2", "3×3"));
  EXPECT_TRUE(ThrowsShapeErrorNaming(
      [&] { bp::cross_entropy(P, arma::mat(cycling_labels(3, 2).t())); }, "3×2", "2×3"));
  EXPECT_THROW(bp::cross_entropy(arma::mat(0, 2), arma::mat(0, 2)), bp::ShapeError)
      << "the mean over an empty batch is not defined";
}

TEST(Eq5_CrossEntropy, PerfectPredictionGivesZero) {
  // P = Y exactly: every true class gets ln 1 = 0, exactly. The other entries of P are exact
  // zeros, and their terms must be skipped (0 ln 0 = 0), not computed as 0 × (−∞) = NaN.
  const arma::mat Y2 = cycling_labels(4, 2);
  const double L2 = bp::cross_entropy(Y2, Y2);
  EXPECT_EQ(L2, 0.0) << cross_entropy_call(Y2, Y2) << ": every term is 1 ln 1 or a skipped 0 ln 0";
  const arma::mat Y3 = cycling_labels(5, 3);
  EXPECT_EQ(bp::cross_entropy(Y3, Y3), 0.0)
      << cross_entropy_call(Y3, Y3) << ": every term is 1 ln 1 or a skipped 0 ln 0";
}

TEST(Eq5_CrossEntropy, UniformPredictionGivesLnK) {
  // P = 1/K everywhere: −ln(1/K) = ln K for every sample, whatever the labels; the mean of N
  // equal terms is that term again, up to a few ulps of the summation (hence 1e-14).
  const arma::mat P2(5, 2, arma::fill::value(0.5));
  const double L2 = bp::cross_entropy(P2, cycling_labels(5, 2));
  EXPECT_NEAR(L2, std::log(2.0), 1e-14) << cross_entropy_call(P2, cycling_labels(5, 2)) << ": ln 2";
  const arma::mat P3(7, 3, arma::fill::value(1.0 / 3.0));
  EXPECT_NEAR(bp::cross_entropy(P3, cycling_labels(7, 3)), std::log(3.0), 1e-14)
      << cross_entropy_call(P3, cycling_labels(7, 3)) << ": ln 3";
}

TEST(Eq5_CrossEntropy, IsTheMeanOverTheBatchNotTheSum) {
  // Worked by hand: sample 0 is of class 0 with P = 0.8, sample 1 of class 1 with P = 0.6:
  // L = −(ln 0.8 + ln 0.6) / 2 = (0.2231436 + 0.5108256) / 2 = 0.3669846. The sum would be 0.734.
  const arma::mat P = {{0.8, 0.2}, {0.4, 0.6}};
  const arma::mat Y = {{1.0, 0.0}, {0.0, 1.0}};
  const double L = bp::cross_entropy(P, Y);
  SCOPED_TRACE(cross_entropy_call(P, Y) + ": −(ln 0.8 + ln 0.6) / 2; the sum would be 0.734");
  EXPECT_NEAR(L, -(std::log(0.8) + std::log(0.6)) / 2.0, 1e-15);
  EXPECT_NEAR(L, 0.3669846, 1e-7);  // the decimals above, to the digits printed
}

TEST(Eq5_CrossEntropy, DuplicatingTheBatchLeavesItUnchanged) {
  // The 1/N convention: N samples and the same N samples twice have the same mean loss.
  bp::Rng rng(41);
  const arma::mat P = reference_softmax(bp::normal_matrix(6, 3, 2.0, rng));
  const arma::mat Y = cycling_labels(6, 3);
  const double L = bp::cross_entropy(P, Y);
  const arma::mat P_twice = arma::join_cols(P, P);
  const arma::mat Y_twice = arma::join_cols(Y, Y);
  EXPECT_NEAR(bp::cross_entropy(P_twice, Y_twice), L, 1e-12)
      << cross_entropy_call(P, Y) << " against the same batch stacked twice, P 12×3, Y 12×3";
}

TEST(Eq5_CrossEntropy, MatchesTheDoubleSumOnARandomBatch) {
  bp::Rng rng(42);
  const arma::mat P = reference_softmax(bp::normal_matrix(9, 4, 2.0, rng));
  const arma::mat Y = cycling_labels(9, 4);
  const double L = bp::cross_entropy(P, Y);
  SCOPED_TRACE(cross_entropy_call(P, Y) + ", P the softmax of 9×4 logits N(0, 4) of seed 42, "
                                          "labels cycling through the 4 classes");
  EXPECT_NEAR(L, reference_loss(P, Y), 1e-12) << "expected −(1/N) Σ Y ⊙ ln P";
  EXPECT_GT(L, 0.0);
}
// [cross-entropy-test]

// ---------------------------------------------------------------------------------------------
// Exercise 4.2: the same loss from the logits, ln P = Z − m − ln Σ_j e^(Z_j − m).

// [logits-test]
TEST(Eq5_CrossEntropyFromLogits, RejectsShapesThatDoNotMatch) {
  const arma::mat Z2 = {{1.0, -1.0}, {0.5, 2.0}, {0.0, 0.0}};
  ASSERT_NO_THROW(bp::cross_entropy_from_logits(Z2, cycling_labels(3, 2)));
  EXPECT_TRUE(ThrowsShapeErrorNaming(
      [&] { bp::cross_entropy_from_logits(Z2, cycling_labels(4, 2)); }, "3×2", "4×2"));
  EXPECT_TRUE(ThrowsShapeErrorNaming(
      [&] { bp::cross_entropy_from_logits(Z2, cycling_labels(3, 3)); }, "3×2", "3×3"));
  EXPECT_THROW(bp::cross_entropy_from_logits(arma::mat(0, 2), arma::mat(0, 2)), bp::ShapeError)
      << "the mean over an empty batch is not defined";
}

TEST(Eq5_CrossEntropyFromLogits, EqualsCrossEntropyOfTheSoftmaxOnModerateLogits) {
  // On logits of a few units softmax is exact enough that ln P can be taken directly: both
  // routes must agree to rounding (see the tolerances at the top).
  bp::Rng rng(43);
  const arma::mat Z2 = bp::normal_matrix(8, 3, 3.0, rng);
  const arma::mat Y = cycling_labels(8, 3);
  const double L = bp::cross_entropy_from_logits(Z2, Y);
  EXPECT_NEAR(L, reference_loss(reference_softmax(Z2), Y), 1e-12)
      << from_logits_call(Z2, Y) << ", Z2 N(0, 9) of seed 43: expected −(1/N) Σ Y ⊙ ln softmax(Z2)";
}

TEST(Eq5_CrossEntropyFromLogits, EqualLogitsGiveLnKEvenAtAThousand) {
  // Equal logits mean a uniform prediction: L = ln K. At 1000, e^1000 overflows to infinity,
  // so only the shifted sum gets this right.
  const arma::mat Z2 = {{0.0, 0.0}, {1000.0, 1000.0}, {-1000.0, -1000.0}};
  const double L2 = bp::cross_entropy_from_logits(Z2, cycling_labels(3, 2));
  EXPECT_NEAR(L2, std::log(2.0), 1e-14) << from_logits_call(Z2, cycling_labels(3, 2)) << ": ln 2";
  const arma::mat Z3(4, 3, arma::fill::value(1000.0));
  EXPECT_NEAR(bp::cross_entropy_from_logits(Z3, cycling_labels(4, 3)), std::log(3.0), 1e-14)
      << from_logits_call(Z3, cycling_labels(4, 3)) << ": ln 3";
}

// [logits-thousand-test]
TEST(Eq5_CrossEntropyFromLogits, LogitsOfAThousandGiveAFiniteExactLoss) {
  // z = (1000, −1000): P = (1, e^−2000), and e^−2000 underflows to 0 in double, so −ln P of the
  // wrong class would be +∞. Through log-sum-exp: −ln P_1 = 2000 + ln(1 + e^−2000) = 2000 to
  // the last bit, and −ln P_0 = ln(1 + e^−2000) = 0.
  const arma::mat z = {{1000.0, -1000.0}};
  const double wrong = bp::cross_entropy_from_logits(z, arma::mat{{0.0, 1.0}});
  EXPECT_TRUE(std::isfinite(wrong)) << from_logits_call(z, {{0.0, 1.0}}) << " gave " << wrong;
  EXPECT_DOUBLE_EQ(wrong, 2000.0) << from_logits_call(z, {{0.0, 1.0}});
  EXPECT_NEAR(bp::cross_entropy_from_logits(z, arma::mat{{1.0, 0.0}}), 0.0, 1e-12)
      << from_logits_call(z, {{1.0, 0.0}});
  // Three classes, true class 2 with logit −1000 against a maximum of 1000: again 2000.
  EXPECT_DOUBLE_EQ(
      bp::cross_entropy_from_logits(arma::mat{{1000.0, 0.0, -1000.0}}, arma::mat{{0.0, 0.0, 1.0}}),
      2000.0)
      << from_logits_call({{1000.0, 0.0, -1000.0}}, {{0.0, 0.0, 1.0}});
  // A batch of the wrong sample and the right one: the mean, (2000 + 0) / 2.
  const arma::mat Z2 = {{1000.0, -1000.0}, {-1000.0, 1000.0}};
  const arma::mat Y = {{0.0, 1.0}, {0.0, 1.0}};
  EXPECT_DOUBLE_EQ(bp::cross_entropy_from_logits(Z2, Y), 1000.0)
      << from_logits_call(Z2, Y) << ": the mean of 2000 and 0";
}
// [logits-thousand-test]

TEST(Eq5_CrossEntropyFromLogits, AddingAConstantToARowChangesNothing) {
  // softmax(z + c) = softmax(z), so the loss ignores a constant added to a row. With c = ±900,
  // e^(z + 900) overflows: an unshifted sum fails here. z + c is rounded to the ulp of 900
  // (1.1e-13), hence an absolute tolerance of 1e-12.
  bp::Rng rng(44);
  const arma::mat Z2 = bp::normal_matrix(3, 4, 2.0, rng);
  const arma::mat Y = cycling_labels(3, 4);
  const double L = bp::cross_entropy_from_logits(Z2, Y);
  arma::mat shifted = Z2;
  shifted.each_col() += arma::vec{0.0, 900.0, -900.0};
  EXPECT_NEAR(bp::cross_entropy_from_logits(shifted, Y), L, 1e-12)
      << from_logits_call(shifted, Y) << " against " << from_logits_call(Z2, Y)
      << ": the rows shifted by 0, 900 and −900";
}
// [logits-test]

// ---------------------------------------------------------------------------------------------
// Exercise 4.3: the post's (5) made right, −[y ln σ(s) + (1−y) ln(1−σ(s))], s = z2[1] − z2[0].

// [sigmoid-test]
TEST(Eq5_SigmoidForm, RejectsShapesThatDoNotMatch) {
  const arma::vec s = {0.5, -1.0, 2.0};
  ASSERT_NO_THROW(bp::sigmoid_cross_entropy(s, arma::vec{1.0, 0.0, 1.0}));
  const auto four_labels = [&] { bp::sigmoid_cross_entropy(s, arma::vec{1.0, 0.0, 1.0, 0.0}); };
  EXPECT_TRUE(ThrowsShapeErrorNaming(four_labels, "3×1", "4×1"));
  EXPECT_THROW(bp::sigmoid_cross_entropy(arma::vec(), arma::vec()), bp::ShapeError)
      << "the mean over an empty batch is not defined";
}

TEST(Eq5_SigmoidForm, EqualsSoftmaxCrossEntropyForTwoClasses) {
  // softmax(z)_1 = e^z1 / (e^z0 + e^z1) = σ(z1 − z0): with s the logit difference and y the
  // label of class 1, the corrected (5) is the two-class cross-entropy of equation (4)'s softmax.
  bp::Rng rng(45);
  const arma::mat Z2 = bp::normal_matrix(8, 2, 2.0, rng);
  const arma::mat Y = cycling_labels(8, 2);
  const arma::vec s = Z2.col(1) - Z2.col(0);
  const arma::vec y = Y.col(1);
  const double L = bp::sigmoid_cross_entropy(s, y);
  EXPECT_NEAR(L, reference_loss(reference_softmax(Z2), Y), 1e-12)
      << sigmoid_call(s, y) << ", s = Z2[:, 1] − Z2[:, 0] of Z2 = " << show(Z2)
      << ": expected the cross-entropy of softmax(Z2)";
}

TEST(Eq5_SigmoidForm, IsMinusThePostsPrintedEquation) {
  // The post prints (5) without the minus sign: y ln σ + (1−y) ln(1−σ) is a log-likelihood,
  // ≤ 0, to be maximised. The loss to minimise is its negative, ≥ 0. On these moderate s,
  // 1 − σ(s) ≥ 0.018, so the printed form computed naively here is good to about 1e-14.
  const arma::vec s = {-3.0, -1.0, -0.25, 0.5, 2.0, 4.0};
  const arma::vec y = {1.0, 0.0, 1.0, 0.0, 0.0, 1.0};
  const double L = bp::sigmoid_cross_entropy(s, y);
  SCOPED_TRACE(sigmoid_call(s, y));
  const arma::vec sigma = 1.0 / (1.0 + arma::exp(-s));
  const double printed = arma::mean(y % arma::log(sigma) + (1.0 - y) % arma::log(1.0 - sigma));
  EXPECT_LT(printed, 0.0) << "the post's (5) as printed is a log-likelihood: never positive";
  EXPECT_GT(L, 0.0) << "a loss to minimise: positive";
  EXPECT_NEAR(L, -printed, 1e-12) << "expected minus the post's printed (5)";
}

TEST(Eq5_SigmoidForm, ZeroDifferenceGivesLn2) {
  // s = 0: σ(0) = 1/2 for either label, the uniform prediction of two classes.
  const arma::vec s(5, arma::fill::zeros);
  const arma::vec y = {1.0, 0.0, 1.0, 1.0, 0.0};
  EXPECT_NEAR(bp::sigmoid_cross_entropy(s, y), std::log(2.0), 1e-14)
      << sigmoid_call(s, y) << ": ln 2";
}

TEST(Eq5_SigmoidForm, LogitsOfAThousandGiveAFiniteExactLoss) {
  // Z2 = (1000, −1000) gives s = −2000. Naively σ(s) = 1/(1 + e^2000) = 1/∞ = 0 and ln 0 = −∞;
  // likewise 1 − σ(2000) = 0. Written through log1p(e^−|s|) the loss is exact: 2000 when
  // confidently wrong, 0 when confidently right.
  const arma::mat Z2 = {{1000.0, -1000.0}};
  const arma::vec s = Z2.col(1) - Z2.col(0);
  const double wrong = bp::sigmoid_cross_entropy(s, arma::vec{1.0});
  EXPECT_TRUE(std::isfinite(wrong)) << sigmoid_call(s, {1.0}) << " gave " << wrong;
  EXPECT_DOUBLE_EQ(wrong, 2000.0) << sigmoid_call(s, {1.0});
  EXPECT_NEAR(bp::sigmoid_cross_entropy(s, arma::vec{0.0}), 0.0, 1e-12) << sigmoid_call(s, {0.0});
  EXPECT_DOUBLE_EQ(bp::sigmoid_cross_entropy(-s, arma::vec{0.0}), 2000.0)
      << sigmoid_call(-s, {0.0});
  EXPECT_NEAR(bp::sigmoid_cross_entropy(-s, arma::vec{1.0}), 0.0, 1e-12) << sigmoid_call(-s, {1.0});
  // All four as one batch: the mean, (2000 + 0 + 2000 + 0) / 4.
  const arma::vec batch = {-2000.0, -2000.0, 2000.0, 2000.0};
  const arma::vec labels = {1.0, 0.0, 0.0, 1.0};
  EXPECT_DOUBLE_EQ(bp::sigmoid_cross_entropy(batch, labels), 1000.0)
      << sigmoid_call(batch, labels) << ": the mean of 2000, 0, 2000 and 0";
}

TEST(Eq5_SigmoidForm, KeepsTheTinyLossOfAConfidentRightSample) {
  // s = 40, y = 1: L = ln(1 + e^−40) ≈ e^−40 = 4.2e-18. In double 1 + e^−40 rounds to 1 and
  // ln 1 = 0; log1p(e^−40) keeps it. Relative 1e-12: log1p(x) = x − x²/2 + …, x = 4e-18.
  const double L = bp::sigmoid_cross_entropy(arma::vec{40.0}, arma::vec{1.0});
  EXPECT_GT(L, 0.0) << sigmoid_call({40.0}, {1.0})
                    << ": ln(1 + e^−40) computed as log(1 + …) rounds to 0; use log1p";
  EXPECT_NEAR(L, std::exp(-40.0), 1e-12 * std::exp(-40.0))
      << sigmoid_call({40.0}, {1.0}) << ": expected ln(1 + e^−40) ≈ e^−40";
  EXPECT_NEAR(bp::sigmoid_cross_entropy(arma::vec{-40.0}, arma::vec{0.0}), std::exp(-40.0),
              1e-12 * std::exp(-40.0))
      << sigmoid_call({-40.0}, {0.0}) << ": expected ln(1 + e^−40) ≈ e^−40";
}
// [sigmoid-test]

}  // namespace
