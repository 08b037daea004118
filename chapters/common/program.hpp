/**
 * @file program.hpp
 * @brief What every chapter program shares: flags through CLI11, exit codes, printing.
 *
 * Exit codes of every chapter program:
 * | code | meaning |
 * |------|---------|
 * | 0 | ran to the end |
 * | 1 | an unexpected error (one line on stderr) |
 * | 2 | bad input: an unknown flag, a missing or malformed value, a value out of range (one line) |
 * | 3 | the program reached an exercise that is not done yet (one line naming it and its file) |
 */
#pragma once

#include <armadillo>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/input_error.hpp"
#include "common/print.hpp"

namespace CLI {
class App;
}

namespace bp {

/// A chapter program: its name, what it shows, and its flags.
class Program {
 public:
  /// @param name        the executable's name as the learner types it ("ch01_shapes")
  /// @param description one paragraph that `--help` prints first
  Program(std::string name, std::string description);
  ~Program();
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  /// A whole-number size flag taking values from 1 to `max`.
  void add_size(const std::string& flag, int& value, int max, const std::string& help);
  /// `--seed`: any whole number from 0 to 2^64 − 1; the same seed gives the same numbers.
  void add_seed(std::uint64_t& seed);
  /// A real-valued flag that must be finite and lie in [lo, hi].
  void add_real(const std::string& flag, double& value, double lo, double hi,
                const std::string& help);

  /// A string flag whose value must be one of `choices`.
  void add_choice(const std::string& flag, std::string& value,
                  const std::vector<std::string>& choices, const std::string& help);
  /// A string flag (a file or folder name, say); the program checks the value itself, but an
  /// empty value (`--save ""`) is refused here: it is bad input, not the flag left out.
  void add_text(const std::string& flag, std::string& value, const std::string& help);
  /// A switch that is off unless given.
  void add_switch(const std::string& flag, bool& value, const std::string& help);

  /**
   * @brief Declares how much memory the program needs for its flags' values, so that run()
   * refuses (exit code 2) what cannot fit before any work: one line naming the flags, the
   * estimate and the limit (bp::memory_limit). `--help` states the formula and the limit.
   * @param flags    the flags the estimate depends on, named in the message with their values
   * @param formula  the estimate in words, for `--help` ("8 bytes × (6·N·H + ...)")
   * @param bytes    the estimate, computed from the parsed flags (called after parsing)
   */
  void set_memory_estimate(std::vector<std::string> flags, std::string formula,
                           std::function<double()> bytes);

  /**
   * @brief Declares how long the program's work takes for its flags' values, where that grows
   * faster than its memory (a gradient check of every parameter): run() refuses (exit code 2)
   * an estimate above kMaxWorkSeconds, in one line naming the flags, the estimate and the limit.
   * @param flags    the flags the estimate depends on
   * @param formula  the estimate in words, for `--help` ("1.3 ns × 10·H²·N")
   * @param seconds  the estimate, computed from the parsed flags: the measured cost of one unit
   *                 of the program's work (on a 2-core machine of the course's kind) times the
   *                 units the flags ask for
   */
  void set_work_estimate(std::vector<std::string> flags, std::string formula,
                         std::function<double()> seconds);

  /// Parses the arguments, runs `body`, and turns every outcome into an exit code (0 done,
  /// 1 unexpected error, 2 bad input, 3 exercise not done), printing at most one line on stderr.
  /// Standard output is flushed and checked at the end: a failed write to it (a full disk,
  /// `> /dev/full`) is exit code 1 with one line on stderr, never success.
  int run(int argc, char** argv, const std::function<void()>& body);

  /// Whether `flag` was given on the command line (in `body`, once run() has parsed it), as
  /// opposed to keeping its default.
  bool given(const std::string& flag) const;

 private:
  /// The one line for a flag the parser rejected: what was wrong and what is allowed.
  std::string explain(const std::exception& error) const;

  /// The flags named with their values as given (or their defaults): "--hidden 500 --samples 200".
  std::string flag_values(const std::vector<std::string>& flags) const;

  std::string name_;
  std::vector<std::string> memory_flags_;
  std::function<double()> memory_bytes_;
  std::string memory_help_;
  std::vector<std::string> work_flags_;
  std::function<double()> work_seconds_;
  std::string work_help_;
  std::unique_ptr<CLI::App> app_;  // CLI11 is kept out of this header: it is slow to compile
  std::map<std::string, std::string> allowed_;  // flag -> what its value may be, for messages
};

/**
 * @brief The flags of the programs that run the post's network on a toy batch (chapters 03 to
 * 09): `--hidden H`, `--samples N` and `--seed`, and the batch they ask for.
 *
 * The network itself comes from chapter 03 (bp::init_params(H(), seed)): the course's given
 * code depends on no chapter.
 */
struct ToyNetworkFlags {
  int hidden = 500;        ///< H, hidden units
  int samples = 200;       ///< N, samples in the toy batch
  std::uint64_t seed = 1;  ///< the network's seed; the batch's is seed + 1

  /**
   * @brief Adds the three flags to `program`, and its memory estimate: `matrices` N×H matrices
   * of doubles and 64 MB for the program ("8 bytes × 5·N·H + 64 MB").
   */
  void add_to(Program& program, int matrices);

  /// H as a size.
  arma::uword H() const { return static_cast<arma::uword>(hidden); }
  /// N as a size.
  arma::uword N() const { return static_cast<arma::uword>(samples); }

  /**
   * @brief The toy batch (bp::toy_batch) of N points drawn from seed + 1: the same flags give
   * the same points in every chapter.
   * @param X  out: N×2, one point per row
   * @param Y  out: N×2, one-hot labels (class 1 when x2 > x1)
   */
  void draw_batch(arma::mat& X, arma::mat& Y) const;
};

/// The longest work a program's flags may ask for: ten minutes (estimated, see
/// Program::set_work_estimate). Longer runs are a typo far more often than a wish.
inline constexpr double kMaxWorkSeconds = 600.0;

/// The most memory a program may ask for, and why it is that much.
struct MemoryLimit {
  double bytes = 0.0;  ///< the limit in bytes
  std::string why;     ///< "half of this machine's 24.6 GB of memory", or the limit that is lower
};

/**
 * @brief The memory a program's flags may ask for: half of the machine's physical memory
 * (sysconf), or less where the process is held to less: its address-space limit (`ulimit -v`)
 * or its control group's `memory.max`. Half, because the estimates count the program's own
 * matrices only, and the machine runs other programs (a build, a second chapter program).
 */
MemoryLimit memory_limit();

}  // namespace bp
