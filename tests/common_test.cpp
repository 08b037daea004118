// Tests of the given code in chapters/common/ (not exercises): labels, random matrices, the
// exercise marker and shape messages.
#include <gtest/gtest.h>

#include <armadillo>
#include <string>

#include "common/data.hpp"
#include "common/exercise.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"

namespace {

TEST(Common_OneHot, PutsOneOneInEachRow) {
  const arma::mat Y = bp::one_hot(arma::uvec{0, 1, 1, 0}, 2);
  ASSERT_EQ(Y.n_rows, 4u);
  ASSERT_EQ(Y.n_cols, 2u);
  const arma::mat expected = {{1, 0}, {0, 1}, {0, 1}, {1, 0}};
  EXPECT_TRUE(arma::approx_equal(Y, expected, "absdiff", 0.0));
}

TEST(Common_OneHot, RejectsALabelThatIsNotAClass) {
  EXPECT_THROW(bp::one_hot(arma::uvec{0, 2}, 2), std::invalid_argument);
}

TEST(Common_Random, SameSeedSameNumbersOtherSeedOtherNumbers) {
  bp::Rng a(7), b(7), c(8);
  const arma::mat A = bp::normal_matrix(3, 4, 1.0, a);
  const arma::mat B = bp::normal_matrix(3, 4, 1.0, b);
  const arma::mat C = bp::normal_matrix(3, 4, 1.0, c);
  EXPECT_TRUE(arma::approx_equal(A, B, "absdiff", 0.0));
  EXPECT_FALSE(arma::approx_equal(A, C, "absdiff", 0.0));
}

TEST(Common_Random, StandardDeviationIsTheOneAskedFor) {
  // 10^5 draws: the sample standard deviation of N(0, 0.3²) is within 0.3·5/sqrt(2·10^5)
  // ≈ 0.0034 of 0.3 with overwhelming probability (5 standard errors); the seed is fixed.
  bp::Rng rng(1);
  const arma::mat M = bp::normal_matrix(1000, 100, 0.3, rng);
  EXPECT_NEAR(arma::stddev(arma::vectorise(M)), 0.3, 0.0034);
  EXPECT_NEAR(arma::mean(arma::vectorise(M)), 0.0, 5 * 0.3 / std::sqrt(1e5));
}

TEST(Common_ToyBatch, LabelsFollowTheRule) {
  bp::Rng rng(3);
  arma::mat X, Y;
  bp::toy_batch(50, rng, X, Y);
  ASSERT_EQ(X.n_rows, 50u);
  ASSERT_EQ(Y.n_cols, 2u);
  for (arma::uword n = 0; n < 50; ++n) EXPECT_EQ(Y(n, 1), X(n, 1) > X(n, 0) ? 1.0 : 0.0);
}

TEST(Common_ExerciseNotDone, NamesIdFileLineAndPage) {
  try {
    BP_EXERCISE("9.9");
  } catch (const bp::ExerciseNotDone& e) {
    EXPECT_EQ(e.id(), "9.9");
    EXPECT_EQ(e.file(), "tests/common_test.cpp");  // relative: no path of the build machine
    EXPECT_EQ(e.page(), "tests/README.md");
    EXPECT_NE(std::string(e.what()).find("tests/common_test.cpp:" + std::to_string(e.line())),
              std::string::npos);
  }
}

TEST(Common_ShapeOf, WritesRowsTimesColumns) {
  EXPECT_EQ(bp::shape_of(arma::mat(3, 2)), "3×2");
  EXPECT_EQ(bp::shape_of(arma::rowvec(5)), "1×5");
}

}  // namespace
