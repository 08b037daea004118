// Trusted test support: an independent reference of the post's network — parameters, batch,
// forward pass, loss, backward pass — in plain Armadillo. It never calls the learner's code, so
// a gradient test never uses the learner's code to compute the function it differentiates
// (micrograd's tests do the same against PyTorch). It uses the chapter headers for their types
// only (Params, Cache, Grads, HiddenGrads, GradientCheck).
//
// The checks below compare an analytic gradient with the trusted central differences of
// support/gradcheck.hpp (kStep, kTolerance), entry by entry, with the relative error
// |a − b| / max(floor, |a| + |b|), with the floor gradient_floor (kFloor, scaled by the loss).
#pragma once

#include <gtest/gtest.h>

#include <armadillo>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "03_forward/forward.hpp"
#include "08_hidden_layer/hidden_layer.hpp"
#include "09_backprop/backprop.hpp"
#include "common/shape.hpp"
#include "support/assertions.hpp"
#include "support/doctor.hpp"
#include "support/gradcheck.hpp"

namespace bp::test {

/// A network and a batch to test on: the dimensions, and the seed of all their numbers.
struct Network {
  arma::uword inputs;   ///< D
  arma::uword hidden;   ///< H
  arma::uword classes;  ///< K
  arma::uword samples;  ///< N
  std::uint64_t seed;

  /// "D=2 H=3 K=2 N=4 seed 1", for failure messages.
  std::string name() const;
};

/// Small networks, each small enough that every entry of every gradient is checked: the post's
/// D = K = 2 with a few hidden units, a single sample (the post's case), more classes than two,
/// and two with H = K, on which a W2 given where W2ᵀ belongs still multiplies.
const std::vector<Network>& small_networks();

/// The networks the planted bugs are run on: small, N > 1 (at N = 1 a missing 1/N or a bias
/// gradient taken from the first row is not a bug), and H = K (every planted bug computes).
const std::vector<Network>& planted_bug_networks();

/// The post's network, D = 2, H = 500, K = 2 (2502 parameters), on a batch of `samples`.
Network posts_network(arma::uword samples);

/// Everything a test needs, all computed by the reference code below.
struct Example {
  Params params;  ///< W1 ~ N(0, 1/D), W2 ~ N(0, 1/H), b1, b2 ~ N(0, 0.1²)
  arma::mat X;    ///< N×D, entries N(0, 1)
  arma::mat Y;    ///< N×K, one-hot, classes drawn uniformly
  Cache cache;    ///< reference_forward(params, X)
  double loss;    ///< reference_loss(params, X, Y)
};

/// Parameters of a D→H→K network drawn from `seed`, in the order W1 ~ N(0, 1/D), b1 ~ N(0, s²),
/// W2 ~ N(0, 1/H), b2 ~ N(0, s²) with s = `bias_stddev` (non-zero biases: a forgotten bias shows).
Params random_params(arma::uword D, arma::uword H, arma::uword K, std::uint64_t seed,
                     double bias_stddev = 0.1);

/// Draws the parameters (as random_params) and then the batch of `net` from its seed (the same
/// seed, the same numbers).
Example make_example(const Network& net);

/// The same parameters with the batch stacked twice: X on top of X, Y on top of Y.
Example duplicated(const Example& example);

/// σ(s) = 1/(1 + e^−s), entry by entry, naively: exact to rounding for |s| ≤ 30 (the tests'
/// values); the stable form is an exercise.
arma::mat reference_sigmoid(const arma::mat& S);

/// Softmax of each row, shifted by the row maximum.
arma::mat reference_softmax(const arma::mat& Z);

/// Mean cross-entropy from the logits, through log-sum-exp: −(1/N) Σ Y ⊙ log softmax(Z2).
double reference_loss_from_logits(const arma::mat& Z2, const arma::mat& Y);

/// Equations (1)–(4): Z1 = X W1 + 1 b1, A1 = tanh(Z1), Z2 = A1 W2 + 1 b2, P = softmax(Z2).
Cache reference_forward(const Params& params, const arma::mat& X);

/// The loss of the network on a batch: reference_loss_from_logits(forward(params, X).Z2, Y).
double reference_loss(const Params& params, const arma::mat& X, const arma::mat& Y);

/// dZ2 = (P − Y)/N, the corrected (7), written out here so that tests of later exercises do not
/// depend on exercise 7.1.
arma::mat reference_output_delta(const arma::mat& P, const arma::mat& Y);

/// reference_output_delta of the example's forward pass: its dZ2.
arma::mat reference_dZ2(const Example& example);

/// The hidden layer's backward pass: dA1 = dZ2 W2ᵀ, dZ1 = dA1 ⊙ (1 − A1²), dW1 = Xᵀ dZ1,
/// db1 = Σ_rows dZ1.
HiddenGrads reference_hidden_backward(const Params& params, const Cache& cache,
                                      const arma::mat& dZ2);

/// The whole backward pass, the corrected (7), (10), (11), (14)–(17). It is the correct
/// backward the tests of exercise 9.2 give the learner's checker, and the base every planted
/// bug changes in one place; the planted-bug tests prove it passes the checks.
Grads reference_backward(const Params& params, const Cache& cache, const arma::mat& Y);

/**
 * The floor of the relative error for gradients of a function whose value is `loss`:
 *     kFloor · max(1, |loss|)
 *
 * A central difference (f(x+h) − f(x−h))/2h of a value f computed in double carries a rounding
 * error of about ε|f|/h (ε = 2.2e-16), the rising branch of chapter 05's error-vs-h figure:
 * for the loss (|f| ≈ 0.6) and h = kStep = 1e-5 about 1.3e-11 *absolute*, however small the
 * entry. An entry far below that error divided by kTolerance cannot be resolved to kTolerance,
 * so below the floor the comparison becomes absolute, to kTolerance · floor = 1e-10 — ten times
 * the rounding error (gradcheck.hpp's kFloor = 1e-4 is measured for that: on a batch of 200 the
 * post's network has entries of 5e-7, which a floor of 1e-8 would fail). The noise grows with
 * |f|, so the floor does too for functions larger than 1. A real mistake changes an entry by
 * about its own size and is still caught (the planted-bug tests prove it).
 */
double gradient_floor(double loss);

/// Passes when `analytic` has the shape of `point` and every entry matches the central
/// difference of f at `point` (kStep), to kTolerance with the floor gradient_floor(f(point)).
/// The message names `what`, the worst entry and both values and, on a failure, what the gradient
/// doctor makes of `analytic` against the central differences, with `clues` (its name is
/// `what`, its floor the one above; support/doctor.hpp).
testing::AssertionResult MatchesCentralDifferences(const std::function<double(const arma::mat&)>& f,
                                                   const arma::mat& point,
                                                   const arma::mat& analytic,
                                                   const std::string& what,
                                                   const Clues& clues = {});

/// For matrices too large to check entry by entry: passes when `analytic` has the shape of
/// `point` and, along each of `directions` random unit directions U (entries N(0, 1), scaled to
/// norm 1), ⟨analytic, U⟩ matches the central difference (f(point + hU) − f(point − hU))/2h.
/// Each direction weighs every entry, so a wrong entry of any size moves the sum.
testing::AssertionResult MatchesAlongRandomDirections(
    const std::function<double(const arma::mat&)>& f, const arma::mat& point,
    const arma::mat& analytic, int directions, std::uint64_t seed, const std::string& what);

/// The loss as a function of one parameter block, the others held at `example`'s values.
std::function<double(const arma::mat&)> loss_of_W1(const Example& example);
std::function<double(const arma::mat&)> loss_of_b1(const Example& example);  ///< of b1 (1×H)
std::function<double(const arma::mat&)> loss_of_W2(const Example& example);  ///< of W2
std::function<double(const arma::mat&)> loss_of_b2(const Example& example);  ///< of b2 (1×K)

/// The loss seen from an intermediate of `example`'s forward pass, the parameters held:
/// L(Z2) = CE(Z2), L(A1) = CE(A1 W2 + 1 b2), L(Z1) = CE(tanh(Z1) W2 + 1 b2).
std::function<double(const arma::mat&)> loss_of_Z2(const Example& example);
std::function<double(const arma::mat&)> loss_of_A1(const Example& example);  ///< of A1 (N×H)
std::function<double(const arma::mat&)> loss_of_Z1(const Example& example);  ///< of Z1 (N×H)

/// Whether `params` has the shapes of a D→H→K network, W1 D×H, b1 1×H, W2 H×K, b2 1×K; the
/// message names the first block that has not ("W1 is 500×2, expected 2×500").
testing::AssertionResult HasTheShapesOf(const Params& params, arma::uword D, arma::uword H,
                                        arma::uword K);

/// Whether each gradient of `grads` has its parameter's shape; the message names the first
/// that does not.
testing::AssertionResult HasTheShapesOfTheParameters(const Grads& grads, const Params& params);

/// The trusted full check: every entry of every block of `grads` against central differences of
/// reference_loss (2(DH + H + HK + K) forward passes), worst relative error per block with the
/// floor gradient_floor(example.loss). Throws ShapeError when a block has the wrong shape.
GradientCheck check_every_entry(const Grads& grads, const Example& example);

/// The trusted check for large networks: per block, `directions` random unit directions (as in
/// MatchesAlongRandomDirections) and `entries` entries drawn at random (all of a block that has
/// no more), worst relative error per block over both.
GradientCheck check_sampled(const Grads& grads, const Example& example, int directions,
                            arma::uword entries, std::uint64_t seed);

/// Whether `a` and `b` have the same shape and agree to 1e-12 of the largest entry of `b`: two
/// exact computations of the same sums, which only round differently (a few ulps per addition).
testing::AssertionResult AgreesToRounding(const arma::mat& a, const arma::mat& b);

/// The parameters as a message shows them: "W1 = [0.1 -0.5; 0.3 2], b1 = …, W2 = …, b2 = …",
/// each matrix by show() (in full when small, else its shape and range).
std::string show(const Params& params);

/// "W1 3.2e-10  b1 1.1e-10  W2 4.0e-11  b2 2.2e-12", for messages.
std::string describe(const GradientCheck& errors);

}  // namespace bp::test
