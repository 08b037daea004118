// Chapter 06 tests: the local derivatives of the post, equations (6)–(13), each checked against
// the trusted central differences of tests/support/gradcheck.hpp.
//
// Exercise 6.1 -> suite Eq11_TanhDerivative, 6.2 -> Eq6_SigmoidDerivative,
// 6.3 -> Eq6_SoftmaxJacobian, 6.4 -> Eq7_LossGradientLogits, 6.5 -> Eq10_AffineJacobianInput,
// 6.6 -> Eq12_AffineJacobianWeights, 6.7 -> Eq13_AffineJacobianBias (chapters/exercises.txt
// holds the map). The first call of every test is a call of the function under test, so that
// an unfinished exercise fails each test with its own ExerciseNotDone.
//
// Each Jacobian is compared with bp::test::numerical_jacobian in full on small shapes, and for
// the seed's shapes (H = 500) by random directions: vᵀ J u against
// bp::test::numerical_directional, which costs two evaluations instead of one per input.
// Where the post prints something else, a test of the same exercise shows that the printed form
// disagrees with the numerical derivative.
//
// A failure names the call and its input (show_call, SCOPED_TRACE) and both values; where a
// Jacobian disagrees, the gradient doctor says how (a sign, a factor, a transpose).
//
// Tolerances: bp::test::kTolerance = 1e-6 on the relative error with the floor
// bp::test::kFloor (chapter 05 measures both). The functions here are of order one or sums of a
// few hundred such terms; their central differences at kStep = 1e-5 are good to about 1e-10.
// Exact zeros of a Jacobian (entries of outputs that do not depend on an input) come out as
// exact zeros numerically too. The printed forms of the post are off by 0.1 or more.
#include <gtest/gtest.h>

#include <armadillo>
#include <cmath>
#include <functional>
#include <string>

#include "06_local_derivatives/local_derivatives.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"
#include "support/assertions.hpp"
#include "support/doctor.hpp"
#include "support/gradcheck.hpp"
#include "support/reference.hpp"

namespace {

using bp::test::EntriesNear;
using bp::test::HasShape;
using bp::test::kTolerance;
using bp::test::max_relative_error;
using bp::test::numerical_jacobian;
using bp::test::reference_sigmoid;  // 1/(1 + e^−s), naively: exact for the |s| ≤ 30 used here
using bp::test::reference_softmax;  // of each row, shifted by the row maximum
using bp::test::show;
using bp::test::show_call;
using MatrixFunction = std::function<arma::mat(const arma::mat&)>;

// For a failure message: what the gradient doctor makes of `mine` against the trusted `trusted`
// (a sign, a constant factor, a transpose, some rows or columns; support/doctor.hpp).
std::string doctor(const arma::mat& mine, const arma::mat& trusted) {
  return bp::test::doctor_report(mine, trusted, bp::test::Clues());
}

// The largest relative error between vᵀ J u (J analytic) and its central difference along U,
// over `pairs` random directions U (shape of X) and V (shape of F(X)).
double worst_direction(const MatrixFunction& F, const arma::mat& X, const arma::mat& J,
                       std::uint64_t seed, int pairs = 5) {
  const arma::mat out = F(X);
  bp::Rng rng(seed);
  double worst = 0.0;
  for (int i = 0; i < pairs; ++i) {
    const arma::mat U = bp::normal_matrix(X.n_rows, X.n_cols, 1.0, rng);
    const arma::mat V = bp::normal_matrix(out.n_rows, out.n_cols, 1.0, rng);
    const double analytic = arma::as_scalar(arma::vectorise(V).t() * J * arma::vectorise(U));
    const double numerical = bp::test::numerical_directional(F, X, U, V);
    worst = std::max(worst, bp::test::relative_error(analytic, numerical));
  }
  return worst;
}

// ---------------------------------------------------------------------------------------------
// Exercise 6.1: equation (11), tanh' = 1 − tanh², from the output A.

// [tanh-test]
TEST(Eq11_TanhDerivative, HasTheShapeOfAAndKnownValues) {
  const arma::mat A = {{0.0, 0.5, -0.5}, {1.0, -1.0, 0.9}};
  const arma::mat D = bp::tanh_derivative(A);
  SCOPED_TRACE(show_call("tanh_derivative", {{"A", A}}));
  ASSERT_TRUE(HasShape(D, 2, 3, "tanh'"));
  // tanh'(0) = 1; at A = ±0.5, 1 − 0.25; where tanh saturates (A = ±1) the slope is 0.
  const arma::mat expected = {{1.0, 0.75, 0.75}, {0.0, 0.0, 1.0 - 0.81}};
  EXPECT_TRUE(EntriesNear(D, expected, 1e-15, "1 − A²"));
}

TEST(Eq11_TanhDerivative, MatchesTheNumericalJacobian) {
  // tanh acts entry by entry: its Jacobian (6×6 for a 2×3 Z) is diagonal, the diagonal being
  // vec(1 − A²). The zeros off the diagonal are checked too.
  bp::Rng rng(11);
  const arma::mat Z = bp::normal_matrix(2, 3, 1.5, rng);
  const arma::mat D = bp::tanh_derivative(arma::tanh(Z));
  SCOPED_TRACE("tanh_derivative(A = tanh(Z)), Z = " + show(Z));
  ASSERT_TRUE(HasShape(D, 2, 3, "tanh'"));
  const arma::mat J =
      numerical_jacobian([](const arma::mat& M) -> arma::mat { return arma::tanh(M); }, Z);
  const arma::mat analytic = arma::diagmat(arma::vectorise(D));
  EXPECT_LT(max_relative_error(analytic, J), kTolerance)
      << doctor(analytic, J) << " tanh' = " << show(D) << "; the Jacobian's diagonal by central "
      << "differences " << show(arma::reshape(arma::diagvec(J), 2, 3));
}

TEST(Eq11_TanhDerivative, MatchesRandomDirectionsAtTheSeedsShape) {
  // Z1 of the post's network for a batch: N×H = 20×500, a 10000×10000 diagonal Jacobian.
  // vᵀ J u = Σ V ⊙ (1 − A²) ⊙ U, checked along five random directions.
  bp::Rng rng(12);
  const arma::mat Z1 = bp::normal_matrix(20, 500, 1.0, rng);
  const arma::mat D = bp::tanh_derivative(arma::tanh(Z1));
  SCOPED_TRACE("tanh_derivative(A = tanh(Z1)), Z1 = " + show(Z1) + ", N(0, 1) of seed 12");
  ASSERT_TRUE(HasShape(D, 20, 500, "tanh'"));
  const MatrixFunction F = [](const arma::mat& M) -> arma::mat { return arma::tanh(M); };
  for (int i = 0; i < 5; ++i) {
    const arma::mat U = bp::normal_matrix(20, 500, 1.0, rng);
    const arma::mat V = bp::normal_matrix(20, 500, 1.0, rng);
    const double analytic = arma::accu(V % D % U);
    const double numerical = bp::test::numerical_directional(F, Z1, U, V);
    EXPECT_LT(bp::test::relative_error(analytic, numerical), kTolerance)
        << "direction " << i << ": Σ V ⊙ tanh' ⊙ U = " << analytic << ", by central differences "
        << numerical;
  }
}

TEST(Eq11_TanhDerivative, TakesTheOutputNotTheInput) {
  // The post's (11) reads 1 − tanh²(z1) = 1 − a1²: right. The function is given A = tanh(Z);
  // given Z instead it computes 1 − Z², which is not tanh' (off by 0.1 or more here).
  const arma::mat Z = {{0.3, -0.8, 1.2, 2.0}};
  const arma::mat right = bp::tanh_derivative(arma::tanh(Z));
  SCOPED_TRACE("tanh_derivative(A = tanh(Z)) and tanh_derivative(Z), Z = " + show(Z));
  const arma::mat numerical =
      arma::diagvec(
          numerical_jacobian([](const arma::mat& M) -> arma::mat { return arma::tanh(M); }, Z))
          .t();
  ASSERT_TRUE(HasShape(right, 1, 4, "tanh_derivative(tanh(Z))"));
  EXPECT_LT(max_relative_error(right, numerical), kTolerance)
      << doctor(right, numerical) << " tanh_derivative(tanh(Z)) = " << show(right)
      << ", by central differences " << show(numerical);
  const arma::mat from_input = bp::tanh_derivative(Z);
  EXPECT_GT(max_relative_error(from_input, numerical), 0.1)
      << "tanh_derivative(Z) = " << show(from_input)
      << " is 1 − Z², not tanh'(Z) = " << show(numerical) << ": it should disagree";
}
// [tanh-test]

// ---------------------------------------------------------------------------------------------
// Exercise 6.2: equation (6) corrected, σ' = σ(1 − σ); the post prints ln σ · ln(1 − σ).

// [sigmoid-test]
TEST(Eq6_SigmoidDerivative, HasTheShapeOfSAndKnownValues) {
  // σ(0) = 1/2, σ'(0) = 1/4 exactly; at σ = 0 or 1 (saturated) the slope is 0.
  const arma::mat S = {{0.5, 0.0}, {1.0, 0.2}, {0.9, 0.5}};
  const arma::mat D = bp::sigmoid_derivative(S);
  SCOPED_TRACE(show_call("sigmoid_derivative", {{"S", S}}));
  ASSERT_TRUE(HasShape(D, 3, 2, "σ'"));
  const arma::mat expected = {{0.25, 0.0}, {0.0, 0.16}, {0.09, 0.25}};
  EXPECT_TRUE(EntriesNear(D, expected, 1e-15, "σ(1 − σ)"));
}

TEST(Eq6_SigmoidDerivative, MatchesTheNumericalJacobian) {
  const arma::mat s = {{-6.0, -1.5, 0.0}, {0.4, 2.0, 7.0}};
  const arma::mat D = bp::sigmoid_derivative(reference_sigmoid(s));
  SCOPED_TRACE("sigmoid_derivative(S = σ(s)), s = " + show(s));
  ASSERT_TRUE(HasShape(D, 2, 3, "σ'"));
  const arma::mat J = numerical_jacobian(reference_sigmoid, s);
  const arma::mat analytic = arma::diagmat(arma::vectorise(D));
  EXPECT_LT(max_relative_error(analytic, J), kTolerance)
      << doctor(analytic, J) << " σ' = " << show(D) << "; the Jacobian's diagonal by central "
      << "differences " << show(arma::reshape(arma::diagvec(J), 2, 3));
}

TEST(Eq6_SigmoidDerivative, ThePostsLnSigmaTimesLnOneMinusSigmaIsWrong) {
  // The post's (6): dσ/dz = ln σ · ln(1 − σ). At s = 0 that is (ln ½)² = 0.480, not 0.25; for
  // large s it is about s e^−s, where σ' ≈ e^−s. Every point is off by far more than the
  // tolerance; the corrected form agrees with the numerical derivative at each.
  const arma::mat s = {{-4.0, -1.0, 0.0, 1.0, 4.0, 10.0}};
  const arma::mat S = reference_sigmoid(s);
  const arma::mat corrected = bp::sigmoid_derivative(S);
  const arma::mat numerical = arma::diagvec(numerical_jacobian(reference_sigmoid, s)).t();
  const arma::mat printed = arma::log(S) % arma::log(1.0 - S);
  SCOPED_TRACE("sigmoid_derivative(S = σ(s)), s = " + show(s));
  ASSERT_TRUE(HasShape(corrected, 1, 6, "σ'"));
  for (arma::uword j = 0; j < s.n_elem; ++j) {
    EXPECT_LT(bp::test::relative_error(corrected(j), numerical(j)), kTolerance)
        << "s = " << s(j) << ": σ' = " << corrected(j) << ", by central differences "
        << numerical(j);
    EXPECT_GT(bp::test::relative_error(printed(j), numerical(j)), 0.1)
        << "s = " << s(j) << ": the post's ln σ · ln(1 − σ) = " << printed(j)
        << " should disagree with the central difference " << numerical(j);
  }
  EXPECT_NEAR(printed(2), std::log(0.5) * std::log(0.5), 1e-15) << "the post's (6) at s = 0";
  EXPECT_NEAR(corrected(2), 0.25, 1e-15) << "σ'(0) = 1/4";
}
// [sigmoid-test]

// ---------------------------------------------------------------------------------------------
// Exercise 6.3: the softmax Jacobian diag(p) − pᵀp (equation (6) for the softmax of (4)).

// [softmax-jacobian-test]
TEST(Eq6_SoftmaxJacobian, IsSymmetricKByKWithRowsSummingToZero) {
  const arma::rowvec p = {0.1, 0.2, 0.3, 0.4};
  const arma::mat J = bp::softmax_jacobian(p);
  SCOPED_TRACE(show_call("softmax_jacobian", {{"p", p}}) + " gave J = " + show(J));
  ASSERT_TRUE(HasShape(J, 4, 4, "J"));
  // Diagonal p_i(1 − p_i), off the diagonal −p_i p_j.
  EXPECT_NEAR(J(0, 0), 0.1 * 0.9, 1e-15) << "J(0, 0) = p_0 (1 − p_0)";
  EXPECT_NEAR(J(3, 3), 0.4 * 0.6, 1e-15) << "J(3, 3) = p_3 (1 − p_3)";
  EXPECT_NEAR(J(1, 2), -0.2 * 0.3, 1e-15) << "J(1, 2) = −p_1 p_2";
  EXPECT_TRUE(EntriesNear(J, J.t(), 0.0, "J against Jᵀ (∂p_i/∂z_j = ∂p_j/∂z_i)"));
  // Adding a constant to every logit changes nothing: each row sums to 0.
  EXPECT_TRUE(EntriesNear(arma::sum(J, 1), arma::zeros(4, 1), 1e-15, "the row sums of J"));
}

TEST(Eq6_SoftmaxJacobian, MatchesTheNumericalJacobian) {
  // The post's two classes, and five. Treating the softmax entry by entry like tanh —
  // diag(p ⊙ (1 − p)), no off-diagonal terms — disagrees: each p_i depends on every z_j.
  bp::Rng rng(63);
  for (const arma::uword K : {2u, 5u}) {
    const arma::mat z = bp::normal_matrix(1, K, 1.5, rng);
    const arma::rowvec p = reference_softmax(z);
    const arma::mat J = bp::softmax_jacobian(p);
    SCOPED_TRACE("softmax_jacobian(p = softmax(z)), z = " + show(z));
    ASSERT_TRUE(HasShape(J, K, K, "J"));
    const arma::mat numerical = numerical_jacobian(reference_softmax, z);
    EXPECT_LT(max_relative_error(J, numerical), kTolerance)
        << doctor(J, numerical) << " J = " << show(J) << ", by central differences "
        << show(numerical);
    const arma::mat entrywise = arma::diagmat(p % (1.0 - p));
    EXPECT_GT(max_relative_error(entrywise, numerical), 0.1)
        << "diag(p ⊙ (1 − p)) = " << show(entrywise) << " should disagree with " << show(numerical);
  }
}

TEST(Eq6_SoftmaxJacobian, TwoClassesIsTheSigmoidDerivative) {
  // p_1 = σ(s) with s = z_1 − z_0, so ∂p_1/∂z_1 = σ'(s) = σ(1 − σ), ∂p_1/∂z_0 = −σ'(s):
  // J = σ(1 − σ) [1 −1; −1 1]. The post's (6) corrected is this matrix's entry (1, 1).
  const arma::mat z = {{0.3, 1.1}};
  const arma::mat J = bp::softmax_jacobian(reference_softmax(z));
  SCOPED_TRACE("softmax_jacobian(p = softmax(z)), z = " + show(z));
  ASSERT_TRUE(HasShape(J, 2, 2, "J"));
  const double sigma = 1.0 / (1.0 + std::exp(-(z(1) - z(0))));
  const double slope = sigma * (1.0 - sigma);
  const arma::mat expected = slope * arma::mat{{1.0, -1.0}, {-1.0, 1.0}};
  EXPECT_TRUE(EntriesNear(J, expected, 1e-15, "J, σ(1 − σ) [1 −1; −1 1],"));
  EXPECT_GT(std::abs(J(1, 1) - std::log(sigma) * std::log(1.0 - sigma)), 0.1)
      << "the post's ln σ · ln(1 − σ) = " << std::log(sigma) * std::log(1.0 - sigma)
      << " is not the slope of p_1, J(1, 1) = " << J(1, 1);
}
// [softmax-jacobian-test]

// ---------------------------------------------------------------------------------------------
// Exercise 6.4: equation (7) corrected, ∂L/∂z2 = ŷ − y; the post prints y − ŷ.

// The loss of one sample from its logits, through log-sum-exp: −Σ_k y_k ln softmax(z)_k.
double reference_loss(const arma::mat& z, const arma::rowvec& y) {
  return bp::test::reference_loss_from_logits(z, y);
}

// [loss-gradient-test]
TEST(Eq7_LossGradientLogits, IsARowLikeZ2AndRejectsMismatchedShapes) {
  const arma::rowvec p = {0.7, 0.2, 0.1};
  const arma::rowvec y = {0.0, 1.0, 0.0};
  const arma::rowvec g = bp::loss_gradient_logits(p, y);
  SCOPED_TRACE(show_call("loss_gradient_logits", {{"p", p}, {"y", y}}));
  ASSERT_TRUE(HasShape(g, 1, 3, "∂L/∂z"));
  EXPECT_TRUE(EntriesNear(g, arma::rowvec{0.7, -0.8, 0.1}, 1e-15, "p − y"));
  EXPECT_THROW(bp::loss_gradient_logits(p, arma::rowvec{0.0, 1.0}), bp::ShapeError)
      << "p 1×3 and y 1×2";
}

TEST(Eq7_LossGradientLogits, MatchesTheNumericalGradientOfTheLoss) {
  // L(z) = −Σ y ln softmax(z), differentiated numerically in z, for the post's two classes and
  // for four; and its entries sum to 0 (Σ p = Σ y = 1).
  bp::Rng rng(74);
  for (const arma::uword K : {2u, 4u}) {
    const arma::mat z = bp::normal_matrix(1, K, 1.5, rng);
    arma::rowvec y(K, arma::fill::zeros);
    y(K - 1) = 1.0;
    const arma::rowvec g = bp::loss_gradient_logits(reference_softmax(z), y);
    SCOPED_TRACE("loss_gradient_logits(p = softmax(z), y = " + show(y) + "), z = " + show(z));
    ASSERT_TRUE(HasShape(g, 1, K, "∂L/∂z"));
    const arma::mat numerical =
        bp::test::numerical_gradient([&](const arma::mat& v) { return reference_loss(v, y); }, z);
    EXPECT_LT(max_relative_error(g, numerical), kTolerance)
        << doctor(g, numerical) << " ∂L/∂z = " << show(g) << ", by central differences "
        << show(numerical);
    EXPECT_NEAR(arma::accu(g), 0.0, 1e-15) << "the entries of " << show(g) << " sum to 0";
  }
}

TEST(Eq7_LossGradientLogits, ThePostsYMinusYHatIsTheGradientOfTheLogLikelihood) {
  // The post's (7), y − ŷ, has the wrong sign for the loss (relative error 1, the largest
  // possible), and is exactly the gradient of the post's printed (5), +Σ y ln p, the
  // log-likelihood: the sign lost in (5) reappears here.
  const arma::mat z = {{0.4, -0.9}};
  const arma::rowvec y = {1.0, 0.0};
  const arma::rowvec p = reference_softmax(z);
  const arma::rowvec g = bp::loss_gradient_logits(p, y);
  SCOPED_TRACE("loss_gradient_logits(p = softmax(z), y = " + show(y) + "), z = " + show(z));
  ASSERT_TRUE(HasShape(g, 1, 2, "∂L/∂z"));
  const arma::mat of_loss =
      bp::test::numerical_gradient([&](const arma::mat& v) { return reference_loss(v, y); }, z);
  const arma::mat of_likelihood =
      bp::test::numerical_gradient([&](const arma::mat& v) { return -reference_loss(v, y); }, z);
  const arma::rowvec printed = y - p;
  EXPECT_LT(max_relative_error(g, of_loss), kTolerance) << doctor(g, of_loss);
  EXPECT_NEAR(max_relative_error(printed, of_loss), 1.0, 1e-9)
      << "the post's y − ŷ = " << show(printed) << " and ∂L/∂z = " << show(of_loss)
      << " by central differences: opposite signs";
  EXPECT_LT(max_relative_error(printed, of_likelihood), kTolerance)
      << doctor(printed, of_likelihood);
}

TEST(Eq7_LossGradientLogits, IsTheLossGradientInPChainedThroughTheSoftmaxJacobian) {
  // ∂L/∂p = −y/p (a row), times the softmax Jacobian diag(p) − pᵀp (built here) = p − y.
  const arma::rowvec p = {0.25, 0.6, 0.15};
  const arma::rowvec y = {0.0, 0.0, 1.0};
  const arma::rowvec g = bp::loss_gradient_logits(p, y);
  SCOPED_TRACE(show_call("loss_gradient_logits", {{"p", p}, {"y", y}}));
  ASSERT_TRUE(HasShape(g, 1, 3, "∂L/∂z"));
  const arma::rowvec chained = (-y / p) * (arma::diagmat(p) - p.t() * p);
  EXPECT_TRUE(EntriesNear(g, chained, 1e-15, "∂L/∂z against (−y/p)(diag(p) − pᵀp)"));
}
// [loss-gradient-test]

// ---------------------------------------------------------------------------------------------
// Exercise 6.5: equation (10) corrected, ∂z/∂a = Wᵀ (K×D); the post prints z2.

// [affine-input-test]
TEST(Eq10_AffineJacobianInput, IsKByDAndIsWTransposed) {
  const arma::mat W = {{1.0, 2.0, 3.0, 4.0, 5.0},
                       {6.0, 7.0, 8.0, 9.0, 10.0},
                       {11.0, 12.0, 13.0, 14.0, 15.0}};  // D×K = 3×5
  const arma::mat J = bp::affine_jacobian_input(W);
  SCOPED_TRACE("affine_jacobian_input(W = " + show(W) + ")");
  ASSERT_EQ(J.n_rows, 5u) << "one row per output z_k";
  ASSERT_EQ(J.n_cols, 3u) << "one column per input a_d";
  EXPECT_EQ(J(1, 2), W(2, 1)) << "∂z_1/∂a_2 = W_21";
  EXPECT_TRUE(EntriesNear(J, W.t(), 0.0, "J against Wᵀ"));
}

TEST(Eq10_AffineJacobianInput, MatchesTheNumericalJacobian) {
  bp::Rng rng(105);
  const arma::mat W = bp::normal_matrix(3, 4, 1.0, rng);
  const arma::rowvec b = bp::normal_matrix(1, 4, 1.0, rng);
  const arma::mat a = bp::normal_matrix(1, 3, 1.0, rng);
  const arma::mat J = bp::affine_jacobian_input(W);
  SCOPED_TRACE("affine_jacobian_input(W = " + show(W) + ")");
  ASSERT_TRUE(HasShape(J, 4, 3, "J"));
  const arma::mat numerical =
      numerical_jacobian([&](const arma::mat& v) -> arma::mat { return v * W + b; }, a);
  EXPECT_LT(max_relative_error(J, numerical), kTolerance)
      << doctor(J, numerical) << " J = " << show(J) << ", by central differences at a = " << show(a)
      << ": " << show(numerical);
}

TEST(Eq10_AffineJacobianInput, MatchesRandomDirectionsAtTheSeedsShapes) {
  // Layer 2, z2 = a1 W2 + b2 with W2 500×2 (J 2×500), and layer 1, z1 = x W1 + b1 with W1
  // 2×500 (J 500×2).
  bp::Rng rng(106);
  const arma::mat W2 = bp::normal_matrix(500, 2, 1.0 / std::sqrt(500.0), rng);
  const arma::mat J2 = bp::affine_jacobian_input(W2);
  ASSERT_TRUE(HasShape(J2, 2, 500, "affine_jacobian_input(W2 = " + show(W2) + ")"));
  const arma::rowvec b2 = bp::normal_matrix(1, 2, 1.0, rng);
  const arma::mat a1 = arma::tanh(bp::normal_matrix(1, 500, 1.0, rng));
  EXPECT_LT(
      worst_direction([&](const arma::mat& v) -> arma::mat { return v * W2 + b2; }, a1, J2, 1),
      kTolerance)
      << "affine_jacobian_input(W2 = " << show(W2) << "), the worst relative error of vᵀ J u "
      << "against central differences of z2 = a1 W2 + b2 over 5 random directions";
  const arma::mat W1 = bp::normal_matrix(2, 500, 1.0 / std::sqrt(2.0), rng);
  const arma::mat J1 = bp::affine_jacobian_input(W1);
  ASSERT_TRUE(HasShape(J1, 500, 2, "affine_jacobian_input(W1 = " + show(W1) + ")"));
  const arma::rowvec b1 = bp::normal_matrix(1, 500, 1.0, rng);
  const arma::mat x = bp::normal_matrix(1, 2, 1.0, rng);
  EXPECT_LT(worst_direction([&](const arma::mat& v) -> arma::mat { return v * W1 + b1; }, x, J1, 2),
            kTolerance)
      << "affine_jacobian_input(W1 = " << show(W1) << "), the worst relative error of vᵀ J u "
      << "against central differences of z1 = x W1 + b1 over 5 random directions";
}

TEST(Eq10_AffineJacobianInput, ThePostsZ2IsWrongAndBackpropUsesWTransposed) {
  // One input, one output: z = a w + b with a = 2, w = 3, b = 1. The post's (10) says
  // dz/da = z = 7; the derivative is w = 3. With the seed's shapes z2 is 1×2, while ∂z2/∂a1
  // has 2×500 entries: the printed answer is not even the right size.
  const arma::mat J = bp::affine_jacobian_input(arma::mat(1, 1, arma::fill::value(3.0)));
  SCOPED_TRACE("affine_jacobian_input(W = [3]) gave " + show(J));
  ASSERT_TRUE(HasShape(J, 1, 1, "J"));
  const arma::mat numerical =
      numerical_jacobian([](const arma::mat& v) -> arma::mat { return v * 3.0 + 1.0; },
                         arma::mat(1, 1, arma::fill::value(2.0)));
  EXPECT_LT(max_relative_error(J, numerical), kTolerance) << doctor(J, numerical);
  EXPECT_GT(bp::test::relative_error(2.0 * 3.0 + 1.0, numerical(0, 0)), 0.1) << "z is not dz/da";
  // In backprop, a row gradient dZ (1×K) times J gives dA = dZ Wᵀ (1×D): checked on
  // L(a) = ⟨G, a W⟩ for a fixed row G, whose gradient in a is G Wᵀ; W and a of the network's
  // scale, so that L is of order one (chapter 05: the rounding noise grows with |L|).
  bp::Rng rng(107);
  const arma::mat W = bp::normal_matrix(500, 2, 1.0 / std::sqrt(500.0), rng);
  const arma::mat G = bp::normal_matrix(1, 2, 1.0, rng);
  const arma::mat a = arma::tanh(bp::normal_matrix(1, 500, 1.0, rng));
  const arma::mat dA = G * bp::affine_jacobian_input(W);
  SCOPED_TRACE("G affine_jacobian_input(W), G = " + show(G) + ", W = " + show(W));
  ASSERT_TRUE(HasShape(dA, 1, 500, "G J"));
  const arma::mat numerical_dA =
      bp::test::numerical_gradient([&](const arma::mat& v) { return arma::accu(G % (v * W)); }, a);
  EXPECT_LT(max_relative_error(dA, numerical_dA), kTolerance) << doctor(dA, numerical_dA);
  EXPECT_LT(max_relative_error(dA, G * W.t()), 1e-15) << doctor(dA, G * W.t()) << " against G Wᵀ";
}
// [affine-input-test]

// ---------------------------------------------------------------------------------------------
// Exercise 6.6: equations (8) and (12), ∂z/∂vec(W) = I_K ⊗ x (K×DK).

// [affine-weights-test]
TEST(Eq12_AffineJacobianWeights, IsKByDKWithXInTheBlockOfColumnK) {
  // The post's "= x": row k holds x in columns kD … kD + D − 1 (column k of W, stacked), zeros
  // elsewhere.
  const arma::rowvec x = {1.0, -2.0, 0.5};
  const arma::mat J = bp::affine_jacobian_weights(x, 4);
  SCOPED_TRACE("affine_jacobian_weights(x = " + show(x) + ", K = 4)");
  ASSERT_TRUE(HasShape(J, 4, 12, "J"));
  for (arma::uword k = 0; k < 4; ++k)
    for (arma::uword c = 0; c < 12; ++c) {
      const bool in_block = c / 3 == k;
      EXPECT_EQ(J(k, c), in_block ? x(c % 3) : 0.0) << "row " << k << ", column " << c;
    }
}

TEST(Eq12_AffineJacobianWeights, MatchesTheNumericalJacobian) {
  // vec(W) stacks W's columns, Armadillo's storage order: the numerical Jacobian's columns
  // follow it. A Jacobian built row by row (x ⊗ I_K) would fail here.
  bp::Rng rng(126);
  const arma::rowvec x = bp::normal_matrix(1, 3, 1.0, rng);
  const arma::rowvec b = bp::normal_matrix(1, 4, 1.0, rng);
  const arma::mat W = bp::normal_matrix(3, 4, 1.0, rng);
  const arma::mat J = bp::affine_jacobian_weights(x, 4);
  SCOPED_TRACE("affine_jacobian_weights(x = " + show(x) + ", K = 4)");
  ASSERT_TRUE(HasShape(J, 4, 12, "J"));
  const arma::mat numerical =
      numerical_jacobian([&](const arma::mat& M) -> arma::mat { return x * M + b; }, W);
  EXPECT_LT(max_relative_error(J, numerical), kTolerance)
      << doctor(J, numerical) << " (by central differences of z = x W + b at W = " << show(W)
      << ")";
}

TEST(Eq12_AffineJacobianWeights, MatchesRandomDirectionsAtTheSeedsShapes) {
  // (8): z2 = a1 W2 + b2, a1 1×500, W2 500×2: J is 2×1000.
  // (12): z1 = x W1 + b1, x 1×2, W1 2×500: J is 500×1000.
  bp::Rng rng(127);
  const arma::rowvec a1 = arma::tanh(bp::normal_matrix(1, 500, 1.0, rng));
  const arma::mat J2 = bp::affine_jacobian_weights(a1, 2);
  const std::string call2 = "affine_jacobian_weights(a1 = " + show(a1) + ", K = 2)";
  ASSERT_TRUE(HasShape(J2, 2, 1000, call2));
  const arma::mat W2 = bp::normal_matrix(500, 2, 1.0 / std::sqrt(500.0), rng);
  const arma::rowvec b2(2, arma::fill::zeros);
  EXPECT_LT(
      worst_direction([&](const arma::mat& M) -> arma::mat { return a1 * M + b2; }, W2, J2, 3),
      kTolerance)
      << call2 << ", the worst relative error of vᵀ J u against central differences of "
      << "z2 = a1 W2 + b2 over 5 random directions";
  const arma::rowvec x = bp::normal_matrix(1, 2, 1.0, rng);
  const arma::mat J1 = bp::affine_jacobian_weights(x, 500);
  const std::string call1 = "affine_jacobian_weights(x = " + show(x) + ", K = 500)";
  ASSERT_TRUE(HasShape(J1, 500, 1000, call1));
  const arma::mat W1 = bp::normal_matrix(2, 500, 1.0 / std::sqrt(2.0), rng);
  const arma::rowvec b1(500, arma::fill::zeros);
  EXPECT_LT(worst_direction([&](const arma::mat& M) -> arma::mat { return x * M + b1; }, W1, J1, 4),
            kTolerance)
      << call1 << ", the worst relative error of vᵀ J u against central differences of "
      << "z1 = x W1 + b1 over 5 random directions";
}

TEST(Eq12_AffineJacobianWeights, ContractedWithARowGradientGivesXTransposedDz) {
  // Backprop never builds this K×DK matrix: dz J, folded back into W's shape, is xᵀ dz, the
  // single-sample form of chapter 07's dW = Aᵀ dZ.
  bp::Rng rng(128);
  const arma::rowvec x = bp::normal_matrix(1, 5, 1.0, rng);
  const arma::rowvec dz = bp::normal_matrix(1, 3, 1.0, rng);
  const arma::mat J = bp::affine_jacobian_weights(x, 3);
  SCOPED_TRACE("affine_jacobian_weights(x = " + show(x) + ", K = 3), dz = " + show(dz));
  ASSERT_TRUE(HasShape(J, 3, 15, "J"));
  const arma::mat dW = arma::reshape(dz * J, 5, 3);
  EXPECT_TRUE(EntriesNear(dW, x.t() * dz, 1e-15, "dz J folded to 5×3, against xᵀ dz,"));
}
// [affine-weights-test]

// ---------------------------------------------------------------------------------------------
// Exercise 6.7: equations (9) and (13), ∂z/∂b = I_K.

// [affine-bias-test]
TEST(Eq13_AffineJacobianBias, IsTheIdentity) {
  // The post's "= 1" is the identity: exactly 1 for a single output.
  const arma::mat J = bp::affine_jacobian_bias(3);
  ASSERT_TRUE(HasShape(J, 3, 3, "affine_jacobian_bias(3)"));
  EXPECT_TRUE(EntriesNear(J, arma::eye(3, 3), 0.0, "affine_jacobian_bias(3)"));
  const arma::mat one = bp::affine_jacobian_bias(1);
  ASSERT_TRUE(HasShape(one, 1, 1, "affine_jacobian_bias(1)"));
  EXPECT_EQ(one(0, 0), 1.0) << "affine_jacobian_bias(1)";
}

TEST(Eq13_AffineJacobianBias, MatchesTheNumericalJacobian) {
  bp::Rng rng(137);
  const arma::rowvec x = bp::normal_matrix(1, 3, 1.0, rng);
  const arma::mat W = bp::normal_matrix(3, 4, 1.0, rng);
  const arma::mat b = bp::normal_matrix(1, 4, 1.0, rng);
  const arma::mat J = bp::affine_jacobian_bias(4);
  SCOPED_TRACE("affine_jacobian_bias(4) against central differences of z = x W + b at b = " +
               show(b));
  ASSERT_TRUE(HasShape(J, 4, 4, "J"));
  const arma::mat numerical =
      numerical_jacobian([&](const arma::mat& c) -> arma::mat { return x * W + c; }, b);
  EXPECT_LT(max_relative_error(J, numerical), kTolerance)
      << doctor(J, numerical) << " J = " << show(J);
}

TEST(Eq13_AffineJacobianBias, MatchesRandomDirectionsAtTheSeedsShape) {
  // (13): z1 = x W1 + b1 with b1 1×500: J is 500×500, vᵀ J u = ⟨v, u⟩.
  const arma::mat J = bp::affine_jacobian_bias(500);
  ASSERT_TRUE(HasShape(J, 500, 500, "affine_jacobian_bias(500)"));
  bp::Rng rng(138);
  const arma::rowvec x = bp::normal_matrix(1, 2, 1.0, rng);
  const arma::mat W1 = bp::normal_matrix(2, 500, 1.0 / std::sqrt(2.0), rng);
  const arma::mat b1 = bp::normal_matrix(1, 500, 1.0, rng);
  EXPECT_LT(worst_direction([&](const arma::mat& c) -> arma::mat { return x * W1 + c; }, b1, J, 5),
            kTolerance)
      << "affine_jacobian_bias(500) = " << show(J) << ", the worst relative error of vᵀ J u "
      << "against central differences of z1 = x W1 + b1 over 5 random directions";
}
// [affine-bias-test]

}  // namespace
