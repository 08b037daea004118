#include "common/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <armadillo>  // before gnuplot-iostream: it then knows how to send Armadillo types
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <gnuplot-iostream.h>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "common/program.hpp"

#ifndef BP_PLOTS_DIR
#error "BP_PLOTS_DIR must name the folder of the gnuplot scripts"
#endif

namespace fs = std::filesystem;

namespace bp {
namespace {

// ---------------------------------------------------------------------------------------------
// Named temporaries in flight, removed by the handler of SIGINT, SIGTERM and SIGHUP.
//
// The handler may run between any two instructions, so it reads only lock-free atomics and
// fixed buffers, and calls only unlink() and raise() (both async-signal-safe). A slot's path is
// complete before its state becomes kArmed, and the slot is disarmed before its path changes.

constexpr int kFree = 0;
constexpr int kClaimed = 1;  // being filled in: the handler skips it
constexpr int kArmed = 2;    // path holds a file to remove if the program is killed
constexpr std::size_t kSlots = 8;
constexpr std::size_t kPathBytes = 4096;

struct PendingSlot {
  std::atomic<int> state{kFree};
  char path[kPathBytes] = {};
};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs lock-free atomics");

PendingSlot pending_slots[kSlots];

extern "C" void remove_pending_and_die(int signal) {
  for (PendingSlot& slot : pending_slots)
    if (slot.state.load() == kArmed) ::unlink(slot.path);
  // SA_RESETHAND restored the default action and SA_NODEFER leaves the signal unblocked: the
  // program now dies of it, and its parent sees "killed by SIGTERM" as before.
  ::raise(signal);
}

/// Installs the handler (once) and ignores SIGXFSZ, so that a file-size limit makes write()
/// fail with EFBIG instead of killing the program. A signal the program ignores (nohup's SIGHUP)
/// or handles itself is left alone.
void install_signal_handlers() {
  static const bool installed = [] {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGXFSZ, &ignore, nullptr);
    for (const int signal : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      if (::sigaction(signal, nullptr, &old) != 0 || old.sa_handler != SIG_DFL) continue;
      struct sigaction action {};
      action.sa_handler = remove_pending_and_die;
      sigemptyset(&action.sa_mask);
      action.sa_flags = SA_RESETHAND | SA_NODEFER;
      ::sigaction(signal, &action, nullptr);
    }
    return true;
  }();
  (void)installed;
}

/// Registers a named temporary for removal if a signal kills the program, for its lifetime.
/// A path too long for a slot, or no free slot, only loses that protection.
class PendingRemoval {
 public:
  explicit PendingRemoval(const fs::path& path) {
    install_signal_handlers();
    const std::string text = path.string();
    if (text.size() >= kPathBytes) return;
    for (PendingSlot& s : pending_slots) {
      int expected = kFree;
      if (!s.state.compare_exchange_strong(expected, kClaimed)) continue;
      std::memcpy(s.path, text.c_str(), text.size() + 1);
      s.state.store(kArmed);
      slot_ = &s;
      return;
    }
  }
  ~PendingRemoval() {
    if (slot_ != nullptr) slot_->state.store(kFree);
  }
  PendingRemoval(const PendingRemoval&) = delete;
  PendingRemoval& operator=(const PendingRemoval&) = delete;

 private:
  PendingSlot* slot_ = nullptr;
};

// ---------------------------------------------------------------------------------------------
// The temporary a file is written to before it replaces its target.

/// A sibling of `target` that no other writer uses: ".name.tmp.<pid>".
fs::path temporary_for(const fs::path& target) {
  std::string name = ".";
  name += target.filename().string();
  name += ".tmp.";
  name += std::to_string(::getpid());
  return target.parent_path() / name;
}

/// "cannot write PATH: reason", the one line every failed write gives.
[[noreturn]] void fail_to_write(const fs::path& target, int error) {
  throw InputError("cannot write " + target.string() + ": " + std::strerror(error));
}

/**
 * A file under construction that becomes `target` only by commit(): anonymous (O_TMPFILE, not
 * in any folder until commit links it) where the filesystem supports it, else a hidden sibling
 * registered for removal by the signal handler. Destroyed without commit, it leaves nothing.
 */
class Temporary {
 public:
  explicit Temporary(const fs::path& target) : target_(target) {
    install_signal_handlers();
    const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    // Not O_CLOEXEC: gnuplot, a child process, writes figures through this descriptor.
    fd_ = ::open(dir.c_str(), O_TMPFILE | O_RDWR, 0666);
    if (fd_ >= 0 && ::access("/proc/self/fd", X_OK) == 0) return;
    if (fd_ >= 0) ::close(fd_);
    named_ = temporary_for(target);
    pending_ = std::make_unique<PendingRemoval>(named_);
    fd_ = ::open(named_.c_str(), O_CREAT | O_EXCL | O_RDWR, 0666);
    if (fd_ < 0) {
      const int error = errno;
      pending_.reset();
      fail_to_write(target_, error);
    }
  }
  ~Temporary() {
    if (fd_ >= 0) ::close(fd_);
    if (!named_.empty() && !committed_) ::unlink(named_.c_str());
  }
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;

  int fd() const { return fd_; }

  /// The name another process can open the file by: /dev/fd/N for an anonymous one.
  std::string path_for_child() const {
    return named_.empty() ? "/dev/fd/" + std::to_string(fd_) : named_.string();
  }

  /// Writes all of `bytes` at the current offset.
  void write_all(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail_to_write(target_, n < 0 ? errno : EIO);
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  /// Syncs the content to disk, then makes it `target` in one rename: a reader (or a crash)
  /// sees the old file or the whole new one.
  void commit() {
    if (::fsync(fd_) != 0) fail_to_write(target_, errno);
    if (named_.empty()) {
      // An anonymous file gets a name only now, whole: the hidden sibling, for one rename.
      named_ = temporary_for(target_);
      pending_ = std::make_unique<PendingRemoval>(named_);
      const std::string self = "/proc/self/fd/" + std::to_string(fd_);
      if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, named_.c_str(), AT_SYMLINK_FOLLOW) != 0) {
        const int error = errno;
        named_.clear();  // nothing was linked: nothing to remove
        fail_to_write(target_, error);
      }
    }
    if (::rename(named_.c_str(), target_.c_str()) != 0) fail_to_write(target_, errno);
    committed_ = true;
  }

 private:
  fs::path target_;
  fs::path named_;  // empty while the file is anonymous
  int fd_ = -1;
  bool committed_ = false;
  std::unique_ptr<PendingRemoval> pending_;
};

/// Whether the open file `fd` holds a whole PNG: signature first, IEND chunk last.
bool holds_whole_png(int fd) {
  static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  // The IEND chunk: length 0, type "IEND", its CRC-32; nothing may follow it.
  static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || info.st_size < 20) return false;
  unsigned char head[8] = {};
  unsigned char tail[12] = {};
  if (::pread(fd, head, 8, 0) != 8 || ::pread(fd, tail, 12, info.st_size - 12) != 12) return false;
  return std::memcmp(head, signature, 8) == 0 && std::memcmp(tail, iend, 12) == 0;
}

/// A gnuplot string literal: single quotes, with ' doubled.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += (c == '\'') ? std::string("''") : std::string(1, c);
  return out + "'";
}

fs::path executable_dir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : self.parent_path();
}

}  // namespace

void write_whole(const fs::path& path, std::string_view bytes) {
  Temporary file(path);
  file.write_all(bytes);
  file.commit();
}

bool can_create_files_in(const fs::path& dir) {
  const int anonymous = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
  if (anonymous >= 0) {
    ::close(anonymous);
    return true;
  }
  const fs::path probe = temporary_for(dir / "write-test");
  const PendingRemoval pending(probe);
  const int named = ::open(probe.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
  if (named < 0) return false;
  ::close(named);
  ::unlink(probe.c_str());
  return true;
}

fs::path output_dir(const std::string& dir) {
  const fs::path path = dir.empty() ? executable_dir().parent_path() / "figures" : fs::path(dir);
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec || !fs::is_directory(path))
    throw InputError("--plots: cannot create the folder " + path.string() +
                     (ec ? ": " + ec.message() : std::string(": a file of that name exists")));
  if (!can_create_files_in(path))
    throw InputError("--plots: cannot write to the folder " + path.string());
  return path;
}

void write_csv(const fs::path& path, const std::vector<std::string>& header, const arma::mat& table) {
  std::ostringstream out;
  for (std::size_t j = 0; j < header.size(); ++j) out << (j ? "," : "") << header[j];
  out << '\n' << std::setprecision(17);
  for (arma::uword i = 0; i < table.n_rows; ++i) {
    for (arma::uword j = 0; j < table.n_cols; ++j) out << (j ? "," : "") << table(i, j);
    out << '\n';
  }
  write_whole(path, out.view());
}

bool gnuplot_available() {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && ::access((fs::path(dir) / "gnuplot").c_str(), X_OK) == 0) return true;
  return false;
}

bool is_png(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool whole = holds_whole_png(fd);
  ::close(fd);
  return whole;
}

bool draw_figure(const std::string& script, const fs::path& png, const std::vector<PlotVariable>& vars) {
  if (!gnuplot_available()) return false;
  Temporary file(png);
  // gnuplot's own messages are dropped, never shown on the program's stderr; the shell's status
  // is always 0 so that the pipe closes quietly: the PNG itself says whether drawing worked.
  void (*previous)(int) = std::signal(SIGPIPE, SIG_IGN);
  {
    Gnuplot gp("gnuplot 2>/dev/null >/dev/null || true");
    gp << "plots = " << quoted(BP_PLOTS_DIR) << "\n";
    gp << "output = " << quoted(file.path_for_child()) << "\n";
    for (const PlotVariable& v : vars) gp << v.name << " = " << quoted(v.value) << "\n";
    gp << "load " << quoted((fs::path(BP_PLOTS_DIR) / (script + ".gp")).string()) << "\n";
    gp << "set output\nexit\n";
  }  // waits for gnuplot to exit: the PNG is complete or will never be
  std::signal(SIGPIPE, previous);
  if (!holds_whole_png(file.fd())) return false;
  file.commit();
  return true;
}

void publish_figure(const std::string& script, const fs::path& dir, const std::string& name,
                    const std::vector<std::string>& header, const arma::mat& table,
                    const std::vector<PlotVariable>& vars) {
  const fs::path csv = dir / (name + ".csv");
  const fs::path png = dir / (name + ".png");
  write_csv(csv, header, table);
  std::vector<PlotVariable> all = vars;
  all.push_back({"data", csv.string()});
  if (draw_figure(script, png, all))
    std::cout << "Figure: " << png.string() << " (data: " << csv.string() << ")\n";
  else if (!gnuplot_available())
    std::cout << "Figure not drawn: gnuplot is not installed. Its data is in " << csv.string()
              << " (install gnuplot-nox, or run ./course setup).\n";
  else
    std::cout << "Figure not drawn: gnuplot failed on plots/" << script << ".gp. Its data is in "
              << csv.string() << ".\n";
}

}  // namespace bp
