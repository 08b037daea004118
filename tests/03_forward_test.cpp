// Chapter 03 tests: initialisation and the forward pass of equations (1)–(4).
//
// Exercise 3.1 -> suite Init_Params, exercise 3.2 -> suite Eq1to4_Forward
// (chapters/exercises.txt holds the map). Each test checks shapes first, then values.
// The forward tests draw their parameters with tests/support/reference's random_params, not with
// init_params, so that they do not depend on exercise 3.1, and compare with its
// reference_forward (plain Armadillo), never with the learner's affine, tanh_activation or
// softmax. A failure names the call (forward(X = …, W1 = …)), the entry and both values.
#include <gtest/gtest.h>

#include <armadillo>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "03_forward/forward.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"
#include "support/assertions.hpp"
#include "support/reference.hpp"

namespace {

using bp::test::EntriesNear;
using bp::test::EntriesNearRelative;
using bp::test::HasShape;
using bp::test::HasTheShapesOf;
using bp::test::show;

// "init_params(hidden = 500, seed 1, inputs 2, classes 2)", for SCOPED_TRACE.
std::string init_call(arma::uword H, std::uint64_t seed, arma::uword D = 2, arma::uword K = 2) {
  return "init_params(hidden = " + std::to_string(H) + ", seed " + std::to_string(seed) +
         ", inputs " + std::to_string(D) + ", classes " + std::to_string(K) + ")";
}

// [init-test]
TEST(Init_Params, ShapesOfThePostsNetwork) {
  // W1 2×500, b1 1×500, W2 500×2, b2 1×2: the shapes the post states.
  const bp::Params p = bp::init_params(500, 1);
  SCOPED_TRACE(init_call(500, 1));
  ASSERT_TRUE(HasTheShapesOf(p, 2, 500, 2));
}

TEST(Init_Params, ShapesOfSmallerAndOtherNetworks) {
  const bp::Params small = bp::init_params(3, 1);
  ASSERT_TRUE(HasTheShapesOf(small, 2, 3, 2)) << init_call(3, 1);
  // D = 5 inputs and K = 3 classes: W1 D×H, W2 H×K.
  const bp::Params other = bp::init_params(4, 1, 5, 3);
  ASSERT_TRUE(HasTheShapesOf(other, 5, 4, 3)) << init_call(4, 1, 5, 3);
}

TEST(Init_Params, SameSeedSameNumbersOtherSeedOtherNumbers) {
  const bp::Params a = bp::init_params(50, 42);
  const bp::Params b = bp::init_params(50, 42);
  const bp::Params c = bp::init_params(50, 43);
  SCOPED_TRACE(init_call(50, 42) + " twice, and " + init_call(50, 43));
  ASSERT_TRUE(HasTheShapesOf(a, 2, 50, 2));
  ASSERT_TRUE(HasTheShapesOf(b, 2, 50, 2));
  ASSERT_TRUE(HasTheShapesOf(c, 2, 50, 2));
  // The same seed: the same bits, so the tolerance is zero.
  EXPECT_TRUE(EntriesNear(b.W1, a.W1, 0.0, "W1 of the second call with seed 42"));
  EXPECT_TRUE(EntriesNear(b.W2, a.W2, 0.0, "W2 of the second call with seed 42"));
  // Another seed: other draws (equal ones would mean the seed is ignored).
  EXPECT_FALSE(arma::approx_equal(a.W1, c.W1, "absdiff", 0.0))
      << "seeds 42 and 43 gave the same W1 = " << show(a.W1) << ": is the seed used?";
  EXPECT_FALSE(arma::approx_equal(a.W2, c.W2, "absdiff", 0.0))
      << "seeds 42 and 43 gave the same W2 = " << show(a.W2) << ": is the seed used?";
}

TEST(Init_Params, FollowsTheDocumentedDrawOrder) {
  // W1 first, then W2, from one generator seeded with the seed: the course's numbers (and
  // the chapter program's) are then the same for every learner.
  const bp::Params p = bp::init_params(6, 9, 3, 2);
  SCOPED_TRACE(init_call(6, 9, 3, 2) + " against W1 = normal_matrix(3, 6, 1/√3), then W2 = "
                                       "normal_matrix(6, 2, 1/√6), from bp::Rng(9)");
  bp::Rng rng(9);
  const arma::mat W1 = bp::normal_matrix(3, 6, 1.0 / std::sqrt(3.0), rng);
  const arma::mat W2 = bp::normal_matrix(6, 2, 1.0 / std::sqrt(6.0), rng);
  ASSERT_TRUE(HasShape(p.W1, 3, 6, "W1"));
  ASSERT_TRUE(HasShape(p.W2, 6, 2, "W2"));
  // Scaling a standard draw by 1/sqrt(D) afterwards, instead of asking normal_matrix for that
  // standard deviation, rounds differently by an ulp or two (2e-16 relative): 1e-14.
  EXPECT_TRUE(EntriesNearRelative(p.W1, W1, 1e-14, "W1"));
  EXPECT_TRUE(EntriesNearRelative(p.W2, W2, 1e-14, "W2"));
}

TEST(Init_Params, BiasesAreZero) {
  const bp::Params post = bp::init_params(500, 3);
  const bp::Params other = bp::init_params(7, 3, 5, 3);
  SCOPED_TRACE(init_call(500, 3) + " and " + init_call(7, 3, 5, 3));
  ASSERT_TRUE(HasShape(post.b1, 1, 500, "b1 of the first"));
  ASSERT_TRUE(HasShape(post.b2, 1, 2, "b2 of the first"));
  ASSERT_TRUE(HasShape(other.b1, 1, 7, "b1 of the second"));
  ASSERT_TRUE(HasShape(other.b2, 1, 3, "b2 of the second"));
  EXPECT_TRUE(EntriesNear(post.b1, arma::zeros(1, 500), 0.0, "b1 of the first"));
  EXPECT_TRUE(EntriesNear(post.b2, arma::zeros(1, 2), 0.0, "b2 of the first"));
  EXPECT_TRUE(EntriesNear(other.b1, arma::zeros(1, 7), 0.0, "b1 of the second"));
  EXPECT_TRUE(EntriesNear(other.b2, arma::zeros(1, 3), 0.0, "b2 of the second"));
}

// The sample standard deviation of n independent N(0, s²) draws has a standard error of
// s / sqrt(2(n − 1)); its mean, s / sqrt(n). Five standard errors: a correct initialisation
// fails with probability below 1e-6 (and, the seed being fixed, never), while a wrong scale
// (a standard deviation of 1, 1/D or 1/H, or Glorot's sqrt(2/(fan-in + fan-out))) is off by
// far more.
void expect_scale(const arma::mat& W, double s, const std::string& name) {
  const arma::vec w = arma::vectorise(W);
  const double n = static_cast<double>(w.n_elem);
  EXPECT_NEAR(arma::stddev(w), s, 5.0 * s / std::sqrt(2.0 * (n - 1.0)))
      << "the standard deviation of the " << w.n_elem << " entries of " << name << " (" << show(W)
      << ") should be " << s;
  EXPECT_NEAR(arma::mean(w), 0.0, 5.0 * s / std::sqrt(n))
      << "the mean of the " << w.n_elem << " entries of " << name << " (" << show(W)
      << ") should be 0";
}

TEST(Init_Params, WeightsHaveStandardDeviationOneOverSqrtFanIn) {
  // The post's network: 1000 entries in each of W1 and W2, so five standard errors are 11%
  // of s. That already tells 1/sqrt(2) = 0.707 from 1, and 1/sqrt(500) = 0.045 from 1/500.
  const bp::Params post = bp::init_params(500, 5);
  ASSERT_TRUE(HasTheShapesOf(post, 2, 500, 2)) << init_call(500, 5);
  expect_scale(post.W1, 1.0 / std::sqrt(2.0), "W1 of " + init_call(500, 5));
  expect_scale(post.W2, 1.0 / std::sqrt(500.0), "W2 of " + init_call(500, 5));
  // A wide network with D = 5, K = 3: 10^5 and 6·10^4 entries, five standard errors are
  // at most 1.5% of s; Glorot's scale sqrt(2/(fan-in + fan-out)) would be 41% (W2) or 45
  // times (W1) away.
  const bp::Params wide = bp::init_params(20000, 5, 5, 3);
  ASSERT_TRUE(HasTheShapesOf(wide, 5, 20000, 3)) << init_call(20000, 5, 5, 3);
  expect_scale(wide.W1, 1.0 / std::sqrt(5.0), "W1 of " + init_call(20000, 5, 5, 3));
  expect_scale(wide.W2, 1.0 / std::sqrt(20000.0), "W2 of " + init_call(20000, 5, 5, 3));
}
// [init-test]

// Parameters drawn by the support, independently of exercise 3.1: W ~ N(0, 1/fan-in) and, unlike
// init_params, biases ~ N(0, 0.5²) (zero biases would hide a forgotten bias).
bp::Params test_params(arma::uword D, arma::uword H, arma::uword K, std::uint64_t seed) {
  return bp::test::random_params(D, H, K, seed, 0.5);
}

// A batch of N samples of 2 inputs, entries N(0, 1), from bp::Rng(seed).
arma::mat test_batch(arma::uword N, std::uint64_t seed) {
  bp::Rng rng(seed);
  return bp::normal_matrix(N, 2, 1.0, rng);
}

// "forward(X = [...], W1 = ..., b1 = ..., W2 = ..., b2 = ...)", for SCOPED_TRACE.
std::string forward_call(const bp::Params& p, const arma::mat& X) {
  return "forward(X = " + show(X) + ", " + show(p) + ")";
}

// The learner's pass and the reference may add the same terms in another order. A sum of n
// terms differs by at most n·2^−53 times the sum of their magnitudes (Higham): for Z2, with
// n = H = 500 terms |a w| of total at most about 20, that is 1e-12. 1e-11 leaves a factor 10;
// a real bug (a missing bias of size 0.5, a transposed W1) moves entries by 1e-2 or more.
constexpr double kTol = 1e-11;

// Batch sizes and widths: H = 2 makes W1 square (a transposed W1 fits every shape and only
// the values can catch it); H = 500 is the post's width.
struct Case {
  arma::uword N, H;
};
const std::vector<Case> kCases = {{5, 2}, {6, 7}, {3, 500}};

// [forward-test]
// A field of the cache: &bp::Cache::Z1, &bp::Cache::A1, ...
using CacheField = arma::mat bp::Cache::*;

// The check of one field of the cache (Z1, A1, Z2 or P) on every case of kCases: forward's
// against reference_forward's, of parameters drawn from seed + H and a batch from seed + 1.
void expect_field_is_the_references(CacheField field, const std::string& name, std::uint64_t seed) {
  for (const Case& c : kCases) {
    const bp::Params p = test_params(2, c.H, 2, seed + c.H);
    const arma::mat X = test_batch(c.N, seed + 1);
    const bp::Cache cache = bp::forward(p, X);
    SCOPED_TRACE(forward_call(p, X));
    const bp::Cache ref = bp::test::reference_forward(p, X);
    ASSERT_TRUE(HasShape(cache.*field, (ref.*field).n_rows, (ref.*field).n_cols, name));
    EXPECT_TRUE(EntriesNear(cache.*field, ref.*field, kTol, name));
  }
}

TEST(Eq1to4_Forward, EveryCacheFieldHasItsShape) {
  // X N×2, Z1 N×H, A1 N×H, Z2 N×2, P N×2: for the post's single sample and H = 500, a batch
  // with H = 500, and a small network.
  const std::vector<Case> cases = {{1, 500}, {4, 500}, {5, 3}};
  for (const Case& c : cases) {
    const bp::Params p = test_params(2, c.H, 2, 1);
    const arma::mat X = test_batch(c.N, 2);
    const bp::Cache cache = bp::forward(p, X);
    SCOPED_TRACE(forward_call(p, X));
    ASSERT_TRUE(HasShape(cache.X, c.N, 2, "X"));
    ASSERT_TRUE(HasShape(cache.Z1, c.N, c.H, "Z1"));
    ASSERT_TRUE(HasShape(cache.A1, c.N, c.H, "A1"));
    ASSERT_TRUE(HasShape(cache.Z2, c.N, 2, "Z2"));
    ASSERT_TRUE(HasShape(cache.P, c.N, 2, "P"));
  }
}

TEST(Eq1to4_Forward, KeepsTheInputX) {
  // The backward pass needs X for dW1 = X^T dZ1: the cache holds an exact copy.
  const bp::Params p = test_params(2, 7, 2, 3);
  const arma::mat X = test_batch(6, 4);
  const bp::Cache cache = bp::forward(p, X);
  SCOPED_TRACE(forward_call(p, X));
  EXPECT_TRUE(EntriesNear(cache.X, X, 0.0, "the cache's X"));
}

TEST(Eq1to4_Forward, Z1IsEquation1) {
  // Z1 = X W1 + 1 b1.
  expect_field_is_the_references(&bp::Cache::Z1, "Z1", 10);
}

TEST(Eq1to4_Forward, A1IsEquation2) {
  // A1 = tanh(Z1), entry by entry.
  expect_field_is_the_references(&bp::Cache::A1, "A1", 20);
}

TEST(Eq1to4_Forward, Z2IsEquation3) {
  // Z2 = A1 W2 + 1 b2.
  expect_field_is_the_references(&bp::Cache::Z2, "Z2", 30);
}

TEST(Eq1to4_Forward, PIsEquation4) {
  // P = softmax(Z2), row by row.
  expect_field_is_the_references(&bp::Cache::P, "P", 40);
}

TEST(Eq1to4_Forward, EachRowOfABatchIsTheSingleSamplePass) {
  // The post's equations are for one sample x (1×2); the batch is N of them, one per row.
  const bp::Params p = test_params(2, 500, 2, 50);
  const arma::mat X = test_batch(5, 51);
  const bp::Cache batch = bp::forward(p, X);
  SCOPED_TRACE(forward_call(p, X));
  ASSERT_TRUE(HasShape(batch.P, 5, 2, "P"));
  for (arma::uword n = 0; n < X.n_rows; ++n) {
    const bp::Cache single = bp::forward(p, X.row(n));
    SCOPED_TRACE("row " + std::to_string(n) + " alone, forward(X = " + show(X.row(n)) +
                 "), against row " + std::to_string(n) + " of the batch's pass");
    ASSERT_TRUE(HasShape(single.Z1, 1, 500, "Z1"));
    ASSERT_TRUE(HasShape(single.P, 1, 2, "P"));
    // A matrix-vector product may add in another order than a matrix-matrix one: kTol.
    EXPECT_TRUE(EntriesNear(single.Z1, batch.Z1.row(n), kTol, "Z1"));
    EXPECT_TRUE(EntriesNear(single.A1, batch.A1.row(n), kTol, "A1"));
    EXPECT_TRUE(EntriesNear(single.Z2, batch.Z2.row(n), kTol, "Z2"));
    EXPECT_TRUE(EntriesNear(single.P, batch.P.row(n), kTol, "P"));
  }
}

TEST(Eq1to4_Forward, ProbabilityRowsSumToOneEvenForHugeLogits) {
  bp::Params p = test_params(2, 50, 2, 60);
  const arma::mat X = test_batch(40, 61);
  const bp::Cache cache = bp::forward(p, X);
  SCOPED_TRACE(forward_call(p, X));
  ASSERT_TRUE(HasShape(cache.P, 40, 2, "P"));
  // Two terms ≤ 1, each rounded by ≤ 1.1e-16: the sum is within 1e-15 of 1.
  const arma::mat ones(40, 1, arma::fill::ones);
  EXPECT_TRUE(EntriesNear(arma::sum(cache.P, 1), ones, 1e-15, "the row sums of P"));
  // W2 scaled by 10^4 gives logits in the thousands: e^Z2 overflows, the pass must not (it
  // goes through the stable softmax of chapter 02).
  p.W2 *= 1e4;
  const bp::Cache huge = bp::forward(p, X);
  SCOPED_TRACE("then with W2 scaled by 10^4: " + forward_call(p, X));
  ASSERT_TRUE(HasShape(huge.P, 40, 2, "P"));
  ASSERT_GT(arma::abs(huge.Z2).max(), 1000.0) << "the logits were meant to be huge";
  EXPECT_TRUE(huge.P.is_finite()) << "P = " << show(huge.P);
  EXPECT_TRUE(EntriesNear(arma::sum(huge.P, 1), ones, 1e-15, "the row sums of P"));
}

TEST(Eq1to4_Forward, SaturatedTanhGivesActivationsOfExactlyPlusMinusOne) {
  // W1 and b1 scaled by 10^4: |Z1| in the thousands, where tanh is ±1 to the last bit (it rounds
  // to 1 beyond z ≈ 18.7). The pass stays finite and its probabilities still sum to 1.
  bp::Params p = test_params(2, 50, 2, 62);
  p.W1 *= 1e4;
  p.b1.fill(1e4);
  const arma::mat X = test_batch(40, 63);
  const bp::Cache cache = bp::forward(p, X);
  SCOPED_TRACE(forward_call(p, X));
  ASSERT_TRUE(HasShape(cache.A1, 40, 50, "A1"));
  const arma::umat big = arma::abs(cache.Z1) > 20.0;
  ASSERT_GT(arma::accu(big), 1900u) << "most of Z1 was meant to be far beyond 20";
  const arma::mat saturated = cache.A1.elem(arma::find(big));
  EXPECT_EQ(arma::accu(arma::abs(saturated) != 1.0), 0u)
      << "tanh beyond 20 is exactly ±1; A1 there: " << show(saturated);
  EXPECT_TRUE(cache.Z2.is_finite() && cache.P.is_finite())
      << "Z2 = " << show(cache.Z2) << ", P = " << show(cache.P);
  EXPECT_TRUE(EntriesNear(arma::sum(cache.P, 1), arma::ones(40, 1), 1e-15, "the row sums of P"));
}

TEST(Eq1to4_Forward, RejectsXOfTheWrongWidth) {
  const bp::Params p = test_params(2, 7, 2, 70);
  // A valid call first, so that an unfinished exercise fails here with its own message.
  ASSERT_NO_THROW(bp::forward(p, arma::mat(5, 2, arma::fill::ones)));
  // Three inputs for a network of two, and a batch given as columns (one sample per column,
  // as in mlpack): X W1 is not defined.
  EXPECT_THROW(bp::forward(p, arma::mat(5, 3, arma::fill::ones)), bp::ShapeError)
      << "X 5×3 for W1 " << bp::shape_of(p.W1);
  EXPECT_THROW(bp::forward(p, arma::mat(2, 5, arma::fill::ones)), bp::ShapeError)
      << "X 2×5 for W1 " << bp::shape_of(p.W1);
}
// [forward-test]

}  // namespace
