/**
 * @file network_file.hpp
 * @brief Saving a trained network and loading it again (given code, not exercises): the
 * format `bp-network`, version 1.
 *
 * Dimension letters: D inputs, H hidden units, K classes (2, 500 and 2 for the post's network).
 *
 * A saved network is a binary file, every number little-endian whatever the machine:
 *
 * | offset | bytes | what |
 * |---|---|---|
 * | 0 | 12 | the format's name, `bp-network` and two zero bytes |
 * | 12 | 4 | the format's version, an unsigned integer: 1 |
 * | 16 | 24 | the shapes D, H, K, three unsigned 64-bit integers |
 * | 40 | 8·(D·H + H + H·K + K) | W1 (D×H), b1 (1×H), W2 (H×K), b2 (1×K): IEEE-754 doubles, each matrix column by column (Armadillo's order) |
 * | end − 4 | 4 | CRC-32 of every byte before it (the checksum of zlib, gzip and PNG) |
 *
 * The post's network (D = 2, H = 500, K = 2) takes 44 + 8·2502 = 20060 bytes.
 *
 * Why binary: a double's 8 bytes give it back exactly, with no rounding and no locale; the size
 * of a file follows from its shapes, so a truncated file is recognised before any number is
 * read. The name and version come first so that any other file, or a later version, is told
 * apart in one line. The checksum is Boost's `boost::crc_32_type` (header-only; Boost is already
 * a dependency of the figures); a CRC-32 detects every error confined to 32 consecutive bits,
 * so every flipped byte, and all but one in 2³² other corruptions.
 *
 * Loading checks, in this order, and stops at the first problem with one line naming the file
 * (bp::InputError): the file opens and is not empty; the name; the version; the shapes are in
 * range (D 1 to 100, H 1 to 100000, K 2 to 100); the file's size is exactly the one its shapes
 * give (truncated, or extra bytes); the checksum; every number is finite. A network is built
 * only when every check passed: a bad file never gives a half-loaded network.
 */
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "03_forward/forward.hpp"
#include "common/input_error.hpp"

namespace bp {

/// The format's name, the first bytes of every saved network.
inline constexpr std::string_view kNetworkFormat = "bp-network";
/// The format's version that this code writes and reads.
inline constexpr std::uint32_t kNetworkFormatVersion = 1;

/// The shapes of a network: W1 D×H, b1 1×H, W2 H×K, b2 1×K.
struct NetworkShape {
  std::uint64_t inputs = 0;   ///< D
  std::uint64_t hidden = 0;   ///< H
  std::uint64_t classes = 0;  ///< K
};

/**
 * @brief The bytes of the saved network `params` (format `bp-network`, version 1).
 * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K, every number finite
 * @throws std::invalid_argument when the shapes do not fit together or are out of range, or a
 *         number is not finite (a network that diverged is not worth saving).
 */
std::string network_bytes(const Params& params);

/**
 * @brief The network held by `bytes`, the whole content of a saved network.
 * @param bytes   the file's content
 * @param source  what to name in an error: the file's path
 * @return W1 D×H, b1 1×H, W2 H×K, b2 1×K
 * @throws InputError "SOURCE: what is wrong" at the first failed check (see the top of this file).
 */
Params network_from_bytes(std::string_view bytes, const std::string& source);

/// The shapes of `params`, as a saved network records them.
/// @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
NetworkShape shape_of_network(const Params& params);

/// "D = 2, H = 500, K = 2".
std::string shape_text(const NetworkShape& shape);

/**
 * @brief Saves `params` to `path`, whole or not at all (bp::write_whole): an interrupted or
 * failed save leaves the previous file as it was.
 * @param path    the file to write
 * @param params  W1 D×H, b1 1×H, W2 H×K, b2 1×K
 * @return the number of bytes written
 * @throws InputError "cannot write PATH: reason"; std::invalid_argument as network_bytes.
 */
std::uint64_t save_network(const std::filesystem::path& path, const Params& params);

/**
 * @brief Loads the network saved in `path`.
 *
 * Reads the 40-byte header first and the rest only when the file's size is the one its shapes
 * give, so a file claiming absurd shapes costs no memory.
 * @return W1 D×H, b1 1×H, W2 H×K, b2 1×K
 * @throws InputError "PATH: what is wrong": the file cannot be opened, is a folder, or fails a
 *         check listed at the top of this file.
 */
Params load_network(const std::filesystem::path& path);

}  // namespace bp
