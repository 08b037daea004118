// ch15_data_parallel: data-parallel training on Open MPI. Started by a person, it starts itself
// under mpirun once for each rank count of --ranks; each run trains the post's network on two
// moons with every rank holding a shard of the batch, and sends back its loss curve, its time
// per epoch and what its reductions cost. The program then compares each curve with chapter
// 10's training in one process, checks the gradient both ways (MPI_SUM, and the in-rank-order
// reduction whose bits do not depend on the rank count), and draws the time per epoch against
// the ranks with a simple model (ch15_scaling.png). Started by mpirun itself, it is one rank.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "03_forward/forward.hpp"
#include "09_backprop/backprop.hpp"
#include "10_training/training.hpp"
#include "15_data_parallel/data_parallel.hpp"
#include "15_data_parallel/mpirun.hpp"
#include "common/data.hpp"
#include "common/datasets.hpp"
#include "common/files.hpp"
#include "common/plots.hpp"
#include "common/program.hpp"
#include "common/random.hpp"

namespace {

using bp::sci;
using Clock = std::chrono::steady_clock;

/// The in-rank-order reduction's unit: 256 samples, whatever the rank count.
constexpr arma::uword kChunk = 256;
/// The timings of one reduction are the median of this many calls.
constexpr int kReductionRepeats = 30;
/// Two moons with chapter 10's noise.
constexpr double kNoise = 0.2;
/// What one epoch costs per sample and hidden unit on one core of the course's 2-core machine,
/// for the time estimate: measured 64–76 ns with the machine shared by other builds (mostly
/// tanh, and the N×H passes of the backward pass).
constexpr double kEpochSecondsPerSampleUnit = 80e-9;

/// What the flags ask for.
struct Settings {
  std::vector<int> ranks;
  arma::uword samples = 0;
  arma::uword hidden = 0;
  int epochs = 0;
  double rate = 0.0;
  std::uint64_t seed = 0;
};

/// The batch and the starting network, the same on every rank and in the parent (one seed).
struct Problem {
  arma::mat X;  ///< N×2
  arma::mat Y;  ///< N×2 one-hot
  bp::Params params;
};

Problem make_problem(const Settings& s) {
  bp::Rng rng(s.seed + 1);  // chapter 10's data for the same seed
  const bp::Dataset moons = bp::make_moons(s.samples, kNoise, rng);
  return {moons.X, bp::one_hot(moons.labels, moons.classes), bp::init_params(s.hidden, s.seed)};
}

/// The rank counts of --ranks, "1,2,3,4" (given, or 1, 2, 3 and 4 when it is not).
/// @throws InputError naming the first bad one.
std::vector<int> parse_ranks(const std::string& text) {
  if (text.empty()) return {1, 2, 3, 4};
  const std::string allowed = "use whole numbers from 1 to " + std::to_string(bp::kMaxRanks) +
                              ", separated by commas (such as 1,2,3,4)";
  std::vector<int> ranks;
  std::istringstream items(text + ",");
  for (std::string item; std::getline(items, item, ',');) {
    std::size_t used = 0;
    int R = 0;
    try {
      R = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size() || item[0] == '+' || item[0] == ' ')
      throw bp::InputError("--ranks: '" + item + "' is not a rank count; " + allowed);
    if (R < 1 || R > bp::kMaxRanks)
      throw bp::InputError("--ranks: " + std::to_string(R) + " ranks are not allowed; " + allowed);
    if (std::find(ranks.begin(), ranks.end(), R) != ranks.end())
      throw bp::InputError("--ranks: " + std::to_string(R) + " is given twice; give each once");
    ranks.push_back(R);
  }
  return ranks;
}

/// "12.3 ms" with `digits` decimals.
std::string ms(double seconds, int digits = 1) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << seconds * 1e3 << " ms";
  return out.str();
}

/// The names of the four blocks, in the order of pack_grads.
const char* const kBlocks[] = {"dW1", "db1", "dW2", "db2"};

/// Each block's largest |a − b|, relative to the block's largest |b|: dW1, db1, dW2, db2.
arma::vec block_differences(const bp::Grads& a, const bp::Grads& b) {
  const auto block = [](const arma::mat& x, const arma::mat& y) {
    return arma::abs(x - y).max() / std::max(arma::abs(y).max(), 1e-300);
  };
  return {block(a.dW1, b.dW1), block(a.db1, b.db1), block(a.dW2, b.dW2), block(a.db2, b.db2)};
}

/// The worst block's difference and its index in kBlocks, for the results.
void write_difference(bp::RankResults& out, const std::string& key, const arma::vec& blocks) {
  out[key] = blocks.max();
  out[key + "_block"] = static_cast<double>(blocks.index_max());
}

/// The median of `repeats` timings of `run` on every rank of `comm`, the largest over the ranks.
double median_seconds(int repeats, const std::function<void()>& run, MPI_Comm comm) {
  std::vector<double> t;
  for (int i = 0; i < repeats; ++i) {
    MPI_Barrier(comm);
    const double start = MPI_Wtime();
    run();
    t.push_back(MPI_Wtime() - start);
  }
  std::nth_element(t.begin(), t.begin() + static_cast<long>(t.size() / 2), t.end());
  double median = t[t.size() / 2], largest = 0.0;
  MPI_Allreduce(&median, &largest, 1, MPI_DOUBLE, MPI_MAX, comm);
  return largest;
}

/// A digest as two whole numbers, for the results (a double holds 32 bits exactly, not 64).
void write_digest(bp::RankResults& out, const std::string& key, std::uint64_t digest) {
  out[key + "_high"] = static_cast<double>(digest >> 32);
  out[key + "_low"] = static_cast<double>(digest & 0xffffffffULL);
}

// ---------------------------------------------------------------------------------------------
// One rank (under mpirun).

/// A rank's work: 1. the gradient at the start, both ways; 2. what each reduction costs;
/// 3. the training, timed. Rank 0 reports every number.
void rank_work(const Settings& s, bp::RankResults& out) {
  const MPI_Comm comm = MPI_COMM_WORLD;
  int rank = 0, R = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &R);
  const Problem p = make_problem(s);
  const std::vector<bp::Shard> plan = bp::shard_plan(s.samples, R);
  if (const std::string problem = bp::plan_problem(plan, s.samples, R); !problem.empty())
    throw bp::InputError("--ranks " + std::to_string(R) + ": the shard plan of " +
                         std::to_string(s.samples) + " samples is wrong: " + problem);
  const bp::Shard& mine = plan[static_cast<std::size_t>(rank)];
  const arma::mat X = bp::shard_rows(p.X, mine), Y = bp::shard_rows(p.Y, mine);

  // 1. The gradient at the start: the shares added by MPI_SUM, and summed in rank order.
  bp::Grads sum = bp::shard_gradient(p.params, bp::shard_forward(p.params, X), Y, s.samples);
  bp::allreduce_grads(sum, comm);
  const bp::Shard chunks = bp::chunk_plan(s.samples, R, kChunk)[static_cast<std::size_t>(rank)];
  const bp::Grads in_order = bp::gradient_in_rank_order(
      p.params, bp::shard_rows(p.X, chunks), bp::shard_rows(p.Y, chunks), s.samples, kChunk, comm);
  if (rank == 0) {
    const bp::Grads whole = bp::backward(p.params, bp::forward(p.params, p.X), p.Y);
    write_difference(out, "sum_difference", block_differences(sum, whole));
    write_difference(out, "in_order_difference", block_differences(in_order, whole));
    write_digest(out, "sum_digest", bp::bits_digest(sum));
    write_digest(out, "in_order_digest", bp::bits_digest(in_order));
  }

  // 2. One reduction of the G numbers of a gradient, each way.
  bp::Grads g = bp::zero_grads(p.params);
  const auto allreduce = [&] { bp::allreduce_grads(g, comm); };
  out["allreduce_seconds"] = median_seconds(kReductionRepeats, allreduce, comm);
  const arma::mat columns(bp::gradient_size(g), (chunks.count + kChunk - 1) / kChunk,
                          arma::fill::zeros);
  out["in_order_seconds"] = median_seconds(
      kReductionRepeats, [&] { (void)bp::reduce_in_rank_order(columns, comm); }, comm);

  // 3. The training: every rank the same steps; the slowest rank's time.
  bp::Params params = p.params;
  MPI_Barrier(comm);
  const double start = MPI_Wtime();
  for (int e = 0; e < s.epochs; ++e) {
    const bp::EpochResult r = bp::data_parallel_epoch(params, X, Y, s.samples, s.rate, comm);
    out["loss." + std::to_string(e)] = r.loss;
  }
  double seconds = MPI_Wtime() - start, slowest = 0.0;
  MPI_Allreduce(&seconds, &slowest, 1, MPI_DOUBLE, MPI_MAX, comm);
  out["seconds_per_epoch"] = slowest / s.epochs;
  out["smallest_shard"] = static_cast<double>(plan.back().count);
  out["largest_shard"] = static_cast<double>(plan.front().count);
}

// ---------------------------------------------------------------------------------------------
// The parent.

/// What the runs measured, one row per rank count.
struct Row {
  int ranks = 0;
  bp::RankResults results;
  double agreement = 0.0;  ///< the loss curve's largest relative difference from chapter 10's
};

/// 1. Chapter 10's training in this process: the loss curve the ranks must reproduce.
arma::vec one_process_curve(const Settings& s, const Problem& p, double& seconds_per_epoch) {
  bp::Params params = p.params;
  const Clock::time_point start = Clock::now();
  const bp::History history =
      bp::train(params, p.X, p.Y, {static_cast<arma::uword>(s.epochs), s.rate, 0.0});
  seconds_per_epoch = std::chrono::duration<double>(Clock::now() - start).count() / s.epochs;
  if (history.diverged)
    throw bp::InputError("--lr " + bp::sci(s.rate) + ": training diverged at epoch " +
                         std::to_string(history.epochs_run) + "; try a smaller rate");
  std::cout << "1. Chapter 10 in one process (no MPI): " << s.epochs << " epochs, loss "
            << std::fixed << std::setprecision(4) << history.loss(0) << " -> "
            << history.loss(history.loss.n_elem - 1) << std::defaultfloat << ", "
            << ms(seconds_per_epoch) << " per epoch (OpenBLAS may use every core here).\n\n";
  return history.loss.head(static_cast<arma::uword>(s.epochs));
}

/// "2500" or "3333–3334": the shard sizes of a run.
std::string shard_sizes(const bp::RankResults& r) {
  const auto smallest = static_cast<long long>(bp::rank_result(r, "smallest_shard"));
  const auto largest = static_cast<long long>(bp::rank_result(r, "largest_shard"));
  return smallest == largest ? std::to_string(largest)
                             : std::to_string(smallest) + "–" + std::to_string(largest);
}

/// A run's row: its results, and its loss curve against chapter 10's `curve`.
Row make_row(int R, bp::RankResults results, const arma::vec& curve) {
  Row row{R, std::move(results), 0.0};
  for (arma::uword e = 0; e < curve.n_elem; ++e) {
    const double loss = bp::rank_result(row.results, "loss." + std::to_string(e));
    row.agreement = std::max(row.agreement, std::abs(loss - curve(e)) / std::abs(curve(e)));
  }
  return row;
}

/// "R ranks: shards of …; loss agrees with chapter 10 to …; … ms per epoch".
void print_row(const Row& row) {
  std::cout << "  " << row.ranks << (row.ranks == 1 ? " rank: " : " ranks: ") << "shards of "
            << shard_sizes(row.results) << " samples; loss agrees with chapter 10 to "
            << sci(row.agreement) << "; " << ms(bp::rank_result(row.results, "seconds_per_epoch"))
            << " per epoch\n";
}

/// 2. One run of mpirun per rank count, a line each: the loss curve against chapter 10's and
/// the time per epoch.
std::vector<Row> run_each_rank_count(const Settings& s, const arma::vec& curve,
                                     const std::vector<std::string>& args) {
  std::cout << "2. Data-parallel under mpirun, one OpenBLAS thread per rank, on "
            << std::thread::hardware_concurrency() << " cores (" << s.epochs
            << " epochs each; the loss curve against section 1's):\n";
  std::vector<Row> rows;
  for (const int R : s.ranks) {
    rows.push_back(make_row(R, bp::run_ranks(R, args, {}, 2.0 * bp::kMaxWorkSeconds), curve));
    print_row(rows.back());
  }
  std::cout << "\n";
  return rows;
}

/// Whether two runs' gradients `way` ("sum_digest", "in_order_digest") have the same bits.
bool same_bits(const Row& a, const Row& b, const std::string& way) {
  return bp::rank_result(a.results, way + "_high") == bp::rank_result(b.results, way + "_high") &&
         bp::rank_result(a.results, way + "_low") == bp::rank_result(b.results, way + "_low");
}

/// 3. The gradient at the start both ways, and what one reduction of it costs.
void print_reductions(const std::vector<Row>& rows, arma::uword G) {
  const std::string first = "as R = " + std::to_string(rows.front().ranks);
  std::cout << "3. The gradient at the start, against chapter 09's backward() of the whole batch\n"
               "   (the worst block's largest difference, relative to its largest entry), and one\n"
               "   reduction of its G = "
            << G << " numbers:\n"
            << "    " << bp::pad("ranks", 7) << bp::pad("MPI_SUM", 16) << bp::pad("bits", 11)
            << bp::pad("in rank order", 16) << bp::pad("bits", 11) << bp::pad("one MPI_SUM", 14)
            << "one in rank order\n";
  for (const Row& row : rows) {
    const bp::RankResults& r = row.results;
    const auto worst = [&r](const std::string& key) {  // the block, unless every one is equal
      const double d = bp::rank_result(r, key);
      return d == 0.0
                 ? std::string("0 (equal)")
                 : sci(d) + " " + kBlocks[static_cast<int>(bp::rank_result(r, key + "_block"))];
    };
    const auto bits = [&](const std::string& key) {
      return same_bits(row, rows.front(), key) ? first : "other";
    };
    std::cout << "    " << bp::pad(std::to_string(row.ranks), 7)
              << bp::pad(worst("sum_difference"), 16) << bp::pad(bits("sum_digest"), 11)
              << bp::pad(worst("in_order_difference"), 16) << bp::pad(bits("in_order_digest"), 11)
              << bp::pad(ms(bp::rank_result(r, "allreduce_seconds"), 3), 14)
              << ms(bp::rank_result(r, "in_order_seconds"), 3) << "\n";
  }
  std::cout
      << "  MPI_SUM adds the ranks' shares in an order of its own, and each share is a sum\n"
         "  over a shard whose bounds move with R: its last bits may change with R. In rank\n"
         "  order the unit is a chunk of "
      << kChunk
      << " samples whatever R, and rank 0 adds the chunks in\n"
         "  batch order: the same bits for every R, for the price of gathering every chunk's\n"
         "  G numbers on one rank and a broadcast after.\n\n";
}

/// 4. Time per epoch against the ranks, with the model compute / p + allreduce, as a figure.
void draw_scaling(const Settings& s, const std::vector<Row>& rows, double one_process_seconds,
                  const std::filesystem::path& figures) {
  const Row* one = nullptr;
  for (const Row& row : rows)
    if (row.ranks == 1) one = &row;
  const double compute =
      one != nullptr ? bp::rank_result(one->results, "seconds_per_epoch") : one_process_seconds;
  const double cores = std::max(1u, std::thread::hardware_concurrency());
  arma::mat table(rows.size(), 4);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double p = rows[i].ranks, a = bp::rank_result(rows[i].results, "allreduce_seconds");
    table.row(i) = arma::rowvec{p, 1e3 * bp::rank_result(rows[i].results, "seconds_per_epoch"),
                                1e3 * (compute / p + a), 1e3 * (compute / std::min(p, cores) + a)};
  }
  std::cout << "4. The model: t(p) = t(1)/p + one allreduce, with t(1) = " << ms(compute)
            << (one != nullptr ? " (1 rank)" : " (section 1: no run on 1 rank)")
            << "; on this machine's " << cores << " cores, t(1)/min(p, " << cores
            << ") + one allreduce.\n";
  bp::publish_figure(
      "ch15_scaling", figures, "ch15_scaling",
      {"ranks", "measured", "model: t(1)/p + one allreduce",
       "model on " + std::to_string(static_cast<int>(cores)) + " cores: t(1) over at most " +
           std::to_string(static_cast<int>(cores)) + " ranks at once + one allreduce"},
      table,
      {{"title", "Time per epoch against the ranks: two moons, N = " + std::to_string(s.samples) +
                     ", H = " + std::to_string(s.hidden)}});
}

}  // namespace

int main(int argc, char** argv) {
  bp::Program program(
      "ch15_data_parallel",
      "Chapter 15: data-parallel training on Open MPI. Started by you, the program starts itself "
      "under mpirun once for each rank count of --ranks (with --oversubscribe, and "
      "--allow-run-as-root as root); every rank holds a shard of the batch, computes its share "
      "of the gradient with the global 1/N, and one allreduce adds the shares. Prints, for each "
      "rank count, how closely the loss curve follows chapter 10's training in one process and "
      "the time per epoch; compares the gradient summed by MPI_SUM and in rank order (the same "
      "bits for any rank count); draws the time per epoch against the ranks with a simple model "
      "(ch15_scaling.png). Started by mpirun, it is one rank of that work.");
  std::string ranks_text;  // empty: 1,2,3,4
  int samples = 10000, hidden = 500, epochs = 5;
  double rate = 0.1;  // half chapter 10's: at N = 10000 the first steps of 0.2 overshoot
  std::uint64_t seed = 1;
  std::string plots;
  program.add_text("--ranks", ranks_text,
                   "the rank counts to run, separated by commas, each from 1 to " +
                       std::to_string(bp::kMaxRanks) + " (default 1,2,3,4)");
  program.add_size("--samples", samples, 100000, "Samples N of two moons, split over the ranks");
  program.add_size("--hidden", hidden, 100000, "Hidden units H");
  program.add_size("--epochs", epochs, 100000,
                   "Full-batch gradient-descent steps on each rank count");
  program.add_real("--lr", rate, 0.0, 1000.0, "Learning rate (step size) eta");
  program.add_seed(seed);
  program.add_text(
      "--plots", plots,
      "Folder for the figure and its data (default: figures/ beside the build's bin/)");
  Settings s;
  // Memory: the ranks together hold about 8 N×H matrices (their shards add up to N), the parent
  // as many for chapter 10's training, and every process its own copy of the libraries.
  program.set_memory_estimate(
      {"--hidden", "--samples"}, "8 bytes × 16·N·H + 64 MB per process", [&] {
        return 8.0 * 16.0 * samples * static_cast<double>(hidden) + 64e6 * (1 + bp::kMaxRanks);
      });
  // Time: each rank count, and chapter 10 once, train all N samples for every epoch.
  program.set_work_estimate(
      {"--samples", "--hidden", "--epochs"}, "80 ns × N·H·epochs·(rank counts + 1)", [&] {
        const double counts =
            ranks_text.empty()
                ? 4.0
                : static_cast<double>(std::count(ranks_text.begin(), ranks_text.end(), ',') + 1);
        return kEpochSecondsPerSampleUnit * samples * static_cast<double>(hidden) * epochs *
               (counts + 1.0);
      });
  return program.run(argc, argv, [&] {
    if (samples < 2)  // two moons need a point of each class
      throw bp::InputError("--samples: '" + std::to_string(samples) +
                           "' is not allowed; use a whole number from 2 to 100000");
    s = {parse_ranks(ranks_text),
         static_cast<arma::uword>(samples),
         static_cast<arma::uword>(hidden),
         epochs,
         rate,
         seed};
    if (bp::under_mpirun()) {  // a rank: its part for the parent, or (run by a person) its line
      bp::RankSession session(argc, argv);
      bp::RankResults results = session.run([&](bp::RankResults& out) { rank_work(s, out); });
      if (session.rank() == 0 && bp::rank_dir().empty()) {
        double seconds = 0.0;
        const arma::vec curve = one_process_curve(s, make_problem(s), seconds);
        print_row(make_row(session.size(), std::move(results), curve));
      }
      return;
    }
    if (bp::find_mpirun().empty())
      throw bp::InputError(
          "mpirun was not found on the PATH: the ranks cannot be started; install Open MPI "
          "(Debian: apt-get install openmpi-bin libopenmpi-dev), or run ./course setup");
    const std::filesystem::path figures =
        bp::output_dir(plots, {"ch15_scaling.csv", "ch15_scaling.png"});
    const Problem p = make_problem(s);
    for (const int R : s.ranks)  // the plan of every run, before any work
      if (const std::string problem = bp::plan_problem(bp::shard_plan(s.samples, R), s.samples, R);
          !problem.empty())
        throw bp::InputError("--ranks " + std::to_string(R) + ": the shard plan of " +
                             std::to_string(s.samples) + " samples is wrong: " + problem);
    bp::print_banner(
        "Chapter 15: data-parallel training on Open MPI",
        "Each rank holds a shard of the batch, computes its share of the gradient with\n"
        "dZ2 = (P - Y)/N for the global N, and one MPI_Allreduce (MPI_SUM) adds the shares:\n"
        "every rank then takes the same step, and the ranks' networks stay equal to the bit.");
    std::cout << "Two moons, N = " << s.samples << " (noise " << kNoise << "), H = " << s.hidden
              << ", eta = " << s.rate << ", seed " << s.seed << ".\n\n";
    double one_process_seconds = 0.0;
    const arma::vec curve = one_process_curve(s, p, one_process_seconds);
    const std::vector<Row> rows =
        run_each_rank_count(s, curve, std::vector<std::string>(argv + 1, argv + argc));
    print_reductions(rows, bp::gradient_size(bp::zero_grads(p.params)));
    draw_scaling(s, rows, one_process_seconds, figures);
  });
}
