// Tests of the given data sets in chapters/common/datasets.hpp (not exercises): the three
// generators (shapes, labels, the curves they follow, seeding) and the CSV reader (good files
// load; every kind of bad file gives an InputError naming the file and, for a bad line, the
// line).
#include <gtest/gtest.h>

#include <armadillo>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "common/datasets.hpp"
#include "common/program.hpp"
#include "common/random.hpp"

namespace {

constexpr double kPi = 3.14159265358979323846;

using Generator = std::function<bp::Dataset(arma::uword, double, bp::Rng&)>;

// Shape, classes and alternating labels: what every generator promises.
void ExpectWellFormed(const bp::Dataset& data, arma::uword samples) {
  ASSERT_EQ(data.X.n_rows, samples);
  ASSERT_EQ(data.X.n_cols, 2u);
  ASSERT_EQ(data.labels.n_elem, samples);
  EXPECT_EQ(data.classes, 2u);
  EXPECT_FALSE(data.name.empty());
  EXPECT_TRUE(data.X.is_finite());
  for (arma::uword n = 0; n < samples; ++n) EXPECT_EQ(data.labels(n), n % 2) << "point " << n;
}

// ---------------------------------------------------------------------------------------------
// The generators.

TEST(Datasets_Generators, ShapesAndAlternatingLabels) {
  for (const std::string& kind : bp::dataset_kinds()) {
    SCOPED_TRACE(kind);
    bp::Rng rng(1);
    ExpectWellFormed(bp::make_dataset(kind, 200, 0.2, rng), 200);
    bp::Rng odd(1);
    const bp::Dataset three = bp::make_dataset(kind, 3, 0.2, odd);  // classes 0, 1, 0
    ExpectWellFormed(three, 3);
  }
}

TEST(Datasets_Generators, SameSeedSamePointsOtherSeedOtherPoints) {
  for (const std::string& kind : bp::dataset_kinds()) {
    SCOPED_TRACE(kind);
    bp::Rng a(7), b(7), c(8);
    const arma::mat A = bp::make_dataset(kind, 50, 0.1, a).X;
    const arma::mat B = bp::make_dataset(kind, 50, 0.1, b).X;
    const arma::mat C = bp::make_dataset(kind, 50, 0.1, c).X;
    EXPECT_TRUE(arma::approx_equal(A, B, "absdiff", 0.0));
    EXPECT_FALSE(arma::approx_equal(A, C, "absdiff", 1e-3));
  }
}

TEST(Datasets_Generators, MakeDatasetIsTheNamedGenerator) {
  const std::vector<std::pair<std::string, Generator>> named = {
      {"moons", bp::make_moons}, {"circles", bp::make_circles}, {"spiral", bp::make_spiral}};
  for (const auto& [kind, generator] : named) {
    bp::Rng a(3), b(3);
    EXPECT_TRUE(arma::approx_equal(bp::make_dataset(kind, 20, 0.3, a).X, generator(20, 0.3, b).X,
                                   "absdiff", 0.0))
        << kind;
  }
}

TEST(Datasets_Generators, RejectsBadRequests) {
  bp::Rng rng(1);
  EXPECT_THROW(bp::make_moons(1, 0.1, rng), std::invalid_argument);  // one class only
  EXPECT_THROW(bp::make_circles(bp::kMaxPoints + 1, 0.1, rng), std::invalid_argument);
  EXPECT_THROW(bp::make_spiral(10, -0.1, rng), std::invalid_argument);
  EXPECT_THROW(bp::make_moons(10, std::nan(""), rng), std::invalid_argument);
  EXPECT_THROW(bp::make_dataset("squares", 10, 0.1, rng), std::invalid_argument);
}

TEST(Datasets_Moons, WithoutNoiseThePointsLieOnTheTwoHalfCircles) {
  // Class 0 on the upper half of the unit circle; class 1 on the lower half of the unit circle
  // centred at (1, 0.5). Exact up to the rounding of cos and sin.
  bp::Rng rng(2);
  const bp::Dataset data = bp::make_moons(100, 0.0, rng);
  for (arma::uword n = 0; n < 100; ++n) {
    const double x1 = data.X(n, 0), x2 = data.X(n, 1);
    if (data.labels(n) == 0) {
      EXPECT_NEAR(x1 * x1 + x2 * x2, 1.0, 1e-12);
      EXPECT_GE(x2, 0.0);
    } else {
      EXPECT_NEAR((x1 - 1.0) * (x1 - 1.0) + (x2 - 0.5) * (x2 - 0.5), 1.0, 1e-12);
      EXPECT_LE(x2, 0.5);
    }
  }
}

TEST(Datasets_Moons, NoiseMovesThePointsByItsStandardDeviation) {
  // The same seed with and without noise draws the same positions along the curves, so the
  // difference is the noise itself: 2·5000 N(0, 0.2²) draws, whose standard deviation is within
  // 5 standard errors (0.2·5/sqrt(2·10^4) ≈ 0.007) of 0.2.
  bp::Rng a(4), b(4);
  const arma::mat clean = bp::make_moons(10000, 0.0, a).X;
  const arma::mat noisy = bp::make_moons(10000, 0.2, b).X;
  const arma::vec moved = arma::vectorise(noisy - clean);
  EXPECT_NEAR(arma::stddev(moved), 0.2, 0.007);
  EXPECT_NEAR(arma::mean(moved), 0.0, 0.007);
}

TEST(Datasets_Circles, WithoutNoiseTheRadiiAreOneAndOneHalf) {
  bp::Rng rng(5);
  const bp::Dataset data = bp::make_circles(100, 0.0, rng);
  for (arma::uword n = 0; n < 100; ++n)
    EXPECT_NEAR(arma::norm(data.X.row(n)), data.labels(n) == 0 ? 1.0 : 0.5, 1e-12) << n;
}

TEST(Datasets_Spiral, WithoutNoiseEachPointIsOnItsArm) {
  // From the radius r = 0.2 + 1.8 u, recover u, and so the angle θ = 2πu + kπ of arm k: the
  // point must be r (cos θ, sin θ). A point of the other arm would be off by half a turn.
  bp::Rng rng(6);
  const bp::Dataset data = bp::make_spiral(200, 0.0, rng);
  for (arma::uword n = 0; n < 200; ++n) {
    const double r = arma::norm(data.X.row(n));
    ASSERT_GE(r, 0.2 - 1e-12);
    ASSERT_LE(r, 2.0 + 1e-12);
    const double u = (r - 0.2) / 1.8;
    const double theta = 2.0 * kPi * u + static_cast<double>(data.labels(n)) * kPi;
    EXPECT_NEAR(data.X(n, 0), r * std::cos(theta), 1e-9) << n;
    EXPECT_NEAR(data.X(n, 1), r * std::sin(theta), 1e-9) << n;
  }
}

// ---------------------------------------------------------------------------------------------
// The CSV reader. Each test writes its files into a fresh folder.

class Datasets_Csv : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("bp_datasets_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path Write(const std::string& name, const std::string& text) {
    const std::filesystem::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // Passes when loading `text` throws bp::InputError whose message names the file, holds
  // `where` (":LINE:" for a bad line) and `what`.
  testing::AssertionResult Rejects(const std::string& text, const std::string& where,
                                   const std::string& what) {
    const std::filesystem::path path = Write("bad.csv", text);
    try {
      bp::load_csv(path);
    } catch (const bp::InputError& e) {
      const std::string message = e.what();
      if (message.find(path.string() + where) == std::string::npos ||
          message.find(what) == std::string::npos)
        return testing::AssertionFailure() << "the message should name " << path.string() << where
                                           << " and say \"" << what << "\": " << message;
      if (message.find('\n') != std::string::npos)
        return testing::AssertionFailure() << "the message should be one line: " << message;
      return testing::AssertionSuccess();
    } catch (const std::exception& e) {
      return testing::AssertionFailure()
             << "threw something else than bp::InputError: " << e.what();
    }
    return testing::AssertionFailure() << "no InputError for \"" << text << "\"";
  }

  std::filesystem::path dir_;
};

TEST_F(Datasets_Csv, LoadsAPlainFile) {
  const bp::Dataset data = bp::load_csv(Write("points.csv", "0.5,-1,0\n2,3.25,1\n-1e-3,4,1\n"));
  ASSERT_EQ(data.X.n_rows, 3u);
  ASSERT_EQ(data.X.n_cols, 2u);
  ASSERT_EQ(data.labels.n_elem, 3u);
  const arma::mat expected = {{0.5, -1.0}, {2.0, 3.25}, {-1e-3, 4.0}};
  EXPECT_TRUE(arma::approx_equal(data.X, expected, "absdiff", 0.0));
  EXPECT_TRUE(arma::all(data.labels == arma::uvec({0, 1, 1})));
  EXPECT_EQ(data.classes, 2u);
  EXPECT_EQ(data.name, "points.csv, 3 points");
}

TEST_F(Datasets_Csv, AcceptsHeaderCommentsBlankLinesSpacesAndWindowsLineEnds) {
  const bp::Dataset data = bp::load_csv(Write(
      "points.csv", "x1, x2, label\r\n# a comment\r\n\r\n 1 , +2 , 0 \r\n3,4e0,1.0\r\n5,6,2"));
  ASSERT_EQ(data.X.n_rows, 3u);
  const arma::mat expected = {{1, 2}, {3, 4}, {5, 6}};
  EXPECT_TRUE(arma::approx_equal(data.X, expected, "absdiff", 0.0));
  EXPECT_TRUE(arma::all(data.labels == arma::uvec({0, 1, 2})));
  EXPECT_EQ(data.classes, 3u);
}

TEST_F(Datasets_Csv, ReadsBackAGeneratedDataSetExactly) {
  // 17 significant digits round-trip a double: what bp::write_csv writes, this reads.
  bp::Rng rng(9);
  const bp::Dataset moons = bp::make_moons(40, 0.2, rng);
  std::ostringstream text;
  text << "x1,x2,label\n" << std::setprecision(17);
  for (arma::uword n = 0; n < 40; ++n)
    text << moons.X(n, 0) << "," << moons.X(n, 1) << "," << moons.labels(n) << "\n";
  const bp::Dataset back = bp::load_csv(Write("moons.csv", text.str()));
  EXPECT_TRUE(arma::approx_equal(back.X, moons.X, "absdiff", 0.0));
  EXPECT_TRUE(arma::all(back.labels == moons.labels));
}

TEST_F(Datasets_Csv, MalformedNumberNamesTheLine) {
  EXPECT_TRUE(Rejects("1,2,0\n1.2.3,4,1\n", ":2:", "x1 \"1.2.3\" is not a number"));
  EXPECT_TRUE(Rejects("1,2,0\n3,abc,1\n", ":2:", "x2 \"abc\" is not a number"));
  EXPECT_TRUE(Rejects("1,2,0\n3,,1\n", ":2:", "x2 is empty"));
}

TEST_F(Datasets_Csv, WrongColumnCountNamesTheLine) {
  EXPECT_TRUE(Rejects("1,2,0\n3,4\n", ":2:", "expected 3 values"));
  EXPECT_TRUE(Rejects("1,2,0\n\n3,4,1,5\n", ":3:", "found 4"));
  EXPECT_TRUE(Rejects("1;2;0\n", ":1:", "found 1"));  // a semicolon file
  EXPECT_TRUE(Rejects("1,2,0\n3,4,\n", ":2:", "the label is empty"));
}

TEST_F(Datasets_Csv, LabelThatIsNotAClassIndexNamesTheLine) {
  EXPECT_TRUE(Rejects("1,2,0\n3,4,1.5\n", ":2:", "the label \"1.5\" is not a class index"));
  EXPECT_TRUE(Rejects("1,2,0\n3,4,-1\n", ":2:", "the label \"-1\" is not a class index"));
  EXPECT_TRUE(Rejects("1,2,0\n3,4,yes\n", ":2:", "is not a class index"));
  EXPECT_TRUE(Rejects("1,2,0\n3,4,10\n", ":2:", "from 0 to 9"));
  EXPECT_TRUE(Rejects("1,2,0\n3,4,nan\n", ":2:", "is not a class index"));
}

TEST_F(Datasets_Csv, NanAndInfinityNameTheLine) {
  EXPECT_TRUE(Rejects("1,2,0\n3,4,1\nnan,4,1\n", ":3:", "x1 is nan"));
  EXPECT_TRUE(Rejects("1,inf,0\n3,4,1\n", ":1:", "x2 is inf; every value must be a finite number"));
  EXPECT_TRUE(Rejects("1,2,0\n-infinity,4,1\n", ":2:", "must be a finite number"));
  EXPECT_TRUE(Rejects("1,2,0\n1e999,4,1\n", ":2:", "x1 \"1e999\" is out of the range"));
}

TEST_F(Datasets_Csv, EmptyFileOrNoDataIsNamed) {
  EXPECT_TRUE(Rejects("", "", "the file is empty"));
  EXPECT_TRUE(Rejects("x1,x2,label\n\n", "", "no data lines"));
}

TEST_F(Datasets_Csv, MissingFileOrFolderIsNamed) {
  const std::filesystem::path missing = dir_ / "missing.csv";
  try {
    bp::load_csv(missing);
    FAIL() << "a missing file loaded";
  } catch (const bp::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open " + missing.string()), std::string::npos)
        << e.what();
  }
  try {
    bp::load_csv(dir_);
    FAIL() << "a folder loaded";
  } catch (const bp::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("a folder, not a CSV file"), std::string::npos)
        << e.what();
  }
}

TEST_F(Datasets_Csv, AUtf8MarkDirectlyBeforeADataLineIsSkipped) {
  // No header: the mark sits right before the first number, which must still read as 0.5.
  const bp::Dataset data = bp::load_csv(Write("points.csv", "\xEF\xBB\xBF"
                                                            "0.5,1,0\n2,3,1\n"));
  ASSERT_EQ(data.X.n_rows, 2u);
  EXPECT_EQ(data.X(0, 0), 0.5);
  EXPECT_EQ(data.X(1, 1), 3.0);
  EXPECT_TRUE(arma::all(data.labels == arma::uvec({0, 1})));
}

TEST_F(Datasets_Csv, NulBytesAndUtf16AreNamedInOneWholeLine) {
  EXPECT_TRUE(Rejects(std::string("1,2,0\n3\0,4,1\n", 13), ":2:", "a NUL byte (column 2)"));
  // UTF-16 with its byte-order mark, and without (little-endian: a NUL after each character).
  EXPECT_TRUE(Rejects(std::string("\xFF\xFE"
                                  "1\0,\0"
                                  "2\0",
                                  8),
                      "", "the file is UTF-16"));
  EXPECT_TRUE(Rejects(std::string("1\0,\0"
                                  "2\0,\0"
                                  "0\0\n\0",
                                  12),
                      ":1:", "a NUL byte (column 2): is the file UTF-16 or binary?"));
  // A control character in a quoted field is written \xNN, so the message stays whole.
  EXPECT_TRUE(Rejects("1,2,0\n3,a\x01\x1b"
                      "b,1\n",
                      ":2:", "x2 \"a\\x01\\x1bb\" is not a number"));
}

TEST_F(Datasets_Csv, FilesThatAreNotRegularAreRefusedWithoutWaiting) {
  const std::filesystem::path fifo = dir_ / "fifo.csv";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // A FIFO with no writer: opening it to read would wait forever.
  for (const auto& [path, kind] :
       {std::pair<std::filesystem::path, std::string>{fifo, "a FIFO (named pipe)"},
        {"/dev/zero", "a character device"},
        {"/dev/null", "a character device"}}) {
    try {
      bp::load_csv(path);
      ADD_FAILURE() << path << " loaded";
    } catch (const bp::InputError& e) {
      EXPECT_EQ(
          std::string(e.what()).rfind(path.string() + ": " + kind + ", not a regular file", 0), 0u)
          << e.what();
    }
  }
}

TEST_F(Datasets_Csv, ReadingIsBoundedInBytesAndLines) {
  EXPECT_TRUE(Rejects(std::string(bp::kMaxCsvBytes + 1, '\n'), "",
                      std::to_string(bp::kMaxCsvBytes + 1) + " bytes, more than the " +
                          std::to_string(bp::kMaxCsvBytes) + " bytes a CSV file may have"));
  EXPECT_TRUE(Rejects("0,0,0\n1,1,1\n" + std::string(bp::kMaxCsvLines, '\n'),
                      ":1000001:", "more than 1000000 lines"));
}

TEST_F(Datasets_Csv, ClassesMustBeZeroToKMinusOneAllPresent) {
  EXPECT_TRUE(Rejects("1,2,0\n3,4,0\n", "", "at least two classes"));
  EXPECT_TRUE(Rejects("1,2,1\n3,4,2\n", "", "no point has label 0"));
  EXPECT_TRUE(Rejects("1,2,0\n3,4,2\n", "", "no point has label 1"));
}

// ---------------------------------------------------------------------------------------------
// The fuzzing inputs of tests/fuzz/ (its README): the seed corpus, and every input that once
// broke the loader (regressions/). The fuzzer runs them in the sanitize build; here they run
// in every build, through the same promises the fuzz target checks: a Dataset that is well
// formed, or one bp::InputError of one short line that begins with the file's path. The files
// are named here, not globbed: a new one is added to its list.

// At most this many characters after the path: a message quotes a bad value shortened.
constexpr std::size_t kMaxMessage = 300;

const std::filesystem::path kFuzzInputs = BP_FUZZ_INPUTS;

const std::vector<std::string> kGoodSeeds = {"good_comments_blank_lines.csv",
                                             "good_crlf.csv",
                                             "good_header.csv",
                                             "good_plain.csv",
                                             "good_spaces_signs_exponents.csv",
                                             "good_utf8_mark_no_final_newline.csv"};
const std::vector<std::string> kBadSeeds = {
    "bad_empty_file.csv",      "bad_empty_label.csv",     "bad_empty_value.csv",
    "bad_infinity.csv",        "bad_label_fraction.csv",  "bad_label_negative.csv",
    "bad_label_too_large.csv", "bad_labels_from_one.csv", "bad_nan.csv",
    "bad_no_data.csv",         "bad_not_a_number.csv",    "bad_one_class.csv",
    "bad_out_of_range.csv",    "bad_semicolons.csv",      "bad_too_few_values.csv",
    "bad_too_many_values.csv"};
const std::vector<std::string> kRegressions = {
    "nan_with_long_payload.csv",  // a NaN's payload was quoted whole: a message of any length
};

// Loads `path` and passes when the loader kept its promises; `loaded` says which one it gave.
testing::AssertionResult LoadsOrRejectsInOneLine(const std::filesystem::path& path, bool& loaded) {
  if (!std::filesystem::is_regular_file(path))
    return testing::AssertionFailure() << path.string() << " is missing";
  try {
    const bp::Dataset data = bp::load_csv(path);
    loaded = true;
    const arma::uword n = data.X.n_rows;
    if (data.X.n_cols != 2 || n < 1 || n > bp::kMaxPoints || data.labels.n_elem != n)
      return testing::AssertionFailure()
             << "X is " << n << "×" << data.X.n_cols << " with " << data.labels.n_elem << " labels";
    if (!data.X.is_finite()) return testing::AssertionFailure() << "a value is not finite";
    if (data.classes < 2 || data.classes > bp::kMaxClasses)
      return testing::AssertionFailure() << data.classes << " classes";
    for (arma::uword k = 0; k < data.classes; ++k)
      if (!arma::any(data.labels == k))
        return testing::AssertionFailure() << "class " << k << " has no point";
    if (data.labels.max() >= data.classes)
      return testing::AssertionFailure() << "a label is not below " << data.classes;
  } catch (const bp::InputError& e) {
    loaded = false;
    const std::string message = e.what();
    if (message.find('\n') != std::string::npos)
      return testing::AssertionFailure() << "the message is not one line: " << message;
    if (message.rfind(path.string(), 0) != 0)
      return testing::AssertionFailure() << "the message does not begin with the path: " << message;
    if (message.size() > path.string().size() + kMaxMessage)
      return testing::AssertionFailure() << "a message of " << message.size()
                                         << " characters: " << message.substr(0, 200) << "...";
  } catch (const std::exception& e) {
    return testing::AssertionFailure() << "threw something else than bp::InputError: " << e.what();
  }
  return testing::AssertionSuccess();
}

TEST(Datasets_FuzzInputs, GoodSeedsLoad) {
  for (const std::string& name : kGoodSeeds) {
    bool loaded = false;
    const testing::AssertionResult kept =
        LoadsOrRejectsInOneLine(kFuzzInputs / "corpus" / name, loaded);
    EXPECT_TRUE(kept) << name;
    if (kept) {
      EXPECT_TRUE(loaded) << name << " was rejected";
    }
  }
}

TEST(Datasets_FuzzInputs, BadSeedsAreRejectedInOneShortLine) {
  for (const std::string& name : kBadSeeds) {
    bool loaded = true;
    const testing::AssertionResult kept =
        LoadsOrRejectsInOneLine(kFuzzInputs / "corpus" / name, loaded);
    EXPECT_TRUE(kept) << name;
    if (kept) {
      EXPECT_FALSE(loaded) << name << " loaded";
    }
  }
}

TEST(Datasets_FuzzInputs, RegressionsLoadOrAreRejectedInOneShortLine) {
  for (const std::string& name : kRegressions) {
    bool loaded = false;
    EXPECT_TRUE(LoadsOrRejectsInOneLine(kFuzzInputs / "regressions" / name, loaded)) << name;
  }
}

}  // namespace
