#include "common/print.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "common/shape.hpp"

namespace bp {

std::string sci(double x, int digits) {
  std::ostringstream out;
  out << std::scientific << std::setprecision(digits) << x;
  return out.str();
}

std::string fixed_text(double x, int digits) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << x;
  return out.str();
}

std::string number_text(double x) {
  if (std::isnan(x)) return "nan";
  std::ostringstream out;
  out << x;
  return out.str();
}

std::string percent_text(double fraction) { return fixed_text(100.0 * fraction, 1) + "%"; }

std::string bytes_text(double bytes) {
  if (bytes < 1e6) return fixed_text(bytes / 1e3, 1) + " kB";
  if (bytes < 1e9) return fixed_text(bytes / 1e6, 1) + " MB";
  return fixed_text(bytes / 1e9, 1) + " GB";
}

std::string seconds_text(double seconds) { return fixed_text(seconds, 2) + " s"; }

std::size_t text_width(const std::string& text) {
  std::size_t shown = 0;
  for (const char c : text) shown += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return shown;
}

std::string pad(const std::string& text, std::size_t width) {
  const std::size_t shown = text_width(text);
  return text + std::string(width > shown ? width - shown : 1, ' ');
}

void print_matrix(const std::string& name, const arma::mat& m, arma::uword max_rows) {
  std::cout << name << " (" << shape_of(m) << ")";
  if (m.n_rows > max_rows) std::cout << ", first " << max_rows << " rows";
  std::cout << ":\n";
  if (m.is_empty()) return;
  const arma::mat shown = m.rows(0, std::min(max_rows, m.n_rows) - 1);
  const arma::uword cols = std::min<arma::uword>(m.n_cols, 6);
  for (arma::uword i = 0; i < shown.n_rows; ++i) {
    std::cout << "   ";
    for (arma::uword j = 0; j < cols; ++j)
      std::cout << ' ' << std::setw(12) << std::setprecision(6) << shown(i, j);
    if (m.n_cols > cols) std::cout << "   ... (" << m.n_cols - cols << " more)";
    std::cout << "\n";
  }
}

void print_banner(const std::string& title, const std::string& what) {
  std::cout << title << "\n" << std::string(title.size(), '=') << "\n" << what << "\n\n";
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double>& times) {
  if (times.empty()) return 0.0;
  const auto middle = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
  std::nth_element(times.begin(), middle, times.end());
  return *middle;
}

double median_seconds(int repeats, const std::function<void()>& run) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    const Clock::time_point start = Clock::now();
    run();
    times.push_back(seconds_since(start));
  }
  return median(times);
}

std::pair<double, double> interleaved_median_seconds(int rounds, const std::function<void()>& a,
                                                     const std::function<void()>& b) {
  std::vector<double> ta, tb;
  for (int i = 0; i < rounds; ++i) {
    for (const bool first : {true, false}) {
      const Clock::time_point start = Clock::now();
      (first ? a : b)();
      (first ? ta : tb).push_back(seconds_since(start));
    }
  }
  return {median(ta), median(tb)};
}

}  // namespace bp
