/**
 * @file input_file.hpp
 * @brief Files the programs read (a CSV file, a saved network): regular files of a bounded
 * size, opened without waiting; and text quoted safely in messages.
 */
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/input_error.hpp"

namespace bp {

/**
 * @brief A file opened for reading, refused unless it is a regular file of at most a given size.
 *
 * Opened without waiting (a FIFO with no writer would block the program forever), then checked
 * on the open descriptor: a folder, a device (/dev/zero never ends, /dev/urandom neither), a
 * FIFO or a socket is refused with its kind named; so is a file larger than the reader's limit.
 * A symbolic link to a regular file is followed.
 */
class InputFile {
 public:
  /**
   * @param path       the file to open
   * @param what       what the file should be, for messages ("a CSV file", "a saved network")
   * @param max_bytes  the largest size accepted
   * @throws InputError "cannot open PATH: reason", or "PATH: reason" (a folder, not a regular
   *         file, too large)
   */
  InputFile(const std::filesystem::path& path, const std::string& what, std::uint64_t max_bytes);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  /// The size the file had when it was opened.
  std::uint64_t size() const { return size_; }
  /// Up to `count` bytes from `offset` (fewer only at the end of the file).
  /// @throws InputError "cannot read PATH: reason"
  std::string read(std::uint64_t offset, std::uint64_t count) const;
  /// The whole file, at most its size when opened (a file that grew since is read no further).
  std::string read_all() const { return read(0, size_); }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

/// The kind of a file that is not a regular one, for messages ("a character device", "a FIFO
/// (named pipe)"), from its st_mode.
std::string file_kind(unsigned mode);

/// Whether `c` is a control character (bytes 0 to 31, and 127: a NUL, a newline, DEL).
bool is_control(char c);

/// `text` with every control character (bytes 0 to 31, and 127: a NUL, a newline) written as a
/// backslash, x and two hex digits, so that a message quoting it stays one whole line.
std::string printable(std::string_view text);

}  // namespace bp
