// Trusted test support: planted bugs. Each is the reference code of one function of chapters
// 07–09 with one mistake a learner (or the post) makes. The tests run every planted bug through
// the same checks the real code passes and fail unless each one is caught: a check that cannot
// fail proves nothing.
//
// The mistakes, and where they sit:
//   output_delta           (Y − P)/N, the post's sign of (7);  P − Y, the 1/N forgotten
//   weight_gradient        a_1ᵀ dz of the first sample only, the post's (14) kept for a batch;
//                          Aᵀ dZ / N, the 1/N taken a second time
//   bias_gradient          the first row of dZ, the post's (15) kept for a batch; the mean of
//                          the rows, the 1/N taken a second time
//   input_gradient         dZ W: W2 where W2ᵀ belongs (it multiplies only when H = K)
//   tanh_backward          dA ⊙ (1 − A): 1 − tanh for 1 − tanh²;
//                          dA ⊙ (1 − tanh²(A)): tanh applied to the cached output a second time
//   hidden_layer_backward  dZ1 from 1 − Z1² (tanh's input where its output belongs);
//                          dW1 = A1ᵀ dZ1 (the output layer's input where X belongs)
//   backward               the whole-network versions, one mistake each (planted_backward_bugs)
#pragma once

#include <armadillo>
#include <functional>
#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "03_forward/forward.hpp"
#include "08_hidden_layer/hidden_layer.hpp"
#include "09_backprop/backprop.hpp"

namespace bp::test {

/// One planted bug in a function of type Fn.
template <typename Fn>
struct Planted {
  std::string name;     ///< CamelCase, as in a test name: "SignOfThePostsEquation7"
  std::string mistake;  ///< the wrong line, e.g. "dZ2 = (Y − P)/N"
  Fn fn;                ///< the function with the mistake
};

using OutputDeltaFn = std::function<arma::mat(const arma::mat& P, const arma::mat& Y)>;
using WeightGradientFn = std::function<arma::mat(const arma::mat& A, const arma::mat& dZ)>;
using BiasGradientFn = std::function<arma::rowvec(const arma::mat& dZ)>;
using InputGradientFn = std::function<arma::mat(const arma::mat& dZ, const arma::mat& W)>;
using TanhBackwardFn = std::function<arma::mat(const arma::mat& dA, const arma::mat& A)>;
using HiddenLayerFn =
    std::function<HiddenGrads(const Params& params, const Cache& cache, const arma::mat& dZ2)>;

std::vector<Planted<OutputDeltaFn>> planted_output_delta_bugs();
std::vector<Planted<WeightGradientFn>> planted_weight_gradient_bugs();
std::vector<Planted<BiasGradientFn>> planted_bias_gradient_bugs();
std::vector<Planted<InputGradientFn>> planted_input_gradient_bugs();
std::vector<Planted<TanhBackwardFn>> planted_tanh_backward_bugs();
std::vector<Planted<HiddenLayerFn>> planted_hidden_layer_bugs();

/// Which parameter blocks a whole-network bug makes wrong.
struct Blocks {
  bool W1;
  bool b1;
  bool W2;
  bool b2;
};

/// Whether a gradient check caught a planted bug where it should: the blocks the bug corrupts
/// fail (worst relative error above 1e-3, a thousand times gradcheck's kTolerance) and the others
/// pass (kTolerance).
testing::AssertionResult CaughtInItsBlocks(const GradientCheck& errors, const Blocks& corrupts);

/// A planted bug of the whole backward pass, and the blocks it corrupts.
struct PlantedBackward {
  std::string name;
  std::string mistake;
  Blocks corrupts;
  BackwardFunction backward;
};

/// The whole-network planted bugs: reference_backward with one mistake each.
///   SignOfThePostsEquation7   dZ2 = (Y − P)/N                     all four blocks
///   MissingOneOverN           dZ2 = P − Y                         all four blocks
///   OneMinusTanh              dZ1 = dA1 ⊙ (1 − A1)                 W1, b1
///   W2NotTransposed           dA1 = dZ2 W2 (H = K only)            W1, b1
///   BiasGradientNotSummed     db2 = first row of dZ2              b2
///   TanhDerivativeOfZ1        dZ1 = dA1 ⊙ (1 − Z1²): dW1 and db1 computed from Z1 instead of A1
///   PreActivationInDW2        dW2 = Z1ᵀ dZ2                       W2
const std::vector<PlantedBackward>& planted_backward_bugs();

}  // namespace bp::test
