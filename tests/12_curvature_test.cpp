// Chapter 12 tests: curvature — Hessian-vector products, the full Hessian, power iteration, and
// the step-size limit 2/λmax.
//
// Exercise 12.1 -> suite Curvature_HessianVectorProduct, 12.2 -> Curvature_Hessian,
// 12.3 -> Curvature_PowerIteration (chapters/exercises.txt holds the map). The first call of every
// test is a call of the function under test, so an unfinished exercise fails each of its tests
// with its own ExerciseNotDone. No test of one exercise calls another exercise.
//
// What is trusted. Two kinds of loss with a Hessian the test knows:
//   - quadratics L(θ) = ½ θᵀAθ + bᵀθ, gradient Aθ + b, Hessian A = Q diag(λ) Qᵀ with the
//     eigenvalues λ chosen here and Q orthogonal (from a seeded QR);
//   - small networks of tests/support/reference (plain Armadillo): their gradient is the
//     reference backward pass, flattened by the given bp::flatten (tested on its own in
//     tests/curvature_given_test.cpp); their Hessian is the trusted Jacobian of that gradient,
//     bp::test::numerical_jacobian, and its output-layer block is known in closed form.
//
// Tolerances. A Hessian from central differences of a gradient carries chapter 05's two errors,
// one derivative higher: truncation ε²|∇³g|/6 and rounding δ/ε, where δ is the rounding error
// of one gradient entry (a few ulps of the sums that make it, ~1e-16 for these networks, ~1e-15
// for the quadratics whose gradient entries are ~10). At ε = kHessianStep = 1e-5 both are
// ~1e-11..1e-10 absolute. Measured on the first test network (D=2 H=3 K=2 N=4): the Hessian is
// symmetric to 1.7e-10 of its largest entry (0.32) and within 1.2e-10 of a Richardson
// extrapolation (4 H(1e-4) − H(2e-4)) / 3, whose ε² terms cancel; at ε = 1e-3, 1e-4, 1e-6, 1e-7
// the asymmetry is 1.7e-6, 1.7e-8, 1.7e-10, 1.5e-9 (truncation falls as ε², rounding rises as
// 1/ε). The quadratic below is reproduced to 2.1e-11, its eigenvalues to 1.6e-11. So:
//   - quadratics (no truncation: the gradient is affine): 1e-8 absolute on entries up to ~10,
//     and eigenvalues to 1e-8 (Weyl: an eigenvalue moves by at most the 2-norm of the error,
//     ≤ n · max|error| ≈ 1e-10 here);
//   - network Hessians against the trusted Jacobian: bp::test's relative error with floor,
//     kTolerance = 1e-6 (chapter 05's), four orders above the measured 1e-10;
//   - symmetry: max|H − Hᵀ| ≤ 1e-8 · max|H|, sixty times the measured 1.7e-10; a forward
//     difference, whose O(ε) error is ~1e-5 here, fails it.
// A wrong sign gives −Hv, a missing 1/2 gives 2Hv, a forward difference errors of order ε:
// each is off by far more than these tolerances.
#include <gtest/gtest.h>

#include <armadillo>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "12_curvature/curvature.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"
#include "support/gradcheck.hpp"
#include "support/reference.hpp"

namespace {

using bp::test::EntriesNear;
using bp::test::Example;
using bp::test::HasShape;
using bp::test::Network;
using bp::test::show;
using bp::test::ThrowsShapeErrorNaming;

// L(θ) = ½ θᵀAθ + bᵀθ with A = Q diag(eigenvalues) Qᵀ, Q a seeded random orthogonal matrix.
struct Quadratic {
  arma::mat A;            // n×n, symmetric, the Hessian everywhere
  arma::vec b;            // n
  arma::vec eigenvalues;  // n, as given
  arma::mat Q;            // n×n, column i the eigenvector of eigenvalues(i)

  bp::GradientFunction gradient() const {
    return [A = A, b = b](const arma::vec& theta) { return arma::vec(A * theta + b); };
  }
  bp::LossFunction loss() const {
    return [A = A, b = b](const arma::vec& theta) {
      return 0.5 * arma::dot(theta, A * theta) + arma::dot(b, theta);
    };
  }
  bp::LinearMap multiply() const {
    return [A = A](const arma::vec& v) { return arma::vec(A * v); };
  }
};

Quadratic make_quadratic(const arma::vec& eigenvalues, std::uint64_t seed) {
  bp::Rng rng(seed);
  const arma::uword n = eigenvalues.n_elem;
  arma::mat Q, R;
  arma::qr_econ(Q, R, bp::normal_matrix(n, n, 1.0, rng));
  Quadratic q;
  q.Q = Q;
  q.eigenvalues = eigenvalues;
  q.A = Q * arma::diagmat(eigenvalues) * Q.t();
  q.A = 0.5 * (q.A + q.A.t());  // symmetric to the last bit
  q.b = arma::vec(bp::normal_matrix(n, 1, 1.0, rng));
  return q;
}

// "A with eigenvalues [10 6 3]", for messages: what a test's quadratic is.
std::string described(const Quadratic& q) {
  return "A with eigenvalues " + show(q.eigenvalues.t());
}

arma::vec random_vector(arma::uword n, double norm, std::uint64_t seed) {
  bp::Rng rng(seed);
  arma::vec v = bp::normal_matrix(n, 1, 1.0, rng);
  return v * (norm / arma::norm(v));
}

// The network of `net` with its parameters flattened, and its trusted gradient: the reference
// forward and backward passes of tests/support, never the learner's.
struct FlatNetwork {
  Network net;
  Example example;
  arma::vec theta;

  bp::GradientFunction gradient() const {
    return [net = net, X = example.X, Y = example.Y](const arma::vec& point) {
      const bp::Params p = bp::unflatten(point, net.hidden, net.inputs, net.classes);
      return bp::flatten(bp::test::reference_backward(p, bp::test::reference_forward(p, X), Y));
    };
  }
  // The trusted Hessian: the Jacobian of the trusted gradient, column by column.
  arma::mat hessian() const {
    const bp::GradientFunction g = gradient();
    const auto as_matrix = [&g](const arma::mat& point) { return arma::mat(g(arma::vec(point))); };
    return bp::test::numerical_jacobian(as_matrix, arma::mat(theta), bp::kHessianStep);
  }
  // Its product with v by one central difference of the trusted gradient.
  bp::LinearMap hessian_times() const {
    return [g = gradient(), point = theta](const arma::vec& v) {
      return arma::vec((g(point + bp::kHessianStep * v) - g(point - bp::kHessianStep * v)) /
                       (2.0 * bp::kHessianStep));
    };
  }
};

FlatNetwork make_network(const Network& net) {
  FlatNetwork f{net, bp::test::make_example(net), {}};
  f.theta = bp::flatten(f.example.params);
  return f;
}

// Two of the support's small networks: the post's D = K = 2 with H = 3 (n = 17), and three
// inputs and three classes (n = 31).
std::vector<Network> test_networks() {
  return {bp::test::small_networks()[0], bp::test::small_networks()[2]};
}

// The largest |difference| between two matrices of the same shape.
double max_difference(const arma::mat& a, const arma::mat& b) { return arma::abs(a - b).max(); }

// ---------------------------------------------------------------------------------------------
// Exercise 12.1: H(θ) v ≈ (∇L(θ + εv) − ∇L(θ − εv)) / 2ε.

TEST(Curvature_HessianVectorProduct, ChecksTheLengths) {
  const Quadratic q = make_quadratic({3.0, 2.0, 1.0, 0.5, 0.25}, 1);
  const arma::vec theta = random_vector(5, 1.0, 2);
  const arma::vec Hv = bp::hessian_vector_product(q.gradient(), theta, random_vector(5, 1.0, 3));
  ASSERT_TRUE(HasShape(
      Hv, 5, 1, "hessian_vector_product(the gradient of " + described(q) + ", θ 5×1, v 5×1)"));
  // A direction of 4 entries for 5 parameters; a gradient that returns 3 entries for 5.
  EXPECT_TRUE(ThrowsShapeErrorNaming(
      [&] { bp::hessian_vector_product(q.gradient(), theta, arma::vec(4, arma::fill::ones)); },
      "4×1", "5×1"));
  const bp::GradientFunction short_gradient = [](const arma::vec& t) {
    return arma::vec(t.head(3));
  };
  EXPECT_TRUE(ThrowsShapeErrorNaming(
      [&] { bp::hessian_vector_product(short_gradient, theta, random_vector(5, 1.0, 3)); }, "3×1",
      "5×1"));
}

TEST(Curvature_HessianVectorProduct, IsExactOnAQuadratic) {
  // The gradient Aθ + b is affine: its central difference has no truncation error at all, and
  // H v = A v up to rounding (about 1e-11 here; 1e-8 allowed, see the top of the file). Also
  // for a step of 0.5, to 1e-12: nothing depends on ε being small.
  const Quadratic q = make_quadratic({5.0, 2.0, 1.0, -0.5, -3.0, 0.1}, 4);
  const arma::vec theta = random_vector(6, 2.0, 5);
  for (std::uint64_t seed = 6; seed < 9; ++seed) {
    const arma::vec v = random_vector(6, 1.0, seed);
    const arma::vec Hv = bp::hessian_vector_product(q.gradient(), theta, v);
    SCOPED_TRACE("hessian_vector_product(the gradient Aθ + b, " + described(q) +
                 ", θ = " + show(theta) + ", v = " + show(v) + ")");
    ASSERT_TRUE(HasShape(Hv, 6, 1, "H v"));
    EXPECT_LT(max_difference(Hv, q.A * v), 1e-8) << "H v for v number " << seed;
    EXPECT_LT(max_difference(bp::hessian_vector_product(q.gradient(), theta, v, 0.5), q.A * v),
              1e-12)
        << "a step of 0.5, v number " << seed;
  }
}

// [hvp-central-test]
TEST(Curvature_HessianVectorProduct, IsCentralWithErrorEpsilonSquared) {
  // L(θ) = Σ θ_i⁴ / 4: g = θ³ entry by entry, H = diag(3θ²). One central difference gives
  //   ((θ + εv)³ − (θ − εv)³) / 2ε = 3θ²v + ε²v³,
  // exactly the O(ε²) truncation of chapter 05. With θ, v and ε short binary fractions every
  // number here is exact in double, so the comparison is to 1e-14. A forward difference adds
  // 3θεv²; a wrong sign or a missing 1/2 gives −H v or 2 H v.
  const bp::GradientFunction cube = [](const arma::vec& t) { return arma::vec(arma::pow(t, 3)); };
  const arma::vec theta = {0.5, -1.25, 2.0, 0.75};
  const arma::vec v = {1.0, 0.5, -0.25, -1.5};
  const double step = 0.125;
  const arma::vec Hv = bp::hessian_vector_product(cube, theta, v, step);
  SCOPED_TRACE("hessian_vector_product(the gradient θ³, θ = " + show(theta) + ", v = " + show(v) +
               ")");
  ASSERT_TRUE(HasShape(Hv, 4, 1, "H v"));
  const arma::vec exact = 3.0 * arma::square(theta) % v;
  const arma::vec truncation = step * step * arma::pow(v, 3);
  EXPECT_LT(max_difference(Hv, exact + truncation), 1e-14)
      << "expected H v + ε² v³ = " << (exact + truncation).t() << "got " << Hv.t();
  // At the course's step the truncation is 1e-10 v³: H v to 1e-9.
  EXPECT_TRUE(EntriesNear(bp::hessian_vector_product(cube, theta, v), exact, 1e-9,
                          "H v at the step kHessianStep"));
}
// [hvp-central-test]

TEST(Curvature_HessianVectorProduct, MatchesTheNetworksHessianTimesV) {
  // On small networks, H v against the trusted full Hessian (the Jacobian of the trusted
  // gradient) times v, along three random unit directions: the same quantity by two routes of
  // central differences, each good to ~1e-10 (top of the file), compared to kTolerance.
  for (const Network& net : test_networks()) {
    const FlatNetwork f = make_network(net);
    const arma::mat trusted = f.hessian();
    for (std::uint64_t seed = 20; seed < 23; ++seed) {
      const arma::vec v = random_vector(f.theta.n_elem, 1.0, seed);
      const arma::vec Hv = bp::hessian_vector_product(f.gradient(), f.theta, v);
      ASSERT_EQ(Hv.n_elem, f.theta.n_elem) << net.name();
      const arma::vec expected = trusted * v;
      EXPECT_LT(bp::test::max_relative_error(Hv, expected), bp::test::kTolerance)
          << net.name() << ", direction " << seed;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Exercise 12.2: H = [H e_1, ..., H e_n].

TEST(Curvature_Hessian, IsNByN) {
  const Quadratic q = make_quadratic({2.0, 1.0, 0.5}, 30);
  const arma::mat H = bp::hessian(q.gradient(), random_vector(3, 1.0, 31));
  ASSERT_TRUE(HasShape(H, 3, 3, "hessian(the gradient of " + described(q) + ", θ 3×1)"));
  EXPECT_THROW(bp::hessian(q.gradient(), arma::vec()), bp::ShapeError)
      << "no parameters: no Hessian";
}

TEST(Curvature_Hessian, RecoversAKnownHessianAndItsExactEigenvalues) {
  // The quadratic's Hessian is A everywhere, with the eigenvalues chosen here (both signs, one
  // zero). H to 1e-8 entry by entry; then LAPACK's symmetric eigensolver (eig_sym, ascending)
  // on the symmetric part gives the chosen eigenvalues to 1e-8.
  const arma::vec eigenvalues = {6.0, 3.0, 1.0, 0.25, 0.0, -0.5, -2.0};
  const Quadratic q = make_quadratic(eigenvalues, 32);
  const arma::mat H = bp::hessian(q.gradient(), random_vector(7, 3.0, 33));
  SCOPED_TRACE("hessian(the gradient Aθ + b, " + described(q) + ", θ 7×1 of seed 33)");
  ASSERT_TRUE(HasShape(H, 7, 7, "H"));
  EXPECT_TRUE(EntriesNear(H, q.A, 1e-8, "H against A"));
  arma::vec computed;
  ASSERT_TRUE(arma::eig_sym(computed, arma::mat(0.5 * (H + H.t()))))
      << "LAPACK's eig_sym failed on (H + Hᵀ)/2";
  EXPECT_LT(max_difference(computed, arma::sort(eigenvalues)), 1e-8)
      << "eig_sym gives " << computed.t();
}

TEST(Curvature_Hessian, IsSymmetricOnANetwork) {
  // ∂²L/∂θi∂θj = ∂²L/∂θj∂θi: column j of the computed H comes from nudging θj, row j from
  // nudging every other parameter, and the two agree up to the error of the differences. Here
  // max|H − Hᵀ| ≤ 1e-8 max|H| (sixty times the measured 1.7e-10); a forward difference, with
  // errors of order ε = 1e-5, fails this.
  for (const Network& net : test_networks()) {
    const FlatNetwork f = make_network(net);
    const arma::mat H = bp::hessian(f.gradient(), f.theta);
    ASSERT_EQ(H.n_rows, f.theta.n_elem) << net.name();
    ASSERT_EQ(H.n_cols, f.theta.n_elem) << net.name();
    EXPECT_LT(bp::asymmetry(H), 1e-8) << net.name();
    EXPECT_GT(arma::abs(H).max(), 1e-3) << net.name() << ": a Hessian of zeros is symmetric too";
  }
}

TEST(Curvature_Hessian, MatchesTheTrustedJacobianOfTheGradient) {
  // Every entry against the trusted Hessian, to chapter 05's kTolerance with its floor.
  for (const Network& net : test_networks()) {
    const FlatNetwork f = make_network(net);
    const arma::mat H = bp::hessian(f.gradient(), f.theta);
    ASSERT_EQ(H.n_rows, f.theta.n_elem) << net.name();
    ASSERT_EQ(H.n_cols, f.theta.n_elem) << net.name();
    EXPECT_LT(bp::test::max_relative_error(H, f.hessian()), bp::test::kTolerance) << net.name();
  }
}

TEST(Curvature_Hessian, OutputLayerBlockMatchesItsClosedForm) {
  // Z2 = A1 W2 + 1 b2 is linear in W2 and b2, so their block of the Hessian has no tanh'' in it:
  //   ∂²L/∂W2[h,k] ∂W2[h',k'] = (1/N) Σ_n a_nh a_nh' (p_nk δ_kk' − p_nk p_nk'),
  // with a_n = A1's row n and, for b2, a = 1 (the softmax Jacobian of chapter 06 between two
  // rows of A1). An exact reference for that block, independent of any difference; the
  // differences are good to ~1e-10 absolute, so 1e-8.
  for (const Network& net : test_networks()) {
    const FlatNetwork f = make_network(net);
    const arma::mat H = bp::hessian(f.gradient(), f.theta);
    ASSERT_EQ(H.n_rows, f.theta.n_elem) << net.name();
    const arma::uword D = net.inputs, Hd = net.hidden, K = net.classes, N = net.samples;
    const arma::mat& A1 = f.example.cache.A1;
    const arma::mat& P = f.example.cache.P;
    // The output layer's inputs with a 1 for the bias: column h < H is A1's, column H is 1.
    const arma::mat inputs = arma::join_rows(A1, arma::ones(N));
    // Flat index of W2[h,k] (h < H) or b2[k] (h = H): after W1 (DH) and b1 (H), vec(W2), b2.
    const auto index = [&](arma::uword h, arma::uword k) {
      return h < Hd ? D * Hd + Hd + h + Hd * k : D * Hd + Hd + Hd * K + k;
    };
    double worst = 0.0;
    for (arma::uword h = 0; h <= Hd; ++h)
      for (arma::uword k = 0; k < K; ++k)
        for (arma::uword h2 = 0; h2 <= Hd; ++h2)
          for (arma::uword k2 = 0; k2 < K; ++k2) {
            double exact = 0.0;
            for (arma::uword s = 0; s < N; ++s)
              exact += inputs(s, h) * inputs(s, h2) *
                       (P(s, k) * (k == k2 ? 1.0 : 0.0) - P(s, k) * P(s, k2));
            exact /= static_cast<double>(N);
            worst = std::max(worst, std::abs(H(index(h, k), index(h2, k2)) - exact));
          }
    EXPECT_LT(worst, 1e-8) << net.name();
  }
}

// ---------------------------------------------------------------------------------------------
// Exercise 12.3: power iteration, v ← A v / ‖A v‖, λ = vᵀ A v.

TEST(Curvature_PowerIteration, ChecksTheDimension) {
  const Quadratic q = make_quadratic({4.0, 1.0, 0.5, 0.25}, 40);
  const bp::PowerIteration result = bp::power_iteration(q.multiply(), 4, 41);
  ASSERT_TRUE(HasShape(
      result.eigenvector, 4, 1,
      "the eigenvector of power_iteration(v ↦ A v, n = 4, seed 41), " + described(q) + ","));
  EXPECT_THROW(bp::power_iteration(q.multiply(), 0, 41), bp::ShapeError) << "n = 0";
  const bp::LinearMap short_product = [](const arma::vec& v) { return arma::vec(v.head(3)); };
  EXPECT_TRUE(
      ThrowsShapeErrorNaming([&] { bp::power_iteration(short_product, 4, 41); }, "3×1", "4×1"));
}

TEST(Curvature_PowerIteration, FindsTheLargestEigenvalueAndItsEigenvector) {
  // Eigenvalues 10, 6, ...: the error of v shrinks by 6/10 per product, so a residual of 1e-10
  // takes about 45 products. The Rayleigh quotient's error is then the residual squared over
  // the gap (1e-18), so λ is right to rounding; v = ±q1 to 1e-9.
  const Quadratic q = make_quadratic({10.0, 6.0, 3.0, 1.0, 0.5, -2.0}, 42);
  const bp::PowerIteration result = bp::power_iteration(q.multiply(), 6, 43, 1000, 1e-10);
  SCOPED_TRACE("power_iteration(v ↦ A v, n = 6, seed 43, at most 1000 products, tolerance "
               "1e-10), " +
               described(q) + ", gave λ = " + std::to_string(result.eigenvalue) + " after " +
               std::to_string(result.iterations) + " products");
  ASSERT_TRUE(HasShape(result.eigenvector, 6, 1, "v"));
  EXPECT_TRUE(result.converged);
  EXPECT_NEAR(result.eigenvalue, 10.0, 1e-10);
  EXPECT_NEAR(arma::norm(result.eigenvector), 1.0, 1e-12) << "v has norm 1";
  EXPECT_NEAR(std::abs(arma::dot(result.eigenvector, q.Q.col(0))), 1.0, 1e-9)
      << "v is the eigenvector of 10, up to its sign";
  EXPECT_GT(result.iterations, 20u) << "a residual of 1e-10 needs about 45 products";
  EXPECT_LT(result.iterations, 200u);
  // The residual test itself: A v = λ v to 1e-10 relative.
  EXPECT_LT(arma::norm(q.A * result.eigenvector - result.eigenvalue * result.eigenvector), 1e-9);
}

TEST(Curvature_PowerIteration, NormalisesAtEveryStep) {
  // The same matrix times 1e100 and times 1e-100: λ^k overflows (or underflows) after three
  // products unless v is scaled back to norm 1 each time. The answer scales with A.
  for (const double scale : {1e100, 1e-100}) {
    const Quadratic q = make_quadratic({10.0, 6.0, 3.0, 1.0, 0.5, -2.0}, 42);
    const arma::mat A = scale * q.A;
    const bp::LinearMap multiply = [&A](const arma::vec& v) { return arma::vec(A * v); };
    const bp::PowerIteration result = bp::power_iteration(multiply, 6, 43, 1000, 1e-10);
    SCOPED_TRACE("power_iteration(v ↦ s A v, n = 6, seed 43, at most 1000 products, tolerance "
                 "1e-10), " +
                 described(q) + ", scale s = " + std::to_string(scale));
    ASSERT_TRUE(HasShape(result.eigenvector, 6, 1, "v"));
    EXPECT_TRUE(std::isfinite(result.eigenvalue)) << "scale " << scale;
    EXPECT_NEAR(result.eigenvalue / scale, 10.0, 1e-9) << "scale " << scale;
    EXPECT_NEAR(arma::norm(result.eigenvector), 1.0, 1e-12) << "scale " << scale;
  }
}

TEST(Curvature_PowerIteration, FindsTheLargestMagnitudeEvenWhenNegative) {
  // Power iteration amplifies the eigenvalue of largest |λ|: here −5, not the largest positive
  // 3. Away from a minimum a Hessian can look like this, and then it is not λmax.
  const Quadratic q = make_quadratic({3.0, 1.0, 0.5, -5.0}, 44);
  const bp::PowerIteration result = bp::power_iteration(q.multiply(), 4, 45, 1000, 1e-10);
  SCOPED_TRACE("power_iteration(v ↦ A v, n = 4, seed 45, at most 1000 products, tolerance "
               "1e-10), " +
               described(q));
  ASSERT_TRUE(HasShape(result.eigenvector, 4, 1, "v"));
  EXPECT_NEAR(result.eigenvalue, -5.0, 1e-9) << "the eigenvalue of largest magnitude";
}

TEST(Curvature_PowerIteration, StopsAtTheFirstProductWithinTheToleranceWhateverTheScaleOrSign) {
  // The rule ‖A v − λ v‖ ≤ tolerance·|λ| is relative, and takes |λ|. Multiplying A by −1, 2^300
  // or 2^−300 is exact, and so is every step after it (each w, λ and ‖w‖ is the same up to the
  // factor, v the same up to sign): the iteration must stop after the same number of products,
  // k, with λ multiplied by the factor (to a few rounding errors of λ, 1e-14 relative, though in
  // exact arithmetic the factor is exact too). The dominant eigenvalue is negative, −8. Stopped
  // one product earlier, the residual of what it returns is still above the tolerance: k is the
  // first product that passes, and the λ and v it returns are the pair that passed.
  const Quadratic q = make_quadratic({-8.0, 6.0, 3.0, 1.0, 0.5}, 50);
  const double tolerance = 1e-8;
  const bp::PowerIteration first = bp::power_iteration(q.multiply(), 5, 51, 1000, tolerance);
  SCOPED_TRACE("power_iteration(v ↦ A v, n = 5, seed 51, at most 1000 products, tolerance "
               "1e-8), " +
               described(q) + ", stopped after k = " + std::to_string(first.iterations) +
               " products");
  ASSERT_TRUE(HasShape(first.eigenvector, 5, 1, "v"));
  const auto residual = [&q](const bp::PowerIteration& r) {
    return arma::norm(q.A * r.eigenvector - r.eigenvalue * r.eigenvector);
  };
  EXPECT_TRUE(first.converged);
  EXPECT_NEAR(first.eigenvalue, -8.0, 1e-6);
  const arma::uword k = first.iterations;
  ASSERT_GT(k, 10u) << "the error shrinks by 6/8 per product: 1e-8 takes about 65";
  ASSERT_LT(k, 1000u) << "it stopped at the limit of 1000 products";
  EXPECT_LE(residual(first), tolerance * std::abs(first.eigenvalue)) << "‖A v − λ v‖ ≤ 1e-8 |λ|";

  const bp::PowerIteration earlier = bp::power_iteration(q.multiply(), 5, 51, k - 1, tolerance);
  EXPECT_FALSE(earlier.converged) << "at most k − 1 products";
  EXPECT_EQ(earlier.iterations, k - 1) << "at most k − 1 products";
  EXPECT_GT(residual(earlier), tolerance * std::abs(earlier.eigenvalue))
      << "one product earlier, the residual is not yet within the tolerance";

  for (const double factor : {-1.0, std::ldexp(1.0, 300), std::ldexp(1.0, -300)}) {
    const arma::mat A = factor * q.A;
    const bp::LinearMap multiply = [&A](const arma::vec& v) { return arma::vec(A * v); };
    const bp::PowerIteration scaled = bp::power_iteration(multiply, 5, 51, 1000, tolerance);
    EXPECT_TRUE(scaled.converged) << "A times " << factor;
    EXPECT_EQ(scaled.iterations, k) << "A times " << factor;
    EXPECT_NEAR(scaled.eigenvalue / factor, first.eigenvalue, 1e-14 * 8.0) << "A times " << factor;
  }
}

TEST(Curvature_PowerIteration, ReturnsTheRayleighQuotientOfItsVectorEvenBeforeConverging) {
  // Stopped after 1, 2, 3 and 5 products, far from convergence (eigenvalues 5, 4.5, …: the
  // error shrinks by 0.9 per product), the result is still a unit vector v and λ = vᵀ A v, the
  // Rayleigh quotient of that same v. For a v that is not an eigenvector, ‖A v‖ > |vᵀ A v|
  // (Cauchy–Schwarz, asserted here by 1e-3 or more), and the quotient of another vector (the
  // next one, or the one before) differs too. λ and vᵀ A v are the same sums of the same
  // products: they may differ by a few rounding errors of a 6-term dot product of entries up
  // to 5, hence 1e-14.
  const Quadratic q = make_quadratic({5.0, 4.5, -4.0, 2.0, 1.0, 0.5}, 52);
  for (const arma::uword products : {1u, 2u, 3u, 5u}) {
    const bp::PowerIteration r = bp::power_iteration(q.multiply(), 6, 53, products, 1e-12);
    SCOPED_TRACE("power_iteration(v ↦ A v, n = 6, seed 53, at most " + std::to_string(products) +
                 " products, tolerance 1e-12), " + described(q));
    ASSERT_TRUE(HasShape(r.eigenvector, 6, 1, "v"));
    EXPECT_FALSE(r.converged) << products << " products";
    EXPECT_EQ(r.iterations, products) << "the number of products";
    EXPECT_NEAR(arma::norm(r.eigenvector), 1.0, 1e-15) << products << " products";
    const arma::vec Av = q.A * r.eigenvector;
    const double rayleigh = arma::dot(r.eigenvector, Av);
    ASSERT_GT(arma::norm(Av) - std::abs(rayleigh), 1e-3)
        << products << " products: v is still far from an eigenvector";
    EXPECT_NEAR(r.eigenvalue, rayleigh, 1e-14) << products << " products";
  }
}

TEST(Curvature_PowerIteration, AgreesWithEigSymOnANetworksHessian) {
  // The network's trusted Hessian, symmetrised, through LAPACK's eig_sym: the eigenvalue of
  // largest magnitude. Power iteration on that matrix must agree to 1e-8 relative; on the
  // trusted Hessian-vector products (differences of the gradient, never the n×n matrix) to
  // 1e-6, the differences' own accuracy with a wide margin. The default tolerance 1e-6 on the
  // residual leaves the eigenvalue off by about its square over the relative gap.
  for (const Network& net : test_networks()) {
    const FlatNetwork f = make_network(net);
    const arma::mat H = f.hessian();
    const arma::mat S = 0.5 * (H + H.t());
    const bp::LinearMap exact_product = [&S](const arma::vec& v) { return arma::vec(S * v); };
    const bp::PowerIteration on_matrix =
        bp::power_iteration(exact_product, f.theta.n_elem, 46, 100000, 1e-9);
    ASSERT_EQ(on_matrix.eigenvector.n_elem, f.theta.n_elem) << net.name();
    arma::vec eigenvalues;
    ASSERT_TRUE(arma::eig_sym(eigenvalues, S)) << "LAPACK's eig_sym failed, " << net.name();
    const double largest = std::abs(eigenvalues.max()) >= std::abs(eigenvalues.min())
                               ? eigenvalues.max()
                               : eigenvalues.min();
    EXPECT_TRUE(on_matrix.converged) << net.name();
    EXPECT_NEAR(on_matrix.eigenvalue, largest, 1e-8 * std::abs(largest)) << net.name();
    const bp::PowerIteration on_products =
        bp::power_iteration(f.hessian_times(), f.theta.n_elem, 46, 100000, 1e-7);
    EXPECT_NEAR(on_products.eigenvalue, largest, 1e-6 * std::abs(largest)) << net.name();
  }
}

// [threshold-test]
TEST(Curvature_PowerIteration, TwoOverLambdaMaxSeparatesConvergenceFromDivergence) {
  // Gradient descent on a quadratic: e_{t+1} = (I − ηA) e_t. With λmax from power iteration,
  // η = 0.98 · 2/λmax gives |1 − ηλ| ≤ 0.96 for every eigenvalue here: after 1500 steps the
  // excess loss has shrunk by more than 1e-40. η = 1.02 · 2/λmax gives 1.04 along the top
  // eigenvector: growth by 1.04^3000 ≈ 1e51 in loss. The rate that is only below 2/λ of the
  // second eigenvalue diverges too: the largest decides.
  const arma::vec eigenvalues = {4.0, 2.0, 1.0, 0.5, 0.1};
  const Quadratic q = make_quadratic(eigenvalues, 47);
  const bp::PowerIteration top = bp::power_iteration(q.multiply(), 5, 48, 1000, 1e-10);
  SCOPED_TRACE("power_iteration(v ↦ A v, n = 5, seed 48, at most 1000 products, tolerance "
               "1e-10), " +
               described(q) + ", gave λmax = " + std::to_string(top.eigenvalue));
  ASSERT_NEAR(top.eigenvalue, 4.0, 1e-8) << "λmax";
  const arma::vec minimum = -arma::solve(q.A, q.b);  // ∇L = Aθ + b = 0
  const double least = q.loss()(minimum);
  const arma::vec start = minimum + random_vector(5, 1.0, 49);
  const double excess0 = q.loss()(start) - least;
  ASSERT_GT(excess0, 0.1) << "the start was meant to be away from the minimum";

  const auto final_excess = [&](double rate) {
    arma::vec theta = start;
    const arma::vec losses = bp::gradient_descent(q.gradient(), q.loss(), theta, rate, 1500);
    return losses(losses.n_elem - 1) - least;
  };
  EXPECT_LT(final_excess(0.98 * 2.0 / top.eigenvalue), 1e-12 * excess0) << "just below 2/λmax";
  EXPECT_GT(final_excess(1.02 * 2.0 / top.eigenvalue), 1e40 * excess0) << "just above 2/λmax";
  EXPECT_GT(final_excess(0.98 * 2.0 / 2.0), 1e40 * excess0)
      << "below 2/λ of the second eigenvalue, above 2/λmax";
}
// [threshold-test]

}  // namespace
