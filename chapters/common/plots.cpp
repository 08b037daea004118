#include "common/plots.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <armadillo>  // before gnuplot-iostream: it then knows how to send Armadillo types
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <gnuplot-iostream.h>
#include <iostream>
#include <sstream>
#include <thread>

#include "common/input_error.hpp"
#include "common/input_file.hpp"

#ifndef BP_PLOTS_DIR
#error "BP_PLOTS_DIR must name the folder of the gnuplot scripts"
#endif

namespace fs = std::filesystem;

namespace bp {
namespace {

/// A gnuplot string literal of a text: single quotes, in which gnuplot interprets nothing (no
/// backslash escapes, no `command` substitution, no @macros) but a doubled quote, which stands
/// for one; a control character (a newline would end the line, and the next would be a command)
/// is shown as "?".
std::string quoted_text(const std::string& text) {
  std::string out = "'";
  for (const char c : text)
    out += c == '\'' ? std::string("''") : std::string(1, is_control(c) ? '?' : c);
  return out + "'";
}

/// The same for a path the program itself chose (the scripts' folder): a control character in
/// it cannot be shown otherwise, so it is refused.
std::string quoted_path(const std::string& path) {
  for (const char c : path)
    if (is_control(c))
      throw std::runtime_error("the folder of the gnuplot scripts, " + printable(path) +
                               ", has a control character in its name; move the course");
  return quoted_text(path);
}

/// A descriptor that gnuplot, a child process, inherits: without FD_CLOEXEC.
void let_children_inherit(int fd) {
  const int flags = ::fcntl(fd, F_GETFD);
  if (flags >= 0) ::fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
}

/// Closes a descriptor once, at the end of a scope or before.
class Descriptor {
 public:
  explicit Descriptor(int fd = -1) : fd_(fd) {}
  ~Descriptor() { close(); }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  Descriptor(Descriptor&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Descriptor& operator=(Descriptor&&) = delete;
  int get() const { return fd_; }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

/// The largest PNG a figure may be (the course's are 20 to 200 kB).
constexpr std::size_t kMaxFigureBytes = std::size_t{64} << 20;

/// Whether `bytes` is a whole PNG: the 8-byte signature first, the 12-byte IEND chunk last (a
/// PNG cut short lacks it).
bool is_whole_png(std::string_view bytes) {
  static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  // The IEND chunk: length 0, type "IEND", its CRC-32; nothing may follow it.
  static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
  return bytes.size() >= 20 && std::memcmp(bytes.data(), signature, 8) == 0 &&
         std::memcmp(bytes.data() + bytes.size() - 12, iend, 12) == 0;
}

}  // namespace

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
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  struct stat info = {};
  std::string bytes;
  if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size >= 20 &&
      static_cast<std::uint64_t>(info.st_size) <= kMaxFigureBytes) {
    bytes.resize(static_cast<std::size_t>(info.st_size));
    if (::pread(fd, bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size()))
      bytes.clear();
  }
  ::close(fd);
  return is_whole_png(bytes);
}

bool draw_figure(const std::string& script, const fs::path& png,
                 const std::vector<PlotVariable>& vars) {
  if (!gnuplot_available()) return false;
  const fs::path target = checked_output(png);  // before gnuplot runs, not after
  // The tables the script reads, open before gnuplot starts: it gets /dev/fd/N, never a name.
  std::vector<Descriptor> tables;
  std::vector<std::string> values;
  for (const PlotVariable& v : vars) {
    if (!v.is_file) {
      values.push_back(quoted_text(v.value));
      continue;
    }
    tables.emplace_back(::open(v.value.c_str(), O_RDONLY | O_CLOEXEC));
    if (tables.back().get() < 0)
      throw InputError("cannot read " + v.value + ": " + std::strerror(errno));
    let_children_inherit(tables.back().get());
    values.push_back(quoted_text("/dev/fd/" + std::to_string(tables.back().get())));
  }
  // gnuplot writes the PNG into a pipe; a thread reads it while gnuplot runs.
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("cannot make a pipe for gnuplot: ") +
                             std::strerror(errno));
  Descriptor from_gnuplot(ends[0]);
  Descriptor to_program(ends[1]);
  let_children_inherit(to_program.get());
  std::string bytes;
  bool too_large = false;
  std::thread reader([&] {
    char buffer[65536];
    for (;;) {
      const ssize_t n = ::read(from_gnuplot.get(), buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      if (bytes.size() + static_cast<std::size_t>(n) > kMaxFigureBytes) too_large = true;
      if (!too_large) bytes.append(buffer, static_cast<std::size_t>(n));
    }
  });
  // gnuplot's own messages are dropped, never shown on the program's stderr; the shell's status
  // is always 0 so that the pipe closes quietly: the PNG itself says whether drawing worked.
  void (*previous)(int) = std::signal(SIGPIPE, SIG_IGN);
  try {
    Gnuplot gp("gnuplot 2>/dev/null >/dev/null || true");
    // gnuplot has its copies now: ours must be closed for the reader to see the end of the PNG.
    to_program.close();
    for (Descriptor& t : tables) t.close();
    gp << "plots = " << quoted_path(BP_PLOTS_DIR) << "\n";
    gp << "output = " << quoted_text("/dev/fd/" + std::to_string(ends[1])) << "\n";
    for (std::size_t i = 0; i < vars.size(); ++i) gp << vars[i].name << " = " << values[i] << "\n";
    gp << "load " << quoted_path((fs::path(BP_PLOTS_DIR) / (script + ".gp")).string()) << "\n";
    gp << "set output\nexit\n";
  } catch (...) {  // waits for gnuplot to exit: the PNG is complete or will never be
    to_program.close();
    reader.join();
    std::signal(SIGPIPE, previous);
    throw;
  }
  reader.join();
  std::signal(SIGPIPE, previous);
  if (too_large || !is_whole_png(bytes))
    throw std::runtime_error("gnuplot did not draw " + printable(png.string()) + " (plots/" +
                             script + ".gp" + (too_large ? ": the PNG was too large" : "") + ")");
  write_whole(target, bytes);
  return true;
}

void publish_figure(const std::string& script, const fs::path& dir, const std::string& name,
                    const std::vector<std::string>& header, const arma::mat& table,
                    const std::vector<PlotVariable>& vars) {
  const fs::path csv = dir / (name + ".csv");
  const fs::path png = dir / (name + ".png");
  write_csv(csv, header, table);
  std::vector<PlotVariable> all = vars;
  all.push_back({"data", csv.string(), true});
  if (draw_figure(script, png, all))
    std::cout << "Figure: " << png.string() << " (data: " << csv.string() << ")\n";
  else
    std::cout << "Figure not drawn: gnuplot is not installed. Its data is in " << csv.string()
              << " (install gnuplot-nox, or run ./course setup).\n";
}

}  // namespace bp
