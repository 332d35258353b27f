// One body for FieldKernels on both backends.
#pragma once

#include <cmath>

#include "advect/engine/ParallelFor.h"
#include "advect/radiance/RadianceField.h"
#include "kernels/FieldKernels.h"

namespace advect::radiance {
inline namespace ADVECT_BACKEND {

// exp(15) = 3.3e6 per world unit: opaque within any sample step, and far from overflow.
constexpr float kMaxLogDensity = 15.0f;

struct DensityFromGeometry {
  const float* geometry;
  int stride;
  float* sigma;
  ADVECT_HD void operator()(std::int64_t i) const {
    const float log_density = geometry[i * stride];
    sigma[i] = expf(log_density < kMaxLogDensity ? log_density : kMaxLogDensity);
  }
};

struct CopyRows {
  const float* from;
  int from_stride;
  int count;
  float* to;
  int to_stride;
  ADVECT_HD void operator()(std::int64_t i) const {
    for (int k = 0; k < count; ++k) to[i * to_stride + k] = from[i * from_stride + k];
  }
};

struct GeometryGradient {
  const float* d_colour_inputs;
  int colour_stride;
  const float* geometry;
  const float* sigma;
  const float* d_sigma;
  float* d_geometry;
  ADVECT_HD void operator()(std::int64_t i) const {
    for (int k = 0; k < kGeometryFeatures; ++k) {
      d_geometry[i * kGeometryFeatures + k] = d_colour_inputs[i * colour_stride + k];
    }
    if (geometry[i * kGeometryFeatures] < kMaxLogDensity) {
      d_geometry[i * kGeometryFeatures] += d_sigma[i] * sigma[i];
    }
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void FieldKernels<B>::density(const float* geometry, std::int64_t n, int stride, float* sigma) {
  detail::parallel_for(n, DensityFromGeometry{geometry, stride, sigma},
                       detail::kMinParallelLightIterations);
}

template <Backend B>
void FieldKernels<B>::copy_rows(const float* from, int from_stride, std::int64_t n, int count,
                                float* to, int to_stride) {
  detail::parallel_for(n, CopyRows{from, from_stride, count, to, to_stride},
                       detail::kMinParallelLightIterations);
}

template <Backend B>
void FieldKernels<B>::geometry_gradient(const float* d_colour_inputs, int colour_stride,
                                        const float* geometry, const float* sigma,
                                        const float* d_sigma, std::int64_t n, float* d_geometry) {
  detail::parallel_for(
      n, GeometryGradient{d_colour_inputs, colour_stride, geometry, sigma, d_sigma, d_geometry},
      detail::kMinParallelLightIterations);
}

template struct FieldKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::radiance
