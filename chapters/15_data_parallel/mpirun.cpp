// Chapter 15's given code for starting ranks: see mpirun.hpp.
#include "15_data_parallel/mpirun.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/exercise.hpp"
#include "common/files.hpp"
#include "common/program.hpp"
#include "common/shape.hpp"

extern char** environ;

namespace bp {
namespace fs = std::filesystem;
namespace {

/// A failure's fields are separated by tabs: no field may hold one, nor a line end.
std::string one_field(const std::string& text) {
  std::string out;
  for (const char c : text) out += (c == '\t' || c == '\n' || c == '\r') ? ' ' : c;
  return out;
}

/// The file in which rank `rank` reports its failure.
fs::path failure_file(const fs::path& dir, int rank) {
  return dir / ("failure." + std::to_string(rank));
}

/// Writes the failure of this rank as one line: kind, exercise id, file, line, message.
void report_failure(const fs::path& dir, int rank, const std::exception_ptr& failure) {
  std::string kind = "error", id, file, line, message;
  try {
    std::rethrow_exception(failure);
  } catch (const ExerciseNotDone& e) {
    kind = "exercise", id = e.id(), file = e.file(), line = std::to_string(e.line());
    message = e.what();
  } catch (const InputError& e) {
    kind = "input", message = e.what();
  } catch (const ShapeError& e) {
    kind = "shape", message = e.what();
  } catch (const std::exception& e) {
    message = e.what();
  } catch (...) {
    message = "an exception that is not a std::exception";
  }
  const std::string text = one_field(kind) + '\t' + one_field(id) + '\t' + one_field(file) + '\t' +
                           one_field(line) + '\t' + one_field(message) + '\n';
  if (dir.empty()) {
    std::cerr << "rank " << rank << ": " << one_field(message) << "\n";
    return;
  }
  try {
    write_whole(failure_file(dir, rank), text);
  } catch (const std::exception&) {
    std::cerr << "rank " << rank << ": " << one_field(message) << "\n";
  }
}

/// Throws again the failure of the lowest rank that reported one in `dir`, if any.
void rethrow_failure(const fs::path& dir, int ranks) {
  for (int rank = 0; rank < ranks; ++rank) {
    std::ifstream in(failure_file(dir, rank));
    std::string text;
    if (!in || !std::getline(in, text)) continue;
    std::vector<std::string> fields;
    std::istringstream split(text);
    for (std::string field; std::getline(split, field, '\t');) fields.push_back(field);
    fields.resize(5);
    const std::string& kind = fields[0];
    if (kind == "exercise")
      throw ExerciseNotDone(fields[1], fields[2], std::atoi(fields[3].c_str()));
    if (kind == "input") throw InputError(fields[4]);
    const std::string where =
        "rank " + std::to_string(rank) + " of " + std::to_string(ranks) + ": ";
    if (kind == "shape") throw ShapeError(where + fields[4]);
    throw std::runtime_error(where + fields[4]);
  }
}

/// The line of mpirun's output that says most, for a one-line message: a sanitizer's report of a
/// rank (the sanitize tree), or else the last line that holds a letter (not a rule of dashes).
std::string telling_line(const std::string& text) {
  std::istringstream lines(text);
  std::string last;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("runtime error:") != std::string::npos ||
        line.find("ERROR: AddressSanitizer") != std::string::npos ||
        line.find("ERROR: LeakSanitizer") != std::string::npos)
      return line;
    if (std::any_of(line.begin(), line.end(), [](unsigned char c) { return std::isalpha(c); }))
      last = line;
  }
  return last;
}

/// A private scratch folder, removed with everything in it when the object goes.
class ScratchFolder {
 public:
  ScratchFolder() {
    std::string pattern = (fs::temp_directory_path() / "bp-ranks.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("cannot make a scratch folder in " +
                               fs::temp_directory_path().string() + " for the ranks' results");
    path_ = pattern;
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

/// Runs `argv` with `environment` added, its stdout and stderr into `log`; stops it after
/// `timeout_s` seconds (SIGTERM, then SIGKILL). @return its exit code, or -1 when it was stopped
int spawn_and_wait(const std::vector<std::string>& argv,
                   const std::vector<std::string>& environment, const fs::path& log,
                   double timeout_s) {
  // This process's environment with `environment` in place of the variables of the same names
  // (a name given twice would leave the choice to whoever reads it).
  std::vector<std::string> env_strings;
  const auto name_of = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    const bool replaced = std::any_of(environment.begin(), environment.end(),
                                      [&](const auto& a) { return name_of(a) == name_of(entry); });
    if (!replaced) env_strings.push_back(entry);
  }
  for (const std::string& added : environment) env_strings.push_back(added);
  std::vector<char*> env_pointers, arg_pointers;
  for (std::string& e : env_strings) env_pointers.push_back(e.data());
  env_pointers.push_back(nullptr);
  std::vector<std::string> args = argv;
  for (std::string& a : args) arg_pointers.push_back(a.data());
  arg_pointers.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string log_name = log.string();
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_name.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, args[0].c_str(), &actions, nullptr, arg_pointers.data(),
                                  env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0)
    throw std::runtime_error("cannot start " + args[0] + ": " + std::strerror(spawned));

  // Wait; past the deadline, SIGTERM (mpirun passes it on to every rank), 5 s later SIGKILL.
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline =
      Clock::now() + std::chrono::milliseconds(static_cast<long>(timeout_s * 1000.0));
  int status = 0;
  bool stopped = false;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (!stopped && Clock::now() > deadline) {
      ::kill(pid, SIGTERM);
      stopped = true;
    } else if (stopped && Clock::now() > deadline + std::chrono::seconds(5)) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (stopped) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

double rank_result(const RankResults& results, const std::string& name) {
  const auto found = results.find(name);
  if (found == results.end()) throw std::runtime_error("rank 0 reported no result " + name);
  return found->second;
}

bool under_mpirun() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(variable) != nullptr) return true;
  return false;
}

std::string find_mpirun() {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  std::istringstream folders(path);
  for (std::string folder; std::getline(folders, folder, ':');) {
    if (folder.empty()) continue;
    const fs::path candidate = fs::path(folder) / "mpirun";
    if (::access(candidate.c_str(), X_OK) == 0 && fs::is_regular_file(candidate))
      return candidate.string();
  }
  return "";
}

std::string own_executable() { return fs::read_symlink("/proc/self/exe").string(); }

std::vector<std::string> mpirun_command(const std::string& mpirun, int ranks,
                                        const std::string& program,
                                        const std::vector<std::string>& args,
                                        const std::vector<std::string>& exported) {
  // The words are named strings: pushing literals longer than 15 bytes here trips a false
  // -Warray-bounds of g++ 12.
  static const std::string n = "-n", oversubscribe = "--oversubscribe",
                           as_root = "--allow-run-as-root", x = "-x";
  std::vector<std::string> command = {mpirun, n, std::to_string(ranks), oversubscribe};
  if (::geteuid() == 0) command.push_back(as_root);
  for (const std::string& name : exported) {
    command.push_back(x);
    command.push_back(name);
  }
  command.push_back(program);
  command.insert(command.end(), args.begin(), args.end());
  return command;
}

RankResults run_ranks(int ranks, const std::vector<std::string>& args,
                      const std::vector<std::pair<std::string, std::string>>& environment,
                      double timeout_s) {
  const std::string mpirun = find_mpirun();
  if (mpirun.empty())
    throw InputError(
        "mpirun was not found on the PATH: the ranks cannot be started; install Open MPI "
        "(Debian: apt-get install openmpi-bin libopenmpi-dev), or run ./course setup");
  const ScratchFolder scratch;
  // Under AddressSanitizer (the sanitize tree), the ranks keep every check but the leak check:
  // Open MPI keeps memory until exit in plugins it has unloaded by then, which LeakSanitizer
  // reports as leaks of an unknown module. Without the sanitizer the variable is not read.
  const char* asan = std::getenv("ASAN_OPTIONS");
  std::vector<std::string> exported = {kRankDirVariable, "OPENBLAS_NUM_THREADS", "ASAN_OPTIONS"};
  std::vector<std::string> assignments = {
      std::string(kRankDirVariable) + "=" + scratch.path().string(), "OPENBLAS_NUM_THREADS=1",
      std::string("ASAN_OPTIONS=") + (asan != nullptr ? std::string(asan) + ":" : "") +
          "detect_leaks=0"};
  for (const auto& [name, value] : environment) {
    exported.push_back(name);
    assignments.push_back(name + "=" + value);
  }
  const fs::path log = scratch.path() / "mpirun.log";
  const int code = spawn_and_wait(mpirun_command(mpirun, ranks, own_executable(), args, exported),
                                  assignments, log, timeout_s);
  rethrow_failure(scratch.path(), ranks);
  std::ifstream log_file(log);
  const std::string output((std::istreambuf_iterator<char>(log_file)),
                           std::istreambuf_iterator<char>());
  if (code < 0)
    throw std::runtime_error(
        "the " + std::to_string(ranks) + " ranks did not finish within " +
        std::to_string(static_cast<int>(timeout_s)) +
        " s and were stopped: does every rank make the same collective calls, in the same order?");
  if (code != 0)
    throw std::runtime_error("mpirun -n " + std::to_string(ranks) + " failed (exit code " +
                             std::to_string(code) + "): " + telling_line(output));
  std::ifstream in(scratch.path() / "results");
  if (!in)
    throw std::runtime_error("mpirun -n " + std::to_string(ranks) +
                             " ended without rank 0's results: " + telling_line(output));
  RankResults results;
  std::string name;
  double value = 0.0;
  while (in >> name >> value) results[name] = value;
  return results;
}

fs::path rank_dir() {
  const char* dir = std::getenv(kRankDirVariable);
  return dir != nullptr ? fs::path(dir) : fs::path();
}

RankSession::RankSession(int& argc, char**& argv) {
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

RankSession::~RankSession() { MPI_Finalize(); }

RankResults RankSession::run(const std::function<void(RankResults& results)>& work) {
  RankResults results;
  try {
    work(results);
    if (rank_ == 0 && !rank_dir().empty()) {
      std::ostringstream text;
      text.precision(17);  // enough digits to read back the same double
      for (const auto& [name, value] : results) text << name << ' ' << value << '\n';
      write_whole(rank_dir() / "results", text.str());
    }
  } catch (...) {
    report_failure(rank_dir(), rank_, std::current_exception());
    MPI_Abort(MPI_COMM_WORLD, 1);  // every rank, at once: none waits for this one
  }
  return rank_ == 0 ? results : RankResults();
}

}  // namespace bp
