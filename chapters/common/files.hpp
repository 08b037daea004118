/**
 * @file files.hpp
 * @brief Files the programs write — data tables and figures — each written whole or not at
 * all: to a temporary name in the same folder first, then renamed over the target.
 */
#pragma once

#include <armadillo>
#include <filesystem>
#include <string>
#include <vector>

namespace bp {

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
 * itself. The PNG is written to a temporary name, checked to be a PNG, and renamed.
 * @return true when the PNG was drawn; false, leaving no file behind, when gnuplot is missing or
 *         failed (a figure never stops a program: its data is already on disk).
 */
bool draw_figure(const std::string& script, const std::filesystem::path& png,
                 const std::vector<PlotVariable>& vars);

/// Whether `path` is a regular file that starts with the 8-byte PNG signature.
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
