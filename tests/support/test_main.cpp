// The main() of every test program of the course.
//
// It runs GoogleTest as usual. When the environment variable BP_REPORT names a file, it also
// writes one line per test there, which the course runner and the shipped-state check read
// instead of GoogleTest's console output:
//
//   Suite.Name <TAB> PASS|FAIL <TAB> file:line of the first failure <TAB> its message, one line
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

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  if (const char* path = std::getenv("BP_REPORT"); path != nullptr && *path != '\0')
    testing::UnitTest::GetInstance()->listeners().Append(new ReportListener(path));
  return RUN_ALL_TESTS();
}
