// One body for SphericalHarmonicsKernels on both backends.
#pragma once

#include "advect/engine/ParallelFor.h"
#include "kernels/SphericalHarmonicsKernels.h"

namespace advect::neural {
inline namespace ADVECT_BACKEND {

// The normalisation constants are sqrt((2l + 1) / 4 pi * (l - |m|)! / (l + |m|)!) times the
// Legendre factors, written out per (l, m).
struct EncodeSphericalHarmonics {
  const float* directions;
  float* out;
  std::int64_t stride;
  ADVECT_HD void operator()(std::int64_t i) const {
    const float x = directions[3 * i], y = directions[3 * i + 1], z = directions[3 * i + 2];
    const float xx = x * x, yy = y * y, zz = z * z;
    float* o = out + i * stride;
    o[0] = 0.28209479177387814f;
    o[1] = -0.48860251190291987f * y;
    o[2] = 0.48860251190291987f * z;
    o[3] = -0.48860251190291987f * x;
    o[4] = 1.0925484305920792f * x * y;
    o[5] = -1.0925484305920792f * y * z;
    o[6] = 0.94617469575755997f * zz - 0.31539156525251999f;
    o[7] = -1.0925484305920792f * x * z;
    o[8] = 0.54627421529603959f * (xx - yy);
    o[9] = 0.59004358992664352f * y * (-3.0f * xx + yy);
    o[10] = 2.8906114426405538f * x * y * z;
    o[11] = 0.45704579946446572f * y * (1.0f - 5.0f * zz);
    o[12] = 0.3731763325901154f * z * (5.0f * zz - 3.0f);
    o[13] = 0.45704579946446572f * x * (1.0f - 5.0f * zz);
    o[14] = 1.4453057213202769f * z * (xx - yy);
    o[15] = 0.59004358992664352f * x * (-xx + 3.0f * yy);
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void SphericalHarmonicsKernels<B>::encode(const float* directions, std::int64_t n, float* out,
                                          std::int64_t stride) {
  detail::parallel_for(n, EncodeSphericalHarmonics{directions, out, stride});
}

template struct SphericalHarmonicsKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::neural
