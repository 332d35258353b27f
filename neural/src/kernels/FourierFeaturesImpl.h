// One body for FourierFeatureKernels on both backends.
#pragma once

#include <cmath>
#include <numbers>

#include "advect/engine/ParallelFor.h"
#include "advect/neural/FourierFeatures.h"
#include "kernels/FourierFeatureKernels.h"

namespace advect::neural {
inline namespace ADVECT_BACKEND {

// The angle 2^l pi x, computed in double so that high levels keep their phase.
ADVECT_HD inline double feature_angle(int level, float x) {
  return ldexp(std::numbers::pi, level) * double(x);
}

struct EncodeRow {
  FourierFeatures encoding;
  const float* x;
  float* y;
  ADVECT_HD void operator()(std::int64_t row) const {
    const int dims = encoding.input_dims;
    const float* in = x + row * dims;
    float* out = y + row * encoding.output_dims();
    if (encoding.include_input) {
      for (int d = 0; d < dims; ++d) *out++ = in[d];
    }
    for (int level = 0; level < encoding.levels; ++level) {
      for (int d = 0; d < dims; ++d) out[d] = float(sin(feature_angle(level, in[d])));
      for (int d = 0; d < dims; ++d) out[dims + d] = float(cos(feature_angle(level, in[d])));
      out += 2 * dims;
    }
  }
};

struct BackwardRow {
  FourierFeatures encoding;
  const float* x;
  const float* dy;
  float* dx;
  ADVECT_HD void operator()(std::int64_t row) const {
    const int dims = encoding.input_dims;
    const float* in = x + row * dims;
    const float* grad = dy + row * encoding.output_dims();
    for (int d = 0; d < dims; ++d) {
      double sum = encoding.include_input ? grad[d] : 0.0;
      const float* level_grad = grad + (encoding.include_input ? dims : 0);
      for (int level = 0; level < encoding.levels; ++level) {
        const double angle = feature_angle(level, in[d]), scale = ldexp(std::numbers::pi, level);
        sum += scale * (cos(angle) * level_grad[d] - sin(angle) * level_grad[dims + d]);
        level_grad += 2 * dims;
      }
      dx[row * dims + d] = float(sum);
    }
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void FourierFeatureKernels<B>::encode(const FourierFeatures& encoding, const float* x, float* y,
                                      std::int64_t n) {
  detail::parallel_for(n, EncodeRow{encoding, x, y});
}

template <Backend B>
void FourierFeatureKernels<B>::backward(const FourierFeatures& encoding, const float* x,
                                        const float* dy, float* dx, std::int64_t n) {
  detail::parallel_for(n, BackwardRow{encoding, x, dy, dx});
}

template struct FourierFeatureKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::neural
