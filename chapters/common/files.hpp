/**
 * @file files.hpp
 * @brief Files the programs write — data tables, figures, Markdown, saved networks — each
 * written whole or not at all (the figures themselves are drawn by common/plots.hpp).
 *
 * Every file is first written to a temporary in the target's folder, then renamed over the
 * target, so a reader sees either the old file or the whole new one, never a part:
 *
 * - The temporary is anonymous where the filesystem allows it (Linux `O_TMPFILE`): it has no
 *   name until it is complete, synced to disk and linked in, so a program killed at any moment,
 *   even by SIGKILL, leaves nothing behind. Figures too: gnuplot writes the PNG into a pipe,
 *   and the program writes what it read, whole, as every other file.
 * - Otherwise, and for the instant between the link and the rename, the temporary is a hidden
 *   sibling `.name.tmp.<pid>`. SIGINT, SIGTERM and SIGHUP remove it before the program dies of
 *   the signal; only SIGKILL (or a power cut) in that window can leave it behind.
 * - SIGXFSZ is ignored once a program writes: a file-size limit (`ulimit -f`) then makes the
 *   write fail with "File too large", reported in one line (exit code 2), and the old file stays.
 */
#pragma once

#include <armadillo>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/input_file.hpp"

namespace bp {

/// The most bytes one name in a path may have (a file or folder name: NAME_MAX on Linux).
inline constexpr std::size_t kMaxNameBytes = 255;
/// The most bytes a whole path may have (PATH_MAX on Linux, less its final NUL).
inline constexpr std::size_t kMaxPathBytes = 4095;

/**
 * @brief Checks that `path` can be written by bp::write_whole, and returns the file to write.
 *
 * Refused, with the reason: an empty name; a name of more than kMaxNameBytes bytes or a path
 * of more than kMaxPathBytes; a folder that does not exist, is not a folder, or in which no file
 * can be created; a target that exists and is a folder, or is not a regular file (a device such
 * as /dev/null or /dev/full, a FIFO, a socket: it is never replaced); a symbolic link that loops
 * or names a missing file; an existing file this user may not write. A symbolic link to a
 * regular file is followed: the file it names is replaced, the link stays.
 * Programs call it for every file they will write before they start their work (so a mistake
 * costs nothing), and bp::write_whole calls it again at the moment of writing.
 * @return `path`, or the regular file a symbolic link `path` names
 * @throws InputError "cannot write PATH: reason"
 */
std::filesystem::path checked_output(const std::filesystem::path& path);

/**
 * @brief Writes `bytes` to `path` whole or not at all (see the top of this file): a temporary in
 * the same folder, written, synced and renamed over `path`.
 *
 * On failure `path` is left as it was (absent, or its old content byte for byte) and no
 * temporary remains.
 * @throws InputError "cannot write PATH: reason" (a missing folder, no permission, a full disk,
 *         a file-size limit, a folder of that name).
 */
void write_whole(const std::filesystem::path& path, std::string_view bytes);

/**
 * @brief The folder a program writes its figures and data to, created if missing, with each of
 * the files the program will write there checked by bp::checked_output.
 *
 * An empty `dir` means the default: `figures/` beside the build's `bin/` folder, so that
 * `build/bin/ch05_finite_differences` writes to `build/figures/`. (An empty `--plots ""` never
 * gets here: bp::Program refuses empty names.)
 * @param dir    the folder, as the user named it with --plots
 * @param files  the names of the files the program will write in it ("ch05_fd_error.png")
 * @throws InputError "--plots: ..." naming the folder, or the file, that cannot be written.
 */
std::filesystem::path output_dir(const std::string& dir,
                                 const std::vector<std::string>& files = {});

/**
 * @brief Writes `table` as CSV with a header line, whole or not at all.
 * @param path    the file to write
 * @param header  one name per column of `table`
 * @param table   one row per line; numbers with 17 significant digits (they read back exactly)
 * @throws InputError naming the file when it cannot be written.
 */
void write_csv(const std::filesystem::path& path, const std::vector<std::string>& header,
               const arma::mat& table);

/// Whether a file can be created in the folder `dir`, found by creating one that no one sees (and
/// removing it). Unlike access(W_OK) it says no to root too where writing fails (/proc, a
/// read-only mount).
bool can_create_files_in(const std::filesystem::path& dir);

}  // namespace bp
