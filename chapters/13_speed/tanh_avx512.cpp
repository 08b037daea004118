// Chapter 13: SLEEF's and glibc's tanh on 8 doubles at a time (AVX-512F). This file alone is
// compiled with -mavx512f, and speed.cpp calls it only on a processor that has AVX-512F. It
// includes nothing but SLEEF's C header, so no inline C++ function compiled for AVX-512 can be
// shared with, and picked by the linker for, code that runs on other processors.
#include <sleef.h>

#include <cstddef>

// glibc's vectorised tanh (libmvec) on 8 doubles, by its vector-ABI name: <math.h> declares it
// only under -ffast-math, which the course never uses.
extern "C" __m512d _ZGVeN8v_tanh(__m512d z);

namespace bp::detail {

namespace {

// a[i] = f(z[i]) for n numbers, 8 at a time; the last n − i < 8 go through a masked call: the
// masked lanes are loaded as 0 and not stored.
template <auto f>
void eight_at_a_time(const double* z, double* a, std::size_t n) {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm512_storeu_pd(a + i, f(_mm512_loadu_pd(z + i)));
  if (i < n) {
    const __mmask8 lanes = static_cast<__mmask8>((1u << (n - i)) - 1u);
    _mm512_mask_storeu_pd(a + i, lanes, f(_mm512_maskz_loadu_pd(lanes, z + i)));
  }
}

}  // namespace

void tanh_avx512(const double* z, double* a, std::size_t n) {
  eight_at_a_time<Sleef_tanhd8_u10>(z, a, n);
}

void tanh_glibc_avx512(const double* z, double* a, std::size_t n) {
  eight_at_a_time<_ZGVeN8v_tanh>(z, a, n);
}

}  // namespace bp::detail
