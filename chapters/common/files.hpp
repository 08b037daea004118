/**
 * @file files.hpp
 * @brief Files the programs write — data tables, figures, Markdown, saved networks — each
 * written whole or not at all.
 *
 * Every file is first written to a temporary in the target's folder, then renamed over the
 * target, so a reader sees either the old file or the whole new one, never a part:
 *
 * - The temporary is anonymous where the filesystem allows it (Linux `O_TMPFILE`): it has no
 *   name until it is complete, synced to disk and linked in, so a program killed at any moment,
 *   even by SIGKILL, leaves nothing behind. Figures are anonymous temporaries too: gnuplot
 *   writes the PNG through the inherited descriptor (`/dev/fd/N`).
 * - Otherwise, and for the instant between the link and the rename, the temporary is a hidden
 *   sibling `.name.tmp.<pid>`. SIGINT, SIGTERM and SIGHUP remove it before the program dies of
 *   the signal; only SIGKILL (or a power cut) in that window can leave it behind.
 * - SIGXFSZ is ignored once a program writes: a file-size limit (`ulimit -f`) then makes the
 *   write fail with "File too large", reported in one line (exit code 2), and the old file stays.
 */
#pragma once

#include <armadillo>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace bp {

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
 * @brief The folder a program writes its figures and data to, created if missing.
 *
 * An empty `dir` means the default: `figures/` beside the build's `bin/` folder, so that
 * `build/bin/ch05_finite_differences` writes to `build/figures/`.
 * @throws InputError naming the folder when it cannot be created or written.
 */
std::filesystem::path output_dir(const std::string& dir);

/**
 * @brief Writes `table` as CSV with a header line, whole or not at all.
 * @param path    the file to write
 * @param header  one name per column of `table`
 * @param table   one row per line; numbers with 17 significant digits (they read back exactly)
 * @throws InputError naming the file when it cannot be written.
 */
void write_csv(const std::filesystem::path& path, const std::vector<std::string>& header,
               const arma::mat& table);

/// A variable passed to a figure's gnuplot script: name = 'value' (a string in gnuplot).
struct PlotVariable {
  std::string name;   ///< a gnuplot variable name
  std::string value;  ///< its value, passed as a gnuplot string
};

/**
 * @brief Draws the PNG `png` by running the gnuplot script `plots/<script>.gp` through
 * gnuplot-iostream (terminal pngcairo, headless).
 *
 * The script receives `output` (the file to write) and `vars`, and loads `plots/style.gp`
 * itself. gnuplot writes the PNG to a temporary (anonymous where the filesystem allows, see the
 * top of this file); it is checked to be a whole PNG and only then renamed over `png`.
 * @return true when the PNG was drawn; false, leaving no file behind, when gnuplot is missing or
 *         failed (a figure never stops a program: its data is already on disk).
 * @throws InputError when the folder of `png` cannot be written.
 */
bool draw_figure(const std::string& script, const std::filesystem::path& png,
                 const std::vector<PlotVariable>& vars);

/// Whether a file can be created in the folder `dir`, found by creating one that no one sees (and
/// removing it). Unlike access(W_OK) it says no to root too where writing fails (/proc, a
/// read-only mount).
bool can_create_files_in(const std::filesystem::path& dir);

/// Whether `path` is a whole PNG file: it starts with the 8-byte PNG signature and ends with
/// the 12-byte IEND chunk (a PNG cut short lacks it).
bool is_png(const std::filesystem::path& path);

/// Whether a gnuplot executable is on the PATH.
bool gnuplot_available();

/**
 * @brief The usual ending of a figure: writes its data, draws it, and prints one line saying
 * where each went (or that gnuplot is missing and where the data is).
 */
void publish_figure(const std::string& script, const std::filesystem::path& dir,
                    const std::string& name, const std::vector<std::string>& header,
                    const arma::mat& table, const std::vector<PlotVariable>& vars = {});

}  // namespace bp
