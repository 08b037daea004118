// A planted bug, built only in the sanitize tree: reads past the end of a 2×2 Armadillo
// matrix. Armadillo keeps the elements of a matrix of at most 16 elements inside the object,
// not on the heap, so AddressSanitizer does not see this overrun; Armadillo's own bounds check
// does, and must end the program with "index out of bounds" (test
// sanitize:planted_small_matrix_overrun_is_reported). It fails if the build ever turns those
// checks off (ARMA_NO_DEBUG).
#include <armadillo>
#include <cstdio>

int main(int argc, char**) {
  arma::mat A(2, 2, arma::fill::ones);  // 2×2, stored inside A
  // argc is 1: the index is 4, one past the last element, and the compiler cannot know it.
  const double past_the_end = A(3 + static_cast<arma::uword>(argc));
  std::printf("read %g past the end without a report\n", past_the_end);
  return 0;
}
