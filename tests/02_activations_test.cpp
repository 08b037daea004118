// Chapter 02 tests: tanh (eq. 2), softmax (eq. 4) and the sigmoid.
//
// Exercise 2.1 -> suite Eq2_Tanh, exercise 2.2 -> suite Eq4_Softmax, exercise 2.3 -> suite
// Eq5_Sigmoid (chapters/exercises.txt holds the map). Each test checks shapes first, then
// values. References are computed here, with plain Armadillo and <cmath>, never with the
// learner's functions. A failure names the call (tanh_activation(Z1 = …)), the entry that is
// off and both values.
#include <gtest/gtest.h>

#include <armadillo>
#include <cmath>
#include <string>

#include "02_activations/activations.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"
#include "support/assertions.hpp"

namespace {

using bp::test::EntriesNear;
using bp::test::EntriesNearRelative;
using bp::test::HasShape;
using bp::test::show;
using bp::test::show_call;

// [tanh-test]
TEST(Eq2_Tanh, KeepsTheShapeAndMatchesStdTanh) {
  bp::Rng rng(1);
  const arma::mat Z1 = bp::normal_matrix(7, 500, 2.0, rng);
  const arma::mat A1 = bp::tanh_activation(Z1);
  SCOPED_TRACE("tanh_activation(Z1 = " + show(Z1) + ", N(0, 4) of seed 1)");
  ASSERT_TRUE(HasShape(A1, 7, 500, "A1"));
  arma::mat expected = Z1;
  expected.transform([](double z) { return std::tanh(z); });
  // Values lie in (−1, 1), so a few units in the last place are a few times 1.1e-16; 1e-15
  // lets any correct formula through and nothing else (a wrong one is off by 1e-3 or more).
  EXPECT_TRUE(EntriesNear(A1, expected, 1e-15, "A1 against std::tanh"));
}

TEST(Eq2_Tanh, IsOddAndBoundedEvenForHugeInputs) {
  // ±1000 and ±30 saturate to exactly ±1 in double; (e^2z − 1)/(e^2z + 1) would give inf/inf.
  const arma::mat Z1 = {{-1000.0, -30.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 30.0, 1000.0}};
  const arma::mat A1 = bp::tanh_activation(Z1);
  const arma::mat A1_of_minus = bp::tanh_activation(-Z1);
  SCOPED_TRACE(show_call("tanh_activation", {{"Z1", Z1}}) + " gave A1 = " + show(A1));
  ASSERT_TRUE(HasShape(A1, 1, 9, "A1"));
  ASSERT_TRUE(HasShape(A1_of_minus, 1, 9, "tanh_activation(−Z1)"));
  EXPECT_TRUE(A1.is_finite()) << "(e^2z − 1)/(e^2z + 1) is inf/inf at z = 1000";
  EXPECT_LE(arma::abs(A1).max(), 1.0) << "|tanh| ≤ 1";
  EXPECT_EQ(A1(0, 0), -1.0) << "tanh(-1000)";
  EXPECT_EQ(A1(0, 8), 1.0) << "tanh(1000)";
  EXPECT_EQ(A1(0, 4), 0.0) << "tanh(0)";
  // tanh(z) = z − z³/3 + ...: at 1e-8 the correction, 3e-25, is below the spacing of doubles.
  EXPECT_NEAR(A1(0, 5), 1e-8, 1e-22) << "tanh(1e-8)";
  // tanh(−z) = −tanh(z): an odd function, exactly so in the C library.
  EXPECT_TRUE(EntriesNear(A1_of_minus, -A1, 1e-15, "tanh_activation(−Z1) against −A1"));
}
// [tanh-test]

// [softmax-test]
TEST(Eq4_Softmax, KnownValueOfTwoLogits) {
  // z = (1.7, 3.6): p0 = 1/(1 + e^1.9) = 0.130108..., p1 = 1/(1 + e^−1.9) = 0.869892...
  const arma::mat Z = {{1.7, 3.6}};
  const arma::mat P = bp::softmax(Z);
  SCOPED_TRACE(show_call("softmax", {{"Z", Z}}) + " gave P = " + show(P));
  ASSERT_TRUE(HasShape(P, 1, 2, "P"));
  // The six printed digits are rounded, so they are within 5e-7 of the truth.
  EXPECT_NEAR(P(0, 0), 0.130108, 5e-7);
  EXPECT_NEAR(P(0, 1), 0.869892, 5e-7);
  // And to a few ulps of the closed form computed with <cmath>.
  EXPECT_NEAR(P(0, 0), 1.0 / (1.0 + std::exp(1.9)), 1e-15);
  EXPECT_NEAR(P(0, 1), 1.0 / (1.0 + std::exp(-1.9)), 1e-15);
}

TEST(Eq4_Softmax, MatchesTheDefinitionRowByRow) {
  // P_nk = e^Z_nk / sum_j e^Z_nj, unshifted: safe here, the logits are of order 1. N ≠ K, so
  // normalising columns instead of rows cannot pass by accident.
  bp::Rng rng(2);
  const arma::mat Z = bp::normal_matrix(6, 4, 2.0, rng);
  const arma::mat P = bp::softmax(Z);
  SCOPED_TRACE("softmax(Z = " + show(Z) + ", N(0, 4) of seed 2)");
  ASSERT_TRUE(HasShape(P, 6, 4, "P"));
  arma::mat expected = arma::exp(Z);
  for (arma::uword n = 0; n < Z.n_rows; ++n) expected.row(n) /= arma::accu(expected.row(n));
  // Both sides round e^z (relative error ~1e-16) and one sum of four terms: 1e-14 relative
  // is a margin of about 20 over that.
  EXPECT_TRUE(EntriesNearRelative(P, expected, 1e-14, "P"));
}

TEST(Eq4_Softmax, RowsSumToOne) {
  bp::Rng rng(3);
  const arma::mat Z = bp::normal_matrix(50, 5, 3.0, rng);
  const arma::mat P = bp::softmax(Z);
  SCOPED_TRACE("softmax(Z = " + show(Z) + ", N(0, 9) of seed 3)");
  ASSERT_TRUE(HasShape(P, 50, 5, "P"));
  EXPECT_GE(P.min(), 0.0) << "the smallest probability";
  EXPECT_LE(P.max(), 1.0) << "the largest probability";
  // Five terms ≤ 1, each with a rounding error ≤ 1.1e-16, summed: within 1e-15 of 1.
  EXPECT_TRUE(EntriesNear(arma::sum(P, 1), arma::ones(50, 1), 1e-15, "the row sums of P"));
}

TEST(Eq4_Softmax, ConstantShiftOfARowChangesNothing) {
  // softmax(z + c 1) = softmax(z): e^c cancels between numerator and denominator. Each row
  // gets its own c, so this is about rows, not the whole matrix.
  bp::Rng rng(4);
  const arma::mat Z = bp::normal_matrix(4, 3, 1.0, rng);
  const arma::vec c = {100.0, -50.0, 0.5, -700.0};
  arma::mat shifted = Z;
  shifted.each_col() += c;
  const arma::mat P = bp::softmax(Z);
  const arma::mat P_shifted = bp::softmax(shifted);
  SCOPED_TRACE(show_call("softmax", {{"Z", shifted}}) + ", the rows of " +
               show_call("softmax", {{"Z", Z}}) + " shifted by 100, -50, 0.5 and -700");
  ASSERT_TRUE(HasShape(P_shifted, 4, 3, "softmax of the shifted rows"));
  // z + c is rounded to a multiple of ulp(700) ≈ 1.1e-13; e^z changes by that relative
  // amount, and so does P: 1e-12 absolute leaves a margin of about 10.
  EXPECT_TRUE(EntriesNear(P_shifted, P, 1e-12, "softmax of the shifted rows"));
}

TEST(Eq4_Softmax, ExtremeLogitsGiveFiniteProbabilities) {
  // e^1000 overflows to inf and e^−1000 underflows to 0: unshifted, these rows give inf/inf
  // and 0/0, both NaN. Shifted by each row's own maximum they give the limits. The last two
  // rows have maxima 2000 apart: a shift by the maximum of the whole matrix would still
  // underflow the last row to 0/0.
  const arma::mat Z = {{1000.0, -1000.0},  {-1000.0, 1000.0}, {1000.0, 1000.0},
                       {-1000.0, -1000.0}, {1000.0, 999.0},   {-1000.0, -999.0}};
  const arma::mat P = bp::softmax(Z);
  SCOPED_TRACE(show_call("softmax", {{"Z", Z}}));
  ASSERT_TRUE(HasShape(P, 6, 2, "P"));
  ASSERT_TRUE(P.is_finite()) << "P = " << show(P);
  const double e = std::exp(1.0);
  const arma::mat expected = {{1.0, 0.0},
                              {0.0, 1.0},
                              {0.5, 0.5},
                              {0.5, 0.5},
                              {e / (1.0 + e), 1.0 / (1.0 + e)},
                              {1.0 / (1.0 + e), e / (1.0 + e)}};
  // e^−2000 is 0 in double, so the first rows are the limits exactly; the last two are
  // softmax(0, −1) to a few ulps.
  EXPECT_TRUE(EntriesNear(P, expected, 1e-15, "P"));
}
// [softmax-test]

// [sigmoid-test]
TEST(Eq5_Sigmoid, IsOneHalfAtZeroAndKeepsTheShape) {
  const arma::mat S(3, 4, arma::fill::zeros);
  const arma::mat sig = bp::sigmoid(S);
  SCOPED_TRACE(show_call("sigmoid", {{"S", S}}));
  ASSERT_TRUE(HasShape(sig, 3, 4, "σ(S)"));
  // 1/(1 + e^0) = 1/2 exactly in double.
  EXPECT_TRUE(EntriesNear(sig, arma::mat(3, 4, arma::fill::value(0.5)), 0.0, "σ(S)"));
}

TEST(Eq5_Sigmoid, MatchesTheDefinition) {
  bp::Rng rng(5);
  const arma::mat S = bp::normal_matrix(5, 8, 4.0, rng);
  const arma::mat sig = bp::sigmoid(S);
  SCOPED_TRACE("sigmoid(S = " + show(S) + ", N(0, 16) of seed 5)");
  ASSERT_TRUE(HasShape(sig, 5, 8, "σ(S)"));
  arma::mat expected = S;
  expected.transform([](double s) { return 1.0 / (1.0 + std::exp(-s)); });
  // Either form is an exp, an add and a divide: a few ulps relative, 1e-14 is ample.
  EXPECT_TRUE(EntriesNearRelative(sig, expected, 1e-14, "σ(S)"));
}

TEST(Eq5_Sigmoid, MinusSIsOneMinusSigmaOfS) {
  // σ(−s) = e^−s/(1 + e^−s) = 1 − σ(s).
  bp::Rng rng(6);
  const arma::mat S = bp::normal_matrix(4, 6, 5.0, rng);
  const arma::mat sig = bp::sigmoid(S);
  const arma::mat sig_of_minus = bp::sigmoid(-S);
  SCOPED_TRACE("sigmoid(S) and sigmoid(−S), S = " + show(S) + ", N(0, 25) of seed 6");
  ASSERT_TRUE(HasShape(sig_of_minus, 4, 6, "σ(−S)"));
  // 1 − σ(s) is rounded to a multiple of 2^−53 ≈ 1.1e-16 near 1: a few of those, 1e-15.
  EXPECT_TRUE(EntriesNear(sig_of_minus, 1.0 - sig, 1e-15, "σ(−S) against 1 − σ(S)"));
}

TEST(Eq5_Sigmoid, IsFiniteAndCorrectAtPlusMinus1000) {
  // e^1000 overflows: e^s/(1 + e^s) gives inf/inf = NaN at s = 1000. And 1/(1 + e^−s)
  // gives 0 at s = −720, where σ is e^−720 ≈ 2.0e−313, a (subnormal) double.
  const arma::mat S = {{-1000.0, -720.0, -40.0, 40.0, 1000.0}};
  const arma::mat sig = bp::sigmoid(S);
  SCOPED_TRACE("sigmoid of s = [-1000 -720 -40 40 1000]");
  ASSERT_EQ(sig.n_rows, 1u) << "expected 1×5, got " << bp::shape_of(sig);
  ASSERT_EQ(sig.n_cols, 5u) << "expected 1×5, got " << bp::shape_of(sig);
  ASSERT_FALSE(sig.has_nan()) << "got " << sig;
  ASSERT_TRUE(sig.is_finite()) << "got " << sig;
  EXPECT_EQ(sig(0, 0), 0.0) << "σ(-1000): e^-1000 underflows to 0";
  // σ(s) = e^s/(1 + e^s) = e^s (1 − e^s + ...) for s ≪ 0, the same double as e^s. Subnormals
  // near 1e-313 keep about 35 significant bits (relative spacing ~1e-11): 1e-9 is ample.
  EXPECT_GT(sig(0, 1), 0.0) << "σ(-720): expected e^-720 ≈ 2.0e-313 (a subnormal double), got "
                            << sig(0, 1) << "; 1/(1 + e^720) gives 0";
  EXPECT_NEAR(sig(0, 1) / std::exp(-720.0), 1.0, 1e-9)
      << "σ(-720): expected e^-720 ≈ 2.0e-313, got " << sig(0, 1);
  EXPECT_NEAR(sig(0, 2) / std::exp(-40.0), 1.0, 1e-14)
      << "σ(-40): expected e^-40 ≈ 4.2e-18, got " << sig(0, 2);
  EXPECT_NEAR(sig(0, 3), 1.0, 1e-15) << "σ(40): 1 − 4e-18 rounds to 1, got " << sig(0, 3);
  EXPECT_EQ(sig(0, 4), 1.0) << "σ(1000)";
}

TEST(Eq5_Sigmoid, TwoClassSoftmaxIsSigmoidOfTheLogitDifference) {
  // softmax(z)_1 = e^z1/(e^z0 + e^z1) = 1/(1 + e^−(z1 − z0)) = σ(z1 − z0).
  bp::Rng rng(7);
  arma::mat Z = bp::normal_matrix(20, 2, 3.0, rng);
  Z.row(0) = arma::rowvec{1000.0, -1000.0};
  Z.row(1) = arma::rowvec{-1000.0, 1000.0};
  const arma::vec s = Z.col(1) - Z.col(0);
  const arma::mat sig = bp::sigmoid(s);
  SCOPED_TRACE("sigmoid(s = z1 − z0), Z = " + show(Z) +
               ": N(0, 9) of seed 7, its first rows "
               "set to (1000, -1000) and (-1000, 1000)");
  ASSERT_TRUE(HasShape(sig, 20, 1, "σ(s)"));
  // The left side, computed here for the finite rows: e^z1/(e^z0 + e^z1).
  const arma::vec e0 = arma::exp(Z.col(0).rows(2, 19));
  const arma::vec e1 = arma::exp(Z.col(1).rows(2, 19));
  const arma::vec p1 = e1 / (e0 + e1);
  // z1 − z0 is rounded by ≤ ulp(20) ≈ 3.6e-15 and σ' ≤ 1/4: with the exp roundings the two
  // sides agree to about 1e-15; 1e-14 absolute.
  EXPECT_TRUE(
      EntriesNear(sig.rows(2, 19), p1, 1e-14, "σ(s), rows 2 to 19, against e^z1/(e^z0 + e^z1)"));
  EXPECT_EQ(sig(0, 0), 0.0) << "σ(-2000), z = (1000, -1000): e^-2000 / (1 + e^-2000) is 0";
  EXPECT_EQ(sig(1, 0), 1.0) << "σ(2000), z = (-1000, 1000)";
  // And the same holds for this course's softmax (chapter 02's exercise 2.2 comes first).
  const arma::mat P = bp::softmax(Z);
  ASSERT_TRUE(HasShape(P, 20, 2, "softmax(Z)"));
  EXPECT_TRUE(EntriesNear(P.col(1), sig, 1e-14, "softmax(Z)[:, 1] against σ(s)"));
}
// [sigmoid-test]

}  // namespace
