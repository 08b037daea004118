// The trusted numerical checks every gradient test uses. Written once, independently of the
// learner's chapter-05 exercise, so that tests never use the learner's code to check the
// learner's code.
//
// Step, tolerance and floor: chapter 05 measures them. Its program prints the numbers below and
// draws them in ch05_fd_error.png; its FD_ErrorTable tests check the same data.
//
// kStep = 1e-5. A central difference of a smooth f in double precision has truncation error
// ~ h^2 |f'''| / 6 and rounding error ~ eps |f| / h, eps = 2.2e-16. Their sum is smallest near
// h = (3 eps |f| / |f'''|)^(1/3), about 1e-5 for functions of order one. Measured: the central
// difference of tanh at 0.5 is best at h = 5.6e-6 (relative error 8e-12) and off by 2e-11 at
// 1e-5; for the network's dL/db2[0] (H = 500, N = 200, seed 1) truncation falls as h^2 down to
// h = 3e-4, and from 6e-5 to 2e-6 the error is rounding noise of 3e-11..4e-10 (3e-11 at 1e-5).
// At 1e-4 the central errors are 1.2e-9 (tanh) and 3.0e-10 (network), at 1e-6 6.9e-11 and
// 5.8e-9. The forward difference at 1e-5 is off by 4.6e-6 and 1.7e-4.
//
// kTolerance = 1e-6 on the relative error |a - b| / max(floor, |a| + |b|): four orders of
// magnitude above the 1e-11..1e-10 that correct derivatives of order one show at kStep, and
// four below the relative errors of the planted bugs (1e-2 and more: a flipped sign, a missing
// 1/N, 1 - tanh for 1 - tanh^2, a transposed term).
//
// kFloor = 1e-4. The rounding error of a central difference is absolute, ~ eps |f| / h, however
// small the entry: for the network's loss (L = 0.59) that is 1.3e-11 at kStep. Measured over
// all 2502 entries of the network's gradient (H = 500, N = 200, seeds 1 and 2, against an exact
// backward pass): the largest absolute error at kStep is 1.3e-11, and the smallest entries are
// 5e-7 (after 300 steps of training, 90 entries are below 1e-6 and the smallest is 4e-9). With a
// floor of 1e-8 such entries show relative errors up to 1.4e-5, and a correct gradient would
// fail. With kFloor = 1e-4, two numbers whose magnitudes sum to less than 1e-4 are compared
// absolutely, to kTolerance * kFloor = 1e-10, ten times that noise; the largest relative error
// measured is then 1e-7 (at h = 1e-4 or 1e-6 it would be 3e-7 and 9e-7: kStep is the step
// with room to spare). For a function much larger than 1, the noise eps |f| / h grows with it.
//
// The same numbers are chapter 05's bp::kCentralStep, bp::kGradientTolerance and
// bp::kRelativeFloor, which the learner's own checks use.
#pragma once

#include <armadillo>
#include <functional>

namespace bp::test {

inline constexpr double kStep = 1e-5;
inline constexpr double kTolerance = 1e-6;
/// Below this size, |a| + |b| counts as the floor in the relative error: two numbers that small
/// differ by rounding noise (~1e-11 at kStep), so they are compared absolutely, to
/// kTolerance × kFloor = 1e-10.
inline constexpr double kFloor = 1e-4;

/// |a − b| / max(floor, |a| + |b|), the course's relative error.
double relative_error(double a, double b, double floor = kFloor);

/// The largest entrywise relative error between two matrices of the same shape.
double max_relative_error(const arma::mat& a, const arma::mat& b, double floor = kFloor);

/// ∂f/∂X by central differences, entry by entry: (f(X + h e_ij) − f(X − h e_ij)) / 2h.
arma::mat numerical_gradient(const std::function<double(const arma::mat&)>& f, const arma::mat& X,
                             double h = kStep);

/// The Jacobian of a matrix function F by central differences: row r, column c is
/// ∂ vec(F)_r / ∂ vec(X)_c (vec stacks columns, Armadillo's storage order).
arma::mat numerical_jacobian(const std::function<arma::mat(const arma::mat&)>& F,
                             const arma::mat& X, double h = kStep);

/// vᵀ J u by one central difference along U: (⟨V, F(X + hU)⟩ − ⟨V, F(X − hU)⟩) / 2h.
/// For large Jacobians, checking several random (U, V) pairs stands in for the full matrix.
double numerical_directional(const std::function<arma::mat(const arma::mat&)>& F,
                             const arma::mat& X, const arma::mat& U, const arma::mat& V,
                             double h = kStep);

}  // namespace bp::test
