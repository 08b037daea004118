// Tests of the files the programs write (chapters/common/files.hpp) and of saved networks
// (chapters/10_training/network_file.hpp): written whole or not at all, read back exactly, and
// every damaged file refused in one line.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <armadillo>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>

#include "10_training/network_file.hpp"
#include "common/files.hpp"
#include "common/plots.hpp"
#include "common/program.hpp"
#include "common/random.hpp"

namespace {

namespace fs = std::filesystem;

/// CRC-32 computed bit by bit from its definition (reflected polynomial 0xEDB88320, initial value
/// and final xor 0xFFFFFFFF), independently of the Boost code the library uses.
std::uint32_t reference_crc32(std::string_view bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (const char c : bytes) {
    crc ^= static_cast<unsigned char>(c);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

/// The 4-byte little-endian number at `at`.
std::uint32_t u32_at(const std::string& bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

/// Overwrites the `n`-byte little-endian number at `at`.
void put_at(std::string& bytes, std::size_t at, std::uint64_t value, int n) {
  for (int i = 0; i < n; ++i) bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

/// Rewrites the checksum of `bytes` (the last 4), as a file changed on purpose would have.
void reseal(std::string& bytes) {
  put_at(bytes, bytes.size() - 4,
         reference_crc32(std::string_view(bytes).substr(0, bytes.size() - 4)), 4);
}

/// A small network with numbers that are hard to round-trip: thirds, a subnormal, -0, huge and
/// tiny magnitudes. W1 D×H, b1 1×H, W2 H×K, b2 1×K.
bp::Params awkward_network(arma::uword D, arma::uword H, arma::uword K) {
  bp::Rng rng(11);
  bp::Params p;
  p.W1 = bp::normal_matrix(D, H, 1.0, rng);
  p.b1 = bp::normal_matrix(1, H, 1.0, rng);
  p.W2 = bp::normal_matrix(H, K, 1.0, rng) / 3.0;
  p.b2 = bp::normal_matrix(1, K, 1.0, rng);
  p.W1(0, 0) = 1.0 / 3.0;
  p.b1(0) = -0.0;
  p.W2(0, 0) = 4.9e-324;  // the smallest subnormal
  p.b2(0) = -1.7976931348623157e308;
  return p;
}

/// Whether two matrices hold the same bits (== would call -0 and 0 equal).
bool same_bits(const arma::mat& a, const arma::mat& b) {
  return a.n_rows == b.n_rows && a.n_cols == b.n_cols &&
         std::memcmp(a.memptr(), b.memptr(), a.n_elem * sizeof(double)) == 0;
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_raw(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

/// The message of the InputError that `load` throws, or "" when it throws none.
template <typename F>
std::string input_error_of(F load) {
  try {
    load();
  } catch (const bp::InputError& e) {
    return e.what();
  }
  return "";
}

/// In a child process of a death test: limits the size of any file written to `bytes`, runs
/// `write`, and exits 2 printing the InputError's message, or 0 when it succeeded.
[[noreturn]] void write_under_size_limit(rlim_t bytes, const std::function<void()>& write) {
  const rlimit limit{bytes, bytes};
  ::setrlimit(RLIMIT_FSIZE, &limit);
  try {
    write();
  } catch (const bp::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    std::_Exit(2);
  }
  std::_Exit(0);
}

/// A fresh folder for each test, removed at its end.
class Common_FolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("bp_common_files_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  /// How many entries the folder holds, hidden temporaries included.
  long entries() const { return std::distance(fs::directory_iterator(dir_), {}); }
  fs::path dir_;
};
using Common_WriteWhole = Common_FolderTest;
using Common_NetworkFile = Common_FolderTest;

// ---------------------------------------------------------------------------------------------
// bp::write_whole

TEST_F(Common_WriteWhole, WriteWholeReplacesTheFileAndLeavesNothingElse) {
  bp::write_whole(dir_ / "a.txt", "old\n");
  bp::write_whole(dir_ / "a.txt", "new content\n");
  EXPECT_EQ(read_all(dir_ / "a.txt"), "new content\n");
  EXPECT_EQ(entries(), 1) << "no temporary file is left beside it";
}

TEST_F(Common_WriteWhole, WriteWholeIntoAMissingFolderNamesTheFile) {
  const std::string message = input_error_of([&] { bp::write_whole(dir_ / "no" / "a.txt", "x"); });
  EXPECT_NE(message.find("cannot write " + (dir_ / "no" / "a.txt").string()), std::string::npos)
      << message;
  EXPECT_NE(message.find("the folder " + (dir_ / "no").string() + " does not exist"),
            std::string::npos)
      << message;
  EXPECT_EQ(entries(), 0);
}

TEST_F(Common_WriteWhole, WriteWholeOverAFolderFailsAndKeepsIt) {
  fs::create_directory(dir_ / "d");
  EXPECT_THROW(bp::write_whole(dir_ / "d", "x"), bp::InputError);
  EXPECT_TRUE(fs::is_directory(dir_ / "d"));
  EXPECT_EQ(entries(), 1) << "no temporary file is left beside it";
}

// A file-size limit makes the write fail midway (EFBIG; the library ignores SIGXFSZ): the old
// file must stay byte for byte, and no temporary may remain. It runs in a child process, whose
// limit does not touch the test program's own output.
TEST_F(Common_WriteWhole, WriteCutShortByAFileSizeLimitKeepsTheOldFile) {
  const std::string old_content(3000, 'o');
  bp::write_whole(dir_ / "a.txt", old_content);
  const std::string new_content(100000, 'n');
  EXPECT_EXIT(write_under_size_limit(4096, [&] { bp::write_whole(dir_ / "a.txt", new_content); }),
              ::testing::ExitedWithCode(2), "cannot write .*a.txt: File too large");
  EXPECT_EQ(read_all(dir_ / "a.txt"), old_content);
  EXPECT_EQ(entries(), 1) << "no temporary file is left beside it";
}

TEST_F(Common_WriteWhole, CsvWrittenThroughWriteWholeReadsBackExactly) {
  const arma::mat table = {{0.1, 1.0 / 3.0}, {-2.5e-310, 1e300}};
  bp::write_csv(dir_ / "t.csv", {"a", "b"}, table);
  EXPECT_EQ(read_all(dir_ / "t.csv").substr(0, 4), "a,b\n");
  arma::mat back;
  std::ifstream in(dir_ / "t.csv");
  std::string header;
  std::getline(in, header);
  ASSERT_TRUE(back.load(in, arma::csv_ascii));
  EXPECT_TRUE(same_bits(back, table));
}

// ---------------------------------------------------------------------------------------------
// bp::checked_output: what may be replaced.

TEST_F(Common_WriteWhole, FilesThatAreNotRegularAreNeverReplaced) {
  ASSERT_EQ(::mkfifo((dir_ / "fifo").c_str(), 0600), 0);
  fs::create_symlink("loop", dir_ / "loop");
  fs::create_symlink("missing", dir_ / "dangling");
  // The devices through links: a regression would replace a link, never /dev/null itself.
  fs::create_symlink("/dev/null", dir_ / "null");
  fs::create_symlink("/dev/full", dir_ / "full");
  const std::vector<std::pair<fs::path, std::string>> cases = {
      {dir_ / "null",
       "it is a character device, not a regular file; the programs never replace one"},
      {dir_ / "full", "it is a character device"},
      {dir_ / "fifo", "it is a FIFO (named pipe), not a regular file"},
      {dir_ / "loop", "Too many levels of symbolic links"},
      {dir_ / "dangling", "a symbolic link to a missing file"},
      {dir_ / std::string(256, 'x'), "a name in it is 256 bytes long"},
      {"", "empty name"}};
  for (const auto& [path, why] : cases) {
    const std::string message = input_error_of([&] { bp::write_whole(path, "x"); });
    EXPECT_NE(message.find(why), std::string::npos) << path << ": " << message;
  }
  EXPECT_TRUE(fs::is_symlink(dir_ / "null") && fs::is_character_file(dir_ / "null"));
  EXPECT_TRUE(fs::is_symlink(dir_ / "full") && fs::is_character_file(dir_ / "full"));
  EXPECT_TRUE(fs::is_fifo(dir_ / "fifo"));
  EXPECT_EQ(entries(), 5) << "no temporary is left";
}

TEST_F(Common_WriteWhole, ALinkToARegularFileIsFollowedAndKept) {
  bp::write_whole(dir_ / "target", "old");
  fs::create_symlink("target", dir_ / "link");
  bp::write_whole(dir_ / "link", "new");
  EXPECT_TRUE(fs::is_symlink(dir_ / "link")) << "the link stays a link";
  EXPECT_EQ(read_all(dir_ / "target"), "new");
  EXPECT_EQ(entries(), 2);
}

TEST_F(Common_WriteWhole, ANameOfTheLongestLengthIsWritten) {
  // Its temporary ".name.tmp.<pid>" would be longer than a name may be: it is cut short.
  const fs::path longest = dir_ / std::string(bp::kMaxNameBytes, 'n');
  bp::write_whole(longest, "content");
  EXPECT_EQ(read_all(longest), "content");
  EXPECT_EQ(entries(), 1);
}

// ---------------------------------------------------------------------------------------------
// bp::is_png: whole PNG files only.

TEST_F(Common_WriteWhole, IsPngWantsTheSignatureAndTheEndChunk) {
  ASSERT_TRUE(bp::gnuplot_available()) << "gnuplot is part of the course's packages";
  arma::mat table = {{1, 1}, {2, 4}, {3, 9}};
  bp::publish_figure("lines", dir_, "f", {"x", "y"}, table, {{"title", "t"}});
  ASSERT_TRUE(bp::is_png(dir_ / "f.png"));
  EXPECT_EQ(entries(), 2) << "the PNG and its data, no temporary";
  const std::string png = read_all(dir_ / "f.png");
  write_raw(dir_ / "cut.png", png.substr(0, png.size() - 1));
  EXPECT_FALSE(bp::is_png(dir_ / "cut.png")) << "a PNG cut short by one byte";
  write_raw(dir_ / "half.png", png.substr(0, png.size() / 2));
  EXPECT_FALSE(bp::is_png(dir_ / "half.png"));
}

// ---------------------------------------------------------------------------------------------
// Saved networks: the format.

TEST_F(Common_NetworkFile, NetworkFileHasTheDocumentedLayout) {
  const bp::Params p = awkward_network(2, 5, 3);
  const std::string bytes = bp::network_bytes(p);
  const std::size_t numbers = 2 * 5 + 5 + 5 * 3 + 3;
  ASSERT_EQ(bytes.size(), 40 + 8 * numbers + 4);
  EXPECT_EQ(bytes.substr(0, 12), std::string("bp-network\0\0", 12));
  EXPECT_EQ(u32_at(bytes, 12), 1u) << "version 1";
  EXPECT_EQ(u32_at(bytes, 16), 2u) << "D";
  EXPECT_EQ(u32_at(bytes, 24), 5u) << "H";
  EXPECT_EQ(u32_at(bytes, 32), 3u) << "K";
  double first = 0;
  std::memcpy(&first, bytes.data() + 40, 8);  // this machine is little-endian (x86-64, arm64)
  EXPECT_EQ(first, 1.0 / 3.0) << "W1(0,0) first";
  EXPECT_EQ(u32_at(bytes, bytes.size() - 4),
            reference_crc32(std::string_view(bytes).substr(0, bytes.size() - 4)))
      << "the last 4 bytes are the CRC-32 of all the others";
}

TEST_F(Common_NetworkFile, NetworkFileHasTheDocumentedSizeForThePostsNetwork) {
  bp::Params p;
  p.W1.zeros(2, 500);
  p.b1.zeros(500);
  p.W2.zeros(500, 2);
  p.b2.zeros(2);
  EXPECT_EQ(bp::network_bytes(p).size(), 20060u);
}

TEST_F(Common_NetworkFile, NetworkRoundTripIsExactToTheBit) {
  const bp::Params p = awkward_network(2, 7, 4);
  EXPECT_EQ(bp::save_network(dir_ / "n.bpnet", p), 40u + 8u * (14 + 7 + 28 + 4) + 4u);
  EXPECT_EQ(entries(), 1) << "no temporary file is left beside it";
  const bp::Params q = bp::load_network(dir_ / "n.bpnet");
  EXPECT_TRUE(same_bits(q.W1, p.W1));
  EXPECT_TRUE(same_bits(q.b1, p.b1));
  EXPECT_TRUE(same_bits(q.W2, p.W2));
  EXPECT_TRUE(same_bits(q.b2, p.b2));
  EXPECT_TRUE(std::signbit(q.b1(0))) << "-0 stays -0";
}

TEST_F(Common_NetworkFile, SavingANetworkThatDoesNotFitTogetherIsRefused) {
  bp::Params p = awkward_network(2, 5, 2);
  p.W2.set_size(4, 2);  // H is 5 in W1
  EXPECT_THROW(bp::network_bytes(p), std::invalid_argument);
  bp::Params q = awkward_network(2, 5, 2);
  q.W1(1, 1) = std::nan("");
  EXPECT_THROW(bp::network_bytes(q), std::invalid_argument);
  EXPECT_THROW(bp::save_network(dir_ / "n.bpnet", q), std::invalid_argument);
  EXPECT_EQ(entries(), 0);
}

// ---------------------------------------------------------------------------------------------
// Saved networks: every damaged file is refused with one line naming it, and never half-loaded.

TEST_F(Common_NetworkFile, EveryTruncationOfANetworkIsRefused) {
  const std::string bytes = bp::network_bytes(awkward_network(2, 3, 2));
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const std::string message =
        input_error_of([&] { bp::network_from_bytes(bytes.substr(0, n), "f"); });
    ASSERT_FALSE(message.empty()) << "a file cut to " << n << " of " << bytes.size()
                                  << " bytes was loaded";
    EXPECT_EQ(message.rfind("f: ", 0), 0u) << message;
    if (n == 0) {
      EXPECT_NE(message.find("the file is empty"), std::string::npos) << message;
    } else if (n >= 12) {
      EXPECT_NE(message.find("truncated"), std::string::npos) << n << ": " << message;
    }
  }
  // and through a file on disk, a few lengths
  for (const std::size_t n : {std::size_t{0}, std::size_t{5}, std::size_t{43}, bytes.size() - 1}) {
    write_raw(dir_ / "cut.bpnet", bytes.substr(0, n));
    EXPECT_THROW(bp::load_network(dir_ / "cut.bpnet"), bp::InputError) << n;
  }
}

TEST_F(Common_NetworkFile, EveryFlippedByteOfANetworkIsRefused) {
  const std::string bytes = bp::network_bytes(awkward_network(2, 3, 2));
  for (std::size_t at = 0; at < bytes.size(); ++at)
    for (const unsigned mask : {0x01u, 0x80u, 0xffu}) {
      std::string bad = bytes;
      bad[at] = static_cast<char>(static_cast<unsigned char>(bad[at]) ^ mask);  // one byte changed
      const std::string message = input_error_of([&] { bp::network_from_bytes(bad, "f"); });
      ASSERT_FALSE(message.empty()) << "byte " << at << " xor " << int(mask) << " was loaded";
      if (at >= 40) {
        EXPECT_NE(message.find("checksum mismatch"), std::string::npos) << message;
      }
    }
}

TEST_F(Common_NetworkFile, ANetworkOfAnotherVersionIsRefusedByName) {
  std::string bytes = bp::network_bytes(awkward_network(2, 3, 2));
  put_at(bytes, 12, 2, 4);
  reseal(bytes);
  EXPECT_EQ(input_error_of([&] { bp::network_from_bytes(bytes, "f"); }),
            "f: format version 2; this program reads version 1 only");
}

TEST_F(Common_NetworkFile, ANetworkWhoseShapesDoNotMatchItsSizeIsRefused) {
  std::string bytes = bp::network_bytes(awkward_network(2, 3, 2));
  put_at(bytes, 24, 4, 8);  // H = 4, but the numbers are those of H = 3
  reseal(bytes);
  EXPECT_EQ(input_error_of([&] { bp::network_from_bytes(bytes, "f"); }),
            "f: truncated: 180 bytes, where a network of D = 2, H = 4, K = 2 takes 220");
  put_at(bytes, 24, 2, 8);
  reseal(bytes);
  EXPECT_EQ(input_error_of([&] { bp::network_from_bytes(bytes, "f"); }),
            "f: extra bytes: 180 bytes, where a network of D = 2, H = 2, K = 2 takes 140");
}

TEST_F(Common_NetworkFile, AbsurdShapesAreRefusedBeforeAnythingIsAllocated) {
  std::string bytes = bp::network_bytes(awkward_network(2, 3, 2));
  put_at(bytes, 24, std::uint64_t{1} << 40, 8);  // H = 2^40: 8 TB of weights
  reseal(bytes);
  write_raw(dir_ / "huge.bpnet", bytes);
  const std::string message = input_error_of([&] { bp::load_network(dir_ / "huge.bpnet"); });
  EXPECT_NE(message.find("H = 1099511627776, K = 2 are out of range"), std::string::npos)
      << message;
  put_at(bytes, 32, 1, 8);  // K = 1: not a classifier
  put_at(bytes, 24, 3, 8);
  reseal(bytes);
  EXPECT_NE(input_error_of([&] { bp::network_from_bytes(bytes, "f"); }).find("out of range"),
            std::string::npos);
}

TEST_F(Common_NetworkFile, ANonFiniteNumberIsRefusedEvenWithAGoodChecksum) {
  std::string bytes = bp::network_bytes(awkward_network(2, 3, 2));
  put_at(bytes, 40 + 8, 0x7ff8000000000000u, 8);  // W1(1,0) = NaN
  reseal(bytes);
  EXPECT_NE(input_error_of([&] { bp::network_from_bytes(bytes, "f"); }).find("not finite"),
            std::string::npos);
}

TEST_F(Common_NetworkFile, FilesThatAreNotNetworksAreRefusedByName) {
  write_raw(dir_ / "points.csv", "x1,x2,label\n0,0,0\n1,1,1\n");
  EXPECT_EQ(input_error_of([&] { bp::load_network(dir_ / "points.csv"); }),
            (dir_ / "points.csv").string() +
                ": not a saved network (it does not start with \"bp-network\"); save one with "
                "ch10_training --save FILE");
  write_raw(dir_ / "empty", "");
  EXPECT_NE(input_error_of([&] { bp::load_network(dir_ / "empty"); }).find("the file is empty"),
            std::string::npos);
  write_raw(dir_ / "short", "bp-net");
  EXPECT_NE(input_error_of([&] { bp::load_network(dir_ / "short"); }).find("not a saved network"),
            std::string::npos);
  EXPECT_NE(input_error_of([&] {
              bp::load_network(dir_ / "missing");
            }).find("cannot open " + (dir_ / "missing").string() + ": No such file"),
            std::string::npos);
  EXPECT_NE(input_error_of([&] { bp::load_network(dir_); }).find("a folder"), std::string::npos);
}

TEST_F(Common_NetworkFile, AFailedLoadLeavesTheCallersNetworkAsItWas) {
  const bp::Params before = awkward_network(2, 3, 2);
  std::string bytes = bp::network_bytes(awkward_network(2, 3, 2) /* same shapes */);
  bytes[100] = static_cast<char>(bytes[100] ^ 0x10);
  write_raw(dir_ / "bad.bpnet", bytes);
  bp::Params params = before;
  EXPECT_THROW(params = bp::load_network(dir_ / "bad.bpnet"), bp::InputError);
  EXPECT_TRUE(same_bits(params.W1, before.W1));
  EXPECT_TRUE(same_bits(params.W2, before.W2));
}

// A save cut short by a file-size limit keeps the previous network loadable and unchanged.
TEST_F(Common_NetworkFile, ASaveCutShortKeepsThePreviousNetwork) {
  const bp::Params old_network = awkward_network(2, 3, 2);
  bp::save_network(dir_ / "n.bpnet", old_network);
  const std::string old_bytes = read_all(dir_ / "n.bpnet");
  const bp::Params big = awkward_network(2, 500, 2);  // 20060 bytes
  EXPECT_EXIT(write_under_size_limit(8192, [&] { bp::save_network(dir_ / "n.bpnet", big); }),
              ::testing::ExitedWithCode(2), "File too large");
  EXPECT_EQ(read_all(dir_ / "n.bpnet"), old_bytes);
  EXPECT_EQ(entries(), 1) << "no temporary file is left beside it";
  EXPECT_TRUE(same_bits(bp::load_network(dir_ / "n.bpnet").W1, old_network.W1));
}

}  // namespace
