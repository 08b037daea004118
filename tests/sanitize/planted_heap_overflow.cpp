// A planted bug, built only in the sanitize tree: reads one element past the end of a heap
// array. AddressSanitizer must end the program with a heap-buffer-overflow report naming this
// file (test sanitize:planted_heap_overflow_is_reported). The array is a std::vector of 64
// doubles, on the heap: an Armadillo matrix of at most 16 elements would keep them inside
// the object, where ASan does not see an overrun (Armadillo's bounds checks catch that one).
#include <cstdio>
#include <vector>

int main(int argc, char**) {
  std::vector<double> values(64, 1.0);
  const double* data = values.data();
  // argc is 1: the index is one past the end, and the compiler cannot know it.
  const double past_the_end = data[63 + static_cast<unsigned>(argc)];
  std::printf("read %g past the end without a report\n", past_the_end);
  return 0;
}
