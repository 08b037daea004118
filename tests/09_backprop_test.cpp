// Chapter 09 tests: the whole backward pass and the full gradient check.
//
// Exercise 9.1 -> suites Backprop_Backward (each block, the invariants), Backprop_FullCheck
// (all 2502 parameters of the post's network) and Backprop_PlantedBugs (the checks fail each
// planted bug); exercise 9.2 -> suite Backprop_GradientCheck (chapters/exercises.txt holds the
// map). The first call of every test is a call of the function under test.
//
// What is trusted. Networks, batches and forward passes come from tests/support/reference (plain
// Armadillo); the learner's backward is checked against central differences of the reference
// loss (tests/support/gradcheck), never of the learner's forward or loss, and never with the
// learner's chapter-05 checker. The tests of 9.2 feed the learner's checker the reference
// backward (correct) and backward passes with known mistakes, and compare what it reports with
// numbers the test knows: 0 for a correct gradient, exactly 1 for a zero one, exactly 1/3 for
// one twice too large, and the trusted checker's own figure for one wrong entry.
//
// Tolerances: kTolerance (1e-6) relative at step kStep (1e-5), with the floor
// bp::test::gradient_floor (kFloor, 1e-4, times max(1, |L|): its comment relates it to the
// rounding error ε|L|/h of chapter 05's figure); identities between exact computations to 1e-12
// of the largest entry.
//
// Time. A check of every entry costs two loss evaluations per parameter: 5004 forward passes
// for the post's 2502 parameters. On a batch of 16 one pass costs about 0.1 ms, so the whole
// check takes well under a second; on a batch of 200 (the chapter program's) it would take
// ~20 s with the reference's full forward pass, so there the test uses random directions and
// sampled entries of every block instead.
#include <gtest/gtest.h>

#include <armadillo>
#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "09_backprop/backprop.hpp"
#include "common/shape.hpp"
#include "support/gradcheck.hpp"
#include "support/planted_bugs.hpp"
#include "support/reference.hpp"

namespace {

using bp::test::AgreesToRounding;
using bp::test::CaughtInItsBlocks;
using bp::test::Example;
using bp::test::make_example;
using bp::test::Network;

// What the gradient doctor is told about one block of backward() on e: the equation, the N of
// the mean, and the known mistakes of that block (support/doctor.hpp's backward_suspects).
bp::test::Clues block_clues(const Example& e, const std::string& block) {
  const bp::test::BackwardSuspects all = bp::test::backward_suspects(e.params, e.cache, e.Y);
  bp::test::Clues clues;
  clues.samples = e.X.n_rows;
  if (block == "dW1") {
    clues.equation = "the corrected (16): dW1 = Xᵀ [(dZ2 W2ᵀ) ⊙ (1 − A1²)]";
    clues.suspects = all.W1;
  } else if (block == "db1") {
    clues.equation = "the corrected (17): db1 = Σ_rows dZ1";
    clues.suspects = all.b1;
  } else if (block == "dW2") {
    clues.equation = "the corrected (14): dW2 = A1ᵀ dZ2";
    clues.suspects = all.W2;
  } else {
    clues.equation = "the corrected (15): db2 = Σ_rows dZ2";
    clues.suspects = all.b2;
  }
  return clues;
}

// The doctor on every block of g against the reference backward on e: empty when all agree.
std::string doctor(const bp::Grads& g, const Example& e) {
  return bp::test::doctor_backward(g, bp::test::reference_backward(e.params, e.cache, e.Y),
                                   e.params, e.cache, e.Y, bp::test::gradient_floor(e.loss));
}

// Whether every block of `errors` is within the tolerance.
testing::AssertionResult Passes(const bp::GradientCheck& errors, const std::string& where) {
  if (errors.worst() <= bp::test::kTolerance)
    return testing::AssertionSuccess() << where << ": " << bp::test::describe(errors);
  return testing::AssertionFailure()
         << where << ": worst relative error per block " << bp::test::describe(errors)
         << ", tolerance " << bp::test::kTolerance;
}

// ---------------------------------------------------------------------------------------------
// Exercise 9.1: backward(params, cache, Y) -> Grads.

// [backward-test]
TEST(Backprop_Backward, ShapesMatchTheParameters) {
  // dW1 2×500, db1 1×500, dW2 500×2, db2 1×2 on the post's network; D×H, 1×H, H×K, 1×K on one
  // with three inputs and three classes.
  const Example post = make_example(bp::test::posts_network(16));
  const bp::Grads g = bp::backward(post.params, post.cache, post.Y);
  ASSERT_TRUE(bp::test::HasTheShapesOfTheParameters(g, post.params))
      << "backward on the network " << bp::test::posts_network(16).name();
  const Example three = make_example(bp::test::small_networks()[2]);
  EXPECT_TRUE(bp::test::HasTheShapesOfTheParameters(
      bp::backward(three.params, three.cache, three.Y), three.params))
      << "backward on the network " << bp::test::small_networks()[2].name();
}

TEST(Backprop_Backward, Eq16_DW1MatchesCentralDifferences) {
  for (const Network& net : bp::test::small_networks()) {
    const Example e = make_example(net);
    const bp::Grads g = bp::backward(e.params, e.cache, e.Y);
    EXPECT_TRUE(bp::test::MatchesCentralDifferences(bp::test::loss_of_W1(e), e.params.W1, g.dW1,
                                                    "dW1", block_clues(e, "dW1")))
        << net.name();
  }
}

TEST(Backprop_Backward, Eq17_Db1MatchesCentralDifferences) {
  for (const Network& net : bp::test::small_networks()) {
    const Example e = make_example(net);
    const bp::Grads g = bp::backward(e.params, e.cache, e.Y);
    EXPECT_TRUE(bp::test::MatchesCentralDifferences(bp::test::loss_of_b1(e), e.params.b1, g.db1,
                                                    "db1", block_clues(e, "db1")))
        << net.name();
  }
}

TEST(Backprop_Backward, Eq14_DW2MatchesCentralDifferences) {
  for (const Network& net : bp::test::small_networks()) {
    const Example e = make_example(net);
    const bp::Grads g = bp::backward(e.params, e.cache, e.Y);
    EXPECT_TRUE(bp::test::MatchesCentralDifferences(bp::test::loss_of_W2(e), e.params.W2, g.dW2,
                                                    "dW2", block_clues(e, "dW2")))
        << net.name();
  }
}

TEST(Backprop_Backward, Eq15_Db2MatchesCentralDifferences) {
  for (const Network& net : bp::test::small_networks()) {
    const Example e = make_example(net);
    const bp::Grads g = bp::backward(e.params, e.cache, e.Y);
    EXPECT_TRUE(bp::test::MatchesCentralDifferences(bp::test::loss_of_b2(e), e.params.b2, g.db2,
                                                    "db2", block_clues(e, "db2")))
        << net.name();
  }
}

TEST(Backprop_Backward, OneSampleGivesThePostsFormulasCorrected) {
  // N = 1, in the post's notation, with the errata applied: ∂L/∂z2 = ŷ − y (7); dW2 = a1ᵀ(ŷ − y)
  // (14); db2 = ŷ − y (15); δ1 = ((ŷ − y) W2ᵀ) ⊙ (1 − a1²) (10, 11); dW1 = xᵀ δ1 (16); db1 = δ1
  // (17). With one sample the mean is the sum, and the formulas are the batch's with N = 1.
  const Example e = make_example(bp::test::small_networks()[1]);
  ASSERT_EQ(e.X.n_rows, 1u) << "the network " << bp::test::small_networks()[1].name()
                            << " was meant to have one sample";
  const bp::Grads g = bp::backward(e.params, e.cache, e.Y);
  const arma::mat x = e.X, y = e.Y, y_hat = e.cache.P, a1 = e.cache.A1;
  const arma::mat dz2 = y_hat - y;
  const arma::mat delta1 = (dz2 * e.params.W2.t()) % (1.0 - a1 % a1);
  EXPECT_TRUE(AgreesToRounding(g.dW2, a1.t() * dz2)) << "(14)";
  EXPECT_TRUE(AgreesToRounding(g.db2, dz2)) << "(15)";
  EXPECT_TRUE(AgreesToRounding(g.dW1, x.t() * delta1)) << "(16)";
  EXPECT_TRUE(AgreesToRounding(g.db1, delta1)) << "(17)";
  // And the post's signs, y − ŷ, give exactly the negatives: the gradient of a quantity to
  // maximise.
  EXPECT_TRUE(AgreesToRounding(-g.db2, y - y_hat));
}

TEST(Backprop_Backward, DuplicatingTheBatchLeavesEveryGradientUnchanged) {
  // The mean loss of a batch stacked twice is the same function of the parameters, so its
  // gradient is the same: twice the terms, each with 1/(2N) instead of 1/N.
  for (const Network& net : {bp::test::small_networks()[0], bp::test::small_networks()[2],
                             bp::test::posts_network(16)}) {
    const Example e = make_example(net);
    const Example twice = bp::test::duplicated(e);
    const bp::Grads g = bp::backward(e.params, e.cache, e.Y);
    const bp::Grads g2 = bp::backward(twice.params, twice.cache, twice.Y);
    EXPECT_TRUE(AgreesToRounding(g2.dW1, g.dW1)) << net.name();
    EXPECT_TRUE(AgreesToRounding(g2.db1, g.db1)) << net.name();
    EXPECT_TRUE(AgreesToRounding(g2.dW2, g.dW2)) << net.name();
    EXPECT_TRUE(AgreesToRounding(g2.db2, g.db2)) << net.name();
  }
}
// [backward-test]

// Numerics: the backward pass stays finite where the forward pass is at its extremes.
testing::AssertionResult AllFinite(const bp::Grads& g) {
  if (g.dW1.is_finite() && g.db1.is_finite() && g.dW2.is_finite() && g.db2.is_finite())
    return testing::AssertionSuccess();
  return testing::AssertionFailure() << "a gradient has a NaN or an infinite entry";
}

// Every block of `g` agrees to rounding with the reference backward pass of `e`.
void ExpectTheReferenceGradients(const bp::Grads& g, const Example& e) {
  const bp::Grads want = bp::test::reference_backward(e.params, e.cache, e.Y);
  SCOPED_TRACE(doctor(g, e));
  EXPECT_TRUE(AgreesToRounding(g.dW1, want.dW1)) << "dW1";
  EXPECT_TRUE(AgreesToRounding(g.db1, want.db1)) << "db1";
  EXPECT_TRUE(AgreesToRounding(g.dW2, want.dW2)) << "dW2";
  EXPECT_TRUE(AgreesToRounding(g.db2, want.db2)) << "db2";
}

TEST(Backprop_Backward, LogitsOfAThousandGiveFiniteGradientsEqualToTheReference) {
  // W2 scaled up: the logits reach thousands, e^Z2 would overflow, the probabilities are 0 or 1
  // to the last bit, and dZ2 = (P − Y)/N is exact. Nothing may become NaN on the way.
  Example e = make_example(bp::test::posts_network(16));
  e.params.W2 *= 2000.0;
  e.cache = bp::test::reference_forward(e.params, e.X);
  ASSERT_GT(arma::abs(e.cache.Z2).max(), 1000.0) << "the logits were meant to be huge";
  ASSERT_TRUE(std::isfinite(bp::test::reference_loss_from_logits(e.cache.Z2, e.Y)))
      << "the reference loss at these logits, " << bp::test::show(e.cache.Z2);
  const bp::Grads g = bp::backward(e.params, e.cache, e.Y);
  ASSERT_TRUE(bp::test::HasTheShapesOfTheParameters(g, e.params));
  EXPECT_TRUE(AllFinite(g));
  ExpectTheReferenceGradients(g, e);
}

TEST(Backprop_Backward, SaturatedTanhGivesFiniteGradientsAndNothingThroughSaturatedUnits) {
  // W1 and b1 scaled up: most |Z1| exceed 20, where tanh rounds to ±1 exactly (1 − tanh z ≈
  // 2e^{-2z} < 2^-53 beyond z ≈ 18.7), so 1 − A1² is exactly 0: a unit saturated on every row
  // passes no gradient to W1 and b1 — exactly 0, not NaN, not a rounding residue.
  Example e = make_example(bp::test::posts_network(16));
  e.params.W1 *= 1e4;
  e.params.b1 *= 1e4;
  e.cache = bp::test::reference_forward(e.params, e.X);
  const arma::urowvec saturated = arma::all(arma::abs(e.cache.Z1) > 20.0, 0);
  ASSERT_GT(arma::accu(saturated), 400u) << "most units were meant to saturate";
  const bp::Grads g = bp::backward(e.params, e.cache, e.Y);
  ASSERT_TRUE(bp::test::HasTheShapesOfTheParameters(g, e.params));
  EXPECT_TRUE(AllFinite(g));
  for (arma::uword h = 0; h < saturated.n_elem; ++h) {
    if (!saturated(h)) continue;
    EXPECT_EQ(g.db1(h), 0.0) << "unit " << h;
    EXPECT_EQ(arma::abs(g.dW1.col(h)).max(), 0.0) << "unit " << h;
  }
  ExpectTheReferenceGradients(g, e);
}

// [full-check-test]
TEST(Backprop_FullCheck, EveryParameterOfThePostsNetwork) {
  // All 2·500 + 500 + 500·2 + 2 = 2502 parameters, each against its own central difference of
  // the reference loss: 5004 forward passes on a batch of 16.
  const Example e = make_example(bp::test::posts_network(16));
  const bp::Grads g = bp::backward(e.params, e.cache, e.Y);
  ASSERT_EQ(g.dW1.n_elem + g.db1.n_elem + g.dW2.n_elem + g.db2.n_elem, 2502u)
      << "backward on the network " << bp::test::posts_network(16).name() << ": dW1 "
      << bp::shape_of(g.dW1) << ", db1 " << bp::shape_of(g.db1) << ", dW2 " << bp::shape_of(g.dW2)
      << ", db2 " << bp::shape_of(g.db2);
  const bp::GradientCheck errors = bp::test::check_every_entry(g, e);
  EXPECT_TRUE(Passes(errors, "all 2502 parameters, N = 16")) << doctor(g, e);
  RecordProperty("worst_relative_errors", bp::test::describe(errors));
}

TEST(Backprop_FullCheck, RandomDirectionsAndSampledEntriesOnABatchOf200) {
  // The chapter program's batch size: 8 random directions and 40 sampled entries per block
  // (both entries of b2).
  const Example e = make_example(bp::test::posts_network(200));
  const bp::Grads g = bp::backward(e.params, e.cache, e.Y);
  const bp::GradientCheck errors = bp::test::check_sampled(g, e, 8, 40, 91);
  EXPECT_TRUE(Passes(errors, "the post's network, N = 200, directions and sampled entries"))
      << doctor(g, e);
}
// [full-check-test]

// [planted-bugs-test]
TEST(Backprop_PlantedBugs, EachIsCaughtInTheBlocksItCorrupts) {
  // The same full check, on the same networks: it passes backward() and the reference, and
  // flags each planted bug in exactly the blocks the bug makes wrong.
  for (const Network& net : bp::test::planted_bug_networks()) {
    const Example e = make_example(net);
    ASSERT_TRUE(Passes(bp::test::check_every_entry(bp::backward(e.params, e.cache, e.Y), e),
                       "backward() on " + net.name()));
    ASSERT_TRUE(
        Passes(bp::test::check_every_entry(bp::test::reference_backward(e.params, e.cache, e.Y), e),
               "the reference on " + net.name()));
    for (const bp::test::PlantedBackward& bug : bp::test::planted_backward_bugs()) {
      const bp::GradientCheck errors =
          bp::test::check_every_entry(bug.backward(e.params, e.cache, e.Y), e);
      EXPECT_TRUE(CaughtInItsBlocks(errors, bug.corrupts))
          << "the planted bug " << bug.name << " (" << bug.mistake << ") on " << net.name();
    }
  }
}

TEST(Backprop_PlantedBugs, EachIsCaughtOnThePostsNetwork) {
  // H = 500, N = 32: directions and sampled entries pass backward() and catch every bug that
  // computes; W2 given for W2ᵀ does not even compute, (32×2)(500×2), and Armadillo says so.
  const Example e = make_example(bp::test::posts_network(32));
  ASSERT_TRUE(Passes(bp::test::check_sampled(bp::backward(e.params, e.cache, e.Y), e, 4, 20, 92),
                     "backward()"));
  for (const bp::test::PlantedBackward& bug : bp::test::planted_backward_bugs()) {
    if (bug.name == "W2NotTransposed") {
      EXPECT_THROW(bug.backward(e.params, e.cache, e.Y), std::logic_error)
          << "the planted bug " << bug.name << ": dZ2 W2 is (32×2)(500×2), not defined";
      continue;
    }
    const bp::GradientCheck errors =
        bp::test::check_sampled(bug.backward(e.params, e.cache, e.Y), e, 4, 20, 92);
    EXPECT_TRUE(CaughtInItsBlocks(errors, bug.corrupts))
        << "the planted bug " << bug.name << " (" << bug.mistake << ")";
  }
}
// [planted-bugs-test]

// ---------------------------------------------------------------------------------------------
// Exercise 9.2: gradient_check(backward_fn, params, X, Y, h, floor) -> the worst relative error
// of each block.

// The learner's checker with the tests' step and floor.
bp::GradientCheck learner_check(const bp::BackwardFunction& backward_fn, const Example& e) {
  return bp::gradient_check(backward_fn, e.params, e.X, e.Y, bp::test::kStep,
                            bp::test::gradient_floor(e.loss));
}

// A backward pass that returns the reference gradients changed by `change`.
bp::BackwardFunction changed(const std::function<void(bp::Grads&)>& change) {
  return [change](const bp::Params& p, const bp::Cache& c, const arma::mat& Y) {
    bp::Grads g = bp::test::reference_backward(p, c, Y);
    change(g);
    return g;
  };
}

// [gradient-check-test]
TEST(Backprop_GradientCheck, RejectsGradientsOfTheWrongShape) {
  const Example e = make_example(bp::test::small_networks()[0]);
  ASSERT_NO_THROW(learner_check(bp::test::reference_backward, e));
  // dW1 transposed (3×2 for 2×3); db2 with three entries for two classes.
  EXPECT_TRUE(bp::test::ThrowsShapeErrorNaming(
      [&] { learner_check(changed([](bp::Grads& g) { g.dW1 = arma::mat(g.dW1.t()); }), e); }, "3×2",
      "2×3"));
  EXPECT_THROW(learner_check(changed([](bp::Grads& g) { g.db2 = arma::rowvec(3); }), e),
               bp::ShapeError)
      << "db2 1×3 for b2 1×2";
}

TEST(Backprop_GradientCheck, ACorrectBackwardPassesEveryBlock) {
  // The reference backward, on every small network and on all 2502 parameters of the post's.
  std::vector<Network> nets = bp::test::small_networks();
  nets.push_back(bp::test::posts_network(16));
  for (const Network& net : nets) {
    const Example e = make_example(net);
    EXPECT_TRUE(Passes(learner_check(bp::test::reference_backward, e), net.name()));
  }
}

TEST(Backprop_GradientCheck, ZeroGradientsGiveRelativeErrorOne) {
  // a = 0 against g ≠ 0: |0 − g| / |g| = 1 exactly, in every block (each has an entry above the
  // floor). A checker that skips a block, or divides by the wrong thing, reports something else.
  const Example e = make_example(bp::test::small_networks()[0]);
  const bp::GradientCheck errors = learner_check(changed([](bp::Grads& g) {
                                                   g.dW1.zeros();
                                                   g.db1.zeros();
                                                   g.dW2.zeros();
                                                   g.db2.zeros();
                                                 }),
                                                 e);
  SCOPED_TRACE("gradient_check of a backward that returns zeros, on the network " +
               bp::test::small_networks()[0].name() + ": |0 − g| / |g| = 1 in every block");
  EXPECT_DOUBLE_EQ(errors.W1, 1.0);
  EXPECT_DOUBLE_EQ(errors.b1, 1.0);
  EXPECT_DOUBLE_EQ(errors.W2, 1.0);
  EXPECT_DOUBLE_EQ(errors.b2, 1.0);
}

TEST(Backprop_GradientCheck, DoubledGradientsGiveOneThird) {
  // a = 2g: |2g − g| / (|2g| + |g|) = 1/3 for every entry above the floor, up to the central
  // difference's own error: at most kTolerance (1e-6) relative, as in every check.
  const Example e = make_example(bp::test::small_networks()[2]);
  const bp::GradientCheck errors = learner_check(changed([](bp::Grads& g) {
                                                   g.dW1 *= 2.0;
                                                   g.db1 *= 2.0;
                                                   g.dW2 *= 2.0;
                                                   g.db2 *= 2.0;
                                                 }),
                                                 e);
  SCOPED_TRACE("gradient_check of a backward that returns twice the gradients, on the network " +
               bp::test::small_networks()[2].name() + ": |2g − g| / (|2g| + |g|) = 1/3");
  EXPECT_NEAR(errors.W1, 1.0 / 3.0, bp::test::kTolerance);
  EXPECT_NEAR(errors.b1, 1.0 / 3.0, bp::test::kTolerance);
  EXPECT_NEAR(errors.W2, 1.0 / 3.0, bp::test::kTolerance);
  EXPECT_NEAR(errors.b2, 1.0 / 3.0, bp::test::kTolerance);
}

TEST(Backprop_GradientCheck, OneWrongEntryIsFoundInItsBlock) {
  // One entry off by 1e-3, in turn the last entry of each block of the post's network (H = 500):
  // a checker that samples entries, or stops one short, misses it. The figure to expect is that
  // entry's relative error against the trusted central difference (every other entry is within
  // 1e-7); the two checkers' central differences differ by rounding, ~1e-11, far below 1e-6.
  const Example e = make_example(bp::test::posts_network(16));
  const double floor = bp::test::gradient_floor(e.loss);
  struct Case {
    std::string block;
    std::function<arma::mat&(bp::Grads&)> of_grads;
    arma::mat parameter;
    std::function<double(const arma::mat&)> loss;
  };
  const std::vector<Case> cases = {
      {"W1", [](bp::Grads& g) -> arma::mat& { return g.dW1; }, e.params.W1,
       bp::test::loss_of_W1(e)},
      {"b1", [](bp::Grads& g) -> arma::mat& { return g.db1; }, e.params.b1,
       bp::test::loss_of_b1(e)},
      {"W2", [](bp::Grads& g) -> arma::mat& { return g.dW2; }, e.params.W2,
       bp::test::loss_of_W2(e)},
      {"b2", [](bp::Grads& g) -> arma::mat& { return g.db2; }, e.params.b2,
       bp::test::loss_of_b2(e)},
  };
  const auto worst_of = [](const bp::GradientCheck& c, const std::string& block) {
    return block == "W1" ? c.W1 : block == "b1" ? c.b1 : block == "W2" ? c.W2 : c.b2;
  };
  for (const Case& c : cases) {
    const bp::GradientCheck got = learner_check(changed([&c](bp::Grads& g) {
                                                  arma::mat& block = c.of_grads(g);
                                                  block(block.n_elem - 1) += 1e-3;
                                                }),
                                                e);
    // The trusted figure: the wrong entry against its own central difference.
    bp::Grads wrong = bp::test::reference_backward(e.params, e.cache, e.Y);
    arma::mat& block = c.of_grads(wrong);
    const arma::uword last = block.n_elem - 1;
    block(last) += 1e-3;
    arma::mat up = c.parameter, down = c.parameter;
    up(last) += bp::test::kStep;
    down(last) -= bp::test::kStep;
    const double numerical = (c.loss(up) - c.loss(down)) / (2.0 * bp::test::kStep);
    const double want = bp::test::relative_error(block(last), numerical, floor);
    ASSERT_GT(want, 1e-3) << c.block;
    EXPECT_NEAR(worst_of(got, c.block), want, 1e-6 * want) << "the wrong last entry of " << c.block;
    for (const std::string other : {"W1", "b1", "W2", "b2"}) {
      if (other != c.block) {
        EXPECT_LE(worst_of(got, other), bp::test::kTolerance) << other;
      }
    }
  }
}

TEST(Backprop_GradientCheck, ReportsTheLargestErrorOfEachBlockWhereverItIs) {
  // In each block of the post's network (H = 500), three entries wrong by different amounts:
  // the entry of largest |gradient| that is neither the first nor the last — in W1 and b1 not
  // of the last hidden unit either — is set to 0, a relative error of exactly 1 (its |g| is
  // far above the floor); the first entry is scaled by 1.1 and the last by 1.01, relative
  // errors 0.1/2.1 and 0.01/2.01 at most. The worst is 1, wherever the checker's loops put it:
  // one that kept the last error it computed (of the block, or of the last hidden unit) or the
  // first reports 0.05 or less. b2 has two entries: its first is set to 0, its last scaled.
  const Example e = make_example(bp::test::posts_network(16));
  const double floor = bp::test::gradient_floor(e.loss);
  const bp::Grads right = bp::test::reference_backward(e.params, e.cache, e.Y);
  // The index of the largest |entry| of `block` among first … last.
  const auto largest_between = [](const arma::mat& block, arma::uword first, arma::uword last) {
    const arma::vec entries = arma::vectorise(block);
    return first + arma::index_max(arma::abs(entries.subvec(first, last)));
  };
  const arma::uword W1_end = right.dW1.n_elem - right.dW1.n_rows - 1;  // before the last unit
  const arma::uword in_W1 = largest_between(right.dW1, 1, W1_end);
  const arma::uword in_b1 = largest_between(right.db1, 1, right.db1.n_elem - 2);
  const arma::uword in_W2 = largest_between(right.dW2, 1, right.dW2.n_elem - 2);
  const arma::uword in_b2 = 0;
  ASSERT_GT(std::abs(right.dW1(in_W1)), 10.0 * floor) << "dW1's entry " << in_W1 << ", set to 0";
  ASSERT_GT(std::abs(right.db1(in_b1)), 10.0 * floor) << "db1's entry " << in_b1 << ", set to 0";
  ASSERT_GT(std::abs(right.dW2(in_W2)), 10.0 * floor) << "dW2's entry " << in_W2 << ", set to 0";
  ASSERT_GT(std::abs(right.db2(in_b2)), 10.0 * floor) << "db2's first entry, to be set to 0";
  const auto wrong = [](arma::mat& block, arma::uword at) {
    block(0) *= 1.1;
    block(block.n_elem - 1) *= 1.01;
    block(at) = 0.0;
  };
  const bp::GradientCheck errors = learner_check(changed([&](bp::Grads& g) {
                                                   wrong(g.dW1, in_W1);
                                                   wrong(g.db1, in_b1);
                                                   wrong(g.dW2, in_W2);
                                                   wrong(g.db2, in_b2);
                                                 }),
                                                 e);
  EXPECT_DOUBLE_EQ(errors.W1, 1.0) << "dW1: the entry set to 0 is entry " << in_W1;
  EXPECT_DOUBLE_EQ(errors.b1, 1.0) << "db1: the entry set to 0 is entry " << in_b1;
  EXPECT_DOUBLE_EQ(errors.W2, 1.0) << "dW2: the entry set to 0 is entry " << in_W2;
  EXPECT_DOUBLE_EQ(errors.b2, 1.0) << "db2: the entry set to 0 is its first";
}

TEST(Backprop_GradientCheck, ReportsEachPlantedBugInTheBlocksItCorrupts) {
  // Each planted bug through the learner's checker on the networks where every bug computes:
  // the blocks it makes wrong above 1e-3, the others within the tolerance.
  for (const Network& net : bp::test::planted_bug_networks()) {
    const Example e = make_example(net);
    ASSERT_TRUE(Passes(learner_check(bp::test::reference_backward, e), net.name()));
    for (const bp::test::PlantedBackward& bug : bp::test::planted_backward_bugs())
      EXPECT_TRUE(CaughtInItsBlocks(learner_check(bug.backward, e), bug.corrupts))
          << "the planted bug " << bug.name << " (" << bug.mistake << ") on " << net.name();
  }
}
// [gradient-check-test]

}  // namespace
