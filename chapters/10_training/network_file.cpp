#include "10_training/network_file.hpp"

#include <bit>
#include <boost/crc.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "common/files.hpp"
#include "common/input_error.hpp"
#include "common/shape.hpp"

namespace bp {
namespace {

constexpr std::size_t kNameBytes = 12;
constexpr std::size_t kHeaderBytes = kNameBytes + 4 + 3 * 8;  // name, version, D, H, K
constexpr std::size_t kChecksumBytes = 4;
constexpr std::uint64_t kMaxInputs = 100;
constexpr std::uint64_t kMaxHidden = 100000;
constexpr std::uint64_t kMaxClasses = 100;

static_assert(std::numeric_limits<double>::is_iec559, "the format stores IEEE-754 doubles");

/// Appends `value` as `bytes` little-endian bytes.
void put_little_endian(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xffu);
}

/// The `bytes`-byte little-endian number at `at`.
std::uint64_t get_little_endian(std::string_view in, std::size_t at, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i)
    value |= std::uint64_t{static_cast<unsigned char>(in[at + static_cast<std::size_t>(i)])}
             << (8 * i);
  return value;
}

/// CRC-32 (the polynomial of zlib, gzip and PNG) of `bytes`.
std::uint32_t crc32_of(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

/// The numbers a network of `shape` holds: D·H + H + H·K + K (shapes already in range).
std::uint64_t number_count(const NetworkShape& s) {
  return s.inputs * s.hidden + s.hidden + s.hidden * s.classes + s.classes;
}

/// The size of a saved network of `shape` (shapes already in range: no overflow).
std::uint64_t file_size_for(const NetworkShape& shape) {
  return kHeaderBytes + 8 * number_count(shape) + kChecksumBytes;
}

bool in_range(const NetworkShape& s) {
  return s.inputs >= 1 && s.inputs <= kMaxInputs && s.hidden >= 1 && s.hidden <= kMaxHidden &&
         s.classes >= 2 && s.classes <= kMaxClasses;
}

std::string hex32(std::uint32_t value) {
  char text[11];
  std::snprintf(text, sizeof text, "0x%08x", value);
  return text;
}

/// Checks what the first bytes of a file say (`head`: at least the header, or the whole file if
/// shorter) against the file's `size`, and returns the shapes it records.
NetworkShape checked_header(std::string_view head, std::uint64_t size, const std::string& source) {
  const std::string name(kNetworkFormat);
  if (size == 0)
    throw InputError(source + ": the file is empty; a saved network starts with \"" + name + "\"");
  std::string expected_name(kNameBytes, '\0');
  expected_name.replace(0, name.size(), name);
  const std::size_t compared = std::min(head.size(), kNameBytes);
  if (head.substr(0, compared) != std::string_view(expected_name).substr(0, compared) ||
      size < kNameBytes)
    throw InputError(source + ": not a saved network (it does not start with \"" + name +
                     "\"); save one with ch10_training --save FILE");
  if (size < kHeaderBytes + kChecksumBytes)
    throw InputError(source + ": truncated: " + std::to_string(size) + " bytes, fewer than the " +
                     std::to_string(kHeaderBytes + kChecksumBytes) +
                     " of a saved network's header and checksum");
  const std::uint64_t version = get_little_endian(head, kNameBytes, 4);
  if (version != kNetworkFormatVersion)
    throw InputError(source + ": format version " + std::to_string(version) +
                     "; this program reads version " + std::to_string(kNetworkFormatVersion) +
                     " only");
  const NetworkShape shape{get_little_endian(head, kNameBytes + 4, 8),
                           get_little_endian(head, kNameBytes + 12, 8),
                           get_little_endian(head, kNameBytes + 20, 8)};
  if (!in_range(shape))
    throw InputError(source + ": the shapes " + shape_text(shape) +
                     " are out of range (D from 1 to " + std::to_string(kMaxInputs) +
                     ", H from 1 to " + std::to_string(kMaxHidden) + ", K from 2 to " +
                     std::to_string(kMaxClasses) + "): the file is corrupted");
  const std::uint64_t want = file_size_for(shape);
  if (size != want)
    throw InputError(source + ": " + (size < want ? "truncated: " : "extra bytes: ") +
                     std::to_string(size) + " bytes, where a network of " + shape_text(shape) +
                     " takes " + std::to_string(want));
  return shape;
}

/// Fills `out` (r×c, already sized: W1, b1, W2 or b2) with the doubles of `bytes` from offset
/// `at` on, column by column, and moves `at` past them; false when one of them is not finite.
bool read_numbers(std::string_view bytes, std::size_t& at, arma::mat& out) {
  for (arma::uword i = 0; i < out.n_elem; ++i, at += 8)
    out(i) = std::bit_cast<double>(get_little_endian(bytes, at, 8));
  return out.is_finite();
}

/// Appends the doubles of `m` (r×c, any shape), column by column, as little-endian bytes.
void append_numbers(std::string& out, const arma::mat& m) {
  for (arma::uword i = 0; i < m.n_elem; ++i)
    put_little_endian(out, std::bit_cast<std::uint64_t>(m(i)), 8);
}

}  // namespace

NetworkShape shape_of_network(const Params& params) {
  return {params.W1.n_rows, params.W1.n_cols, params.W2.n_cols};
}

std::string shape_text(const NetworkShape& shape) {
  return "D = " + std::to_string(shape.inputs) + ", H = " + std::to_string(shape.hidden) +
         ", K = " + std::to_string(shape.classes);
}

std::string network_bytes(const Params& params) {
  const NetworkShape shape = shape_of_network(params);
  const bool fits = params.b1.n_cols == shape.hidden && params.W2.n_rows == shape.hidden &&
                    params.b2.n_cols == shape.classes;
  if (!fits || !in_range(shape))
    throw std::invalid_argument("network_bytes: W1 " + shape_of(params.W1) + ", b1 " +
                                shape_of(params.b1) + ", W2 " + shape_of(params.W2) + ", b2 " +
                                shape_of(params.b2) + " are not the shapes of one network");
  if (!params.W1.is_finite() || !params.b1.is_finite() || !params.W2.is_finite() ||
      !params.b2.is_finite())
    throw std::invalid_argument("network_bytes: the network holds a number that is not finite");
  std::string out(kNetworkFormat);
  out.resize(kNameBytes, '\0');
  put_little_endian(out, kNetworkFormatVersion, 4);
  put_little_endian(out, shape.inputs, 8);
  put_little_endian(out, shape.hidden, 8);
  put_little_endian(out, shape.classes, 8);
  out.reserve(file_size_for(shape));
  append_numbers(out, params.W1);
  append_numbers(out, params.b1);
  append_numbers(out, params.W2);
  append_numbers(out, params.b2);
  put_little_endian(out, crc32_of(out), 4);
  return out;
}

Params network_from_bytes(std::string_view bytes, const std::string& source) {
  const NetworkShape shape = checked_header(bytes, bytes.size(), source);
  const std::size_t body = bytes.size() - kChecksumBytes;
  const auto stored = static_cast<std::uint32_t>(get_little_endian(bytes, body, 4));
  const std::uint32_t computed = crc32_of(bytes.substr(0, body));
  if (stored != computed)
    throw InputError(source + ": checksum mismatch (CRC-32 stored " + hex32(stored) +
                     ", computed " + hex32(computed) + "): the file is corrupted");
  // Every check on the bytes has passed but the last: the numbers go into a network of the
  // caller's only when they are all finite (it is returned, never filled in place).
  Params params;
  params.W1.set_size(shape.inputs, shape.hidden);
  params.b1.set_size(shape.hidden);
  params.W2.set_size(shape.hidden, shape.classes);
  params.b2.set_size(shape.classes);
  std::size_t at = kHeaderBytes;
  const bool finite = read_numbers(bytes, at, params.W1) && read_numbers(bytes, at, params.b1) &&
                      read_numbers(bytes, at, params.W2) && read_numbers(bytes, at, params.b2);
  if (!finite)
    throw InputError(source + ": holds a number that is not finite (saved from a network that "
                              "diverged?)");
  return params;
}

std::uint64_t save_network(const std::filesystem::path& path, const Params& params) {
  const std::string bytes = network_bytes(params);
  write_whole(path, bytes);
  return bytes.size();
}

Params load_network(const std::filesystem::path& path) {
  const std::string source = path.string();
  // No file larger than the largest network the format allows is read at all.
  const InputFile file(path, "a saved network",
                       file_size_for({kMaxInputs, kMaxHidden, kMaxClasses}));
  const std::uint64_t size = file.size();
  const std::string head = file.read(0, std::min<std::uint64_t>(size, kHeaderBytes));
  checked_header(head, size, source);  // the size is now the one the shapes give
  const std::string bytes = file.read(0, size);
  if (bytes.size() != size)
    throw InputError("cannot read " + source + " (did it change while being read?)");
  return network_from_bytes(bytes, source);
}

}  // namespace bp
