// Chapter 10 tests: training the post's network by gradient descent, the L2 penalty, predictions,
// and the data behind the chapter's figures.
//
// Exercise 10.1 -> suite Training_GradientStep, 10.2 -> Training_L2Penalty,
// 10.3 -> Training_L2Gradient, 10.4 -> Training_Predict and Figure_DecisionBoundary,
// 10.5 -> Training_TrainEpoch, Training_TwoMoons, Training_Train and Figure_Training
// (chapters/exercises.txt holds the map). The first call of every test reaches the exercise under
// test (or, for the given code built on it, an exercise it calls), so that an unfinished exercise
// fails each test with its own ExerciseNotDone.
//
// Reference values come from trusted code: the parameters and the forward pass from
// tests/support/reference, the loss with its penalty written below in plain Armadillo, and every
// gradient a test needs is a central difference of those (support/gradcheck.hpp). Training
// itself runs through the learner's library (forward, cross_entropy, backward of chapters 03, 04
// and 09), as the course builds it.
//
// Tolerances. Values computed by the same operations in another order (a loss, a penalty) agree
// to a few ulps: 1e-12 relative. Gradients against central differences: kTolerance = 1e-6 with
// the checker's floor (support/gradcheck.hpp explains both); the penalty is quadratic, so its
// central difference has no truncation error at all, only rounding. A step is exact arithmetic
// on the same numbers: 1e-14 relative.
#include <gtest/gtest.h>

#include <armadillo>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <string>
#include <unistd.h>
#include <vector>

#include "09_backprop/backprop.hpp"
#include "10_training/figures.hpp"
#include "10_training/training.hpp"
#include "common/data.hpp"
#include "common/datasets.hpp"
#include "common/files.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"
#include "support/doctor.hpp"
#include "support/gradcheck.hpp"
#include "support/reference.hpp"

namespace {

using bp::test::EntriesNear;
using bp::test::EntriesNearRelative;
using bp::test::HasShape;
using bp::test::HasTheShapesOf;
using bp::test::kTolerance;
using bp::test::max_relative_error;
using bp::test::numerical_gradient;
using bp::test::random_params;  // W ~ N(0, 1/fan-in), biases ~ N(0, 0.1²): every entry non-zero
using bp::test::show;
using bp::test::ThrowsShapeErrorNaming;

// ---------------------------------------------------------------------------------------------
// Trusted reference code.

// The course's initialisation (chapter 03's rule: W1 then W2 from one generator, biases zero),
// written again so that the training tests do not depend on exercise 3.1.
bp::Params initial_params(arma::uword H, std::uint64_t seed) {
  bp::Rng rng(seed);
  bp::Params p;
  p.W1 = bp::normal_matrix(2, H, 1.0 / std::sqrt(2.0), rng);
  p.b1.zeros(H);
  p.W2 = bp::normal_matrix(H, 2, 1.0 / std::sqrt(static_cast<double>(H)), rng);
  p.b2.zeros(2);
  return p;
}

// Gradients of the parameters' shapes, entries N(0, 1).
bp::Grads random_grads(const bp::Params& p, std::uint64_t seed) {
  bp::Rng rng(seed);
  return {bp::normal_matrix(p.W1.n_rows, p.W1.n_cols, 1.0, rng),
          bp::normal_matrix(1, p.b1.n_elem, 1.0, rng),
          bp::normal_matrix(p.W2.n_rows, p.W2.n_cols, 1.0, rng),
          bp::normal_matrix(1, p.b2.n_elem, 1.0, rng)};
}

// A small batch: N points from N(0, 1)², labels cycling through the K classes.
struct Batch {
  arma::mat X;
  arma::mat Y;
  arma::uvec labels;
};
Batch small_batch(arma::uword N, arma::uword D, arma::uword K, std::uint64_t seed) {
  bp::Rng rng(seed);
  Batch b;
  b.X = bp::normal_matrix(N, D, 1.0, rng);
  b.labels.set_size(N);
  for (arma::uword n = 0; n < N; ++n) b.labels(n) = n % K;
  b.Y = bp::one_hot(b.labels, K);
  return b;
}

// The logits Z2 = tanh(X W1 + 1 b1) W2 + 1 b2 (equations 1–3).
arma::mat reference_logits(const bp::Params& p, const arma::mat& X) {
  return bp::test::reference_forward(p, X).Z2;
}

// The class of largest logit of each row (the softmax keeps the order), by a plain loop.
arma::uvec reference_classes(const bp::Params& p, const arma::mat& X) {
  const arma::mat Z2 = reference_logits(p, X);
  arma::uvec classes(Z2.n_rows);
  for (arma::uword n = 0; n < Z2.n_rows; ++n) {
    arma::uword best = 0;
    for (arma::uword k = 1; k < Z2.n_cols; ++k)
      if (Z2(n, k) > Z2(n, best)) best = k;
    classes(n) = best;
  }
  return classes;
}

double reference_accuracy(const bp::Params& p, const arma::mat& X, const arma::uvec& labels) {
  const arma::uvec c = reference_classes(p, X);
  double right = 0.0;
  for (arma::uword n = 0; n < labels.n_elem; ++n) right += c(n) == labels(n) ? 1.0 : 0.0;
  return right / static_cast<double>(labels.n_elem);
}

// −(1/N) Σ_n ln P(n, label n) with P a softmax computed first: +∞ when a probability underflows,
// as chapter 04's cross_entropy of P.
double naive_cross_entropy(const bp::Params& p, const arma::mat& X, const arma::uvec& labels) {
  const arma::mat Z2 = reference_logits(p, X);
  double sum = 0.0;
  for (arma::uword n = 0; n < Z2.n_rows; ++n) {
    const arma::rowvec e = arma::exp(Z2.row(n) - Z2.row(n).max());
    sum += std::log(e(labels(n)) / arma::accu(e));
  }
  return -sum / static_cast<double>(Z2.n_rows);
}

// (λ/2)(Σ W1² + Σ W2²), one term at a time.
double reference_penalty(const bp::Params& p, double lambda) {
  double sum = 0.0;
  for (const double w : p.W1) sum += w * w;
  for (const double w : p.W2) sum += w * w;
  return 0.5 * lambda * sum;
}

// Mean cross-entropy through log-sum-exp, plus the penalty: J, the loss training minimises.
double reference_loss(const bp::Params& p, const arma::mat& X, const arma::mat& Y, double lambda) {
  const arma::mat Z2 = reference_logits(p, X);
  double sum = 0.0;
  for (arma::uword n = 0; n < Z2.n_rows; ++n) {
    const double m = Z2.row(n).max();
    const double log_sum = m + std::log(arma::accu(arma::exp(Z2.row(n) - m)));
    for (arma::uword k = 0; k < Z2.n_cols; ++k)
      if (Y(n, k) != 0.0) sum += Y(n, k) * (Z2(n, k) - log_sum);
  }
  return -sum / static_cast<double>(Z2.n_rows) + reference_penalty(p, lambda);
}

// The four blocks of the gradient of `f` at p, by central differences (trusted checker).
bp::Grads numerical_grads(const std::function<double(const bp::Params&)>& f, const bp::Params& p) {
  bp::Grads g;
  g.dW1 = numerical_gradient(
      [&](const arma::mat& W) {
        bp::Params q = p;
        q.W1 = W;
        return f(q);
      },
      p.W1);
  g.db1 = numerical_gradient(
      [&](const arma::mat& b) {
        bp::Params q = p;
        q.b1 = b;
        return f(q);
      },
      p.b1);
  g.dW2 = numerical_gradient(
      [&](const arma::mat& W) {
        bp::Params q = p;
        q.W2 = W;
        return f(q);
      },
      p.W2);
  g.db2 = numerical_gradient(
      [&](const arma::mat& b) {
        bp::Params q = p;
        q.b2 = b;
        return f(q);
      },
      p.b2);
  return g;
}

// Passes when every block of `a` has the shape of the same block of `b` and agrees with it to
// kTolerance (relative error with the checker's floor).
testing::AssertionResult GradsAgree(const bp::Grads& a, const bp::Grads& b) {
  const std::vector<std::pair<std::string, std::pair<arma::mat, arma::mat>>> blocks = {
      {"W1", {a.dW1, b.dW1}},
      {"b1", {a.db1, b.db1}},
      {"W2", {a.dW2, b.dW2}},
      {"b2", {a.db2, b.db2}}};
  for (const auto& [name, pair] : blocks) {
    if (pair.first.n_rows != pair.second.n_rows || pair.first.n_cols != pair.second.n_cols)
      return testing::AssertionFailure() << "d" << name << " is " << bp::shape_of(pair.first)
                                         << ", expected " << bp::shape_of(pair.second);
    const double error = max_relative_error(pair.first, pair.second);
    if (!(error <= kTolerance)) {
      bp::test::Clues clues;
      clues.name = "d" + name;
      clues.equation = "the L2 penalty's gradient: (λ/2)‖W‖² gives λW, and nothing for a bias";
      return testing::AssertionFailure()
             << bp::test::doctor_report(pair.first, pair.second, clues) << " d" << name
             << ": relative error " << error << " > " << kTolerance << "\ngot\n"
             << pair.first << "expected\n"
             << pair.second;
    }
  }
  return testing::AssertionSuccess();
}

// Passes when a and b are the same numbers to the last bit; the message names the first block
// that differs, its worst entry and both values.
testing::AssertionResult SameNumbers(const bp::Params& a, const bp::Params& b) {
  testing::AssertionResult r = EntriesNear(a.W1, b.W1, 0.0, "W1");
  if (r) r = EntriesNear(a.b1, b.b1, 0.0, "b1");
  if (r) r = EntriesNear(a.W2, b.W2, 0.0, "W2");
  if (r) r = EntriesNear(a.b2, b.b2, 0.0, "b2");
  return r;
}

// "parameters D=2 H=3 K=2 of seed 1", for messages: what random_params(D, H, K, seed) drew.
std::string params_of(arma::uword D, arma::uword H, arma::uword K, std::uint64_t seed) {
  return "parameters D=" + std::to_string(D) + " H=" + std::to_string(H) +
         " K=" + std::to_string(K) + " of seed " + std::to_string(seed);
}

// A fresh folder for a figure test, removed afterwards.
class FigureFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("bp_ch10_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A CSV written by bp::write_csv: its header line and its numbers.
  arma::mat ReadCsv(const std::string& name, std::string& header) const {
    std::ifstream in(dir_ / name);
    std::getline(in, header);
    arma::mat table;
    if (!table.load(in, arma::csv_ascii)) ADD_FAILURE() << "cannot read " << name;
    return table;
  }

  std::filesystem::path dir_;
};

// ---------------------------------------------------------------------------------------------
// Exercise 10.1: θ ← θ − η g.

// [gradient-step-test]
TEST(Training_GradientStep, KeepsTheShapesAndRejectsAGradientOfAnotherShape) {
  bp::Params p = random_params(2, 3, 2, 1);
  const bp::Grads g = random_grads(p, 2);
  bp::gradient_step(p, g, 0.1);
  SCOPED_TRACE("gradient_step(" + params_of(2, 3, 2, 1) +
               ", gradients N(0, 1) of seed 2, rate 0.1)");
  ASSERT_TRUE(HasTheShapesOf(p, 2, 3, 2));

  bp::Grads transposed = g;
  transposed.dW1 = g.dW1.t();  // 3×2 for W1 2×3
  EXPECT_TRUE(ThrowsShapeErrorNaming([&] { bp::gradient_step(p, transposed, 0.1); }, "3×2", "2×3"));
  // A wrong shape anywhere stops the step before it changes anything: no half step.
  const bp::Params before = p;
  bp::Grads short_db2 = g;
  short_db2.db2 = arma::rowvec{1.0};
  EXPECT_THROW(bp::gradient_step(p, short_db2, 0.1), bp::ShapeError) << "db2 1×1 for b2 1×2";
  EXPECT_TRUE(SameNumbers(p, before)) << "a step that threw changed the parameters";
}

TEST(Training_GradientStep, IsTheParametersMinusRateTimesTheGradients) {
  bp::Params p = random_params(2, 4, 3, 3);
  const bp::Params before = p;
  const bp::Grads g = random_grads(p, 4);
  bp::gradient_step(p, g, 0.25);
  SCOPED_TRACE("gradient_step(" + params_of(2, 4, 3, 3) +
               ", gradients N(0, 1) of seed 4, rate "
               "0.25): expected θ − 0.25 g");
  EXPECT_TRUE(EntriesNearRelative(p.W1, before.W1 - 0.25 * g.dW1, 1e-14, "W1"));
  EXPECT_TRUE(EntriesNearRelative(p.b1, before.b1 - 0.25 * g.db1, 1e-14, "b1"));
  EXPECT_TRUE(EntriesNearRelative(p.W2, before.W2 - 0.25 * g.dW2, 1e-14, "W2"));
  EXPECT_TRUE(EntriesNearRelative(p.b2, before.b2 - 0.25 * g.db2, 1e-14, "b2"));
}

TEST(Training_GradientStep, RateZeroChangesNothing) {
  bp::Params p = random_params(2, 5, 2, 5);
  const bp::Params before = p;
  bp::gradient_step(p, random_grads(p, 6), 0.0);
  EXPECT_TRUE(SameNumbers(p, before))
      << "gradient_step(" << params_of(2, 5, 2, 5) << ", gradients of seed 6, rate 0)";
}

TEST(Training_GradientStep, AStepAgainstTheGradientLowersTheLoss) {
  // A fixed small problem; the gradient is the trusted central difference of the reference loss.
  // To first order L(θ − ηg) = L(θ) − η |g|²: for η = 1e-4 the decrease must match η|g|² to 1%
  // (the second-order term is ~η²|g|²|H| ~ 1e-8 here). A step along +g would raise the loss.
  const Batch batch = small_batch(8, 2, 2, 7);
  const bp::Params start = random_params(2, 4, 2, 8);
  const auto J = [&](const bp::Params& q) { return reference_loss(q, batch.X, batch.Y, 0.0); };
  const bp::Grads g = numerical_grads(J, start);
  const double g2 = arma::accu(arma::square(g.dW1)) + arma::accu(arma::square(g.db1)) +
                    arma::accu(arma::square(g.dW2)) + arma::accu(arma::square(g.db2));
  bp::Params p = start;
  bp::gradient_step(p, g, 1e-4);
  SCOPED_TRACE("gradient_step(" + params_of(2, 4, 2, 8) +
               ", g = the gradient of the loss on 8 "
               "points of seed 7, rate 1e-4, then 0.5)");
  const double decrease = J(start) - J(p);
  EXPECT_GT(decrease, 0.0) << "the step raised the loss: is its sign right?";
  EXPECT_NEAR(decrease, 1e-4 * g2, 0.01 * 1e-4 * g2) << "the step is not -rate times the gradient";
  bp::Params q = start;
  bp::gradient_step(q, g, 0.5);
  EXPECT_LT(J(q), J(start)) << "a step of 0.5 should still lower this loss";
}
// [gradient-step-test]

// ---------------------------------------------------------------------------------------------
// Exercise 10.2: R = (λ/2)(‖W1‖² + ‖W2‖²).

// [l2-penalty-test]
TEST(Training_L2Penalty, IsHalfLambdaTimesTheSumOfSquaredWeights) {
  // Σ W1² = 1 + 4 + 0 + 9 + 0 + 1 = 15, Σ W2² = 1 + 0 + 0 + 4 + 4 + 1 = 10: R = 0.1/2 · 25 = 1.25.
  // The convention λ·‖W‖² would give 2.5. The biases are large and must not count.
  bp::Params p;
  p.W1 = {{1.0, -2.0, 0.0}, {3.0, 0.0, 1.0}};
  p.b1 = {5.0, 5.0, 5.0};
  p.W2 = {{1.0, 0.0}, {0.0, -2.0}, {2.0, 1.0}};
  p.b2 = {7.0, -7.0};
  EXPECT_NEAR(bp::l2_penalty(p, 0.1), 1.25, 1e-15)
      << "l2_penalty(" << show(p) << ", λ = 0.1): 0.1/2 · (15 + 10); λ · 25 would be 2.5";
}

TEST(Training_L2Penalty, LeavesTheBiasesOut) {
  bp::Params p = random_params(2, 6, 2, 9);
  const double with = bp::l2_penalty(p, 0.3);
  p.b1 *= 100.0;
  p.b2 += 50.0;
  EXPECT_EQ(bp::l2_penalty(p, 0.3), with)
      << "l2_penalty(" << params_of(2, 6, 2, 9) << ", λ = 0.3), then with b1 × 100 and b2 + 50";
}

TEST(Training_L2Penalty, IsZeroForLambdaZeroAndLinearInLambda) {
  const bp::Params p = random_params(2, 6, 2, 10);
  SCOPED_TRACE("l2_penalty(" + params_of(2, 6, 2, 10) + ", λ)");
  EXPECT_EQ(bp::l2_penalty(p, 0.0), 0.0) << "λ = 0";
  EXPECT_NEAR(bp::l2_penalty(p, 0.2), 2.0 * bp::l2_penalty(p, 0.1), 1e-15) << "λ = 0.2 and 0.1";
}

TEST(Training_L2Penalty, MatchesTheFrobeniusNormsOnThePostsNetwork) {
  const bp::Params p = random_params(2, 500, 2, 11);
  const double fro1 = arma::norm(p.W1, "fro");
  const double fro2 = arma::norm(p.W2, "fro");
  const double expected = 0.5 * 0.01 * (fro1 * fro1 + fro2 * fro2);
  SCOPED_TRACE("l2_penalty(" + params_of(2, 500, 2, 11) + ", λ = 0.01): (λ/2)(‖W1‖² + ‖W2‖²)");
  EXPECT_NEAR(bp::l2_penalty(p, 0.01), expected, 1e-12 * expected);
  EXPECT_NEAR(bp::l2_penalty(p, 0.01), reference_penalty(p, 0.01), 1e-12 * expected);
}
// [l2-penalty-test]

// ---------------------------------------------------------------------------------------------
// Exercise 10.3: dW += λW.

// [l2-gradient-test]
TEST(Training_L2Gradient, KeepsTheShapesAndRejectsAGradientOfAnotherShape) {
  const bp::Params p = random_params(2, 3, 2, 12);
  bp::Grads g = random_grads(p, 13);
  bp::add_l2_gradient(g, p, 0.1);
  SCOPED_TRACE("add_l2_gradient(gradients of seed 13, " + params_of(2, 3, 2, 12) + ", λ = 0.1)");
  ASSERT_TRUE(HasShape(g.dW1, 2, 3, "dW1"));
  ASSERT_TRUE(HasShape(g.dW2, 3, 2, "dW2"));
  bp::Grads wrong = random_grads(p, 13);
  wrong.dW2 = wrong.dW2.t();  // 2×3 for W2 3×2
  EXPECT_TRUE(ThrowsShapeErrorNaming([&] { bp::add_l2_gradient(wrong, p, 0.1); }, "2×3", "3×2"));
}

TEST(Training_L2Gradient, MatchesCentralDifferencesOfThePenalty) {
  // What add_l2_gradient adds is the gradient of (λ/2)(‖W1‖² + ‖W2‖²), computed here by central
  // differences of the reference penalty. λW for the penalty λ‖W‖² would be off by a factor 2.
  const bp::Params p = random_params(2, 5, 3, 14);
  const double lambda = 0.3;
  const bp::Grads zero = {arma::zeros(2, 5), arma::zeros<arma::rowvec>(5), arma::zeros(5, 3),
                          arma::zeros<arma::rowvec>(3)};
  bp::Grads added = zero;
  bp::add_l2_gradient(added, p, lambda);
  SCOPED_TRACE("add_l2_gradient(zero gradients, " + params_of(2, 5, 3, 14) + ", λ = 0.3)");
  const bp::Grads expected =
      numerical_grads([&](const bp::Params& q) { return reference_penalty(q, lambda); }, p);
  EXPECT_TRUE(GradsAgree(added, expected));
}

TEST(Training_L2Gradient, LambdaZeroChangesNothing) {
  const bp::Params p = random_params(2, 4, 2, 15);
  bp::Grads g = random_grads(p, 16);
  const bp::Grads before = g;
  bp::add_l2_gradient(g, p, 0.0);
  SCOPED_TRACE("add_l2_gradient(gradients of seed 16, " + params_of(2, 4, 2, 15) + ", λ = 0)");
  EXPECT_TRUE(EntriesNear(g.dW1, before.dW1, 0.0, "dW1"));
  EXPECT_TRUE(EntriesNear(g.db1, before.db1, 0.0, "db1"));
  EXPECT_TRUE(EntriesNear(g.dW2, before.dW2, 0.0, "dW2"));
  EXPECT_TRUE(EntriesNear(g.db2, before.db2, 0.0, "db2"));
}

TEST(Training_L2Gradient, LeavesTheBiasGradientsAlone) {
  const bp::Params p = random_params(2, 4, 2, 17);
  bp::Grads g = random_grads(p, 18);
  const bp::Grads before = g;
  bp::add_l2_gradient(g, p, 0.7);
  SCOPED_TRACE("add_l2_gradient(gradients of seed 18, " + params_of(2, 4, 2, 17) + ", λ = 0.7)");
  EXPECT_TRUE(EntriesNear(g.db1, before.db1, 0.0, "db1"));
  EXPECT_TRUE(EntriesNear(g.db2, before.db2, 0.0, "db2"));
  EXPECT_FALSE(arma::approx_equal(g.dW1, before.dW1, "absdiff", 1e-3)) << "dW1 did not change";
}

TEST(Training_L2Gradient, AgreesWithTheLearnersOwnPenalty) {
  // The loss and its gradient must use the same convention: the gradient of the cross-entropy
  // (central differences of the reference loss) plus add_l2_gradient must equal the central
  // differences of cross-entropy + bp::l2_penalty — whichever of λ/2 or λ that penalty used.
  const Batch batch = small_batch(6, 2, 2, 19);
  const bp::Params p = random_params(2, 4, 2, 20);
  const double lambda = 0.2;
  bp::Grads analytic = numerical_grads(
      [&](const bp::Params& q) { return reference_loss(q, batch.X, batch.Y, 0.0); }, p);
  bp::add_l2_gradient(analytic, p, lambda);
  SCOPED_TRACE("add_l2_gradient(the gradient of the loss on 6 points of seed 19, " +
               params_of(2, 4, 2, 20) + ", λ = 0.2) against the gradient of loss + l2_penalty");
  const bp::Grads numeric = numerical_grads(
      [&](const bp::Params& q) {
        return reference_loss(q, batch.X, batch.Y, 0.0) + bp::l2_penalty(q, lambda);
      },
      p);
  EXPECT_TRUE(GradsAgree(analytic, numeric));
}
// [l2-gradient-test]

// ---------------------------------------------------------------------------------------------
// Exercise 10.4: ĉ_n = argmax_k P_nk, and the decision grid built on it.

// [predict-test]
TEST(Training_Predict, GivesOneClassPerRow) {
  const arma::mat P = {
      {0.1, 0.7, 0.2}, {0.5, 0.3, 0.2}, {0.2, 0.2, 0.6}, {0.3, 0.4, 0.3}, {0.9, 0.05, 0.05}};
  const arma::uvec c = bp::predict(P);
  ASSERT_EQ(c.n_elem, 5u) << "one class per row (sample), not per column";
}

TEST(Training_Predict, IsTheColumnOfTheLargestProbability) {
  const arma::mat P = {{0.1, 0.7, 0.2}, {0.5, 0.3, 0.2}, {0.2, 0.2, 0.6}, {0.3, 0.4, 0.3}};
  const arma::uvec c = bp::predict(P);
  SCOPED_TRACE(bp::test::show_call("predict", {{"P", P}}));
  ASSERT_EQ(c.n_elem, 4u) << "one class per row";
  EXPECT_TRUE(arma::all(c == arma::uvec({1, 0, 2, 1}))) << "expected 1 0 2 1, got " << c.t();
}

TEST(Training_Predict, TiesGoToTheLowestClass) {
  const arma::mat P = {{0.5, 0.5}, {0.25, 0.75}};
  const arma::uvec c = bp::predict(P);
  SCOPED_TRACE(bp::test::show_call("predict", {{"P", P}}));
  ASSERT_EQ(c.n_elem, 2u) << "one class per row";
  EXPECT_EQ(c(0), 0u) << "the tie 0.5, 0.5";
  EXPECT_EQ(c(1), 1u);
}

TEST(Training_Predict, GivesBackTheLabelsOfOneHotRows) {
  const arma::uvec labels = {2, 0, 1, 1, 3, 0};
  const arma::uvec c = bp::predict(bp::one_hot(labels, 4));
  SCOPED_TRACE(bp::test::show_call("predict", {{"P", bp::one_hot(labels, 4)}}));
  ASSERT_EQ(c.n_elem, labels.n_elem) << "one class per row";
  EXPECT_TRUE(arma::all(c == labels)) << "expected " << labels.t() << "got " << c.t();
}
// [predict-test]

// [boundary-test]
TEST(Figure_DecisionBoundary, TheGridIsTheNetworksClassAtEachPoint) {
  // A network of three classes, so that every class shows up; the grid's class column against
  // the argmax of the reference logits at the same points.
  const bp::Params p = random_params(2, 6, 3, 21);
  const bp::PlotBox box{-2.0, 3.0, -1.0, 1.5};
  const arma::mat grid = bp::decision_grid(p, box, 31);
  SCOPED_TRACE("decision_grid(" + params_of(2, 6, 3, 21) +
               ", box x1 from -2 to 3, x2 from -1 to "
               "1.5, 31 points a side)");
  ASSERT_TRUE(HasShape(grid, 31 * 31, 3, "the grid"));
  // x1 runs fastest and the corners are the box's.
  EXPECT_DOUBLE_EQ(grid(0, 0), -2.0);
  EXPECT_DOUBLE_EQ(grid(0, 1), -1.0);
  EXPECT_DOUBLE_EQ(grid(30, 0), 3.0);
  EXPECT_DOUBLE_EQ(grid(30, 1), -1.0);
  EXPECT_DOUBLE_EQ(grid(31, 0), -2.0);
  EXPECT_DOUBLE_EQ(grid(31 * 31 - 1, 1), 1.5);
  const arma::uvec expected = reference_classes(p, grid.cols(0, 1));
  EXPECT_TRUE(
      EntriesNear(grid.col(2), arma::conv_to<arma::vec>::from(expected), 0.0, "the class column"));
  EXPECT_GT(arma::accu(grid.col(2) == 2.0), 0u) << "this network predicts all three classes";
}

TEST(Figure_DecisionBoundary, LargeGridsAreClassifiedInBlocksWithTheSameResult) {
  // 90² = 8100 points: more than one block of 4096 rows, and the last block is partial.
  const bp::Params p = random_params(2, 7, 2, 22);
  const bp::PlotBox box = bp::plot_box(arma::mat{{-1.0, -0.5}, {2.0, 1.0}});
  const arma::mat grid = bp::decision_grid(p, box, 90);
  SCOPED_TRACE("decision_grid(" + params_of(2, 7, 2, 22) +
               ", the box of the points (-1, -0.5) "
               "and (2, 1), 90 points a side)");
  ASSERT_TRUE(HasShape(grid, 8100, 3, "the grid"));
  const arma::uvec expected = reference_classes(p, grid.cols(0, 1));
  EXPECT_TRUE(
      EntriesNear(grid.col(2), arma::conv_to<arma::vec>::from(expected), 0.0, "the class column"));
  // plot_box widened the points' rectangle by 10% of its extent on each side.
  EXPECT_DOUBLE_EQ(box.x1_min, -1.3);
  EXPECT_DOUBLE_EQ(box.x1_max, 2.3);
  EXPECT_DOUBLE_EQ(box.x2_min, -0.65);
  EXPECT_DOUBLE_EQ(box.x2_max, 1.15);
}

using Figure_DecisionBoundaryFiles = FigureFolder;

TEST_F(Figure_DecisionBoundaryFiles, WritesAValidPngAndTheGridAndPointsItShows) {
  const bp::Params p = random_params(2, 8, 2, 23);
  bp::Rng rng(24);
  const bp::Dataset moons = bp::make_moons(40, 0.2, rng);
  const bp::PlotBox box = bp::plot_box(moons.X);
  const bool drawn = bp::publish_decision_boundary(dir_, p, moons, box, 25, "test_boundary");
  SCOPED_TRACE("publish_decision_boundary(" + params_of(2, 8, 2, 23) +
               ", 40 two-moons points "
               "of seed 24, 25 points a side) into " +
               dir_.string());
  std::string header;
  const arma::mat grid = ReadCsv("ch10_boundary.csv", header);
  EXPECT_EQ(header, "x1,x2,class") << "ch10_boundary.csv";
  ASSERT_TRUE(HasShape(grid, 625, 3, "ch10_boundary.csv"));
  const arma::uvec classes = reference_classes(p, grid.cols(0, 1));
  EXPECT_TRUE(EntriesNear(grid.col(2), arma::conv_to<arma::vec>::from(classes), 0.0,
                          "the class column of ch10_boundary.csv"));
  const arma::mat points = ReadCsv("ch10_boundary_points.csv", header);
  EXPECT_EQ(header, "x1,x2,label") << "ch10_boundary_points.csv";
  ASSERT_TRUE(HasShape(points, 40, 3, "ch10_boundary_points.csv"));
  EXPECT_TRUE(
      EntriesNear(points.cols(0, 1), moons.X, 0.0, "the points of ch10_boundary_points.csv"));
  ASSERT_TRUE(bp::gnuplot_available()) << "gnuplot is part of the course's packages";
  EXPECT_TRUE(drawn) << "publish_decision_boundary said it drew no figure";
  EXPECT_TRUE(bp::is_png(dir_ / "ch10_boundary.png")) << "ch10_boundary.png";
}
// [boundary-test]

// ---------------------------------------------------------------------------------------------
// Exercise 10.5: one epoch, and training built on it.

// [train-epoch-test]
TEST(Training_TrainEpoch, ReturnsTheLossAndAccuracyBeforeItsStep) {
  // Three classes: with two, a predict() that took the argmin of P and of Y would still count
  // the same matches.
  const Batch batch = small_batch(12, 2, 3, 25);
  const bp::Params start = random_params(2, 5, 3, 26);
  bp::Params p = start;
  const bp::EpochResult r = bp::train_epoch(p, batch.X, batch.Y, 0.3, 0.1);
  SCOPED_TRACE("train_epoch(" + params_of(2, 5, 3, 26) +
               ", 12 points of 3 classes, seed 25, "
               "rate 0.3, λ = 0.1)");
  const double expected = reference_loss(start, batch.X, batch.Y, 0.1);
  EXPECT_NEAR(r.loss, expected, 1e-12 * expected)
      << "J = cross-entropy + (λ/2)(‖W1‖² + ‖W2‖²) at the parameters before the step";
  EXPECT_DOUBLE_EQ(r.accuracy, reference_accuracy(start, batch.X, batch.labels))
      << "the accuracy at the parameters before the step";
  EXPECT_FALSE(SameNumbers(p, start)) << "train_epoch took no step";
}

TEST(Training_TrainEpoch, ReportsTheLossFromTheLogitsWhereAProbabilityUnderflows) {
  // W2 and b2 scaled until the logits reach about ±1000: the rows on the wrong side give their
  // true class a probability e^(−hundreds), 0 in double, so −ln P is +∞ and cross_entropy(P, Y)
  // with it. The loss itself is finite: from the logits (exercise 4.2), it is the mean gap.
  SCOPED_TRACE("train_epoch(" + params_of(2, 8, 2, 42) +
               " with W2, b2 scaled to logits of "
               "±1000; 40 points of seed 41; rate 0.1, λ = 0.01)");
  const Batch batch = small_batch(40, 2, 2, 41);
  bp::Params start = random_params(2, 8, 2, 42);
  const double largest = arma::abs(reference_logits(start, batch.X)).max();
  start.W2 *= 1000.0 / largest;
  start.b2 *= 1000.0 / largest;
  ASSERT_FALSE(std::isfinite(naive_cross_entropy(start, batch.X, batch.labels)))
      << "some true class must underflow for this test to mean anything";
  bp::Params p = start;
  const bp::EpochResult r = bp::train_epoch(p, batch.X, batch.Y, 0.1, 0.01);
  const double expected = reference_loss(start, batch.X, batch.Y, 0.01);
  ASSERT_TRUE(std::isfinite(expected)) << "the reference loss from the logits, " << expected;
  EXPECT_NEAR(r.loss, expected, 1e-12 * expected)
      << "logits up to ±1000 (40×2, 8 hidden units): the loss must come from the logits, "
         "cross_entropy_from_logits(Z2, Y) (4.2), not from P (4.1), whose ln 0 is −∞";
}

TEST(Training_TrainEpoch, StepsByMinusRateTimesTheGradientOfTheWholeLoss) {
  // (θ_before − θ_after)/η must be the gradient of J = cross-entropy + (λ/2)(‖W1‖² + ‖W2‖²), here
  // by central differences of the reference J. A sign error, a missing L2 term, λ for λ/2, or a
  // rate applied twice all fail. Three classes, so that nothing is special to K = 2.
  const Batch batch = small_batch(9, 2, 3, 27);
  const bp::Params start = random_params(2, 4, 3, 28);
  const double rate = 0.5;
  const double lambda = 0.3;
  bp::Params p = start;
  bp::train_epoch(p, batch.X, batch.Y, rate, lambda);
  SCOPED_TRACE("train_epoch(" + params_of(2, 4, 3, 28) +
               ", 9 points of 3 classes, seed 27, "
               "rate 0.5, λ = 0.3): (θ before − θ after)/rate against the gradient of J");
  const bp::Grads taken = {(start.W1 - p.W1) / rate, (start.b1 - p.b1) / rate,
                           (start.W2 - p.W2) / rate, (start.b2 - p.b2) / rate};
  const bp::Grads expected = numerical_grads(
      [&](const bp::Params& q) { return reference_loss(q, batch.X, batch.Y, lambda); }, start);
  EXPECT_TRUE(GradsAgree(taken, expected));
}

TEST(Training_TrainEpoch, LowersTheLossEpochAfterEpochOnAFixedSmallProblem) {
  // 12 points, H = 6, rate 0.1, λ = 0.01: small steps on a smooth loss, so each epoch's loss is
  // below the one before, and 50 epochs take off at least a tenth.
  const Batch batch = small_batch(12, 2, 2, 29);
  bp::Params p = random_params(2, 6, 2, 30);
  std::vector<double> losses;
  for (int e = 0; e < 50; ++e)
    losses.push_back(bp::train_epoch(p, batch.X, batch.Y, 0.1, 0.01).loss);
  SCOPED_TRACE("50 × train_epoch(" + params_of(2, 6, 2, 30) +
               ", 12 points of seed 29, rate 0.1, "
               "λ = 0.01)");
  for (std::size_t e = 1; e < losses.size(); ++e)
    EXPECT_LT(losses[e], losses[e - 1]) << "the loss rose at epoch " << e;
  EXPECT_LT(losses.back(), 0.9 * losses.front()) << "50 epochs took off less than a tenth";
}
// [train-epoch-test]

// [two-moons-test]
TEST(Training_TwoMoons, ThePostsNetworkClassifiesAtLeast97PercentOfItsTrainingPoints) {
  // The claim of the chapter, on one seeded problem: two moons with noise 0.2, 200 training
  // points (seed 3), the post's network (H = 500, the course's initialisation, seed 2), 500
  // epochs at rate 0.5. Measured: 98.0% of the training points (97% is first passed after 300
  // to 400 epochs) and 96.0% of 1000 held-out points (seed 4). At this noise about 3% of the
  // points lie beyond the other moon's edge — the best any classifier does on fresh points is
  // about 97% — so 97% on the training points is the network at that limit, and 95% on held-out
  // points says it did not get there by memorising. The accuracies are counted here with the
  // reference forward pass.
  SCOPED_TRACE("train(the course's initialisation of H = 500, seed 2, on 200 two-moons points of "
               "noise 0.2, seed 3; 500 epochs, rate 0.5, λ = 0)");
  bp::Rng train_rng(3);
  const bp::Dataset moons = bp::make_moons(200, 0.2, train_rng);
  bp::Rng held_out_rng(4);
  const bp::Dataset held_out = bp::make_moons(1000, 0.2, held_out_rng);
  bp::Params p = initial_params(500, 2);
  const bp::History h = bp::train(p, moons.X, bp::one_hot(moons.labels, 2), {500, 0.5, 0.0});
  ASSERT_FALSE(h.diverged);
  ASSERT_EQ(h.epochs_run, 500u) << "epochs run";
  const double train_accuracy = reference_accuracy(p, moons.X, moons.labels);
  const double held_out_accuracy = reference_accuracy(p, held_out.X, held_out.labels);
  EXPECT_GE(train_accuracy, 0.97) << "the accuracy on the 200 training points";
  EXPECT_GE(held_out_accuracy, 0.95) << "the accuracy on 1000 held-out points of seed 4";
  EXPECT_DOUBLE_EQ(h.accuracy(500), train_accuracy)
      << "the history's last accuracy is the network's";
  EXPECT_LT(h.loss(500), 0.25 * h.loss(0)) << "the loss after 500 epochs against the first";
}

TEST(Training_TwoMoons, TheSameSeedGivesTheSameNetworkToTheLastBit) {
  SCOPED_TRACE("train(the course's initialisation of H = 500, seeds 6, 6 and 7, on 100 two-moons "
               "points of seed 5; 40 epochs, rate 0.2, λ = 0.01)");
  bp::Rng rng(5);
  const bp::Dataset moons = bp::make_moons(100, 0.2, rng);
  const arma::mat Y = bp::one_hot(moons.labels, 2);
  bp::Params a = initial_params(500, 6);
  bp::Params b = initial_params(500, 6);
  bp::Params c = initial_params(500, 7);
  const bp::TrainSettings settings{40, 0.2, 0.01};
  const bp::History ha = bp::train(a, moons.X, Y, settings);
  const bp::History hb = bp::train(b, moons.X, Y, settings);
  bp::train(c, moons.X, Y, settings);
  EXPECT_TRUE(SameNumbers(a, b)) << "the two networks of seed 6";
  EXPECT_TRUE(EntriesNear(ha.loss, hb.loss, 0.0, "the loss history of seed 6, run twice,"));
  EXPECT_TRUE(
      EntriesNear(ha.accuracy, hb.accuracy, 0.0, "the accuracy history of seed 6, run twice,"));
  EXPECT_FALSE(SameNumbers(a, c)) << "another seed gave the same network";
}
// [two-moons-test]

// [train-test]
TEST(Training_Train, RecordsEveryEpochAndEndsWithTheTrainedNetwork) {
  SCOPED_TRACE("train(" + params_of(2, 5, 2, 32) +
               ", 10 points of seed 31; 7 epochs, rate 0.2, "
               "λ = 0.05)");
  const Batch batch = small_batch(10, 2, 2, 31);
  bp::Params p = random_params(2, 5, 2, 32);
  std::vector<arma::uword> seen;
  const bp::History h =
      bp::train(p, batch.X, batch.Y, {7, 0.2, 0.05},
                [&](arma::uword e, const bp::EpochResult&) { seen.push_back(e); });
  ASSERT_EQ(h.loss.n_elem, 8u) << "the loss after 0, 1, …, 7 epochs";
  ASSERT_EQ(h.accuracy.n_elem, 8u) << "the accuracy after 0, 1, …, 7 epochs";
  EXPECT_EQ(h.epochs_run, 7u) << "epochs run";
  EXPECT_FALSE(h.diverged);
  EXPECT_EQ(seen, (std::vector<arma::uword>{0, 1, 2, 3, 4, 5, 6})) << "the epochs reported";
  const double last = reference_loss(p, batch.X, batch.Y, 0.05);
  EXPECT_NEAR(h.loss(7), last, 1e-12 * last) << "the last loss is the trained network's";
}

TEST(Training_Train, StopsAtTheFirstLossAboveTheRunawayBoundAndSaysSo) {
  // Rate 30 on two moons: the first steps throw the logits so far that the mean loss passes
  // 100 ln 2 ≈ 69.3 (a geometric mean probability of the true classes below 2^−100). The loss is
  // reported from the logits, so it is finite there: the bound, not an overflow, stops the run.
  SCOPED_TRACE("train(initial parameters H=50 of seed 9, 100 moons of seed 8; 100 epochs, "
               "rate 30, λ = 0)");
  bp::Rng rng(8);
  const bp::Dataset moons = bp::make_moons(100, 0.2, rng);
  bp::Params p = initial_params(50, 9);
  const bp::History h = bp::train(p, moons.X, bp::one_hot(moons.labels, 2), {100, 30.0, 0.0});
  const double bound = 100.0 * std::log(2.0);
  EXPECT_NEAR(bp::runaway_loss(2), bound, 1e-13) << "runaway_loss(2) is 100 ln 2";
  EXPECT_NEAR(bp::runaway_loss(3), 100.0 * std::log(3.0), 1e-13) << "runaway_loss(3) is 100 ln 3";
  ASSERT_TRUE(h.diverged) << bp::describe_run(h);
  EXPECT_FALSE(h.step_not_finite) << bp::describe_run(h);
  ASSERT_GE(h.epochs_run, 1u) << "epochs run";
  ASSERT_LT(h.epochs_run, 100u) << "epochs run";
  ASSERT_EQ(h.loss.n_elem, h.epochs_run + 1)
      << "losses recorded after " << h.epochs_run << " epochs";
  EXPECT_TRUE(std::isfinite(h.loss(h.epochs_run)))
      << "the loss from the logits stays finite; it is " << h.loss(h.epochs_run);
  EXPECT_GT(h.loss(h.epochs_run), bound) << "the last loss, after " << h.epochs_run << " epochs";
  EXPECT_LE(h.loss.head(h.epochs_run).max(), bound) << "it should stop at the first one above";
  EXPECT_TRUE(p.W1.is_finite() && p.W2.is_finite() && p.b1.is_finite() && p.b2.is_finite())
      << "the network kept is the one before the step from the loss above the bound";
  // The parameters are those after epochs_run steps, where the loss passed the bound: the step
  // taken from there is undone. Their loss, computed independently, is the last one reported.
  EXPECT_NEAR(reference_loss(p, moons.X, bp::one_hot(moons.labels, 2), 0.0), h.loss(h.epochs_run),
              1e-12 * h.loss(h.epochs_run))
      << "the loss of the network kept is the last loss recorded";
  const std::string words = bp::describe_run(h);
  EXPECT_NE(words.find("diverged at epoch " + std::to_string(h.epochs_run) + ": the loss reached "),
            std::string::npos)
      << words;
  EXPECT_NE(words.find("above 100 ln 2 = 69.3147"), std::string::npos) << words;
  EXPECT_EQ(words.find("nan"), std::string::npos) << words;
}

TEST(Training_Train, OnePointConfidentlyWrongIsNotADivergence) {
  // Logits up to about ±1000, with every label the network's own class but one, the row of the
  // widest gap (2000), whose label is the other class. That row alone makes cross_entropy(P, Y) +∞,
  // yet the mean loss is its gap over N: well below the bound. Training goes on (rate 0: every
  // epoch measures the same network) and reports that finite loss each epoch.
  SCOPED_TRACE("train(" + params_of(2, 8, 2, 44) +
               " with W2, b2 scaled to a widest gap of "
               "2000; 100 points of seed 43, all labelled as predicted but the widest; 3 epochs, "
               "rate 0)");
  const Batch batch = small_batch(100, 2, 2, 43);
  bp::Params p = random_params(2, 8, 2, 44);
  arma::mat Z2 = reference_logits(p, batch.X);
  const double widest_gap = arma::abs(Z2.col(1) - Z2.col(0)).max();
  p.W2 *= 2000.0 / widest_gap;  // the widest gap becomes 2000: e^−2000 underflows
  p.b2 *= 2000.0 / widest_gap;
  Z2 = reference_logits(p, batch.X);
  arma::uvec labels = reference_classes(p, batch.X);
  const arma::uword widest = arma::index_max(arma::abs(Z2.col(1) - Z2.col(0)));
  labels(widest) = 1 - labels(widest);
  const arma::mat Y = bp::one_hot(labels, 2);
  const double loss = reference_loss(p, batch.X, Y, 0.0);
  ASSERT_FALSE(std::isfinite(naive_cross_entropy(p, batch.X, labels)))
      << "the wrong row's true class must underflow for this test to mean anything";
  ASSERT_GT(loss, 1.0) << "the reference loss";
  ASSERT_LT(loss, bp::runaway_loss(2)) << "the reference loss";
  const bp::History h = bp::train(p, batch.X, Y, {3, 0.0, 0.0});
  EXPECT_FALSE(h.diverged) << bp::describe_run(h);
  EXPECT_EQ(h.epochs_run, 3u) << "epochs run";
  ASSERT_EQ(h.loss.n_elem, 4u) << "the loss after 0, 1, 2, 3 epochs";
  for (arma::uword e = 0; e < 4; ++e) EXPECT_NEAR(h.loss(e), loss, 1e-12 * loss) << "epoch " << e;
}

TEST(Training_Train, StopsAtAStepThatMakesAParameterNotFiniteAndKeepsTheNetworkBeforeIt) {
  // An infinite rate: the loss of the untrained network is finite, but its step sends every
  // parameter with a non-zero gradient to ±∞ (and 0·∞ gives NaN). The loss alone would notice
  // only one epoch later, on a network that is already lost.
  SCOPED_TRACE("train(" + params_of(2, 5, 2, 36) + ", 10 points of seed 35; 20 epochs, rate ∞)");
  const Batch batch = small_batch(10, 2, 2, 35);
  const bp::Params start = random_params(2, 5, 2, 36);
  bp::Params p = start;
  const double inf = std::numeric_limits<double>::infinity();
  const bp::History h = bp::train(p, batch.X, batch.Y, {20, inf, 0.0});
  ASSERT_TRUE(h.diverged) << bp::describe_run(h);
  EXPECT_TRUE(h.step_not_finite) << bp::describe_run(h);
  EXPECT_EQ(h.epochs_run, 0u) << "epochs run";
  ASSERT_EQ(h.loss.n_elem, 1u) << "losses recorded";
  EXPECT_TRUE(std::isfinite(h.loss(0))) << "the loss before the step: " << h.loss(0);
  // The step is undone: the network is the one the loss was measured on, bit for bit.
  EXPECT_TRUE(EntriesNear(p.W1, start.W1, 0.0, "W1 after the undone step"));
  EXPECT_TRUE(EntriesNear(p.b1, start.b1, 0.0, "b1 after the undone step"));
  EXPECT_TRUE(EntriesNear(p.W2, start.W2, 0.0, "W2 after the undone step"));
  EXPECT_TRUE(EntriesNear(p.b2, start.b2, 0.0, "b2 after the undone step"));
  const std::string words = bp::describe_run(h);
  EXPECT_NE(words.find("diverged at epoch 0: its step made a parameter NaN or infinite"),
            std::string::npos)
      << words;
}
TEST(Training_Train, UndoesANonFiniteStepAtALaterEpochToTheNetworkBeforeIt) {
  // train_loop with train_epoch as its step, made to fail at epoch 3 in each of its two ways: a
  // loss that is NaN (measured, as always, before the step), and a step that leaves an infinite
  // weight behind while its loss is finite. Either way the loop stops there and undoes that one
  // step: the network is the one after three good epochs, bit for bit (computed again here by
  // three calls of train_epoch from the same start) — not the start, and not the network after
  // the bad step.
  const Batch batch = small_batch(10, 2, 2, 37);
  const bp::Params start = random_params(2, 5, 2, 38);
  bp::Params after_three = start;
  SCOPED_TRACE("train_loop(" + params_of(2, 5, 2, 38) +
               ", 10 points of seed 37; 10 epochs of "
               "train_epoch, rate 0.2, λ = 0.01, the fourth made to fail)");
  for (int e = 0; e < 3; ++e) bp::train_epoch(after_three, batch.X, batch.Y, 0.2, 0.01);
  ASSERT_FALSE(SameNumbers(after_three, start)) << "three epochs of train_epoch changed nothing";
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (const bool loss_is_nan : {true, false}) {
    SCOPED_TRACE(loss_is_nan ? "the loss of epoch 3 is NaN" : "the step of epoch 3 is infinite");
    bp::Params p = start;
    arma::uword calls = 0;
    const bp::EpochStep step = [&](bp::Params& q) {
      bp::EpochResult r = bp::train_epoch(q, batch.X, batch.Y, 0.2, 0.01);
      if (calls++ == 3) {
        if (loss_is_nan)
          r.loss = nan;
        else
          q.W2(0, 0) = inf;
      }
      return r;
    };
    const bp::Evaluation measure = [&](const bp::Params& q) {
      return bp::evaluate(q, batch.X, batch.Y, 0.01);
    };
    const bp::History h = bp::train_loop(p, 10, step, measure);
    EXPECT_EQ(calls, 4u) << "no step after the bad one";
    EXPECT_TRUE(h.diverged) << bp::describe_run(h);
    EXPECT_EQ(h.step_not_finite, !loss_is_nan) << bp::describe_run(h);
    EXPECT_EQ(h.epochs_run, 3u) << "epochs run";
    ASSERT_EQ(h.loss.n_elem, 4u) << "the loss after 0, 1, 2, 3 epochs";
    EXPECT_EQ(std::isnan(h.loss(3)), loss_is_nan) << "the last loss recorded: " << h.loss(3);
    EXPECT_TRUE(SameNumbers(p, after_three)) << "the network after three epochs";
  }
}
// [train-test]

// [figure-test]
using Figure_Training = FigureFolder;

TEST_F(Figure_Training, TheLossCurveIsTheHistoryAndAValidPng) {
  const Batch batch = small_batch(10, 2, 2, 33);
  bp::Params p = random_params(2, 5, 2, 34);
  const bp::History h = bp::train(p, batch.X, batch.Y, {30, 0.2, 0.0});
  const bool drawn = bp::publish_loss_curve(dir_, h, "test_loss");
  SCOPED_TRACE("publish_loss_curve of train(" + params_of(2, 5, 2, 34) +
               ", 10 points of seed 33; "
               "30 epochs, rate 0.2) into " +
               dir_.string());
  std::string header;
  const arma::mat table = ReadCsv("ch10_loss.csv", header);
  EXPECT_EQ(header, "epoch,loss,accuracy") << "ch10_loss.csv";
  ASSERT_TRUE(HasShape(table, 31, 3, "ch10_loss.csv"));
  EXPECT_TRUE(EntriesNear(table.col(0), arma::regspace<arma::vec>(0, 30), 0.0, "the epochs"));
  EXPECT_TRUE(EntriesNear(table.col(1), h.loss, 0.0, "the losses"));  // 17 digits read back
  EXPECT_TRUE(EntriesNear(table.col(2), h.accuracy, 0.0, "the accuracies"));
  ASSERT_TRUE(bp::gnuplot_available()) << "gnuplot is part of the course's packages";
  EXPECT_TRUE(drawn) << "publish_loss_curve said it drew no figure";
  EXPECT_TRUE(bp::is_png(dir_ / "ch10_loss.png")) << "ch10_loss.png";
}

TEST_F(Figure_Training, TheRatesFigureNamesTheRunThatDivergedAndStopsItsLine) {
  bp::Rng rng(10);
  const bp::Dataset moons = bp::make_moons(60, 0.2, rng);
  const arma::mat Y = bp::one_hot(moons.labels, 2);
  std::vector<bp::RateRun> runs;
  for (const double rate : {0.2, 100.0}) {
    bp::Params p = initial_params(20, 11);
    runs.push_back({rate, bp::train(p, moons.X, Y, {25, rate, 0.0})});
  }
  SCOPED_TRACE("publish_rates of train(initial parameters H=20 of seed 11, 60 moons of seed 10; "
               "25 epochs, rates 0.2 and 100) into " +
               dir_.string());
  ASSERT_FALSE(runs[0].history.diverged) << bp::describe_run(runs[0].history);
  ASSERT_TRUE(runs[1].history.diverged) << bp::describe_run(runs[1].history);
  const bool drawn = bp::publish_rates(dir_, runs, "test_rates");
  std::string header;
  const arma::mat table = ReadCsv("ch10_rates.csv", header);
  const arma::uword stop = runs[1].history.epochs_run;
  EXPECT_EQ(header, "epoch,lr 0.2,lr 100: diverged at epoch " + std::to_string(stop))
      << "ch10_rates.csv";
  ASSERT_TRUE(HasShape(table, 26, 3, "ch10_rates.csv"));
  EXPECT_TRUE(EntriesNear(table.col(1), runs[0].history.loss, 0.0, "the losses at rate 0.2"));
  // Every loss of the run that diverged is drawn, the one above the bound included.
  EXPECT_TRUE(EntriesNear(table(arma::span(0, stop), 2), runs[1].history.loss, 0.0,
                          "the losses at rate 100 until it stopped"));
  for (arma::uword e = stop + 1; e < 26; ++e)
    EXPECT_TRUE(std::isnan(table(e, 2))) << "epoch " << e << ": no loss after the run stopped";
  ASSERT_TRUE(bp::gnuplot_available()) << "gnuplot is part of the course's packages";
  EXPECT_TRUE(drawn) << "publish_rates said it drew no figure";
  EXPECT_TRUE(bp::is_png(dir_ / "ch10_rates.png")) << "ch10_rates.png";
}

TEST_F(Figure_Training, TheHiddenSizesFigureHoldsEachNetworksGridAndAccuracy) {
  bp::Rng rng(12);
  const bp::Dataset moons = bp::make_moons(60, 0.2, rng);
  const arma::mat Y = bp::one_hot(moons.labels, 2);
  std::vector<bp::SizeRun> runs;
  for (const arma::uword h : {1u, 3u, 8u}) {
    bp::SizeRun run;
    run.hidden = h;
    run.params = initial_params(h, 13);
    run.history = bp::train(run.params, moons.X, Y, {20, 0.2, 0.0});
    run.test_accuracy = 0.5 + 0.1 * static_cast<double>(h);  // any number: it is only shown
    runs.push_back(run);
  }
  const bp::PlotBox box = bp::plot_box(moons.X);
  const bool drawn = bp::publish_hidden_sizes(dir_, runs, moons, box, 20, "test_hidden");
  SCOPED_TRACE("publish_hidden_sizes of H = 1, 3 and 8 (initialisation seed 13, 60 two-moons "
               "points of seed 12, 20 epochs, rate 0.2), 20 points a side, into " +
               dir_.string());
  std::string header;
  const arma::mat grid = ReadCsv("ch10_hidden.csv", header);
  EXPECT_EQ(header, "x1,x2,H=1,H=3,H=8") << "ch10_hidden.csv";
  ASSERT_TRUE(HasShape(grid, 400, 5, "ch10_hidden.csv"));
  for (std::size_t r = 0; r < runs.size(); ++r)
    EXPECT_TRUE(EntriesNear(
        grid.col(2 + r),
        arma::conv_to<arma::vec>::from(reference_classes(runs[r].params, grid.cols(0, 1))), 0.0,
        "the classes of H = " + std::to_string(runs[r].hidden)));
  const arma::mat accuracy = ReadCsv("ch10_hidden_accuracy.csv", header);
  EXPECT_EQ(header, "hidden,train,test") << "ch10_hidden_accuracy.csv";
  ASSERT_EQ(accuracy.n_rows, 3u) << "ch10_hidden_accuracy.csv: one row per network";
  EXPECT_DOUBLE_EQ(accuracy(1, 0), 3.0) << "the hidden size of the second row";
  EXPECT_DOUBLE_EQ(accuracy(1, 1), reference_accuracy(runs[1].params, moons.X, moons.labels))
      << "the training accuracy of H = 3";
  EXPECT_DOUBLE_EQ(accuracy(1, 2), 0.8) << "the test accuracy given for H = 3";
  ASSERT_TRUE(bp::gnuplot_available()) << "gnuplot is part of the course's packages";
  EXPECT_TRUE(drawn) << "publish_hidden_sizes said it drew no figure";
  EXPECT_TRUE(bp::is_png(dir_ / "ch10_hidden.png")) << "ch10_hidden.png";
}
// [figure-test]

}  // namespace
