// Chapter 15 tests: data-parallel training on Open MPI.
//
// Exercise 15.1 -> suite DataParallel_ShardPlan, 15.2 -> DataParallel_ShardGradient, 15.3 ->
// DataParallel_Allreduce, 15.4 -> DataParallel_Epoch (chapters/exercises.txt holds the map).
// The given code (the plan's check, packing, the in-rank-order reduction, starting ranks) is
// tested in tests/data_parallel_given_test.cpp.
//
// How the MPI tests run. 15.1 and 15.2 are plain functions, tested here in one process (the
// ranks of 15.2 are simulated: R shares computed one after the other and added). The tests of
// 15.3 and 15.4 need ranks: this program has its own main() (tests/support/ranks.hpp), which
// starts the program itself under `mpirun -n 4` with a task's name; every rank runs the task
// on the communicators of the first 1, 2, 3 and 4 ranks, and rank 0's numbers come back here,
// where they are checked. A task runs once for all the tests that read it; an exercise not done
// on a rank comes back as the same bp::ExerciseNotDone.
//
// What is trusted. The whole batch's gradient and training come from tests/support/reference
// (plain Armadillo, never the learner's code). The shards of 15.3 and 15.4's tests are cut here,
// by a rule of their own (shard k = rows ⌊kN/R⌋ … ⌊(k+1)N/R⌋ − 1) and by lopsided plans, so
// they never depend on the learner's 15.1; the shares handed to 15.3 are computed here too.
// MPI_Allreduce is intercepted through MPI's profiling interface (PMPI): this file defines
// MPI_Allreduce, which counts the calls and hands each to PMPI_Allreduce, so that the test can
// see how many calls the learner's allreduce makes, how many numbers and with which operation.
//
// Tolerances. The gradient summed over shards differs from the one-process backward only in the
// order of its additions: ≤ 1e-14 relative to each block's largest entry (measured: a few
// 1e-16; 1e-14 is the issue's bound, with room for ~50 roundings). Training: the loss curve
// over 100 epochs ≤ 1e-12 relative (rounding differences of 1e-16 grow a little through the
// steps; measured below 1e-14). A planted bug counts as caught when its difference exceeds
// 1e-9: five orders of magnitude above the tolerance, and far below what each bug changes.
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <armadillo>
#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "15_data_parallel/data_parallel.hpp"
#include "common/shape.hpp"
#include "support/ranks.hpp"
#include "support/reference.hpp"

// ---------------------------------------------------------------------------------------------
// MPI_Allreduce, intercepted (MPI's profiling interface): every call is counted, then made.
namespace {

struct AllreduceCalls {
  int calls = 0;
  int count = 0;        ///< the numbers of the last call
  bool doubles = true;  ///< every call on MPI_DOUBLE
  bool sums = true;     ///< every call with MPI_SUM
};
AllreduceCalls g_allreduce;

}  // namespace

extern "C" int MPI_Allreduce(const void* sendbuf, void* recvbuf, int count, MPI_Datatype type,
                             MPI_Op op, MPI_Comm comm) {
  ++g_allreduce.calls;
  g_allreduce.count = count;
  g_allreduce.doubles = g_allreduce.doubles && type == MPI_DOUBLE;
  g_allreduce.sums = g_allreduce.sums && op == MPI_SUM;
  return PMPI_Allreduce(sendbuf, recvbuf, count, type, op, comm);
}

namespace {

using bp::test::Example;
using bp::test::task_results;

/// A network and a batch: D = 2, H, K, N samples, all drawn from `seed` (trusted reference).
Example example(arma::uword hidden, arma::uword classes, arma::uword samples, std::uint64_t seed) {
  return bp::test::make_example({2, hidden, classes, samples, seed});
}

/// The largest |a − b| over a block, relative to the block's largest |b| (1 when b is zero).
double block_difference(const arma::mat& a, const arma::mat& b) {
  if (arma::size(a) != arma::size(b)) return arma::datum::inf;
  const double scale = b.is_empty() ? 1.0 : arma::abs(b).max();
  return a.is_empty() ? 0.0 : arma::abs(a - b).max() / (scale > 0.0 ? scale : 1.0);
}

/// The worst block_difference over the four blocks (∞ for a block of the wrong shape).
double difference(const bp::Grads& a, const bp::Grads& b) {
  return std::max({block_difference(a.dW1, b.dW1), block_difference(a.db1, b.db1),
                   block_difference(a.dW2, b.dW2), block_difference(a.db2, b.db2)});
}

/// The trusted whole-batch gradient.
bp::Grads whole_gradient(const Example& e) {
  return bp::test::reference_backward(e.params, e.cache, e.Y);
}

/// R shards by a rule of the tests' own: shard k = rows ⌊kN/R⌋ … ⌊(k+1)N/R⌋ − 1.
std::vector<bp::Shard> floor_plan(arma::uword samples, int ranks) {
  std::vector<bp::Shard> plan;
  const auto R = static_cast<arma::uword>(ranks);
  for (arma::uword k = 0; k < R; ++k)
    plan.push_back({k * samples / R, (k + 1) * samples / R - k * samples / R});
  return plan;
}

/// Shards of the given sizes, in order.
std::vector<bp::Shard> plan_of_sizes(const std::vector<arma::uword>& sizes) {
  std::vector<bp::Shard> plan;
  arma::uword first = 0;
  for (const arma::uword n : sizes) {
    plan.push_back({first, n});
    first += n;
  }
  return plan;
}

/// A case of the MPI tests: a batch of N samples on R ranks, cut by a plan.
struct ShardCase {
  std::string name;  ///< "N13": the rule floor_plan; "lopsided": sizes far apart, with empties
  arma::uword samples;
  std::vector<bp::Shard> plan;
};

/// The cases for R ranks: N = 12 (equal shards for R = 1…4), 13 and 203 (unequal for R ≥ 2),
/// 3 and 1 (empty shards for R > N), and a lopsided plan (one shard takes almost everything,
/// others are empty).
std::vector<ShardCase> shard_cases(int R) {
  std::vector<ShardCase> cases;
  for (const arma::uword N : {12, 13, 203, 3, 1})
    cases.push_back({"N" + std::to_string(N), N, floor_plan(N, R)});
  const std::vector<std::vector<arma::uword>> lopsided = {{13}, {13, 0}, {1, 0, 12}, {5, 0, 0, 8}};
  cases.push_back({"lopsided", 13, plan_of_sizes(lopsided[static_cast<std::size_t>(R - 1)])});
  return cases;
}

/// 0 when every shard has the same size, 2 when one is empty, 1 otherwise.
int shard_kind(const std::vector<bp::Shard>& plan) {
  bool equal = true, empty = false;
  for (const bp::Shard& s : plan) {
    equal = equal && s.count == plan.front().count;
    empty = empty || s.count == 0;
  }
  return empty ? 2 : (equal ? 0 : 1);
}

/// The trusted share of a shard X (n_k×D), Y (n_k×K) of a batch of N: chapter 09's backward
/// pass on its rows with dZ2 = (P − Y)/N; zeros for an empty shard.
bp::Grads trusted_share(const bp::Params& params, const arma::mat& X, const arma::mat& Y,
                        arma::uword N) {
  if (X.n_rows == 0) return bp::zero_grads(params);
  const bp::Cache cache = bp::test::reference_forward(params, X);
  const arma::mat dZ2 = (cache.P - Y) / static_cast<double>(N);
  const bp::HiddenGrads hidden = bp::test::reference_hidden_backward(params, cache, dZ2);
  return {hidden.dW1, hidden.db1, cache.A1.t() * dZ2, arma::sum(dZ2, 0)};
}

/// The trusted share of one shard of an example's batch.
bp::Grads trusted_share(const Example& e, const bp::Shard& shard) {
  return trusted_share(e.params, bp::shard_rows(e.X, shard), bp::shard_rows(e.Y, shard),
                       e.X.n_rows);
}

/// The shard's own mean gradient, 1/n_k, as if the shard were the batch (zeros when empty):
/// what a rank computes when it forgets that the mean is over all N.
bp::Grads local_mean_gradient(const bp::Params& params, const arma::mat& X, const arma::mat& Y) {
  if (X.n_rows == 0) return bp::zero_grads(params);
  return bp::test::reference_backward(params, bp::test::reference_forward(params, X), Y);
}

/// This rank's number in `comm`.
int rank_in(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  return rank;
}

/// 1 when every rank of `comm` holds the same bits in `grads`, else 0 (on every rank).
double same_bits_everywhere(const bp::Grads& grads, MPI_Comm comm) {
  std::uint64_t digest = bp::bits_digest(grads), lowest = 0, highest = 0;
  PMPI_Allreduce(&digest, &lowest, 1, MPI_UINT64_T, MPI_MIN, comm);
  PMPI_Allreduce(&digest, &highest, 1, MPI_UINT64_T, MPI_MAX, comm);
  return lowest == highest ? 1.0 : 0.0;
}

/// The largest of `value` over the ranks of `comm`, on every rank.
double largest_over_ranks(double value, MPI_Comm comm) {
  double largest = 0.0;
  PMPI_Allreduce(&value, &largest, 1, MPI_DOUBLE, MPI_MAX, comm);
  return largest;
}

/// Runs `task(comm, R)` on the communicator of the first R ranks, for R = 1 … 4.
void for_each_rank_count(MPI_Comm world, const std::function<void(MPI_Comm, int)>& task) {
  int ranks = 1;
  MPI_Comm_size(world, &ranks);
  for (int R = 1; R <= ranks; ++R) {
    MPI_Comm comm = bp::test::first_ranks(world, R);
    if (comm != MPI_COMM_NULL) {
      task(comm, R);
      MPI_Comm_free(&comm);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The rank tasks of exercise 15.3: the learner's allreduce_grads, and planted allreduces, on
// trusted shares.

/// An allreduce to check: the learner's, or a planted one.
using AllreduceFn = std::function<void(bp::Grads&, MPI_Comm)>;

/// Planted allreduces, each with one mistake.
const std::map<std::string, AllreduceFn>& planted_allreduces() {
  static const std::map<std::string, AllreduceFn> planted = {
      {"OneCallPerBlock",  // the right sums, in four calls: four latencies
       [](bp::Grads& g, MPI_Comm comm) {
         for (arma::mat* block : {&g.dW1, &g.dW2})
           MPI_Allreduce(MPI_IN_PLACE, block->memptr(), static_cast<int>(block->n_elem), MPI_DOUBLE,
                         MPI_SUM, comm);
         for (arma::rowvec* block : {&g.db1, &g.db2})
           MPI_Allreduce(MPI_IN_PLACE, block->memptr(), static_cast<int>(block->n_elem), MPI_DOUBLE,
                         MPI_SUM, comm);
       }},
      {"AveragedOverTheRanks",  // the sum divided by R, as if the shares were means
       [](bp::Grads& g, MPI_Comm comm) {
         int R = 1;
         MPI_Comm_size(comm, &R);
         arma::vec buffer = bp::pack_grads(g);
         MPI_Allreduce(MPI_IN_PLACE, buffer.memptr(), static_cast<int>(buffer.n_elem), MPI_DOUBLE,
                       MPI_SUM, comm);
         bp::unpack_grads(buffer / R, g);
       }},
      {"ReducedToRankZeroOnly",  // MPI_Reduce: the other ranks keep their own share
       [](bp::Grads& g, MPI_Comm comm) {
         arma::vec buffer = bp::pack_grads(g), sum(buffer.n_elem);
         MPI_Reduce(buffer.memptr(), sum.memptr(), static_cast<int>(buffer.n_elem), MPI_DOUBLE,
                    MPI_SUM, 0, comm);
         if (rank_in(comm) == 0) bp::unpack_grads(sum, g);
       }},
      {"MaxInsteadOfSum",
       [](bp::Grads& g, MPI_Comm comm) {
         arma::vec buffer = bp::pack_grads(g);
         MPI_Allreduce(MPI_IN_PLACE, buffer.memptr(), static_cast<int>(buffer.n_elem), MPI_DOUBLE,
                       MPI_MAX, comm);
         bp::unpack_grads(buffer, g);
       }},
  };
  return planted;
}

/// Checks one allreduce on every case and rank count; writes, under `prefix` + "R<R>.<case>.":
/// difference (worst over the ranks, against the whole batch's gradient), same_bits, calls,
/// count (of the last call), doubles_summed (every call on MPI_DOUBLE with MPI_SUM), size (G),
/// kind.
void check_allreduce(MPI_Comm world, const AllreduceFn& allreduce, const std::string& prefix,
                     bp::RankResults& out) {
  for_each_rank_count(world, [&](MPI_Comm comm, int R) {
    for (const ShardCase& c : shard_cases(R)) {
      const Example e = example(5, 3, c.samples, 15 + c.samples);
      bp::Grads g = trusted_share(e, c.plan[static_cast<std::size_t>(rank_in(comm))]);
      g_allreduce = AllreduceCalls();
      allreduce(g, comm);
      const AllreduceCalls calls = g_allreduce;
      const double worst = largest_over_ranks(difference(g, whole_gradient(e)), comm);
      const double same = same_bits_everywhere(g, comm);
      const std::string key = prefix + std::string("R") + std::to_string(R) + "." + c.name + ".";
      out[key + "difference"] = worst;
      out[key + "same_bits"] = same;
      out[key + "calls"] = calls.calls;
      out[key + "count"] = calls.count;
      out[key + "doubles_summed"] = calls.doubles && calls.sums;
      out[key + "kind"] = shard_kind(c.plan);
      out[key + "size"] = static_cast<double>(bp::gradient_size(g));
    }
  });
}

/// Task "allreduce": the learner's allreduce_grads on every case, then the planted ones, then
/// the averaging of local means: each rank's own mean gradient (1/n_k, as if its shard were the
/// batch), summed by the learner's allreduce and divided by R.
void allreduce_task(MPI_Comm world, bp::RankResults& out) {
  check_allreduce(world, bp::allreduce_grads, "", out);
  for (const auto& [name, planted] : planted_allreduces())
    check_allreduce(world, planted, name + ".", out);
  const AllreduceFn averaging_local_means = [](bp::Grads& g, MPI_Comm comm) {
    int R = 1;
    MPI_Comm_size(comm, &R);
    bp::allreduce_grads(g, comm);
    arma::vec buffer = bp::pack_grads(g);
    bp::unpack_grads(buffer / R, g);
  };
  for_each_rank_count(world, [&](MPI_Comm comm, int R) {
    for (const ShardCase& c : shard_cases(R)) {
      const Example e = example(5, 3, c.samples, 15 + c.samples);
      const bp::Shard& mine = c.plan[static_cast<std::size_t>(rank_in(comm))];
      bp::Grads g =
          local_mean_gradient(e.params, bp::shard_rows(e.X, mine), bp::shard_rows(e.Y, mine));
      averaging_local_means(g, comm);
      const std::string key = "AveragingLocalMeans.R" + std::to_string(R) + "." + c.name + ".";
      out[key + "difference"] = largest_over_ranks(difference(g, whole_gradient(e)), comm);
      out[key + "kind"] = shard_kind(c.plan);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The rank task of exercise 15.4: training, against chapter 10's full-batch gradient descent.

/// The loss and accuracy before each of `epochs` steps, and the parameters after the last.
struct Curve {
  arma::vec loss;
  arma::vec accuracy;
  bp::Params params;
};

/// Chapter 10's training with the trusted reference: one process, the whole batch.
Curve reference_training(bp::Params params, const arma::mat& X, const arma::mat& Y, int epochs,
                         double rate) {
  const auto E = static_cast<arma::uword>(epochs);
  Curve curve{arma::vec(E), arma::vec(E), {}};
  for (arma::uword e = 0; e < E; ++e) {
    const bp::Cache cache = bp::test::reference_forward(params, X);
    curve.loss(e) = bp::test::reference_loss_from_logits(cache.Z2, Y);
    curve.accuracy(e) =
        static_cast<double>(arma::accu(arma::index_max(cache.P, 1) == arma::index_max(Y, 1))) /
        static_cast<double>(X.n_rows);
    const bp::Grads g = bp::test::reference_backward(params, cache, Y);
    params.W1 -= rate * g.dW1;
    params.b1 -= rate * g.db1;
    params.W2 -= rate * g.dW2;
    params.b2 -= rate * g.db2;
  }
  curve.params = params;
  return curve;
}

/// An epoch to check: the learner's data_parallel_epoch, or a trusted one with a mistake.
using EpochFn = std::function<bp::EpochResult(bp::Params&, const arma::mat&, const arma::mat&,
                                              arma::uword, double, MPI_Comm)>;

/// The mistakes a trusted epoch can make on purpose.
enum class Mistake { None, AveragingLocalMeans, LossOfTheRankOnly, NoAllreduce };

/// A data-parallel epoch written with the trusted reference, with one mistake (or none: it must
/// pass every check). X n_k×D, Y n_k×K: this rank's shard of a batch of N.
bp::EpochResult trusted_epoch(bp::Params& p, const arma::mat& X, const arma::mat& Y, arma::uword N,
                              double rate, MPI_Comm comm, Mistake mistake) {
  int R = 1;
  MPI_Comm_size(comm, &R);
  bp::Grads g = mistake == Mistake::AveragingLocalMeans ? local_mean_gradient(p, X, Y)
                                                        : trusted_share(p, X, Y, N);
  double mine[2] = {0.0, 0.0};  // the loss's share, the correct predictions
  if (X.n_rows > 0) {
    const bp::Cache cache = bp::test::reference_forward(p, X);
    mine[0] = static_cast<double>(X.n_rows) / static_cast<double>(N) *
              bp::test::reference_loss_from_logits(cache.Z2, Y);
    mine[1] = static_cast<double>(arma::accu(arma::index_max(cache.P, 1) == arma::index_max(Y, 1)));
  }
  double sums[2] = {0.0, 0.0};
  PMPI_Allreduce(mine, sums, 2, MPI_DOUBLE, MPI_SUM, comm);
  if (mistake != Mistake::NoAllreduce) {
    arma::vec buffer = bp::pack_grads(g);
    PMPI_Allreduce(MPI_IN_PLACE, buffer.memptr(), static_cast<int>(buffer.n_elem), MPI_DOUBLE,
                   MPI_SUM, comm);
    if (mistake == Mistake::AveragingLocalMeans) buffer /= R;
    bp::unpack_grads(buffer, g);
  }
  p.W1 -= rate * g.dW1;
  p.b1 -= rate * g.db1;
  p.W2 -= rate * g.dW2;
  p.b2 -= rate * g.db2;
  const double loss = mistake == Mistake::LossOfTheRankOnly ? mine[0] : sums[0];
  return {loss, sums[1] / static_cast<double>(N)};
}

/// The parameters as one Grads, for bits_digest and difference.
bp::Grads as_blocks(const bp::Params& p) { return {p.W1, p.b1, p.W2, p.b2}; }

/// The cases of the training tests for R ranks: N = 12 (equal shards), 203 (unequal for R ≥ 2),
/// 3 (an empty shard for R = 4) and the lopsided plan.
std::vector<ShardCase> training_cases(int R) {
  std::vector<ShardCase> cases;
  for (const ShardCase& c : shard_cases(R))
    if (c.name != "N13" && c.name != "N1") cases.push_back(c);
  return cases;
}

/// Trains with `epoch` on every case and rank count and writes, under `prefix` + "R<R>.<case>.":
/// curve (the loss curve's largest relative difference from chapter 10's), accuracy (largest
/// difference), params (the last parameters' difference), same_bits (the parameters equal on
/// every rank), kind.
void check_training(MPI_Comm world, const EpochFn& epoch, int epochs, const std::string& prefix,
                    bp::RankResults& out) {
  const double rate = 0.5;
  for_each_rank_count(world, [&](MPI_Comm comm, int R) {
    for (const ShardCase& c : training_cases(R)) {
      const Example e = example(8, 2, c.samples, 150 + c.samples);
      const bp::Shard& mine = c.plan[static_cast<std::size_t>(rank_in(comm))];
      const arma::mat X = bp::shard_rows(e.X, mine), Y = bp::shard_rows(e.Y, mine);
      bp::Params params = e.params;
      arma::vec loss(static_cast<arma::uword>(epochs)), accuracy(loss.n_elem);
      for (arma::uword t = 0; t < loss.n_elem; ++t) {
        const bp::EpochResult r = epoch(params, X, Y, c.samples, rate, comm);
        loss(t) = r.loss;
        accuracy(t) = r.accuracy;
      }
      const Curve reference = reference_training(e.params, e.X, e.Y, epochs, rate);
      const std::string key = prefix + std::string("R") + std::to_string(R) + "." + c.name + ".";
      out[key + "curve"] = largest_over_ranks(
          arma::max(arma::abs(loss - reference.loss) / arma::abs(reference.loss)), comm);
      out[key + "accuracy"] =
          largest_over_ranks(arma::abs(accuracy - reference.accuracy).max(), comm);
      out[key + "params"] =
          largest_over_ranks(difference(as_blocks(params), as_blocks(reference.params)), comm);
      out[key + "same_bits"] = same_bits_everywhere(as_blocks(params), comm);
      out[key + "kind"] = shard_kind(c.plan);
    }
  });
}

/// The epochs the training task runs: 100 for the learner's (the issue's length), 30 for the
/// trusted and planted ones (enough for each mistake to show).
constexpr int kEpochs = 100;
constexpr int kPlantedEpochs = 30;

/// Task "epoch": the learner's data_parallel_epoch, the trusted epoch, and each mistake; and
/// the learner's epoch told a wrong N (the shards then add up to N − 1).
void epoch_task(MPI_Comm world, bp::RankResults& out) {
  check_training(world, bp::data_parallel_epoch, kEpochs, "", out);
  const std::map<std::string, Mistake> mistakes = {
      {"Trusted", Mistake::None},
      {"AveragingLocalMeans", Mistake::AveragingLocalMeans},
      {"LossOfTheRankOnly", Mistake::LossOfTheRankOnly},
      {"NoAllreduce", Mistake::NoAllreduce}};
  for (const auto& [name, mistake] : mistakes) {
    const EpochFn planted = [m = mistake](bp::Params& p, const arma::mat& X, const arma::mat& Y,
                                          arma::uword N, double rate, MPI_Comm comm) {
      return trusted_epoch(p, X, Y, N, rate, comm, m);
    };
    check_training(world, planted, kPlantedEpochs, name + ".", out);
  }
  for_each_rank_count(world, [&](MPI_Comm comm, int R) {
    const Example e = example(8, 2, 13, 7);
    const bp::Shard mine = floor_plan(13, R)[static_cast<std::size_t>(rank_in(comm))];
    bp::Params params = e.params;
    double refused = 0.0;
    try {
      bp::data_parallel_epoch(params, bp::shard_rows(e.X, mine), bp::shard_rows(e.Y, mine), 14, 0.5,
                              comm);
    } catch (const bp::ShapeError&) {
      refused = 1.0;
    }
    double everywhere = 0.0;
    PMPI_Allreduce(&refused, &everywhere, 1, MPI_DOUBLE, MPI_MIN, comm);
    out[std::string("R") + std::to_string(R) + ".refused_everywhere"] = everywhere;
  });
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// 15.1: the shard plan (one process).
namespace {

/// Each shard's (first, count), for messages and comparisons.
std::vector<std::pair<arma::uword, arma::uword>> pairs(const std::vector<bp::Shard>& plan) {
  std::vector<std::pair<arma::uword, arma::uword>> out;
  for (const bp::Shard& s : plan) out.emplace_back(s.first, s.count);
  return out;
}

}  // namespace

// [shard-plan-test]
TEST(DataParallel_ShardPlan, WorkedExamples) {
  using P = std::vector<std::pair<arma::uword, arma::uword>>;
  // 10 = 3 + 3 + 2 + 2: the first 10 mod 4 = 2 shards take one more.
  EXPECT_EQ(pairs(bp::shard_plan(10, 4)), (P{{0, 3}, {3, 3}, {6, 2}, {8, 2}}));
  EXPECT_EQ(pairs(bp::shard_plan(12, 3)), (P{{0, 4}, {4, 4}, {8, 4}}));
  EXPECT_EQ(pairs(bp::shard_plan(7, 1)), (P{{0, 7}}));
  // More ranks than samples: the last shards are empty, and start at N.
  EXPECT_EQ(pairs(bp::shard_plan(2, 4)), (P{{0, 1}, {1, 1}, {2, 0}, {2, 0}}));
  EXPECT_EQ(pairs(bp::shard_plan(0, 2)), (P{{0, 0}, {0, 0}}));
}

TEST(DataParallel_ShardPlan, EveryPlanHoldsEverySampleOnceInShardsAtMostOneApart) {
  for (arma::uword N = 0; N <= 60; ++N)
    for (int R = 1; R <= bp::kMaxRanks + 1; ++R)
      ASSERT_EQ(bp::plan_problem(bp::shard_plan(N, R), N, R), "") << "N = " << N << ", R = " << R;
  for (int R = 1; R <= bp::kMaxRanks; ++R)  // the program's batch
    ASSERT_EQ(bp::plan_problem(bp::shard_plan(10000, R), 10000, R), "") << "R = " << R;
}

TEST(DataParallel_ShardPlan, RefusesFewerThanOneRank) {
  for (const int R : {0, -1}) {
    try {
      bp::shard_plan(10, R);
      ADD_FAILURE() << "shard_plan(10, " << R << ") returned a plan";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(std::to_string(R)), std::string::npos)
          << "the message should name " << R << ": " << e.what();
    }
  }
}

TEST(DataParallel_ShardPlan, PlantedPlansAreCaught) {
  ASSERT_EQ(bp::plan_problem(bp::shard_plan(10, 4), 10, 4), "");
  // The ways tutorials make shards equal, and a remainder left to one rank: each fails the check
  // that every sample is in exactly one shard and the sizes differ by at most one.
  const std::map<std::string, std::vector<bp::Shard>> planted = {
      {"DropsTheRemainder", {{0, 2}, {2, 2}, {4, 2}, {6, 2}}},       // samples 8, 9 lost
      {"RoundsUpPastTheEnd", {{0, 3}, {3, 3}, {6, 3}, {9, 3}}},      // 12 "samples"
      {"RepeatsSamplesToFillUp", {{0, 3}, {3, 3}, {6, 3}, {7, 3}}},  // 7, 8 twice
      {"RemainderOnTheLastRank", {{0, 2}, {2, 2}, {4, 2}, {6, 4}}},  // 2 against 4
      {"OneShardTooFew", {{0, 4}, {4, 3}, {7, 3}}}};
  for (const auto& [name, plan] : planted)
    EXPECT_NE(bp::plan_problem(plan, 10, 4), "") << name << " was not caught";
}
// [shard-plan-test]

// ---------------------------------------------------------------------------------------------
// 15.2: the rank's share (one process: the R ranks simulated one after the other).
namespace {

/// A rank's share, the learner's or a planted one.
using ShareFn =
    std::function<bp::Grads(const bp::Params&, const bp::Cache&, const arma::mat&, arma::uword)>;

/// The trusted forward pass of a shard's rows; for an empty shard, the given shard_forward's
/// matrices with no row (tested in tests/data_parallel_given_test.cpp).
bp::Cache shard_cache(const bp::Params& params, const arma::mat& X) {
  if (X.n_rows > 0) return bp::test::reference_forward(params, X);
  return bp::shard_forward(params, X);
}

/// The shares of every shard of `plan` added up, as the allreduce would.
bp::Grads sum_of_shares(const ShareFn& share, const Example& e,
                        const std::vector<bp::Shard>& plan) {
  bp::Grads sum = bp::zero_grads(e.params);
  for (const bp::Shard& shard : plan) {
    const bp::Grads g = share(e.params, shard_cache(e.params, bp::shard_rows(e.X, shard)),
                              bp::shard_rows(e.Y, shard), e.X.n_rows);
    if (arma::size(g.dW1) != arma::size(sum.dW1) || arma::size(g.db1) != arma::size(sum.db1) ||
        arma::size(g.dW2) != arma::size(sum.dW2) || arma::size(g.db2) != arma::size(sum.db2))
      return g;  // the wrong shapes: difference() reports them
    sum.dW1 += g.dW1, sum.db1 += g.db1, sum.dW2 += g.dW2, sum.db2 += g.db2;
  }
  return sum;
}

/// The worst difference between the summed shares and the whole batch's gradient, over every
/// case of shard_cases for R = 1 … 4, and the case where it is worst.
std::pair<double, std::string> worst_sum_of_shares(const ShareFn& share, int kind) {
  std::pair<double, std::string> worst{0.0, "no case"};
  for (int R = 1; R <= 4; ++R)
    for (const ShardCase& c : shard_cases(R)) {
      if (kind >= 0 && shard_kind(c.plan) != kind) continue;
      const Example e = example(5, 3, c.samples, 15 + c.samples);
      const double d = difference(sum_of_shares(share, e, c.plan), whole_gradient(e));
      if (!(d <= worst.first)) worst = {d, "R = " + std::to_string(R) + ", " + c.name};
    }
  return worst;
}

}  // namespace

// [shard-gradient-test]
TEST(DataParallel_ShardGradient, HasTheParametersShapes) {
  const Example e = example(5, 3, 13, 1);
  const bp::Grads g =
      bp::shard_gradient(e.params, shard_cache(e.params, e.X.rows(0, 3)), e.Y.rows(0, 3), 13);
  EXPECT_TRUE(bp::test::HasTheShapesOfTheParameters(g, e.params));
}

TEST(DataParallel_ShardGradient, SharesAddUpToTheWholeGradient) {
  const auto [worst, where] = worst_sum_of_shares(bp::shard_gradient, -1);
  EXPECT_LE(worst, 1e-14) << "the shares of the ranks do not add up to backward() of the whole "
                             "batch; worst at "
                          << where;
}

TEST(DataParallel_ShardGradient, IsNkOverNTimesTheShardsOwnMeanGradient) {
  const Example e = example(5, 3, 13, 2);
  const bp::Shard shard{4, 5};
  const arma::mat X = bp::shard_rows(e.X, shard), Y = bp::shard_rows(e.Y, shard);
  const bp::Grads share = bp::shard_gradient(e.params, shard_cache(e.params, X), Y, 13);
  const bp::Grads mean = local_mean_gradient(e.params, X, Y);
  const double w = 5.0 / 13.0;
  EXPECT_LE(difference(share, {w * mean.dW1, w * mean.db1, w * mean.dW2, w * mean.db2}), 1e-14);
}

TEST(DataParallel_ShardGradient, AnEmptyShardGivesZerosInTheParametersShapes) {
  const Example e = example(5, 3, 13, 3);
  const bp::Grads g =
      bp::shard_gradient(e.params, shard_cache(e.params, arma::mat(0, 2)), arma::mat(0, 3), 13);
  ASSERT_TRUE(bp::test::HasTheShapesOfTheParameters(g, e.params));
  EXPECT_EQ(arma::abs(bp::pack_grads(g)).max(), 0.0);
}

TEST(DataParallel_ShardGradient, RefusesShapesThatDoNotFit) {
  const Example e = example(5, 3, 13, 4);
  const bp::Cache cache = shard_cache(e.params, e.X.rows(0, 3));
  // Labels of another shard's size, and an N smaller than the shard or zero.
  EXPECT_THROW(bp::shard_gradient(e.params, cache, e.Y.rows(0, 2), 13), bp::ShapeError);
  EXPECT_THROW(bp::shard_gradient(e.params, cache, e.Y.rows(0, 3), 3), bp::ShapeError);
  EXPECT_THROW(
      bp::shard_gradient(e.params, shard_cache(e.params, arma::mat(0, 2)), arma::mat(0, 3), 0),
      bp::ShapeError);
}

TEST(DataParallel_ShardGradient, PlantedSharesAreCaught) {
  ASSERT_LE(worst_sum_of_shares(bp::shard_gradient, -1).first, 1e-14);
  const std::map<std::string, ShareFn> planted = {
      {"TheShardsOwnMean",  // 1/n_k: each rank as if its shard were the whole batch
       [](const bp::Params& p, const bp::Cache& c, const arma::mat& Y, arma::uword) {
         return c.X.n_rows == 0 ? bp::zero_grads(p) : bp::test::reference_backward(p, c, Y);
       }},
      {"OneOverNForgotten",  // dZ2 = P − Y
       [](const bp::Params& p, const bp::Cache& c, const arma::mat& Y, arma::uword) {
         return trusted_share(p, c.X, Y, 1);
       }},
      {"EmptyShardWithoutShapes",  // an empty shard returns empty matrices
       [](const bp::Params& p, const bp::Cache& c, const arma::mat& Y, arma::uword N) {
         return c.X.n_rows == 0 ? bp::Grads{} : trusted_share(p, c.X, Y, N);
       }}};
  for (const auto& [name, share] : planted) {
    const auto [worst, where] = worst_sum_of_shares(share, -1);
    EXPECT_GT(worst, 1e-9) << name << " was not caught";
  }
}
// [shard-gradient-test]

// ---------------------------------------------------------------------------------------------
// 15.3: the allreduce, on 1, 2, 3 and 4 ranks (task "allreduce").
namespace {

/// Every "R<R>.<case>." of a task's `cases` for R = 1 … 4, with its shard kind.
std::vector<std::pair<std::string, int>> case_keys(
    const std::function<std::vector<ShardCase>(int)>& cases) {
  std::vector<std::pair<std::string, int>> keys;
  for (int R = 1; R <= bp::test::kTaskRanks; ++R)
    for (const ShardCase& c : cases(R))
      keys.emplace_back(std::string("R") + std::to_string(R) + "." + c.name + ".",
                        shard_kind(c.plan));
  return keys;
}

/// Every case of the allreduce task.
std::vector<std::pair<std::string, int>> allreduce_cases() { return case_keys(shard_cases); }

const char* const kKindNames[] = {"equal shards", "unequal shards", "an empty shard"};

}  // namespace

// [allreduce-test]
TEST(DataParallel_Allreduce, SumsTheSharesIntoTheWholeGradient) {
  const bp::RankResults r = task_results("allreduce");
  for (const auto& [key, kind] : allreduce_cases())
    EXPECT_LE(bp::rank_result(r, key + "difference"), 1e-14)
        << key << " (" << kKindNames[kind] << "): the allreduced gradient differs from "
        << "backward() of the whole batch";
}

TEST(DataParallel_Allreduce, EmptyShardsContributeZero) {
  const bp::RankResults r = task_results("allreduce");
  int empty_cases = 0;
  for (const auto& [key, kind] : allreduce_cases()) {
    if (kind != 2) continue;
    ++empty_cases;
    EXPECT_LE(bp::rank_result(r, key + "difference"), 1e-14) << key << " with an empty shard";
  }
  EXPECT_GE(empty_cases, 6) << "the cases should hold empty shards for R = 2, 3 and 4";
}

TEST(DataParallel_Allreduce, EveryRankHoldsTheSameBits) {
  const bp::RankResults r = task_results("allreduce");
  for (const auto& [key, kind] : allreduce_cases())
    EXPECT_EQ(bp::rank_result(r, key + "same_bits"), 1.0) << key << ": the ranks' sums differ";
}

TEST(DataParallel_Allreduce, IsOneCallOnAPackedBufferOfSums) {
  const bp::RankResults r = task_results("allreduce");
  for (const auto& [key, kind] : allreduce_cases()) {
    EXPECT_EQ(bp::rank_result(r, key + "calls"), 1.0)
        << key << ": one MPI_Allreduce for all four blocks";
    EXPECT_EQ(bp::rank_result(r, key + "count"), bp::rank_result(r, key + "size"))
        << key << ": the call should carry every number of the gradient, G = DH + H + HK + K";
    EXPECT_EQ(bp::rank_result(r, key + "doubles_summed"), 1.0)
        << key << ": MPI_DOUBLE with MPI_SUM";
  }
}

TEST(DataParallel_Allreduce, PlantedAllreducesAreCaught) {
  const bp::RankResults r = task_results("allreduce");
  ASSERT_LE(bp::rank_result(r, "R4.N13.difference"), 1e-14);
  for (const auto& [name, unused] : planted_allreduces()) {
    (void)unused;
    bool caught = false;
    for (const auto& [key, kind] : allreduce_cases()) {
      const std::string k = name + "." + key;
      caught = caught || bp::rank_result(r, k + "difference") > 1e-9 ||
               bp::rank_result(r, k + "same_bits") != 1.0 ||
               bp::rank_result(r, k + "calls") != 1.0 ||
               bp::rank_result(r, k + "doubles_summed") != 1.0;
    }
    EXPECT_TRUE(caught) << name << " was not caught";
  }
}

TEST(DataParallel_Allreduce, AveragingTheRanksGradientsIsCaughtOnUnequalShardsOnly) {
  const bp::RankResults r = task_results("allreduce");
  // Each rank's own mean gradient, averaged over the ranks: (1/R) Σ_k ∇L_k. It is ∇L when every
  // n_k = N/R (the weights n_k/N are all 1/R) and wrong otherwise.
  for (const auto& [key, kind] : allreduce_cases()) {
    const double d = bp::rank_result(r, "AveragingLocalMeans." + key + "difference");
    if (kind == 0)
      EXPECT_LE(d, 1e-14) << key << ": on equal shards the average is the right gradient";
    else
      EXPECT_GT(d, 1e-9) << key << " (" << kKindNames[kind] << "): the average was not caught";
  }
}
// [allreduce-test]

// ---------------------------------------------------------------------------------------------
// 15.4: the epoch, 100 of them, on 1, 2, 3 and 4 ranks (task "epoch").
namespace {

/// Every case of the training task.
std::vector<std::pair<std::string, int>> training_keys() { return case_keys(training_cases); }

}  // namespace

// [epoch-test]
TEST(DataParallel_Epoch, LossAndAccuracyCurvesAreChapter10sOver100Epochs) {
  const bp::RankResults r = task_results("epoch");
  for (const auto& [key, kind] : training_keys()) {
    EXPECT_LE(bp::rank_result(r, key + "curve"), 1e-12) << key << " (" << kKindNames[kind] << ")";
    EXPECT_LE(bp::rank_result(r, key + "accuracy"), 1e-12)
        << key << " (" << kKindNames[kind] << ")";
  }
}

TEST(DataParallel_Epoch, ParametersEndAsChapter10sAndEqualOnEveryRank) {
  const bp::RankResults r = task_results("epoch");
  for (const auto& [key, kind] : training_keys()) {
    EXPECT_LE(bp::rank_result(r, key + "params"), 1e-12) << key << " (" << kKindNames[kind] << ")";
    EXPECT_EQ(bp::rank_result(r, key + "same_bits"), 1.0)
        << key << ": the ranks' parameters differ";
  }
}

TEST(DataParallel_Epoch, RefusesShardsThatDoNotAddUpToN) {
  const bp::RankResults r = task_results("epoch");
  for (int R = 1; R <= bp::test::kTaskRanks; ++R)
    EXPECT_EQ(bp::rank_result(r, std::string("R") + std::to_string(R) + ".refused_everywhere"), 1.0)
        << R << " ranks told N = 14 for 13 samples: every rank must throw bp::ShapeError";
}

TEST(DataParallel_Epoch, PlantedEpochsAreCaught) {
  const bp::RankResults r = task_results("epoch");
  const auto fails = [&r](const std::string& name, const std::string& key) {
    const std::string k = name + "." + key;
    return bp::rank_result(r, k + "curve") > 1e-9 || bp::rank_result(r, k + "params") > 1e-9 ||
           bp::rank_result(r, k + "same_bits") != 1.0;
  };
  for (const auto& [key, kind] : training_keys()) {
    const bool one_rank = key.rfind("R1.", 0) == 0;
    // The trusted epoch passes: the checks accept a correct data-parallel epoch.
    EXPECT_FALSE(fails("Trusted", key)) << key;
    // Averaging the ranks' own means: right on equal shards, caught on the others.
    EXPECT_EQ(fails("AveragingLocalMeans", key), kind != 0) << key << " " << kKindNames[kind];
    // The rank's own loss, or its own gradient, stepped without the others': caught when R > 1.
    EXPECT_EQ(fails("LossOfTheRankOnly", key), !one_rank) << key;
    EXPECT_EQ(fails("NoAllreduce", key), !one_rank) << key;
  }
}
// [epoch-test]

int main(int argc, char** argv) {
  return bp::test::main_with_rank_tasks(argc, argv,
                                        {{"allreduce", allreduce_task}, {"epoch", epoch_task}});
}
