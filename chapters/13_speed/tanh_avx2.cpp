// Chapter 13: SLEEF's tanh on 4 doubles at a time (AVX2). This file alone is compiled with
// -mavx2 -mfma, and speed.cpp calls it only on a processor that has both. It includes nothing
// but SLEEF's C header, so no inline C++ function compiled for AVX2 can be shared with, and
// picked by the linker for, code that runs on other processors.
#include <sleef.h>

#include <cstddef>

namespace bp::detail {

void tanh_avx2(const double* z, double* a, std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) _mm256_storeu_pd(a + i, Sleef_tanhd4_u10(_mm256_loadu_pd(z + i)));
  if (i < n) {
    // The last n − i < 4 numbers, padded with zeros: the same function for every number.
    double in[4] = {0.0, 0.0, 0.0, 0.0};
    double out[4];
    for (std::size_t j = 0; i + j < n; ++j) in[j] = z[i + j];
    _mm256_storeu_pd(out, Sleef_tanhd4_u10(_mm256_loadu_pd(in)));
    for (std::size_t j = 0; i + j < n; ++j) a[i + j] = out[j];
  }
}

}  // namespace bp::detail
