// ch11_errata: every equation of the post as printed, next to its correction, each checked
// numerically on the post's network — against central differences, or, where the printed
// product is not even defined, with Armadillo's size error caught and shown. Prints the table;
// with --markdown FILE also writes it as a Markdown table (whole or not at all) for the page.
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "11_errata/table.hpp"
#include "common/files.hpp"
#include "common/program.hpp"
#include "common/shape.hpp"

namespace {

namespace fs = std::filesystem;

/// The first row of `m` as "(0.1234, -2.5)": 4 significant digits.
std::string row_text(const arma::mat& m) {
  std::ostringstream out;
  out << std::setprecision(4) << "(";
  for (arma::uword j = 0; j < m.n_cols; ++j) out << (j ? ", " : "") << m(0, j);
  out << ")";
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  bp::Program program("ch11_errata",
                      "Chapter 11: every equation of the post as printed and corrected, each "
                      "checked numerically (central differences, or Armadillo's size error where "
                      "the printed product is not defined); prints the table of errata.");
  int hidden = 500;
  int samples = 1;
  std::uint64_t seed = 1;
  std::string markdown;
  // The Jacobians of (11)–(13) are H×H and H×2H: 1000 keeps them at tens of megabytes.
  program.add_size("--hidden", hidden, 1000, "Hidden units H");
  // Every entry of dW1 and db1 costs two forward passes of the whole batch: 50 samples with
  // H = 1000 take about ten seconds, and the post's forms are for one sample.
  program.add_size("--samples", samples, 50,
                   "Samples N in the batch (1, the default, is the post's case)");
  program.add_seed(seed);
  program.add_text("--markdown", markdown,
                   "Also write the table as Markdown to this file, for the chapter's page");

  program.set_memory_estimate({"--hidden", "--samples"}, "8 bytes × (4·H² + 10·N·H) + 64 MB", [&] {
    const double h = hidden;
    return 8.0 * (4 * h * h + 10 * static_cast<double>(samples) * h) + 64e6;
  });
  return program.run(argc, argv, [&] {
    const auto H = static_cast<arma::uword>(hidden);
    const auto N = static_cast<arma::uword>(samples);
    if (!markdown.empty()) {  // checked before the work, written after it
      try {
        bp::checked_output(markdown);
      } catch (const bp::InputError& failure) {
        throw bp::InputError(std::string("--markdown: ") + failure.what());
      }
    }
    bp::print_banner(
        "Chapter 11: the post's errata, each proven",
        "Every equation of the post, as printed and corrected, checked on the post's network:\n"
        "each form is compared with central differences (h = 1e-5) of the function whose\n"
        "derivative it claims to be, or with the loss itself for (5). A form agrees when the\n"
        "largest relative error |a - b| / max(floor, |a| + |b|) is at most 1e-6; two numbers of\n"
        "opposite signs give exactly 1. Where the printed product is not even defined,\n"
        "Armadillo's size error is caught and shown.");

    const bp::errata::Example e = bp::errata::example(H, N, seed);
    std::cout << "The network: H = " << H << " hidden units, N = " << N
              << (N == 1 ? " sample (the post's case)" : " samples") << ", seed " << seed
              << ". The first sample:\n"
              << "  x = " << row_text(e.cache.X.row(0)) << ", y = " << row_text(e.Y.row(0))
              << ", z2 = " << row_text(e.cache.Z2.row(0)) << ", ŷ = " << row_text(e.cache.P.row(0))
              << "\n  The loss L = " << std::setprecision(6) << e.loss << "\n";
    if (N > 1)
      std::cout << "  The post's forms are for one sample; on the batch they are read with X for "
                   "x, A1 for a1, P for ŷ,\n  Y for y. The local derivatives (8)–(13) are checked "
                   "at the first sample.\n";
    std::cout << "\n";

    const std::vector<bp::errata::Erratum> table = bp::errata::table(e);

    // The columns' widths, each with its one-space gap: equation, verdict, which form, the form.
    const std::size_t eq_column = 13;
    const std::size_t status_column = 11;
    const std::size_t which_column = 13;
    std::size_t form_column = 0;
    for (const bp::errata::Erratum& row : table)
      form_column = std::max(
          {form_column, bp::text_width(row.printed) + 1, bp::text_width(row.corrected) + 1});
    std::cout << bp::pad("eq.", eq_column) << bp::pad("verdict", status_column)
              << bp::pad("", which_column) << bp::pad("form", form_column) << "checked\n";
    std::cout << std::string(eq_column + status_column + which_column + form_column + 13, '-')
              << "\n";
    for (const bp::errata::Erratum& row : table) {
      std::cout << bp::pad(row.equation, eq_column) << bp::pad(row.status(), status_column)
                << bp::pad("as printed", which_column) << bp::pad(row.printed, form_column)
                << row.as_printed.brief() << "\n";
      std::cout << std::string(eq_column + status_column, ' ') << bp::pad("corrected", which_column)
                << bp::pad(row.corrected, form_column) << row.as_corrected.brief() << "\n";
    }

    std::cout << "\nThe printed forms that cannot even be compared:\n";
    for (const bp::errata::Erratum& row : table) {
      const bp::errata::Verdict& v = row.as_printed;
      if (v.kind == bp::errata::Verdict::Kind::Undefined)
        std::cout << "  " << row.equation << ": Armadillo refuses the product: " << v.detail
                  << "\n";
      else if (v.kind == bp::errata::Verdict::Kind::WrongShape)
        std::cout << "  " << row.equation << " is " << v.shape << ", but what it claims to be is "
                  << v.detail << " (" << row.reference << ")\n";
    }

    int right = 0;
    int wrong = 0;
    int unresolved = 0;
    double worst_correction = 0.0;
    for (const bp::errata::Erratum& row : table) {
      const std::string status = row.status();
      right += status == "right";
      wrong += status == "wrong";
      unresolved += status == "unresolved";
      if (row.as_corrected.kind == bp::errata::Verdict::Kind::Measured)
        worst_correction = std::max(worst_correction, row.as_corrected.relative_error);
    }
    std::cout << "\nOf the " << table.size() << " forms, " << right << " are right as printed and "
              << wrong << " are wrong.\n";
    if (unresolved == 0)
      std::cout << "Every correction agrees with its numerical check (the worst relative error is "
                << std::setprecision(2) << worst_correction << ").\n";
    else
      std::cout << unresolved
                << " corrections disagree with their numerical check too: look at exercises "
                   "11.1 and 11.2 (./course next).\n";

    if (!markdown.empty()) {
      std::ostringstream origin;
      origin << "ch11_errata, H = " << H << ", N = " << N << ", seed " << seed
             << ": the post's equations as printed and corrected, each checked numerically. "
                "Generated by the program; do not edit";
      const fs::path path(markdown);
      try {
        bp::write_whole(path, bp::errata::markdown(table, origin.str()));
      } catch (const bp::InputError& failure) {
        throw bp::InputError(std::string("--markdown: ") + failure.what() +
                             " (is its folder there and writable?)");
      }
      std::cout << "\nThe table, as Markdown for the chapter's page: " << path.string() << "\n";
    }
  });
}
