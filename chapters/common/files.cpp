#include "common/files.hpp"

#include <unistd.h>

#include <armadillo>  // before gnuplot-iostream: it then knows how to send Armadillo types
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <gnuplot-iostream.h>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "common/program.hpp"

#ifndef BP_PLOTS_DIR
#error "BP_PLOTS_DIR must name the folder of the gnuplot scripts"
#endif

namespace fs = std::filesystem;

namespace bp {
namespace {

/// A sibling of `target` that no other writer uses: ".name.tmp.<pid>".
fs::path temporary_for(const fs::path& target) {
  std::string name = ".";
  name += target.filename().string();
  name += ".tmp.";
  name += std::to_string(::getpid());
  return target.parent_path() / name;
}

/// A gnuplot string literal: single quotes, with ' doubled.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += (c == '\'') ? std::string("''") : std::string(1, c);
  return out + "'";
}

fs::path executable_dir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : self.parent_path();
}

}  // namespace

fs::path output_dir(const std::string& dir) {
  const fs::path path = dir.empty() ? executable_dir().parent_path() / "figures" : fs::path(dir);
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec || !fs::is_directory(path))
    throw InputError("--plots: cannot create the folder " + path.string() +
                     (ec ? ": " + ec.message() : std::string(": a file of that name exists")));
  if (::access(path.c_str(), W_OK) != 0)
    throw InputError("--plots: cannot write to the folder " + path.string());
  return path;
}

void write_csv(const fs::path& path, const std::vector<std::string>& header, const arma::mat& table) {
  const fs::path tmp = temporary_for(path);
  {
    std::ofstream out(tmp);
    for (std::size_t j = 0; j < header.size(); ++j) out << (j ? "," : "") << header[j];
    out << '\n' << std::setprecision(17);
    for (arma::uword i = 0; i < table.n_rows; ++i) {
      for (arma::uword j = 0; j < table.n_cols; ++j) out << (j ? "," : "") << table(i, j);
      out << '\n';
    }
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw InputError("cannot write " + path.string());
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw InputError("cannot write " + path.string());
  }
}

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
  static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::ifstream in(path, std::ios::binary);
  unsigned char head[8] = {};
  if (!in.read(reinterpret_cast<char*>(head), 8)) return false;
  return std::equal(head, head + 8, signature);
}

bool draw_figure(const std::string& script, const fs::path& png, const std::vector<PlotVariable>& vars) {
  if (!gnuplot_available()) return false;
  const fs::path tmp = temporary_for(png);
  const fs::path log = temporary_for(png.parent_path() / (png.filename().string() + ".log"));
  // gnuplot's own messages go to a log, never to the program's stderr; the shell's status is
  // always 0 so that the pipe closes quietly: the PNG itself says whether drawing worked.
  void (*previous)(int) = std::signal(SIGPIPE, SIG_IGN);
  {
    Gnuplot gp("gnuplot 2>" + quoted(log.string()) + " >/dev/null || true");
    gp << "plots = " << quoted(BP_PLOTS_DIR) << "\n";
    gp << "output = " << quoted(tmp.string()) << "\n";
    for (const PlotVariable& v : vars) gp << v.name << " = " << quoted(v.value) << "\n";
    gp << "load " << quoted((fs::path(BP_PLOTS_DIR) / (script + ".gp")).string()) << "\n";
    gp << "set output\nexit\n";
  }
  std::signal(SIGPIPE, previous);
  std::error_code ec;
  const bool drawn = is_png(tmp);
  if (drawn) fs::rename(tmp, png, ec);
  fs::remove(tmp, ec);
  fs::remove(log, ec);
  return drawn && fs::exists(png);
}

void publish_figure(const std::string& script, const fs::path& dir, const std::string& name,
                    const std::vector<std::string>& header, const arma::mat& table,
                    const std::vector<PlotVariable>& vars) {
  const fs::path csv = dir / (name + ".csv");
  const fs::path png = dir / (name + ".png");
  write_csv(csv, header, table);
  std::vector<PlotVariable> all = vars;
  all.push_back({"data", csv.string()});
  if (draw_figure(script, png, all))
    std::cout << "Figure: " << png.string() << " (data: " << csv.string() << ")\n";
  else if (!gnuplot_available())
    std::cout << "Figure not drawn: gnuplot is not installed. Its data is in " << csv.string()
              << " (install gnuplot-nox, or run ./course setup).\n";
  else
    std::cout << "Figure not drawn: gnuplot failed on plots/" << script << ".gp. Its data is in "
              << csv.string() << ".\n";
}

}  // namespace bp
