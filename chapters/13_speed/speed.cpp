// Chapter 13: the vectorised tanh and the fused training workspace (given code).
//
// The loops over the rows of a block are written on raw column pointers: Armadillo's element
// access checks bounds on every call (the course keeps those checks on), and the shapes are
// checked once, before the loops. The reductions carry `#pragma omp simd reduction`
// (-fopenmp-simd, no threads): it lets the compiler add 8 partial sums side by side, which a
// strict left-to-right sum forbids, without -ffast-math's other licences (NaN stays NaN).
#include "13_speed/speed.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/shape.hpp"

#if defined(__x86_64__)
#include <sleef.h>
#endif

namespace bp {

#if defined(__x86_64__)
namespace detail {
// Defined in tanh_avx2.cpp and tanh_avx512.cpp, each compiled for its instruction set.
void tanh_avx2(const double* z, double* a, std::size_t n);
void tanh_avx512(const double* z, double* a, std::size_t n);
void tanh_glibc_avx512(const double* z, double* a, std::size_t n);
}  // namespace detail
#endif

namespace {

// What this processor can run, asked once.
struct Cpu {
  bool avx2 = false;
  bool avx512 = false;
  Cpu() {
#if defined(__x86_64__)
    __builtin_cpu_init();
    avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    avx512 = __builtin_cpu_supports("avx512f");
#endif
  }
};

const Cpu& cpu() {
  static const Cpu c;
  return c;
}

bool can_run(TanhKernel kernel) {
  switch (kernel) {
    case TanhKernel::standard: return true;
#if defined(__x86_64__)
    case TanhKernel::sse2: return true;
    case TanhKernel::avx2: return cpu().avx2;
    case TanhKernel::avx512: return cpu().avx512;
    case TanhKernel::glibc_avx512: return cpu().avx512;
#endif
    default: return false;
  }
}

#if defined(__x86_64__)
// SSE2 is part of x86-64: this kernel runs on every processor the course builds for.
void tanh_sse2(const double* z, double* a, std::size_t n) {
  std::size_t i = 0;
  for (; i + 2 <= n; i += 2) _mm_storeu_pd(a + i, Sleef_tanhd2_u10(_mm_loadu_pd(z + i)));
  if (i < n) a[i] = _mm_cvtsd_f64(Sleef_tanhd2_u10(_mm_set_pd(0.0, z[i])));
}
#endif

// The shape rule, with its message built only when it is broken: building it each time would
// allocate a string per epoch.
template <typename Message>
void check(bool holds, const Message& message) {
  if (!holds) throw ShapeError(message());
}

// Σ_r u[r] over n numbers.
double sum(const double* u, arma::uword n) {
  double s = 0.0;
#pragma omp simd reduction(+ : s)
  for (arma::uword r = 0; r < n; ++r) s += u[r];
  return s;
}

void check_shapes(const Params& p, const arma::mat& X, const arma::mat& Y) {
  const arma::uword H = p.W1.n_cols;
  const arma::uword K = p.W2.n_cols;
  check(H >= 1 && p.b1.n_cols == H && p.W2.n_rows == H && p.b2.n_cols == K && K >= 1, [&] {
    return "TrainingWorkspace: the parameters do not fit together: W1 " + shape_of(p.W1) + ", b1 " +
           shape_of(p.b1) + ", W2 " + shape_of(p.W2) + ", b2 " + shape_of(p.b2) +
           " (need D×H, 1×H, H×K, 1×K)";
  });
  check(X.n_rows >= 1 && X.n_cols == p.W1.n_rows, [&] {
    return "TrainingWorkspace: X is " + shape_of(X) + " but W1 is " + shape_of(p.W1) +
           ": X needs N ≥ 1 rows and one column per row of W1";
  });
  check(Y.n_rows == X.n_rows && Y.n_cols == K, [&] {
    return "TrainingWorkspace: Y is " + shape_of(Y) + " but X is " + shape_of(X) + " and W2 is " +
           shape_of(p.W2) + ": Y needs one row per sample and one column per class (N×K)";
  });
}

}  // namespace

std::string kernel_name(TanhKernel kernel) {
  switch (kernel) {
    case TanhKernel::standard: return "std::tanh";
    case TanhKernel::sse2: return "SLEEF SSE2";
    case TanhKernel::avx2: return "SLEEF AVX2";
    case TanhKernel::avx512: return "SLEEF AVX-512";
    case TanhKernel::glibc_avx512: return "glibc AVX-512";
  }
  return "unknown";
}

std::vector<TanhKernel> available_tanh_kernels() {
  std::vector<TanhKernel> kernels;
  for (TanhKernel k : {TanhKernel::standard, TanhKernel::sse2, TanhKernel::avx2, TanhKernel::avx512,
                       TanhKernel::glibc_avx512})
    if (can_run(k)) kernels.push_back(k);
  return kernels;
}

TanhKernel best_tanh_kernel() {
  static const TanhKernel best = available_tanh_kernels().back();
  return best;
}

namespace {

void tanh_standard(const double* z, double* a, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) a[i] = std::tanh(z[i]);
}

using TanhFunction = void (*)(const double* z, double* a, std::size_t n);

// The function of a kernel this processor runs (checked once per call of vector_tanh or per
// epoch, not once per column).
TanhFunction tanh_function(TanhKernel kernel, const char* who) {
  if (!can_run(kernel))
    throw std::invalid_argument(std::string(who) + ": this processor cannot run the kernel " +
                                kernel_name(kernel));
  switch (kernel) {
#if defined(__x86_64__)
    case TanhKernel::sse2: return tanh_sse2;
    case TanhKernel::avx2: return detail::tanh_avx2;
    case TanhKernel::avx512: return detail::tanh_avx512;
    case TanhKernel::glibc_avx512: return detail::tanh_glibc_avx512;
#endif
    default: return tanh_standard;
  }
}

}  // namespace

void vector_tanh(const double* z, double* a, std::size_t n, TanhKernel kernel) {
  tanh_function(kernel, "vector_tanh")(z, a, n);
}

arma::mat vector_tanh(const arma::mat& Z) {
  arma::mat A(arma::size(Z));
  vector_tanh(Z.memptr(), A.memptr(), Z.n_elem, best_tanh_kernel());
  return A;
}

TrainingWorkspace::TrainingWorkspace(TanhKernel kernel, arma::uword block_rows)
    : kernel_(kernel), block_rows_(block_rows) {
  if (!can_run(kernel))
    throw std::invalid_argument("TrainingWorkspace: this processor cannot run the kernel " +
                                kernel_name(kernel));
  if (block_rows == 0) throw std::invalid_argument("TrainingWorkspace: block_rows must be ≥ 1");
}

// The block loops, compiled three times: for AVX-512 (x86-64-v4), for AVX2 (x86-64-v3) and for
// any x86-64; the program picks the one its processor runs when it starts. They read and write
// raw columns: X's block is rows r0 … r0 + n − 1 of each column of X (N apart), the block's
// buffers have n rows (column j of A starts at A + n j).
#if defined(__x86_64__) && defined(__GNUC__)
#define BP_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define BP_CLONES
#endif

namespace {

// (1), (2), (3) for one block, column h of A at a time: A(:, h) = tanh(X_b W1(:, h) + b1(h)),
// then Z2 += A(:, h) W2(h, :). A column (n numbers) stays in the first-level cache from its
// pre-activation to its share of the logits.
//   X   n×D of the N×D batch (column d at X + N d)    W1 D×H    b1 1×H    W2 H×K    b2 1×K
//   A   out: n×H  the block's A1                        Z2 out: n×K  the block's logits
BP_CLONES void forward_block(const double* X, arma::uword N, arma::uword D, arma::uword n,
                             const double* W1, const double* b1, arma::uword H, const double* W2,
                             const double* b2, arma::uword K, TanhFunction tanh_n, double* A,
                             double* Z2) {
  for (arma::uword k = 0; k < K; ++k)
    for (arma::uword r = 0; r < n; ++r) Z2[r + n * k] = b2[k];
  for (arma::uword h = 0; h < H; ++h) {
    double* a = A + n * h;
    const double b = b1[h];
    if (D == 2) {  // the post's network: one pass
      const double w0 = W1[2 * h], w1 = W1[2 * h + 1];
      const double* x0 = X;
      const double* x1 = X + N;
      for (arma::uword r = 0; r < n; ++r) a[r] = x0[r] * w0 + x1[r] * w1 + b;  // (1)
    } else {
      for (arma::uword r = 0; r < n; ++r) a[r] = b;
      for (arma::uword d = 0; d < D; ++d) {
        const double* xd = X + N * d;
        const double w = W1[d + D * h];
        for (arma::uword r = 0; r < n; ++r) a[r] += xd[r] * w;  // (1)
      }
    }
    tanh_n(a, a, n);  // (2) A1 = tanh(Z1), in place
    if (K == 2) {     // the post's network: both logits in one pass
      const double w0 = W2[h], w1 = W2[h + H];
      double* z0 = Z2;
      double* z1 = Z2 + n;
      for (arma::uword r = 0; r < n; ++r) {
        z0[r] += a[r] * w0;  // (3)
        z1[r] += a[r] * w1;
      }
    } else {
      for (arma::uword k = 0; k < K; ++k) {
        double* z = Z2 + n * k;
        const double w = W2[h + H * k];
        for (arma::uword r = 0; r < n; ++r) z[r] += a[r] * w;  // (3)
      }
    }
  }
}

// (10), (11), (14), (16), (17) for one block, column h of A at a time: g = dZ1(:, h) is made
// and used while A(:, h) is in the cache; each gradient gets the block's share added.
//   X   n×D of the N×D batch (column d at X + N d)    A n×H    W2 H×K    dZ2 n×K
//   g   room for n numbers    dW1 D×H    db1 1×H    dW2 H×K   (added to)
BP_CLONES void hidden_backward(const double* X, arma::uword N, arma::uword D, arma::uword n,
                               const double* A, arma::uword H, const double* W2, const double* dZ2,
                               arma::uword K, double* g, double* dW1, double* db1, double* dW2) {
  if (D == 2 && K == 2) {  // the post's network: one pass per column, g never stored
    const double* x0 = X;
    const double* x1 = X + N;
    const double* dz0 = dZ2;
    const double* dz1 = dZ2 + n;
    for (arma::uword h = 0; h < H; ++h) {
      const double* a = A + n * h;
      const double w0 = W2[h], w1 = W2[h + H];
      double sw0 = 0.0, sw1 = 0.0, sx0 = 0.0, sx1 = 0.0, sb = 0.0;
#pragma omp simd reduction(+ : sw0, sw1, sx0, sx1, sb)
      for (arma::uword r = 0; r < n; ++r) {
        const double gr = (dz0[r] * w0 + dz1[r] * w1) * (1.0 - a[r] * a[r]);  // (10), (11)
        sw0 += a[r] * dz0[r];                                                 // (14)
        sw1 += a[r] * dz1[r];
        sx0 += x0[r] * gr;  // (16)
        sx1 += x1[r] * gr;
        sb += gr;  // (17)
      }
      dW2[h] += sw0;
      dW2[h + H] += sw1;
      dW1[2 * h] += sx0;
      dW1[2 * h + 1] += sx1;
      db1[h] += sb;
    }
    return;
  }
  for (arma::uword h = 0; h < H; ++h) {
    const double* a = A + n * h;
    for (arma::uword r = 0; r < n; ++r) g[r] = 0.0;
    for (arma::uword k = 0; k < K; ++k) {
      const double* dz2 = dZ2 + n * k;
      const double w = W2[h + H * k];
      double s = 0.0;
#pragma omp simd reduction(+ : s)
      for (arma::uword r = 0; r < n; ++r) {
        g[r] += dz2[r] * w;  // (10) dA1 = dZ2 W2ᵀ
        s += a[r] * dz2[r];  // (14) dW2 = A1ᵀ dZ2
      }
      dW2[h + H * k] += s;
    }
    double sb = 0.0;
#pragma omp simd reduction(+ : sb)
    for (arma::uword r = 0; r < n; ++r) {
      g[r] *= 1.0 - a[r] * a[r];  // (11) dZ1 = dA1 ⊙ (1 − A1²)
      sb += g[r];                 // (17) db1 = Σ_rows dZ1
    }
    db1[h] += sb;
    for (arma::uword d = 0; d < D; ++d) {
      const double* xd = X + N * d;
      double s = 0.0;
#pragma omp simd reduction(+ : s)
      for (arma::uword r = 0; r < n; ++r) s += xd[r] * g[r];  // (16) dW1 = Xᵀ dZ1
      dW1[d + D * h] += s;
    }
  }
}

}  // namespace

// [run]
EpochResult TrainingWorkspace::run(const Params& p, const arma::mat& X, const arma::mat& Y,
                                   bool gradients) {
  check_shapes(p, X, Y);
  const arma::uword N = X.n_rows, D = X.n_cols, H = p.W1.n_cols, K = p.W2.n_cols;
  const arma::uword B = std::min(block_rows_, N);
  // set_size keeps the memory when the shape is unchanged: no allocation after the first call.
  // A block of n ≤ B rows uses the first n·H numbers of A_ as an n×H matrix.
  A_.set_size(B, H);
  Z2_.set_size(B, K);
  dZ2_.set_size(B, K);
  g_.set_size(B);
  if (gradients) {
    grads_.dW1.zeros(D, H);
    grads_.db1.zeros(H);
    grads_.dW2.zeros(H, K);
    grads_.db2.zeros(K);
  }
  const TanhFunction tanh_n = tanh_function(kernel_, "TrainingWorkspace");
  const double inv_N = 1.0 / static_cast<double>(N);
  double loss_sum = 0.0;
  arma::uword correct = 0;

  for (arma::uword r0 = 0; r0 < N; r0 += B) {
    const arma::uword n = std::min(B, N - r0);  // rows r0 … r0 + n − 1 of X
    double* A = A_.memptr();                    // n×H
    double* Z2 = Z2_.memptr();                  // n×K: the logits, then P
    double* dZ2 = dZ2_.memptr();                // n×K

    forward_block(X.memptr() + r0, N, D, n, p.W1.memptr(), p.b1.memptr(), H, p.W2.memptr(),
                  p.b2.memptr(), K, tanh_n, A, Z2);  // (1), (2), (3)

    // Row by row: (4) softmax, (5) the loss from the logits, the prediction, and (7)
    // dZ2 = (P − Y)/N. dZ2 holds S = Z2 − max until it is overwritten: ln P = S − ln Σ e^S is
    // finite where P underflows to 0, as in cross_entropy_from_logits.
    for (arma::uword r = 0; r < n; ++r) {
      double top = -arma::datum::inf;
      for (arma::uword k = 0; k < K; ++k) top = std::max(top, Z2[r + n * k]);
      double total = 0.0;
      for (arma::uword k = 0; k < K; ++k) {
        dZ2[r + n * k] = Z2[r + n * k] - top;
        total += (Z2[r + n * k] = std::exp(dZ2[r + n * k]));
      }
      const double log_total = std::log(total);
      arma::uword predicted = 0, label = 0;
      for (arma::uword k = 0; k < K; ++k) {
        const double P = Z2[r + n * k] /= total;
        const double y = Y(r0 + r, k);
        loss_sum += y * (dZ2[r + n * k] - log_total);
        if (P > Z2[r + n * predicted]) predicted = k;  // the first largest, as arma::index_max
        if (y > Y(r0 + r, label)) label = k;
        dZ2[r + n * k] = (P - y) * inv_N;
      }
      correct += predicted == label ? 1 : 0;
    }
    if (!gradients) continue;

    for (arma::uword k = 0; k < K; ++k) grads_.db2(k) += sum(dZ2 + n * k, n);  // (15)
    hidden_backward(X.memptr() + r0, N, D, n, A, H, p.W2.memptr(), dZ2, K, g_.memptr(),
                    grads_.dW1.memptr(), grads_.db1.memptr(), grads_.dW2.memptr());
  }
  return {-loss_sum * inv_N, static_cast<double>(correct) / static_cast<double>(N)};
}
// [run]

EpochResult TrainingWorkspace::loss_and_gradients(const Params& params, const arma::mat& X,
                                                  const arma::mat& Y) {
  return run(params, X, Y, true);
}

double TrainingWorkspace::loss(const Params& params, const arma::mat& X, const arma::mat& Y) {
  return run(params, X, Y, false).loss;
}

// [train_epoch]
EpochResult TrainingWorkspace::train_epoch(Params& params, const arma::mat& X, const arma::mat& Y,
                                           double rate, double lambda) {
  EpochResult result = run(params, X, Y, true);
  // The L2 penalty and its gradient, as l2_penalty and add_l2_gradient (chapter 10).
  result.loss +=
      0.5 * lambda * (arma::accu(arma::square(params.W1)) + arma::accu(arma::square(params.W2)));
  if (lambda != 0.0) {
    grads_.dW1 += lambda * params.W1;
    grads_.dW2 += lambda * params.W2;
  }
  // The step θ ← θ − η g, as gradient_step: in place, each parameter once.
  params.W1 -= rate * grads_.dW1;
  params.b1 -= rate * grads_.db1;
  params.W2 -= rate * grads_.dW2;
  params.b2 -= rate * grads_.db2;
  return result;
}
// [train_epoch]

EpochResult TrainingWorkspace::evaluate(const Params& params, const arma::mat& X,
                                        const arma::mat& Y, double lambda) {
  EpochResult result = run(params, X, Y, false);
  result.loss +=
      0.5 * lambda * (arma::accu(arma::square(params.W1)) + arma::accu(arma::square(params.W2)));
  return result;
}

History train(TrainingWorkspace& workspace, Params& params, const arma::mat& X, const arma::mat& Y,
              const TrainSettings& settings, const Progress& progress) {
  // bp::train's loop (chapter 10), with the workspace's epoch.
  return train_loop(
      params, settings.epochs,
      [&](Params& p) { return workspace.train_epoch(p, X, Y, settings.rate, settings.lambda); },
      [&](const Params& p) { return workspace.evaluate(p, X, Y, settings.lambda); }, progress);
}

}  // namespace bp
