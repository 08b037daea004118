// Trusted test support: the gradient doctor. When a gradient computed by the learner's code
// differs from the trusted one, it names the likeliest mistake and the equation to re-read,
// instead of only "the numbers differ".
//
// It compares the two results only (and what the test tells it in Clues); it never calls the
// learner's code. The patterns it knows, in the order it tries them:
//   the shape of the transpose              transposed
//   N×K where 1×K belongs, summing to it    a bias gradient not summed over the rows
//   a known mistake's result (a Suspect)    that mistake: the test computed it with trusted code
//   all zero                                nothing reaches the result
//   c times the trusted result, c constant  −1: a sign, the post's (7); N: the mean's 1/N
//                                           forgotten; 1/N: the 1/N taken twice; −N, −1/N: both;
//                                           other c: a constant factor (2 or 1/2: λ against λ/2)
//   the transpose (square results)          transposed
//   some rows or columns right, some wrong  which ones
//   right where |A| is small and wrong more as |A| grows, A = tanh(Z) of the layer:
//                                           right only where tanh is not saturated: tanh's
//                                           derivative 1 − A² is wrong or missing, (11)
// A result that agrees with the trusted one entry by entry (kTolerance, with the floor the
// caller gives) gets no diagnosis at all.
#pragma once

#include <armadillo>
#include <string>
#include <vector>

#include "09_backprop/backprop.hpp"

namespace bp::test {

/// The result of a known mistake, computed with trusted code from the test's inputs.
struct Suspect {
  std::string mistake;  ///< what was done: "dW2 = Z1ᵀ dZ2, Z1 where A1 belongs"
  std::string reread;   ///< the equation to re-read: "(14): dW2 = A1ᵀ dZ2"
  arma::mat result;     ///< what that mistake computes
};

/// What the test tells the doctor about the gradient it examines.
struct Clues {
  std::string name = "the gradient";  ///< "dZ2", for the messages
  std::string equation;     ///< the equation that gives it, to re-read: "(7): dZ2 = (P − Y)/N"
  arma::uword samples = 0;  ///< N, when the gradient carries the mean's 1/N (0: it does not)
  arma::mat activation;     ///< A = tanh(Z) at each entry of the gradient, when it passes through
                            ///< tanh entry by entry (the gradient's shape; empty: it does not)
  std::vector<Suspect> suspects;  ///< known mistakes the test can compute
  double floor = 1e-4;            ///< the floor of the relative error (gradient_floor)
};

/// The kinds of mistake the doctor tells apart.
enum class Mistake {
  None,           ///< the result agrees with the trusted one
  Transposed,     ///< the transpose of the trusted result
  NotSummed,      ///< N×K where 1×K belongs, and its rows sum to the trusted result
  Known,          ///< equal to the result of one of the Clues' suspects
  Zero,           ///< all zero, the trusted result is not
  Sign,           ///< exactly −1 times
  MissingMean,    ///< exactly N times: the 1/N forgotten
  MeanTwice,      ///< exactly 1/N times: the 1/N taken twice
  SignAndMean,    ///< −N or −1/N times
  Factor,         ///< another constant factor
  SomeRows,       ///< some rows right, the others wrong
  SomeColumns,    ///< some columns right, the others wrong
  SaturatedTanh,  ///< right where tanh is not saturated, wrong more as |A| grows
  OtherShape,     ///< a shape no pattern explains
  Unknown,        ///< differs, with no pattern the doctor knows
};

/// The doctor's finding.
struct Diagnosis {
  Mistake kind = Mistake::None;
  std::string text;     ///< one or two sentences: the likeliest mistake and what to re-read
  double factor = 1.0;  ///< for Sign, MissingMean, MeanTwice, SignAndMean, Factor: the c
  std::vector<arma::uword> wrong;  ///< for SomeRows, SomeColumns: the wrong ones
  std::string suspect;             ///< for Known: the suspect's mistake
};

/// Examines `learner` against `trusted` (both of the shape the test expects of trusted).
Diagnosis diagnose(const arma::mat& learner, const arma::mat& trusted, const Clues& clues);

/// For a failure message: the learner's and the trusted value at the worst entry, the sizes
/// of both, and the diagnosis. Empty when diagnose finds nothing wrong.
std::string doctor_report(const arma::mat& learner, const arma::mat& trusted, const Clues& clues);

// Suspects of each gradient of the course, each computed with trusted code from the inputs the
// test gave the function under test.

/// weight_gradient(A, dZ) = Aᵀ dZ: the first sample's outer product alone (the post's (14)
/// kept for a batch); `wrong_input`, when not empty, taken where A belongs (Z1 for A1, A1 for X).
std::vector<Suspect> weight_gradient_suspects(const arma::mat& A, const arma::mat& dZ,
                                              const arma::mat& wrong_input,
                                              const std::string& wrong_input_mistake);

/// bias_gradient(dZ) = Σ_rows dZ: the first row alone (the post's (15) kept for a batch).
std::vector<Suspect> bias_gradient_suspects(const arma::mat& dZ);

/// input_gradient(dZ, W) = dZ Wᵀ: dZ W, W where Wᵀ belongs (it multiplies only when W is
/// square).
std::vector<Suspect> input_gradient_suspects(const arma::mat& dZ, const arma::mat& W);

/// tanh_backward(dA, A) = dA ⊙ (1 − A²): 1 − A (tanh for tanh²), 1 − tanh²(A) (tanh taken of
/// its own output), 1 − Z² (the input Z where the output belongs, when Z is not empty), and
/// dA alone (tanh's derivative left out).
std::vector<Suspect> tanh_backward_suspects(const arma::mat& dA, const arma::mat& A,
                                            const arma::mat& Z);

/// The suspects of each block of backward(params, cache, Y), from the reference's own pieces:
/// the mistakes of the output layer (db2 from the first row, dW2 from Z1), and those of the
/// hidden layer carried on to dW1 and db1 (W2 for W2ᵀ, 1 − A1, 1 − Z1², tanh's derivative left
/// out). A sign or a missing 1/N needs no suspect: it is a constant factor.
struct BackwardSuspects {
  std::vector<Suspect> W1, b1, W2, b2;
};
BackwardSuspects backward_suspects(const Params& params, const Cache& cache, const arma::mat& Y);

/// The doctor on a whole backward pass: which blocks are wrong, what that says about where the
/// mistake is (only dW1 and db1: the hidden layer; all four: dZ2, where everything starts), and
/// each wrong block's diagnosis. Empty when every block agrees with `trusted`.
std::string doctor_backward(const Grads& learner, const Grads& trusted, const Params& params,
                            const Cache& cache, const arma::mat& Y, double floor);

}  // namespace bp::test
