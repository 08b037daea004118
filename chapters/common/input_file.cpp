#include "common/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/input_error.hpp"

namespace fs = std::filesystem;

namespace bp {

bool is_control(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

std::string printable(std::string_view text) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (const char c : text) {
    if (!is_control(c)) {
      out += c;
      continue;
    }
    const auto u = static_cast<unsigned char>(c);
    out += "\\x";
    out += digits[u >> 4];
    out += digits[u & 15];
  }
  return out;
}

std::string file_kind(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return "a regular file";
    case S_IFDIR: return "a folder";
    case S_IFCHR: return "a character device";
    case S_IFBLK: return "a block device";
    case S_IFIFO: return "a FIFO (named pipe)";
    case S_IFSOCK: return "a socket";
    case S_IFLNK: return "a symbolic link";
    default: return "not a regular file";
  }
}

InputFile::InputFile(const fs::path& path, const std::string& what, std::uint64_t max_bytes)
    : path_(path) {
  const std::string text = path.string();
  // O_NONBLOCK: opening a FIFO that no one writes to returns at once instead of waiting forever.
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd_ < 0) throw InputError("cannot open " + text + ": " + std::strerror(errno));
  struct stat info = {};
  if (::fstat(fd_, &info) != 0) {
    const int error = errno;
    ::close(fd_);
    throw InputError("cannot read " + text + ": " + std::strerror(error));
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd_);
    if (S_ISDIR(info.st_mode)) throw InputError(text + ": a folder, not " + what);
    throw InputError(text + ": " + file_kind(info.st_mode) +
                     ", not a regular file; the programs "
                     "read regular files only (a device or a pipe may never end, or wait forever "
                     "for a writer): save its content to a file first");
  }
  size_ = static_cast<std::uint64_t>(info.st_size);
  if (size_ > max_bytes) {
    ::close(fd_);
    throw InputError(text + ": " + std::to_string(size_) + " bytes, more than the " +
                     std::to_string(max_bytes) + " bytes " + what + " may have");
  }
}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::string InputFile::read(std::uint64_t offset, std::uint64_t count) const {
  std::string bytes(count, '\0');
  std::uint64_t got = 0;
  while (got < count) {
    const ssize_t n =
        ::pread(fd_, bytes.data() + got, count - got, static_cast<off_t>(offset + got));
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) throw InputError("cannot read " + path_.string() + ": " + std::strerror(errno));
    if (n == 0) break;
    got += static_cast<std::uint64_t>(n);
  }
  bytes.resize(got);
  return bytes;
}

}  // namespace bp
