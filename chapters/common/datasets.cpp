#include "common/datasets.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/input_error.hpp"
#include "common/input_file.hpp"

namespace bp {
namespace {

constexpr double kPi = 3.14159265358979323846;

void check_request(const char* what, arma::uword samples, double noise) {
  if (samples < 2 || samples > kMaxPoints)
    throw std::invalid_argument(std::string(what) + ": samples must be 2 to " +
                                std::to_string(kMaxPoints) +
                                " (one point per class at least), not " + std::to_string(samples));
  if (!std::isfinite(noise) || noise < 0.0)
    throw std::invalid_argument(std::string(what) + ": noise must be a finite number ≥ 0");
}

std::string noise_text(double noise) {
  std::ostringstream out;
  out << noise;
  return out.str();
}

/// Point n of class n mod 2 at curve(class, u), u uniform in [0, 1), plus noise.
template <typename Curve>
Dataset generate(std::string name, arma::uword samples, double noise, Rng& rng, Curve curve) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  Dataset data;
  data.name = std::move(name);
  data.classes = 2;
  data.X.set_size(samples, 2);
  data.labels.set_size(samples);
  for (arma::uword n = 0; n < samples; ++n) {
    const arma::uword k = n % 2;
    const double u = uniform(rng);
    double x1 = 0.0;
    double x2 = 0.0;
    curve(k, u, x1, x2);
    // The noise draws are N(0, 1) scaled, so noise 0 draws them too: the positions along the
    // curve are then the same as with noise.
    x1 += noise * normal(rng);
    x2 += noise * normal(rng);
    data.X(n, 0) = x1;
    data.X(n, 1) = x2;
    data.labels(n) = k;
  }
  return data;
}

// --- CSV -----------------------------------------------------------------------------------

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) fields.push_back(trim(field));
  if (!line.empty() && line.back() == ',') fields.emplace_back();  // "1,2," has 3 fields
  return fields;
}

enum class Parsed { number, not_a_number, too_large };

/// Parses a whole field as a double (a leading '+' allowed).
Parsed parse_number(const std::string& text, double& value) {
  if (text.empty()) return Parsed::not_a_number;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (*begin == '+') ++begin;
  if (begin == end) return Parsed::not_a_number;
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ptr != end) return Parsed::not_a_number;
  if (ec == std::errc::result_out_of_range) return Parsed::too_large;  // 1e999, or 1e-999
  return ec == std::errc() ? Parsed::number : Parsed::not_a_number;
}

class CsvReader {
 public:
  explicit CsvReader(std::filesystem::path path) : path_(std::move(path)) {}

  Dataset read() {
    const InputFile file(path_, "a CSV file", kMaxCsvBytes);
    const std::string content = file.read_all();
    if (content.empty())
      throw InputError(path_.string() + ": the file is empty; expected lines x1,x2,label");
    if (content.rfind("\xFF\xFE", 0) == 0 || content.rfind("\xFE\xFF", 0) == 0)
      throw InputError(path_.string() + ": the file is UTF-16 (it starts with a UTF-16 "
                                        "byte-order mark); save it as UTF-8 or plain ASCII");

    std::vector<double> x1;
    std::vector<double> x2;
    std::vector<arma::uword> labels;
    bool first = true;
    std::size_t at = 0;
    while (at < content.size()) {
      const std::size_t end = std::min(content.find('\n', at), content.size());
      std::string line = content.substr(at, end - at);
      at = end + 1;
      ++line_no_;
      if (line_no_ > kMaxCsvLines)
        fail("more than " + std::to_string(kMaxCsvLines) +
             " lines; a CSV file may have at most "
             "that many");
      if (const std::size_t nul = line.find('\0'); nul != std::string::npos)
        fail("a NUL byte (column " + std::to_string(nul + 1) +
             "): is the file UTF-16 or binary? "
             "save it as UTF-8 or plain ASCII");
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line_no_ == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 mark
      const std::string content_of_line = trim(line);
      if (content_of_line.empty() || content_of_line[0] == '#') continue;
      const std::vector<std::string> fields = split_commas(content_of_line);
      if (first && is_header(fields)) {
        first = false;
        continue;
      }
      first = false;
      if (fields.size() != 3)
        fail("expected 3 values x1,x2,label separated by commas, found " +
             std::to_string(fields.size()) + " in \"" + shorten(content_of_line) + "\"");
      if (labels.size() == kMaxPoints)
        fail("more than " + std::to_string(kMaxPoints) +
             " points; the course's programs take at "
             "most that many");
      x1.push_back(coordinate(fields[0], "x1"));
      x2.push_back(coordinate(fields[1], "x2"));
      labels.push_back(label(fields[2]));
    }
    if (labels.empty())
      throw InputError(path_.string() + ": no data lines; expected lines x1,x2,label");
    return assemble(x1, x2, labels);
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(path_.string() + ":" + std::to_string(line_no_) + ": " + what);
  }

  /// At most 40 bytes of `text`, its control characters written \xNN (the message stays one
  /// whole line).
  static std::string shorten(const std::string& text) {
    return printable(text.size() <= 40 ? text : text.substr(0, 37) + "...");
  }

  static bool is_header(const std::vector<std::string>& fields) {
    if (fields.size() != 3) return false;
    double ignored = 0.0;
    return std::none_of(fields.begin(), fields.end(), [&](const std::string& f) {
      return parse_number(f, ignored) != Parsed::not_a_number;
    });
  }

  double coordinate(const std::string& field, const char* name) const {
    double value = 0.0;
    if (field.empty()) fail(std::string(name) + " is empty");
    const Parsed parsed = parse_number(field, value);
    if (parsed == Parsed::not_a_number)
      fail(std::string(name) + " \"" + shorten(field) + "\" is not a number");
    if (parsed == Parsed::too_large)
      fail(std::string(name) + " \"" + shorten(field) + "\" is out of the range of a double");
    // A NaN may carry a payload of any length ("nan(123...)"): the message quotes it short.
    if (!std::isfinite(value))
      fail(std::string(name) + " is " + shorten(field) + "; every value must be a finite number");
    return value;
  }

  arma::uword label(const std::string& field) const {
    double value = 0.0;
    const std::string allowed =
        "a class index is a whole number from 0 to " + std::to_string(kMaxClasses - 1);
    if (field.empty()) fail("the label is empty; " + allowed);
    if (parse_number(field, value) != Parsed::number || !std::isfinite(value) ||
        value != std::floor(value) || value < 0.0 || value > static_cast<double>(kMaxClasses - 1))
      fail("the label \"" + shorten(field) + "\" is not a class index; " + allowed);
    return static_cast<arma::uword>(value);
  }

  Dataset assemble(const std::vector<double>& x1, const std::vector<double>& x2,
                   const std::vector<arma::uword>& labels) const {
    Dataset data;
    const arma::uword n = labels.size();
    data.X.set_size(n, 2);
    data.X.col(0) = arma::vec(x1);
    data.X.col(1) = arma::vec(x2);
    data.labels = arma::uvec(labels);
    data.classes = data.labels.max() + 1;
    if (data.classes < 2)
      throw InputError(path_.string() + ": every point has label 0; training needs at least two "
                                        "classes (labels 0 and 1)");
    std::vector<arma::uword> counts(data.classes, 0);
    for (const arma::uword k : labels) ++counts[k];
    for (arma::uword k = 0; k < data.classes; ++k)
      if (counts[k] == 0)
        throw InputError(path_.string() + ": no point has label " + std::to_string(k) +
                         ", but the largest label is " + std::to_string(data.classes - 1) +
                         "; labels must be 0 to K-1 with every class present" +
                         (k == 0 ? " (are they numbered from 1?)" : ""));
    data.name = path_.filename().string() + ", " + std::to_string(n) + " points";
    return data;
  }

  std::filesystem::path path_;
  std::size_t line_no_ = 0;
};

}  // namespace

Dataset make_moons(arma::uword samples, double noise, Rng& rng) {
  check_request("make_moons", samples, noise);
  return generate("two moons, noise " + noise_text(noise), samples, noise, rng,
                  [](arma::uword k, double u, double& x1, double& x2) {
                    const double t = kPi * u;
                    x1 = k == 0 ? std::cos(t) : 1.0 - std::cos(t);
                    x2 = k == 0 ? std::sin(t) : 0.5 - std::sin(t);
                  });
}

Dataset make_circles(arma::uword samples, double noise, Rng& rng) {
  check_request("make_circles", samples, noise);
  return generate("circles, noise " + noise_text(noise), samples, noise, rng,
                  [](arma::uword k, double u, double& x1, double& x2) {
                    const double t = 2.0 * kPi * u;
                    const double r = k == 0 ? 1.0 : 0.5;
                    x1 = r * std::cos(t);
                    x2 = r * std::sin(t);
                  });
}

Dataset make_spiral(arma::uword samples, double noise, Rng& rng) {
  check_request("make_spiral", samples, noise);
  return generate("spiral, noise " + noise_text(noise), samples, noise, rng,
                  [](arma::uword k, double u, double& x1, double& x2) {
                    const double r = 0.2 + 1.8 * u;
                    const double theta = 2.0 * kPi * u + static_cast<double>(k) * kPi;
                    x1 = r * std::cos(theta);
                    x2 = r * std::sin(theta);
                  });
}

const std::vector<std::string>& dataset_kinds() {
  static const std::vector<std::string> kinds = {"moons", "circles", "spiral"};
  return kinds;
}

Dataset make_dataset(const std::string& kind, arma::uword samples, double noise, Rng& rng) {
  if (kind == "moons") return make_moons(samples, noise, rng);
  if (kind == "circles") return make_circles(samples, noise, rng);
  if (kind == "spiral") return make_spiral(samples, noise, rng);
  throw std::invalid_argument("make_dataset: unknown data set \"" + kind +
                              "\"; use moons, circles or spiral");
}

Dataset load_csv(const std::filesystem::path& path) { return CsvReader(path).read(); }

}  // namespace bp
