// The gradient doctor (tests/support/doctor.hpp): trusted code, tested against trusted code.
//
// Every planted bug of tests/support/planted_bugs.hpp must get the diagnosis of its own mistake,
// and a correct result — exact, or the trusted central differences with their rounding noise —
// must get none. The generic patterns (a constant factor, a transpose, a bias not summed, some
// rows or columns, zero, tanh's derivative wrong where it saturates) are each shown on a result
// made wrong in that one way. No learner code is called.
//
// Suite SupportAssertions: the assertions every exercise test reports through
// (tests/support/assertions.hpp) catch what they claim to and name the case.
#include <gtest/gtest.h>

#include <armadillo>
#include <cmath>
#include <limits>
#include <string>

#include "support/assertions.hpp"
#include "support/doctor.hpp"
#include "support/gradcheck.hpp"
#include "support/planted_bugs.hpp"
#include "support/reference.hpp"

namespace {

using bp::test::Clues;
using bp::test::diagnose;
using bp::test::Example;
using bp::test::make_example;
using bp::test::Mistake;

const char* kind_name(Mistake m) {
  switch (m) {
    case Mistake::None: return "None";
    case Mistake::Transposed: return "Transposed";
    case Mistake::NotSummed: return "NotSummed";
    case Mistake::Known: return "Known";
    case Mistake::Zero: return "Zero";
    case Mistake::Sign: return "Sign";
    case Mistake::MissingMean: return "MissingMean";
    case Mistake::MeanTwice: return "MeanTwice";
    case Mistake::SignAndMean: return "SignAndMean";
    case Mistake::Factor: return "Factor";
    case Mistake::SomeRows: return "SomeRows";
    case Mistake::SomeColumns: return "SomeColumns";
    case Mistake::SaturatedTanh: return "SaturatedTanh";
    case Mistake::OtherShape: return "OtherShape";
    case Mistake::Unknown: return "Unknown";
  }
  return "?";
}

// Passes when the doctor finds `expected` and, for a known mistake, names `suspect` in it.
testing::AssertionResult Diagnosed(const arma::mat& learner, const arma::mat& trusted,
                                   const Clues& clues, Mistake expected,
                                   const std::string& suspect = "") {
  const bp::test::Diagnosis d = diagnose(learner, trusted, clues);
  if (d.kind != expected || d.suspect.find(suspect) == std::string::npos)
    return testing::AssertionFailure()
           << "expected " << kind_name(expected) << (suspect.empty() ? "" : " (" + suspect + ")")
           << ", the doctor said " << kind_name(d.kind) << ": " << d.text;
  return testing::AssertionSuccess() << d.text;
}

Clues clues_for(const std::string& name, const Example& e) {
  Clues c;
  c.name = name;
  c.samples = e.X.n_rows;
  c.floor = bp::test::gradient_floor(e.loss);
  return c;
}

TEST(Doctor_PlantedBugs, OutputDeltaSignAndMissingMean) {
  for (const bp::test::Network& net : bp::test::planted_bug_networks()) {
    SCOPED_TRACE("network " + net.name());
    const Example e = make_example(net);
    const arma::mat trusted = bp::test::reference_output_delta(e.cache.P, e.Y);
    const auto bugs = bp::test::planted_output_delta_bugs();
    ASSERT_EQ(bugs.size(), 2u);
    EXPECT_TRUE(Diagnosed(bugs[0].fn(e.cache.P, e.Y), trusted, clues_for("dZ2", e), Mistake::Sign))
        << bugs[0].name;
    EXPECT_TRUE(
        Diagnosed(bugs[1].fn(e.cache.P, e.Y), trusted, clues_for("dZ2", e), Mistake::MissingMean))
        << bugs[1].name;
  }
}

TEST(Doctor_PlantedBugs, WeightGradientFirstSampleAndMeanTwice) {
  for (const bp::test::Network& net : bp::test::planted_bug_networks()) {
    SCOPED_TRACE("network " + net.name());
    const Example e = make_example(net);
    const arma::mat dZ2 = bp::test::reference_output_delta(e.cache.P, e.Y);
    const arma::mat trusted = e.cache.A1.t() * dZ2;
    Clues clues = clues_for("dW2", e);
    clues.suspects = bp::test::weight_gradient_suspects(e.cache.A1, dZ2, e.cache.Z1,
                                                        "dW2 = Z1ᵀ dZ2, Z1 where A1 belongs");
    const auto bugs = bp::test::planted_weight_gradient_bugs();
    ASSERT_EQ(bugs.size(), 2u);
    EXPECT_TRUE(
        Diagnosed(bugs[0].fn(e.cache.A1, dZ2), trusted, clues, Mistake::Known, "first sample"));
    EXPECT_TRUE(Diagnosed(bugs[1].fn(e.cache.A1, dZ2), trusted, clues, Mistake::MeanTwice));
  }
}

TEST(Doctor_PlantedBugs, BiasGradientFirstRowAndMean) {
  for (const bp::test::Network& net : bp::test::planted_bug_networks()) {
    SCOPED_TRACE("network " + net.name());
    const Example e = make_example(net);
    const arma::mat dZ2 = bp::test::reference_output_delta(e.cache.P, e.Y);
    const arma::mat trusted = arma::sum(dZ2, 0);
    Clues clues = clues_for("db2", e);
    clues.suspects = bp::test::bias_gradient_suspects(dZ2);
    const auto bugs = bp::test::planted_bias_gradient_bugs();
    ASSERT_EQ(bugs.size(), 2u);
    EXPECT_TRUE(Diagnosed(bugs[0].fn(dZ2), trusted, clues, Mistake::Known, "first row"));
    EXPECT_TRUE(Diagnosed(bugs[1].fn(dZ2), trusted, clues, Mistake::MeanTwice));
  }
}

TEST(Doctor_PlantedBugs, InputGradientNotTransposed) {
  for (const bp::test::Network& net : bp::test::planted_bug_networks()) {
    SCOPED_TRACE("network " + net.name());
    const Example e = make_example(net);
    const arma::mat dZ2 = bp::test::reference_output_delta(e.cache.P, e.Y);
    Clues clues = clues_for("dA1", e);
    clues.suspects = bp::test::input_gradient_suspects(dZ2, e.params.W2);
    for (const auto& bug : bp::test::planted_input_gradient_bugs())
      EXPECT_TRUE(Diagnosed(bug.fn(dZ2, e.params.W2), dZ2 * e.params.W2.t(), clues, Mistake::Known,
                            "Wᵀ belongs"))
          << bug.name;
  }
}

TEST(Doctor_PlantedBugs, TanhBackward) {
  for (const bp::test::Network& net : bp::test::planted_bug_networks()) {
    SCOPED_TRACE("network " + net.name());
    const Example e = make_example(net);
    const arma::mat dA1 = bp::test::reference_output_delta(e.cache.P, e.Y) * e.params.W2.t();
    const arma::mat trusted = dA1 % (1.0 - arma::square(e.cache.A1));
    Clues clues = clues_for("dZ1", e);
    clues.suspects = bp::test::tanh_backward_suspects(dA1, e.cache.A1, e.cache.Z1);
    const auto bugs = bp::test::planted_tanh_backward_bugs();
    ASSERT_EQ(bugs.size(), 2u);
    EXPECT_TRUE(
        Diagnosed(bugs[0].fn(dA1, e.cache.A1), trusted, clues, Mistake::Known, "1 − tanh where"));
    EXPECT_TRUE(
        Diagnosed(bugs[1].fn(dA1, e.cache.A1), trusted, clues, Mistake::Known, "its own output"));
  }
}

TEST(Doctor_PlantedBugs, HiddenLayer) {
  for (const bp::test::Network& net : bp::test::planted_bug_networks()) {
    SCOPED_TRACE("network " + net.name());
    const Example e = make_example(net);
    const arma::mat dZ2 = bp::test::reference_output_delta(e.cache.P, e.Y);
    const bp::HiddenGrads trusted = bp::test::reference_hidden_backward(e.params, e.cache, dZ2);
    const auto bugs = bp::test::planted_hidden_layer_bugs();
    ASSERT_EQ(bugs.size(), 2u);
    Clues dZ1 = clues_for("dZ1", e);
    dZ1.suspects = bp::test::tanh_backward_suspects(trusted.dA1, e.cache.A1, e.cache.Z1);
    EXPECT_TRUE(Diagnosed(bugs[0].fn(e.params, e.cache, dZ2).dZ1, trusted.dZ1, dZ1, Mistake::Known,
                          "the input Z"));
    Clues dW1 = clues_for("dW1", e);
    dW1.suspects = bp::test::weight_gradient_suspects(e.X, trusted.dZ1, e.cache.A1,
                                                      "dW1 = A1ᵀ dZ1, A1 where X belongs");
    EXPECT_TRUE(Diagnosed(bugs[1].fn(e.params, e.cache, dZ2).dW1, trusted.dW1, dW1, Mistake::Known,
                          "A1 where X belongs"));
  }
}

TEST(Doctor_PlantedBugs, WholeBackwardNamesTheMistakeAndTheLayer) {
  // Each whole-network planted bug, and the words its report must hold.
  const std::vector<std::pair<std::string, std::vector<std::string>>> expected = {
      {"SignOfThePostsEquation7", {"All four blocks", "exactly -1 times"}},
      {"MissingOneOverN", {"All four blocks", "1/N is missing"}},
      {"OneMinusTanh", {"hidden layer", "1 − tanh where 1 − tanh² belongs"}},
      {"W2NotTransposed", {"hidden layer", "W2 where W2ᵀ belongs"}},
      {"BiasGradientNotSummed", {"output layer", "first row of dZ alone"}},
      {"TanhDerivativeOfZ1", {"hidden layer", "the input Z where the output"}},
      {"PreActivationInDW2", {"output layer", "Z1 where A1 belongs"}}};
  const auto& bugs = bp::test::planted_backward_bugs();
  ASSERT_EQ(bugs.size(), expected.size());
  for (const bp::test::Network& net : bp::test::planted_bug_networks()) {
    const Example e = make_example(net);
    const bp::Grads trusted = bp::test::reference_backward(e.params, e.cache, e.Y);
    for (std::size_t k = 0; k < bugs.size(); ++k) {
      SCOPED_TRACE("network " + net.name() + ", planted bug " + bugs[k].name);
      ASSERT_EQ(bugs[k].name, expected[k].first);
      const std::string report =
          bp::test::doctor_backward(bugs[k].backward(e.params, e.cache, e.Y), trusted, e.params,
                                    e.cache, e.Y, bp::test::gradient_floor(e.loss));
      for (const std::string& words : expected[k].second)
        EXPECT_NE(report.find(words), std::string::npos)
            << "the report should say \"" << words << "\": " << report;
    }
  }
}

TEST(Doctor_Correct, ExactResultsGetNoDiagnosis) {
  for (const bp::test::Network& net : bp::test::small_networks()) {
    SCOPED_TRACE("network " + net.name());
    const Example e = make_example(net);
    const bp::Grads g = bp::test::reference_backward(e.params, e.cache, e.Y);
    EXPECT_EQ(
        bp::test::doctor_backward(g, g, e.params, e.cache, e.Y, bp::test::gradient_floor(e.loss)),
        "");
    const arma::mat dZ2 = bp::test::reference_output_delta(e.cache.P, e.Y);
    EXPECT_TRUE(Diagnosed(dZ2, dZ2, clues_for("dZ2", e), Mistake::None));
    EXPECT_EQ(bp::test::doctor_report(dZ2, dZ2, clues_for("dZ2", e)), "");
  }
}

TEST(Doctor_Correct, CentralDifferencesOfACorrectGradientGetNoDiagnosis) {
  // The trusted side of an exercise test is often the central difference, with its rounding
  // noise (about 1e-11): the correct analytic gradient must still get no diagnosis.
  const Example e = make_example(bp::test::posts_network(16));
  const bp::Grads g = bp::test::reference_backward(e.params, e.cache, e.Y);
  const arma::mat numerical = bp::test::numerical_gradient(bp::test::loss_of_W2(e), e.params.W2);
  Clues clues = clues_for("dW2", e);
  clues.suspects = bp::test::weight_gradient_suspects(
      e.cache.A1, bp::test::reference_output_delta(e.cache.P, e.Y), e.cache.Z1, "Z1 for A1");
  EXPECT_TRUE(Diagnosed(g.dW2, numerical, clues, Mistake::None));
}

TEST(Doctor_Patterns, EachGenericPatternIsNamed) {
  const Example e = make_example(bp::test::posts_network(16));
  const bp::Grads g = bp::test::reference_backward(e.params, e.cache, e.Y);
  Clues clues = clues_for("dW2", e);
  EXPECT_TRUE(Diagnosed(arma::mat(g.dW2.t()), g.dW2, clues, Mistake::Transposed));
  EXPECT_TRUE(Diagnosed(arma::mat(g.dW2 * 0.0), g.dW2, clues, Mistake::Zero));
  const Clues no_mean = clues_for("dW2", e);
  EXPECT_TRUE(Diagnosed(arma::mat(-16.0 * g.dW2), g.dW2, no_mean, Mistake::SignAndMean));
  const bp::test::Diagnosis two = diagnose(arma::mat(2.0 * g.dW2), g.dW2, clues);
  EXPECT_EQ(two.kind, Mistake::Factor) << two.text;
  EXPECT_DOUBLE_EQ(two.factor, 2.0);
  // Rows 3 and 7 of dW2 wrong, the others right.
  arma::mat rows = g.dW2;
  rows.row(3) *= 1.5;
  rows.row(7) += 0.01;
  const bp::test::Diagnosis r = diagnose(rows, g.dW2, clues);
  ASSERT_EQ(r.kind, Mistake::SomeRows) << r.text;
  EXPECT_EQ(r.wrong, (std::vector<arma::uword>{3, 7}));
  // Column 120 of dW1 (2×500) wrong.
  arma::mat cols = g.dW1;
  cols.col(120) *= -1.0;
  const bp::test::Diagnosis c = diagnose(cols, g.dW1, clues_for("dW1", e));
  ASSERT_EQ(c.kind, Mistake::SomeColumns) << c.text;
  EXPECT_EQ(c.wrong, (std::vector<arma::uword>{120}));
  // A bias gradient left N×K: its rows sum to the trusted 1×K.
  const arma::mat dZ2 = bp::test::reference_output_delta(e.cache.P, e.Y);
  EXPECT_TRUE(Diagnosed(dZ2, g.db2, clues_for("db2", e), Mistake::NotSummed));
}

TEST(Doctor_Patterns, TanhWrongWhereItSaturatesWithoutSuspects) {
  // With no suspects, tanh's derivative left out, taken of its own output or of Z instead of A
  // is still seen for what it is: right where tanh is not saturated.
  const Example e = make_example(bp::test::posts_network(16));
  const arma::mat dA1 = bp::test::reference_output_delta(e.cache.P, e.Y) * e.params.W2.t();
  const arma::mat trusted = dA1 % (1.0 - arma::square(e.cache.A1));
  Clues clues = clues_for("dZ1", e);
  clues.activation = e.cache.A1;
  EXPECT_TRUE(Diagnosed(dA1, trusted, clues, Mistake::SaturatedTanh));
  EXPECT_TRUE(Diagnosed(arma::mat(dA1 % (1.0 - arma::square(arma::tanh(e.cache.A1)))), trusted,
                        clues, Mistake::SaturatedTanh));
  EXPECT_TRUE(Diagnosed(arma::mat(dA1 % (1.0 - arma::square(e.cache.Z1))), trusted, clues,
                        Mistake::SaturatedTanh));
}

// A 1×1 matrix (arma::mat{{x}} is ambiguous with the copy constructor).
arma::mat one(double x) { return arma::mat(1, 1, arma::fill::value(x)); }

// Whether `text` holds `part`, with both in the message.
testing::AssertionResult Says(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "'" << text << "' does not say '" << part << "'";
}

TEST(SupportAssertions, EntriesNearNamesTheWorstEntryWithBothValues) {
  const arma::mat expected = {{1.0, 2.0}, {3.5, 4.0}};
  EXPECT_TRUE(bp::test::EntriesNear(expected + 1e-13, expected, 1e-12, "Z1"));
  const arma::mat got = {{1.0, 2.1}, {3.0, 4.0}};
  const testing::AssertionResult r = bp::test::EntriesNear(got, expected, 1e-12, "Z1");
  ASSERT_FALSE(r) << "an entry 0.5 off passed a tolerance of 1e-12";
  EXPECT_TRUE(Says(r.message(), "Z1 (1, 0): expected 3.5, got 3"));
  EXPECT_TRUE(Says(r.message(), "2 of 4 entries off"));
  EXPECT_TRUE(Says(r.message(), "got [1 2.1; 3 4], expected [1 2; 3.5 4]"));
  EXPECT_TRUE(Says(bp::test::EntriesNear(got, arma::mat(got.t()), 0.0, "dW").message(),
                   "dW (1, 0): expected 2.1, got 3"))
      << "a square transpose has the right shape: its values say it";
  EXPECT_TRUE(Says(bp::test::EntriesNear(arma::mat(3, 2), arma::mat(2, 3), 0.0, "dW").message(),
                   "dW is 3×2, expected 2×3"));
}

TEST(SupportAssertions, ANaNNeverAgreesEqualInfinitiesDo) {
  const double inf = std::numeric_limits<double>::infinity();
  const arma::mat expected = {{1.0, inf}};
  EXPECT_TRUE(bp::test::EntriesNear(expected, expected, 0.0, "P"));
  const testing::AssertionResult r =
      bp::test::EntriesNear(arma::mat{{std::nan(""), inf}}, expected, 1.0, "P");
  ASSERT_FALSE(r) << "a NaN passed";
  EXPECT_TRUE(Says(r.message(), "P (0, 0): expected 1, got nan"));
  EXPECT_FALSE(bp::test::EntriesNearRelative(one(std::nan("")), one(1.0), 1.0, ""));
}

TEST(SupportAssertions, RelativeAgreementIsScaleFree) {
  // 1000 against 1000.5: off by 0.5, but only 5e-4 of either.
  EXPECT_TRUE(bp::test::EntriesNearRelative(one(1000.5), one(1000.0), 1e-3, "x"));
  EXPECT_FALSE(bp::test::EntriesNear(one(1000.5), one(1000.0), 1e-3, "x"));
  EXPECT_TRUE(bp::test::EntriesNearRelative(arma::zeros(2, 2), arma::zeros(2, 2), 0.0, "x"));
  EXPECT_FALSE(bp::test::EntriesNearRelative(one(1e-20), one(0.0), 0.5, "x"))
      << "any number against zero differs by 1, relatively";
}

TEST(SupportAssertions, ShowWritesOneLineAndHasShapeNamesBothShapes) {
  EXPECT_EQ(bp::test::show(arma::mat{{1.0, -0.5}, {2.25, 3.0}}), "[1 -0.5; 2.25 3]");
  EXPECT_EQ(bp::test::show(arma::mat(0, 2)), "0×2 (empty)");
  arma::mat big(4, 5, arma::fill::value(0.5));
  big(0, 0) = -2.0;
  big(1, 1) = std::nan("");
  EXPECT_EQ(bp::test::show(big), "4×5, entries from -2 to 0.5, 1 NaN");
  EXPECT_EQ(bp::test::show_call("f", {{"P", one(0.5)}, {"Y", one(1.0)}}), "f(P = [0.5], Y = [1])");
  EXPECT_TRUE(bp::test::HasShape(arma::mat(3, 2), 3, 2, "X"));
  const testing::AssertionResult r = bp::test::HasShape(arma::mat(3, 2), 5, 2, "X");
  ASSERT_FALSE(r);
  EXPECT_EQ(std::string(r.message()), "X is 3×2, expected 5×2");
}

}  // namespace
