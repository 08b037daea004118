/**
 * @file print.hpp
 * @brief What the chapter programs print: numbers as text, matrices, banners, and the clocks
 * their timings read (given code, not exercises).
 */
#pragma once

#include <armadillo>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace bp {

// ---------------------------------------------------------------------------------------------
// Numbers as text.

/// `x` in scientific notation with `digits` digits after the point ("1.2e-07"), as the
/// programs print errors.
std::string sci(double x, int digits = 1);

/// `x` with `digits` digits after the point ("0.42").
std::string fixed_text(double x, int digits);

/// `x` with up to 6 significant digits, as a stream writes it by default ("0.845049", "1e-05"),
/// a NaN as "nan" whatever its sign bit (glibc would write "-nan"); fit for a flag's value.
std::string number_text(double x);

/// A fraction as a percentage with one decimal: 0.965 → "96.5%".
std::string percent_text(double fraction);

/// A number of bytes as "512 kB", "3.2 MB", "81.6 GB" (powers of 1000).
std::string bytes_text(double bytes);

/// Seconds with two decimals: "0.42 s".
std::string seconds_text(double seconds);

/// The columns a terminal shows for UTF-8 `text`: one per character, every byte that does not
/// continue a character (10xxxxxx) starting one ("σ", "ŷ", "ᵀ", "⊙", "×" are one column wide).
std::size_t text_width(const std::string& text);

/// `text` followed by spaces up to `width` columns (text_width: "ᵀ" counts as one), and at
/// least one space.
std::string pad(const std::string& text, std::size_t width);

// ---------------------------------------------------------------------------------------------
// Printing.

/// Prints "name (rows×cols):" and the matrix, at most `max_rows` rows of it.
void print_matrix(const std::string& name, const arma::mat& m, arma::uword max_rows = 4);

/// Prints a chapter banner: the title and one line on what the chapter computes.
void print_banner(const std::string& title, const std::string& what);

// ---------------------------------------------------------------------------------------------
// Timing (what a program says about its own speed; careful measurements are in bench/).

/// The clock of every timing: steady, never set back.
using Clock = std::chrono::steady_clock;

/// The seconds from `start` to now.
double seconds_since(Clock::time_point start);

/// The median of `times` (which it reorders); 0 when empty.
double median(std::vector<double>& times);

/// The median of `repeats` timings of `run`, in seconds.
double median_seconds(int repeats, const std::function<void()>& run);

/// The medians of `rounds` timings of `a` and of `b`, in seconds, run in turns (a, b, a, b, …)
/// so that a busy or warming machine weighs on both alike.
std::pair<double, double> interleaved_median_seconds(int rounds, const std::function<void()>& a,
                                                     const std::function<void()>& b);

}  // namespace bp
