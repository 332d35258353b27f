// tanh in float written with arithmetic only, so that g++ vectorises the loops that apply it:
// glibc's tanhf is a scalar call (22 % of a surrogate training step in its profile, with the
// loop around it left scalar). At most 3.3 ulp from tanh over every float (checked once by a
// scratch loop over all of them, not kept; tests/neural/test_mlp.cpp samples a million).
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

#include "advect/engine/HostDevice.h"

namespace advect::neural {
inline namespace ADVECT_BACKEND {

// Unsigned, so that the exponent arithmetic below wraps instead of overflowing for a NaN.
ADVECT_HD inline std::uint32_t bits_of(float x) {
#if defined(__CUDA_ARCH__)
  return __float_as_uint(x);
#else
  return std::bit_cast<std::uint32_t>(x);
#endif
}

ADVECT_HD inline float float_of(std::uint32_t bits) {
#if defined(__CUDA_ARCH__)
  return __uint_as_float(bits);
#else
  return std::bit_cast<float>(bits);
#endif
}

// tanh|x| = e / (e + 2) with e = expm1(2|x|), which has no cancellation near 0 (1 - 2/(exp(2x)+1)
// loses every digit of a small x). With 2|x| = n ln2 + r, |r| <= ln2/2:
// expm1(2|x|) = 2^n expm1(r) + (2^n - 1), exact but for one rounding, and expm1(r) is its Taylor
// series to r^8 (the rest is below r^9/9! < 3e-10, relative to r below 4e-7 * r^8).
ADVECT_HD inline float tanh_float(float x) {
  const float magnitude = fabsf(x);
  // tanh(10) is 1 in float; the comparison is false for NaN, which then propagates.
  const float y = magnitude > 10.0f ? 20.0f : 2.0f * magnitude;
  // n = round(y / ln2) by adding 1.5 * 2^23, which leaves n in the low mantissa bits: no
  // float-to-int conversion, which after the select above kept g++ from vectorising the loop.
  const float shifted = y * 1.44269504f + 12582912.0f;
  const float n = shifted - 12582912.0f;
  // ln2 in two parts (Cody and Waite): n times the first, of 16 bits, is exact for n <= 29.
  const float r = (y - n * 0.693145751953125f) - n * 1.428606765330187e-6f;
  // expm1(r) = r (1/1! + r (1/2! + ... + r / 8!)) by Horner's rule.
  constexpr float inverse_factorial[8] = {1.0f,       1.0f / 2,   1.0f / 6,    1.0f / 24,
                                          1.0f / 120, 1.0f / 720, 1.0f / 5040, 1.0f / 40320};
  float p = inverse_factorial[7];
  for (int k = 6; k >= 0; --k) p = p * r + inverse_factorial[k];
  p *= r;
  const float scale = float_of((bits_of(shifted) - bits_of(12582912.0f) + 127u) << 23);  // 2^n
  const float e = scale * p + (scale - 1.0f);
  return copysignf(e / (e + 2.0f), x);
}

}  // namespace ADVECT_BACKEND
}  // namespace advect::neural
