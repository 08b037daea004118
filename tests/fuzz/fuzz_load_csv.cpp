// libFuzzer target of bp::load_csv (chapters/common/datasets.cpp): any bytes as a CSV file.
//
// What must hold for every input, else the run stops with the input that broke it:
// - load_csv returns a Dataset or throws bp::InputError, and nothing else escapes;
// - an InputError's message is one line (the programs print it as their one line on stderr),
//   begins with the file's path and is short: at most kMaxMessage characters after the path,
//   however long the line it quotes;
// - a Dataset is well formed: X is N×2 with 1 ≤ N ≤ kMaxPoints, every value finite, one label
//   per row, 2 ≤ classes ≤ kMaxClasses, every label below classes and every class present;
// - nothing crashes, overruns, overflows, leaks (ASan, UBSan, LeakSanitizer), or takes more
//   than the run's -timeout.
//
// The input is written to an in-memory file (memfd) and loaded by its /proc/self/fd path, so
// the loader reads it exactly as it reads a file on disk, without touching the disk.
#include <sys/mman.h>
#include <unistd.h>

#include <armadillo>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/datasets.hpp"
#include "common/program.hpp"

namespace {

constexpr std::size_t kMaxMessage = 300;

[[noreturn]] void broken(const std::string& what) {
  std::fprintf(stderr, "fuzz_load_csv: %s\n", what.c_str());
  std::abort();
}

int memory_file() {
  static const int fd = memfd_create("fuzz.csv", 0);
  if (fd < 0) broken("memfd_create failed");
  return fd;
}

std::string write_input(const std::uint8_t* data, std::size_t size) {
  const int fd = memory_file();
  if (ftruncate(fd, 0) != 0) broken("ftruncate failed");
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = pwrite(fd, data + done, size - done, static_cast<off_t>(done));
    if (n <= 0) broken("pwrite failed");
    done += static_cast<std::size_t>(n);
  }
  return "/proc/self/fd/" + std::to_string(fd);
}

void check_dataset(const bp::Dataset& data) {
  const arma::uword n = data.X.n_rows;
  if (data.X.n_cols != 2) broken("X does not have 2 columns");
  if (n < 1 || n > bp::kMaxPoints) broken("N out of range: " + std::to_string(n));
  if (data.labels.n_elem != n) broken("not one label per row");
  if (!data.X.is_finite()) broken("a value is not finite");
  if (data.classes < 2 || data.classes > bp::kMaxClasses)
    broken("classes out of range: " + std::to_string(data.classes));
  std::vector<arma::uword> counts(data.classes, 0);
  for (const arma::uword k : data.labels) {
    if (k >= data.classes) broken("a label is not below classes");
    ++counts[k];
  }
  for (const arma::uword c : counts)
    if (c == 0) broken("a class has no point");
#ifdef BP_FUZZ_PLANTED_BUG
  // Planted for the fuzz test's own check (fuzz_load_csv_planted only): a table sized for two
  // classes, written at every label, overruns on the heap as soon as a file has a third class.
  // No seed has one; the fuzzer must make it.
  int* per_class = new int[2];
  for (const arma::uword k : data.labels) per_class[k] = 1;
  delete[] per_class;
#endif
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = write_input(data, size);
  try {
    check_dataset(bp::load_csv(path));
  } catch (const bp::InputError& e) {
    const std::string message = e.what();
    if (message.find('\n') != std::string::npos)
      broken("message of more than one line: " + message);
    if (message.rfind(path, 0) != 0 && message.rfind("cannot open " + path, 0) != 0)
      broken("message does not begin with the path: " + message);
    if (message.size() > path.size() + kMaxMessage)
      broken("message of " + std::to_string(message.size()) + " characters: " + message);
  } catch (const std::exception& e) {
    broken(std::string("an exception other than bp::InputError: ") + e.what());
  }
  return 0;
}
