#include "common/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iomanip>
#include <memory>
#include <sstream>

#include "common/input_error.hpp"

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
    struct sigaction ignore = {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGXFSZ, &ignore, nullptr);
    for (const int signal : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old = {};
      if (::sigaction(signal, nullptr, &old) != 0 || old.sa_handler != SIG_DFL) continue;
      struct sigaction action = {};
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

/// A sibling of `target` that no other writer uses: ".name.tmp.<pid>", the name cut short when
/// the whole would pass kMaxNameBytes.
fs::path temporary_for(const fs::path& target) {
  const std::string suffix = ".tmp." + std::to_string(::getpid());
  std::string name = target.filename().string();
  if (1 + name.size() + suffix.size() > kMaxNameBytes)
    name.resize(kMaxNameBytes - 1 - suffix.size());
  return target.parent_path() / ("." + name + suffix);
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
    fd_ = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
    if (fd_ >= 0 && ::access("/proc/self/fd", X_OK) == 0) return;
    if (fd_ >= 0) ::close(fd_);
    named_ = temporary_for(target);
    pending_ = std::make_unique<PendingRemoval>(named_);
    fd_ = ::open(named_.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0666);
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

/// The folder of the running program (build/bin for a chapter program).
fs::path executable_dir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : self.parent_path();
}

}  // namespace

fs::path checked_output(const fs::path& path) {
  const std::string text = path.string();
  const auto cannot = [&](const std::string& why) -> InputError {
    return InputError("cannot write " + printable(text) + ": " + why);
  };
  if (text.empty()) throw InputError("cannot write a file with an empty name; name a file");
  if (text.size() > kMaxPathBytes)
    throw cannot("the path is " + std::to_string(text.size()) +
                 " bytes long; a path may have at most " + std::to_string(kMaxPathBytes));
  for (const fs::path& part : path)
    if (part.string().size() > kMaxNameBytes)
      throw cannot("a name in it is " + std::to_string(part.string().size()) +
                   " bytes long; a file or folder name may have at most " +
                   std::to_string(kMaxNameBytes) + " bytes");
  // The target itself: absent, or a regular file (a symbolic link to one is followed).
  fs::path target = path;
  struct stat link = {};
  if (::lstat(path.c_str(), &link) == 0) {
    struct stat info = {};
    if (::stat(path.c_str(), &info) != 0) {
      const int error = errno;
      if (error == ENOENT) throw cannot("a symbolic link to a missing file; name the file itself");
      throw cannot(std::strerror(error));  // a loop: "Too many levels of symbolic links"
    }
    if (S_ISDIR(info.st_mode)) throw cannot("it is a folder; name a file");
    if (!S_ISREG(info.st_mode))
      throw cannot("it is " + file_kind(info.st_mode) +
                   ", not a regular file; the programs never replace one");
    if (::access(path.c_str(), W_OK) != 0)
      throw cannot(std::string("the file exists and may not be written: ") + std::strerror(errno));
    if (S_ISLNK(link.st_mode)) {
      std::error_code ec;
      target = fs::canonical(path, ec);
      if (ec) throw cannot(ec.message());
    }
  } else if (errno != ENOENT && errno != ENOTDIR) {
    throw cannot(std::strerror(errno));
  }
  // Its folder: it exists, is a folder, and takes new files (the temporary is created there).
  const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  struct stat dir = {};
  if (::stat(folder.c_str(), &dir) != 0) {
    if (errno == ENOENT) throw cannot("the folder " + folder.string() + " does not exist");
    if (errno == ENOTDIR) throw cannot("a name in " + folder.string() + " is not a folder");
    throw cannot(folder.string() + ": " + std::strerror(errno));
  }
  if (!S_ISDIR(dir.st_mode)) throw cannot(folder.string() + " is not a folder");
  if (!can_create_files_in(folder))
    throw cannot("no file can be created in the folder " + folder.string());
  return target;
}

void write_whole(const fs::path& path, std::string_view bytes) {
  Temporary file(checked_output(path));
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

fs::path output_dir(const std::string& dir, const std::vector<std::string>& files) {
  const fs::path path = dir.empty() ? executable_dir().parent_path() / "figures" : fs::path(dir);
  const std::string shown = printable(path.string());
  if (path.string().size() > kMaxPathBytes)
    throw InputError("--plots: the folder's name is " + std::to_string(path.string().size()) +
                     " bytes long; a path may have at most " + std::to_string(kMaxPathBytes));
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec || !fs::is_directory(path))
    throw InputError("--plots: cannot create the folder " + shown +
                     (ec ? ": " + ec.message() : std::string(": a file of that name exists")));
  if (!can_create_files_in(path)) throw InputError("--plots: cannot write to the folder " + shown);
  for (const std::string& file : files) {
    try {
      checked_output(path / file);
    } catch (const InputError& failure) {
      throw InputError(std::string("--plots: ") + failure.what());
    }
  }
  return path;
}

void write_csv(const fs::path& path, const std::vector<std::string>& header,
               const arma::mat& table) {
  std::ostringstream out;
  for (std::size_t j = 0; j < header.size(); ++j) out << (j ? "," : "") << header[j];
  out << '\n' << std::setprecision(17);
  for (arma::uword i = 0; i < table.n_rows; ++i) {
    for (arma::uword j = 0; j < table.n_cols; ++j) out << (j ? "," : "") << table(i, j);
    out << '\n';
  }
  write_whole(path, out.view());
}

}  // namespace bp
