// Chapter 15 reference solutions.
#include "15_data_parallel/data_parallel.hpp"

#include <climits>
#include <stdexcept>
#include <string>

#include "04_loss/loss.hpp"
#include "07_output_layer/output_layer.hpp"
#include "08_hidden_layer/hidden_layer.hpp"
#include "common/shape.hpp"

namespace bp {

// [shard_plan]
std::vector<Shard> shard_plan(arma::uword samples, int ranks) {
  if (ranks < 1)
    throw std::invalid_argument("shard_plan: " + std::to_string(ranks) +
                                " ranks; a batch needs at least one");
  const auto R = static_cast<arma::uword>(ranks);
  const arma::uword q = samples / R, r = samples % R;
  // The first r shards take one sample more: sizes q + 1 and q cover all N = qR + r samples.
  std::vector<Shard> plan(R);
  for (arma::uword k = 0; k < R; ++k) plan[k] = {k * q + std::min(k, r), q + (k < r ? 1 : 0)};
  return plan;
}
// [shard_plan]

// [shard_gradient]
Grads shard_gradient(const Params& params, const Cache& cache, const arma::mat& Y,
                     arma::uword total) {
  require_shape(cache.P.n_rows == Y.n_rows && cache.P.n_cols == Y.n_cols,
                "shard_gradient: P is " + shape_of(cache.P) + " but Y is " + shape_of(Y) +
                    ": the shard's probabilities and labels need the same shape");
  require_shape(total >= 1 && total >= Y.n_rows,
                "shard_gradient: the shard has " + std::to_string(Y.n_rows) +
                    " samples but the batch " + std::to_string(total) +
                    ": N counts every shard, this one too");
  if (Y.n_rows == 0) return zero_grads(params);  // no sample, no term of the sum
  // The corrected (7) with the global N: each row is its sample's term of the mean over all N,
  // so this rank's backward pass gives its share (n_k/N) ∇L_k and the shares add up to ∇L.
  const arma::mat dZ2 = (cache.P - Y) / static_cast<double>(total);      // (7)  n_k×K
  const HiddenGrads hidden = hidden_layer_backward(params, cache, dZ2);  // (10), (11), (16), (17)
  return {hidden.dW1, hidden.db1,                                        // D×H, 1×H
          weight_gradient(cache.A1, dZ2), bias_gradient(dZ2)};           // (14) H×K, (15) 1×K
}
// [shard_gradient]

// [allreduce_grads]
void allreduce_grads(Grads& grads, MPI_Comm comm) {
  // One buffer, one call: the network's latency is paid once, not once per block.
  arma::vec buffer = pack_grads(grads);  // G
  require_shape(buffer.n_elem <= INT_MAX, "allreduce_grads: " + std::to_string(buffer.n_elem) +
                                              " numbers are more than one MPI call can count");
  MPI_Allreduce(MPI_IN_PLACE, buffer.memptr(), static_cast<int>(buffer.n_elem), MPI_DOUBLE, MPI_SUM,
                comm);
  unpack_grads(buffer, grads);
}
// [allreduce_grads]

// [data_parallel_epoch]
EpochResult data_parallel_epoch(Params& params, const arma::mat& X, const arma::mat& Y,
                                arma::uword total, double rate, MPI_Comm comm) {
  const Cache cache = shard_forward(params, X);  // the shard's n_k rows, maybe none
  Grads grads = shard_gradient(params, cache, Y, total);
  allreduce_grads(grads, comm);  // now ∇L of the whole batch, the same on every rank
  // The loss is Σ_k (n_k/N) L_k, the accuracy Σ_k c_k / N: three numbers summed in one call.
  const double n = static_cast<double>(Y.n_rows), N = static_cast<double>(total);
  double sums[3] = {0.0, 0.0, n};  // the loss's share, c_k, n_k
  if (Y.n_rows > 0) {
    sums[0] = n / N * cross_entropy_from_logits(cache.Z2, Y);  // finite where a P underflows
    sums[1] = static_cast<double>(arma::accu(predict(cache.P) == predict(Y)));
  }
  MPI_Allreduce(MPI_IN_PLACE, sums, 3, MPI_DOUBLE, MPI_SUM, comm);
  require_shape(sums[2] == N, "data_parallel_epoch: the shards hold " +
                                  std::to_string(static_cast<long long>(sums[2])) +
                                  " samples, but the batch has N = " + std::to_string(total));
  gradient_step(params, grads, rate);  // the same step on every rank: the copies stay equal
  return {sums[0], sums[1] / N};
}
// [data_parallel_epoch]

}  // namespace bp
