// A planted bug, built only in the sanitize tree: a signed integer overflow. With
// -fno-sanitize-recover=all, UndefinedBehaviorSanitizer must end the program with a "signed
// integer overflow" report naming this file and line (test
// sanitize:planted_signed_overflow_is_reported); without it, UBSan would only print.
#include <climits>
#include <cstdio>

int main(int argc, char**) {
  // argc is 1: INT_MAX - 1 + 2 overflows, and the compiler cannot know it.
  volatile int count = INT_MAX - 1;
  const int total = count + 1 + argc;
  std::printf("overflowed to %d without a report\n", total);
  return 0;
}
