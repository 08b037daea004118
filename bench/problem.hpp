// The problem every benchmark case times: a batch of N points of N(0, 1)², labelled x2 > x1
// (bp::toy_batch), and the post's network initialised as chapter 03 does, all from seed 1.
#pragma once

#include <benchmark/benchmark.h>

#include <armadillo>

#include "03_forward/forward.hpp"
#include "common/data.hpp"
#include "common/random.hpp"

namespace bench {

inline constexpr arma::uword kHidden = 500;

/// The batch and the network of one case.
struct Problem {
  arma::mat X;        // N×2
  arma::mat Y;        // N×2 one-hot
  bp::Params params;  // W1 2×H, b1 1×H, W2 H×2, b2 1×2
  explicit Problem(arma::uword N) : params(bp::init_params(kHidden, 1)) {
    bp::Rng rng(1);
    bp::toy_batch(N, rng, X, Y);
  }
};

/// A case's N, its first argument.
inline arma::uword samples(const benchmark::State& state) {
  return static_cast<arma::uword>(state.range(0));
}

}  // namespace bench
