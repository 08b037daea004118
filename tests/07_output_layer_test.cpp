// Chapter 07 tests: the output layer's backward pass — equations (7), (14), (15), corrected.
//
// Exercise 7.1 -> suite Eq7_OutputDelta, 7.2 -> Eq14_WeightGradient, 7.3 -> Eq15_BiasGradient
// (chapters/exercises.txt holds the map). In each suite the shape tests come first, then the
// values. The first call of every test is a call of the function under test, so that an
// unfinished exercise fails each of its tests with its own ExerciseNotDone.
//
// What is trusted. The networks, batches and forward passes are built by tests/support/reference
// (plain Armadillo, never the learner's forward or loss); the function each gradient is checked
// against is the reference loss, differentiated by the trusted central differences of
// tests/support/gradcheck. Tests of 7.2 and 7.3 take dZ2 from the reference, not from the
// learner's 7.1, so one unfinished exercise cannot fail the tests of another.
//
// Tolerances. A central difference with step kStep (1e-5) of a loss of size ~1 is good to about
// 1e-10 relative, or 1e-11 absolute for small entries (chapter 05's error-vs-h figure); the
// checks ask for kTolerance (1e-6) relative, with the floor bp::test::gradient_floor (kFloor,
// 1e-4, times max(1, |L|)) below which they compare absolutely, to 1e-10: its comment explains
// why. A correct gradient passes with a worst error near 1e-7; every planted bug misses by 1e-2
// or more.
// Identities between two exact computations (a sum written out, the batch stacked twice) differ
// only by the rounding of a few additions: 1e-12 relative to the largest entry.
#include <gtest/gtest.h>

#include <armadillo>
#include <functional>
#include <string>
#include <vector>

#include "07_output_layer/output_layer.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"
#include "support/gradcheck.hpp"
#include "support/planted_bugs.hpp"
#include "support/reference.hpp"

namespace {

using bp::test::AgreesToRounding;
using bp::test::Example;
using bp::test::HasShape;
using bp::test::loss_of_Z2;  // L(Z2) = −(1/N) Σ Y ⊙ log softmax(Z2)
using bp::test::make_example;
using bp::test::MatchesCentralDifferences;
using bp::test::ThrowsShapeErrorNaming;

// What the gradient doctor is told about each gradient of this chapter: the equation, the N
// of its mean, and the known mistakes it can compute from the test's own inputs.
bp::test::Clues output_delta_clues(arma::uword samples) {
  bp::test::Clues clues;
  clues.name = "dZ2";
  clues.equation = "the corrected (7): dZ2 = (P − Y)/N";
  clues.samples = samples;
  return clues;
}

bp::test::Clues weight_gradient_clues(const Example& e, const arma::mat& dZ2) {
  bp::test::Clues clues;
  clues.equation = "the corrected (14): dW2 = A1ᵀ dZ2";
  clues.samples = e.X.n_rows;
  clues.suspects = bp::test::weight_gradient_suspects(e.cache.A1, dZ2, e.cache.Z1,
                                                      "dW2 = Z1ᵀ dZ2, Z1 where A1 belongs");
  return clues;
}

bp::test::Clues bias_gradient_clues(const Example& e, const arma::mat& dZ2) {
  bp::test::Clues clues;
  clues.equation = "the corrected (15): db2 = Σ_rows dZ2";
  clues.samples = e.X.n_rows;
  clues.suspects = bp::test::bias_gradient_suspects(dZ2);
  return clues;
}

// ---------------------------------------------------------------------------------------------
// Exercise 7.1: dZ2 = (P − Y)/N, the corrected (7).

// The check of (7) every candidate must pass: on every small network and on the post's, the
// candidate's dZ2 is the central difference of the loss with respect to Z2, entry by entry.
testing::AssertionResult OutputDeltaIsTheGradientOfTheLoss(const bp::test::OutputDeltaFn& delta) {
  std::vector<bp::test::Network> nets = bp::test::small_networks();
  nets.push_back(bp::test::posts_network(16));
  for (const bp::test::Network& net : nets) {
    const Example e = make_example(net);
    testing::AssertionResult r = MatchesCentralDifferences(
        loss_of_Z2(e), e.cache.Z2, delta(e.cache.P, e.Y), "dZ2", output_delta_clues(e.X.n_rows));
    if (!r) return r << " on the network " << net.name();
  }
  return testing::AssertionSuccess();
}

// [output-delta-test]
TEST(Eq7_OutputDelta, ShapeIsTheShapeOfZ2) {
  // dZ2 = ∂L/∂Z2 has Z2's shape, N×K: 16×2 on the post's network, 6×3 with three classes.
  const Example post = make_example(bp::test::posts_network(16));
  const arma::mat dZ2 = bp::output_delta(post.cache.P, post.Y);
  ASSERT_TRUE(HasShape(
      dZ2, 16, 2,
      "output_delta(P 16×2, Y 16×2) of the network " + bp::test::posts_network(16).name()));
  const Example three = make_example(bp::test::small_networks()[2]);
  const arma::mat dZ2_three = bp::output_delta(three.cache.P, three.Y);
  ASSERT_TRUE(HasShape(
      dZ2_three, 6, 3,
      "output_delta(P 6×3, Y 6×3) of the network " + bp::test::small_networks()[2].name()));
}

TEST(Eq7_OutputDelta, RejectsShapesThatDoNotMatch) {
  // A valid call first, so that an unfinished exercise fails here with its own message.
  const arma::mat P = {{0.5, 0.5}, {0.25, 0.75}, {0.9, 0.1}};
  const arma::mat Y = {{1.0, 0.0}, {0.0, 1.0}, {1.0, 0.0}};
  ASSERT_NO_THROW(bp::output_delta(P, Y));
  EXPECT_TRUE(ThrowsShapeErrorNaming([&] { bp::output_delta(P, arma::mat(Y.t())); }, "3×2", "2×3"));
  EXPECT_TRUE(ThrowsShapeErrorNaming([&] { bp::output_delta(P, arma::mat(4, 2)); }, "3×2", "4×2"));
  EXPECT_THROW(bp::output_delta(arma::mat(0, 2), arma::mat(0, 2)), bp::ShapeError)
      << "the mean over an empty batch is not defined";
}

TEST(Eq7_OutputDelta, IsPMinusYOverNWorkedByHand) {
  // Two samples of class 0 predicted 0.7 and 0.2: (P − Y)/2 = [−0.3 0.3; −0.8 0.8]/2.
  // The post's y − ŷ would have every sign the other way.
  const arma::mat P = {{0.7, 0.3}, {0.2, 0.8}};
  const arma::mat Y = {{1.0, 0.0}, {1.0, 0.0}};
  const arma::mat expected = {{-0.15, 0.15}, {-0.4, 0.4}};
  const arma::mat dZ2 = bp::output_delta(P, Y);
  ASSERT_EQ(dZ2.n_rows, 2u) << "for P = " << P << "and Y = " << Y;
  ASSERT_EQ(dZ2.n_cols, 2u) << "for P = " << P << "and Y = " << Y;
  EXPECT_TRUE(arma::approx_equal(dZ2, expected, "absdiff", 1e-15))
      << bp::test::doctor_report(dZ2, expected, output_delta_clues(2)) << " For P = [0.7 0.3; "
      << "0.2 0.8], Y = [1 0; 1 0]: expected [-0.15 0.15; -0.4 0.4], got " << dZ2;
}

TEST(Eq7_OutputDelta, MatchesCentralDifferencesOfTheLoss) {
  // The equation's claim itself: ∂L/∂Z2, the loss differentiated numerically through softmax
  // and log-sum-exp, is (P − Y)/N, on every small network and on the post's.
  const Example first = make_example(bp::test::small_networks()[0]);
  ASSERT_NO_THROW(bp::output_delta(first.cache.P, first.Y));
  EXPECT_TRUE(OutputDeltaIsTheGradientOfTheLoss(bp::output_delta));
}

TEST(Eq7_OutputDelta, EveryRowSumsToZero) {
  // Each row of P and of Y sums to 1, so each row of P − Y sums to 0: adding the same number to
  // a sample's logits changes nothing, and the gradient has no component along (1, …, 1).
  const Example e = make_example(bp::test::small_networks()[2]);
  const arma::mat dZ2 = bp::output_delta(e.cache.P, e.Y);
  SCOPED_TRACE(bp::test::show_call("output_delta", {{"P", e.cache.P}, {"Y", e.Y}}));
  ASSERT_TRUE(HasShape(dZ2, 6, 3, "dZ2"));
  EXPECT_TRUE(
      bp::test::EntriesNear(arma::sum(dZ2, 1), arma::zeros(6, 1), 1e-15, "the row sums of dZ2"));
}

TEST(Eq7_OutputDelta, PlantedBugsAreCaught) {
  // The check above passes this exercise's dZ2 and fails the post's sign and a missing 1/N.
  const Example first = make_example(bp::test::small_networks()[0]);
  ASSERT_NO_THROW(bp::output_delta(first.cache.P, first.Y));
  ASSERT_TRUE(OutputDeltaIsTheGradientOfTheLoss(bp::output_delta));
  for (const auto& bug : bp::test::planted_output_delta_bugs())
    EXPECT_FALSE(OutputDeltaIsTheGradientOfTheLoss(bug.fn))
        << "the planted bug " << bug.name << " (" << bug.mistake << ") was not caught";
}
// [output-delta-test]

// ---------------------------------------------------------------------------------------------
// Exercise 7.2: dW = Aᵀ dZ; for the output layer dW2 = A1ᵀ dZ2, the corrected (14).

// The check of (14): on every small network and the post's, the candidate's dW2 (from the
// reference A1 and dZ2) is the central difference of the loss with respect to W2.
testing::AssertionResult WeightGradientIsTheGradientOfTheLoss(
    const bp::test::WeightGradientFn& weight_gradient) {
  std::vector<bp::test::Network> nets = bp::test::small_networks();
  nets.push_back(bp::test::posts_network(16));
  for (const bp::test::Network& net : nets) {
    const Example e = make_example(net);
    const arma::mat dZ2 = bp::test::reference_output_delta(e.cache.P, e.Y);
    testing::AssertionResult r = MatchesCentralDifferences(bp::test::loss_of_W2(e), e.params.W2,
                                                           weight_gradient(e.cache.A1, dZ2), "dW2",
                                                           weight_gradient_clues(e, dZ2));
    if (!r) return r << " on the network " << net.name();
  }
  return testing::AssertionSuccess();
}

// [weight-gradient-test]
TEST(Eq14_WeightGradient, ShapeIsTheShapeOfW) {
  // A1ᵀ dZ2 is (H×N)(N×K) = H×K, W2's shape; with (X, dZ1) it is D×H, W1's shape.
  const Example e = make_example(bp::test::posts_network(16));
  const arma::mat dZ2 = bp::test::reference_output_delta(e.cache.P, e.Y);
  const arma::mat dW2 = bp::weight_gradient(e.cache.A1, dZ2);
  ASSERT_TRUE(HasShape(dW2, 500, 2, "weight_gradient(A1 16×500, dZ2 16×2)"));
  const arma::mat dW1 = bp::weight_gradient(e.X, arma::mat(16, 500, arma::fill::ones));
  ASSERT_TRUE(HasShape(dW1, 2, 500, "weight_gradient(X 16×2, dZ1 16×500)"));
}

TEST(Eq14_WeightGradient, RejectsShapesThatDoNotFit) {
  ASSERT_NO_THROW(
      bp::weight_gradient(arma::mat(4, 3, arma::fill::ones), arma::mat(4, 2, arma::fill::ones)));
  // A of 4 samples, dZ of 5: the samples do not pair up.
  EXPECT_TRUE(ThrowsShapeErrorNaming([] { bp::weight_gradient(arma::mat(4, 3), arma::mat(5, 2)); },
                                     "4×3", "5×2"));
}

TEST(Eq14_WeightGradient, MatchesCentralDifferencesOfTheLoss) {
  const Example first = make_example(bp::test::small_networks()[0]);
  ASSERT_NO_THROW(bp::weight_gradient(first.cache.A1, first.cache.P));
  EXPECT_TRUE(WeightGradientIsTheGradientOfTheLoss(bp::weight_gradient));
}

TEST(Eq14_WeightGradient, IsTheSumOfThePostsSingleSampleProducts) {
  // The post's (14), corrected, for one sample: dW2 = a1ᵀ dz2, an outer product (H×1)(1×K).
  // A batch adds the N outer products: that sum is the matrix product A1ᵀ dZ2.
  const Example e = make_example(bp::test::small_networks()[2]);
  const arma::mat dZ2 = bp::test::reference_output_delta(e.cache.P, e.Y);
  const arma::mat dW2 = bp::weight_gradient(e.cache.A1, dZ2);
  arma::mat sum(e.params.W2.n_rows, e.params.W2.n_cols, arma::fill::zeros);
  for (arma::uword n = 0; n < e.X.n_rows; ++n) sum += e.cache.A1.row(n).t() * dZ2.row(n);
  EXPECT_TRUE(AgreesToRounding(dW2, sum));
}

TEST(Eq14_WeightGradient, IsATransposeGForAnyLinearFunctionOfZ) {
  // weight_gradient serves any affine map and any loss above it: for f(W) = Σ G ⊙ (A W),
  // ∂f/∂W = Aᵀ G exactly. Chapter 08 relies on it for dW1 = Xᵀ dZ1.
  bp::Rng rng(71);
  const arma::mat A = bp::normal_matrix(5, 4, 1.0, rng);
  const arma::mat G = bp::normal_matrix(5, 3, 1.0, rng);
  const arma::mat W = bp::normal_matrix(4, 3, 1.0, rng);
  const arma::mat dW = bp::weight_gradient(A, G);
  const auto f = [&](const arma::mat& V) { return arma::accu(G % (A * V)); };
  EXPECT_TRUE(MatchesCentralDifferences(f, W, dW, "dW of Σ G ⊙ (A W)"));
}

TEST(Eq14_WeightGradient, DuplicatingTheBatchLeavesItUnchanged) {
  // Stacking the batch twice doubles the number of terms and halves each (the 1/N of dZ2):
  // the mean loss and its gradient do not move.
  const Example e = make_example(bp::test::small_networks()[0]);
  const Example twice = bp::test::duplicated(e);
  const arma::mat dW2 =
      bp::weight_gradient(e.cache.A1, bp::test::reference_output_delta(e.cache.P, e.Y));
  const arma::mat dW2_twice =
      bp::weight_gradient(twice.cache.A1, bp::test::reference_output_delta(twice.cache.P, twice.Y));
  EXPECT_TRUE(AgreesToRounding(dW2_twice, dW2));
}

TEST(Eq14_WeightGradient, PlantedBugsAreCaught) {
  // The check passes this exercise's Aᵀ dZ and fails the post's single-sample product kept
  // for a batch and a second 1/N.
  const Example first = make_example(bp::test::small_networks()[0]);
  ASSERT_NO_THROW(bp::weight_gradient(first.cache.A1, first.cache.P));
  ASSERT_TRUE(WeightGradientIsTheGradientOfTheLoss(bp::weight_gradient));
  for (const auto& bug : bp::test::planted_weight_gradient_bugs())
    EXPECT_FALSE(WeightGradientIsTheGradientOfTheLoss(bug.fn))
        << "the planted bug " << bug.name << " (" << bug.mistake << ") was not caught";
}
// [weight-gradient-test]

// ---------------------------------------------------------------------------------------------
// Exercise 7.3: db = Σ_rows dZ; for the output layer db2 = 1ᵀ dZ2, the corrected (15).

testing::AssertionResult BiasGradientIsTheGradientOfTheLoss(
    const bp::test::BiasGradientFn& bias_gradient) {
  std::vector<bp::test::Network> nets = bp::test::small_networks();
  nets.push_back(bp::test::posts_network(16));
  for (const bp::test::Network& net : nets) {
    const Example e = make_example(net);
    const arma::mat dZ2 = bp::test::reference_output_delta(e.cache.P, e.Y);
    testing::AssertionResult r =
        MatchesCentralDifferences(bp::test::loss_of_b2(e), e.params.b2, bias_gradient(dZ2), "db2",
                                  bias_gradient_clues(e, dZ2));
    if (!r) return r << " on the network " << net.name();
  }
  return testing::AssertionSuccess();
}

// [bias-gradient-test]
TEST(Eq15_BiasGradient, ShapeIsOneRow) {
  // db has b's shape, one row: 1×K for b2, 1×H for b1.
  const arma::rowvec db2 = bp::bias_gradient(arma::mat(16, 2, arma::fill::ones));
  ASSERT_TRUE(HasShape(db2, 1, 2, "bias_gradient(dZ2 16×2 of ones)"));
  const arma::rowvec db1 = bp::bias_gradient(arma::mat(16, 500, arma::fill::ones));
  ASSERT_TRUE(HasShape(db1, 1, 500, "bias_gradient(dZ1 16×500 of ones)"));
}

TEST(Eq15_BiasGradient, IsTheSumOfTheRowsWorkedByHand) {
  // [1 2; 3 4; 5 6] -> [9 12]: one entry per column, adding the three samples.
  const arma::mat dZ = {{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}};
  const arma::rowvec db = bp::bias_gradient(dZ);
  ASSERT_EQ(db.n_cols, 2u) << "for dZ = [1 2; 3 4; 5 6], got " << db;
  EXPECT_DOUBLE_EQ(db(0), 9.0) << "for dZ = [1 2; 3 4; 5 6]: 1 + 3 + 5, got " << db;
  EXPECT_DOUBLE_EQ(db(1), 12.0) << "for dZ = [1 2; 3 4; 5 6]: 2 + 4 + 6, got " << db;
}

TEST(Eq15_BiasGradient, MatchesCentralDifferencesOfTheLoss) {
  ASSERT_NO_THROW(bp::bias_gradient(arma::mat(3, 2, arma::fill::ones)));
  EXPECT_TRUE(BiasGradientIsTheGradientOfTheLoss(bp::bias_gradient));
}

TEST(Eq15_BiasGradient, DuplicatingTheBatchLeavesItUnchanged) {
  const Example e = make_example(bp::test::small_networks()[2]);
  const Example twice = bp::test::duplicated(e);
  const arma::rowvec db2 = bp::bias_gradient(bp::test::reference_output_delta(e.cache.P, e.Y));
  const arma::rowvec db2_twice =
      bp::bias_gradient(bp::test::reference_output_delta(twice.cache.P, twice.Y));
  EXPECT_TRUE(AgreesToRounding(db2_twice, db2));
}

TEST(Eq15_BiasGradient, PlantedBugsAreCaught) {
  // The check passes Σ_rows and fails the post's single-sample (15) kept for a batch and the
  // mean of the rows.
  ASSERT_NO_THROW(bp::bias_gradient(arma::mat(3, 2, arma::fill::ones)));
  ASSERT_TRUE(BiasGradientIsTheGradientOfTheLoss(bp::bias_gradient));
  for (const auto& bug : bp::test::planted_bias_gradient_bugs())
    EXPECT_FALSE(BiasGradientIsTheGradientOfTheLoss(bug.fn))
        << "the planted bug " << bug.name << " (" << bug.mistake << ") was not caught";
}
// [bias-gradient-test]

}  // namespace
