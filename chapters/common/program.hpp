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

namespace CLI {
class App;
}

namespace bp {

/// Bad input to a program (a flag value, a file): reported in one line, exit code 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

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
  /// A string flag (a file or folder name, say); the program checks the value itself.
  void add_text(const std::string& flag, std::string& value, const std::string& help);
  /// A switch that is off unless given.
  void add_switch(const std::string& flag, bool& value, const std::string& help);

  /// Parses the arguments, runs `body`, and turns every outcome into an exit code (0 done,
  /// 1 unexpected error, 2 bad input, 3 exercise not done), printing at most one line on stderr.
  int run(int argc, char** argv, const std::function<void()>& body);

  /// Whether `flag` was given on the command line (in `body`, once run() has parsed it), as
  /// opposed to keeping its default.
  bool given(const std::string& flag) const;

 private:
  /// The one line for a flag the parser rejected: what was wrong and what is allowed.
  std::string explain(const std::exception& error) const;

  std::string name_;
  std::unique_ptr<CLI::App> app_;  // CLI11 is kept out of this header: it is slow to compile
  std::map<std::string, std::string> allowed_;  // flag -> what its value may be, for messages
};

/// Prints "name (rows×cols):" and the matrix, at most `max_rows` rows of it.
void print_matrix(const std::string& name, const arma::mat& m, arma::uword max_rows = 4);

/// `x` in scientific notation with `digits` digits after the point ("1.2e-07"), as the
/// programs print errors.
std::string sci(double x, int digits = 1);

/// `text` followed by spaces up to `width` columns (UTF-8 aware: "ᵀ" counts as one), and at
/// least one space.
std::string pad(const std::string& text, std::size_t width);

/// Prints a chapter banner: the title and one line on what the chapter computes.
void print_banner(const std::string& title, const std::string& what);

}  // namespace bp
