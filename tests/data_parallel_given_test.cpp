// Chapter 15's given code: the plan's check, packing a gradient, the in-rank-order reduction
// (the same bits for any number of ranks) against MPI_SUM, and starting ranks under mpirun.
// Built against the reference solutions only; its tests call no exercise, so they sit outside
// the exercise filters. The MPI tests run as in tests/15_data_parallel_test.cpp: this program
// starts itself under mpirun with a task's name (tests/support/ranks.hpp), and one world of 4
// ranks holds the worlds of 1, 2, 3 and 4 (the communicators of its first R ranks) — a claim
// tested here too, against real worlds of 1, 2, 3 and 4 ranks.
//
// Tolerances: the gradient summed over ranks, either way, against the one-process backward:
// 1e-14 relative to each block's largest entry (a sum in another order: a few 1e-16 measured).
// Bit-identity is asked exactly (digests of every bit of the four blocks).
#include <gtest/gtest.h>
#include <mpi.h>
#include <unistd.h>

#include <algorithm>
#include <armadillo>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "15_data_parallel/data_parallel.hpp"
#include "15_data_parallel/mpirun.hpp"
#include "common/exercise.hpp"
#include "common/program.hpp"
#include "support/ranks.hpp"
#include "support/reference.hpp"

namespace {

using bp::test::task_results;

/// The batch of the order tests: the post's network, D = 2, H = 50, K = 2, N = 1000, cut into
/// chunks of 64 (15 whole chunks and one of 40).
constexpr arma::uword kSamples = 1000;
constexpr arma::uword kChunk = 64;

bp::test::Example order_example() { return bp::test::make_example({2, 50, 2, kSamples, 21}); }

/// A digest as two doubles (a double holds 32 bits exactly, not 64).
void write_digest(bp::RankResults& out, const std::string& key, std::uint64_t digest) {
  out[key + ".digest_high"] = static_cast<double>(digest >> 32);
  out[key + ".digest_low"] = static_cast<double>(digest & 0xffffffffULL);
}

/// Whether result `a` of `ra` and result `b` of `rb` are the same digest.
bool same_digest(const bp::RankResults& ra, const std::string& a, const bp::RankResults& rb,
                 const std::string& b) {
  return bp::rank_result(ra, a + ".digest_high") == bp::rank_result(rb, b + ".digest_high") &&
         bp::rank_result(ra, a + ".digest_low") == bp::rank_result(rb, b + ".digest_low");
}

/// The exception of type E that `call` throws; a failure of the test, and no value, when it
/// throws none or another.
template <typename E>
std::optional<E> thrown(const std::function<void()>& call) {
  try {
    call();
  } catch (const E& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw another exception: " << e.what();
    return std::nullopt;
  }
  ADD_FAILURE() << "threw no exception";
  return std::nullopt;
}

/// The largest |a − b| over the four blocks, each relative to its largest |b|.
double difference(const bp::Grads& a, const bp::Grads& b) {
  const auto block = [](const arma::mat& x, const arma::mat& y) {
    return arma::abs(x - y).max() / std::max(arma::abs(y).max(), 1e-300);
  };
  return std::max(
      {block(a.dW1, b.dW1), block(a.db1, b.db1), block(a.dW2, b.dW2), block(a.db2, b.db2)});
}

/// On `comm` (R ranks): the gradient three ways, each written under "<prefix>.<way>": MPI_SUM
/// of the ranks' shares (shard_plan), the in-rank-order reduction of chunks (chunk_plan), and —
/// planted — the in-rank-order reduction of the ranks' shares, one column per rank (its unit,
/// the shard, moves with R). Digest and difference from the one-process backward for each.
void gradient_three_ways(MPI_Comm comm, const std::string& prefix, bp::RankResults& out) {
  int rank = 0, R = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &R);
  const bp::test::Example e = order_example();
  const bp::Grads whole = bp::test::reference_backward(e.params, e.cache, e.Y);
  const auto share_of = [&](const bp::Shard& s) {
    return bp::shard_gradient(e.params, bp::forward(e.params, bp::shard_rows(e.X, s)),
                              bp::shard_rows(e.Y, s), kSamples);
  };
  const bp::Shard mine = bp::shard_plan(kSamples, R)[static_cast<std::size_t>(rank)];
  bp::Grads sum = share_of(mine);
  bp::allreduce_grads(sum, comm);

  const bp::Shard chunks = bp::chunk_plan(kSamples, R, kChunk)[static_cast<std::size_t>(rank)];
  const bp::Grads in_order = bp::gradient_in_rank_order(
      e.params, bp::shard_rows(e.X, chunks), bp::shard_rows(e.Y, chunks), kSamples, kChunk, comm);

  bp::Grads partial = bp::zero_grads(e.params);
  bp::unpack_grads(bp::reduce_in_rank_order(bp::pack_grads(share_of(mine)), comm), partial);

  const std::map<std::string, const bp::Grads*> ways = {
      {"sum", &sum}, {"in_order", &in_order}, {"partial_sums_in_order", &partial}};
  for (const auto& [way, grads] : ways) {
    write_digest(out, prefix + "." + way, bp::bits_digest(*grads));
    out[prefix + "." + way + ".difference"] = difference(*grads, whole);
  }
}

/// Task "order": the three ways on the first R ranks of the world, R = 1 … 4.
void order_task(MPI_Comm world, bp::RankResults& out) {
  int ranks = 1;
  MPI_Comm_size(world, &ranks);
  for (int R = 1; R <= ranks; ++R) {
    MPI_Comm comm = bp::test::first_ranks(world, R);
    if (comm == MPI_COMM_NULL) continue;
    gradient_three_ways(comm, std::string("R") + std::to_string(R), out);
    MPI_Comm_free(&comm);
  }
}

/// Task "world": the three ways on the whole world (run with R = 1, 2, 3 and 4 ranks).
void world_task(MPI_Comm world, bp::RankResults& out) { gradient_three_ways(world, "world", out); }

/// Task "exercise_on_rank_two": rank 2 stops at an exercise, the others wait at a barrier.
void exercise_on_rank_two(MPI_Comm world, bp::RankResults&) {
  int rank = 0;
  MPI_Comm_rank(world, &rank);
  if (rank == 2) throw bp::ExerciseNotDone("15.9", "chapters/15_data_parallel/nowhere.cpp", 7);
  MPI_Barrier(world);
}

/// Task "input_error": every rank refuses its input.
void input_error(MPI_Comm, bp::RankResults&) { throw bp::InputError("--ranks 3: planted"); }

/// Task "waits_forever": rank 0 skips a barrier the others wait at.
void waits_forever(MPI_Comm world, bp::RankResults&) {
  int rank = 0;
  MPI_Comm_rank(world, &rank);
  if (rank != 0) MPI_Barrier(world);
}

/// Task "results": rank 0's numbers come back exactly, the other ranks' are not read.
void results_task(MPI_Comm world, bp::RankResults& out) {
  int rank = 0;
  MPI_Comm_rank(world, &rank);
  out["rank"] = rank;
  out["third"] = 1.0 / 3.0;
  out["negative"] = -2.5e300;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The plan's check, packing, a shard's rows (one process).

TEST(DataParallel_PlanCheck, NamesEachWayAPlanCanGoWrong) {
  EXPECT_EQ(bp::plan_problem({{0, 3}, {3, 3}, {6, 2}, {8, 2}}, 10, 4), "");
  EXPECT_EQ(bp::plan_problem({{0, 1}, {1, 1}, {2, 0}, {0, 0}}, 2, 4), "")
      << "an empty shard holds no sample, wherever it starts";
  const std::map<std::string, std::pair<std::vector<bp::Shard>, std::string>> wrong = {
      {"a gap", {{{0, 3}, {4, 3}, {7, 3}}, "sample 3 is in no shard"}},
      {"an overlap", {{{0, 4}, {3, 3}, {6, 4}}, "sample 3 is in two shards"}},
      {"samples left at the end", {{{0, 3}, {3, 3}, {6, 3}}, "samples 9 to 9 are in no shard"}},
      {"past the end", {{{0, 4}, {4, 4}, {8, 4}}, "past the 10 samples"}},
      {"sizes apart", {{{0, 2}, {2, 2}, {4, 6}}, "at most 1"}},
      {"a shard missing", {{{0, 5}, {5, 5}}, "2 shards for 3 ranks"}},
      {"not starting at 0", {{{1, 4}, {5, 3}, {8, 2}}, "sample 0 is in no shard"}}};
  for (const auto& [name, c] : wrong) {
    const std::string problem = bp::plan_problem(c.first, 10, 3);
    EXPECT_NE(problem.find(c.second), std::string::npos)
        << name << ": expected \"" << c.second << "\" in \"" << problem << "\"";
  }
}

TEST(DataParallel_PlanCheck, ChunkPlansAreWholeChunksAndComplete) {
  for (const arma::uword N : {0, 1, 63, 64, 65, 1000, 10000})
    for (int R = 1; R <= bp::kMaxRanks; ++R) {
      const std::vector<bp::Shard> plan = bp::chunk_plan(N, R, kChunk);
      // Chunk counts differ by at most one, and the last chunk may be short: sizes differ by
      // less than two chunks.
      ASSERT_EQ(bp::plan_problem(plan, N, R, 2 * kChunk - 1), "") << "N = " << N << ", R = " << R;
      for (const bp::Shard& s : plan)
        EXPECT_TRUE(s.count == 0 || s.first % kChunk == 0) << "a chunk split, N = " << N;
    }
}

TEST(DataParallel_Packing, PackingAndUnpackingKeepEveryNumberInPlace) {
  const bp::test::Example e = bp::test::make_example({2, 5, 3, 7, 1});
  const bp::Grads g = bp::test::reference_backward(e.params, e.cache, e.Y);
  const arma::vec buffer = bp::pack_grads(g);
  ASSERT_EQ(buffer.n_elem, 2u * 5 + 5 + 5 * 3 + 3);
  EXPECT_EQ(buffer(0), g.dW1(0, 0));
  EXPECT_EQ(buffer(1), g.dW1(1, 0));  // column by column
  EXPECT_EQ(buffer(10), g.db1(0));
  EXPECT_EQ(buffer(15), g.dW2(0, 0));
  EXPECT_EQ(buffer(30), g.db2(0));
  bp::Grads back = bp::zero_grads(e.params);
  bp::unpack_grads(buffer, back);
  EXPECT_EQ(bp::bits_digest(back), bp::bits_digest(g));
  EXPECT_THROW(bp::unpack_grads(buffer.head(10), back), bp::ShapeError);
}

TEST(DataParallel_Packing, AnEmptyShardsForwardPassHasTheWidthsAndNoRow) {
  const bp::test::Example e = bp::test::make_example({2, 5, 3, 7, 1});
  const bp::Cache empty = bp::shard_forward(e.params, arma::mat(0, 2));
  EXPECT_EQ(arma::size(empty.X), arma::size(0, 2));
  EXPECT_EQ(arma::size(empty.Z1), arma::size(0, 5));
  EXPECT_EQ(arma::size(empty.A1), arma::size(0, 5));
  EXPECT_EQ(arma::size(empty.Z2), arma::size(0, 3));
  EXPECT_EQ(arma::size(empty.P), arma::size(0, 3));
  // A shard with rows: chapter 03's forward pass itself.
  const bp::Cache some = bp::shard_forward(e.params, e.X.rows(1, 3));
  EXPECT_TRUE(arma::approx_equal(some.P, bp::forward(e.params, e.X.rows(1, 3)).P, "absdiff", 0.0));
}

TEST(DataParallel_Packing, AShardsRowsAndAnEmptyShard) {
  const arma::mat M = arma::reshape(arma::regspace(0.0, 11.0), 6, 2);
  EXPECT_TRUE(arma::approx_equal(bp::shard_rows(M, {2, 3}), M.rows(2, 4), "absdiff", 0.0));
  const arma::mat empty = bp::shard_rows(M, {6, 0});
  EXPECT_EQ(empty.n_rows, 0u);
  EXPECT_EQ(empty.n_cols, 2u);
}

// ---------------------------------------------------------------------------------------------
// Floating-point order: MPI_SUM against the in-rank-order reduction (task "order").

TEST(DataParallel_InRankOrder, IsBitIdenticalForAnyRankCount) {
  const bp::RankResults r = task_results("order");
  for (int R = 2; R <= bp::test::kTaskRanks; ++R)
    EXPECT_TRUE(
        same_digest(r, std::string("R") + std::to_string(R) + ".in_order", r, "R1.in_order"))
        << R << " ranks summed in rank order give other bits than 1 rank";
}

TEST(DataParallel_InRankOrder, BothWaysAgreeWithBackwardToRounding) {
  const bp::RankResults r = task_results("order");
  for (int R = 1; R <= bp::test::kTaskRanks; ++R)
    for (const std::string way : {"sum", "in_order"})
      EXPECT_LE(
          bp::rank_result(r, std::string("R") + std::to_string(R) + "." + way + ".difference"),
          1e-14)
          << way << " on " << R << " ranks";
}

TEST(DataParallel_InRankOrder, TheRanksPartialSumsInRankOrderAreNotIdentical) {
  // Planted: the in-rank-order reduction with the ranks' shares as its unit. It is deterministic
  // for a given R, but its unit moves with R, so the bits do too: the check above can fail.
  const bp::RankResults r = task_results("order");
  bool differs = false;
  for (int R = 2; R <= bp::test::kTaskRanks; ++R)
    differs =
        differs || !same_digest(r, std::string("R") + std::to_string(R) + ".partial_sums_in_order",
                                r, "R1.in_order");
  EXPECT_TRUE(differs) << "summing the ranks' partial sums gave the same bits for R = 1 … 4";
}

TEST(DataParallel_Worlds, TheFirstRRanksOfAWorldActAsAWorldOfR) {
  const bp::RankResults sub = task_results("order");
  for (int R = 1; R <= bp::test::kTaskRanks; ++R) {
    const bp::RankResults world = task_results("world", R);
    for (const std::string way : {"sum", "in_order"}) {
      const std::string a = "world." + way, b = std::string("R") + std::to_string(R) + "." + way;
      EXPECT_TRUE(same_digest(world, a, sub, b))
          << way << ": a world of " << R << " ranks and the first " << R
          << " ranks of a world of 4 give other bits";
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Starting ranks: results and failures come back (mpirun.hpp).

TEST(DataParallel_Ranks, RankZerosResultsComeBackExactly) {
  const bp::RankResults r = task_results("results", 3);
  EXPECT_EQ(bp::rank_result(r, "rank"), 0.0);
  EXPECT_EQ(bp::rank_result(r, "third"), 1.0 / 3.0);
  EXPECT_EQ(bp::rank_result(r, "negative"), -2.5e300);
}

TEST(DataParallel_Ranks, AnExerciseNotDoneOnOneRankComesBackAsItself) {
  const auto e = thrown<bp::ExerciseNotDone>([] { task_results("exercise_on_rank_two", 4); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->id(), "15.9");
  EXPECT_EQ(e->file(), "chapters/15_data_parallel/nowhere.cpp");
  EXPECT_EQ(e->line(), 7);
}

TEST(DataParallel_Ranks, BadInputOnTheRanksComesBackAsBadInput) {
  const auto e = thrown<bp::InputError>([] { task_results("input_error", 2); });
  ASSERT_TRUE(e.has_value());
  EXPECT_STREQ(e->what(), "--ranks 3: planted");
}

TEST(DataParallel_Ranks, RanksThatWaitForeverAreStopped) {
  const auto waits = [] { bp::run_ranks(2, {}, {{"BP_RANK_TASK", "waits_forever"}}, 2.0); };
  const auto e = thrown<std::runtime_error>(waits);
  ASSERT_TRUE(e.has_value());
  EXPECT_NE(std::string(e->what()).find("did not finish within 2 s"), std::string::npos)
      << e->what();
}

TEST(DataParallel_Ranks, WithoutMpirunTheLineSaysSo) {
  const char* path = std::getenv("PATH");
  const std::string saved = path != nullptr ? path : "";
  ::setenv("PATH", "/nonexistent", 1);
  const auto without_mpirun = [] { bp::run_ranks(2, {}, {{"BP_RANK_TASK", "results"}}, 30.0); };
  const auto e = thrown<bp::InputError>(without_mpirun);
  ::setenv("PATH", saved.c_str(), 1);
  ASSERT_TRUE(e.has_value());
  EXPECT_NE(std::string(e->what()).find("mpirun was not found on the PATH"), std::string::npos)
      << e->what();
}

TEST(DataParallel_Ranks, TheCommandOversubscribesAndExportsTheVariables) {
  const std::vector<std::string> command =
      bp::mpirun_command("/usr/bin/mpirun", 3, "/bin/prog", {"--a", "1"}, {"V"});
  const auto has = [&command](const std::string& word) {
    return std::find(command.begin(), command.end(), word) != command.end();
  };
  EXPECT_EQ(command.front(), "/usr/bin/mpirun");
  EXPECT_TRUE(has("--oversubscribe"));
  EXPECT_EQ(has("--allow-run-as-root"), ::geteuid() == 0) << "only for root";
  const std::vector<std::string> tail(command.end() - 5, command.end());
  EXPECT_EQ(tail, (std::vector<std::string>{"-x", "V", "/bin/prog", "--a", "1"}));
}

int main(int argc, char** argv) {
  return bp::test::main_with_rank_tasks(argc, argv,
                                        {{"order", order_task},
                                         {"world", world_task},
                                         {"exercise_on_rank_two", exercise_on_rank_two},
                                         {"input_error", input_error},
                                         {"waits_forever", waits_forever},
                                         {"results", results_task}});
}
