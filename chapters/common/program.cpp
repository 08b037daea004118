#include "common/program.hpp"

#include <CLI/CLI.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>

#include "common/data.hpp"
#include "common/exercise.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"

namespace bp {
namespace {

/// One line: newlines and runs of spaces folded, trailing spaces dropped.
std::string one_line(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

template <typename T>
bool parse_whole(const std::string& text, T& value) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end;
}

}  // namespace

Program::Program(std::string name, std::string description)
    : name_(std::move(name)), app_(std::make_unique<CLI::App>(std::move(description), name_)) {
  app_->set_help_flag("-h,--help", "Print this help and exit");
}

Program::~Program() = default;

void Program::add_choice(const std::string& flag, std::string& value,
                         const std::vector<std::string>& choices, const std::string& help) {
  std::string allowed;
  for (const std::string& c : choices) allowed += (allowed.empty() ? "" : ", ") + c;
  allowed_[flag] = "use one of: " + allowed;
  app_->add_option(flag, value, help + " (one of: " + allowed + ")")
      ->capture_default_str()
      ->check(CLI::Validator(
          [choices, allowed](std::string& input) -> std::string {
            for (const std::string& c : choices)
              if (input == c) return {};
            return "'" + input + "' is not allowed; use one of: " + allowed;
          },
          "choice"));
}

void Program::add_text(const std::string& flag, std::string& value, const std::string& help) {
  allowed_[flag] = "it takes " + help;
  app_->add_option(flag, value, help)
      ->capture_default_str()
      ->check(CLI::Validator(
          [help](std::string& input) -> std::string {
            if (input.empty()) return "an empty name is not allowed; it takes " + help;
            return {};
          },
          ""));
}

void Program::set_memory_estimate(std::vector<std::string> flags, std::string formula,
                                  std::function<double()> bytes) {
  memory_flags_ = std::move(flags);
  memory_bytes_ = std::move(bytes);
  const MemoryLimit limit = memory_limit();
  memory_help_ = "Memory: estimated before the program starts as " + formula + "; refused above " +
                 bytes_text(limit.bytes) + " (" + limit.why + ").";
  app_->footer(memory_help_ + (work_help_.empty() ? "" : "\n" + work_help_) + "\n");
}

void Program::set_work_estimate(std::vector<std::string> flags, std::string formula,
                                std::function<double()> seconds) {
  work_flags_ = std::move(flags);
  work_seconds_ = std::move(seconds);
  work_help_ = "Time: estimated before the program starts as " + formula + "; refused above " +
               std::to_string(static_cast<int>(kMaxWorkSeconds / 60)) + " minutes.";
  app_->footer((memory_help_.empty() ? "" : memory_help_ + "\n") + work_help_ + "\n");
}

std::string Program::flag_values(const std::vector<std::string>& flags) const {
  std::string out;
  for (const std::string& flag : flags) {
    const CLI::Option* option = app_->get_option(flag);
    const auto known = allowed_.find(flag);
    if (known != allowed_.end() && known->second.empty()) {  // a switch: named when given
      if (option->count() > 0) out += (out.empty() ? "" : " ") + flag;
      continue;
    }
    const std::string value =
        option->count() > 0 ? option->results().front() : option->get_default_str();
    out += (out.empty() ? "" : " ") + flag + " " + value;
  }
  return out;
}

namespace {

/// Flushes standard output and says whether every write to it succeeded; if not, prints one
/// line on stderr.
bool standard_output_written(const std::string& name) {
  std::cout.flush();
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0;
  const int error = errno;
  if (flushed && !std::cout.fail() && std::ferror(stdout) == 0) return true;
  std::cerr << name << ": error: cannot write to standard output: "
            << (!flushed && error != 0 ? std::strerror(error) : "a write failed") << "\n";
  return false;
}

}  // namespace

void Program::add_switch(const std::string& flag, bool& value, const std::string& help) {
  allowed_[flag] = "";  // a switch takes no value
  app_->add_flag(flag, value, help);
}

void Program::add_size(const std::string& flag, int& value, int max, const std::string& help) {
  const std::string allowed = "a whole number from 1 to " + std::to_string(max);
  allowed_[flag] = "use " + allowed;
  app_->add_option(flag, value, help + " (" + allowed + ")")
      ->capture_default_str()
      ->check(CLI::Validator(
          [allowed, max](std::string& input) -> std::string {
            long long v = 0;
            if (!parse_whole(input, v) || v < 1 || v > max)
              return "'" + input + "' is not allowed; use " + allowed;
            return {};
          },
          "1.." + std::to_string(max)));
}

void Program::add_seed(std::uint64_t& seed) {
  allowed_["--seed"] =
      "use a whole number from 0 to " + std::to_string(std::numeric_limits<std::uint64_t>::max());
  app_->add_option("--seed", seed, "Random seed; the same seed gives the same numbers")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](std::string& input) -> std::string {
            std::uint64_t v = 0;
            if (!parse_whole(input, v))
              return "'" + input + "' is not allowed; use a whole number from 0 to " +
                     std::to_string(std::numeric_limits<std::uint64_t>::max());
            return {};
          },
          "0..2^64-1"));
}

void Program::add_real(const std::string& flag, double& value, double lo, double hi,
                       const std::string& help) {
  std::ostringstream range;
  range << "a finite number from " << lo << " to " << hi;
  const std::string allowed = range.str();
  allowed_[flag] = "use " + allowed;
  app_->add_option(flag, value, help + " (" + allowed + ")")
      ->capture_default_str()
      ->check(CLI::Validator(
          [allowed, lo, hi](std::string& input) -> std::string {
            double v = 0;
            if (!parse_whole(input, v) || !std::isfinite(v) || v < lo || v > hi)
              return "'" + input + "' is not allowed; use " + allowed;
            return {};
          },
          "real"));
}

int Program::run(int argc, char** argv, const std::function<void()>& body) {
  try {
    app_->parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app_->help();
    return standard_output_written(name_) ? 0 : 1;
  } catch (const CLI::ParseError& e) {
    std::cerr << name_ << ": " << explain(e) << " (run " << name_ << " --help to see the flags)\n";
    return 2;
  }
  try {
    if (memory_bytes_) {
      const double need = memory_bytes_();
      const MemoryLimit limit = memory_limit();
      if (!(need <= limit.bytes))
        throw InputError(flag_values(memory_flags_) + ": needs about " + bytes_text(need) +
                         " of memory, more than the limit of " + bytes_text(limit.bytes) + " (" +
                         limit.why + "); choose smaller sizes");
    }
    if (work_seconds_) {
      const double need = work_seconds_();
      if (!(need <= kMaxWorkSeconds))
        throw InputError(flag_values(work_flags_) + ": would take about " +
                         fixed_text(std::min(need, 1e15) / 60.0, 1) +
                         " minutes (estimated), more than the limit of " +
                         std::to_string(static_cast<int>(kMaxWorkSeconds / 60)) +
                         " minutes; choose smaller sizes");
    }
    body();
    return standard_output_written(name_) ? 0 : 1;
  } catch (const ExerciseNotDone& e) {
    std::cout.flush();
    std::cerr << name_ << ": stopped: exercise " << e.id() << " is not done yet; write it in "
              << e.file() << ":" << e.line() << " (read " << e.page()
              << ", or run ./course next)\n";
    return 3;
  } catch (const InputError& e) {
    std::cout.flush();
    std::cerr << name_ << ": " << one_line(e.what()) << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << name_ << ": error: " << one_line(e.what()) << "\n";
    return 1;
  }
}

bool Program::given(const std::string& flag) const { return app_->count(flag) > 0; }

std::string Program::explain(const std::exception& error) const {
  const std::string message = one_line(error.what());
  // CLI11 names the flag first ("--hidden: 1 required INT missing") or after a colon
  // ("Could not convert: --no-plots = maybe").
  std::string flag;
  if (message.rfind("--", 0) == 0) {
    flag = message.substr(0, message.find(':'));
  } else if (const std::size_t at = message.find(": --"); at != std::string::npos) {
    flag = message.substr(at + 2);
    flag = flag.substr(0, flag.find(' '));
  }
  const auto known = allowed_.find(flag);
  if (known == allowed_.end()) return message;
  const bool is_switch = known->second.empty();
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr) {
    if (message.find("missing") != std::string::npos)
      return flag + ": a value is missing; " + known->second;
    if (message.find("At Most") != std::string::npos)
      return flag + ": given more than once; give it once";
  }
  if (is_switch && dynamic_cast<const CLI::ConversionError*>(&error) != nullptr)
    return flag + ": a switch takes no value; write " + flag + " alone";
  return message;
}

void ToyNetworkFlags::add_to(Program& program, int matrices) {
  program.add_size("--hidden", hidden, 100000, "Hidden units H");
  program.add_size("--samples", samples, 100000, "Samples N in the toy batch");
  program.add_seed(seed);
  const std::string formula = "8 bytes × " + std::to_string(matrices) + "·N·H + 64 MB";
  program.set_memory_estimate({"--hidden", "--samples"}, formula, [this, matrices] {
    return 8.0 * matrices * static_cast<double>(samples) * static_cast<double>(hidden) + 64e6;
  });
}

void ToyNetworkFlags::draw_batch(arma::mat& X, arma::mat& Y) const {
  Rng rng(seed + 1);
  toy_batch(N(), rng, X, Y);
}

MemoryLimit memory_limit() {
  const double pages = static_cast<double>(::sysconf(_SC_PHYS_PAGES));
  const double page = static_cast<double>(::sysconf(_SC_PAGE_SIZE));
  MemoryLimit limit{pages * page / 2.0,
                    "half of this machine's " + bytes_text(pages * page) + " of memory"};
  struct rlimit space = {};
  if (::getrlimit(RLIMIT_AS, &space) == 0 && space.rlim_cur != RLIM_INFINITY &&
      static_cast<double>(space.rlim_cur) < limit.bytes)
    limit = {static_cast<double>(space.rlim_cur), "the address-space limit, ulimit -v"};
  std::ifstream group("/sys/fs/cgroup/memory.max");
  double group_max = 0.0;
  if (group >> group_max && group_max > 0.0 && group_max < limit.bytes)
    limit = {group_max, "the memory.max of this control group"};
  return limit;
}

}  // namespace bp
