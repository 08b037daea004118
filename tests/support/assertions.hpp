// Trusted test support: assertions whose failure shows the case. A learner reads a failing test
// in one line of the runner (700 characters of it): that line must say what the function was
// given, what it should have returned and what it returned, e.g.
//   Z1 (1, 0): expected 0.25, got 0.5 (|difference| 0.25 > 1e-11; 3 of 10 entries off) …
//   Google Test trace: forward(X = [0.1 -1.2; …], params D=2 H=2 K=2 seed 12)
// instead of a bare "Value of: arma::approx_equal(...) Actual: false".
//
// How the tests use it: a SCOPED_TRACE names the input (show() writes a matrix in one line), and
// the assertion on a matrix is EXPECT_TRUE(EntriesNear(actual, expected, tolerance, "Z1")) or
// HasShape(...); GoogleTest's own EXPECT_EQ/NEAR/LT print both numbers of a scalar comparison.
#pragma once

#include <gtest/gtest.h>

#include <armadillo>
#include <exception>
#include <initializer_list>
#include <string>
#include <utility>

#include "common/shape.hpp"

namespace bp::test {

/// Matrices with at most this many entries are shown in full.
inline constexpr arma::uword kShownEntries = 12;

/// A matrix as a message shows it, on one line: in full with six significant digits when it has
/// at most kShownEntries entries, "[1 2; 3 4.5]"; else its shape and range, "16×500, entries
/// from -0.98 to 0.97" (a whole 16×500 matrix would push the rest of the message out of the
/// runner's line). NaNs and infinities are counted: "…, 2 NaN".
std::string show(const arma::mat& M);

/// A call as a message names it: show_call("cross_entropy", {{"P", P}, {"Y", Y}}) is
/// "cross_entropy(P = [0.8 0.2; 0.4 0.6], Y = [1 0; 0 1])", each argument by show().
std::string show_call(const std::string& function,
                      std::initializer_list<std::pair<std::string, arma::mat>> arguments);

/// Passes when `actual` is rows×cols; else "what is 3×2, expected 5×2".
testing::AssertionResult HasShape(const arma::mat& actual, arma::uword rows, arma::uword cols,
                                  const std::string& what);

/// Passes when `actual` has the shape of `expected` and every entry is within `tolerance` of it,
/// |a − e| ≤ tolerance (arma::approx_equal's "absdiff"; equal infinities agree, a NaN never
/// does). The message names `what`, the entry that misses most with both values, how many
/// entries miss, and both matrices when they have at most kShownEntries entries.
testing::AssertionResult EntriesNear(const arma::mat& actual, const arma::mat& expected,
                                     double tolerance, const std::string& what);

/// As EntriesNear, with the relative difference |a − e| / max(|a|, |e|) ≤ tolerance
/// (arma::approx_equal's "reldiff"; two zeros agree).
testing::AssertionResult EntriesNearRelative(const arma::mat& actual, const arma::mat& expected,
                                             double tolerance, const std::string& what);

/// Passes when `call` throws bp::ShapeError whose message names both shapes ("3×2", "4×2").
template <typename Call>
testing::AssertionResult ThrowsShapeErrorNaming(Call call, const std::string& first,
                                                const std::string& second) {
  try {
    call();
  } catch (const ShapeError& e) {
    const std::string message = e.what();
    if (message.find(first) == std::string::npos || message.find(second) == std::string::npos)
      return testing::AssertionFailure()
             << "the ShapeError should name " << first << " and " << second << ": " << message;
    return testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return testing::AssertionFailure() << "threw something else than bp::ShapeError: " << e.what();
  }
  return testing::AssertionFailure() << "no ShapeError for " << first << " and " << second;
}

}  // namespace bp::test
