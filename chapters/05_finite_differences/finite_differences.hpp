/**
 * @file finite_differences.hpp
 * @brief Chapter 05: derivatives by finite differences, the relative error that compares two
 * derivatives, and the error of a difference quotient against its step h.
 *
 * Every derivative of the later chapters is checked against a central difference,
 * \f[ f'(x) \approx \frac{f(x+h) - f(x-h)}{2h} , \f]
 * whose error has two parts: truncation, \f$ \frac{h^2}{6} |f'''(x)| \f$, which shrinks with h,
 * and rounding, about \f$ \varepsilon |f(x)| / h \f$ with \f$ \varepsilon = 2^{-52} \approx
 * 2.2\times 10^{-16} \f$, which grows as h shrinks. Their sum is smallest near
 * \f$ h = (3\varepsilon |f| / |f'''|)^{1/3} \approx 10^{-5} \f$: the course's step, kCentralStep.
 *
 * The course's checks compare two numbers a, b by the relative error
 * \f$ |a-b| / \max(\text{floor}, |a|+|b|) \f$. Below the floor, |a| + |b| is treated as
 * rounding noise of an exact zero, so tiny gradient entries are compared absolutely.
 *
 * The tests do not use these functions to check anything: they use their own copy,
 * tests/support/gradcheck.hpp, with the same step, floor and tolerance.
 */
#pragma once

#include <armadillo>
#include <cmath>
#include <functional>

namespace bp {

/**
 * @brief The step of the course's central differences: \f$ h = 10^{-5} \f$.
 *
 * Near the optimum \f$ (3\varepsilon)^{1/3} \approx 8.7\times 10^{-6} \f$ for functions of order
 * one. Chapter 05's figure shows it: there the central difference of tanh at 0.5 and of the
 * network's \f$ \partial L / \partial b_2[0] \f$ are off by about \f$ 10^{-11} \f$ (relative).
 */
inline constexpr double kCentralStep = 1e-5;

/**
 * @brief The default floor of relative_error: \f$ 10^{-4} \f$.
 *
 * A central difference of the network's loss at kCentralStep carries an absolute rounding error
 * of about \f$ \varepsilon |L| / h \approx 10^{-11} \f$ in every entry, however small the entry.
 * With this floor, two numbers whose magnitudes sum to less than \f$ 10^{-4} \f$ are compared
 * absolutely: a relative error of kGradientTolerance then means an absolute difference of
 * \f$ 10^{-10} \f$, ten times that noise. Above the floor it is an ordinary relative error.
 */
inline constexpr double kRelativeFloor = 1e-4;

/**
 * @brief The largest relative error the course accepts between a derivative and its central
 * difference: \f$ 10^{-6} \f$.
 *
 * A correct derivative of order one agrees with its central difference at kCentralStep to
 * about \f$ 10^{-10} \f$: four orders of magnitude below this. A wrong one (a flipped sign, a
 * missing factor, a transposed matrix, \f$ 1 - \tanh \f$ for \f$ 1 - \tanh^2 \f$) is off by
 * \f$ 10^{-2} \f$ or more: four orders above.
 */
inline constexpr double kGradientTolerance = 1e-6;

/**
 * @brief The central difference \f$ \frac{f(x+h) - f(x-h)}{2h} \f$ (exercise 5.1).
 *
 * Taylor's theorem gives \f$ f(x \pm h) = f \pm h f' + \frac{h^2}{2} f'' \pm \frac{h^3}{6}
 * f''' + O(h^4) \f$; in the difference the even terms cancel, so
 * \f[ \frac{f(x+h) - f(x-h)}{2h} = f'(x) + \frac{h^2}{6} f'''(x) + O(h^4) : \f]
 * the truncation error falls as \f$ h^2 \f$, and is zero for a quadratic.
 * Checked by the tests of suites FD_CentralDifference and FD_ErrorTable.
 * @param f  a function of one real variable
 * @param x  where to differentiate
 * @param h  the step, h > 0 (kCentralStep is the course's choice)
 * @return the approximation of f'(x); costs two calls of f
 */
double central_difference(const std::function<double(double)>& f, double x, double h);

/**
 * @brief The course's relative error \f$ \frac{|a-b|}{\max(\text{floor}, |a|+|b|)} \f$
 * (exercise 5.2).
 *
 * Symmetric in a and b, zero when they are equal (also when both are zero), at most 1 when
 * \f$ |a| + |b| \ge \text{floor} \f$ (1 for opposite signs). Dividing by \f$ |a| + |b| \f$ rather
 * than \f$ |a| \f$ means neither number is "the true one" and a zero a never divides by zero;
 * the floor keeps two tiny numbers — rounding noise of an exact zero — from looking far apart.
 * Checked by the tests of suite FD_RelativeError.
 * @param a      one number
 * @param b      the other
 * @param floor  floor > 0; below it |a| + |b| counts as floor (default kRelativeFloor)
 * @return ≥ 0
 */
double relative_error(double a, double b, double floor = kRelativeFloor);

/**
 * @brief The gradient of a scalar function of a matrix, by central differences entry by entry
 * (exercise 5.3).
 *
 * \f[ G_{ij} = \frac{f(X + h E_{ij}) - f(X - h E_{ij})}{2h} \approx
 *     \frac{\partial f}{\partial X_{ij}} , \f]
 * \f$ E_{ij} \f$ the matrix with a single 1 at (i, j). Each nudge is undone before the next:
 * every call of f sees X with at most one entry moved.
 * Checked by the tests of suite FD_NumericalGradient.
 * @param f  a scalar function of a matrix of X's shape
 * @param X  R×C  where to differentiate
 * @param h  the step, h > 0
 * @return   R×C  the gradient, the shape of X (the course's dX convention); costs 2·R·C calls
 *           of f
 */
arma::mat numerical_gradient(const std::function<double(const arma::mat&)>& f, const arma::mat& X,
                             double h = kCentralStep);

/**
 * @brief The forward difference \f$ \frac{f(x+h) - f(x)}{h} \f$ (given, for contrast).
 *
 * Its truncation error is \f$ \frac{h}{2} |f''(x)| \f$: it falls only as h, so its best step
 * is near \f$ \sqrt{\varepsilon} \approx 10^{-8} \f$ and its best error near \f$ 10^{-8} \f$,
 * a thousand times worse than the central difference's.
 * @param f  a function of one real variable
 * @param x  where to differentiate
 * @param h  the step, h > 0
 * @return the approximation of f'(x)
 */
inline double forward_difference(const std::function<double(double)>& f, double x, double h) {
  return (f(x + h) - f(x)) / h;
}

/**
 * @brief Steps \f$ h = 10^{-e} \f$ for e from `first` to `last` in `per_decade` equal steps per
 * decade (given): `log_steps(1, 13, 4)` is \f$ 10^{-1}, 10^{-1.25}, \ldots, 10^{-13} \f$.
 * @param first       the exponent of the largest step (1 for \f$ h = 0.1 \f$)
 * @param last        the exponent of the smallest step, last > first
 * @param per_decade  steps per decade, ≥ 1
 * @return (last − first)·per_decade + 1 steps, largest first; the whole exponents are hit exactly
 */
inline arma::vec log_steps(int first, int last, int per_decade) {
  const int count = (last - first) * per_decade + 1;
  arma::vec steps(static_cast<arma::uword>(count));
  for (int k = 0; k < count; ++k)
    steps(static_cast<arma::uword>(k)) =
        std::pow(10.0, -(first + static_cast<double>(k) / per_decade));
  return steps;
}

/**
 * @brief The data of chapter 05's figure: the error of the central and the forward difference
 * of f at x, for each step (given).
 *
 * Row r holds \f$ h_r \f$, then the relative errors \f$ |d - f'(x)| / |f'(x)| \f$ of the central
 * difference (through central_difference, exercise 5.1) and of the forward difference
 * (forward_difference). Plotted against h on log-log axes, the central error falls with slope 2
 * while truncation dominates, the forward error with slope 1, and both rise with slope −1 once
 * rounding dominates.
 * @param f      a smooth function of one real variable
 * @param x      where to differentiate
 * @param exact  f'(x), known exactly, ≠ 0
 * @param steps  S  the steps h (log_steps)
 * @return S×3  columns h, central error, forward error
 */
inline arma::mat fd_error_table(const std::function<double(double)>& f, double x, double exact,
                                const arma::vec& steps) {
  arma::mat table(steps.n_elem, 3);
  for (arma::uword r = 0; r < steps.n_elem; ++r) {
    const double h = steps(r);
    table(r, 0) = h;
    table(r, 1) = std::abs(central_difference(f, x, h) - exact) / std::abs(exact);
    table(r, 2) = std::abs(forward_difference(f, x, h) - exact) / std::abs(exact);
  }
  return table;
}

}  // namespace bp
