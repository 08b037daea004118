// Tests of chapter 12's given code (chapters/12_curvature/curvature.hpp): flatten and unflatten,
// the weight mask, the network's loss and gradient as functions of θ, asymmetry and
// gradient_descent. Built against the reference solutions only (the given code calls forward,
// backward and the loss of earlier chapters), label ch12; no exercise of chapter 12 is called.
//
// Tolerances: flatten and unflatten only move numbers, so the round trip is exact (==). The
// gradient of network_loss is checked against the trusted central differences of
// tests/support/gradcheck (kStep, kTolerance, the floor of bp::test::gradient_floor), as every
// gradient of the course.
#include <gtest/gtest.h>

#include <armadillo>
#include <cmath>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "12_curvature/curvature.hpp"
#include "common/shape.hpp"
#include "support/gradcheck.hpp"
#include "support/reference.hpp"

namespace {

using bp::test::ThrowsShapeErrorNaming;

// Parameters whose every entry is different and tells where it came from: W1(d,h) = 100 + ...,
// b1 = 200 + ..., W2 = 300 + ..., b2 = 400 + ... (so a mix-up of blocks or orders shows).
bp::Params numbered(arma::uword D, arma::uword H, arma::uword K) {
  bp::Params p;
  p.W1 = arma::reshape(arma::regspace(100.0, 100.0 + static_cast<double>(D * H) - 1.0), D, H);
  p.b1 = arma::regspace<arma::rowvec>(200.0, 200.0 + static_cast<double>(H) - 1.0);
  p.W2 = arma::reshape(arma::regspace(300.0, 300.0 + static_cast<double>(H * K) - 1.0), H, K);
  p.b2 = arma::regspace<arma::rowvec>(400.0, 400.0 + static_cast<double>(K) - 1.0);
  return p;
}

TEST(Curvature_Flatten, CountsDHPlusHPlusHKPlusK) {
  EXPECT_EQ(bp::parameter_count(500), 2502u) << "the post's network: 1000 + 500 + 1000 + 2";
  EXPECT_EQ(bp::parameter_count(4, 3, 5), 12u + 4u + 20u + 5u);
  EXPECT_EQ(bp::flatten(numbered(3, 4, 5)).n_elem, bp::parameter_count(4, 3, 5));
}

TEST(Curvature_Flatten, StacksTheBlocksColumnByColumnInOrder) {
  // D = 2, H = 3, K = 2: θ = [W1(0,0), W1(1,0), W1(0,1), ..., b1, W2 by columns, b2].
  const bp::Params p = numbered(2, 3, 2);
  const arma::vec theta = bp::flatten(p);
  ASSERT_EQ(theta.n_elem, 6u + 3u + 6u + 2u);
  const arma::vec expected = {100, 101, 102, 103, 104, 105, 200, 201, 202,
                              300, 301, 302, 303, 304, 305, 400, 401};
  EXPECT_TRUE(arma::all(theta == expected)) << theta.t();
  // W1(1, 0) is stored second: column-major, Armadillo's own order.
  EXPECT_EQ(theta(1), p.W1(1, 0));
  EXPECT_EQ(theta(2), p.W1(0, 1));
}

TEST(Curvature_Flatten, RoundTripIsExact) {
  const std::vector<std::tuple<arma::uword, arma::uword, arma::uword>> shapes = {
      {2, 3, 2}, {3, 4, 5}, {1, 1, 1}, {2, 500, 2}};  // D, H, K
  for (const auto& [D, H, K] : shapes) {
    const bp::Params p = bp::test::make_example({D, H, K, 1, 7}).params;
    const bp::Params back = bp::unflatten(bp::flatten(p), H, D, K);
    ASSERT_EQ(back.W1.n_rows, D);
    ASSERT_EQ(back.W1.n_cols, H);
    ASSERT_EQ(back.b1.n_cols, H);
    ASSERT_EQ(back.W2.n_rows, H);
    ASSERT_EQ(back.W2.n_cols, K);
    ASSERT_EQ(back.b2.n_cols, K);
    EXPECT_TRUE(arma::all(arma::vectorise(back.W1 == p.W1)));
    EXPECT_TRUE(arma::all(back.b1 == p.b1));
    EXPECT_TRUE(arma::all(arma::vectorise(back.W2 == p.W2)));
    EXPECT_TRUE(arma::all(back.b2 == p.b2));
    // And the other way: θ → Params → θ.
    const arma::vec theta = bp::flatten(p);
    EXPECT_TRUE(arma::all(bp::flatten(bp::unflatten(theta, H, D, K)) == theta));
  }
}

TEST(Curvature_Flatten, GradsInTheOrderOfTheParameters) {
  // Entry i of flatten(grads) must be ∂L/∂θ_i for θ = flatten(params): same blocks, same order.
  const bp::Params p = numbered(3, 4, 2);
  const bp::Grads g{p.W1, p.b1, p.W2, p.b2};
  EXPECT_TRUE(arma::all(bp::flatten(g) == bp::flatten(p)));
}

TEST(Curvature_Flatten, UnflattenRejectsAWrongLength) {
  const arma::vec theta(17, arma::fill::zeros);  // D = 2, H = 3, K = 2
  EXPECT_NO_THROW(bp::unflatten(theta, 3));
  EXPECT_TRUE(ThrowsShapeErrorNaming([&] { bp::unflatten(theta, 4); }, "17", "22"));
  EXPECT_THROW(bp::unflatten(arma::vec(), 3), bp::ShapeError);
}

TEST(Curvature_Flatten, WeightMaskMarksTheWeights) {
  const arma::vec mask = bp::weight_mask(3, 2, 2);
  ASSERT_EQ(mask.n_elem, 17u);
  const arma::vec expected = {1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0};
  EXPECT_TRUE(arma::all(mask == expected)) << mask.t();
}

TEST(Curvature_NetworkFunctions, LossIsTheReferenceLossPlusThePenalty) {
  const bp::test::Example e = bp::test::make_example({2, 3, 2, 5, 8});
  const arma::vec theta = bp::flatten(e.params);
  const double mu = 0.3;
  const double penalty =
      0.5 * mu * (arma::accu(arma::square(e.params.W1)) + arma::accu(arma::square(e.params.W2)));
  EXPECT_NEAR(bp::network_loss(e.X, e.Y, 3)(theta), e.loss, 1e-12);
  EXPECT_NEAR(bp::network_loss(e.X, e.Y, 3, mu)(theta), e.loss + penalty, 1e-12);
}

TEST(Curvature_NetworkFunctions, GradientMatchesCentralDifferencesOfTheLoss) {
  // With and without the penalty, on a network with three inputs and three classes.
  for (const double mu : {0.0, 0.3}) {
    const bp::test::Example e = bp::test::make_example({3, 4, 3, 6, 9});
    const arma::vec theta = bp::flatten(e.params);
    const bp::LossFunction loss = bp::network_loss(e.X, e.Y, 4, mu);
    const arma::vec g = bp::network_gradient(e.X, e.Y, 4, mu)(theta);
    ASSERT_EQ(g.n_elem, theta.n_elem);
    const auto f = [&](const arma::mat& t) { return loss(arma::vec(t)); };
    EXPECT_TRUE(bp::test::MatchesCentralDifferences(f, arma::mat(theta), arma::mat(g),
                                                    "network_gradient, mu " + std::to_string(mu)));
  }
}

TEST(Curvature_Asymmetry, MeasuresTheLargestDifferenceFromTheTranspose) {
  EXPECT_EQ(bp::asymmetry(arma::mat{{2.0, 1.0}, {1.0, -4.0}}), 0.0);
  EXPECT_EQ(bp::asymmetry(arma::mat(3, 3, arma::fill::zeros)), 0.0);
  // |1 − 0.5| / 4.
  EXPECT_DOUBLE_EQ(bp::asymmetry(arma::mat{{2.0, 1.0}, {0.5, -4.0}}), 0.125);
  EXPECT_THROW(bp::asymmetry(arma::mat(2, 3, arma::fill::ones)), bp::ShapeError);
}

TEST(Curvature_GradientDescent, StepsAgainstTheGradientAndRecordsTheLoss) {
  // L(θ) = ½ |θ|²: ∇L = θ, so each step multiplies θ by 1 − η.
  const bp::GradientFunction gradient = [](const arma::vec& t) { return t; };
  const bp::LossFunction loss = [](const arma::vec& t) { return 0.5 * arma::dot(t, t); };
  arma::vec theta = {1.0, -2.0};
  const arma::vec losses = bp::gradient_descent(gradient, loss, theta, 0.25, 3);
  ASSERT_EQ(losses.n_elem, 4u) << "the loss before each step and after the last";
  EXPECT_TRUE(arma::approx_equal(theta, arma::vec{0.421875, -0.84375}, "absdiff", 1e-15));
  for (arma::uword t = 0; t < 4; ++t)
    EXPECT_NEAR(losses(t), 2.5 * std::pow(0.5625, static_cast<double>(t)), 1e-15);
}

TEST(Curvature_GradientDescent, StopsAtALossThatIsNotFinite) {
  // η = 3 on ½|θ|²: θ is multiplied by −2 each step; the loss overflows after about 510 steps.
  const bp::GradientFunction gradient = [](const arma::vec& t) { return t; };
  const bp::LossFunction loss = [](const arma::vec& t) { return 0.5 * arma::dot(t, t); };
  arma::vec theta = {1.0};
  const arma::vec losses = bp::gradient_descent(gradient, loss, theta, 3.0, 2000);
  ASSERT_LT(losses.n_elem, 2001u);
  EXPECT_FALSE(std::isfinite(losses(losses.n_elem - 1)));
  EXPECT_TRUE(losses.head(losses.n_elem - 1).is_finite());
}

}  // namespace
