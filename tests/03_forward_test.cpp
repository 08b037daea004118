// Chapter 03 tests: initialisation and the forward pass of equations (1)–(4).
//
// Exercise 3.1 -> suite Init_Params, exercise 3.2 -> suite Eq1to4_Forward
// (chapters/exercises.txt holds the map). Each test checks shapes first, then values.
// The forward tests build their parameters here, not with init_params, so that they do not
// depend on exercise 3.1, and compute their references with plain Armadillo, never with the
// learner's affine, tanh_activation or softmax.
#include <gtest/gtest.h>

#include <armadillo>
#include <cmath>
#include <cstdint>
#include <vector>

#include "03_forward/forward.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"

namespace {

// [init-test]
TEST(Init_Params, ShapesOfThePostsNetwork) {
  // W1 2×500, b1 1×500, W2 500×2, b2 1×2: the shapes the post states.
  const bp::Params p = bp::init_params(500, 1);
  ASSERT_EQ(p.W1.n_rows, 2u);
  ASSERT_EQ(p.W1.n_cols, 500u);
  ASSERT_EQ(p.b1.n_cols, 500u);
  ASSERT_EQ(p.W2.n_rows, 500u);
  ASSERT_EQ(p.W2.n_cols, 2u);
  ASSERT_EQ(p.b2.n_cols, 2u);
}

TEST(Init_Params, ShapesOfSmallerAndOtherNetworks) {
  const bp::Params small = bp::init_params(3, 1);
  ASSERT_EQ(small.W1.n_rows, 2u);
  ASSERT_EQ(small.W1.n_cols, 3u);
  ASSERT_EQ(small.b1.n_cols, 3u);
  ASSERT_EQ(small.W2.n_rows, 3u);
  ASSERT_EQ(small.W2.n_cols, 2u);
  ASSERT_EQ(small.b2.n_cols, 2u);
  // D = 5 inputs and K = 3 classes: W1 D×H, W2 H×K.
  const bp::Params other = bp::init_params(4, 1, 5, 3);
  ASSERT_EQ(other.W1.n_rows, 5u);
  ASSERT_EQ(other.W1.n_cols, 4u);
  ASSERT_EQ(other.b1.n_cols, 4u);
  ASSERT_EQ(other.W2.n_rows, 4u);
  ASSERT_EQ(other.W2.n_cols, 3u);
  ASSERT_EQ(other.b2.n_cols, 3u);
}

TEST(Init_Params, SameSeedSameNumbersOtherSeedOtherNumbers) {
  const bp::Params a = bp::init_params(50, 42);
  const bp::Params b = bp::init_params(50, 42);
  const bp::Params c = bp::init_params(50, 43);
  ASSERT_EQ(a.W1.n_cols, 50u);
  ASSERT_EQ(b.W1.n_cols, 50u);
  ASSERT_EQ(c.W1.n_cols, 50u);
  // The same seed: the same bits, so the tolerance is zero.
  EXPECT_TRUE(arma::approx_equal(a.W1, b.W1, "absdiff", 0.0));
  EXPECT_TRUE(arma::approx_equal(a.W2, b.W2, "absdiff", 0.0));
  // Another seed: other draws (equal ones would mean the seed is ignored).
  EXPECT_FALSE(arma::approx_equal(a.W1, c.W1, "absdiff", 0.0));
  EXPECT_FALSE(arma::approx_equal(a.W2, c.W2, "absdiff", 0.0));
}

TEST(Init_Params, FollowsTheDocumentedDrawOrder) {
  // W1 first, then W2, from one generator seeded with the seed: the course's numbers (and
  // the chapter program's) are then the same for every learner.
  const bp::Params p = bp::init_params(6, 9, 3, 2);
  bp::Rng rng(9);
  const arma::mat W1 = bp::normal_matrix(3, 6, 1.0 / std::sqrt(3.0), rng);
  const arma::mat W2 = bp::normal_matrix(6, 2, 1.0 / std::sqrt(6.0), rng);
  ASSERT_EQ(p.W1.n_rows, 3u);
  ASSERT_EQ(p.W1.n_cols, 6u);
  ASSERT_EQ(p.W2.n_rows, 6u);
  ASSERT_EQ(p.W2.n_cols, 2u);
  // Scaling a standard draw by 1/sqrt(D) afterwards, instead of asking normal_matrix for that
  // standard deviation, rounds differently by an ulp or two (2e-16 relative): 1e-14.
  EXPECT_TRUE(arma::approx_equal(p.W1, W1, "reldiff", 1e-14))
      << "got\n" << p.W1 << "expected\n" << W1;
  EXPECT_TRUE(arma::approx_equal(p.W2, W2, "reldiff", 1e-14))
      << "got\n" << p.W2 << "expected\n" << W2;
}

TEST(Init_Params, BiasesAreZero) {
  const bp::Params post = bp::init_params(500, 3);
  const bp::Params other = bp::init_params(7, 3, 5, 3);
  ASSERT_EQ(post.b1.n_cols, 500u);
  ASSERT_EQ(post.b2.n_cols, 2u);
  ASSERT_EQ(other.b1.n_cols, 7u);
  ASSERT_EQ(other.b2.n_cols, 3u);
  EXPECT_EQ(arma::abs(post.b1).max(), 0.0);
  EXPECT_EQ(arma::abs(post.b2).max(), 0.0);
  EXPECT_EQ(arma::abs(other.b1).max(), 0.0);
  EXPECT_EQ(arma::abs(other.b2).max(), 0.0);
}

// The sample standard deviation of n independent N(0, s²) draws has a standard error of
// s / sqrt(2(n − 1)); its mean, s / sqrt(n). Five standard errors: a correct initialisation
// fails with probability below 1e-6 (and, the seed being fixed, never), while a wrong scale
// (a standard deviation of 1, 1/D or 1/H, or Glorot's sqrt(2/(fan-in + fan-out))) is off by
// far more.
void expect_scale(const arma::mat& W, double s, const char* name) {
  const arma::vec w = arma::vectorise(W);
  const double n = static_cast<double>(w.n_elem);
  EXPECT_NEAR(arma::stddev(w), s, 5.0 * s / std::sqrt(2.0 * (n - 1.0))) << name;
  EXPECT_NEAR(arma::mean(w), 0.0, 5.0 * s / std::sqrt(n)) << name;
}

TEST(Init_Params, WeightsHaveStandardDeviationOneOverSqrtFanIn) {
  // The post's network: 1000 entries in each of W1 and W2, so five standard errors are 11%
  // of s. That already tells 1/sqrt(2) = 0.707 from 1, and 1/sqrt(500) = 0.045 from 1/500.
  const bp::Params post = bp::init_params(500, 5);
  ASSERT_EQ(post.W1.n_elem, 1000u);
  ASSERT_EQ(post.W2.n_elem, 1000u);
  expect_scale(post.W1, 1.0 / std::sqrt(2.0), "W1, D = 2");
  expect_scale(post.W2, 1.0 / std::sqrt(500.0), "W2, H = 500");
  // A wide network with D = 5, K = 3: 10^5 and 6·10^4 entries, five standard errors are
  // at most 1.5% of s; Glorot's scale sqrt(2/(fan-in + fan-out)) would be 41% (W2) or 45
  // times (W1) away.
  const bp::Params wide = bp::init_params(20000, 5, 5, 3);
  ASSERT_EQ(wide.W1.n_rows, 5u);
  ASSERT_EQ(wide.W2.n_rows, 20000u);
  expect_scale(wide.W1, 1.0 / std::sqrt(5.0), "W1, D = 5");
  expect_scale(wide.W2, 1.0 / std::sqrt(20000.0), "W2, H = 20000");
}
// [init-test]

// Parameters drawn here, independently of exercise 3.1. The biases are not zero (init_params
// makes them zero, which would hide a forgotten bias).
bp::Params test_params(arma::uword D, arma::uword H, arma::uword K, std::uint64_t seed) {
  bp::Rng rng(seed);
  bp::Params p;
  p.W1 = bp::normal_matrix(D, H, 1.0 / std::sqrt(static_cast<double>(D)), rng);
  p.b1 = bp::normal_matrix(1, H, 0.5, rng);
  p.W2 = bp::normal_matrix(H, K, 1.0 / std::sqrt(static_cast<double>(H)), rng);
  p.b2 = bp::normal_matrix(1, K, 0.5, rng);
  return p;
}

// Equations (1)–(4) written out with plain Armadillo: repmat for the outer product 1 b, then
// arma::tanh, and e^Z2 divided by its row sums (unshifted: these logits are of order 1).
struct Reference {
  arma::mat Z1, A1, Z2, P;
};

Reference reference_forward(const bp::Params& p, const arma::mat& X) {
  Reference r;
  r.Z1 = X * p.W1 + arma::repmat(p.b1, X.n_rows, 1);
  r.A1 = arma::tanh(r.Z1);
  r.Z2 = r.A1 * p.W2 + arma::repmat(p.b2, X.n_rows, 1);
  r.P = arma::exp(r.Z2);
  r.P.each_col() /= arma::sum(r.P, 1);
  return r;
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
TEST(Eq1to4_Forward, EveryCacheFieldHasItsShape) {
  // X N×2, Z1 N×H, A1 N×H, Z2 N×2, P N×2: for the post's single sample and H = 500, a batch
  // with H = 500, and a small network.
  const std::vector<Case> cases = {{1, 500}, {4, 500}, {5, 3}};
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << "N = " << c.N << ", H = " << c.H);
    const bp::Params p = test_params(2, c.H, 2, 1);
    bp::Rng rng(2);
    const arma::mat X = bp::normal_matrix(c.N, 2, 1.0, rng);
    const bp::Cache cache = bp::forward(p, X);
    ASSERT_EQ(cache.X.n_rows, c.N);
    ASSERT_EQ(cache.X.n_cols, 2u);
    ASSERT_EQ(cache.Z1.n_rows, c.N);
    ASSERT_EQ(cache.Z1.n_cols, c.H);
    ASSERT_EQ(cache.A1.n_rows, c.N);
    ASSERT_EQ(cache.A1.n_cols, c.H);
    ASSERT_EQ(cache.Z2.n_rows, c.N);
    ASSERT_EQ(cache.Z2.n_cols, 2u);
    ASSERT_EQ(cache.P.n_rows, c.N);
    ASSERT_EQ(cache.P.n_cols, 2u);
  }
}

TEST(Eq1to4_Forward, KeepsTheInputX) {
  // The backward pass needs X for dW1 = X^T dZ1: the cache holds an exact copy.
  const bp::Params p = test_params(2, 7, 2, 3);
  bp::Rng rng(4);
  const arma::mat X = bp::normal_matrix(6, 2, 1.0, rng);
  const bp::Cache cache = bp::forward(p, X);
  ASSERT_EQ(cache.X.n_rows, 6u);
  ASSERT_EQ(cache.X.n_cols, 2u);
  EXPECT_TRUE(arma::approx_equal(cache.X, X, "absdiff", 0.0));
}

TEST(Eq1to4_Forward, Z1IsEquation1) {
  // Z1 = X W1 + 1 b1.
  for (const Case& c : kCases) {
    SCOPED_TRACE(::testing::Message() << "N = " << c.N << ", H = " << c.H);
    const bp::Params p = test_params(2, c.H, 2, 10 + c.H);
    bp::Rng rng(11);
    const arma::mat X = bp::normal_matrix(c.N, 2, 1.0, rng);
    const bp::Cache cache = bp::forward(p, X);
    const Reference ref = reference_forward(p, X);
    ASSERT_EQ(cache.Z1.n_rows, c.N);
    ASSERT_EQ(cache.Z1.n_cols, c.H);
    EXPECT_TRUE(arma::approx_equal(cache.Z1, ref.Z1, "absdiff", kTol));
  }
}

TEST(Eq1to4_Forward, A1IsEquation2) {
  // A1 = tanh(Z1), entry by entry.
  for (const Case& c : kCases) {
    SCOPED_TRACE(::testing::Message() << "N = " << c.N << ", H = " << c.H);
    const bp::Params p = test_params(2, c.H, 2, 20 + c.H);
    bp::Rng rng(21);
    const arma::mat X = bp::normal_matrix(c.N, 2, 1.0, rng);
    const bp::Cache cache = bp::forward(p, X);
    const Reference ref = reference_forward(p, X);
    ASSERT_EQ(cache.A1.n_rows, c.N);
    ASSERT_EQ(cache.A1.n_cols, c.H);
    EXPECT_TRUE(arma::approx_equal(cache.A1, ref.A1, "absdiff", kTol));
  }
}

TEST(Eq1to4_Forward, Z2IsEquation3) {
  // Z2 = A1 W2 + 1 b2.
  for (const Case& c : kCases) {
    SCOPED_TRACE(::testing::Message() << "N = " << c.N << ", H = " << c.H);
    const bp::Params p = test_params(2, c.H, 2, 30 + c.H);
    bp::Rng rng(31);
    const arma::mat X = bp::normal_matrix(c.N, 2, 1.0, rng);
    const bp::Cache cache = bp::forward(p, X);
    const Reference ref = reference_forward(p, X);
    ASSERT_EQ(cache.Z2.n_rows, c.N);
    ASSERT_EQ(cache.Z2.n_cols, 2u);
    EXPECT_TRUE(arma::approx_equal(cache.Z2, ref.Z2, "absdiff", kTol));
  }
}

TEST(Eq1to4_Forward, PIsEquation4) {
  // P = softmax(Z2), row by row.
  for (const Case& c : kCases) {
    SCOPED_TRACE(::testing::Message() << "N = " << c.N << ", H = " << c.H);
    const bp::Params p = test_params(2, c.H, 2, 40 + c.H);
    bp::Rng rng(41);
    const arma::mat X = bp::normal_matrix(c.N, 2, 1.0, rng);
    const bp::Cache cache = bp::forward(p, X);
    const Reference ref = reference_forward(p, X);
    ASSERT_EQ(cache.P.n_rows, c.N);
    ASSERT_EQ(cache.P.n_cols, 2u);
    EXPECT_TRUE(arma::approx_equal(cache.P, ref.P, "absdiff", kTol));
  }
}

TEST(Eq1to4_Forward, EachRowOfABatchIsTheSingleSamplePass) {
  // The post's equations are for one sample x (1×2); the batch is N of them, one per row.
  const bp::Params p = test_params(2, 500, 2, 50);
  bp::Rng rng(51);
  const arma::mat X = bp::normal_matrix(5, 2, 1.0, rng);
  const bp::Cache batch = bp::forward(p, X);
  ASSERT_EQ(batch.P.n_rows, 5u);
  for (arma::uword n = 0; n < X.n_rows; ++n) {
    SCOPED_TRACE(::testing::Message() << "row " << n);
    const bp::Cache single = bp::forward(p, X.row(n));
    ASSERT_EQ(single.Z1.n_rows, 1u);
    ASSERT_EQ(single.P.n_rows, 1u);
    ASSERT_EQ(single.P.n_cols, 2u);
    // A matrix-vector product may add in another order than a matrix-matrix one: kTol.
    EXPECT_TRUE(arma::approx_equal(single.Z1, batch.Z1.row(n), "absdiff", kTol));
    EXPECT_TRUE(arma::approx_equal(single.A1, batch.A1.row(n), "absdiff", kTol));
    EXPECT_TRUE(arma::approx_equal(single.Z2, batch.Z2.row(n), "absdiff", kTol));
    EXPECT_TRUE(arma::approx_equal(single.P, batch.P.row(n), "absdiff", kTol));
  }
}

TEST(Eq1to4_Forward, ProbabilityRowsSumToOneEvenForHugeLogits) {
  bp::Params p = test_params(2, 50, 2, 60);
  bp::Rng rng(61);
  const arma::mat X = bp::normal_matrix(40, 2, 1.0, rng);
  const bp::Cache cache = bp::forward(p, X);
  ASSERT_EQ(cache.P.n_rows, 40u);
  ASSERT_EQ(cache.P.n_cols, 2u);
  // Two terms ≤ 1, each rounded by ≤ 1.1e-16: the sum is within 1e-15 of 1.
  EXPECT_TRUE(arma::approx_equal(arma::vec(arma::sum(cache.P, 1)), arma::vec(40, arma::fill::ones),
                                 "absdiff", 1e-15));
  // W2 scaled by 10^4 gives logits in the thousands: e^Z2 overflows, the pass must not (it
  // goes through the stable softmax of chapter 02).
  p.W2 *= 1e4;
  const bp::Cache huge = bp::forward(p, X);
  ASSERT_EQ(huge.P.n_rows, 40u);
  ASSERT_GT(arma::abs(huge.Z2).max(), 1000.0) << "the logits were meant to be huge";
  EXPECT_TRUE(huge.P.is_finite()) << huge.P;
  EXPECT_TRUE(arma::approx_equal(arma::vec(arma::sum(huge.P, 1)), arma::vec(40, arma::fill::ones),
                                 "absdiff", 1e-15));
}

TEST(Eq1to4_Forward, SaturatedTanhGivesActivationsOfExactlyPlusMinusOne) {
  // W1 and b1 scaled by 10^4: |Z1| in the thousands, where tanh is ±1 to the last bit (it rounds
  // to 1 beyond z ≈ 18.7). The pass stays finite and its probabilities still sum to 1.
  bp::Params p = test_params(2, 50, 2, 62);
  p.W1 *= 1e4;
  p.b1.fill(1e4);
  bp::Rng rng(63);
  const arma::mat X = bp::normal_matrix(40, 2, 1.0, rng);
  const bp::Cache cache = bp::forward(p, X);
  ASSERT_EQ(cache.A1.n_rows, 40u);
  ASSERT_EQ(cache.A1.n_cols, 50u);
  const arma::umat big = arma::abs(cache.Z1) > 20.0;
  ASSERT_GT(arma::accu(big), 1900u) << "most of Z1 was meant to be far beyond 20";
  const arma::mat saturated = cache.A1.elem(arma::find(big));
  EXPECT_EQ(arma::accu(arma::abs(saturated) != 1.0), 0u) << "tanh beyond 20 is exactly ±1";
  EXPECT_TRUE(cache.Z2.is_finite() && cache.P.is_finite());
  EXPECT_TRUE(arma::approx_equal(arma::vec(arma::sum(cache.P, 1)), arma::vec(40, arma::fill::ones),
                                 "absdiff", 1e-15));
}

TEST(Eq1to4_Forward, RejectsXOfTheWrongWidth) {
  const bp::Params p = test_params(2, 7, 2, 70);
  // A valid call first, so that an unfinished exercise fails here with its own message.
  ASSERT_NO_THROW(bp::forward(p, arma::mat(5, 2, arma::fill::ones)));
  // Three inputs for a network of two, and a batch given as columns (one sample per column,
  // as in mlpack): X W1 is not defined.
  EXPECT_THROW(bp::forward(p, arma::mat(5, 3, arma::fill::ones)), bp::ShapeError);
  EXPECT_THROW(bp::forward(p, arma::mat(2, 5, arma::fill::ones)), bp::ShapeError);
}
// [forward-test]

}  // namespace
