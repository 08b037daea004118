// Tests of the given code in chapters/common/ (not exercises): labels, random matrices, the
// exercise marker and shape messages.
#include <gtest/gtest.h>

#include <armadillo>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "common/data.hpp"
#include "common/exercise.hpp"
#include "common/files.hpp"
#include "common/plots.hpp"
#include "common/program.hpp"
#include "common/random.hpp"
#include "common/shape.hpp"

namespace {

TEST(Common_OneHot, PutsOneOneInEachRow) {
  const arma::mat Y = bp::one_hot(arma::uvec{0, 1, 1, 0}, 2);
  ASSERT_EQ(Y.n_rows, 4u);
  ASSERT_EQ(Y.n_cols, 2u);
  const arma::mat expected = {{1, 0}, {0, 1}, {0, 1}, {1, 0}};
  EXPECT_TRUE(arma::approx_equal(Y, expected, "absdiff", 0.0));
}

TEST(Common_OneHot, RejectsALabelThatIsNotAClass) {
  EXPECT_THROW(bp::one_hot(arma::uvec{0, 2}, 2), std::invalid_argument);
}

TEST(Common_Random, SameSeedSameNumbersOtherSeedOtherNumbers) {
  bp::Rng a(7), b(7), c(8);
  const arma::mat A = bp::normal_matrix(3, 4, 1.0, a);
  const arma::mat B = bp::normal_matrix(3, 4, 1.0, b);
  const arma::mat C = bp::normal_matrix(3, 4, 1.0, c);
  EXPECT_TRUE(arma::approx_equal(A, B, "absdiff", 0.0));
  EXPECT_FALSE(arma::approx_equal(A, C, "absdiff", 0.0));
}

TEST(Common_Random, StandardDeviationIsTheOneAskedFor) {
  // 10^5 draws: the sample standard deviation of N(0, 0.3²) is within 0.3·5/sqrt(2·10^5)
  // ≈ 0.0034 of 0.3 with overwhelming probability (5 standard errors); the seed is fixed.
  bp::Rng rng(1);
  const arma::mat M = bp::normal_matrix(1000, 100, 0.3, rng);
  EXPECT_NEAR(arma::stddev(arma::vectorise(M)), 0.3, 0.0034);
  EXPECT_NEAR(arma::mean(arma::vectorise(M)), 0.0, 5 * 0.3 / std::sqrt(1e5));
}

TEST(Common_ToyBatch, LabelsFollowTheRule) {
  bp::Rng rng(3);
  arma::mat X, Y;
  bp::toy_batch(50, rng, X, Y);
  ASSERT_EQ(X.n_rows, 50u);
  ASSERT_EQ(Y.n_cols, 2u);
  for (arma::uword n = 0; n < 50; ++n) EXPECT_EQ(Y(n, 1), X(n, 1) > X(n, 0) ? 1.0 : 0.0);
}

TEST(Common_ExerciseNotDone, NamesIdFileLineAndPage) {
  try {
    BP_EXERCISE("9.9");
  } catch (const bp::ExerciseNotDone& e) {
    EXPECT_EQ(e.id(), "9.9");
    EXPECT_EQ(e.file(), "tests/common_test.cpp");  // relative: no path of the build machine
    EXPECT_EQ(e.page(), "tests/README.md");
    EXPECT_NE(std::string(e.what()).find("tests/common_test.cpp:" + std::to_string(e.line())),
              std::string::npos);
  }
}

TEST(Common_ShapeOf, WritesRowsTimesColumns) {
  EXPECT_EQ(bp::shape_of(arma::mat(3, 2)), "3×2");
  EXPECT_EQ(bp::shape_of(arma::rowvec(5)), "1×5");
}

// A fresh folder under the test's temporary directory, removed at the end of the test.
class Common_Files : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("bp_files_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all);
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
};

TEST_F(Common_Files, CsvReadsBackExactly) {
  const arma::mat table = {{1.0, 1.0 / 3.0}, {2.0, -1e-300}};
  bp::write_csv(dir_ / "t.csv", {"a", "b"}, table);
  std::ifstream in(dir_ / "t.csv");
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "a,b");
  arma::mat back;
  ASSERT_TRUE(back.load(in, arma::csv_ascii));
  ASSERT_EQ(back.n_rows, 2u);
  EXPECT_TRUE(arma::approx_equal(back, table, "absdiff", 0.0));  // 17 digits round-trip
  // Written whole: no temporary file is left beside it.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 1);
}

TEST_F(Common_Files, CsvIntoAReadOnlyFolderFailsAndLeavesNothing) {
  if (::geteuid() == 0) {
    // root writes into read-only folders; a path through a regular file fails for everyone.
    std::ofstream(dir_ / "file") << "x";
    EXPECT_THROW(bp::write_csv(dir_ / "file" / "t.csv", {"a"}, arma::mat(1, 1, arma::fill::ones)),
                 bp::InputError);
  } else {
    std::filesystem::permissions(
        dir_, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    EXPECT_THROW(bp::write_csv(dir_ / "t.csv", {"a"}, arma::mat(1, 1, arma::fill::ones)),
                 bp::InputError);
  }
  std::filesystem::permissions(dir_, std::filesystem::perms::owner_all);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "t.csv"));
}

TEST_F(Common_Files, OutputDirIsCreatedOrNamedInTheError) {
  EXPECT_EQ(bp::output_dir((dir_ / "a" / "b").string()), dir_ / "a" / "b");
  EXPECT_TRUE(std::filesystem::is_directory(dir_ / "a" / "b"));
  std::ofstream(dir_ / "plain") << "x";
  try {
    bp::output_dir((dir_ / "plain").string());
    FAIL() << "a file is not a folder";
  } catch (const bp::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("plain"), std::string::npos) << e.what();
  }
}

TEST_F(Common_Files, FigureIsAValidPngWithItsData) {
  ASSERT_TRUE(bp::gnuplot_available()) << "gnuplot is part of the course's packages";
  arma::mat table(20, 3);
  for (arma::uword i = 0; i < 20; ++i) {
    const double x = static_cast<double>(i + 1);
    table.row(i) = arma::rowvec{x, x * x, 1.0 / x};
  }
  bp::publish_figure("lines", dir_, "curve", {"x", "square", "inverse"}, table,
                     {{"title", "test_figure"}, {"logscale", "y"}});
  EXPECT_TRUE(bp::is_png(dir_ / "curve.png"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "curve.csv"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 2)
      << "no temporary files left";
}

TEST_F(Common_Files, BrokenScriptLeavesNoPng) {
  // A script that does not exist: gnuplot runs but draws nothing. That is an error (only a
  // missing gnuplot merely warns), and no PNG appears.
  EXPECT_THROW(bp::draw_figure("no_such_script", dir_ / "x.png", {}), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.png"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 0);
}

TEST(Common_IsPng, RejectsOtherFiles) {
  const auto path =
      std::filesystem::temp_directory_path() / ("bp_not_png_" + std::to_string(::getpid()));
  std::ofstream(path) << "GIF89a....";
  EXPECT_FALSE(bp::is_png(path));
  std::filesystem::remove(path);
  EXPECT_FALSE(bp::is_png(path));
}

}  // namespace
