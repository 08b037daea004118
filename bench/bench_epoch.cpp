// Benchmarks of the post's network (H = 500, double, one thread): the textbook forward pass,
// backward pass and training epoch (the reference solutions of chapters 03, 09 and 10), the
// fused epoch of chapter 13, the tanh kernels, and the full gradient check of chapter 09.
//
//   build/bin/bench_epoch                                 every case
//   build/bin/bench_epoch --benchmark_filter=Epoch/1000   one size
//   ./course bench                                        the comparison with numpy (compare.py)
//
// Each case times one call; the time per call is what Google Benchmark prints. The training
// cases take a small step (η = 1e-3) so that the activations keep their distribution over the
// thousands of calls a case makes. No timing is asserted anywhere: bench/README.md holds the
// measured numbers.
#include <benchmark/benchmark.h>

#include <armadillo>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "03_forward/forward.hpp"
#include "09_backprop/backprop.hpp"
#include "10_training/training.hpp"
#include "13_speed/speed.hpp"
#include "common/data.hpp"
#include "common/random.hpp"
#include "problem.hpp"

namespace {

using bench::kHidden;
constexpr double kRate = 1e-3;

using bench::Problem;
using bench::samples;

/// The process's peak resident memory so far in MB (VmHWM of /proc/self/status; 0 where there
/// is no such file). Unlike getrusage's ru_maxrss, it starts afresh when the program starts,
/// not at the size of the process that launched it.
double peak_resident_mb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) {
      std::istringstream fields(line.substr(6));
      double kb = 0.0;
      fields >> kb;
      return kb / 1024.0;
    }
  return 0.0;
}

// The data and the network alone: the memory baseline of compare.py.
void BM_Data(benchmark::State& state) {
  for (auto _ : state) {
    Problem p(samples(state));
    double* X = p.X.memptr();
    benchmark::DoNotOptimize(X);
  }
  state.counters["peak_MB"] = peak_resident_mb();
}

void BM_TextbookForward(benchmark::State& state) {
  const Problem p(samples(state));
  for (auto _ : state) {
    const bp::Cache cache = bp::forward(p.params, p.X);
    const double* P = cache.P.memptr();
    benchmark::DoNotOptimize(P);
  }
}

void BM_TextbookBackward(benchmark::State& state) {
  const Problem p(samples(state));
  const bp::Cache cache = bp::forward(p.params, p.X);
  for (auto _ : state) {
    const bp::Grads grads = bp::backward(p.params, cache, p.Y);
    const double* dW1 = grads.dW1.memptr();
    benchmark::DoNotOptimize(dW1);
  }
}

void BM_TextbookEpoch(benchmark::State& state) {
  Problem p(samples(state));
  for (auto _ : state) {
    bp::EpochResult result = bp::train_epoch(p.params, p.X, p.Y, kRate, 0.0);
    benchmark::DoNotOptimize(result);
  }
  state.counters["peak_MB"] = peak_resident_mb();
}

void BM_FastForward(benchmark::State& state) {
  const Problem p(samples(state));
  bp::TrainingWorkspace workspace;
  for (auto _ : state) {
    double loss = workspace.loss(p.params, p.X, p.Y);
    benchmark::DoNotOptimize(loss);
  }
}

void BM_FastForwardBackward(benchmark::State& state) {
  const Problem p(samples(state));
  bp::TrainingWorkspace workspace;
  for (auto _ : state) {
    bp::EpochResult result = workspace.loss_and_gradients(p.params, p.X, p.Y);
    benchmark::DoNotOptimize(result);
  }
}

void BM_FastEpoch(benchmark::State& state) {
  Problem p(samples(state));
  bp::TrainingWorkspace workspace;
  for (auto _ : state) {
    bp::EpochResult result = workspace.train_epoch(p.params, p.X, p.Y, kRate, 0.0);
    benchmark::DoNotOptimize(result);
  }
  state.counters["peak_MB"] = peak_resident_mb();
}

// tanh of the 200×500 pre-activations Z1, per kernel (0 = std::tanh, then the vectorised ones).
void BM_Tanh(benchmark::State& state) {
  const Problem p(200);
  const arma::mat Z1 = p.X * p.params.W1;
  arma::mat A1(arma::size(Z1));
  const std::vector<bp::TanhKernel> kernels = bp::available_tanh_kernels();
  const auto k = static_cast<std::size_t>(state.range(0));
  if (k >= kernels.size()) {
    state.SkipWithError("this processor lacks the kernel");
    return;
  }
  state.SetLabel(bp::kernel_name(kernels[k]));
  for (auto _ : state) {
    bp::vector_tanh(Z1.memptr(), A1.memptr(), Z1.n_elem, kernels[k]);
    double* A = A1.memptr();
    benchmark::DoNotOptimize(A);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(Z1.n_elem));
}

// Chapter 09's check of all 2502 gradients against central differences (5004 losses).
void BM_GradientCheck(benchmark::State& state) {
  const Problem p(samples(state));
  for (auto _ : state) {
    bp::GradientCheck check = bp::gradient_check(bp::backward, p.params, p.X, p.Y, 1e-5, 1e-4);
    benchmark::DoNotOptimize(check.W1);
  }
}

}  // namespace

BENCHMARK(BM_Data)->Arg(200)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TextbookForward)->Arg(200)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TextbookBackward)->Arg(200)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TextbookEpoch)->Arg(200)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FastForward)->Arg(200)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FastForwardBackward)->Arg(200)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FastEpoch)->Arg(200)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Tanh)->DenseRange(0, 4)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GradientCheck)->Arg(200)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
