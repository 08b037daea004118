// Tests of chapter 13's given code (chapters/13_speed/speed.hpp): SLEEF's tanh against an exact
// reference and against std::tanh, and the fused training workspace against the textbook
// functions of the reference solutions (forward, cross_entropy, backward, train_epoch).
// No timing is asserted here: speed is measured in bench/.
//
// Tolerances.
// - tanh: SLEEF documents its `u10` functions as within 1.0 ULP of the exact result. The exact
//   result is stood in for by the x87 long double tanhl (64-bit significand: its own error of a
//   few long-double ULPs is below 1/500 of a double ULP), so the bound is 1.0 ULP + 1/256.
//   Against std::tanh the bound is 3 ULP: SLEEF's 1.0 plus glibc's documented 2 for tanh.
// - The workspace computes the textbook's numbers with the sums in another order and a tanh
//   that may differ in the last bit: each entry differs by a few rounding errors (≈ 1e-16)
//   of the gradient's scale. The bound, 1e-12 of the largest entry of each gradient (and
//   relative on the loss), leaves room for N = 1000 sums while any slip of the math (a lost
//   1/N, 1 − a for 1 − a², a missed row) moves the result by far more.
#include <gtest/gtest.h>

#include <malloc.h>

#include <armadillo>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "03_forward/forward.hpp"
#include "04_loss/loss.hpp"
#include "09_backprop/backprop.hpp"
#include "10_training/training.hpp"
#include "13_speed/speed.hpp"
#include "common/data.hpp"
#include "common/random.hpp"
#include "support/reference.hpp"

// Counting allocations: this program's malloc family is the C library's, counted. Armadillo
// allocates through posix_memalign or malloc, OpenBLAS through malloc, C++ through operator
// new (which calls malloc): every allocation of the process passes here. A sanitizer brings its
// own allocator, so under one the counting is off and the test that needs it is skipped.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BP_SANITIZED 1  // g++
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define BP_SANITIZED 1  // clang++
#endif
#endif
#if !defined(BP_SANITIZED)
#define BP_COUNT_ALLOCATIONS 1
namespace {
std::atomic<long> g_allocations{0};
}
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void* malloc(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}
void* calloc(std::size_t n, std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(n, size);
}
void* realloc(void* p, std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(p, size);
}
void* memalign(std::size_t alignment, std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_memalign(alignment, size);
}
void* aligned_alloc(std::size_t alignment, std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_memalign(alignment, size);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  void* p = __libc_memalign(alignment, size);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}
}
#endif

namespace {

using bp::TanhKernel;

// ---------------------------------------------------------------------------------------------
// The tanh kernels.

/// The size of one ULP at the exact value r: 2^(e − 53) for |r| = m 2^e, m in [0.5, 1), and
/// never below the smallest subnormal.
long double ulp_at(long double r) {
  int e = 0;
  std::frexp(r, &e);
  return std::ldexp(1.0L, std::max(e - 53, -1074));
}

/// The error of `got` in ULPs of the exact tanh(x) (stood in for by tanhl).
double ulps_from_exact(double x, double got) {
  const long double exact = std::tanh(static_cast<long double>(x));
  return static_cast<double>(std::fabs(static_cast<long double>(got) - exact) / ulp_at(exact));
}

/// Inputs over the whole range of finite doubles: a dense sweep of [−20, 20] where tanh bends,
/// magnitudes from 2^−60 to 2^10 uniform in the exponent, and random bit patterns (every
/// exponent, most of them far out where tanh is ±1 or x).
std::vector<double> sweep_inputs() {
  std::vector<double> x;
  for (int i = -400000; i <= 400000; ++i) x.push_back(i * 5e-5);
  std::mt19937_64 rng(2024);
  std::uniform_real_distribution<double> exponent(-60.0, 10.0);
  for (int i = 0; i < 400000; ++i) {
    const double m = std::exp2(exponent(rng));
    x.push_back(i % 2 == 0 ? m : -m);
  }
  for (int i = 0; i < 400000; ++i) {
    const std::uint64_t bits = rng();
    double v = 0.0;
    std::memcpy(&v, &bits, sizeof v);
    if (std::isfinite(v)) x.push_back(v);
  }
  return x;
}

std::vector<double> run_kernel(const std::vector<double>& x, TanhKernel kernel) {
  std::vector<double> a(x.size());
  bp::vector_tanh(x.data(), a.data(), x.size(), kernel);
  return a;
}

/// The worst error in ULPs of the exact tanh over `x`, and where it is.
struct WorstError {
  double ulps = 0.0;
  double at = 0.0;
};

WorstError worst_error(const std::vector<double>& x, const std::vector<double>& a) {
  WorstError worst;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double e = ulps_from_exact(x[i], a[i]);
    if (e > worst.ulps) worst = {e, x[i]};
  }
  return worst;
}

bool is_sleef(TanhKernel kernel) {
  return kernel == TanhKernel::sse2 || kernel == TanhKernel::avx2 || kernel == TanhKernel::avx512;
}

// Every vectorised kernel: SLEEF's and glibc's.
class VectorTanh : public testing::TestWithParam<TanhKernel> {};

std::vector<TanhKernel> vector_kernels() {
  std::vector<TanhKernel> k;
  for (TanhKernel kernel : bp::available_tanh_kernels())
    if (kernel != TanhKernel::standard) k.push_back(kernel);
  return k;
}

TEST_P(VectorTanh, AsAccurateAsItsLibraryPromisesOverTheWholeRange) {
  // SLEEF documents 1.0 ULP for its u10 functions: that is the bound (plus 1/256 for the
  // rounding of tanhl, the stand-in for the exact value). glibc documents its vector functions
  // only to 4 ULP, so for them the bound is the accuracy of the standard one: the worst error
  // of std::tanh itself on the same inputs, measured the same way (about 2.07 ULP here).
  const std::vector<double> x = sweep_inputs();
  const WorstError kernel = worst_error(x, run_kernel(x, GetParam()));
  if (is_sleef(GetParam())) {
    EXPECT_LE(kernel.ulps, 1.0 + 1.0 / 256)
        << "the worst error, at x = " << kernel.at << ", over " << x.size() << " inputs";
    return;
  }
  const WorstError standard = worst_error(x, run_kernel(x, TanhKernel::standard));
  EXPECT_LE(kernel.ulps, standard.ulps)
      << "the worst error, at x = " << kernel.at << ", over " << x.size()
      << " inputs; std::tanh's worst is " << standard.ulps << " ULP, at x = " << standard.at;
  EXPECT_LE(kernel.ulps, 4.0) << "glibc's documented bound";
}

TEST_P(VectorTanh, WithinFourUlpOfStdTanh) {
  // Two approximations of one number differ by at most the sum of their errors: 1.0 + 2.07 for
  // SLEEF's, and below 4 for glibc's, whose errors lie within std::tanh's (the test above).
  const std::vector<double> x = sweep_inputs();
  const std::vector<double> a = run_kernel(x, GetParam());
  double worst = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double s = std::tanh(x[i]);
    worst = std::max(
        worst, static_cast<double>(std::fabs(static_cast<long double>(a[i]) - s) / ulp_at(s)));
  }
  EXPECT_LE(worst, is_sleef(GetParam()) ? 3.0 : 4.0);
}

TEST_P(VectorTanh, SpecialValuesAsStdTanh) {
  const double inf = std::numeric_limits<double>::infinity();
  const double tiny = std::numeric_limits<double>::denorm_min();
  const std::vector<double> x = {0.0,
                                 -0.0,
                                 inf,
                                 -inf,
                                 1e300,
                                 -1e300,
                                 50.0,
                                 -50.0,
                                 1e-310,
                                 -1e-310,
                                 tiny,
                                 -tiny,
                                 1e-20,
                                 -1e-20,
                                 std::numeric_limits<double>::max(),
                                 -std::numeric_limits<double>::max()};
  const std::vector<double> a = run_kernel(x, GetParam());
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(a[i], std::tanh(x[i])) << "x = " << x[i];
    EXPECT_EQ(std::signbit(a[i]), std::signbit(x[i])) << "x = " << x[i] << ": the sign is kept";
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> n = run_kernel({nan, -nan, 1.0, nan}, GetParam());
  EXPECT_TRUE(std::isnan(n[0]));
  EXPECT_TRUE(std::isnan(n[1]));
  EXPECT_TRUE(std::isnan(n[3]));
  EXPECT_FALSE(std::isnan(n[2])) << "a NaN does not spread to its neighbours in the vector";
}

TEST_P(VectorTanh, EveryLengthAndTailSameAsTheFullVector) {
  // The last n mod 8 numbers go through a padded or masked call: the same numbers, and nothing
  // written past n.
  std::vector<double> x(40);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.37 * static_cast<double>(i) - 7.0;
  const std::vector<double> full = run_kernel(x, GetParam());
  for (std::size_t n = 0; n <= 17; ++n) {
    std::vector<double> a(n + 1, 42.0);
    bp::vector_tanh(x.data(), a.data(), n, GetParam());
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(a[i], full[i]) << "n = " << n << ", i = " << i;
    EXPECT_EQ(a[n], 42.0) << "n = " << n << ": written past the end";
  }
}

TEST_P(VectorTanh, InPlace) {
  std::vector<double> x = {-3.0, -0.5, 0.25, 1.0, 2.0, 9.0, -0.125};
  const std::vector<double> expected = run_kernel(x, GetParam());
  bp::vector_tanh(x.data(), x.data(), x.size(), GetParam());
  EXPECT_EQ(x, expected);
}

INSTANTIATE_TEST_SUITE_P(Kernels, VectorTanh, testing::ValuesIn(vector_kernels()),
                         [](const testing::TestParamInfo<TanhKernel>& kernel) {
                           switch (kernel.param) {
                             case TanhKernel::sse2: return std::string("SSE2");
                             case TanhKernel::avx2: return std::string("AVX2");
                             case TanhKernel::avx512: return std::string("AVX512");
                             case TanhKernel::glibc_avx512: return std::string("GlibcAVX512");
                             default: return std::string("standard");
                           }
                         });

TEST(Speed_Kernels, Sse2AlwaysAndBestIsLast) {
  const std::vector<TanhKernel> k = bp::available_tanh_kernels();
  ASSERT_GE(k.size(), 2u);
  EXPECT_EQ(k[0], TanhKernel::standard);
  EXPECT_EQ(k[1], TanhKernel::sse2) << "every x86-64 processor has SSE2";
  EXPECT_EQ(bp::best_tanh_kernel(), k.back());
}

TEST(Speed_Kernels, MatrixFormIsTanhActivationShape) {
  const arma::mat Z = {{-1.0, 0.0, 2.0}, {0.5, -3.0, 30.0}};
  const arma::mat A = bp::vector_tanh(Z);
  ASSERT_EQ(A.n_rows, 2u);
  ASSERT_EQ(A.n_cols, 3u);
  EXPECT_TRUE(arma::approx_equal(A, arma::tanh(Z), "absdiff", 4e-16));
}

// ---------------------------------------------------------------------------------------------
// The workspace against the textbook.

/// max |a − b| / max |b|: the distance of a from b, relative to b's largest entry.
double relative_to_largest(const arma::mat& a, const arma::mat& b) {
  return arma::abs(a - b).max() / arma::abs(b).max();
}

struct Batch {
  bp::Params params;
  arma::mat X;
  arma::mat Y;
};

/// Random parameters (biases non-zero) and a batch of N samples with D inputs and K classes.
Batch make_batch(arma::uword N, arma::uword H, arma::uword K, std::uint64_t seed,
                 arma::uword D = 2) {
  bp::Rng rng(seed);
  Batch b;
  b.params = bp::init_params(H, seed, D, K);
  b.params.b1 = bp::normal_matrix(1, H, 0.3, rng);
  b.params.b2 = bp::normal_matrix(1, K, 0.3, rng);
  b.X = bp::normal_matrix(N, D, 1.0, rng);
  std::uniform_int_distribution<arma::uword> cls(0, K - 1);
  arma::uvec labels(N);
  for (arma::uword n = 0; n < N; ++n) labels(n) = cls(rng);
  b.Y = bp::one_hot(labels, K);
  return b;
}

using Shape = std::tuple<arma::uword, arma::uword, arma::uword>;  // N, H, K

class Speed_Workspace : public testing::TestWithParam<Shape> {};

TEST_P(Speed_Workspace, GradientsAndLossAgreeWithTextbookTo1e12) {
  const auto [N, H, K] = GetParam();
  const Batch b = make_batch(N, H, K, 7 + N + H + K);
  const bp::Cache cache = bp::forward(b.params, b.X);
  const bp::Grads expected = bp::backward(b.params, cache, b.Y);
  const double loss = bp::cross_entropy_from_logits(cache.Z2, b.Y);
  const double acc = bp::accuracy(bp::predict(cache.P), bp::predict(b.Y));
  for (TanhKernel kernel : bp::available_tanh_kernels()) {
    SCOPED_TRACE(bp::kernel_name(kernel));
    bp::TrainingWorkspace ws(kernel);
    const bp::EpochResult r = ws.loss_and_gradients(b.params, b.X, b.Y);
    const bp::Grads& g = ws.grads();
    ASSERT_EQ(g.dW1.n_rows, 2u);
    ASSERT_EQ(g.dW1.n_cols, H);
    ASSERT_EQ(g.db1.n_cols, H);
    ASSERT_EQ(g.dW2.n_rows, H);
    ASSERT_EQ(g.dW2.n_cols, K);
    ASSERT_EQ(g.db2.n_cols, K);
    EXPECT_LE(relative_to_largest(g.dW1, expected.dW1), 1e-12);
    EXPECT_LE(relative_to_largest(g.db1, expected.db1), 1e-12);
    EXPECT_LE(relative_to_largest(g.dW2, expected.dW2), 1e-12);
    EXPECT_LE(relative_to_largest(g.db2, expected.db2), 1e-12);
    EXPECT_LE(std::fabs(r.loss - loss), 1e-12 * loss);
    EXPECT_EQ(r.accuracy, acc);
    EXPECT_LE(std::fabs(ws.loss(b.params, b.X, b.Y) - loss), 1e-12 * loss);
  }
}

// Around the block size (kBlockRows, 128): one row, a partial block, exactly one, one more;
// the post's network at N = 200 and 1000; three classes; a tiny hidden layer.
constexpr arma::uword kBlock = bp::TrainingWorkspace::kBlockRows;
INSTANTIATE_TEST_SUITE_P(Shapes, Speed_Workspace,
                         testing::Values(Shape{1, 500, 2}, Shape{7, 500, 2}, Shape{kBlock, 500, 2},
                                         Shape{kBlock + 1, 500, 2}, Shape{200, 500, 2},
                                         Shape{1000, 500, 2}, Shape{130, 37, 3}, Shape{50, 1, 2}));

TEST(Speed_Workspace_Blocks, EveryBlockSizeGivesTheSameGradients) {
  const Batch b = make_batch(150, 40, 2, 3);
  const bp::Grads expected = bp::backward(b.params, bp::forward(b.params, b.X), b.Y);
  for (arma::uword B : {1u, 7u, 64u, 150u, 1000u}) {
    bp::TrainingWorkspace ws(bp::best_tanh_kernel(), B);
    ws.loss_and_gradients(b.params, b.X, b.Y);
    EXPECT_LE(relative_to_largest(ws.grads().dW1, expected.dW1), 1e-12) << "B = " << B;
    EXPECT_LE(relative_to_largest(ws.grads().db1, expected.db1), 1e-12) << "B = " << B;
    EXPECT_LE(relative_to_largest(ws.grads().dW2, expected.dW2), 1e-12) << "B = " << B;
    EXPECT_LE(relative_to_largest(ws.grads().db2, expected.db2), 1e-12) << "B = " << B;
  }
}

// ---------------------------------------------------------------------------------------------
// The workspace where its fast paths end: logits of ±1000, input widths other than 2, ties.

/// max |a − b| ≤ 1e-12 max |b| (the header's bound), entry by entry finite; a block whose
/// textbook value is exactly 0 must be exactly 0 (W2 = 0 makes dW1 and db1 zero in both).
testing::AssertionResult CloseToTextbook(const std::string& name, const arma::mat& got,
                                         const arma::mat& expected) {
  if (got.n_rows != expected.n_rows || got.n_cols != expected.n_cols)
    return testing::AssertionFailure()
           << name << " is " << got.n_rows << "×" << got.n_cols << ", the textbook's "
           << expected.n_rows << "×" << expected.n_cols;
  if (!got.is_finite()) return testing::AssertionFailure() << name << " is not finite";
  const double distance = arma::abs(got - expected).max();
  const double scale = arma::abs(expected).max();
  if (!(distance <= 1e-12 * scale))
    return testing::AssertionFailure() << name << " is " << distance << " from the textbook's, "
                                       << "whose largest entry is " << scale;
  return testing::AssertionSuccess();
}

/// The workspace's loss, accuracy and four gradients on one batch against the textbook's
/// (forward, backward, evaluate, predict and accuracy of chapters 03 to 10). The loss is the
/// one bp::train_epoch and bp::evaluate report, from the logits: finite and true where a true
/// class's probability underflows to 0 (chapter 10's rule for a diverged run, which
/// bp::train(workspace, …) must apply where bp::train does, compares it with 100 ln K). The two
/// agree to 1e-12.
testing::AssertionResult AgreesWithTextbook(bp::TrainingWorkspace& ws, const Batch& b) {
  const bp::Cache cache = bp::forward(b.params, b.X);
  const bp::Grads expected = bp::backward(b.params, cache, b.Y);
  const double loss = bp::evaluate(b.params, b.X, b.Y, 0.0).loss;
  const double acc = bp::accuracy(bp::predict(cache.P), bp::predict(b.Y));
  const bp::EpochResult r = ws.loss_and_gradients(b.params, b.X, b.Y);
  const bp::Grads& g = ws.grads();
  for (const auto& check :
       {CloseToTextbook("dW1", g.dW1, expected.dW1), CloseToTextbook("db1", g.db1, expected.db1),
        CloseToTextbook("dW2", g.dW2, expected.dW2), CloseToTextbook("db2", g.db2, expected.db2)})
    if (!check) return check;
  if (!(std::fabs(r.loss - loss) <= 1e-12 * loss))
    return testing::AssertionFailure() << "the loss is " << r.loss << ", the textbook's " << loss;
  if (r.accuracy != acc)
    return testing::AssertionFailure()
           << "the accuracy is " << r.accuracy << ", the textbook's " << acc;
  const double forward_only = ws.loss(b.params, b.X, b.Y);
  if (!(forward_only == r.loss || std::fabs(forward_only - r.loss) <= 1e-12 * r.loss))
    return testing::AssertionFailure()
           << "loss() gives " << forward_only << ", loss_and_gradients() " << r.loss;
  return testing::AssertionSuccess();
}

/// The same network with W2 and b2 scaled so that the largest |logit| of the batch is `largest`.
Batch with_largest_logit(Batch b, double largest) {
  const double now = arma::abs(bp::forward(b.params, b.X).Z2).max();
  b.params.W2 *= largest / now;
  b.params.b2 *= largest / now;
  return b;
}

TEST(Speed_Workspace_ExtremeLogits, AsTextbookAtLogitsOfPlusMinus1000) {
  // Logits up to ±1000: without the shift by the row's largest logit, e^z overflows to ∞ and P
  // is ∞/∞ = NaN; with it, P − Y and every gradient are finite and exact. Random labels put
  // about half the rows on the wrong side by hundreds: a true class's probability e^(−2000)
  // underflows to 0, and cross_entropy(P, Y) is +∞. The loss the textbook reports comes from
  // the logits (log-sum-exp): finite, about 219 — the workspace's must be that one too.
  const Batch b = with_largest_logit(make_batch(200, 500, 2, 31), 1000.0);
  const bp::Cache cache = bp::forward(b.params, b.X);
  ASSERT_NEAR(arma::abs(cache.Z2).max(), 1000.0, 1e-9);
  ASSERT_FALSE(std::isfinite(bp::cross_entropy(cache.P, b.Y))) << "a true class underflows";
  ASSERT_TRUE(std::isfinite(bp::cross_entropy_from_logits(cache.Z2, b.Y)))
      << "the loss from the logits (log-sum-exp) is finite";
  for (TanhKernel kernel : bp::available_tanh_kernels()) {
    bp::TrainingWorkspace ws(kernel);
    EXPECT_TRUE(AgreesWithTextbook(ws, b)) << bp::kernel_name(kernel);
  }
}

TEST(Speed_Workspace_ExtremeLogits, FiniteLossAsTextbookWhereNoTrueClassUnderflowsAtPlusMinus1000) {
  // The same logits, with labels that keep every true class within 100 of its row's largest
  // logit: rows with a margin m ≥ 100 get their own class (they contribute ln(1 + e^(−m)), 0 in
  // double), rows with m < 100 the other one (they contribute about m). No probability of a
  // true class underflows, so the loss is finite: the textbook's, and the log-sum-exp loss of
  // the logits. The paths differ by the rounding of e^(z − max) and of its logarithm, ~1e-16
  // of each row's term (at most ~100): below 1e-12 of a loss asserted above 1e-2.
  Batch b = with_largest_logit(make_batch(200, 500, 2, 31), 1000.0);
  const bp::Cache cache = bp::forward(b.params, b.X);
  const arma::uvec largest = bp::predict(cache.P);
  const arma::vec margin = arma::abs(cache.Z2.col(1) - cache.Z2.col(0));
  arma::uvec labels = largest;
  for (arma::uword n = 0; n < labels.n_elem; ++n)
    if (margin(n) < 100.0) labels(n) = 1 - largest(n);
  b.Y = bp::one_hot(labels, 2);
  ASSERT_GT(arma::accu(labels != largest), 0u) << "some rows are wrong by less than 100";
  ASSERT_GT(arma::accu(labels == largest), 0u) << "some rows are right by 100 or more";
  const double from_logits = bp::cross_entropy_from_logits(cache.Z2, b.Y);
  ASSERT_GT(from_logits, 1e-2);
  ASSERT_TRUE(std::isfinite(bp::cross_entropy(cache.P, b.Y)));
  for (TanhKernel kernel : bp::available_tanh_kernels()) {
    SCOPED_TRACE(bp::kernel_name(kernel));
    bp::TrainingWorkspace ws(kernel);
    EXPECT_TRUE(AgreesWithTextbook(ws, b));
    const double loss = ws.loss(b.params, b.X, b.Y);
    EXPECT_LE(std::fabs(loss - from_logits), 1e-12 * from_logits)
        << loss << " against " << from_logits;
  }
}

using Widths = std::tuple<arma::uword, arma::uword, arma::uword>;  // D, K, N

class Speed_Workspace_Inputs : public testing::TestWithParam<Widths> {};

TEST_P(Speed_Workspace_Inputs, AsTextbookForAnInputWidthOtherThanTwo) {
  // The post's D = 2 has loops of its own; any other width takes the general ones: (1) adds
  // X(:, d) W1(d, h) for d = 0 … D − 1 (W1(d, h) at d + D h), (16) sums X(:, d)ᵀ dZ1(:, h)
  // into dW1(d, h). One input, three, five; two classes and three; one block, a partial one.
  const auto [D, K, N] = GetParam();
  const Batch b = make_batch(N, 40, K, 50 + D + K + N, D);
  ASSERT_EQ(b.X.n_cols, D);
  ASSERT_EQ(b.params.W1.n_rows, D);
  for (TanhKernel kernel : bp::available_tanh_kernels()) {
    bp::TrainingWorkspace ws(kernel);
    EXPECT_TRUE(AgreesWithTextbook(ws, b)) << bp::kernel_name(kernel);
  }
}

INSTANTIATE_TEST_SUITE_P(Widths, Speed_Workspace_Inputs,
                         testing::Values(Widths{1, 2, 130}, Widths{3, 2, 130}, Widths{5, 3, 130},
                                         Widths{3, 2, 1}));

TEST(Speed_Workspace_Ties, ATieGoesToTheLowestClassAsInTextbookPredict) {
  // W2 = 0: every row's logits are b2 exactly (0 times an activation adds 0), so classes with
  // equal b2 have bit-for-bit equal probabilities in both paths. bp::predict gives a tie to the
  // lowest class (arma::index_max); the workspace's accuracy must count the same class. The
  // labels are unequal in number, so that the lowest and the highest tied class give different
  // accuracies.
  struct Case {
    arma::rowvec b2;
    std::vector<arma::uword> per_class;  // how many rows of each class, in order
    double accuracy;                     // the textbook's, with the tie to the lowest class
  };
  const std::vector<Case> cases = {
      {{0.25, 0.25}, {140, 60}, 0.7},          // both tied: class 0
      {{-1.0, 0.5, 0.5}, {60, 40, 100}, 0.2},  // 1 and 2 tied above 0: class 1
      {{0.1, 0.1, 0.1}, {30, 50, 120}, 0.15},  // all three tied: class 0
  };
  for (const Case& c : cases) {
    const arma::uword K = c.b2.n_elem;
    Batch b = make_batch(200, 30, K, 61);
    b.params.W2.zeros();
    b.params.b2 = c.b2;
    arma::uvec labels(200);
    arma::uword row = 0;
    for (arma::uword k = 0; k < K; ++k)
      for (arma::uword i = 0; i < c.per_class[k]; ++i) labels(row++) = k;
    ASSERT_EQ(row, 200u);
    b.Y = bp::one_hot(labels, K);
    const bp::Cache cache = bp::forward(b.params, b.X);
    ASSERT_EQ(bp::accuracy(bp::predict(cache.P), labels), c.accuracy) << "K = " << K;
    for (TanhKernel kernel : bp::available_tanh_kernels()) {
      bp::TrainingWorkspace ws(kernel);
      EXPECT_TRUE(AgreesWithTextbook(ws, b)) << bp::kernel_name(kernel) << ", b2 = " << c.b2;
    }
  }
}

TEST(Speed_Workspace_TrainEpoch, TenEpochsAsTextbookTrainEpochWithL2) {
  const Batch b = make_batch(300, 500, 2, 11);
  bp::Params textbook = b.params;
  bp::Params fast = b.params;
  bp::TrainingWorkspace ws;
  for (int e = 0; e < 10; ++e) {
    const bp::EpochResult t = bp::train_epoch(textbook, b.X, b.Y, 0.5, 1e-3);
    const bp::EpochResult f = ws.train_epoch(fast, b.X, b.Y, 0.5, 1e-3);
    EXPECT_LE(std::fabs(f.loss - t.loss), 1e-12 * t.loss) << "epoch " << e;
    EXPECT_EQ(f.accuracy, t.accuracy) << "epoch " << e;
  }
  EXPECT_LE(relative_to_largest(fast.W1, textbook.W1), 1e-12);
  EXPECT_LE(relative_to_largest(fast.b1, textbook.b1), 1e-12);
  EXPECT_LE(relative_to_largest(fast.W2, textbook.W2), 1e-12);
  EXPECT_LE(relative_to_largest(fast.b2, textbook.b2), 1e-12);
}

TEST(Speed_Workspace_Train, SameHistoryAsTextbookTrain) {
  const Batch b = make_batch(120, 50, 2, 21);
  const bp::TrainSettings settings{30, 0.5, 1e-3};
  bp::Params textbook = b.params;
  bp::Params fast = b.params;
  const bp::History t = bp::train(textbook, b.X, b.Y, settings);
  bp::TrainingWorkspace ws;
  arma::uword calls = 0;
  const bp::History f = bp::train(ws, fast, b.X, b.Y, settings,
                                  [&](arma::uword, const bp::EpochResult&) { ++calls; });
  EXPECT_EQ(calls, 30u);
  ASSERT_EQ(f.loss.n_elem, t.loss.n_elem);
  EXPECT_EQ(f.epochs_run, t.epochs_run);
  EXPECT_EQ(f.diverged, t.diverged);
  EXPECT_LE(relative_to_largest(f.loss, t.loss), 1e-12);
  EXPECT_TRUE(arma::approx_equal(f.accuracy, t.accuracy, "absdiff", 0.0));
  EXPECT_LE(relative_to_largest(fast.W1, textbook.W1), 1e-12);
}

TEST(Speed_Workspace_Train, StopsWhereTextbookStopsWhenDiverging) {
  const Batch b = make_batch(100, 50, 2, 22);
  const bp::TrainSettings settings{60, 300.0, 0.0};
  bp::Params textbook = b.params;
  bp::Params fast = b.params;
  const bp::History t = bp::train(textbook, b.X, b.Y, settings);
  bp::TrainingWorkspace ws;
  const bp::History f = bp::train(ws, fast, b.X, b.Y, settings);
  ASSERT_TRUE(t.diverged) << "the rate is meant to make the textbook loop diverge";
  EXPECT_TRUE(f.diverged);
  EXPECT_EQ(f.epochs_run, t.epochs_run);
  EXPECT_LE(relative_to_largest(fast.W1, textbook.W1), 1e-12)
      << "the network after the last kept epoch: the step from the non-finite loss is undone";
  EXPECT_LE(relative_to_largest(fast.W2, textbook.W2), 1e-12);
}

TEST(Speed_Workspace_Memory, SteadyStateEpochAllocatesNothing) {
#if defined(BP_COUNT_ALLOCATIONS)
  const Batch b = make_batch(1000, 500, 2, 5);
  bp::Params p = b.params;
  bp::TrainingWorkspace ws;
  ws.train_epoch(p, b.X, b.Y, 0.1, 1e-4);  // the first epoch sizes the buffers
  // The counter works: one Armadillo matrix is one allocation.
  const long before_probe = g_allocations.load();
  {
    const arma::mat probe(100, 100, arma::fill::zeros);  // allocated here, freed at the brace
  }
  ASSERT_GE(g_allocations.load() - before_probe, 1) << "the allocation counter counts nothing";
  const long before = g_allocations.load();
  for (int e = 0; e < 20; ++e) ws.train_epoch(p, b.X, b.Y, 0.1, 1e-4);
  EXPECT_EQ(g_allocations.load() - before, 0) << "allocations in 20 epochs after the first";
#else
  GTEST_SKIP() << "a sanitizer replaces the allocator: allocations are not counted";
#endif
}

TEST(Speed_Workspace_Memory, TrainingLoopAllocatesNothingPerEpoch) {
#if defined(BP_COUNT_ALLOCATIONS)
  // bp::train with the workspace allocates per call (its History, the loop's copy of the
  // network), never per epoch: 40 epochs allocate as often as 20. (Both histories hold more than
  // 16 numbers, which Armadillo would keep inside the vector object without an allocation.)
  const Batch b = make_batch(1000, 500, 2, 6);
  bp::TrainingWorkspace ws;
  const auto allocations_of = [&](arma::uword epochs) {
    bp::Params p = b.params;
    const long before = g_allocations.load();
    const bp::History h = bp::train(ws, p, b.X, b.Y, {epochs, 0.1, 1e-4});
    const long used = g_allocations.load() - before;
    EXPECT_FALSE(h.diverged);
    return used;
  };
  allocations_of(1);  // sizes the workspace's buffers
  const long twenty = allocations_of(20);
  const long forty = allocations_of(40);
  EXPECT_EQ(forty, twenty) << "bp::train allocated " << twenty << " times in 20 epochs and "
                           << forty << " in 40";
#else
  GTEST_SKIP() << "a sanitizer replaces the allocator: allocations are not counted";
#endif
}

TEST(Speed_Workspace_Shapes, WrongShapesThrowNamingThem) {
  const Batch b = make_batch(10, 6, 2, 1);
  bp::TrainingWorkspace ws;
  const arma::mat X3(10, 3, arma::fill::zeros);
  EXPECT_TRUE(bp::test::ThrowsShapeErrorNaming([&] { ws.loss_and_gradients(b.params, X3, b.Y); },
                                               "10×3", "2×6"));
  const arma::mat Y9(9, 2, arma::fill::zeros);
  EXPECT_TRUE(bp::test::ThrowsShapeErrorNaming([&] { ws.loss_and_gradients(b.params, b.X, Y9); },
                                               "9×2", "10×2"));
  bp::Params p = b.params;
  p.W2.set_size(5, 2);
  const bp::Params before = p;
  EXPECT_TRUE(bp::test::ThrowsShapeErrorNaming([&] { ws.train_epoch(p, b.X, b.Y, 0.1, 0.0); },
                                               "2×6", "5×2"));
  EXPECT_TRUE(arma::approx_equal(p.W1, before.W1, "absdiff", 0.0))
      << "a failed epoch changes nothing";
  const arma::mat empty(0, 2);
  const arma::mat empty_y(0, 2);
  EXPECT_TRUE(bp::test::ThrowsShapeErrorNaming(
      [&] { ws.loss_and_gradients(b.params, empty, empty_y); }, "0×2", "2×6"));
}

}  // namespace
