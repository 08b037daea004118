// The trusted numerical checks every gradient test uses. Written once, independently of the
// learner's chapter-05 exercise, so that tests never use the learner's code to check the
// learner's code.
//
// Step and tolerance (chapter 05 shows both on its error-vs-h figure): a central difference
// of a smooth f in double precision has truncation error ~ h² |f'''| / 6 and rounding error
// ~ ε |f| / h, with ε = 2.2e-16. Their sum is smallest near h = (3ε)^(1/3) ≈ 1e-5, where both
// are ~1e-10 relative for the O(1) functions of the course. kStep = 1e-5 and a relative
// tolerance of kTolerance = 1e-6 leave four orders of magnitude of margin; the planted bugs the
// tests must catch give relative errors of 1e-2 and more.
#pragma once

#include <armadillo>
#include <functional>

namespace bp::test {

inline constexpr double kStep = 1e-5;
inline constexpr double kTolerance = 1e-6;
/// Below this size, |a| + |b| is treated as zero in the relative error: both numbers are then
/// rounding noise of an exact zero.
inline constexpr double kFloor = 1e-8;

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
