// Chapter 08 tests: the hidden layer's backward pass — equations (10), (11), (16), (17).
//
// Exercise 8.1 -> suite Eq10_InputGradient, 8.2 -> Eq11_TanhBackward, 8.3 -> suites
// HiddenLayer_Backward (its intermediates dA1 and dZ1), Eq16_HiddenWeights (dW1) and
// Eq17_HiddenBias (db1) (chapters/exercises.txt holds the map). In each suite the shape tests
// come first, then the values; the first call of every test is a call of the function under test.
//
// What is trusted. Networks, batches, forward passes and the dZ2 or dA1 each function receives
// come from tests/support/reference, never from the learner's forward, loss or earlier
// exercises; the functions differentiated are the reference loss seen from the intermediate
// being checked, and the central differences are tests/support/gradcheck's. Exercise 8.3 calls
// the learner's 8.1, 8.2, 7.2 and 7.3 (course order), but its inputs are the reference's.
//
// Tolerances: as in chapter 07 — kTolerance (1e-6) relative at step kStep (1e-5), with the floor
// bp::test::gradient_floor (kFloor, 1e-4, times max(1, |L|)); identities between exact
// computations to 1e-12 of the largest entry.
// dA1 and dZ1 of the post's network (N×H = 16×500 entries) are checked along random directions,
// each of which weighs all 8000 entries at the cost of two loss evaluations.
#include <gtest/gtest.h>

#include <armadillo>
#include <functional>
#include <string>
#include <vector>

#include "08_hidden_layer/hidden_layer.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"
#include "support/gradcheck.hpp"
#include "support/planted_bugs.hpp"
#include "support/reference.hpp"

namespace {

using bp::test::AgreesToRounding;
using bp::test::Example;
using bp::test::HasShape;
using bp::test::loss_of_A1;
using bp::test::loss_of_Z1;
using bp::test::make_example;
using bp::test::MatchesAlongRandomDirections;
using bp::test::MatchesCentralDifferences;
using bp::test::Network;
using bp::test::reference_dZ2;
using bp::test::ThrowsShapeErrorNaming;

// What the gradient doctor is told about `what` (dA1, dZ1, dW1 or db1) on e: the equation, the
// N of the mean, the known mistakes computed from the reference's own intermediates, and A1
// for dZ1 (the pattern of a tanh derivative that is wrong where tanh saturates).
bp::test::Clues hidden_clues(const Example& e, const std::string& what) {
  const bp::HiddenGrads ref =
      bp::test::reference_hidden_backward(e.params, e.cache, reference_dZ2(e));
  bp::test::Clues clues;
  clues.samples = e.X.n_rows;
  if (what == "dA1") {
    clues.equation = "the corrected (10): dA1 = dZ2 W2ᵀ";
    clues.suspects = bp::test::input_gradient_suspects(reference_dZ2(e), e.params.W2);
  } else if (what == "dZ1") {
    clues.equation = "(11): dZ1 = dA1 ⊙ (1 − A1²)";
    clues.suspects = bp::test::tanh_backward_suspects(ref.dA1, e.cache.A1, e.cache.Z1);
    clues.activation = e.cache.A1;
  } else if (what == "dW1") {
    clues.equation = "the corrected (16): dW1 = Xᵀ dZ1";
    clues.suspects = bp::test::weight_gradient_suspects(e.X, ref.dZ1, e.cache.A1,
                                                        "dW1 = A1ᵀ dZ1, A1 where X belongs");
  } else if (what == "db1") {
    clues.equation = "the corrected (17): db1 = Σ_rows dZ1";
    clues.suspects = bp::test::bias_gradient_suspects(ref.dZ1);
  }
  return clues;
}

// Checks an intermediate or gradient of e: every entry on a small network (with the doctor's
// diagnosis on a failure), random directions on the post's.
testing::AssertionResult MatchesTheLoss(const std::function<double(const arma::mat&)>& f,
                                        const arma::mat& point, const arma::mat& analytic,
                                        const Example& e, const Network& net,
                                        const std::string& what) {
  const bool small = point.n_elem <= 200;
  testing::AssertionResult r =
      small ? MatchesCentralDifferences(f, point, analytic, what, hidden_clues(e, what))
            : MatchesAlongRandomDirections(f, point, analytic, 8, 81, what);
  if (!r) r << " on the network " << net.name();
  return r;
}

// Networks for the checks: every small one, and the post's on a batch of 16.
std::vector<Network> networks() {
  std::vector<Network> nets = bp::test::small_networks();
  nets.push_back(bp::test::posts_network(16));
  return nets;
}

// ---------------------------------------------------------------------------------------------
// Exercise 8.1: dA = dZ Wᵀ; for the network dA1 = dZ2 W2ᵀ, the corrected (10).

// The check of (10) on every network: the candidate's dA1 (from the reference dZ2 and W2) is the
// gradient of the loss with respect to A1.
testing::AssertionResult InputGradientIsTheGradientOfTheLoss(
    const bp::test::InputGradientFn& input_gradient, const std::vector<Network>& nets) {
  for (const Network& net : nets) {
    const Example e = make_example(net);
    testing::AssertionResult r = MatchesTheLoss(
        loss_of_A1(e), e.cache.A1, input_gradient(reference_dZ2(e), e.params.W2), e, net, "dA1");
    if (!r) return r;
  }
  return testing::AssertionSuccess();
}

// [input-gradient-test]
TEST(Eq10_InputGradient, ShapeIsTheShapeOfA1) {
  // dZ2 W2ᵀ is (N×K)(K×H) = N×H, A1's shape: 16×500 on the post's network.
  const Example e = make_example(bp::test::posts_network(16));
  const arma::mat dA1 = bp::input_gradient(reference_dZ2(e), e.params.W2);
  ASSERT_TRUE(HasShape(dA1, 16, 500, "input_gradient(dZ2 16×2, W2 500×2)"));
}

TEST(Eq10_InputGradient, RejectsShapesThatDoNotFit) {
  ASSERT_NO_THROW(
      bp::input_gradient(arma::mat(4, 2, arma::fill::ones), arma::mat(5, 2, arma::fill::ones)));
  // W2 given transposed (2×5): dZ has 2 columns, W 5.
  EXPECT_TRUE(ThrowsShapeErrorNaming([] { bp::input_gradient(arma::mat(4, 2), arma::mat(2, 5)); },
                                     "4×2", "2×5"));
  EXPECT_TRUE(ThrowsShapeErrorNaming([] { bp::input_gradient(arma::mat(4, 3), arma::mat(5, 2)); },
                                     "4×3", "5×2"));
}

TEST(Eq10_InputGradient, MatchesCentralDifferencesOfTheLoss) {
  const Example first = make_example(bp::test::small_networks()[0]);
  ASSERT_NO_THROW(bp::input_gradient(reference_dZ2(first), first.params.W2));
  EXPECT_TRUE(InputGradientIsTheGradientOfTheLoss(bp::input_gradient, networks()));
}

TEST(Eq10_InputGradient, IsTheWeightsNotThePostsZ2) {
  // The post's (10) says ∂z2/∂a1 = z2. The derivative of z2 = a1 W2 + b2 in a1 is W2, whatever
  // z2 is: scaling a1 changes z2 but not dA1 = dZ2 W2ᵀ for a given dZ2. Worked by hand:
  // dZ = [1 −1], W = [1 2; 3 4; 5 6] -> dZ Wᵀ = [1−2, 3−4, 5−6] = [−1 −1 −1].
  const arma::mat dZ = {{1.0, -1.0}};
  const arma::mat W = {{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}};
  const arma::mat dA = bp::input_gradient(dZ, W);
  const std::string input = "For dZ = [1 -1], W = [1 2; 3 4; 5 6]";
  ASSERT_EQ(dA.n_rows, 1u) << input << ": dA is 1×3, got " << bp::shape_of(dA);
  ASSERT_EQ(dA.n_cols, 3u) << input << ": dA is 1×3, got " << bp::shape_of(dA);
  EXPECT_TRUE(arma::approx_equal(dA, arma::mat{{-1.0, -1.0, -1.0}}, "absdiff", 1e-15))
      << input << ": expected dZ Wᵀ = [-1 -1 -1], got " << dA;
}

TEST(Eq10_InputGradient, PlantedBugsAreCaught) {
  // W2 where W2ᵀ belongs: on the post's network dZ2 W2 is (16×2)(500×2), and Armadillo's size
  // check stops it; on networks with H = K it multiplies, and the check must catch the numbers.
  const Example first = make_example(bp::test::small_networks()[0]);
  ASSERT_NO_THROW(bp::input_gradient(reference_dZ2(first), first.params.W2));
  ASSERT_TRUE(InputGradientIsTheGradientOfTheLoss(bp::input_gradient, networks()));
  const Example post = make_example(bp::test::posts_network(16));
  for (const auto& bug : bp::test::planted_input_gradient_bugs()) {
    EXPECT_THROW(bug.fn(reference_dZ2(post), post.params.W2), std::logic_error) << bug.name;
    EXPECT_FALSE(InputGradientIsTheGradientOfTheLoss(bug.fn, bp::test::planted_bug_networks()))
        << "the planted bug " << bug.name << " (" << bug.mistake << ") was not caught";
  }
}
// [input-gradient-test]

// ---------------------------------------------------------------------------------------------
// Exercise 8.2: dZ = dA ⊙ (1 − A²), equation (11).

// The check of (11) on every network: the candidate's dZ1 (from the reference dA1 and A1) is the
// gradient of the loss with respect to Z1.
testing::AssertionResult TanhBackwardIsTheGradientOfTheLoss(
    const bp::test::TanhBackwardFn& tanh_backward) {
  for (const Network& net : networks()) {
    const Example e = make_example(net);
    const arma::mat dA1 = reference_dZ2(e) * e.params.W2.t();
    testing::AssertionResult r =
        MatchesTheLoss(loss_of_Z1(e), e.cache.Z1, tanh_backward(dA1, e.cache.A1), e, net, "dZ1");
    if (!r) return r;
  }
  return testing::AssertionSuccess();
}

// [tanh-backward-test]
TEST(Eq11_TanhBackward, ShapeIsTheShapeOfA) {
  const arma::mat dZ = bp::tanh_backward(arma::mat(16, 500, arma::fill::ones),
                                         arma::mat(16, 500, arma::fill::zeros));
  ASSERT_TRUE(HasShape(dZ, 16, 500, "tanh_backward(dA 16×500 of ones, A 16×500 of zeros)"));
}

TEST(Eq11_TanhBackward, RejectsShapesThatDoNotMatch) {
  ASSERT_NO_THROW(
      bp::tanh_backward(arma::mat(3, 4, arma::fill::ones), arma::mat(3, 4, arma::fill::zeros)));
  EXPECT_TRUE(ThrowsShapeErrorNaming([] { bp::tanh_backward(arma::mat(3, 4), arma::mat(4, 3)); },
                                     "3×4", "4×3"));
}

TEST(Eq11_TanhBackward, IsElementWiseWorkedByHand) {
  // dA ⊙ (1 − A²): [1 2; 3 4] ⊙ [1 − 0, 1 − 0.25; 1 − 0.25, 1 − 0.81] = [1 1.5; 2.25 0.76].
  // A matrix product (dA (1 − A²)) would give other numbers for the same shapes.
  const arma::mat dA = {{1.0, 2.0}, {3.0, 4.0}};
  const arma::mat A = {{0.0, 0.5}, {-0.5, 0.9}};
  const arma::mat dZ = bp::tanh_backward(dA, A);
  const std::string input = "For dA = [1 2; 3 4], A = [0 0.5; -0.5 0.9]";
  ASSERT_EQ(dZ.n_rows, 2u) << input << ": dZ is 2×2, got " << bp::shape_of(dZ);
  ASSERT_EQ(dZ.n_cols, 2u) << input << ": dZ is 2×2, got " << bp::shape_of(dZ);
  const arma::mat expected = {{1.0, 1.5}, {2.25, 0.76}};
  bp::test::Clues clues;
  clues.name = "dZ";
  clues.equation = "(11): dZ = dA ⊙ (1 − A²)";
  clues.suspects = bp::test::tanh_backward_suspects(dA, A, arma::mat());
  EXPECT_TRUE(arma::approx_equal(dZ, expected, "absdiff", 1e-15))
      << bp::test::doctor_report(dZ, expected, clues) << " " << input
      << ": expected [1 1.5; 2.25 0.76], got " << dZ;
}

TEST(Eq11_TanhBackward, MatchesCentralDifferencesOfTheLoss) {
  ASSERT_NO_THROW(
      bp::tanh_backward(arma::mat(2, 2, arma::fill::ones), arma::mat(2, 2, arma::fill::zeros)));
  EXPECT_TRUE(TanhBackwardIsTheGradientOfTheLoss(bp::tanh_backward));
}

TEST(Eq11_TanhBackward, SaturatedUnitsPassNothing) {
  // A = ±1 (tanh of |z| > 19.1 in double): 1 − A² = 0, so nothing flows back through them;
  // A = 0: 1 − A² = 1, dA passes unchanged.
  const arma::mat dZ = bp::tanh_backward(arma::mat{{5.0, -7.0, 3.0}}, arma::mat{{1.0, -1.0, 0.0}});
  SCOPED_TRACE("for dA = [5 -7 3], A = [1 -1 0]: expected dZ = [0 0 3]");
  ASSERT_EQ(dZ.n_cols, 3u);
  EXPECT_EQ(dZ(0), 0.0) << "A = 1 passes nothing";
  EXPECT_EQ(dZ(1), 0.0) << "A = -1 passes nothing";
  EXPECT_EQ(dZ(2), 3.0) << "A = 0 passes dA unchanged";
}

TEST(Eq11_TanhBackward, PlantedBugsAreCaught) {
  ASSERT_NO_THROW(
      bp::tanh_backward(arma::mat(2, 2, arma::fill::ones), arma::mat(2, 2, arma::fill::zeros)));
  ASSERT_TRUE(TanhBackwardIsTheGradientOfTheLoss(bp::tanh_backward));
  for (const auto& bug : bp::test::planted_tanh_backward_bugs())
    EXPECT_FALSE(TanhBackwardIsTheGradientOfTheLoss(bug.fn))
        << "the planted bug " << bug.name << " (" << bug.mistake << ") was not caught";
}
// [tanh-backward-test]

// ---------------------------------------------------------------------------------------------
// Exercise 8.3: the hidden layer, dA1, dZ1, dW1, db1 — each intermediate checked on its own.

// Every intermediate and gradient of a candidate hidden-layer backward, on every network,
// against the loss seen from that intermediate. Stops at the first that fails.
testing::AssertionResult HiddenLayerMatchesTheLoss(const bp::test::HiddenLayerFn& hidden) {
  for (const Network& net : networks()) {
    const Example e = make_example(net);
    const bp::HiddenGrads g = hidden(e.params, e.cache, reference_dZ2(e));
    testing::AssertionResult r = MatchesTheLoss(loss_of_A1(e), e.cache.A1, g.dA1, e, net, "dA1");
    if (r) r = MatchesTheLoss(loss_of_Z1(e), e.cache.Z1, g.dZ1, e, net, "dZ1");
    if (r) r = MatchesTheLoss(bp::test::loss_of_W1(e), e.params.W1, g.dW1, e, net, "dW1");
    if (r) r = MatchesTheLoss(bp::test::loss_of_b1(e), e.params.b1, g.db1, e, net, "db1");
    if (!r) return r;
  }
  return testing::AssertionSuccess();
}

// [hidden-layer-test]
TEST(HiddenLayer_Backward, ShapesOfEveryIntermediate) {
  // On the post's network: dA1 and dZ1 N×H (16×500), dW1 D×H (2×500), db1 1×H (1×500).
  const Example e = make_example(bp::test::posts_network(16));
  const bp::HiddenGrads g = bp::hidden_layer_backward(e.params, e.cache, reference_dZ2(e));
  SCOPED_TRACE("hidden_layer_backward on the network " + bp::test::posts_network(16).name());
  ASSERT_TRUE(HasShape(g.dA1, 16, 500, "dA1"));
  ASSERT_TRUE(HasShape(g.dZ1, 16, 500, "dZ1"));
  ASSERT_TRUE(HasShape(g.dW1, 2, 500, "dW1"));
  ASSERT_TRUE(HasShape(g.db1, 1, 500, "db1"));
}

TEST(HiddenLayer_Backward, Eq10_DA1MatchesCentralDifferences) {
  for (const Network& net : networks()) {
    const Example e = make_example(net);
    const bp::HiddenGrads g = bp::hidden_layer_backward(e.params, e.cache, reference_dZ2(e));
    EXPECT_TRUE(MatchesTheLoss(loss_of_A1(e), e.cache.A1, g.dA1, e, net, "dA1"));
  }
}

TEST(HiddenLayer_Backward, Eq11_DZ1MatchesCentralDifferences) {
  for (const Network& net : networks()) {
    const Example e = make_example(net);
    const bp::HiddenGrads g = bp::hidden_layer_backward(e.params, e.cache, reference_dZ2(e));
    EXPECT_TRUE(MatchesTheLoss(loss_of_Z1(e), e.cache.Z1, g.dZ1, e, net, "dZ1"));
  }
}

TEST(HiddenLayer_Backward, PlantedBugsAreCaught) {
  // The checks of the four results pass this exercise's hidden layer and fail the tanh
  // derivative taken of Z1 and a dW1 built from A1 instead of X.
  const Example first = make_example(bp::test::small_networks()[0]);
  ASSERT_NO_THROW(bp::hidden_layer_backward(first.params, first.cache, reference_dZ2(first)));
  ASSERT_TRUE(HiddenLayerMatchesTheLoss(bp::hidden_layer_backward));
  for (const auto& bug : bp::test::planted_hidden_layer_bugs())
    EXPECT_FALSE(HiddenLayerMatchesTheLoss(bug.fn))
        << "the planted bug " << bug.name << " (" << bug.mistake << ") was not caught";
}
// [hidden-layer-test]

// [hidden-weights-test]
TEST(Eq16_HiddenWeights, MatchesCentralDifferencesOfTheLoss) {
  // dW1 = Xᵀ dZ1 against the loss as a function of W1, the whole forward pass recomputed.
  for (const Network& net : networks()) {
    const Example e = make_example(net);
    const bp::HiddenGrads g = bp::hidden_layer_backward(e.params, e.cache, reference_dZ2(e));
    EXPECT_TRUE(MatchesTheLoss(bp::test::loss_of_W1(e), e.params.W1, g.dW1, e, net, "dW1"));
  }
}

TEST(Eq16_HiddenWeights, ThePostsProductIsNotDefinedTheCorrectedOneIs) {
  // One sample, as in the post. Its (16) reads xᵀ (1 − tanh² z1)(y − ŷ) W2ᵀ: (2×1)(1×H) is 2×H,
  // and 2×H times (y − ŷ), 1×2, is not defined. Armadillo refuses it. The corrected order,
  // xᵀ [((ŷ − y) W2ᵀ) ⊙ (1 − a1²)], is (2×1)(1×H) = 2×H, W1's shape, and equals dW1.
  const Example e = make_example(bp::test::small_networks()[1]);  // N = 1
  const bp::HiddenGrads g = bp::hidden_layer_backward(e.params, e.cache, reference_dZ2(e));
  const arma::mat x = e.X, a1 = e.cache.A1, y = e.Y, y_hat = e.cache.P;
  EXPECT_THROW(
      {
        const arma::mat printed = x.t() * (1.0 - arma::square(a1)) * (y - y_hat) * e.params.W2.t();
        (void)printed;
      },
      std::logic_error)
      << "the post's (16): (2×1)(1×" << a1.n_cols << ") times (y − ŷ), 1×2, is not defined";
  const arma::mat corrected = x.t() * (((y_hat - y) * e.params.W2.t()) % (1.0 - arma::square(a1)));
  EXPECT_TRUE(AgreesToRounding(g.dW1, corrected));
}

TEST(Eq16_HiddenWeights, DuplicatingTheBatchLeavesItUnchanged) {
  const Example e = make_example(bp::test::small_networks()[2]);
  const Example twice = bp::test::duplicated(e);
  const bp::HiddenGrads g = bp::hidden_layer_backward(e.params, e.cache, reference_dZ2(e));
  const bp::HiddenGrads g2 =
      bp::hidden_layer_backward(twice.params, twice.cache, reference_dZ2(twice));
  EXPECT_TRUE(AgreesToRounding(g2.dW1, g.dW1));
}
// [hidden-weights-test]

// [hidden-bias-test]
TEST(Eq17_HiddenBias, MatchesCentralDifferencesOfTheLoss) {
  // db1 = Σ_rows dZ1 against the loss as a function of b1 — ∂z1/∂b1, not the post's ∂z1/∂W1.
  for (const Network& net : networks()) {
    const Example e = make_example(net);
    const bp::HiddenGrads g = bp::hidden_layer_backward(e.params, e.cache, reference_dZ2(e));
    EXPECT_TRUE(MatchesTheLoss(bp::test::loss_of_b1(e), e.params.b1, g.db1, e, net, "db1"));
  }
}

TEST(Eq17_HiddenBias, IsTheSumOfTheRowsOfDZ1) {
  // The same dZ1 feeds both gradients of layer 1: db1 adds its rows, dW1 weighs them by X.
  const Example e = make_example(bp::test::small_networks()[2]);
  const bp::HiddenGrads g = bp::hidden_layer_backward(e.params, e.cache, reference_dZ2(e));
  SCOPED_TRACE("hidden_layer_backward on the network " + bp::test::small_networks()[2].name());
  ASSERT_TRUE(HasShape(g.db1, 1, g.dZ1.n_cols, "db1"));
  EXPECT_TRUE(AgreesToRounding(g.db1, arma::sum(g.dZ1, 0)));
  EXPECT_TRUE(AgreesToRounding(g.dW1, e.X.t() * g.dZ1));
}

TEST(Eq17_HiddenBias, DuplicatingTheBatchLeavesItUnchanged) {
  const Example e = make_example(bp::test::small_networks()[2]);
  const Example twice = bp::test::duplicated(e);
  const bp::HiddenGrads g = bp::hidden_layer_backward(e.params, e.cache, reference_dZ2(e));
  const bp::HiddenGrads g2 =
      bp::hidden_layer_backward(twice.params, twice.cache, reference_dZ2(twice));
  EXPECT_TRUE(AgreesToRounding(g2.db1, g.db1));
}
// [hidden-bias-test]

}  // namespace
