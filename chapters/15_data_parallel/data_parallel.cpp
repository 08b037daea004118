// Chapter 15 exercises: data-parallel training on Open MPI. Read
// chapters/15_data_parallel/README.md first; `./course next` runs the tests of the first
// exercise that is not done yet (those of 15.3 and 15.4 start the test program under mpirun).
#include "15_data_parallel/data_parallel.hpp"

#include "common/exercise.hpp"

namespace bp {

std::vector<Shard> shard_plan(arma::uword samples, int ranks) {
  // TODO(15.1): refuse ranks < 1 (std::invalid_argument); then R contiguous shards, in rank
  // order: the first N mod R get one sample more than the others, and none is dropped.
  BP_EXERCISE("15.1");
}

Grads shard_gradient(const Params& params, const Cache& cache, const arma::mat& Y,
                     arma::uword total) {
  // TODO(15.2): check that Y has P's shape and that N ≥ 1 and N ≥ n_k; an empty shard gives
  // zero_grads(params); otherwise chapter 09's backward pass on the shard, with dZ2 divided by
  // the global N.
  BP_EXERCISE("15.2");
}

void allreduce_grads(Grads& grads, MPI_Comm comm) {
  // TODO(15.3): pack the four blocks into one buffer (pack_grads), sum it over the ranks in
  // place with one MPI_Allreduce, and unpack it into grads.
  BP_EXERCISE("15.3");
}

EpochResult data_parallel_epoch(Params& params, const arma::mat& X, const arma::mat& Y,
                                arma::uword total, double rate, MPI_Comm comm) {
  // TODO(15.4): forward pass on the shard (shard_forward), its share of the gradient (15.2) and
  // the allreduce (15.3); the loss's share, the correct predictions and n_k added over the ranks
  // in one more allreduce (refuse shards that do not add up to N); then chapter 10's step.
  BP_EXERCISE("15.4");
}

}  // namespace bp
