/**
 * @file speed.hpp
 * @brief Chapter 13: the training epoch made fast — a vectorised tanh (SLEEF's, glibc's), and a
 * workspace that runs forward, loss and backward in one pass over blocks of rows.
 *
 * Dimension letters: N samples, D inputs (2), H hidden units (500 in the post), K classes (2),
 * B rows per block (TrainingWorkspace::kBlockRows).
 *
 * The textbook epoch (chapters 03, 04, 09, 10) keeps every intermediate of the whole batch:
 * Z1, A1, dA1 and dZ1 are N×H matrices, each a fresh allocation written once and read once or
 * twice, and A1 = tanh(Z1) calls the C library's scalar tanh N·H times. The workspace computes
 * the same numbers, equation by equation, for B rows at a time:
 *
 *     for each block of B rows (X_b, Y_b):
 *       forward, column h by column h:  a = X_b W1(:,h) + b1(h)          (1)   B numbers
 *                                       a = tanh(a)                      (2)   vectorised, in place
 *                                       Z2_b += a W2(h,:)                (3)   B×K, from 1 b2
 *       row by row:                     P = softmax(Z2_b)                (4)
 *                                       L += −Σ_k Y ln P; accuracy       (5)
 *                                       dZ2_b = (P − Y_b)/N              (7)
 *                                       db2 += Σ_rows dZ2_b              (15)
 *       backward, column h by column h: g = (dZ2_b W2(h,:)ᵀ) ⊙ (1 − a²)  (10), (11)
 *                                       dW2(h,:) += aᵀ dZ2_b             (14)
 *                                       dW1(:,h) += X_bᵀ g               (16)
 *                                       db1(h) += Σ g                    (17)
 *
 * A block's activations (B×H, 512 kB for B = 128, H = 500) stay in the processor's cache
 * between its forward and its backward pass, no N×H matrix exists, and after the first epoch
 * nothing is allocated. The page \ref ch13 measures each step.
 */
#pragma once

#include <armadillo>
#include <cstddef>
#include <string>
#include <vector>

#include "03_forward/forward.hpp"
#include "09_backprop/backprop.hpp"
#include "10_training/training.hpp"

namespace bp {

/// How vector_tanh computes: the C library's scalar tanh; SLEEF's vectorised tanh with 1.0-ULP
/// accuracy (its `u10` functions) on 2, 4 or 8 doubles at a time; or the C library's own
/// vectorised tanh on 8 doubles (glibc's libmvec), twice as fast as SLEEF's, documented to 4 ULP
/// and measured (tests/13_speed_test.cpp) within the error of std::tanh itself. (glibc's 4-double
/// AVX2 tanh is not offered: its worst error, 2.12 ULP, exceeds std::tanh's 2.04.)
enum class TanhKernel {
  standard,     ///< std::tanh, one number at a time (what arma::tanh calls)
  sse2,         ///< Sleef_tanhd2_u10: 2 doubles; every x86-64 processor has SSE2
  avx2,         ///< Sleef_tanhd4_u10: 4 doubles; processors with AVX2 and FMA
  avx512,       ///< Sleef_tanhd8_u10: 8 doubles; processors with AVX-512F
  glibc_avx512  ///< glibc's _ZGVeN8v_tanh: 8 doubles; processors with AVX-512F
};

/// The kernel's name as the programs print it ("SLEEF AVX2").
std::string kernel_name(TanhKernel kernel);

/// The kernels this processor can run, from the slowest (standard) to the fastest.
std::vector<TanhKernel> available_tanh_kernels();

/// The fastest kernel this processor can run (decided once, at the first call).
TanhKernel best_tanh_kernel();

/**
 * @brief tanh of n numbers, a[i] = tanh(z[i]); `a` may be `z` (in place).
 *
 * The SLEEF kernels are within 1.0 ULP of the exact tanh (SLEEF's documented bound for its
 * `u10` functions); glibc's AVX-512 kernel is documented within 4 ULP and measured within the
 * error of the C library's scalar tanh itself (1.18 against 2.04 ULP); every kernel keeps the
 * sign of ±0 and gives ±1 for ±∞ and NaN for NaN. The last n mod 8 (or 4, or 2) numbers go
 * through the same vector function, padded, so every number gets the same accuracy.
 * \see \ref ch13-tanh "a vectorised tanh" on \ref ch13 "chapter 13"'s page.
 * @param z       n numbers
 * @param a       room for n numbers
 * @param n       how many
 * @param kernel  one of available_tanh_kernels(); a kernel this processor cannot run is an
 *                std::invalid_argument
 */
void vector_tanh(const double* z, double* a, std::size_t n, TanhKernel kernel);

/// tanh of every entry of Z through best_tanh_kernel(): chapter 02's tanh_activation, faster.
/// @param Z  any shape
/// @return   tanh(Z), Z's shape
arma::mat vector_tanh(const arma::mat& Z);

/**
 * @brief The training epoch of chapter 10, fused: the same numbers as forward(), backward()
 * and train_epoch(), computed a block of rows at a time in buffers that are reused.
 *
 * The buffers are sized at the first call and resized only when the network's shape or the
 * block size changes: from the second epoch on, an epoch allocates nothing. The results agree
 * with the textbook functions to rounding (the tests ask for 1e-12, relative to the largest
 * entry of each gradient): the sums run in another order, and a vectorised tanh may differ from
 * the C library's scalar one in the last bit.
 * \see \ref ch13-workspace "the workspace" on \ref ch13 "chapter 13"'s page.
 */
class TrainingWorkspace {
 public:
  /// Rows per block: 128 rows of H = 500 activations are 512 kB, which stay in a 2 MB cache
  /// (measured for \ref ch13 "chapter 13": 16 to 256 rows differ by 15 %, 128 was the fastest).
  static constexpr arma::uword kBlockRows = 128;

  /// @param kernel      the tanh kernel (the fastest this processor has, by default)
  /// @param block_rows  B ≥ 1, rows per block
  explicit TrainingWorkspace(TanhKernel kernel = best_tanh_kernel(),
                             arma::uword block_rows = kBlockRows);

  /**
   * @brief The mean cross-entropy and the accuracy of the network on a batch, and the four
   * gradients of that loss (read them with grads()).
   *
   * Equal to cross_entropy_from_logits(forward(params, X).Z2, Y), the accuracy of predict(P) against
   * predict(Y), and backward(params, forward(params, X), Y).
   * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
   * @param X       N×D  the batch, one sample per row, N ≥ 1
   * @param Y       N×K  labels (one-hot)
   * @return the loss (without penalty) and the accuracy
   * @throws ShapeError when the shapes do not fit; the message names them.
   */
  EpochResult loss_and_gradients(const Params& params, const arma::mat& X, const arma::mat& Y);

  /**
   * @brief The mean cross-entropy of the network on a batch: the forward pass alone.
   * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
   * @param X       N×D  one sample per row, N ≥ 1
   * @param Y       N×K  labels (one-hot)
   * @return cross_entropy_from_logits(forward(params, X).Z2, Y)
   * @throws ShapeError when the shapes do not fit.
   */
  double loss(const Params& params, const arma::mat& X, const arma::mat& Y);

  /// The gradients of the last loss_and_gradients() or train_epoch() (for train_epoch, with the
  /// L2 term): dW1 D×H, db1 1×H, dW2 H×K, db2 1×K.
  const Grads& grads() const { return grads_; }

  /**
   * @brief One epoch of full-batch gradient descent: what bp::train_epoch (chapter 10) does.
   *
   * Loss and gradients, the L2 penalty λ/2 (‖W1‖² + ‖W2‖²) and its gradient λW, then the step
   * θ ← θ − η g.
   * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K: updated in place
   * @param X       N×D  the training set
   * @param Y       N×K  its one-hot labels
   * @param rate    the learning rate η
   * @param lambda  λ of the L2 penalty (0: none)
   * @return the loss (with the penalty) and the accuracy before the step
   * @throws ShapeError when the shapes do not fit (params are then unchanged).
   */
  EpochResult train_epoch(Params& params, const arma::mat& X, const arma::mat& Y, double rate,
                          double lambda);

  /**
   * @brief The loss J (with the penalty) and the accuracy of the network on a batch, without a
   * step: bp::evaluate (chapter 10), fused.
   * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
   * @param X       N×D  one sample per row
   * @param Y       N×K  one-hot labels
   * @param lambda  λ of the L2 penalty included in the loss
   * @throws ShapeError when the shapes do not fit.
   */
  EpochResult evaluate(const Params& params, const arma::mat& X, const arma::mat& Y, double lambda);

 private:
  /// Runs the forward pass of every block, and the backward pass too when `gradients`.
  EpochResult run(const Params& params, const arma::mat& X, const arma::mat& Y, bool gradients);

  TanhKernel kernel_;
  arma::uword block_rows_;
  arma::mat A_;    // B×H  the block's activations, A1 for rows r0 … r0 + n − 1
  arma::mat Z2_;   // B×K  the block's logits, then its probabilities P
  arma::mat dZ2_;  // B×K  the block's (P − Y)/N
  arma::vec g_;    // B    one column of the block's dZ1
  Grads grads_;    // dW1 D×H, db1 1×H, dW2 H×K, db2 1×K
};

/**
 * @brief The training loop of chapter 10, bp::train, with the workspace's epoch: the same
 * steps, the same History, the same stop at a loss that is not finite.
 * \see \ref ch13-workspace "the workspace" on \ref ch13 "chapter 13"'s page.
 * @param workspace  its buffers are reused by every epoch
 * @param params     W1 D×H, b1 1×H, W2 H×K, b2 1×K: trained in place
 * @param X          N×D  the training set
 * @param Y          N×K  its one-hot labels
 * @param settings   epochs, rate, lambda
 * @param progress   optional; called once per epoch
 * @return loss and accuracy after e = 0 … epochs_run epochs, as bp::train
 */
History train(TrainingWorkspace& workspace, Params& params, const arma::mat& X, const arma::mat& Y,
              const TrainSettings& settings, const Progress& progress = {});

}  // namespace bp
