#include "support/assertions.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <iomanip>
#include <limits>
#include <sstream>

namespace bp::test {
namespace {

// One number as the messages write it: six significant digits, or `digits`.
std::string number(double x, int digits = 6) {
  std::ostringstream out;
  out << std::setprecision(digits) << x;
  return out.str();
}

// The check of both EntriesNear forms: `difference(a, e)` of each entry against `tolerance`.
// An entry agrees when a == e (equal infinities included) or its difference is within the
// tolerance; a NaN difference never is, and counts as the worst.
testing::AssertionResult entries_within(const arma::mat& actual, const arma::mat& expected,
                                        double tolerance, const std::string& what, const char* kind,
                                        const std::function<double(double, double)>& difference) {
  const std::string name = what.empty() ? "entry" : what;
  if (actual.n_rows != expected.n_rows || actual.n_cols != expected.n_cols)
    return testing::AssertionFailure()
           << name << " is " << shape_of(actual) << ", expected " << shape_of(expected) << ": got "
           << show(actual) << ", expected " << show(expected);
  arma::uword off = 0, worst_at = 0;
  double worst = -1.0;
  for (arma::uword i = 0; i < actual.n_elem; ++i) {
    if (actual(i) == expected(i)) continue;
    const double d = difference(actual(i), expected(i));
    if (d <= tolerance) continue;
    ++off;
    const double rank = std::isnan(d) ? std::numeric_limits<double>::infinity() : d;
    if (rank > worst) {
      worst = rank;
      worst_at = i;
    }
  }
  if (off == 0) return testing::AssertionSuccess();
  const arma::uword r = worst_at % actual.n_rows, c = worst_at / actual.n_rows;
  testing::AssertionResult failure = testing::AssertionFailure();
  failure << name << " (" << r << ", " << c << "): expected " << number(expected(worst_at), 12)
          << ", got " << number(actual(worst_at), 12) << " (" << kind << " "
          << number(difference(actual(worst_at), expected(worst_at)), 3) << " > "
          << number(tolerance, 3) << "; " << off << " of " << actual.n_elem << " entries off)";
  // Larger matrices would only show their ranges: the entry above says more.
  if (actual.n_elem <= kShownEntries)
    failure << "; got " << show(actual) << ", expected " << show(expected);
  return failure;
}

}  // namespace

std::string show(const arma::mat& M) {
  std::ostringstream out;
  if (M.is_empty()) {
    out << shape_of(M) << " (empty)";
  } else if (M.n_elem <= kShownEntries) {
    out << '[';
    for (arma::uword r = 0; r < M.n_rows; ++r)
      for (arma::uword c = 0; c < M.n_cols; ++c)
        out << (c > 0 ? " " : r > 0 ? "; " : "") << number(M(r, c));
    out << ']';
  } else {
    const arma::uvec finite = arma::find_finite(M);
    out << shape_of(M);
    if (!finite.is_empty()) {
      const arma::vec values = M.elem(finite);
      out << ", entries from " << number(values.min()) << " to " << number(values.max());
    }
    const arma::uword nan = arma::accu(M != M);
    const arma::uword infinite = M.n_elem - finite.n_elem - nan;
    if (nan > 0) out << ", " << nan << " NaN";
    if (infinite > 0) out << ", " << infinite << " infinite";
  }
  return out.str();
}

std::string show_call(const std::string& function,
                      std::initializer_list<std::pair<std::string, arma::mat>> arguments) {
  std::string out = function + "(";
  for (const auto& [name, value] : arguments)
    out += (out.back() == '(' ? "" : ", ") + name + " = " + show(value);
  return out + ")";
}

testing::AssertionResult HasShape(const arma::mat& actual, arma::uword rows, arma::uword cols,
                                  const std::string& what) {
  if (actual.n_rows == rows && actual.n_cols == cols) return testing::AssertionSuccess();
  return testing::AssertionFailure()
         << what << " is " << shape_of(actual) << ", expected " << rows << "×" << cols;
}

testing::AssertionResult EntriesNear(const arma::mat& actual, const arma::mat& expected,
                                     double tolerance, const std::string& what) {
  return entries_within(actual, expected, tolerance, what, "|difference|",
                        [](double a, double e) { return std::abs(a - e); });
}

testing::AssertionResult EntriesNearRelative(const arma::mat& actual, const arma::mat& expected,
                                             double tolerance, const std::string& what) {
  return entries_within(
      actual, expected, tolerance, what, "relative difference",
      [](double a, double e) { return std::abs(a - e) / std::max(std::abs(a), std::abs(e)); });
}

}  // namespace bp::test
