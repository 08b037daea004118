/**
 * @file data_parallel.hpp
 * @brief Chapter 15: data-parallel training on Open MPI — each rank holds a shard of the batch,
 * computes its share of the gradient, and one allreduce adds the shares into the whole gradient.
 *
 * Dimension letters: N samples in the whole batch, R ranks (MPI processes), n_k the samples of
 * rank k's shard (Σ_k n_k = N; n_k = 0 is allowed), D inputs (2), H hidden units (500 in the
 * post), K classes (2); G = DH + H + HK + K, the numbers of one gradient (2502 in the post).
 * A name dM is the gradient ∂L/∂M of the mean loss L over **all N samples**, and has M's shape.
 *
 * The mean loss over N samples split into shards is a weighted sum of the shards' mean losses,
 * and so is its gradient:
 *
 *     L = (1/N) Σ_i ℓ_i = Σ_k (n_k/N) L_k,        ∇L = Σ_k (n_k/N) ∇L_k
 *
 * — the plain average (1/R) Σ_k ∇L_k only when every n_k = N/R. With chapter 07's
 * dZ2 = (P − Y)/N taken with the *global* N, rank k's backward pass gives exactly its term
 * (n_k/N) ∇L_k, and one sum over the ranks (MPI_Allreduce with MPI_SUM) gives ∇L on every rank.
 * One epoch on rank k:
 *
 *     Cache c = shard_forward(θ, X_k)             chapter 03, on the shard's n_k rows
 *     g_k = shard_gradient(θ, c, Y_k, N)          15.2  dZ2 = (P_k − Y_k)/N
 *     allreduce_grads(g_k, comm)                  15.3  g = Σ_k g_k, the same on every rank
 *     gradient_step(θ, g, η)                      chapter 10: every rank takes the same step
 *
 * The exercises come first (15.1 to 15.4); the given code after them packs a gradient into one
 * buffer, takes a shard's rows, checks a shard plan, and sums the gradient in a fixed order
 * (gradient_in_rank_order: the same bits for any number of ranks). Starting the ranks is in
 * mpirun.hpp. The derivation is on the page \ref ch15; the tests are in
 * tests/15_data_parallel_test.cpp (the exercises) and tests/data_parallel_given_test.cpp (the
 * given code).
 */
#pragma once

#include <mpi.h>

#include <algorithm>
#include <armadillo>
#include <climits>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "03_forward/forward.hpp"
#include "09_backprop/backprop.hpp"
#include "10_training/training.hpp"
#include "common/shape.hpp"

namespace bp {

/// The most ranks a program of the course starts (`--ranks`): more would only oversubscribe a
/// machine of the course's kind further.
inline constexpr int kMaxRanks = 16;

/// One rank's part of the batch: rows first … first + count − 1 of X and Y.
struct Shard {
  arma::uword first = 0;  ///< the index of the shard's first sample
  arma::uword count = 0;  ///< n_k, its number of samples (0: an empty shard)
};

// ---------------------------------------------------------------------------------------------
// The exercises.

/**
 * @brief Splits N samples into R contiguous shards whose sizes differ by at most one
 * (exercise 15.1).
 *
 * With \f$ q = \lfloor N/R \rfloor \f$ and \f$ r = N \bmod R \f$, the first \f$ r \f$ shards get
 * \f$ q + 1 \f$ samples and the others \f$ q \f$; shard \f$ k \f$ starts where shard \f$ k - 1 \f$
 * ended, at \f$ kq + \min(k, r) \f$. Every sample is in exactly one shard, in order: none is
 * dropped and none repeated to make the shards equal. When R > N, the last R − N shards are
 * empty (their `first` is N).
 * Checked by the tests of suite DataParallel_ShardPlan.
 * \see \ref ch15-shards "the shard plan" on \ref ch15 "chapter 15"'s page.
 * @param samples  N ≥ 0
 * @param ranks    R ≥ 1
 * @return R shards, shard k for rank k
 * @throws std::invalid_argument when R < 1, naming R.
 */
std::vector<Shard> shard_plan(arma::uword samples, int ranks);

/**
 * @brief Rank k's share of the gradient of the mean loss over all N samples (exercise 15.2).
 *
 * The backward pass of chapter 09 on the shard's rows, with the corrected (7) taken with the
 * global N:
 * \f[ dZ_2 = \tfrac{1}{N} (P_k - Y_k), \quad dW_2 = A_1^\top dZ_2, \quad
 *     db_2 = \mathbf{1}^\top dZ_2, \quad (dW_1, db_1) = \text{hidden\_layer\_backward}(dZ_2) , \f]
 * which is \f$ \tfrac{n_k}{N} \nabla L_k \f$: the sum of these shares over the ranks is
 * bp::backward of the whole batch. An empty shard (n_k = 0) has the share zero, in the
 * parameters' shapes.
 * Checked by the tests of suite DataParallel_ShardGradient.
 * \see \ref ch15-share "the rank's share" on \ref ch15 "chapter 15"'s page.
 * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
 * @param cache   the forward pass of the shard: X n_k×D, Z1 n_k×H, A1 n_k×H, Z2 n_k×K, P n_k×K
 *                (reads X, A1, P)
 * @param Y       n_k×K  the shard's one-hot labels
 * @param total   N ≥ max(1, n_k), the samples of the whole batch
 * @return dW1 D×H, db1 1×H, dW2 H×K, db2 1×K: the shard's share of ∂L/∂θ
 * @throws ShapeError when Y and P differ in shape, or N is 0 or smaller than n_k.
 */
Grads shard_gradient(const Params& params, const Cache& cache, const arma::mat& Y,
                     arma::uword total);

/**
 * @brief Adds the ranks' gradients, in place, on every rank: one MPI_Allreduce with MPI_SUM on
 * one buffer that holds all four blocks (exercise 15.3).
 *
 * \f[ g \leftarrow \sum_{k=0}^{R-1} g_k \quad\text{on every rank } k . \f]
 * One call, not four: each call pays the network's latency once, and the G numbers of the four
 * blocks travel together (bp::pack_grads, bp::unpack_grads). Every rank of `comm` must call it,
 * with gradients of the same shapes.
 * Checked by the tests of suite DataParallel_Allreduce.
 * \see \ref ch15-allreduce "one allreduce" on \ref ch15 "chapter 15"'s page.
 * @param grads  dW1 D×H, db1 1×H, dW2 H×K, db2 1×K: this rank's share; on return, the sum
 * @param comm   the ranks that share the batch
 */
void allreduce_grads(Grads& grads, MPI_Comm comm);

/**
 * @brief One epoch of data-parallel full-batch gradient descent, on every rank of `comm`
 * (exercise 15.4).
 *
 * The forward pass on the shard (bp::shard_forward: an empty shard has none), its share of the
 * gradient (15.2), the allreduce (15.3), and
 * chapter 10's step with the whole gradient, the same on every rank, so the ranks' parameters
 * stay equal to the bit. The loss and the accuracy are those of the whole batch at the
 * parameters before the step, as chapter 10's train_epoch reports them:
 * \f[ L = \sum_k \tfrac{n_k}{N} L_k, \qquad \text{accuracy} = \tfrac{1}{N} \sum_k c_k \f]
 * (\f$ c_k \f$ the shard's correct predictions), added over the ranks by one more allreduce of
 * three numbers — the loss's share, \f$ c_k \f$ and \f$ n_k \f$: the shards must add up to N.
 * Checked by the tests of suite DataParallel_Epoch.
 * \see \ref ch15-epoch "the epoch" on \ref ch15 "chapter 15"'s page.
 * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K: the same on every rank; updated in place
 * @param X       n_k×D  this rank's shard of the batch (n_k = 0 allowed)
 * @param Y       n_k×K  its one-hot labels
 * @param total   N, the samples of the whole batch
 * @param rate    the learning rate η
 * @param comm    the ranks that share the batch
 * @return the whole batch's loss and accuracy before the step, the same on every rank
 * @throws ShapeError on every rank when the shards do not add up to N.
 */
EpochResult data_parallel_epoch(Params& params, const arma::mat& X, const arma::mat& Y,
                                arma::uword total, double rate, MPI_Comm comm);

// ---------------------------------------------------------------------------------------------
// Given code.

/// G = DH + H + HK + K, the numbers of a gradient (of its parameters).
inline arma::uword gradient_size(const Grads& grads) {
  return grads.dW1.n_elem + grads.db1.n_elem + grads.dW2.n_elem + grads.db2.n_elem;
}

/// Zeros in the shapes of the parameters: dW1 D×H, db1 1×H, dW2 H×K, db2 1×K.
inline Grads zero_grads(const Params& params) {
  Grads zero;
  zero.dW1.zeros(arma::size(params.W1));
  zero.db1.zeros(params.b1.n_elem);
  zero.dW2.zeros(arma::size(params.W2));
  zero.db2.zeros(params.b2.n_elem);
  return zero;
}

/// The four blocks in one buffer of G numbers: dW1 (column by column), db1, dW2, db2.
/// @param grads  dW1 D×H, db1 1×H, dW2 H×K, db2 1×K
/// @return G
inline arma::vec pack_grads(const Grads& grads) {
  return arma::join_cols(arma::join_cols(arma::vectorise(grads.dW1), arma::vectorise(grads.db1)),
                         arma::join_cols(arma::vectorise(grads.dW2), arma::vectorise(grads.db2)));
}

/// The buffer of pack_grads back into the four blocks, in the shapes `grads` has.
/// @param buffer  G numbers
/// @param grads   dW1 D×H, db1 1×H, dW2 H×K, db2 1×K: overwritten
/// @throws ShapeError when the buffer does not hold G numbers.
inline void unpack_grads(const arma::vec& buffer, Grads& grads) {
  require_shape(buffer.n_elem == gradient_size(grads),
                "unpack_grads: the buffer holds " + std::to_string(buffer.n_elem) +
                    " numbers but the gradients " + std::to_string(gradient_size(grads)));
  arma::uword at = 0;
  const auto take = [&buffer, &at](auto& block) {
    block = arma::reshape(buffer.subvec(at, at + block.n_elem - 1), block.n_rows, block.n_cols);
    at += block.n_elem;
  };
  take(grads.dW1);
  take(grads.db1);
  take(grads.dW2);
  take(grads.db2);
}

/**
 * @brief The forward pass of a shard: chapter 03's forward() of its rows, or for an empty shard
 * a Cache of matrices with no row and the right number of columns.
 *
 * An empty shard never reaches forward(): Armadillo's `Z.each_row() += b` on a matrix of zero
 * rows binds a reference to its null memory (undefined behaviour, which UndefinedBehaviorSanitizer
 * reports), and there is nothing to compute.
 * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
 * @param X       n_k×D  the shard's rows (n_k = 0 allowed)
 * @return X n_k×D, Z1 n_k×H, A1 n_k×H, Z2 n_k×K, P n_k×K
 */
inline Cache shard_forward(const Params& params, const arma::mat& X) {
  if (X.n_rows > 0) return forward(params, X);
  const arma::uword D = params.W1.n_rows, H = params.W1.n_cols, K = params.W2.n_cols;
  return {arma::mat(0, D), arma::mat(0, H), arma::mat(0, H), arma::mat(0, K), arma::mat(0, K)};
}

/// The rows of a shard: rows first … first + count − 1 of M, or 0 rows (of M's columns) for an
/// empty shard.
/// @param M      N×C  the whole batch's matrix (X or Y)
/// @param shard  rows within 0 … N − 1
/// @return n_k×C
inline arma::mat shard_rows(const arma::mat& M, const Shard& shard) {
  if (shard.count == 0) return arma::mat(0, M.n_cols);
  return M.rows(shard.first, shard.first + shard.count - 1);
}

/**
 * @brief What is wrong with a shard plan, or "" when it is complete: R shards, in rank order,
 * each non-empty one starting where the ones before it ended (the first at 0), the last ending
 * at N — so every sample is in exactly one shard — with sizes that differ by at most
 * `most_apart` (one for shard_plan; for chunk_plan, two chunks less one: the chunk counts differ
 * by at most one, and the last chunk may be short).
 * @param plan        the shards, one per rank
 * @param samples     N
 * @param ranks       R
 * @param most_apart  the largest difference allowed between two shards' sizes
 * @return one sentence naming the first problem ("shard 2 starts at 7, but shard 1 ended at 6:
 *         sample 6 is in no shard"), or ""
 */
inline std::string plan_problem(const std::vector<Shard>& plan, arma::uword samples, int ranks,
                                arma::uword most_apart = 1) {
  const auto text = [](auto n) { return std::to_string(n); };
  if (ranks < 1 || plan.size() != static_cast<std::size_t>(ranks))
    return text(plan.size()) + " shards for " + text(ranks) + " ranks";
  arma::uword next = 0;  // the first sample no shard has taken yet
  arma::uword smallest = samples, largest = 0;
  for (std::size_t k = 0; k < plan.size(); ++k) {
    const Shard& s = plan[k];
    // An empty shard holds no sample, wherever it says it starts.
    if (s.count > 0 && s.first > next)
      return "shard " + text(k) + " starts at " + text(s.first) +
             ", but the shards before it end at " + text(next) + ": sample " + text(next) +
             " is in no shard";
    if (s.count > 0 && s.first < next)
      return "shard " + text(k) + " starts at " + text(s.first) +
             ", but the shards before it end at " + text(next) + ": sample " + text(s.first) +
             " is in two shards";
    next += s.count;
    smallest = std::min(smallest, s.count);
    largest = std::max(largest, s.count);
  }
  if (next < samples)
    return "the shards end at " + text(next) + ": samples " + text(next) + " to " +
           text(samples - 1) + " are in no shard";
  if (next > samples)
    return "the shards end at " + text(next) + ", past the " + text(samples) + " samples";
  if (largest > smallest + most_apart)
    return "the shards have from " + text(smallest) + " to " + text(largest) +
           " samples; their sizes must differ by at most " + text(most_apart);
  return "";
}

/**
 * @brief The shards of the in-rank-order reduction: whole chunks of `chunk` samples (the last
 * chunk may be shorter), shard_plan over the chunks, so that no chunk is split between ranks.
 * @param samples  N
 * @param ranks    R ≥ 1
 * @param chunk    C ≥ 1 samples per chunk: a constant, never a function of R
 * @return R shards; their sizes differ by less than 2C (chunk counts by at most one, and the
 *         last chunk may be short)
 */
inline std::vector<Shard> chunk_plan(arma::uword samples, int ranks, arma::uword chunk) {
  require_shape(chunk >= 1, "chunk_plan: a chunk needs at least one sample");
  const arma::uword chunks = (samples + chunk - 1) / chunk;
  std::vector<Shard> plan = shard_plan(chunks, ranks);  // in chunks
  for (Shard& s : plan) {
    const arma::uword end = std::min(samples, (s.first + s.count) * chunk);
    s.first = std::min(samples, s.first * chunk);
    s.count = end - s.first;
  }
  return plan;
}

/**
 * @brief Sums the ranks' columns in rank order on rank 0, and gives the sum to every rank: the
 * deterministic reduction.
 *
 * Every rank sends its columns (MPI_Gatherv) to rank 0, which adds them one after another, in
 * the order of the ranks and, within a rank, of its columns — the order they would have in one
 * process — and sends the sum back (MPI_Bcast). The result does not depend on how the columns
 * were spread over the ranks, unlike MPI_SUM, whose order of additions is MPI's choice.
 * The cost: the root receives every column instead of one sum, adds them alone, and a second
 * call (the broadcast) follows; chapter 15's page measures it.
 * @param columns  G×c_k  this rank's columns (c_k ≥ 0), all ranks the same G
 * @param comm     the ranks
 * @return G  the sum of every rank's columns, on every rank
 */
inline arma::vec reduce_in_rank_order(const arma::mat& columns, MPI_Comm comm) {
  int rank = 0, ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);
  require_shape(columns.n_elem <= INT_MAX,
                "reduce_in_rank_order: " + shape_of(columns) + " is more than one call can send");
  const int mine = static_cast<int>(columns.n_elem);
  std::vector<int> counts(static_cast<std::size_t>(ranks)), offsets(counts.size(), 0);
  MPI_Gather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, comm);
  long long all = 0;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    offsets[k] = static_cast<int>(std::min<long long>(all, INT_MAX));
    all += counts[k];
  }
  require_shape(all <= INT_MAX,
                "reduce_in_rank_order: the columns are more than one call can send");
  arma::vec gathered(rank == 0 ? static_cast<arma::uword>(all) : 0);
  MPI_Gatherv(columns.memptr(), mine, MPI_DOUBLE, gathered.memptr(), counts.data(), offsets.data(),
              MPI_DOUBLE, 0, comm);
  arma::vec sum(columns.n_rows, arma::fill::zeros);
  if (rank == 0) {
    // Rank 0's columns, then rank 1's, ...: the order of the chunks in the batch.
    const arma::mat stacked(gathered.memptr(), columns.n_rows,
                            columns.n_rows == 0 ? 0 : gathered.n_elem / columns.n_rows,
                            /*copy_aux_mem=*/false, /*strict=*/true);
    for (arma::uword c = 0; c < stacked.n_cols; ++c) sum += stacked.col(c);
  }
  MPI_Bcast(sum.memptr(), static_cast<int>(sum.n_elem), MPI_DOUBLE, 0, comm);
  return sum;
}

/**
 * @brief The whole batch's gradient, the same to the bit for any number of ranks.
 *
 * The shard (from chunk_plan) is cut into chunks of `chunk` rows; each chunk's share
 * (shard_forward, then shard_gradient with the global N) is packed into a column, and
 * reduce_in_rank_order adds the columns in chunk order. The unit of the sum — one chunk — and
 * the order of the sums no longer depend on R: 1, 2, 3 or 4 ranks give the same bits, which
 * MPI_SUM over the ranks' shares does not promise (each rank's share is itself a sum over a
 * shard whose bounds move with R).
 * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
 * @param X       n_k×D  this rank's shard, whole chunks (chunk_plan), in batch order
 * @param Y       n_k×K  its one-hot labels
 * @param total   N
 * @param chunk   C, the same on every rank and for every R
 * @param comm    the ranks
 * @return dW1 D×H, db1 1×H, dW2 H×K, db2 1×K: ∂L/∂θ of the whole batch, on every rank
 */
inline Grads gradient_in_rank_order(const Params& params, const arma::mat& X, const arma::mat& Y,
                                    arma::uword total, arma::uword chunk, MPI_Comm comm) {
  require_shape(chunk >= 1, "gradient_in_rank_order: a chunk needs at least one sample");
  Grads grads = zero_grads(params);
  const arma::uword chunks = (X.n_rows + chunk - 1) / chunk;
  arma::mat columns(gradient_size(grads), chunks);  // G×c_k, one chunk's share per column
  for (arma::uword c = 0; c < chunks; ++c) {
    const Shard rows{c * chunk, std::min(chunk, X.n_rows - c * chunk)};
    columns.col(c) = pack_grads(shard_gradient(params, shard_forward(params, shard_rows(X, rows)),
                                               shard_rows(Y, rows), total));
  }
  unpack_grads(reduce_in_rank_order(columns, comm), grads);
  return grads;
}

/// An FNV-1a digest of the bytes of every number of the four blocks: two gradients with the same
/// digest are equal to the bit (as far as a 64-bit digest tells).
inline std::uint64_t bits_digest(const Grads& grads) {
  const arma::vec all = pack_grads(grads);
  std::uint64_t digest = 14695981039346656037ULL;  // FNV-1a, 64 bits
  for (const double x : all) {
    unsigned char bytes[sizeof(double)];
    std::memcpy(bytes, &x, sizeof x);
    for (const unsigned char b : bytes) digest = (digest ^ b) * 1099511628211ULL;
  }
  return digest;
}

}  // namespace bp
