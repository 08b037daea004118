// Chapter 01 tests: the affine map of equations (1) and (3).
//
// Exercise 1.1 -> suite Shapes_CheckAffine, exercise 1.2 -> suite Eq1_AffineMap
// (chapters/exercises.txt holds the map). Each test checks shapes first, then values.
#include <gtest/gtest.h>

#include <armadillo>
#include <string>

#include "01_shapes/shapes.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"

namespace {

// [shapes-test]
TEST(Shapes_CheckAffine, AcceptsShapesThatFit) {
  // The post's shapes: x 1×2, W1 2×500, b1 1×500; and a batch of 7 samples.
  EXPECT_NO_THROW(bp::check_affine_shapes(arma::mat(1, 2), arma::mat(2, 500), arma::mat(1, 500)));
  EXPECT_NO_THROW(bp::check_affine_shapes(arma::mat(7, 2), arma::mat(2, 500), arma::mat(1, 500)));
}

TEST(Shapes_CheckAffine, ProductUndefinedNamesBothShapes) {
  // W given transposed (500×2): X W is not defined.
  try {
    bp::check_affine_shapes(arma::mat(3, 2), arma::mat(500, 2), arma::mat(1, 2));
    FAIL() << "X 3×2 times W 500×2 is not defined, but no ShapeError was thrown";
  } catch (const bp::ShapeError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("3×2"), std::string::npos)
        << "message should name X's shape: " << message;
    EXPECT_NE(message.find("500×2"), std::string::npos)
        << "message should name W's shape: " << message;
  }
}

TEST(Shapes_CheckAffine, BiasOfWrongLengthNamesItsShape) {
  try {
    bp::check_affine_shapes(arma::mat(3, 2), arma::mat(2, 5), arma::mat(1, 4));
    FAIL() << "b 1×4 cannot be added to the 3×5 product, but no ShapeError was thrown";
  } catch (const bp::ShapeError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("1×4"), std::string::npos)
        << "message should name b's shape: " << message;
  }
}

TEST(Shapes_CheckAffine, BiasWithSeveralRowsIsRejected) {
  try {
    bp::check_affine_shapes(arma::mat(3, 2), arma::mat(2, 5), arma::mat(3, 5));
    FAIL() << "b must be one row (1×5); a 3×5 b was accepted";
  } catch (const bp::ShapeError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("3×5"), std::string::npos)
        << "message should name b's shape: " << message;
  }
}
// [shapes-test]

// [affine-test]
TEST(Eq1_AffineMap, ShapeIsRowsOfXByColumnsOfW) {
  bp::Rng rng(1);
  const arma::mat X = bp::normal_matrix(7, 2, 1.0, rng);
  const arma::mat W = bp::normal_matrix(2, 500, 1.0, rng);
  const arma::mat b = bp::normal_matrix(1, 500, 1.0, rng);
  const arma::mat Z = bp::affine(X, W, b);
  SCOPED_TRACE("affine(X 7×2, W 2×500, b 1×500) must be 7×500, got " + bp::shape_of(Z));
  ASSERT_EQ(Z.n_rows, 7u);
  ASSERT_EQ(Z.n_cols, 500u);
}

TEST(Eq1_AffineMap, MatchesTheSumWrittenOutByHand) {
  // Z_nk = sum_d X_nd W_dk + b_k, on numbers small enough to check on paper:
  // row 1: [1 2] [1 0 2; 0 1 -1] + [10 20 30] = [11 22 30].
  const arma::mat X = {{1.0, 2.0}, {-1.0, 0.5}};
  const arma::mat W = {{1.0, 0.0, 2.0}, {0.0, 1.0, -1.0}};
  const arma::mat b = {{10.0, 20.0, 30.0}};
  const arma::mat expected = {{11.0, 22.0, 30.0}, {9.0, 20.5, 27.5}};
  const arma::mat Z = bp::affine(X, W, b);
  SCOPED_TRACE("affine(X = [1 2; -1 0.5], W = [1 0 2; 0 1 -1], b = [10 20 30])");
  ASSERT_EQ(Z.n_rows, 2u) << "expected 2×3, got " << bp::shape_of(Z);
  ASSERT_EQ(Z.n_cols, 3u) << "expected 2×3, got " << bp::shape_of(Z);
  EXPECT_TRUE(arma::approx_equal(Z, expected, "absdiff", 1e-12)) << "got\n"
                                                                 << Z << "expected\n"
                                                                 << expected;
}

TEST(Eq1_AffineMap, EqualsTheOuterProductForm) {
  // The post writes z = x W + b; for a batch the bias term is the outer product 1 b.
  bp::Rng rng(2);
  const arma::mat X = bp::normal_matrix(5, 2, 1.0, rng);
  const arma::mat W = bp::normal_matrix(2, 8, 1.0, rng);
  const arma::mat b = bp::normal_matrix(1, 8, 1.0, rng);
  const arma::mat Z = bp::affine(X, W, b);
  const arma::mat expected = X * W + arma::ones(5, 1) * b;
  SCOPED_TRACE("affine(X 5×2, W 2×8, b 1×8), entries N(0, 1) of seed 2, against X W + 1 b");
  ASSERT_EQ(Z.n_rows, expected.n_rows) << "got " << bp::shape_of(Z);
  ASSERT_EQ(Z.n_cols, expected.n_cols) << "got " << bp::shape_of(Z);
  // Both sides round the same sums in a possibly different order: agree to a few ulps.
  EXPECT_TRUE(arma::approx_equal(Z, expected, "reldiff", 1e-13))
      << "largest difference " << arma::abs(Z - expected).max() << "; got\n"
      << Z << "expected\n"
      << expected;
}

TEST(Eq1_AffineMap, EachRowIsTheSingleSampleMap) {
  // A batch is N independent copies of the post's equation (1): row n of Z is x_n W + b.
  bp::Rng rng(3);
  const arma::mat X = bp::normal_matrix(4, 2, 1.0, rng);
  const arma::mat W = bp::normal_matrix(2, 6, 1.0, rng);
  const arma::mat b = bp::normal_matrix(1, 6, 1.0, rng);
  const arma::mat Z = bp::affine(X, W, b);
  SCOPED_TRACE("affine(X 4×2, W 2×6, b 1×6), entries N(0, 1) of seed 3, row by row");
  ASSERT_EQ(Z.n_rows, 4u) << "got " << bp::shape_of(Z);
  for (arma::uword n = 0; n < X.n_rows; ++n) {
    const arma::mat single = bp::affine(X.row(n), W, b);
    ASSERT_EQ(single.n_rows, 1u) << "affine(row " << n << " of X) is " << bp::shape_of(single);
    EXPECT_TRUE(arma::approx_equal(single, Z.row(n), "reldiff", 1e-13))
        << "row " << n << ": alone " << single << "in the batch " << Z.row(n);
  }
}

TEST(Eq1_AffineMap, RejectsShapesThatDoNotFit) {
  // A valid call first, so that an unfinished exercise fails here with its own message.
  ASSERT_NO_THROW(bp::affine(arma::mat(3, 2, arma::fill::ones), arma::mat(2, 4, arma::fill::ones),
                             arma::mat(1, 4, arma::fill::ones)));
  EXPECT_THROW(bp::affine(arma::mat(3, 2), arma::mat(4, 2), arma::mat(1, 2)), bp::ShapeError)
      << "affine(X 3×2, W 4×2, b 1×2): X's 2 columns do not meet W's 4 rows";
}
// [affine-test]

}  // namespace
