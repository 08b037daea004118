// Benchmarks of chapter 14's tape against chapter 09's hand-written backward pass, on the
// post's network (H = 500, double, one thread), with the reference solutions.
//
//   build/bin/bench_autodiff                               every case
//   build/bin/bench_autodiff --benchmark_filter=Backward   the two backward passes
//
// BM_HandBackward: bp::backward(params, cache, Y), the cache computed once outside the loop.
// BM_TapeBackward: Tape::backward on one recorded tape (it zeroes every gradient first, so every
// call does the same work). BM_HandForward and BM_TapeRecord: bp::forward against recording
// the same forward pass on a fresh tape. No timing is asserted anywhere: bench/README.md holds
// the measured numbers.
#include <benchmark/benchmark.h>

#include <armadillo>

#include "03_forward/forward.hpp"
#include "09_backprop/backprop.hpp"
#include "14_autodiff/autodiff.hpp"
#include "common/data.hpp"
#include "common/random.hpp"
#include "problem.hpp"

namespace {

using bench::Problem;
using bench::samples;

void BM_HandBackward(benchmark::State& state) {
  const Problem p(samples(state));
  const bp::Cache cache = bp::forward(p.params, p.X);
  for (auto _ : state) {
    bp::Grads g = bp::backward(p.params, cache, p.Y);
    double* result = g.dW1.memptr();
    benchmark::DoNotOptimize(result);
    benchmark::ClobberMemory();
  }
}

void BM_TapeBackward(benchmark::State& state) {
  const Problem p(samples(state));
  bp::PostsTape posts = bp::record_posts_network(p.params, p.X, p.Y);
  for (auto _ : state) {
    posts.tape.backward(posts.L);
    benchmark::ClobberMemory();
  }
}

void BM_HandForward(benchmark::State& state) {
  const Problem p(samples(state));
  for (auto _ : state) {
    bp::Cache cache = bp::forward(p.params, p.X);
    double* result = cache.P.memptr();
    benchmark::DoNotOptimize(result);
    benchmark::ClobberMemory();
  }
}

void BM_TapeRecord(benchmark::State& state) {
  const Problem p(samples(state));
  for (auto _ : state) {
    bp::PostsTape posts = bp::record_posts_network(p.params, p.X, p.Y);
    double loss = posts.tape.nodes.back().value(0, 0);
    benchmark::DoNotOptimize(loss);
  }
}

}  // namespace

BENCHMARK(BM_HandBackward)->Arg(200)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TapeBackward)->Arg(200)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_HandForward)->Arg(200)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TapeRecord)->Arg(200)->Arg(1000)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
