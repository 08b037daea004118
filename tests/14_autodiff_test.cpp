// Chapter 14 tests: automatic differentiation on a tape.
//
// Exercise 14.1 -> suite Autodiff_MatmulVjp, 14.2 -> Autodiff_AddRowVjp, 14.3 -> Autodiff_TanhVjp,
// 14.4 -> Autodiff_SoftmaxCrossEntropyVjp, 14.5 (the reverse walk, Tape::backward) ->
// Autodiff_Backward, Autodiff_PostsNetwork, Autodiff_DeeperNetwork and Autodiff_PlantedBugs
// (chapters/exercises.txt holds the map). The first call of every test is a call of the
// function under test. The given code (the tape's bookkeeping, the forward operations, the
// VJPs of ⊙, square, sum and scale) is tested in tests/autodiff_given_test.cpp.
//
// What is trusted. Every VJP is checked two ways that share nothing with it:
//  - against central differences (tests/support/gradcheck, never the learner's chapter 05):
//    for a random U of the output's shape, the VJP of U is the gradient of x ↦ ⟨U, F(x)⟩, and
//    that gradient is differentiated numerically entry by entry;
//  - by the dot-product test ⟨U, J V⟩ = ⟨Jᵀ U, V⟩ for random U and V: J V comes from the forward
//    function alone (a central difference along V; for the linear operations, exactly, as F(V)
//    itself), Jᵀ U from the VJP. A VJP that is not the transpose of the forward's Jacobian fails.
// Networks, batches, forward passes and the backward pass the tape must reproduce come from
// tests/support/reference (plain Armadillo; reference_backward is chapter 09's bp::backward
// written out line for line, with the same Armadillo expressions). The deeper network's loss is
// written out in this file, in plain Armadillo, and differentiated numerically.
//
// Tolerances. Central differences: kTolerance (1e-6) relative at step kStep (1e-5), with the
// floor bp::test::gradient_floor (tests/support/reference.hpp argues both). The dot-product
// test along a central difference: the same 1e-6 relative, floor 1e-4 (the central difference
// of ⟨U, F⟩, a number of size ~1–10, carries a rounding error ~1e-11 and a truncation error
// ~1e-10 · |F'''|); exactly, for the linear maps: 1e-12 relative (two sums of the same ~100
// products in different orders). The tape against chapter 09's backward: 1e-13 relative to each
// block's largest entry, the bound the chapter claims; measured 0 (the same expressions in the
// same order, and += into a zero is exact), but bit-identity rests on the BLAS summing the same
// call in the same order, which Armadillo and OpenBLAS do not promise, so the test asks 1e-13.
//
// Planted bugs. Each check is run on the VJPs with a mistake — a missing transpose, a
// broadcast not summed, tanh′ from Z instead of A, a missing 1/N — and must fail; on the tape,
// the same mistakes swapped into one node of the post's network must fail the full gradient
// check in exactly the blocks below that node, and the agreement with chapter 09.
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
#include "support/planted_bugs.hpp"
#include "support/reference.hpp"

namespace {

using bp::test::CaughtInItsBlocks;
using bp::test::EntriesNear;
using bp::test::EntriesNearRelative;
using bp::test::Example;
using bp::test::HasShape;
using bp::test::make_example;
using bp::test::Network;
using MatFn = std::function<arma::mat(const arma::mat&)>;

/// rows×cols of N(0, 1) draws from `seed`.
arma::mat random_matrix(arma::uword rows, arma::uword cols, std::uint64_t seed) {
  bp::Rng rng(seed);
  return bp::normal_matrix(rows, cols, 1.0, rng);
}

/// The VJP of F at X, checked against central differences: for three random U of F's output
/// shape, vjp(U) must be the gradient of x ↦ ⟨U, F(x)⟩ at X, entry by entry.
testing::AssertionResult VjpMatchesCentralDifferences(const MatFn& F, const arma::mat& X,
                                                      const MatFn& vjp, const std::string& what) {
  const arma::mat out = F(X);
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const arma::mat U = random_matrix(out.n_rows, out.n_cols, 100 + seed);
    const auto inner = [&F, &U](const arma::mat& x) { return arma::accu(U % F(x)); };
    testing::AssertionResult r = bp::test::MatchesCentralDifferences(inner, X, vjp(U), what);
    if (!r) return r << " (U number " << seed << ")";
  }
  return testing::AssertionSuccess();
}

/// The dot-product test ⟨U, J V⟩ = ⟨Jᵀ U, V⟩ for three random pairs: J V by a central
/// difference of F along V, Jᵀ U from the VJP.
testing::AssertionResult PassesTheDotProductTest(const MatFn& F, const arma::mat& X,
                                                 const MatFn& vjp, const std::string& what) {
  const arma::mat out = F(X);
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const arma::mat U = random_matrix(out.n_rows, out.n_cols, 200 + seed);
    const arma::mat V = random_matrix(X.n_rows, X.n_cols, 300 + seed);
    const arma::mat back = vjp(U);
    if (arma::size(back) != arma::size(X))
      return testing::AssertionFailure() << what << ": the VJP returned " << bp::shape_of(back)
                                         << " for an input of " << bp::shape_of(X);
    // numerical_directional(F, X, V, U) = (⟨U, F(X + hV)⟩ − ⟨U, F(X − hV)⟩) / 2h = ⟨U, J V⟩.
    const double jv = bp::test::numerical_directional(F, X, V, U);
    const double jtu = arma::accu(back % V);
    const double error = bp::test::relative_error(jv, jtu);
    if (error > bp::test::kTolerance)
      return testing::AssertionFailure()
             << what << ": ⟨U, J V⟩ = " << jv << " but ⟨Jᵀ U, V⟩ = " << jtu << " (relative error "
             << error << ", pair " << seed << ")";
  }
  return testing::AssertionSuccess();
}

/// The exact dot-product test of a linear map F: ⟨U, F(V)⟩ = ⟨Fᵀ(U), V⟩ to rounding (1e-12).
testing::AssertionResult IsTheAdjoint(const MatFn& F, const MatFn& vjp, arma::uword in_rows,
                                      arma::uword in_cols, const std::string& what) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const arma::mat V = random_matrix(in_rows, in_cols, 400 + seed);
    const arma::mat FV = F(V);
    const arma::mat U = random_matrix(FV.n_rows, FV.n_cols, 500 + seed);
    const arma::mat back = vjp(U);
    if (arma::size(back) != arma::size(V))
      return testing::AssertionFailure() << what << ": the VJP returned " << bp::shape_of(back)
                                         << " for an input of " << bp::shape_of(V);
    const double lhs = arma::accu(U % FV);
    const double rhs = arma::accu(back % V);
    if (std::abs(lhs - rhs) > 1e-12 * std::max(1.0, std::abs(lhs)))
      return testing::AssertionFailure() << what << ": ⟨U, F V⟩ = " << lhs
                                         << " but ⟨Fᵀ U, V⟩ = " << rhs << " (pair " << seed << ")";
  }
  return testing::AssertionSuccess();
}

/// Both checks of one VJP: central differences and the dot-product test.
testing::AssertionResult VjpIsRight(const MatFn& F, const arma::mat& X, const MatFn& vjp,
                                    const std::string& what) {
  testing::AssertionResult r = VjpMatchesCentralDifferences(F, X, vjp, what);
  if (!r) return r;
  return PassesTheDotProductTest(F, X, vjp, what);
}

/// Whether a VJP with a planted mistake fails both checks (a check that cannot fail proves
/// nothing). A VJP that throws (Armadillo's size check) counts as caught by both.
testing::AssertionResult IsCaughtByBothChecks(const MatFn& F, const arma::mat& X,
                                              const MatFn& planted, const std::string& what) {
  bool by_differences = false, by_dot_product = false;
  try {
    by_differences = !VjpMatchesCentralDifferences(F, X, planted, what);
  } catch (const std::logic_error&) {
    by_differences = true;
  }
  try {
    by_dot_product = !PassesTheDotProductTest(F, X, planted, what);
  } catch (const std::logic_error&) {
    by_dot_product = true;
  }
  if (by_differences && by_dot_product) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "the planted bug " << what << " passed "
                                     << (by_differences ? "" : "the central differences ")
                                     << (by_dot_product ? "" : "the dot-product test");
}

// ---------------------------------------------------------------------------------------------
// Exercise 14.1: matmul_vjp(A, B, dC) -> dA = dC Bᵀ, dB = Aᵀ dC.

// [matmul-vjp-test]
TEST(Autodiff_MatmulVjp, ShapesAreTheShapesOfTheFactors) {
  // A 5×3, B 3×4, dC 5×4: dA 5×3, dB 3×4.
  const bp::MatmulGrads g =
      bp::matmul_vjp(random_matrix(5, 3, 1), random_matrix(3, 4, 2), random_matrix(5, 4, 3));
  SCOPED_TRACE("matmul_vjp(A 5×3, B 3×4, dC 5×4)");
  ASSERT_TRUE(HasShape(g.dA, 5, 3, "dA"));
  ASSERT_TRUE(HasShape(g.dB, 3, 4, "dB"));
}

TEST(Autodiff_MatmulVjp, RejectsADCOfAnotherShape) {
  const arma::mat A = random_matrix(5, 3, 1), B = random_matrix(3, 4, 2);
  (void)bp::matmul_vjp(A, B, random_matrix(5, 4, 3));  // a valid call first
  EXPECT_TRUE(bp::test::ThrowsShapeErrorNaming(
      [&] { (void)bp::matmul_vjp(A, B, random_matrix(4, 5, 3)); }, "5×3", "4×5"));
}

TEST(Autodiff_MatmulVjp, DAMatchesCentralDifferencesAndTheDotProductTest) {
  const arma::mat A = random_matrix(5, 3, 1), B = random_matrix(3, 4, 2);
  const MatFn vjp = [&](const arma::mat& U) { return bp::matmul_vjp(A, B, U).dA; };
  const MatFn F = [&](const arma::mat& a) {
    arma::mat C = a * B;
    return C;
  };
  EXPECT_TRUE(VjpIsRight(F, A, vjp, "dA"));
  EXPECT_TRUE(IsTheAdjoint(F, vjp, 5, 3, "dA"));
}

TEST(Autodiff_MatmulVjp, DBMatchesCentralDifferencesAndTheDotProductTest) {
  const arma::mat A = random_matrix(5, 3, 1), B = random_matrix(3, 4, 2);
  const MatFn vjp = [&](const arma::mat& U) { return bp::matmul_vjp(A, B, U).dB; };
  const MatFn F = [&](const arma::mat& b) {
    arma::mat C = A * b;
    return C;
  };
  EXPECT_TRUE(VjpIsRight(F, B, vjp, "dB"));
  EXPECT_TRUE(IsTheAdjoint(F, vjp, 3, 4, "dB"));
}

TEST(Autodiff_MatmulVjp, AMissingTransposeIsCaught) {
  // The checks above, on the planted mistakes dA = dC B and dB = A dC; the factors are square
  // (4×4) so that the wrong products multiply and give numbers to catch.
  const arma::mat A = random_matrix(4, 4, 5), B = random_matrix(4, 4, 6);
  const MatFn vjp_A = [&](const arma::mat& U) { return bp::matmul_vjp(A, B, U).dA; };
  const MatFn F_A = [&](const arma::mat& a) {
    arma::mat C = a * B;
    return C;
  };
  ASSERT_TRUE(VjpIsRight(F_A, A, vjp_A, "dA"));
  EXPECT_TRUE(IsCaughtByBothChecks(
      F_A, A,
      [&](const arma::mat& U) {
        arma::mat d = U * B;
        return d;
      },
      "dA = dC B"));
  const MatFn F_B = [&](const arma::mat& b) {
    arma::mat C = A * b;
    return C;
  };
  EXPECT_TRUE(IsCaughtByBothChecks(
      F_B, B,
      [&](const arma::mat& U) {
        arma::mat d = A * U;
        return d;
      },
      "dB = A dC"));
}
// [matmul-vjp-test]

// ---------------------------------------------------------------------------------------------
// Exercise 14.2: add_row_vjp(dC) -> dA = dC, db = Σ_rows dC.

// [add-row-vjp-test]
TEST(Autodiff_AddRowVjp, DbIsOneRow) {
  // dC 6×4: dA 6×4, db 1×4 — the shape of b, not of the broadcast copy.
  const bp::AddRowGrads g = bp::add_row_vjp(random_matrix(6, 4, 1));
  SCOPED_TRACE("add_row_vjp(dC 6×4)");
  ASSERT_TRUE(HasShape(g.dA, 6, 4, "dA"));
  ASSERT_TRUE(HasShape(g.db, 1, 4, "db"));
}

TEST(Autodiff_AddRowVjp, DAMatchesCentralDifferencesAndTheDotProductTest) {
  const arma::mat A = random_matrix(6, 4, 1);
  const arma::rowvec b = random_matrix(1, 4, 2);
  const MatFn vjp = [](const arma::mat& U) { return bp::add_row_vjp(U).dA; };
  const MatFn F = [&](const arma::mat& a) {
    arma::mat C = a;
    C.each_row() += b;
    return C;
  };
  EXPECT_TRUE(VjpIsRight(F, A, vjp, "dA"));
}

TEST(Autodiff_AddRowVjp, DbIsTheSumOverTheRows) {
  // Un-broadcasting: F(b) = A + 1 b uses b in every row, and the VJP sums the rows.
  const arma::mat A = random_matrix(6, 4, 1);
  const arma::mat b = random_matrix(1, 4, 2);
  const MatFn vjp = [](const arma::mat& U) { return arma::mat(bp::add_row_vjp(U).db); };
  const MatFn F = [&](const arma::mat& row) {
    arma::mat C = A;
    C.each_row() += arma::rowvec(row);
    return C;
  };
  EXPECT_TRUE(VjpIsRight(F, b, vjp, "db"));
  // The linear part of F, b ↦ 1 b, against its adjoint, exactly.
  const MatFn broadcast = [](const arma::mat& row) {
    arma::mat C(6, 4, arma::fill::zeros);
    C.each_row() += arma::rowvec(row);
    return C;
  };
  EXPECT_TRUE(IsTheAdjoint(broadcast, vjp, 1, 4, "db"));
}

TEST(Autodiff_AddRowVjp, ABroadcastNotSummedIsCaught) {
  // db = the first row of dC (the post's single-sample (15) kept for a batch) computes and is
  // wrong for N > 1; db = dC itself (N×H) is refused by the shape check of both checks.
  const arma::mat A = random_matrix(6, 4, 1);
  const arma::mat b = random_matrix(1, 4, 2);
  const MatFn F = [&](const arma::mat& row) {
    arma::mat C = A;
    C.each_row() += arma::rowvec(row);
    return C;
  };
  const MatFn vjp = [](const arma::mat& U) { return arma::mat(bp::add_row_vjp(U).db); };
  ASSERT_TRUE(VjpIsRight(F, b, vjp, "db"));
  EXPECT_TRUE(IsCaughtByBothChecks(
      F, b, [](const arma::mat& U) { return arma::mat(U.row(0)); }, "db = the first row of dC"));
  const MatFn unsummed = [](const arma::mat& U) { return U; };
  EXPECT_TRUE(IsCaughtByBothChecks(F, b, unsummed, "db = dC"));
}
// [add-row-vjp-test]

// ---------------------------------------------------------------------------------------------
// Exercise 14.3: tanh_elementwise_vjp(A, dA) -> dZ = dA ⊙ (1 − A²).

// [tanh-vjp-test]
TEST(Autodiff_TanhVjp, ShapeIsTheShapeOfZ) {
  const arma::mat Z = random_matrix(5, 7, 1);
  const arma::mat dZ = bp::tanh_elementwise_vjp(arma::tanh(Z), random_matrix(5, 7, 2));
  ASSERT_TRUE(HasShape(dZ, 5, 7, "tanh_elementwise_vjp(A 5×7, dA 5×7)"));
}

TEST(Autodiff_TanhVjp, RejectsShapesThatDoNotMatch) {
  const arma::mat A = arma::tanh(random_matrix(5, 7, 1));
  (void)bp::tanh_elementwise_vjp(A, random_matrix(5, 7, 2));  // a valid call first
  EXPECT_TRUE(bp::test::ThrowsShapeErrorNaming(
      [&] { (void)bp::tanh_elementwise_vjp(A, random_matrix(7, 5, 2)); }, "5×7", "7×5"));
}

TEST(Autodiff_TanhVjp, MatchesCentralDifferencesAndTheDotProductTest) {
  // Z of size up to ~3, where tanh is far from linear; the VJP gets tanh's output, as the
  // node keeps it.
  const arma::mat Z = 1.5 * random_matrix(5, 7, 1);
  const MatFn F = [](const arma::mat& z) {
    arma::mat A = arma::tanh(z);
    return A;
  };
  const MatFn vjp = [&](const arma::mat& U) { return bp::tanh_elementwise_vjp(arma::tanh(Z), U); };
  EXPECT_TRUE(VjpIsRight(F, Z, vjp, "dZ"));
}

TEST(Autodiff_TanhVjp, TanhPrimeFromZInsteadOfAIsCaught) {
  // dZ = dA ⊙ (1 − Z²): the derivative's formula applied to the input the node does not keep.
  const arma::mat Z = 1.5 * random_matrix(5, 7, 1);
  const MatFn F = [](const arma::mat& z) {
    arma::mat A = arma::tanh(z);
    return A;
  };
  const MatFn vjp = [&](const arma::mat& U) { return bp::tanh_elementwise_vjp(arma::tanh(Z), U); };
  ASSERT_TRUE(VjpIsRight(F, Z, vjp, "dZ"));
  EXPECT_TRUE(IsCaughtByBothChecks(
      F, Z,
      [&](const arma::mat& U) {
        arma::mat d = U % (1.0 - arma::square(Z));
        return d;
      },
      "dZ = dA ⊙ (1 − Z²)"));
}
// [tanh-vjp-test]

// ---------------------------------------------------------------------------------------------
// Exercise 14.4: softmax_cross_entropy_vjp(P, Y, dL) -> dZ = dL (P − Y)/N.

/// The loss of logits Z with labels Y, as a 1×1 matrix (the node's value).
MatFn loss_of_logits(const arma::mat& Y) {
  return [Y](const arma::mat& Z) { return arma::mat{bp::test::reference_loss_from_logits(Z, Y)}; };
}

// [softmax-ce-vjp-test]
TEST(Autodiff_SoftmaxCrossEntropyVjp, ShapeIsTheShapeOfTheLogits) {
  const Example e = make_example(bp::test::small_networks()[2]);  // K = 3
  const arma::mat dZ = bp::softmax_cross_entropy_vjp(e.cache.P, e.Y, 1.0);
  ASSERT_TRUE(HasShape(dZ, 6, 3, "softmax_cross_entropy_vjp(P 6×3, Y 6×3, dL = 1)"));
}

TEST(Autodiff_SoftmaxCrossEntropyVjp, RejectsShapesThatDoNotMatch) {
  const Example e = make_example(bp::test::small_networks()[2]);
  (void)bp::softmax_cross_entropy_vjp(e.cache.P, e.Y, 1.0);  // a valid call first
  EXPECT_TRUE(bp::test::ThrowsShapeErrorNaming(
      [&] { (void)bp::softmax_cross_entropy_vjp(e.cache.P, e.Y.t(), 1.0); }, bp::shape_of(e.Y),
      bp::shape_of(arma::mat(e.Y.t()))));
}

TEST(Autodiff_SoftmaxCrossEntropyVjp, MatchesCentralDifferencesAndTheDotProductTest) {
  // The incoming gradient dL is a number: U is 1×1. Each small network and the post's.
  std::vector<Network> nets = bp::test::small_networks();
  nets.push_back(bp::test::posts_network(16));
  for (const Network& net : nets) {
    const Example e = make_example(net);
    const MatFn vjp = [&](const arma::mat& U) {
      return bp::softmax_cross_entropy_vjp(e.cache.P, e.Y, U(0, 0));
    };
    EXPECT_TRUE(VjpIsRight(loss_of_logits(e.Y), e.cache.Z2, vjp, "dZ2")) << net.name();
  }
}

TEST(Autodiff_SoftmaxCrossEntropyVjp, IsLinearInDL) {
  // The VJP of 3L is 3 times that of L, and dL = 0 passes nothing.
  const Example e = make_example(bp::test::posts_network(16));
  const arma::mat one = bp::softmax_cross_entropy_vjp(e.cache.P, e.Y, 1.0);
  SCOPED_TRACE("softmax_cross_entropy_vjp(P, Y, dL) on the network " +
               bp::test::posts_network(16).name());
  EXPECT_TRUE(
      bp::test::AgreesToRounding(bp::softmax_cross_entropy_vjp(e.cache.P, e.Y, 3.0), 3.0 * one))
      << "dL = 3 against 3 times dL = 1";
  EXPECT_TRUE(EntriesNear(bp::softmax_cross_entropy_vjp(e.cache.P, e.Y, 0.0), arma::zeros(16, 2),
                          0.0, "dL = 0"));
  EXPECT_TRUE(bp::test::AgreesToRounding(one, bp::test::reference_output_delta(e.cache.P, e.Y)))
      << "dL = 1 against (P − Y)/N";
}

TEST(Autodiff_SoftmaxCrossEntropyVjp, AMissingOneOverNAndThePostsSignAreCaught) {
  const Example e = make_example(bp::test::small_networks()[3]);  // N > 1
  ASSERT_GT(e.Y.n_rows, 1u) << "the network was meant to have N > 1";
  const MatFn vjp = [&](const arma::mat& U) {
    return bp::softmax_cross_entropy_vjp(e.cache.P, e.Y, U(0, 0));
  };
  ASSERT_TRUE(VjpIsRight(loss_of_logits(e.Y), e.cache.Z2, vjp, "dZ2"));
  EXPECT_TRUE(IsCaughtByBothChecks(
      loss_of_logits(e.Y), e.cache.Z2,
      [&](const arma::mat& U) {
        arma::mat d = U(0, 0) * (e.cache.P - e.Y);
        return d;
      },
      "dZ = dL (P − Y)"));
  EXPECT_TRUE(IsCaughtByBothChecks(
      loss_of_logits(e.Y), e.cache.Z2,
      [&](const arma::mat& U) {
        arma::mat d = U(0, 0) * (e.Y - e.cache.P) / static_cast<double>(e.Y.n_rows);
        return d;
      },
      "dZ = dL (Y − P)/N"));
}
// [softmax-ce-vjp-test]

// ---------------------------------------------------------------------------------------------
// Exercise 14.5: Tape::backward, the reverse walk.

/// The largest |a − b| relative to the largest |b| (0 for two equal blocks).
double relative_difference(const arma::mat& a, const arma::mat& b) {
  const double scale = arma::abs(b).max();
  return arma::abs(a - b).max() / (scale > 0.0 ? scale : 1.0);
}

/// Whether a and b have the same shape and agree to 1e-13 of b's largest entry.
testing::AssertionResult AgreesTo1e13(const arma::mat& a, const arma::mat& b,
                                      const std::string& what) {
  if (arma::size(a) != arma::size(b))
    return testing::AssertionFailure()
           << what << ": " << bp::shape_of(a) << " against " << bp::shape_of(b);
  const double d = relative_difference(a, b);
  if (d <= 1e-13) return testing::AssertionSuccess() << what << ": " << d;
  return testing::AssertionFailure() << what << ": the tape and chapter 09 differ by " << d
                                     << " relative to the block's largest entry";
}

// [backward-test]
TEST(Autodiff_Backward, EveryGradientHasItsValuesShape) {
  const Example e = make_example(bp::test::posts_network(16));
  bp::PostsTape p = bp::record_posts_network(e.params, e.X, e.Y);
  p.tape.backward(p.L);
  for (std::size_t i = 0; i < p.tape.nodes.size(); ++i) {
    const bp::Node& n = p.tape.nodes[i];
    EXPECT_EQ(arma::size(n.grad), arma::size(n.value)) << "node #" << i << " " << n.op;
  }
  EXPECT_EQ(p.tape.grad(p.L)(0, 0), 1.0) << "∂L/∂L";
}

TEST(Autodiff_Backward, ASumOfSquaresHasTheGradientTwoX) {
  // L = Σ x², through square_elementwise and sum_all: ∂L/∂x = 2x, exactly.
  bp::Tape tape;
  const arma::mat x = random_matrix(3, 4, 1);
  const bp::Var X = tape.leaf("x", x);
  const bp::Var L = bp::sum_all(tape, bp::square_elementwise(tape, X));
  tape.backward(L);
  EXPECT_TRUE(EntriesNear(tape.grad(X), 2.0 * x, 0.0, "∂L/∂x, 2x,"))
      << "for L = Σ x², x = " << bp::test::show(x);
}

TEST(Autodiff_Backward, AValueUsedTwiceReceivesBothContributions) {
  // L = Σ x ⊙ x: x is both parents of one node, each gets dC ⊙ x: 2x only if both are added.
  // And a diamond, L = Σ (3x) ⊙ x = 3 Σ x²: ∂L/∂x = 6x, from two paths of different lengths.
  const arma::mat x = random_matrix(3, 4, 2);
  {
    bp::Tape tape;
    const bp::Var X = tape.leaf("x", x);
    const bp::Var L = bp::sum_all(tape, bp::multiply_elementwise(tape, X, X));
    tape.backward(L);
    EXPECT_TRUE(EntriesNear(tape.grad(X), 2.0 * x, 0.0, "∂L/∂x, 2x,"))
        << "for L = Σ x ⊙ x, x = " << bp::test::show(x);
  }
  {
    bp::Tape tape;
    const bp::Var X = tape.leaf("x", x);
    const bp::Var L = bp::sum_all(tape, bp::multiply_elementwise(tape, bp::scale(tape, X, 3.0), X));
    tape.backward(L);
    EXPECT_TRUE(EntriesNearRelative(tape.grad(X), 6.0 * x, 1e-15, "∂L/∂x, 6x,"))
        << "for L = Σ (3x) ⊙ x, x = " << bp::test::show(x);
  }
}

TEST(Autodiff_Backward, CallingItTwiceGivesTheSameGradients) {
  // Zero-grad semantics: backward() zeroes every gradient first, so a second call neither
  // doubles nor changes anything.
  const Example e = make_example(bp::test::posts_network(16));
  bp::PostsTape p = bp::record_posts_network(e.params, e.X, e.Y);
  p.tape.backward(p.L);
  const bp::Grads first = bp::tape_grads(p);
  p.tape.backward(p.L);
  const bp::Grads second = bp::tape_grads(p);
  SCOPED_TRACE("backward() twice on the post's network " + bp::test::posts_network(16).name() +
               ": the second call's gradients against the first's");
  EXPECT_TRUE(EntriesNear(second.dW1, first.dW1, 0.0, "dW1"));
  EXPECT_TRUE(EntriesNear(second.db1, first.db1, 0.0, "db1"));
  EXPECT_TRUE(EntriesNear(second.dW2, first.dW2, 0.0, "dW2"));
  EXPECT_TRUE(EntriesNear(second.db2, first.db2, 0.0, "db2"));
}

TEST(Autodiff_Backward, NodesThatDoNotReachTheLossGetZero) {
  // A leaf the loss does not use, and a node recorded after the loss: zero gradients of their
  // shapes. Differentiating for an intermediate scalar uses only the nodes before it.
  bp::Tape tape;
  const bp::Var x = tape.leaf("x", random_matrix(2, 3, 1));
  const bp::Var unused = tape.leaf("unused", random_matrix(4, 1, 2));
  const bp::Var s = bp::sum_all(tape, x);
  const bp::Var later = bp::scale(tape, s, 2.0);
  tape.backward(s);
  SCOPED_TRACE("backward(s), s = Σ x, x 2×3; a leaf `unused` 4×1, and later = 2 s recorded "
               "after s");
  EXPECT_TRUE(EntriesNear(tape.grad(x), arma::ones(2, 3), 0.0, "∂s/∂x"));
  EXPECT_TRUE(EntriesNear(tape.grad(unused), arma::zeros(4, 1), 0.0, "the gradient of `unused`"));
  EXPECT_EQ(tape.grad(later)(0, 0), 0.0) << "the gradient of `later`";
}

TEST(Autodiff_Backward, RejectsALossThatIsNotAScalar) {
  bp::Tape tape;
  const bp::Var x = tape.leaf("x", random_matrix(2, 3, 1));
  const bp::Var s = bp::sum_all(tape, x);
  tape.backward(s);  // a valid call first
  EXPECT_TRUE(bp::test::ThrowsShapeErrorNaming([&] { tape.backward(x); }, "2×3", "1×1"));
  EXPECT_THROW(tape.backward(bp::Var{7}), bp::ShapeError) << "a tape of 2 nodes has no node #7";
}

TEST(Autodiff_Backward, RejectsAVjpThatReturnsTheWrongShape) {
  // A bias gradient not summed over the rows, db = dC (N×H), is the wrong shape for b (1×H):
  // the walk says so, naming both shapes, instead of adding it somewhere.
  const Example e = make_example(bp::test::posts_network(16));
  bp::PostsTape p = bp::record_posts_network(e.params, e.X, e.Y);
  p.tape.backward(p.L);  // a valid call first
  p.tape.nodes[p.Z1.id].vjp = [](const arma::mat& dC) { return std::vector<arma::mat>{dC, dC}; };
  EXPECT_TRUE(bp::test::ThrowsShapeErrorNaming([&] { p.tape.backward(p.L); }, "16×500", "1×500"));
}
// [backward-test]

// [posts-network-test]
TEST(Autodiff_PostsNetwork, EqualsChapter09sBackwardOnEveryBlock) {
  // The tape, with no derivative written for this network, against chapter 09's backward pass
  // (the reference copy of its lines): the four parameter blocks and the three intermediates,
  // on every small network, the post's network at N = 16, and at the program's N = 200.
  std::vector<Network> nets = bp::test::small_networks();
  nets.push_back(bp::test::posts_network(16));
  nets.push_back(bp::test::posts_network(200));
  for (const Network& net : nets) {
    const Example e = make_example(net);
    bp::PostsTape p = bp::record_posts_network(e.params, e.X, e.Y);
    p.tape.backward(p.L);
    const bp::Grads tape = bp::tape_grads(p);
    const bp::Grads hand = bp::test::reference_backward(e.params, e.cache, e.Y);
    const arma::mat dZ2 = bp::test::reference_output_delta(e.cache.P, e.Y);
    const bp::HiddenGrads hidden = bp::test::reference_hidden_backward(e.params, e.cache, dZ2);
    EXPECT_TRUE(AgreesTo1e13(tape.dW1, hand.dW1, "dW1")) << net.name();
    EXPECT_TRUE(AgreesTo1e13(tape.db1, hand.db1, "db1")) << net.name();
    EXPECT_TRUE(AgreesTo1e13(tape.dW2, hand.dW2, "dW2")) << net.name();
    EXPECT_TRUE(AgreesTo1e13(tape.db2, hand.db2, "db2")) << net.name();
    EXPECT_TRUE(AgreesTo1e13(p.tape.grad(p.Z2), dZ2, "dZ2")) << net.name();
    EXPECT_TRUE(AgreesTo1e13(p.tape.grad(p.A1), hidden.dA1, "dA1")) << net.name();
    EXPECT_TRUE(AgreesTo1e13(p.tape.grad(p.Z1), hidden.dZ1, "dZ1")) << net.name();
    RecordProperty(
        std::string("largest_difference_") + std::to_string(net.samples) + "_" +
            std::to_string(net.hidden),
        std::to_string(std::max(
            {relative_difference(tape.dW1, hand.dW1), relative_difference(tape.db1, hand.db1),
             relative_difference(tape.dW2, hand.dW2), relative_difference(tape.db2, hand.db2)})));
  }
}

TEST(Autodiff_PostsNetwork, EveryParameterMatchesCentralDifferences) {
  // All 2502 parameters of the post's network, each against its central difference of the
  // reference loss (the trusted full check of chapter 09's tests).
  const Example e = make_example(bp::test::posts_network(16));
  bp::PostsTape p = bp::record_posts_network(e.params, e.X, e.Y);
  p.tape.backward(p.L);
  const bp::GradientCheck errors = bp::test::check_every_entry(bp::tape_grads(p), e);
  EXPECT_LE(errors.worst(), bp::test::kTolerance) << bp::test::describe(errors);
}

TEST(Autodiff_PostsNetwork, LogitsOfAThousandStayFinite) {
  // The fused softmax-cross-entropy never divides by a probability: logits in the thousands
  // give finite gradients equal to chapter 09's.
  Example e = make_example(bp::test::posts_network(16));
  e.params.W2 *= 2000.0;
  e.cache = bp::test::reference_forward(e.params, e.X);
  ASSERT_GT(arma::abs(e.cache.Z2).max(), 1000.0) << "the logits were meant to be huge";
  bp::PostsTape p = bp::record_posts_network(e.params, e.X, e.Y);
  p.tape.backward(p.L);
  const bp::Grads tape = bp::tape_grads(p);
  SCOPED_TRACE("the post's network " + bp::test::posts_network(16).name() +
               " with W2 × 2000, logits " + bp::test::show(e.cache.Z2));
  EXPECT_TRUE(std::isfinite(p.tape.value(p.L)(0, 0))) << "L = " << p.tape.value(p.L)(0, 0);
  EXPECT_TRUE(tape.dW1.is_finite() && tape.db1.is_finite() && tape.dW2.is_finite() &&
              tape.db2.is_finite())
      << "dW1 " << bp::test::show(tape.dW1) << ", db1 " << bp::test::show(tape.db1) << ", dW2 "
      << bp::test::show(tape.dW2) << ", db2 " << bp::test::show(tape.db2);
  const bp::Grads hand = bp::test::reference_backward(e.params, e.cache, e.Y);
  EXPECT_TRUE(AgreesTo1e13(tape.dW1, hand.dW1, "dW1"));
  EXPECT_TRUE(AgreesTo1e13(tape.dW2, hand.dW2, "dW2"));
}

TEST(Autodiff_PostsNetwork, DuplicatingTheBatchLeavesEveryGradientUnchanged) {
  // The 1/N of the mean enters in softmax_cross_entropy's VJP only, and the tape carries it.
  const Example e = make_example(bp::test::posts_network(16));
  const Example twice = bp::test::duplicated(e);
  bp::PostsTape p = bp::record_posts_network(e.params, e.X, e.Y);
  bp::PostsTape p2 = bp::record_posts_network(twice.params, twice.X, twice.Y);
  p.tape.backward(p.L);
  p2.tape.backward(p2.L);
  const bp::Grads g = bp::tape_grads(p), g2 = bp::tape_grads(p2);
  EXPECT_TRUE(bp::test::AgreesToRounding(g2.dW1, g.dW1));
  EXPECT_TRUE(bp::test::AgreesToRounding(g2.db1, g.db1));
  EXPECT_TRUE(bp::test::AgreesToRounding(g2.dW2, g.dW2));
  EXPECT_TRUE(bp::test::AgreesToRounding(g2.db2, g.db2));
}
// [posts-network-test]

// The deeper networks' loss, in plain Armadillo: tanh between the layers, none after the last,
// then the reference cross-entropy of the logits.
double trusted_layers_loss(const std::vector<bp::Layer>& layers, const arma::mat& X,
                           const arma::mat& Y) {
  arma::mat A = X;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    arma::mat Z = A * layers[l].W;
    Z.each_row() += layers[l].b;
    A = l + 1 < layers.size() ? arma::mat(arma::tanh(Z)) : Z;
  }
  return bp::test::reference_loss_from_logits(A, Y);
}

/// Layers of the given widths with random biases too (init_layers draws them 0), and a batch.
struct DeepExample {
  std::vector<bp::Layer> layers;
  arma::mat X, Y;
};

DeepExample make_deep(const std::vector<arma::uword>& widths, arma::uword samples,
                      std::uint64_t seed) {
  DeepExample d;
  d.layers = bp::init_layers(widths, seed);
  bp::Rng rng(seed + 1);
  for (bp::Layer& layer : d.layers) layer.b = bp::normal_matrix(1, layer.b.n_cols, 0.1, rng);
  d.X = bp::normal_matrix(samples, widths.front(), 1.0, rng);
  d.Y.zeros(samples, widths.back());
  for (arma::uword n = 0; n < samples; ++n) d.Y(n, rng() % widths.back()) = 1.0;
  return d;
}

// [deeper-network-test]
TEST(Autodiff_DeeperNetwork, EveryGradientMatchesCentralDifferences) {
  // 2 → 64 → 64 → 2 (4482 parameters) and two other lists of layers, every entry of every W
  // and b against central differences of the loss written out above — and not a line of
  // derivative code written for any of them.
  for (const std::vector<arma::uword>& widths :
       std::vector<std::vector<arma::uword>>{{2, 64, 64, 2}, {3, 5, 4, 3}, {2, 8, 8, 8, 8, 3}}) {
    const DeepExample d = make_deep(widths, 16, widths.size());
    bp::LayersTape t = bp::record_layers(d.layers, d.X, d.Y);
    t.tape.backward(t.L);
    for (std::size_t l = 0; l < d.layers.size(); ++l) {
      const auto loss_of_W = [&](const arma::mat& W) {
        std::vector<bp::Layer> changed = d.layers;
        changed[l].W = W;
        return trusted_layers_loss(changed, d.X, d.Y);
      };
      const auto loss_of_b = [&](const arma::mat& b) {
        std::vector<bp::Layer> changed = d.layers;
        changed[l].b = arma::rowvec(b);
        return trusted_layers_loss(changed, d.X, d.Y);
      };
      const std::string at = std::string(" of layer ") + std::to_string(l + 1) + " of " +
                             std::to_string(d.layers.size());
      EXPECT_TRUE(bp::test::MatchesCentralDifferences(loss_of_W, d.layers[l].W, t.tape.grad(t.W[l]),
                                                      "dW" + at));
      EXPECT_TRUE(bp::test::MatchesCentralDifferences(loss_of_b, arma::mat(d.layers[l].b),
                                                      t.tape.grad(t.b[l]), "db" + at));
    }
  }
}

TEST(Autodiff_DeeperNetwork, OneHiddenLayerIsThePostsNetwork) {
  // record_layers with the post's two layers records the same operations as
  // record_posts_network: the same gradients, to the bit.
  const Example e = make_example(bp::test::posts_network(16));
  const std::vector<bp::Layer> layers = {{e.params.W1, e.params.b1}, {e.params.W2, e.params.b2}};
  bp::LayersTape t = bp::record_layers(layers, e.X, e.Y);
  t.tape.backward(t.L);
  bp::PostsTape p = bp::record_posts_network(e.params, e.X, e.Y);
  p.tape.backward(p.L);
  SCOPED_TRACE("record_layers and record_posts_network on " + bp::test::posts_network(16).name());
  EXPECT_TRUE(EntriesNear(t.tape.grad(t.W[0]), p.tape.grad(p.W1), 0.0, "dW1"));
  EXPECT_TRUE(EntriesNear(t.tape.grad(t.b[1]), p.tape.grad(p.b2), 0.0, "db2"));
}

TEST(Autodiff_DeeperNetwork, TheL2PenaltyAddsMuW) {
  // The penalty (μ/2) Σ_l ‖W_l‖², recorded with square, sum, scale and add_row, adds μ W_l to
  // each weight gradient and nothing to the biases: its derivative, written by no one.
  const DeepExample d = make_deep({2, 6, 5, 2}, 10, 7);
  const double mu = 0.3;
  bp::LayersTape plain = bp::record_layers(d.layers, d.X, d.Y);
  plain.tape.backward(plain.L);
  bp::LayersTape decayed = bp::record_layers(d.layers, d.X, d.Y, mu);
  decayed.tape.backward(decayed.L);
  for (std::size_t l = 0; l < d.layers.size(); ++l) {
    EXPECT_TRUE(bp::test::AgreesToRounding(decayed.tape.grad(decayed.W[l]),
                                           plain.tape.grad(plain.W[l]) + mu * d.layers[l].W));
    EXPECT_TRUE(
        bp::test::AgreesToRounding(decayed.tape.grad(decayed.b[l]), plain.tape.grad(plain.b[l])));
  }
}
// [deeper-network-test]

// ---------------------------------------------------------------------------------------------
// Planted bugs swapped into one node of the post's network: the full check must fail in the
// blocks below that node, and only there; the agreement with chapter 09 must fail too.

/// One planted VJP: the node it replaces (found in a recorded PostsTape), the VJP with the
/// mistake (built from that tape's values), and the blocks it corrupts.
struct PlantedVjp {
  std::string mistake;
  std::function<bp::Var(const bp::PostsTape&)> node;
  std::function<bp::Vjp(const bp::PostsTape&, const arma::mat& Y)> vjp;  ///< Y: the labels
  bp::test::Blocks corrupts;
};

std::vector<PlantedVjp> planted_vjps() {
  return {
      {"matmul A1 W2: dA = dC W2 (the transpose missing; computes when H = K)",
       [](const bp::PostsTape& p) { return bp::Var{p.tape.at(p.Z2).parents[0]}; },
       [](const bp::PostsTape& p, const arma::mat&) -> bp::Vjp {
         const arma::mat A = p.tape.value(p.A1), B = p.tape.value(p.W2);
         return [A, B](const arma::mat& dC) { return std::vector<arma::mat>{dC * B, A.t() * dC}; };
       },
       {true, true, false, false}},
      {"add_row b2: db = the first row of dC (not summed over the rows)",
       [](const bp::PostsTape& p) { return p.Z2; },
       [](const bp::PostsTape&, const arma::mat&) -> bp::Vjp {
         return [](const arma::mat& dC) { return std::vector<arma::mat>{dC, dC.row(0)}; };
       },
       {false, false, false, true}},
      {"add_row b1: db = the first row of dC (not summed over the rows)",
       [](const bp::PostsTape& p) { return p.Z1; },
       [](const bp::PostsTape&, const arma::mat&) -> bp::Vjp {
         return [](const arma::mat& dC) { return std::vector<arma::mat>{dC, dC.row(0)}; };
       },
       {false, true, false, false}},
      {"tanh: dZ = dA ⊙ (1 − Z²) (tanh′ from Z instead of A)",
       [](const bp::PostsTape& p) { return p.A1; },
       [](const bp::PostsTape& p, const arma::mat&) -> bp::Vjp {
         const arma::mat Z = p.tape.value(p.Z1);
         return [Z](const arma::mat& dA) {
           return std::vector<arma::mat>{dA % (1.0 - arma::square(Z))};
         };
       },
       {true, true, false, false}},
      {"softmax_cross_entropy: dZ = dL (P − Y) (the 1/N missing)",
       [](const bp::PostsTape& p) { return p.L; },
       [](const bp::PostsTape& p, const arma::mat& Y) -> bp::Vjp {
         const arma::mat P = bp::test::reference_softmax(p.tape.value(p.Z2));
         return [P, Y](const arma::mat& dL) { return std::vector<arma::mat>{dL(0, 0) * (P - Y)}; };
       },
       {true, true, true, true}},
  };
}

// [planted-bugs-test]
TEST(Autodiff_PlantedBugs, EachIsCaughtInTheBlocksBelowItsNode) {
  for (const Network& net : bp::test::planted_bug_networks()) {
    const Example e = make_example(net);
    bp::PostsTape right = bp::record_posts_network(e.params, e.X, e.Y);
    right.tape.backward(right.L);
    ASSERT_LE(bp::test::check_every_entry(bp::tape_grads(right), e).worst(), bp::test::kTolerance)
        << "the tape itself, on " << net.name();
    for (const PlantedVjp& bug : planted_vjps()) {
      bp::PostsTape p = bp::record_posts_network(e.params, e.X, e.Y);
      p.tape.nodes[bug.node(p).id].vjp = bug.vjp(p, e.Y);
      p.tape.backward(p.L);
      const bp::Grads g = bp::tape_grads(p);
      EXPECT_TRUE(CaughtInItsBlocks(bp::test::check_every_entry(g, e), bug.corrupts))
          << bug.mistake << " on " << net.name();
      const bp::Grads hand = bp::test::reference_backward(e.params, e.cache, e.Y);
      EXPECT_FALSE(AgreesTo1e13(g.dW1, hand.dW1, "dW1") && AgreesTo1e13(g.db1, hand.db1, "db1") &&
                   AgreesTo1e13(g.dW2, hand.dW2, "dW2") && AgreesTo1e13(g.db2, hand.db2, "db2"))
          << bug.mistake << " agrees with chapter 09 on " << net.name();
    }
  }
}
// [planted-bugs-test]

}  // namespace
