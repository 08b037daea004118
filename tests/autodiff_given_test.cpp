// Chapter 14's given code (chapters/14_autodiff/autodiff.hpp): the tape's bookkeeping, the
// forward operations, the VJPs that are not exercises (⊙, square, sum, scale), the networks
// recorded on a tape, and the tape drawn as a graph. Built against the reference solutions
// only: these tests call no exercise (no Tape::backward, no VJP of 14.1–14.4), so they sit
// outside the exercise filters, as chapter 12's curvature_given_test does.
//
// What is trusted: forward values against plain Armadillo and tests/support/reference; each
// given VJP against the trusted central differences (tests/support/gradcheck) of ⟨U, F(x)⟩ and
// by the dot-product test ⟨U, J V⟩ = ⟨Jᵀ U, V⟩, both with kTolerance (1e-6) as argued in
// tests/14_autodiff_test.cpp; a planted mistake in each is caught by the same checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <armadillo>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "14_autodiff/autodiff.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"
#include "support/gradcheck.hpp"
#include "support/reference.hpp"

namespace {

using MatFn = std::function<arma::mat(const arma::mat&)>;

arma::mat random_matrix(arma::uword rows, arma::uword cols, std::uint64_t seed) {
  bp::Rng rng(seed);
  return bp::normal_matrix(rows, cols, 1.0, rng);
}

/// The VJP of a one-parent node recorded by `op` at x, as a function of dC.
MatFn vjp_of(const std::function<bp::Var(bp::Tape&, bp::Var)>& op, const arma::mat& x) {
  return [op, x](const arma::mat& dC) {
    bp::Tape tape;
    const bp::Var C = op(tape, tape.leaf("x", x));
    return tape.at(C).vjp(dC).at(0);
  };
}

/// The value of that node, as a function of x.
MatFn value_of(const std::function<bp::Var(bp::Tape&, bp::Var)>& op) {
  return [op](const arma::mat& x) {
    bp::Tape tape;
    return arma::mat(tape.value(op(tape, tape.leaf("x", x))));
  };
}

/// Central differences of ⟨U, F(x)⟩ and the dot-product test, for three random U (and V).
testing::AssertionResult VjpIsRight(const MatFn& F, const arma::mat& X, const MatFn& vjp,
                                    const std::string& what) {
  const arma::mat out = F(X);
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const arma::mat U = random_matrix(out.n_rows, out.n_cols, 10 + seed);
    const auto inner = [&F, &U](const arma::mat& x) { return arma::accu(U % F(x)); };
    testing::AssertionResult r = bp::test::MatchesCentralDifferences(inner, X, vjp(U), what);
    if (!r) return r;
    const arma::mat V = random_matrix(X.n_rows, X.n_cols, 20 + seed);
    const double jv = bp::test::numerical_directional(F, X, V, U);
    const double jtu = arma::accu(vjp(U) % V);
    if (bp::test::relative_error(jv, jtu) > bp::test::kTolerance)
      return testing::AssertionFailure()
             << what << ": ⟨U, J V⟩ = " << jv << ", ⟨Jᵀ U, V⟩ = " << jtu;
  }
  return testing::AssertionSuccess();
}

const auto square_op = [](bp::Tape& t, bp::Var x) { return bp::square_elementwise(t, x); };
const auto sum_op = [](bp::Tape& t, bp::Var x) { return bp::sum_all(t, x); };
const auto scale_op = [](bp::Tape& t, bp::Var x) { return bp::scale(t, x, -2.5); };

TEST(AutodiffGiven_Operations, ForwardValuesAreTheMatrixExpressions) {
  const arma::mat A = random_matrix(3, 4, 1), B = random_matrix(3, 4, 2);
  bp::Tape t;
  const bp::Var a = t.leaf("A", A), b = t.leaf("B", B);
  EXPECT_TRUE(
      arma::approx_equal(t.value(bp::multiply_elementwise(t, a, b)), A % B, "absdiff", 0.0));
  EXPECT_TRUE(arma::approx_equal(t.value(bp::square_elementwise(t, a)), A % A, "absdiff", 0.0));
  EXPECT_DOUBLE_EQ(t.value(bp::sum_all(t, a))(0, 0), arma::accu(A));
  EXPECT_TRUE(arma::approx_equal(t.value(bp::scale(t, a, 3.0)), 3.0 * A, "absdiff", 0.0));
  EXPECT_TRUE(
      arma::approx_equal(t.value(bp::tanh_elementwise(t, a)), arma::tanh(A), "absdiff", 0.0));
  const bp::Var C = bp::matmul(t, a, t.leaf("Bt", B.t()));
  EXPECT_TRUE(arma::approx_equal(t.value(C), A * B.t(), "absdiff", 0.0));
  const arma::rowvec row = random_matrix(1, 4, 3);
  arma::mat sum = A;
  sum.each_row() += row;
  EXPECT_TRUE(
      arma::approx_equal(t.value(bp::add_row(t, a, t.leaf("row", row))), sum, "absdiff", 0.0));
}

TEST(AutodiffGiven_Operations, SoftmaxCrossEntropyIsTheReferenceLossAndStable) {
  const bp::test::Example e = bp::test::make_example(bp::test::posts_network(16));
  bp::Tape t;
  const bp::Var L = bp::softmax_cross_entropy(t, t.leaf("Z2", e.cache.Z2), e.Y);
  ASSERT_EQ(arma::size(t.value(L)), arma::size(1, 1));
  EXPECT_NEAR(t.value(L)(0, 0), e.loss, 1e-15 * std::max(1.0, e.loss));
  bp::Tape big;
  const bp::Var L2 = bp::softmax_cross_entropy(big, big.leaf("Z", 1000.0 * e.cache.Z2), e.Y);
  EXPECT_TRUE(std::isfinite(big.value(L2)(0, 0)));
}

TEST(AutodiffGiven_Operations, RejectShapesThatDoNotFit) {
  bp::Tape t;
  const bp::Var a = t.leaf("A", random_matrix(3, 4, 1));
  const bp::Var b = t.leaf("B", random_matrix(3, 4, 2));
  EXPECT_TRUE(bp::test::ThrowsShapeErrorNaming([&] { bp::matmul(t, a, b); }, "3×4", "3×4"));
  EXPECT_TRUE(bp::test::ThrowsShapeErrorNaming([&] { bp::add_row(t, a, b); }, "3×4", "3×4"));
  EXPECT_TRUE(bp::test::ThrowsShapeErrorNaming(
      [&] { bp::multiply_elementwise(t, a, t.leaf("C", random_matrix(4, 3, 3))); }, "3×4", "4×3"));
  EXPECT_TRUE(bp::test::ThrowsShapeErrorNaming(
      [&] { bp::softmax_cross_entropy(t, a, arma::mat(4, 3, arma::fill::zeros)); }, "3×4", "4×3"));
  EXPECT_THROW(bp::scale(t, bp::Var{99}, 1.0), bp::ShapeError);
}

TEST(AutodiffGiven_Vjps, MultiplyMatchesCentralDifferencesAndTheDotProductTest) {
  const arma::mat A = random_matrix(3, 4, 1), B = random_matrix(3, 4, 2);
  bp::Tape t;
  const bp::Var C = bp::multiply_elementwise(t, t.leaf("A", A), t.leaf("B", B));
  const MatFn vjp_A = [&](const arma::mat& dC) { return t.at(C).vjp(dC).at(0); };
  const MatFn vjp_B = [&](const arma::mat& dC) { return t.at(C).vjp(dC).at(1); };
  EXPECT_TRUE(VjpIsRight(
      [&](const arma::mat& a) {
        arma::mat c = a % B;
        return c;
      },
      A, vjp_A, "dA"));
  EXPECT_TRUE(VjpIsRight(
      [&](const arma::mat& b) {
        arma::mat c = A % b;
        return c;
      },
      B, vjp_B, "dB"));
}

TEST(AutodiffGiven_Vjps, SquareSumAndScaleMatchCentralDifferencesAndTheDotProductTest) {
  const arma::mat X = random_matrix(3, 4, 4);
  EXPECT_TRUE(VjpIsRight(value_of(square_op), X, vjp_of(square_op, X), "square"));
  EXPECT_TRUE(VjpIsRight(value_of(sum_op), X, vjp_of(sum_op, X), "sum"));
  EXPECT_TRUE(VjpIsRight(value_of(scale_op), X, vjp_of(scale_op, X), "scale"));
}

TEST(AutodiffGiven_Vjps, PlantedMistakesAreCaught) {
  // d(x²) = x dC (the 2 forgotten); the sum's gradient 1/n (a mean's); scale by 1/c.
  const arma::mat X = random_matrix(3, 4, 4);
  EXPECT_FALSE(VjpIsRight(
      value_of(square_op), X,
      [&](const arma::mat& dC) {
        arma::mat d = X % dC;
        return d;
      },
      "square"));
  EXPECT_FALSE(VjpIsRight(
      value_of(sum_op), X,
      [&](const arma::mat& ds) { return arma::mat(3, 4, arma::fill::value(ds(0, 0) / 12.0)); },
      "sum"));
  EXPECT_FALSE(VjpIsRight(
      value_of(scale_op), X,
      [&](const arma::mat& dC) {
        arma::mat d = dC / -2.5;
        return d;
      },
      "scale"));
}

TEST(AutodiffGiven_Tape, ThePostsNetworkIsElevenNodesInTopologicalOrder) {
  const bp::test::Example e = bp::test::make_example(bp::test::posts_network(16));
  const bp::PostsTape p = bp::record_posts_network(e.params, e.X, e.Y);
  ASSERT_EQ(p.tape.nodes.size(), 11u);  // 5 leaves, 6 operations
  for (std::size_t i = 0; i < p.tape.nodes.size(); ++i)
    for (const std::size_t parent : p.tape.nodes[i].parents) EXPECT_LT(parent, i);
  EXPECT_TRUE(arma::approx_equal(p.tape.value(p.Z1), e.cache.Z1, "absdiff", 0.0));
  EXPECT_TRUE(arma::approx_equal(p.tape.value(p.A1), e.cache.A1, "absdiff", 0.0));
  EXPECT_TRUE(arma::approx_equal(p.tape.value(p.Z2), e.cache.Z2, "absdiff", 0.0));
  EXPECT_NEAR(p.tape.value(p.L)(0, 0), e.loss, 1e-15);
}

TEST(AutodiffGiven_Tape, DrawsItselfWithShapesOnTheEdges) {
  // Every node once, named; every edge once, labelled with the shape that flows along it.
  const bp::test::Example e = bp::test::make_example(bp::test::posts_network(16));
  const bp::PostsTape p = bp::record_posts_network(e.params, e.X, e.Y);
  const std::string dot = p.tape.to_dot("the post's network");
  EXPECT_EQ(dot.rfind("digraph tape {", 0), 0u);
  for (const char* node : {"X [", "W1 [", "b1 [", "W2 [", "b2 [", "matmul5 [", "add_row6 [",
                           "tanh7 [", "matmul8 [", "add_row9 [", "softmax_cross_entropy10 ["})
    EXPECT_NE(dot.find(std::string("  ") + node), std::string::npos) << node;
  for (const char* edge :
       {"X -> matmul5 [label=\" 16×2\"]", "W1 -> matmul5 [label=\" 2×500\"]",
        "matmul5 -> add_row6 [label=\" 16×500\"]", "b2 -> add_row9 [label=\" 1×2\"]",
        "add_row9 -> softmax_cross_entropy10 [label=\" 16×2\"]"})
    EXPECT_NE(dot.find(edge), std::string::npos) << edge;
  std::size_t edges = 0;
  for (std::size_t at = dot.find(" -> "); at != std::string::npos; at = dot.find(" -> ", at + 1))
    ++edges;
  EXPECT_EQ(edges, 10u);  // matmul, add_row, matmul, add_row: two parents each; tanh, the loss: one
  const std::string listing = p.tape.listing();
  EXPECT_NE(listing.find("#5 matmul(#0 X, #1 W1) -> 16×500"), std::string::npos) << listing;
}

TEST(AutodiffGiven_Layers, InitLayersHasTheWidthsAndChapter03sScale) {
  const std::vector<bp::Layer> layers = bp::init_layers({2, 64, 64, 2}, 1);
  ASSERT_EQ(layers.size(), 3u);
  EXPECT_EQ(arma::size(layers[0].W), arma::size(2, 64));
  EXPECT_EQ(arma::size(layers[1].W), arma::size(64, 64));
  EXPECT_EQ(arma::size(layers[2].b), arma::size(1, 2));
  EXPECT_NEAR(arma::stddev(arma::vectorise(layers[1].W)), 1.0 / 8.0, 0.01);
  EXPECT_EQ(arma::abs(layers[1].b).max(), 0.0);
  EXPECT_THROW(bp::init_layers({2}, 1), bp::ShapeError);
  EXPECT_THROW(bp::init_layers({2, 0, 2}, 1), bp::ShapeError);
}

}  // namespace
