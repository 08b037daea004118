// The one-line-per-test report of every test program: see test_report.hpp.
#include "support/test_report.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

namespace {

std::string one_line(const std::string& text) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
  return out;
}

class ReportListener : public testing::EmptyTestEventListener {
 public:
  explicit ReportListener(const std::string& path) : out_(path) {}

 private:
  void OnTestStart(const testing::TestInfo&) override {
    where_.clear();
    message_.clear();
  }
  void OnTestPartResult(const testing::TestPartResult& part) override {
    if (!part.failed() || !where_.empty()) return;
    where_ = std::string(part.file_name() ? part.file_name() : "unknown file") + ":" +
             std::to_string(part.line_number());
    message_ = one_line(part.message());
  }
  void OnTestEnd(const testing::TestInfo& test) override {
    out_ << test.test_suite_name() << '.' << test.name() << '\t'
         << (test.result()->Passed() ? "PASS" : "FAIL") << '\t' << where_ << '\t' << message_
         << '\n';
    out_.flush();
  }

  std::ofstream out_;
  std::string where_;
  std::string message_;
};

}  // namespace

namespace bp::test {

int run_tests(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  if (const char* path = std::getenv("BP_REPORT"); path != nullptr && *path != '\0')
    testing::UnitTest::GetInstance()->listeners().Append(new ReportListener(path));
  return RUN_ALL_TESTS();
}

}  // namespace bp::test
