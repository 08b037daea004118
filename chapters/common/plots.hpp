/**
 * @file plots.hpp
 * @brief Figures: a gnuplot script of plots/ run on the data a program wrote, headless (terminal
 * pngcairo), the PNG written whole as every other file (common/files.hpp).
 *
 * A missing gnuplot only warns: the figure's data is on disk, and the program says where.
 */
#pragma once

#include <armadillo>
#include <filesystem>
#include <string>
#include <vector>

#include "common/files.hpp"

namespace bp {

/**
 * @brief A variable passed to a figure's gnuplot script: name = 'value' (a string in gnuplot).
 *
 * No name or text a user gives is ever interpreted by gnuplot or a shell: a file (`is_file`) is
 * opened by the program and passed as `/dev/fd/N` of the open descriptor, never by its name, and
 * a text (a title, which may quote a file name) is passed as a single-quoted gnuplot string, in
 * which nothing is interpreted, with its control characters (a newline would end the string and
 * start a new command) shown as "?".
 */
struct PlotVariable {
  std::string name;      ///< a gnuplot variable name (letters, digits, '_': the program's own)
  std::string value;     ///< its value, passed as a gnuplot string; or the path of a file
  bool is_file = false;  ///< whether `value` names a file the script reads (a CSV table)
};

/**
 * @brief Draws the PNG `png` by running the gnuplot script `plots/<script>.gp` through
 * gnuplot-iostream (terminal pngcairo, headless).
 *
 * The script receives `output` and `vars` (see PlotVariable), and loads `plots/style.gp`
 * itself. gnuplot writes the PNG into a pipe (`output` is `/dev/fd/N` of its write end), never
 * to a file: the program reads it, checks that it is a whole PNG, and writes it with
 * bp::write_whole, so a full disk or a file-size limit is the program's own failed write,
 * reported as every other one.
 * @return true when the PNG was drawn; false, leaving no file behind, when gnuplot is missing
 *         (the one case that only warns: the figure's data is already on disk).
 * @throws InputError "cannot write PNG: reason" when the PNG cannot be written (a full disk, a
 *         file-size limit, a target that is not a regular file); std::runtime_error when gnuplot
 *         ran but gave no whole PNG.
 */
bool draw_figure(const std::string& script, const std::filesystem::path& png,
                 const std::vector<PlotVariable>& vars);

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
