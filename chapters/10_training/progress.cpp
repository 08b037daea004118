// Chapter 10, given: training with a progress line on a terminal.
#include "10_training/progress.hpp"

#include <unistd.h>

#include <chrono>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "common/data.hpp"
#include "common/print.hpp"

namespace bp {
namespace {

/// A line that shows training progress on a terminal, rewritten in place at most ten times a
/// second; silent when the output is a file or a pipe (tests, logs, the figures target).
class ProgressLine {
 public:
  explicit ProgressLine(std::string label)
      : label_(std::move(label)), on_(::isatty(STDOUT_FILENO) == 1) {}
  ~ProgressLine() { clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  /// Shows epoch e of `epochs` with what it measured.
  void show(arma::uword e, arma::uword epochs, const EpochResult& r) {
    if (!on_) return;
    const auto now = Clock::now();
    if (e + 1 != epochs && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    std::ostringstream line;
    line << "  " << label_ << "epoch " << e + 1 << " of " << epochs << ": loss "
         << std::setprecision(5) << r.loss << ", accuracy " << percent_text(r.accuracy);
    const std::string text = line.str();
    std::cout << '\r' << text << std::string(width_ > text.size() ? width_ - text.size() : 0, ' ')
              << std::flush;
    width_ = text.size();
  }

  /// Removes the line, so that the next output starts on a clean line.
  void clear() {
    if (!on_ || width_ == 0) return;
    std::cout << '\r' << std::string(width_, ' ') << '\r' << std::flush;
    width_ = 0;
  }

 private:
  std::string label_;
  bool on_;
  std::size_t width_ = 0;
  Clock::time_point last_{};
};

}  // namespace

History train_with_progress(Params& params, const Dataset& data, const TrainSettings& settings,
                            const std::string& label) {
  ProgressLine line(label);
  const arma::mat Y = one_hot(data.labels, data.classes);
  return train(params, data.X, Y, settings,
               [&](arma::uword e, const EpochResult& r) { line.show(e, settings.epochs, r); });
}

}  // namespace bp
