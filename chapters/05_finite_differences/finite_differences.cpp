// Chapter 05 exercises: finite differences and the relative error. Read
// chapters/05_finite_differences/README.md first; `./course next` runs the tests of the first
// exercise that is not done yet.
#include "05_finite_differences/finite_differences.hpp"

#include "common/exercise.hpp"

namespace bp {

double central_difference(const std::function<double(double)>& f, double x, double h) {
  // TODO(5.1): return (f(x + h) − f(x − h)) / 2h.
  BP_EXERCISE("5.1");
}

double relative_error(double a, double b, double floor) {
  // TODO(5.2): return |a − b| divided by the larger of floor and |a| + |b|.
  BP_EXERCISE("5.2");
}

arma::mat numerical_gradient(const std::function<double(const arma::mat&)>& f, const arma::mat& X,
                             double h) {
  // TODO(5.3): for each entry of X (in any order), nudge it by +h and by −h in a copy of X,
  // call f on each, put the central difference in the same entry of the result, and put the
  // entry back before nudging the next one.
  BP_EXERCISE("5.3");
}

}  // namespace bp
