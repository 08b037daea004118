// Chapter 05 tests: finite differences, the relative error, and the data of the error-vs-h figure.
//
// Exercise 5.1 -> suites FD_CentralDifference and FD_ErrorTable (the figure's data, computed
// through central_difference), 5.2 -> FD_RelativeError, 5.3 -> FD_NumericalGradient
// (chapters/exercises.txt holds the map). The first call of every test is a call of the
// function under test, so that an unfinished exercise fails each test with its own
// ExerciseNotDone.
//
// The exact derivatives compared with are worked out by hand in the comments (polynomials,
// exp, tanh, a softmax); no test uses the trusted checker of tests/support to check the
// learner's checker: it would be the same formula on both sides. A failure names the call (the
// function, x and h, or the matrix X) and both values.
#include <gtest/gtest.h>

#include <armadillo>
#include <cmath>
#include <limits>
#include <vector>

#include "05_finite_differences/finite_differences.hpp"
#include "common/data.hpp"
#include "common/random.hpp"
#include "support/assertions.hpp"
#include "support/gradcheck.hpp"

namespace {

using bp::test::EntriesNear;
using bp::test::HasShape;
using bp::test::show;

constexpr double kEpsilon = std::numeric_limits<double>::epsilon();  // 2^−52 ≈ 2.2e−16

// Least-squares slope of log10(column c) against log10(h) over the rows with lo ≤ h ≤ hi.
double log_log_slope(const arma::mat& table, arma::uword c, double lo, double hi) {
  const arma::uvec rows =
      arma::find(table.col(0) >= lo * (1 - 1e-9) && table.col(0) <= hi * (1 + 1e-9));
  const arma::vec x = arma::log10(table(rows, arma::uvec{0}));
  const arma::vec y = arma::log10(table(rows, arma::uvec{c}));
  const arma::vec dx = x - arma::mean(x);
  return arma::dot(dx, y - arma::mean(y)) / arma::dot(dx, dx);
}

// ---------------------------------------------------------------------------------------------
// Exercise 5.1: the central difference (f(x+h) − f(x−h)) / 2h.

// [central-test]
TEST(FD_CentralDifference, IsExactForAQuadratic) {
  // f(x) = 3x² − 2x + 1: f(x ± h) = f(x) ± h f'(x) + 3h², and the 3h² cancel in the difference:
  // the central difference is f'(x) = 6x − 2 for every h, not approximately. At x = 0.75 and
  // h = 2^−k every intermediate is a short binary fraction, so double gets it exactly: 2.5.
  // (A forward difference gives 6x − 2 + 3h.)
  const auto f = [](double x) { return 3.0 * x * x - 2.0 * x + 1.0; };
  for (const double h : {1.0, 0.5, 0.25, 0.125, 1.0 / 1024.0})
    EXPECT_EQ(bp::central_difference(f, 0.75, h), 2.5)
        << "central_difference(f(x) = 3x² − 2x + 1, x = 0.75, h = " << h
        << "): f'(0.75) = 2.5 exactly, for every h";
  // At x = 0.3 with decimal steps x ± h and f are rounded: still exact up to a few ulps of
  // f / h, below 1e-12 for h ≥ 1e-3.
  for (const double h : {0.1, 0.01, 0.001})
    EXPECT_NEAR(bp::central_difference(f, 0.3, h), 6.0 * 0.3 - 2.0, 1e-12)
        << "central_difference(f(x) = 3x² − 2x + 1, x = 0.3, h = " << h << "): f'(0.3) = -0.2";
}

TEST(FD_CentralDifference, ErrorFallsAsHSquared) {
  // exp at x = 0.5: the error is h² f'''/6 + h⁴ f⁽⁵⁾/120 + … with every derivative e^0.5.
  // Halving h divides it by 4 (1 + 3h²/80): by 4.0004 at h = 0.1, by 4.000004 at h = 0.01.
  // Truncation dominates here: at h = 1e-3 it is 2.7e-7, rounding about ε e^0.5 / h = 4e-13,
  // so the ratio is 4 to within 1e-5 over this whole range; 0.01 allows for the h² term.
  const double x = 0.5;
  const double exact = std::exp(x);
  const auto f = [](double v) { return std::exp(v); };
  for (const double h : {0.1, 0.01, 0.001}) {
    const double error = bp::central_difference(f, x, h) - exact;
    const double half = bp::central_difference(f, x, h / 2) - exact;
    EXPECT_NEAR(error / half, 4.0, 0.01)
        << "central_difference(exp, x = 0.5, h = " << h << ") is off by " << error
        << ", with h/2 by " << half << ": halving h should quarter the error";
    // And the error is the leading Taylor term h² f'''/6, to within 1% (the next term is
    // h²/20 of it, 5e-4 at h = 0.1).
    EXPECT_NEAR(error / (h * h * exact / 6.0), 1.0, 0.01)
        << "central_difference(exp, x = 0.5, h = " << h << ") is off by " << error
        << ", expected about h² e^0.5 / 6 = " << h * h * exact / 6.0;
  }
}

TEST(FD_CentralDifference, CallsFOnlyAtXPlusAndMinusH) {
  // The difference is symmetric about x: f is evaluated at x + h and x − h, never at x itself
  // (that would be a forward or backward difference, whose error is O(h)).
  std::vector<double> calls;
  const auto f = [&](double v) {
    calls.push_back(v);
    return v * v;
  };
  const double d = bp::central_difference(f, 2.0, 0.25);
  ASSERT_EQ(calls.size(), 2u) << "a central difference costs two calls of f";
  EXPECT_TRUE((calls[0] == 2.25 && calls[1] == 1.75) || (calls[0] == 1.75 && calls[1] == 2.25))
      << "called at " << calls[0] << " and " << calls[1] << ", expected 2.25 and 1.75";
  EXPECT_EQ(d, 4.0) << "central_difference(f(x) = x², x = 2, h = 0.25): (2.25² − 1.75²) / 0.5 "
                       "= 4, exact";
}

TEST(FD_CentralDifference, MatchesTanhDerivativeAtTheCoursesStep) {
  // tanh' = 1 − tanh². At h = 1e-5 truncation is h² |tanh'''| / 6 ≈ 1e-11 and rounding about
  // ε |tanh| / h ≈ 1e-11: the error must be far below the course's tolerance 1e-6.
  const auto f = [](double v) { return std::tanh(v); };
  for (const double x : {-2.0, -0.3, 0.0, 0.5, 1.7}) {
    const double exact = 1.0 - std::tanh(x) * std::tanh(x);
    const double d = bp::central_difference(f, x, bp::kCentralStep);
    EXPECT_LT(std::abs(d - exact) / exact, 1e-9)
        << "central_difference(tanh, x = " << x << ", h = 1e-5) = " << d
        << ", expected 1 − tanh²(x) = " << exact;
  }
}
// [central-test]

// ---------------------------------------------------------------------------------------------
// Exercise 5.1, the figure: fd_error_table (given code) computes the figure's data through the
// learner's central_difference. These tests check what the figure claims.

// [error-table-test]
// The table most tests below compute, as a failure names it.
constexpr const char* kTanhTable =
    "fd_error_table(tanh, x = 0.5, exact = 1 − tanh²(0.5), h = 10^-1 … 10^-13, 4 per decade)";

TEST(FD_ErrorTable, CentralFallsWithSlopeTwoForwardWithSlopeOne) {
  // tanh at 0.5, h from 1e-1 to 1e-3 (9 rows): truncation dominates by a factor of at least
  // 1e5 (central error ≥ 1.2e-7 against rounding ≤ 1e-12), so on log-log axes the central
  // error is a line of slope 2 and the forward error one of slope 1. The fit allows 0.05 for
  // the next Taylor term (a relative h² of 0.3% at h = 0.1).
  const auto f = [](double v) { return std::tanh(v); };
  const double exact = 1.0 - std::tanh(0.5) * std::tanh(0.5);
  const arma::mat table = bp::fd_error_table(f, 0.5, exact, bp::log_steps(1, 13, 4));
  SCOPED_TRACE(kTanhTable);
  ASSERT_TRUE(HasShape(table, 49, 3, "the table"));
  EXPECT_NEAR(log_log_slope(table, 1, 1e-3, 1e-1), 2.0, 0.05) << "central: error ∝ h²";
  EXPECT_NEAR(log_log_slope(table, 2, 1e-3, 1e-1), 1.0, 0.05) << "forward: error ∝ h";
}

TEST(FD_ErrorTable, CentralIsBestNearOneEMinusFiveForwardNearOneEMinusEight) {
  // The models: central h²|f'''|/6 + ε|f|/h is least at h = (3ε|f|/|f'''|)^(1/3) = 8e-6,
  // forward h|f''|/2 + ε|f|/h at (2ε|f|/|f''|)^(1/2) = 1.7e-8. Near its minimum the error is
  // rounding noise, so the row where it is smallest wanders: 1.5 decades either side are
  // allowed. What matters for the tests: at 1e-5 the central error is below 1e-9 — a thousand
  // times below the tolerance — while the forward error is above it.
  const auto f = [](double v) { return std::tanh(v); };
  const double exact = 1.0 - std::tanh(0.5) * std::tanh(0.5);
  const arma::vec steps = bp::log_steps(1, 13, 4);
  const arma::mat table = bp::fd_error_table(f, 0.5, exact, steps);
  SCOPED_TRACE(kTanhTable);
  ASSERT_TRUE(HasShape(table, steps.n_elem, 3, "the table"));
  const double best_central = table(table.col(1).index_min(), 0);
  const double best_forward = table(table.col(2).index_min(), 0);
  EXPECT_GE(best_central, std::pow(10.0, -6.5));
  EXPECT_LE(best_central, std::pow(10.0, -3.5));
  EXPECT_GE(best_forward, std::pow(10.0, -9.5));
  EXPECT_LE(best_forward, std::pow(10.0, -6.5));
  EXPECT_LT(table.col(1).min(), 1e-10);
  EXPECT_GT(table.col(2).min(), 1e-9) << "the forward difference cannot get much below √ε";
  const arma::uword k = 16;  // h = 10^−(1 + 16/4) = 1e-5
  ASSERT_EQ(table(k, 0), 1e-5);
  EXPECT_LT(table(k, 1), 1e-9);
  EXPECT_LT(table(k, 1), bp::test::kTolerance / 1000.0);
  EXPECT_GT(table(k, 2), bp::test::kTolerance) << "at 1e-5 the forward difference fails the check";
}

TEST(FD_ErrorTable, RoundingErrorGrowsAsHShrinks) {
  // Below the optimum the error is rounding, of order ε|f|/(h|f'|): about 1e-4 at h = 1e-13.
  // Single rows are noise (a lucky cancellation can hit), so the test looks at the largest error
  // of each decade: from h = 1e-8..1e-7 to 1e-13..1e-12 it must grow by more than 1e3, and
  // stay below 10 ε|f|/(h|f'|) + the truncation term everywhere.
  const double t = std::tanh(0.5);
  const double exact = 1.0 - t * t;
  const auto f = [](double v) { return std::tanh(v); };
  const arma::mat table = bp::fd_error_table(f, 0.5, exact, bp::log_steps(1, 13, 4));
  SCOPED_TRACE(kTanhTable);
  ASSERT_TRUE(HasShape(table, 49, 3, "the table"));
  const arma::uvec mid = arma::find(table.col(0) <= 1.01e-7 && table.col(0) >= 0.99e-8);
  const arma::uvec tiny = arma::find(table.col(0) <= 1.01e-12);
  ASSERT_EQ(mid.n_elem, 5u);
  ASSERT_EQ(tiny.n_elem, 5u);
  const arma::vec central = table.col(1);
  EXPECT_GT(central(tiny).max(), 1e3 * central(mid).max());
  EXPECT_GT(central(tiny).max(), 1e-5);
  const double d3 = std::abs(exact * (6.0 * t * t - 2.0));
  for (arma::uword r = 0; r < table.n_rows; ++r) {
    const double h = table(r, 0);
    EXPECT_LT(central(r), (10.0 * kEpsilon * t / h + h * h * d3 / 6.0 * 1.01) / exact)
        << "h = " << h;
  }
}

TEST(FD_ErrorTable, TheCoursesStepSuitsTheNetworksGradient) {
  // The second half of the figure: L as a function of b2[0] for the post's network (H = 500,
  // N = 200), built here with plain Armadillo. Its exact derivative is mean(P(:,0) − Y(:,0))
  // (chapter 07). Truncation gives slope 2 down to h ≈ 3e-4; below, the error is rounding
  // noise of 1e-11..1e-9 (relative), smallest somewhere between 1e-4 and 1e-6. At h = 1e-5 the
  // central difference must be at least a hundred times inside the tolerance.
  const arma::uword H = 500;
  bp::Rng rng(1);
  const arma::mat W1 = bp::normal_matrix(2, H, 1.0 / std::sqrt(2.0), rng);
  const arma::mat W2 = bp::normal_matrix(H, 2, 1.0 / std::sqrt(500.0), rng);
  bp::Rng data_rng(2);
  arma::mat X, Y;
  bp::toy_batch(200, data_rng, X, Y);
  const arma::mat A1 = arma::tanh(X * W1);   // b1 = 0
  const arma::mat logits = A1 * W2;          // b2 = 0
  const auto loss_of_b2_0 = [&](double b) {  // log-sum-exp, shifted by the row maximum
    arma::mat Z2 = logits;
    Z2.col(0) += b;
    const arma::mat S = Z2.each_col() - arma::max(Z2, 1);
    const arma::mat log_P = S.each_col() - arma::log(arma::sum(arma::exp(S), 1));
    return -arma::accu(Y % log_P) / static_cast<double>(Z2.n_rows);
  };
  arma::mat P = arma::exp(logits.each_col() - arma::max(logits, 1));
  P.each_col() /= arma::sum(P, 1);
  const double exact = arma::mean(P.col(0) - Y.col(0));
  const arma::mat table = bp::fd_error_table(loss_of_b2_0, 0.0, exact, bp::log_steps(2, 8, 4));
  SCOPED_TRACE("fd_error_table(the loss of the post's network as a function of b2[0], H = 500, "
               "N = 200, seeds 1 and 2, at b2[0] = 0, h = 10^-2 … 10^-8, 4 per decade)");
  ASSERT_TRUE(HasShape(table, 25, 3, "the table"));
  const arma::uword k = 12;  // h = 10^−(2 + 12/4) = 1e-5
  ASSERT_EQ(table(k, 0), 1e-5);
  EXPECT_LT(table(k, 1), bp::test::kTolerance / 100.0);
  const double best = table(table.col(1).index_min(), 0);
  EXPECT_GE(best, std::pow(10.0, -6.5));
  EXPECT_LE(best, std::pow(10.0, -3.5));
  EXPECT_NEAR(log_log_slope(table, 1, 1e-3, 1e-2), 2.0, 0.05) << "truncation: error ∝ h²";
}
// [error-table-test]

// ---------------------------------------------------------------------------------------------
// Exercise 5.2: the relative error |a − b| / max(floor, |a| + |b|).

// [relative-error-test]
// What every relative-error test names on a failure: the definition its numbers follow.
constexpr const char* kRelativeErrorIs =
    "relative_error(a, b, floor = 1e-4) = |a − b| / max(floor, |a| + |b|)";

TEST(FD_RelativeError, IsZeroForEqualNumbers) {
  SCOPED_TRACE(kRelativeErrorIs);
  EXPECT_EQ(bp::relative_error(3.0, 3.0), 0.0);
  EXPECT_EQ(bp::relative_error(-2.5, -2.5), 0.0);
  EXPECT_EQ(bp::relative_error(0.0, 0.0), 0.0) << "two zeros: 0 / floor, not 0 / 0 = NaN";
  EXPECT_EQ(bp::relative_error(1e-20, 1e-20), 0.0);
}

TEST(FD_RelativeError, IsSymmetric) {
  SCOPED_TRACE(kRelativeErrorIs);
  // Neither number is "the true one": the numerical and the analytic derivative are treated alike.
  const std::vector<std::pair<double, double>> pairs = {
      {1.0, 3.0}, {-2.0, 5.0}, {0.0, 0.7}, {1e-9, -3e-9}, {123.0, 123.5}};
  for (const auto& [a, b] : pairs)
    EXPECT_EQ(bp::relative_error(a, b), bp::relative_error(b, a)) << a << " and " << b;
}

TEST(FD_RelativeError, DividesByTheSumOfMagnitudes) {
  SCOPED_TRACE(kRelativeErrorIs);
  EXPECT_EQ(bp::relative_error(1.0, 3.0), 0.5);   // 2 / 4, not 2 / 1 or 2 / 3
  EXPECT_EQ(bp::relative_error(2.0, -2.0), 1.0);  // opposite signs: the largest value, 1
  EXPECT_EQ(bp::relative_error(0.0, 5.0), 1.0);   // one of them zero: 1, not infinity
  EXPECT_DOUBLE_EQ(bp::relative_error(1.0, 1.25), 0.25 / 2.25);
  // It is scale-free above the floor: the same digits at 1e3 and at 1e-3 give the same value.
  EXPECT_NEAR(bp::relative_error(1e3, 1.001e3), bp::relative_error(1e-3, 1.001e-3), 1e-15);
}

TEST(FD_RelativeError, FloorTurnsTinyNumbersIntoAnAbsoluteComparison) {
  SCOPED_TRACE(kRelativeErrorIs);
  // Below the floor the denominator is the floor: |a − b| / floor.
  EXPECT_NEAR(bp::relative_error(0.0, 1e-9, 1e-8), 0.1, 1e-15);
  EXPECT_NEAR(bp::relative_error(0.0, 1e-9, 0.0), 1.0, 1e-15) << "no floor: 1e-9 vs 0 is 100% off";
  // Above the floor the floor does not matter.
  EXPECT_EQ(bp::relative_error(1.0, 3.0, 1e-4), bp::relative_error(1.0, 3.0, 1e-12));
  // The default floor is bp::kRelativeFloor = 1e-4: an exact zero and the 1e-11 of rounding
  // noise a central difference leaves in its place differ by 1e-7, inside the tolerance 1e-6;
  // without the floor they would be 100% apart.
  EXPECT_NEAR(bp::relative_error(0.0, 1e-11), 1e-11 / bp::kRelativeFloor, 1e-22);
  EXPECT_LT(bp::relative_error(0.0, 1e-11), bp::kGradientTolerance);
  // A real disagreement between small gradient entries is still caught: 2e-5 against 1e-5.
  EXPECT_GT(bp::relative_error(2e-5, 1e-5), bp::kGradientTolerance);
}
// [relative-error-test]

// ---------------------------------------------------------------------------------------------
// Exercise 5.3: the numerical gradient of a scalar function of a matrix.

// [gradient-test]
TEST(FD_NumericalGradient, HasTheShapeOfX) {
  // dX has X's shape; a 3×4 X catches a transposed result, a 1×5 X a column where a row is due.
  const auto sum_of_squares = [](const arma::mat& M) { return arma::accu(M % M); };
  const arma::mat G = bp::numerical_gradient(sum_of_squares, arma::mat(3, 4, arma::fill::ones));
  ASSERT_TRUE(HasShape(G, 3, 4, "numerical_gradient(Σ M², X = 3×4 of ones)"));
  const arma::mat g = bp::numerical_gradient(sum_of_squares, arma::mat(1, 5, arma::fill::ones));
  ASSERT_TRUE(HasShape(g, 1, 5, "numerical_gradient(Σ M², X = 1×5 of ones)"));
}

TEST(FD_NumericalGradient, SumOfCubesGivesThreeXSquaredPlusHSquared) {
  // f(X) = Σ X_ij³: ((x+h)³ − (x−h)³) / 2h = 3x² + h² exactly, so the numerical gradient is
  // 3X² plus the truncation error h², 1e-6 at h = 1e-3. Rounding: about ε |f| / h ≈ 1e-12.
  // A forward difference would give 3X² + 3Xh + h², off by up to 1e-2.
  bp::Rng rng(5);
  const arma::mat X = bp::normal_matrix(3, 4, 1.0, rng);
  const auto f = [](const arma::mat& M) { return arma::accu(M % M % M); };
  const double h = 1e-3;
  const arma::mat G = bp::numerical_gradient(f, X, h);
  SCOPED_TRACE("numerical_gradient(f(M) = Σ M³, X = " + show(X) + ", h = 1e-3): expected 3X² + h²");
  ASSERT_TRUE(HasShape(G, 3, 4, "the gradient"));
  EXPECT_TRUE(EntriesNear(G, 3.0 * X % X + h * h, 1e-10, "the gradient"));
}

TEST(FD_NumericalGradient, BilinearFormGivesTheOuterProduct) {
  // f(X) = uᵀ X v = Σ_ij u_i X_ij v_j, so ∂f/∂X_ij = u_i v_j: the outer product u vᵀ, 3×4.
  // f is linear in each entry, so the central difference is exact up to rounding (≈ 1e-11 at
  // the default step). Each entry sits at its own place: a transposed or shuffled result fails.
  bp::Rng rng(6);
  const arma::vec u = bp::normal_matrix(3, 1, 1.0, rng);
  const arma::vec v = bp::normal_matrix(4, 1, 1.0, rng);
  const arma::mat X = bp::normal_matrix(3, 4, 1.0, rng);
  const auto f = [&](const arma::mat& M) { return arma::as_scalar(u.t() * M * v); };
  const arma::mat G = bp::numerical_gradient(f, X);
  SCOPED_TRACE("numerical_gradient(f(M) = uᵀ M v, X = " + show(X) + ") with u = " + show(u) +
               ", v = " + show(v) + ": expected u vᵀ = " + show(u * v.t()));
  ASSERT_TRUE(HasShape(G, 3, 4, "the gradient"));
  EXPECT_LT(bp::test::max_relative_error(G, u * v.t()), bp::test::kTolerance)
      << "the gradient is " << show(G);
}

TEST(FD_NumericalGradient, NudgesOneEntryAtATimeAndPutsItBack) {
  // Every call of f must see X with exactly one entry moved, by +h or −h: a nudge that is not
  // undone leaks into every later entry. Each entry is nudged once each way: 2·R·C calls.
  const arma::mat X = {{1.0, -2.0, 0.5}, {3.0, 0.25, -1.5}};
  const double h = 0.125;  // a power of 2: X ± h is exact, so the comparisons below can be exact
  SCOPED_TRACE("numerical_gradient(f(M) = Σ M², X = " + show(X) + ", h = 0.125)");
  arma::umat up(arma::size(X), arma::fill::zeros);
  arma::umat down(arma::size(X), arma::fill::zeros);
  int calls = 0;
  const auto f = [&](const arma::mat& M) {
    ++calls;
    EXPECT_TRUE(HasShape(M, X.n_rows, X.n_cols, "the matrix f was called with"));
    if (M.n_rows != X.n_rows || M.n_cols != X.n_cols) return 0.0;
    const arma::uvec moved = arma::find(M != X);
    EXPECT_EQ(moved.n_elem, 1u) << "f was called with " << moved.n_elem
                                << " entries moved; exactly one must differ from X";
    if (moved.n_elem == 1) {
      const arma::uword i = moved(0);
      if (M(i) == X(i) + h)
        ++up(i);
      else if (M(i) == X(i) - h)
        ++down(i);
      else
        ADD_FAILURE() << "entry " << i << " moved by " << M(i) - X(i) << ", not ±" << h;
    }
    return arma::accu(M % M);
  };
  const arma::mat G = bp::numerical_gradient(f, X, h);
  EXPECT_EQ(calls, 2 * static_cast<int>(X.n_elem)) << "f is called twice per entry";
  EXPECT_TRUE(arma::all(arma::vectorise(up) == 1)) << "times each entry was nudged up:\n" << up;
  EXPECT_TRUE(arma::all(arma::vectorise(down) == 1)) << "times each entry was nudged down:\n"
                                                     << down;
  EXPECT_TRUE(EntriesNear(G, 2.0 * X, 1e-12, "the gradient, 2X,"));  // exact for a quadratic
}

TEST(FD_NumericalGradient, SoftmaxIsTheGradientOfLogSumExp) {
  // f(X) = ln Σ_ij e^{X_ij}: ∂f/∂X_ij = e^{X_ij} / Σ e^{X_kl}, the softmax over all entries.
  // A smooth function of order one at the default step: relative error about 1e-10.
  bp::Rng rng(7);
  const arma::mat X = bp::normal_matrix(2, 3, 1.0, rng);
  const auto f = [](const arma::mat& M) { return std::log(arma::accu(arma::exp(M))); };
  const arma::mat G = bp::numerical_gradient(f, X);
  const arma::mat expected = arma::exp(X) / arma::accu(arma::exp(X));
  SCOPED_TRACE("numerical_gradient(f(M) = ln Σ e^M, X = " + show(X) +
               "): expected e^X / Σ e^X = " + show(expected));
  ASSERT_TRUE(HasShape(G, 2, 3, "the gradient"));
  EXPECT_LT(bp::test::max_relative_error(G, expected), bp::test::kTolerance)
      << "the gradient is " << show(G);
}
// [gradient-test]

}  // namespace
