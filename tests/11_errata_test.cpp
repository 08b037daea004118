// Chapter 11 tests: the post's errata, each proven — every equation as printed against its
// correction, both against a numerical verdict.
//
// One suite per equation of the post, Errata_Eq1to4 … Errata_Eq17, and Errata_Table for the
// chapter's table. Exercise 11.1 (corrected_eq7, the corrected (7) through (5) and (6)) owns the
// suites of the output layer, Errata_Eq5 to Errata_Eq9, Errata_Eq14 and Errata_Eq15; exercise
// 11.2 (corrected_eq16, the corrected (16) in one expression) owns Errata_Eq1to4, Errata_Eq10 to
// Errata_Eq13, Errata_Eq16, Errata_Eq17 and Errata_Table (chapters/exercises.txt holds the map).
// The first call of learner code in every test is the exercise it belongs to: the suites of the
// hidden layer use corrected_eq16 with X = I (which gives dZ1), with X = 1 (db1) or as it is
// (dW1); Errata_Eq1to4 and Errata_Table go through errata_table, which calls both exercises.
//
// What is trusted. Networks, batches, forward passes, losses and the dZ2 the hidden-layer tests
// feed to corrected_eq16 come from tests/support/reference; central differences, Jacobians and
// relative errors from tests/support/gradcheck. The post's printed forms (post_eqN_printed) and
// the table are given code of the chapter; the tests judge them with those trusted tools.
//
// Tolerances. A correct form agrees with its central differences to kTolerance (1e-6) with the
// floor gradient_floor (kFloor = 1e-4, times max(1, |L|)): measured, 1e-7 at worst (entries near
// the floor). A printed form is declared wrong only when it misses by far more: a sign error
// gives a relative error of exactly 1 (two numbers of opposite signs), tested as > 0.999; the
// other printed forms miss by 0.1 or more, tested as > 0.1 (or 1e-3 where the test says why).
// Identities between exact computations: AgreesToRounding (1e-12 of the largest entry).
#include <gtest/gtest.h>

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <functional>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "11_errata/errata.hpp"
#include "11_errata/forms.hpp"
#include "11_errata/table.hpp"
#include "common/shape.hpp"
#include "support/gradcheck.hpp"
#include "support/reference.hpp"

namespace {

using bp::test::AgreesToRounding;
using bp::test::Example;
using bp::test::gradient_floor;
using bp::test::HasShape;
using bp::test::kTolerance;
using bp::test::loss_of_A1;
using bp::test::loss_of_Z1;
using bp::test::loss_of_Z2;
using bp::test::make_example;
using bp::test::MatchesCentralDifferences;
using bp::test::max_relative_error;
using bp::test::Network;
using bp::test::numerical_gradient;
using bp::test::numerical_jacobian;
using bp::test::reference_dZ2;
using bp::test::reference_sigmoid;  // naive: the tests use it on |s| ≤ 8, exact to rounding
using bp::test::ThrowsShapeErrorNaming;

// What the gradient doctor is told about a corrected equation's gradient on e: the N of the mean.
bp::test::Clues errata_clues(const Example& e) {
  bp::test::Clues clues;
  clues.samples = e.X.n_rows;
  return clues;
}

// The networks of two classes (the post's K; the sigmoid form of 11.1 needs it): the small ones,
// the post's with one sample (its own case) and with a batch of four.
std::vector<Network> two_class_networks() {
  std::vector<Network> nets;
  for (const Network& net : bp::test::small_networks())
    if (net.classes == 2) nets.push_back(net);
  nets.push_back(bp::test::posts_network(1));
  nets.push_back(bp::test::posts_network(4));
  return nets;
}

// The message of the std::logic_error that `call` throws, or "" when it throws nothing.
template <typename Call>
std::string logic_error_of(Call call) {
  try {
    call();
  } catch (const std::logic_error& err) {
    return err.what();
  }
  return "";
}

// The equation is a string_view: a reference-returning function given a temporary std::string
// is what g++ 13+ flags as a possible dangling reference (-Wdangling-reference), though the row
// returned lives in the table, not in the argument.
const bp::errata::Erratum& row_of(const std::vector<bp::errata::Erratum>& table,
                                  std::string_view equation) {
  for (const bp::errata::Erratum& row : table)
    if (row.equation == equation) return row;
  throw std::out_of_range("the table has no row " + std::string(equation));
}

// =============================================================================================
// Exercise 11.1: the corrected (7), dZ2 = (σ(s) − y)/N · (−1, +1), derived through (5) and (6).

// [eq5-test]
TEST(Errata_Eq5, PrintedIsMinusTheLossAndCorrectedAgrees) {
  // The post's (5), with σ(z2) read as it reads it under (7), σ(z2) = ŷ, is Σ y ln ŷ: minus the
  // loss. Its value has the opposite sign (relative error exactly 1), its gradient is minus the
  // corrected (7), and a step down that gradient climbs the loss.
  for (const Network& net : two_class_networks()) {
    SCOPED_TRACE("corrected_eq7(Z2, Y) and the post's (5) on the network " + net.name());
    const Example e = make_example(net);
    const arma::mat dZ2 = bp::corrected_eq7(e.cache.Z2, e.Y);
    ASSERT_TRUE(HasShape(dZ2, net.samples, 2, "dZ2"));
    const double printed = bp::post_eq5_printed(e.cache.Z2, e.Y);
    EXPECT_LT(printed, 0.0) << "a log-likelihood is never positive; " << net.name();
    EXPECT_NEAR(printed, -e.loss, 1e-12) << net.name();
    EXPECT_NEAR(bp::test::relative_error(printed, e.loss), 1.0, 1e-12) << net.name();
    EXPECT_NEAR(bp::corrected_eq5(e.cache.Z2, e.Y), e.loss, 1e-12) << net.name();

    const auto printed_of_Z2 = [&e](const arma::mat& Z2) { return bp::post_eq5_printed(Z2, e.Y); };
    EXPECT_TRUE(MatchesCentralDifferences(printed_of_Z2, e.cache.Z2, -dZ2,
                                          "the gradient of the printed (5)"))
        << net.name();
    EXPECT_TRUE(MatchesCentralDifferences(loss_of_Z2(e), e.cache.Z2, dZ2, "dZ2", errata_clues(e)))
        << net.name();
    const arma::mat descended = e.cache.Z2 - 0.5 * (-dZ2);  // a step down the printed gradient
    EXPECT_GT(bp::test::reference_loss_from_logits(descended, e.Y), e.loss) << net.name();
  }
}
// [eq5-test]

TEST(Errata_Eq5, SigmoidOfEachLogitIsNotTheSoftmaxLoss) {
  // Read literally, σ(z2) is a sigmoid of each logit: the loss of two independent sigmoid units,
  // which is not the loss of the softmax of (4), even with the minus sign. The corrected (5)
  // applies σ to the difference z2[1] − z2[0], and that is the softmax probability of class 1.
  SCOPED_TRACE("corrected_eq7(Z2, Y) and the post's (5) read as σ of each logit, on the network " +
               bp::test::posts_network(8).name());
  const Example e = make_example(bp::test::posts_network(8));
  const arma::mat dZ2 = bp::corrected_eq7(e.cache.Z2, e.Y);
  const arma::vec s = e.cache.Z2.col(1) - e.cache.Z2.col(0);
  EXPECT_TRUE(AgreesToRounding(reference_sigmoid(s), e.cache.P.col(1)));

  const double units = bp::post_eq5_sigma_of_each_logit(e.cache.Z2, e.Y);
  EXPECT_GT(bp::test::relative_error(units, e.loss), 0.1) << units << " against " << e.loss;
  const arma::mat S = reference_sigmoid(e.cache.Z2);
  EXPECT_GT(arma::abs(arma::sum(S, 1) - 1.0).max(), 0.01)
      << "σ(z2[0]) + σ(z2[1]) is not 1: not the probabilities of (4)";
  // Its gradient is not the corrected (7). Near z2 = 0 both are close to 1/2 − y, so the two
  // differ by about |z2|/4 (logits of 0.1 here): 1e-3 separates them from a correct 1e-7.
  const auto units_of_Z2 = [&e](const arma::mat& Z2) {
    return bp::post_eq5_sigma_of_each_logit(Z2, e.Y);
  };
  EXPECT_GT(max_relative_error(dZ2, numerical_gradient(units_of_Z2, e.cache.Z2), 1e-4), 1e-3);
  EXPECT_TRUE(MatchesCentralDifferences(loss_of_Z2(e), e.cache.Z2, dZ2, "dZ2", errata_clues(e)));
}

// [eq6-test]
TEST(Errata_Eq6, PrintedDisagreesWithFiniteDifferencesCorrectedAgrees) {
  // In the post, (6) is the step from (5) to (7): ∂ℓ/∂s = (−y/σ + (1−y)/(1−σ)) · σ′(s). With the
  // corrected σ′ = σ(1 − σ) that chain is exactly the exercise's dZ2[:, 1] (the denominators
  // cancel); with the printed ln σ · ln(1 − σ) it is neither (7) nor the central differences.
  SCOPED_TRACE("corrected_eq6 and the post's (6) chained to dZ2 on the network " +
               bp::test::posts_network(8).name() + ", then alone on s from −8 to 8");
  const Example e = make_example(bp::test::posts_network(8));
  const arma::mat dZ2 = bp::corrected_eq7(e.cache.Z2, e.Y);
  const double N = static_cast<double>(e.X.n_rows);
  const arma::vec sigma = reference_sigmoid(e.cache.Z2.col(1) - e.cache.Z2.col(0));
  const arma::vec y = e.Y.col(1);
  const arma::vec outer = (-y / sigma + (1.0 - y) / (1.0 - sigma)) / N;
  EXPECT_TRUE(AgreesToRounding(outer % bp::corrected_eq6(sigma), dZ2.col(1)));
  const arma::mat numerical = numerical_gradient(loss_of_Z2(e), e.cache.Z2);
  EXPECT_GT(max_relative_error(outer % bp::post_eq6_printed(sigma), numerical.col(1),
                               gradient_floor(e.loss)),
            0.1);

  // σ′ itself on s from −8 to 8, against the diagonal Jacobian of σ by central differences.
  const arma::mat s = arma::linspace<arma::vec>(-8.0, 8.0, 33);
  const arma::mat J = numerical_jacobian(reference_sigmoid, s);
  const arma::mat S = reference_sigmoid(s);
  ASSERT_TRUE(HasShape(J, 33, 33, "the Jacobian of σ by central differences"));
  EXPECT_LE(max_relative_error(arma::diagmat(bp::corrected_eq6(S)), J), kTolerance);
  EXPECT_GT(max_relative_error(arma::diagmat(bp::post_eq6_printed(S)), J), 0.3);
  // At s = 0 the printed form gives (ln 2)² = 0.48, σ′ is 1/4.
  EXPECT_NEAR(bp::post_eq6_printed(arma::mat{0.5})(0), std::pow(std::log(2.0), 2.0), 1e-15);
  EXPECT_NEAR(bp::corrected_eq6(arma::mat{0.5})(0), 0.25, 1e-15);
}
// [eq6-test]

TEST(Errata_Eq6, SoftmaxJacobianIsDiagPMinusPTransposeP) {
  // For the softmax of (4), the corrected (6) is its Jacobian diag(p) − pᵀp. Chained with
  // ∂ℓ/∂p = −y/p it gives p − y, one sample's row of N·dZ2; for two classes it is
  // σ′(s) (1 −1; −1 1).
  SCOPED_TRACE("corrected_eq6_softmax(p) for each sample of the network " +
               bp::test::posts_network(3).name());
  const Example e = make_example(bp::test::posts_network(3));
  const arma::mat dZ2 = bp::corrected_eq7(e.cache.Z2, e.Y);
  const double N = static_cast<double>(e.X.n_rows);
  const auto softmax_of = [](const arma::mat& z) { return bp::test::reference_softmax(z); };
  for (arma::uword n = 0; n < e.X.n_rows; ++n) {
    SCOPED_TRACE("sample " + std::to_string(n) + ", p = " + bp::test::show(e.cache.P.row(n)));
    const arma::rowvec p = e.cache.P.row(n);
    const arma::mat J = bp::corrected_eq6_softmax(p);
    ASSERT_TRUE(HasShape(J, 2, 2, "J"));
    EXPECT_LE(max_relative_error(J, numerical_jacobian(softmax_of, e.cache.Z2.row(n))), kTolerance);
    const arma::rowvec y = e.Y.row(n);
    EXPECT_TRUE(AgreesToRounding(arma::mat((-y / p) * J), arma::mat(N * dZ2.row(n))));
    const double sigma_prime = p(1) * (1.0 - p(1));
    EXPECT_TRUE(AgreesToRounding(J, sigma_prime * arma::mat{{1.0, -1.0}, {-1.0, 1.0}}));
  }
}

// [eq7-test]
TEST(Errata_Eq7, PrintedHasTheWrongSignCorrectedAgrees) {
  // dZ2 = (P − Y)/N against central differences of the loss in Z2; the post's y − ŷ has the
  // opposite sign in every entry (relative error 1), at N = 1 as on a batch.
  for (const Network& net : two_class_networks()) {
    SCOPED_TRACE("corrected_eq7(Z2, Y) and the post's (7) on the network " + net.name());
    const Example e = make_example(net);
    const arma::mat dZ2 = bp::corrected_eq7(e.cache.Z2, e.Y);
    ASSERT_TRUE(HasShape(dZ2, net.samples, 2, "dZ2"));
    EXPECT_TRUE(MatchesCentralDifferences(loss_of_Z2(e), e.cache.Z2, dZ2, "dZ2", errata_clues(e)))
        << net.name();
    const double N = static_cast<double>(net.samples);
    EXPECT_TRUE(AgreesToRounding(dZ2, (e.cache.P - e.Y) / N)) << net.name();
    EXPECT_LT(arma::abs(arma::sum(dZ2, 1)).max(), 1e-15) << "every row sums to 0; " << net.name();

    const arma::mat numerical = numerical_gradient(loss_of_Z2(e), e.cache.Z2);
    const arma::mat printed = bp::post_eq7_printed(e.cache.P, e.Y);
    EXPECT_GT(max_relative_error(printed, numerical, gradient_floor(e.loss)), 0.999) << net.name();
  }
}
// [eq7-test]

TEST(Errata_Eq7, PrintedIsTheGradientOfThePrintedLogLikelihood) {
  // y − ŷ is not a slip of the pen: it is the gradient of the printed (5) — (Y − P)/N for the
  // mean over a batch, exactly y − ŷ at N = 1 — so the post's (7) is right for its (5), whose
  // sign is wrong.
  for (const Network& net : two_class_networks()) {
    const Example e = make_example(net);
    const arma::mat dZ2 = bp::corrected_eq7(e.cache.Z2, e.Y);
    const double N = static_cast<double>(net.samples);
    const arma::mat printed = bp::post_eq7_printed(e.cache.P, e.Y);
    const auto printed_of_Z2 = [&e](const arma::mat& Z2) { return bp::post_eq5_printed(Z2, e.Y); };
    EXPECT_TRUE(
        MatchesCentralDifferences(printed_of_Z2, e.cache.Z2, printed / N, "the printed (7) over N"))
        << net.name();
    EXPECT_TRUE(AgreesToRounding(printed / N, -dZ2)) << net.name();
  }
}

TEST(Errata_Eq7, TheSigmoidFormNeedsTwoClassesAndMatchingShapes) {
  const arma::mat Z2 = {{0.5, -1.0}, {2.0, 0.0}, {0.0, 0.25}, {-1.0, 1.0}};
  const arma::mat Y = {{1.0, 0.0}, {0.0, 1.0}, {0.0, 1.0}, {1.0, 0.0}};
  SCOPED_TRACE("corrected_eq7(Z2 = " + bp::test::show(Z2) + ", Y = " + bp::test::show(Y) +
               "), then with 3 rows of Y, with three classes, and with no sample");
  ASSERT_NO_THROW(bp::corrected_eq7(Z2, Y));
  EXPECT_TRUE(ThrowsShapeErrorNaming([&] { bp::corrected_eq7(Z2, arma::mat(Y.rows(0, 2))); }, "4×2",
                                     "3×2"));
  EXPECT_TRUE(ThrowsShapeErrorNaming(
      [&] {
        const arma::mat three(4, 3, arma::fill::zeros);
        bp::corrected_eq7(three, three);
      },
      "4×3", "4×3"));
  EXPECT_THROW(bp::corrected_eq7(arma::mat(0, 2), arma::mat(0, 2)), bp::ShapeError);
}

TEST(Errata_Eq8, RightTheJacobianHasA1InEachBlock) {
  // ∂z2/∂W2 = a1, read as a Jacobian in the row convention: I_K ⊗ a1, a1 in the block of each
  // column of W2. Checked for each sample against central differences of z2 = a1 W2 + b2 in W2;
  // chained with the corrected (7) and summed over the samples it is the corrected (14).
  SCOPED_TRACE("the post's (8) as a Jacobian, on the network " + bp::test::posts_network(4).name());
  const Example e = make_example(bp::test::posts_network(4));
  const arma::mat dZ2 = bp::corrected_eq7(e.cache.Z2, e.Y);
  const arma::uword H = e.params.W2.n_rows;
  const arma::uword K = e.params.W2.n_cols;
  arma::rowvec chained(H * K, arma::fill::zeros);
  for (arma::uword n = 0; n < e.X.n_rows; ++n) {
    const arma::rowvec a1 = e.cache.A1.row(n);
    const auto z2_of_W2 = [&](const arma::mat& W2) { return arma::mat(a1 * W2 + e.params.b2); };
    const arma::mat J = numerical_jacobian(z2_of_W2, e.params.W2);
    const arma::mat printed = bp::post_eq8_printed(a1, K);
    ASSERT_TRUE(
        HasShape(printed, J.n_rows, J.n_cols, "the printed (8) of sample " + std::to_string(n)));
    EXPECT_LE(max_relative_error(printed, J), kTolerance) << "sample " << n;
    chained += dZ2.row(n) * printed;
  }
  const arma::mat dW2 = e.cache.A1.t() * dZ2;
  EXPECT_TRUE(AgreesToRounding(arma::reshape(chained, H, K), dW2));
  EXPECT_TRUE(
      MatchesCentralDifferences(bp::test::loss_of_W2(e), e.params.W2, dW2, "dW2", errata_clues(e)));
}

TEST(Errata_Eq9, RightTheJacobianIsTheIdentity) {
  // ∂z2/∂b2 = 1, read as the K×K identity; b2 is added to every row, so the chain with the
  // corrected (7) sums dZ2 over the rows: the corrected (15).
  SCOPED_TRACE("the post's (9) as a Jacobian, on the network " + bp::test::posts_network(4).name());
  const Example e = make_example(bp::test::posts_network(4));
  const arma::mat dZ2 = bp::corrected_eq7(e.cache.Z2, e.Y);
  const arma::rowvec a1 = e.cache.A1.row(0);
  const auto z2_of_b2 = [&](const arma::mat& b2) { return arma::mat(a1 * e.params.W2 + b2); };
  const arma::mat J = numerical_jacobian(z2_of_b2, e.params.b2);
  const arma::mat printed = bp::post_eq9_printed(2);
  ASSERT_TRUE(HasShape(printed, J.n_rows, J.n_cols, "the printed (9)"));
  EXPECT_LE(max_relative_error(printed, J), kTolerance);
  EXPECT_TRUE(MatchesCentralDifferences(bp::test::loss_of_b2(e), e.params.b2,
                                        arma::sum(dZ2 * printed, 0), "db2", errata_clues(e)));
}

// [eq14-test]
TEST(Errata_Eq14, PrintedHasTheSignOfEq7CorrectedAgrees) {
  // dW2 = A1ᵀ dZ2 against central differences of the loss in W2; the post's a1ᵀ(y − ŷ) inherits
  // the sign of its (7): it is exactly −N dW2, relative error 1.
  for (const Network& net : two_class_networks()) {
    SCOPED_TRACE("corrected_eq14(A1, dZ2) and the post's (14) on the network " + net.name());
    const Example e = make_example(net);
    const arma::mat dZ2 = bp::corrected_eq7(e.cache.Z2, e.Y);
    const arma::mat dW2 = bp::corrected_eq14(e.cache.A1, dZ2);
    EXPECT_TRUE(MatchesCentralDifferences(bp::test::loss_of_W2(e), e.params.W2, dW2, "dW2",
                                          errata_clues(e)))
        << net.name();
    const arma::mat printed = bp::post_eq14_printed(e.cache.A1, e.cache.P, e.Y);
    ASSERT_TRUE(HasShape(printed, e.params.W2.n_rows, e.params.W2.n_cols, "the printed (14)"));
    const double N = static_cast<double>(net.samples);
    EXPECT_TRUE(AgreesToRounding(printed, -N * dW2)) << net.name();
    const arma::mat numerical = numerical_gradient(bp::test::loss_of_W2(e), e.params.W2);
    EXPECT_GT(max_relative_error(printed, numerical, gradient_floor(e.loss)), 0.999) << net.name();
  }
}
// [eq14-test]

TEST(Errata_Eq15, PrintedHasTheSignOfEq7CorrectedAgrees) {
  // db2 = Σ_rows dZ2 against central differences of the loss in b2. The post's y − ŷ: at N = 1
  // the opposite sign (relative error 1); on a batch, one row per sample where b2 has one row.
  for (const Network& net : two_class_networks()) {
    SCOPED_TRACE("corrected_eq15(dZ2) and the post's (15) on the network " + net.name());
    const Example e = make_example(net);
    const arma::mat dZ2 = bp::corrected_eq7(e.cache.Z2, e.Y);
    const arma::mat db2 = bp::corrected_eq15(dZ2);
    ASSERT_TRUE(HasShape(db2, 1, 2, "db2"));
    EXPECT_TRUE(MatchesCentralDifferences(bp::test::loss_of_b2(e), e.params.b2, db2, "db2",
                                          errata_clues(e)))
        << net.name();
    const arma::mat printed = bp::post_eq15_printed(e.cache.P, e.Y);
    if (net.samples == 1) {
      const arma::mat numerical = numerical_gradient(bp::test::loss_of_b2(e), e.params.b2);
      EXPECT_GT(max_relative_error(printed, numerical, gradient_floor(e.loss)), 0.999);
    } else {
      EXPECT_EQ(printed.n_rows, net.samples) << "one row per sample, not the 1×K of b2";
      const double N = static_cast<double>(net.samples);
      EXPECT_TRUE(AgreesToRounding(arma::sum(printed, 0), -N * db2)) << net.name();
    }
  }
}

// =============================================================================================
// Exercise 11.2: the corrected (16), dW1 = Xᵀ [(dZ2 W2ᵀ) ⊙ (1 − A1²)], and what it says about
// (10)–(13) and (17): with X = I it gives dZ1, with X = 1 it gives db1.

// [eq16-test]
TEST(Errata_Eq16, PrintedProductIsUndefined) {
  // The post's own case, one sample and H = 500: xᵀ(1 − tanh² z1) is 2×500, and 2×500 times
  // (y − ŷ), 1×2, is not defined. Armadillo says so; the corrected form is W1's shape and agrees.
  SCOPED_TRACE("corrected_eq16(X, dZ2, W2, A1) and the post's (16) on the network " +
               bp::test::posts_network(1).name());
  const Example e = make_example(bp::test::posts_network(1));
  const arma::mat dZ2 = reference_dZ2(e);
  const arma::mat dW1 = bp::corrected_eq16(e.X, dZ2, e.params.W2, e.cache.A1);
  ASSERT_TRUE(HasShape(dW1, 2, 500, "dW1"));
  EXPECT_TRUE(
      MatchesCentralDifferences(bp::test::loss_of_W1(e), e.params.W1, dW1, "dW1", errata_clues(e)));
  const std::string message =
      logic_error_of([&] { bp::post_eq16_printed(e.X, e.cache.A1, e.cache.P, e.Y, e.params.W2); });
  EXPECT_NE(message.find("matrix multiplication: incompatible matrix dimensions"),
            std::string::npos)
      << "got: '" << message << "'";
  EXPECT_NE(message.find("1x500 and 1x2"), std::string::npos) << "got: '" << message << "'";
}
// [eq16-test]

TEST(Errata_Eq16, FixingTheOrderOrTheProductAloneIsNotEnough) {
  // Both corrections are needed. Matrix products in the right order: (1×H)(1×H), undefined.
  // The element-wise product in the printed order: 1×H ⊙ 1×2, undefined. Both, with the sign of
  // the post's (7) kept: defined, W1's shape, and exactly −dW1 (N = 1): relative error 1.
  SCOPED_TRACE("the post's (16) half corrected, on the network " +
               bp::test::posts_network(1).name());
  const Example e = make_example(bp::test::posts_network(1));
  const arma::mat dZ2 = reference_dZ2(e);
  const arma::mat dW1 = bp::corrected_eq16(e.X, dZ2, e.params.W2, e.cache.A1);
  const arma::mat x = e.X;
  const arma::mat tanh_prime = 1.0 - arma::square(e.cache.A1);
  const arma::mat y_minus_y_hat = e.Y - e.cache.P;
  const arma::mat W2t = e.params.W2.t();
  EXPECT_THROW(
      {
        const arma::mat order_fixed = x.t() * (y_minus_y_hat * W2t) * tanh_prime;
        (void)order_fixed;
      },
      std::logic_error)
      << "xᵀ ((y − ŷ) W2ᵀ) (1 − a1²): (1×H)(1×H)";
  EXPECT_THROW(
      {
        const arma::mat product_fixed = x.t() * (tanh_prime % y_minus_y_hat) * W2t;
        (void)product_fixed;
      },
      std::logic_error)
      << "xᵀ ((1 − a1²) ⊙ (y − ŷ)) W2ᵀ: 1×H ⊙ 1×2";
  const arma::mat sign_kept = x.t() * ((y_minus_y_hat * W2t) % tanh_prime);
  EXPECT_TRUE(AgreesToRounding(sign_kept, -dW1));
  const arma::mat numerical = numerical_gradient(bp::test::loss_of_W1(e), e.params.W1);
  EXPECT_GT(max_relative_error(sign_kept, numerical, gradient_floor(e.loss)), 0.999);
}

TEST(Errata_Eq16, CorrectedAgreesOnEveryNetwork) {
  // Every small network (three classes too: nothing in (16) needs two) and the post's on a batch
  // of four; equal to the reference backward pass; a duplicated batch changes nothing (1/N).
  std::vector<Network> nets = bp::test::small_networks();
  nets.push_back(bp::test::posts_network(4));
  for (const Network& net : nets) {
    const Example e = make_example(net);
    const arma::mat dW1 = bp::corrected_eq16(e.X, reference_dZ2(e), e.params.W2, e.cache.A1);
    EXPECT_TRUE(MatchesCentralDifferences(bp::test::loss_of_W1(e), e.params.W1, dW1, "dW1",
                                          errata_clues(e)))
        << net.name();
    const bp::HiddenGrads g =
        bp::test::reference_hidden_backward(e.params, e.cache, reference_dZ2(e));
    EXPECT_TRUE(AgreesToRounding(dW1, g.dW1)) << net.name();
    const Example twice = bp::test::duplicated(e);
    EXPECT_TRUE(AgreesToRounding(
        bp::corrected_eq16(twice.X, reference_dZ2(twice), twice.params.W2, twice.cache.A1), dW1))
        << net.name();
  }
}

// [eq17-test]
TEST(Errata_Eq17, PrintedProductIsUndefined) {
  // The corrected (17) is the chain of (16) with ∂z1/∂b1 = 1 in place of ∂z1/∂W1 = x: the
  // exercise with a column of ones for X. The post's last line, (1 − tanh² z1)(y − ŷ) W2ᵀ,
  // multiplies a 1×500 row by a 1×2 row: not defined.
  SCOPED_TRACE("corrected_eq16(1, dZ2, W2, A1) and the post's (17) on the network " +
               bp::test::posts_network(1).name());
  const Example e = make_example(bp::test::posts_network(1));
  const arma::mat dZ2 = reference_dZ2(e);
  const arma::mat db1 = bp::corrected_eq16(arma::ones(1, 1), dZ2, e.params.W2, e.cache.A1);
  ASSERT_TRUE(HasShape(db1, 1, 500, "db1"));
  EXPECT_TRUE(
      MatchesCentralDifferences(bp::test::loss_of_b1(e), e.params.b1, db1, "db1", errata_clues(e)));
  EXPECT_TRUE(AgreesToRounding(bp::corrected_eq17(dZ2, e.params.W2, e.cache.A1), db1));
  const std::string message =
      logic_error_of([&] { bp::post_eq17_printed(e.cache.A1, e.cache.P, e.Y, e.params.W2); });
  EXPECT_NE(message.find("incompatible matrix dimensions: 1x500 and 1x2"), std::string::npos)
      << "got: '" << message << "'";
}
// [eq17-test]

TEST(Errata_Eq17, FirstLineChainsThroughW1AndGivesItsGradient) {
  // The first line of (17) ends in ∂z1/∂W1: with the corrected factors it is ∂L/∂W1 (D×H), the
  // corrected (16), not ∂L/∂b1 (1×H). The bias is the weight of an input that is always 1:
  // append a column of ones to X and b1 as the last row of W1, and the last row of that dW1 is db1.
  for (const Network& net : two_class_networks()) {
    SCOPED_TRACE("corrected_eq16 and the first line of the post's (17) on the network " +
                 net.name());
    const Example e = make_example(net);
    const arma::mat dZ2 = reference_dZ2(e);
    const arma::mat dW1 = bp::corrected_eq16(e.X, dZ2, e.params.W2, e.cache.A1);
    const arma::mat first_line = bp::post_eq17_first_line(e.X, dZ2, e.params.W2, e.cache.A1);
    ASSERT_TRUE(HasShape(first_line, e.params.W1.n_rows, e.params.W1.n_cols, "the first line"));
    EXPECT_NE(first_line.n_rows, e.params.b1.n_rows) << "the first line has W1's shape, not b1's";
    EXPECT_TRUE(MatchesCentralDifferences(bp::test::loss_of_W1(e), e.params.W1, first_line,
                                          "the first line of (17)"))
        << net.name();
    EXPECT_TRUE(AgreesToRounding(first_line, dW1)) << net.name();

    const arma::mat ones(net.samples, 1, arma::fill::ones);
    const arma::mat db1 = bp::corrected_eq16(ones, dZ2, e.params.W2, e.cache.A1);
    EXPECT_TRUE(MatchesCentralDifferences(bp::test::loss_of_b1(e), e.params.b1, db1, "db1",
                                          errata_clues(e)))
        << net.name();
    const arma::mat with_bias =
        bp::corrected_eq16(arma::join_rows(e.X, ones), dZ2, e.params.W2, e.cache.A1);
    EXPECT_TRUE(AgreesToRounding(arma::mat(with_bias.tail_rows(1)), db1)) << net.name();
  }
}

// [eq10-test]
TEST(Errata_Eq10, PrintedIsNotEvenAJacobianCorrectedAgrees) {
  // With X = I the corrected (16) is dZ1 = ∂L/∂Z1: the chain through (10) and (11) alone. The
  // local derivative (10) is the Jacobian of z2 = a1 W2 + b2 in a1, W2ᵀ (K×H; W2 in the post's
  // layout): the printed z2, 1×K, has the shape of neither. In the backward pass
  // dA1 = dZ2 W2ᵀ; with z2 for W2 the chain cannot even be multiplied out.
  SCOPED_TRACE("corrected_eq16(I, dZ2, W2, A1) and the post's (10) on the network " +
               bp::test::posts_network(4).name());
  const Example e = make_example(bp::test::posts_network(4));
  const arma::uword N = e.X.n_rows;
  const arma::mat dZ2 = reference_dZ2(e);
  const arma::mat dZ1 = bp::corrected_eq16(arma::eye(N, N), dZ2, e.params.W2, e.cache.A1);
  ASSERT_TRUE(HasShape(dZ1, N, 500, "dZ1"));
  EXPECT_TRUE(MatchesCentralDifferences(loss_of_Z1(e), e.cache.Z1, dZ1, "dZ1", errata_clues(e)));

  const auto z2_of_a1 = [&e](const arma::mat& a1) {
    return arma::mat(a1 * e.params.W2 + e.params.b2);
  };
  const arma::mat J = numerical_jacobian(z2_of_a1, e.cache.A1.row(0));
  ASSERT_TRUE(HasShape(J, 2, 500, "the Jacobian of z2 in a1 by central differences"));
  const arma::mat printed = bp::post_eq10_printed(e.cache.Z2.row(0));
  EXPECT_TRUE(arma::size(printed) != arma::size(J) && arma::size(printed) != arma::size(J.t()))
      << "the printed (10) is " << bp::shape_of(printed);
  EXPECT_LE(max_relative_error(bp::corrected_eq10(e.params.W2), J), kTolerance);
  EXPECT_TRUE(MatchesCentralDifferences(loss_of_A1(e), e.cache.A1, dZ2 * e.params.W2.t(), "dA1",
                                        errata_clues(e)));
  const arma::mat tanh_prime = 1.0 - arma::square(e.cache.A1);
  EXPECT_THROW(
      {
        const arma::mat with_z2 = (dZ2 * e.cache.Z2.t()) % tanh_prime;  // N×N ⊙ N×H
        (void)with_z2;
      },
      std::logic_error)
      << "(dZ2 z2ᵀ) ⊙ (1 − A1²): N×N ⊙ N×H";
}
// [eq10-test]

TEST(Errata_Eq11, RightTheTanhJacobianIsDiagonal) {
  // ∂tanh(z1)/∂z1 = 1 − tanh²(z1), read as the Jacobian of tanh entry by entry: diag(1 − a1²).
  // It is the element-wise factor in dZ1 = corrected_eq16 at X = I; 1 − tanh, a classic slip, is
  // not it.
  SCOPED_TRACE("corrected_eq16(I, dZ2, W2, A1) and the post's (11) on the network " +
               bp::test::posts_network(4).name());
  const Example e = make_example(bp::test::posts_network(4));
  const arma::uword N = e.X.n_rows;
  const arma::mat dZ2 = reference_dZ2(e);
  const arma::mat dZ1 = bp::corrected_eq16(arma::eye(N, N), dZ2, e.params.W2, e.cache.A1);
  EXPECT_TRUE(MatchesCentralDifferences(loss_of_Z1(e), e.cache.Z1, dZ1, "dZ1", errata_clues(e)));
  const auto tanh_of = [](const arma::mat& z) { return arma::mat(arma::tanh(z)); };
  const arma::rowvec a1 = e.cache.A1.row(0);
  const arma::mat J = numerical_jacobian(tanh_of, e.cache.Z1.row(0));
  const arma::mat printed = bp::post_eq11_printed(a1);
  ASSERT_TRUE(HasShape(printed, J.n_rows, J.n_cols, "the printed (11)"));
  EXPECT_LE(max_relative_error(printed, J), kTolerance);
  EXPECT_GT(max_relative_error(arma::mat(arma::diagmat(1.0 - a1)), J), 0.01);
  EXPECT_TRUE(AgreesToRounding(dZ1.row(0), (dZ2.row(0) * e.params.W2.t()) * printed));
}

TEST(Errata_Eq12, RightTheJacobianHasXInEachBlock) {
  // ∂z1/∂W1 = x, read as the Jacobian I_H ⊗ x. In the corrected (16) it is the Xᵀ on the left:
  // dW1 = Xᵀ dZ1, with dZ1 the exercise at X = I.
  SCOPED_TRACE("corrected_eq16 and the post's (12) on the network " +
               bp::test::posts_network(4).name());
  const Example e = make_example(bp::test::posts_network(4));
  const arma::uword N = e.X.n_rows;
  const arma::uword H = e.params.W1.n_cols;
  const arma::mat dZ2 = reference_dZ2(e);
  const arma::mat dW1 = bp::corrected_eq16(e.X, dZ2, e.params.W2, e.cache.A1);
  const arma::mat dZ1 = bp::corrected_eq16(arma::eye(N, N), dZ2, e.params.W2, e.cache.A1);
  EXPECT_TRUE(AgreesToRounding(dW1, e.X.t() * dZ1));
  EXPECT_TRUE(
      MatchesCentralDifferences(bp::test::loss_of_W1(e), e.params.W1, dW1, "dW1", errata_clues(e)));
  const arma::rowvec x = e.X.row(0);
  const auto z1_of_W1 = [&](const arma::mat& W1) { return arma::mat(x * W1 + e.params.b1); };
  const arma::mat J = numerical_jacobian(z1_of_W1, e.params.W1);
  const arma::mat printed = bp::post_eq12_printed(x, H);
  ASSERT_TRUE(HasShape(printed, J.n_rows, J.n_cols, "the printed (12)"));
  EXPECT_LE(max_relative_error(printed, J), kTolerance);
  // One sample's chain dz1 J, reshaped to W1's shape, is xᵀ dz1.
  EXPECT_TRUE(
      AgreesToRounding(arma::reshape(arma::mat(dZ1.row(0) * printed), 2, H), x.t() * dZ1.row(0)));
}

TEST(Errata_Eq13, RightTheJacobianIsTheIdentity) {
  // ∂z1/∂b1 = 1, read as the H×H identity. b1 is added to every row, so its gradient sums dZ1
  // over the rows: the exercise with a column of ones for X.
  SCOPED_TRACE("corrected_eq16(1, dZ2, W2, A1) and the post's (13) on the network " +
               bp::test::posts_network(4).name());
  const Example e = make_example(bp::test::posts_network(4));
  const arma::uword N = e.X.n_rows;
  const arma::uword H = e.params.W1.n_cols;
  const arma::mat dZ2 = reference_dZ2(e);
  const arma::mat db1 = bp::corrected_eq16(arma::ones(N, 1), dZ2, e.params.W2, e.cache.A1);
  EXPECT_TRUE(
      MatchesCentralDifferences(bp::test::loss_of_b1(e), e.params.b1, db1, "db1", errata_clues(e)));
  const arma::rowvec x = e.X.row(0);
  const auto z1_of_b1 = [&](const arma::mat& b1) { return arma::mat(x * e.params.W1 + b1); };
  const arma::mat J = numerical_jacobian(z1_of_b1, e.params.b1);
  const arma::mat printed = bp::post_eq13_printed(H);
  ASSERT_TRUE(HasShape(printed, J.n_rows, J.n_cols, "the printed (13)"));
  EXPECT_LE(max_relative_error(printed, J), kTolerance);
  const arma::mat dZ1 = bp::corrected_eq16(arma::eye(N, N), dZ2, e.params.W2, e.cache.A1);
  EXPECT_TRUE(AgreesToRounding(db1, arma::sum(dZ1, 0)));
}

TEST(Errata_Eq1to4, TheForwardPassIsRightAsPrinted) {
  // (1)–(4) define the forward pass; the table finds their products defined with the shapes of
  // the post. The chapter's own forward pass (given code) equals the trusted reference, and the
  // post's one-sample equations give each row of the batch form.
  SCOPED_TRACE("errata::table(errata::example(H = 7, N = 5, seed 3)), then errata::forward and "
               "the post's (1)–(4) on the network " +
               bp::test::small_networks()[0].name());
  const bp::errata::Example example = bp::errata::example(7, 5, 3);
  const std::vector<bp::errata::Erratum> table = bp::errata::table(example);
  const std::vector<std::string> shapes = {"1×7", "1×7", "1×2", "1×2"};
  for (int i = 0; i < 4; ++i) {
    const bp::errata::Erratum& row = row_of(table, "(" + std::to_string(i + 1) + ")");
    EXPECT_EQ(row.status(), "right") << row.equation;
    EXPECT_EQ(row.as_printed.kind, bp::errata::Verdict::Kind::Defined) << row.equation;
    EXPECT_EQ(row.as_printed.shape, shapes[i]) << row.equation;
  }

  // Biases that are not zero, so that a missing + b would show.
  const Example e = make_example(bp::test::small_networks()[0]);
  const bp::Cache mine = bp::errata::forward(e.params, e.X);
  EXPECT_TRUE(AgreesToRounding(mine.Z1, e.cache.Z1)) << "Z1";
  EXPECT_TRUE(AgreesToRounding(mine.A1, e.cache.A1)) << "A1";
  EXPECT_TRUE(AgreesToRounding(mine.Z2, e.cache.Z2)) << "Z2";
  EXPECT_TRUE(AgreesToRounding(mine.P, e.cache.P)) << "P";
  EXPECT_NEAR(bp::errata::loss(mine.Z2, e.Y), e.loss, 1e-12) << "the loss";
  for (arma::uword n = 0; n < e.X.n_rows; ++n) {
    const arma::mat z1 = bp::post_eq1_printed(e.X.row(n), e.params.W1, e.params.b1);
    const arma::mat a1 = bp::post_eq2_printed(z1);
    const arma::mat z2 = bp::post_eq3_printed(a1, e.params.W2, e.params.b2);
    const arma::mat y_hat = bp::post_eq4_printed(z2);
    EXPECT_TRUE(AgreesToRounding(z1, e.cache.Z1.row(n))) << "(1), z1 of sample " << n;
    EXPECT_TRUE(AgreesToRounding(a1, e.cache.A1.row(n))) << "(2), a1 of sample " << n;
    EXPECT_TRUE(AgreesToRounding(z2, e.cache.Z2.row(n))) << "(3), z2 of sample " << n;
    EXPECT_TRUE(AgreesToRounding(y_hat, e.cache.P.row(n))) << "(4), ŷ of sample " << n;
  }
}

// [table-test]
TEST(Errata_Table, EveryEquationHasARowWithItsVerdict) {
  // The program's default: the post's network, one sample, seed 1. Every equation in the post's
  // order; the right ones right, the wrong ones wrong, every correction agreeing.
  SCOPED_TRACE("errata::table(errata::example(H = 500, N = 1, seed 1))");
  const std::vector<bp::errata::Erratum> table = bp::errata::table(bp::errata::example(500, 1, 1));
  const std::vector<std::string> equations = {
      "(1)",  "(2)",  "(3)",  "(4)",  "(5)",  "(5) σ", "(6)",  "(7)",         "(8)", "(9)",
      "(10)", "(11)", "(12)", "(13)", "(14)", "(15)",  "(16)", "(17) line 1", "(17)"};
  const std::vector<std::string> wrong = {"(5)",  "(5) σ", "(6)",  "(7)",         "(10)",
                                          "(14)", "(15)",  "(16)", "(17) line 1", "(17)"};
  ASSERT_EQ(table.size(), equations.size()) << "rows of the table";
  for (std::size_t i = 0; i < table.size(); ++i) {
    const bp::errata::Erratum& row = table[i];
    EXPECT_EQ(row.equation, equations[i]) << "row " << i;
    const bool is_wrong = std::find(wrong.begin(), wrong.end(), row.equation) != wrong.end();
    EXPECT_EQ(row.status(), is_wrong ? "wrong" : "right") << row.equation;
    EXPECT_TRUE(row.as_corrected.agrees()) << row.equation << ": " << row.as_corrected.text();
    if (row.as_corrected.kind == bp::errata::Verdict::Kind::Measured) {
      EXPECT_LE(row.as_corrected.relative_error, kTolerance) << row.equation;
    }
    if (!is_wrong && row.as_printed.kind == bp::errata::Verdict::Kind::Measured) {
      EXPECT_EQ(row.as_printed.relative_error, row.as_corrected.relative_error) << row.equation;
    }
  }
}

TEST(Errata_Table, VerdictsAreThoseTheTestsMeasure) {
  // The table's verdicts, recomputed here with the trusted tools: the same kinds, shapes,
  // messages and (to the noise of two central differences) the same relative errors.
  SCOPED_TRACE("errata::table(errata::example(H = 500, N = 1, seed 1)), recomputed");
  const bp::errata::Example ex = bp::errata::example(500, 1, 1);
  const std::vector<bp::errata::Erratum> table = bp::errata::table(ex);
  const bp::Cache& c = ex.cache;
  using Kind = bp::errata::Verdict::Kind;

  const bp::errata::Erratum& eq5 = row_of(table, "(5)");
  ASSERT_EQ(eq5.as_printed.kind, Kind::Measured) << "(5) as printed: " << eq5.as_printed.text();
  EXPECT_NEAR(eq5.as_printed.relative_error, 1.0, 1e-12) << "(5) as printed";

  const double floor = gradient_floor(ex.loss);
  const auto loss_of = [&ex](const arma::mat& Z2) {
    return bp::test::reference_loss_from_logits(Z2, ex.Y);
  };
  const double own7 =
      max_relative_error(bp::post_eq7_printed(c.P, ex.Y), numerical_gradient(loss_of, c.Z2), floor);
  const bp::errata::Erratum& eq7 = row_of(table, "(7)");
  ASSERT_EQ(eq7.as_printed.kind, Kind::Measured) << "(7) as printed: " << eq7.as_printed.text();
  EXPECT_NEAR(eq7.as_printed.relative_error, own7, 1e-6) << "(7) as printed, against this test's";
  EXPECT_GT(eq7.as_printed.relative_error, 0.999) << "(7) as printed";

  const bp::errata::Erratum& eq6 = row_of(table, "(6)");
  ASSERT_EQ(eq6.as_printed.kind, Kind::Measured) << "(6) as printed: " << eq6.as_printed.text();
  EXPECT_GT(eq6.as_printed.relative_error, 0.1) << "(6) as printed";

  const bp::errata::Erratum& eq10 = row_of(table, "(10)");
  EXPECT_EQ(eq10.as_printed.kind, Kind::WrongShape)
      << "(10) as printed: " << eq10.as_printed.text();
  EXPECT_EQ(eq10.as_printed.shape, "1×2") << "(10) as printed";
  EXPECT_EQ(eq10.as_printed.detail, "2×500") << "(10) as printed";

  for (const std::string equation : {"(14)", "(15)"}) {
    const bp::errata::Erratum& row = row_of(table, equation);
    ASSERT_EQ(row.as_printed.kind, Kind::Measured) << equation;
    EXPECT_GT(row.as_printed.relative_error, 0.999) << equation;
  }

  const std::string message =
      logic_error_of([&] { bp::post_eq16_printed(c.X, c.A1, c.P, ex.Y, ex.params.W2); });
  ASSERT_FALSE(message.empty()) << "the post's (16) as printed threw no logic_error";
  const bp::errata::Erratum& eq16 = row_of(table, "(16)");
  EXPECT_EQ(eq16.as_printed.kind, Kind::Undefined) << "(16) as printed: " << eq16.as_printed.text();
  EXPECT_EQ(eq16.as_printed.detail, message) << "(16) as printed";
  EXPECT_EQ(eq16.as_printed.text(), "undefined: " + message) << "(16) as printed";

  const bp::errata::Erratum& eq17_first = row_of(table, "(17) line 1");
  EXPECT_EQ(eq17_first.as_printed.kind, Kind::WrongShape)
      << "(17) line 1 as printed: " << eq17_first.as_printed.text();
  EXPECT_EQ(eq17_first.as_printed.shape, "2×500") << "(17) line 1 as printed";
  EXPECT_EQ(eq17_first.as_printed.detail, "1×500") << "(17) line 1 as printed";
  EXPECT_EQ(row_of(table, "(17)").as_printed.kind, Kind::Undefined)
      << "(17) as printed: " << row_of(table, "(17)").as_printed.text();

  // The status follows the verdicts: a correction that disagrees leaves the row unresolved, and
  // 2e-6 is a disagreement.
  bp::errata::Erratum broken = eq16;
  broken.as_corrected.kind = Kind::Measured;
  broken.as_corrected.relative_error = 2e-6;
  EXPECT_FALSE(broken.as_corrected.agrees()) << "a measured error of 2e-6";
  EXPECT_EQ(broken.status(), "unresolved") << "(16) with a correction measured at 2e-6";
}
// [table-test]

TEST(Errata_Table, StatusFollowsBothVerdictsForEveryPairOfKinds) {
  // A row of a real table, given in turn every pair of verdicts: a definition, measured errors
  // of 0, exactly errata::kTolerance (agrees: ≤), the next double above it, NaN (not a number is
  // not agreement), a wrong shape, an undefined product. status() is "right" when the printed
  // form agrees, otherwise "wrong" when the correction agrees, otherwise "unresolved".
  SCOPED_TRACE("errata::table(errata::example(H = 5, N = 2, seed 3)), its first row");
  const std::vector<bp::errata::Erratum> table = bp::errata::table(bp::errata::example(5, 2, 3));
  ASSERT_FALSE(table.empty()) << "the table has no row";
  using Kind = bp::errata::Verdict::Kind;
  const auto verdict = [](Kind kind, double error) {
    bp::errata::Verdict v;
    v.kind = kind;
    v.relative_error = error;
    v.shape = "1×5";
    return v;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double tolerance = bp::errata::kTolerance;
  struct Case {
    std::string name;
    bp::errata::Verdict verdict;
    bool agrees;
  };
  const std::vector<Case> cases = {
      {"defined", verdict(Kind::Defined, nan), true},
      {"measured 0", verdict(Kind::Measured, 0.0), true},
      {"measured at the tolerance", verdict(Kind::Measured, tolerance), true},
      {"measured just above it", verdict(Kind::Measured, std::nextafter(tolerance, 1.0)), false},
      {"measured NaN", verdict(Kind::Measured, nan), false},
      {"wrong shape", verdict(Kind::WrongShape, 0.0), false},
      {"undefined", verdict(Kind::Undefined, 0.0), false},
  };
  for (const Case& printed : cases) {
    EXPECT_EQ(printed.verdict.agrees(), printed.agrees) << printed.name;
    for (const Case& corrected : cases) {
      bp::errata::Erratum row = table.front();
      row.as_printed = printed.verdict;
      row.as_corrected = corrected.verdict;
      const std::string want = printed.agrees ? "right" : corrected.agrees ? "wrong" : "unresolved";
      EXPECT_EQ(row.status(), want)
          << "printed " << printed.name << ", corrected " << corrected.name;
    }
  }
}

TEST(Errata_Table, OnABatchThePrintedEq15HasOneRowPerSample) {
  // With N = 4 the post's forms read with X for x: (15), y − ŷ, becomes 4×2 where ∂L/∂b2 is 1×2.
  SCOPED_TRACE("errata::table(errata::example(H = 6, N = 4, seed 2))");
  const std::vector<bp::errata::Erratum> table = bp::errata::table(bp::errata::example(6, 4, 2));
  const bp::errata::Erratum& eq15 = row_of(table, "(15)");
  EXPECT_EQ(eq15.as_printed.kind, bp::errata::Verdict::Kind::WrongShape)
      << "(15) as printed: " << eq15.as_printed.text();
  EXPECT_EQ(eq15.as_printed.shape, "4×2") << "(15) as printed";
  EXPECT_EQ(eq15.as_printed.detail, "1×2") << "(15) as printed";
  EXPECT_EQ(eq15.status(), "wrong") << "(15)";
  for (const bp::errata::Erratum& row : table)
    EXPECT_TRUE(row.as_corrected.agrees()) << row.equation;
}

TEST(Errata_Table, WhereThePrintedProductHappensToBeDefinedItIsStillWrong) {
  // H = N = 3: Xᵀ(1 − A1²) is 2×3 and (Y − P) has 3 rows, so (16) as printed multiplies out, to
  // W1's shape 2×3. The numbers are wrong all the same.
  SCOPED_TRACE("errata::table(errata::example(H = 3, N = 3, seed 4))");
  const std::vector<bp::errata::Erratum> table = bp::errata::table(bp::errata::example(3, 3, 4));
  const bp::errata::Erratum& eq16 = row_of(table, "(16)");
  ASSERT_EQ(eq16.as_printed.kind, bp::errata::Verdict::Kind::Measured)
      << "(16) as printed: " << eq16.as_printed.text();
  EXPECT_EQ(eq16.as_printed.shape, "2×3") << "(16) as printed";
  EXPECT_GT(eq16.as_printed.relative_error, 0.1) << "(16) as printed";
  EXPECT_EQ(eq16.status(), "wrong") << "(16)";
}

TEST(Errata_Table, MarkdownHasAStableFormat) {
  // The format the chapter's page includes: a comment line, the header, the separator, one line
  // per row with seven cells, in the table's order.
  SCOPED_TRACE("errata::markdown of errata::table(errata::example(H = 5, N = 1, seed 1))");
  const std::vector<bp::errata::Erratum> table = bp::errata::table(bp::errata::example(5, 1, 1));
  const std::string markdown = bp::errata::markdown(table, "made by a test");
  std::vector<std::string> lines;
  std::istringstream in(markdown);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 3 + table.size()) << markdown;
  EXPECT_EQ(markdown.back(), '\n') << "the last character";
  EXPECT_EQ(lines[0], "<!-- made by a test -->");
  EXPECT_EQ(lines[1],
            "| eq. | as printed | corrected | verdict | as printed, checked | corrected, checked "
            "| checked against |");
  EXPECT_EQ(lines[2], "|---|---|---|---|---|---|---|");
  for (std::size_t i = 0; i < table.size(); ++i) {
    const std::string& line = lines[3 + i];
    const bp::errata::Erratum& row = table[i];
    EXPECT_EQ(std::count(line.begin(), line.end(), '|'), 8) << line;
    EXPECT_EQ(line.rfind("| " + row.equation + " | `" + row.printed + "` | `" + row.corrected +
                             "` | " + row.status() + " | ",
                         0),
              0u)
        << line;
  }
  EXPECT_NE(lines[3 + 16].find("| undefined: matrix multiplication: incompatible matrix "
                               "dimensions: 1x5 and 1x2 |"),
            std::string::npos)
      << lines[3 + 16];
}

TEST(Errata_Table, TheSameSeedGivesTheSameTable) {
  const std::string first =
      bp::errata::markdown(bp::errata::table(bp::errata::example(5, 2, 7)), "");
  const std::string again =
      bp::errata::markdown(bp::errata::table(bp::errata::example(5, 2, 7)), "");
  const std::string other =
      bp::errata::markdown(bp::errata::table(bp::errata::example(5, 2, 8)), "");
  EXPECT_EQ(first, again) << "errata::table(errata::example(H = 5, N = 2, seed 7)), twice";
  EXPECT_NE(first, other) << "errata::table(errata::example(H = 5, N = 2)), seeds 7 and 8";
}

}  // namespace
