// One body for SweepMotionKernels on both backends (SweepMotionCPU.cpp / CUDA.cu).
#pragma once

#include <cmath>

#include "advect/engine/ParallelFor.h"
#include "advect/geometry/SweepMotionField.h"
#include "kernels/SweepMotionKernels.h"

namespace advect::geometry {
inline namespace ADVECT_BACKEND {

struct MoveSamples {
  const float* points;
  const float* displacement;
  float s;
  float* out;
  ADVECT_HD void operator()(std::int64_t i) const { out[i] = points[i] + s * displacement[i]; }
};

struct NarrowToFloat {
  const double* x;
  float* out;
  ADVECT_HD void operator()(std::int64_t i) const { out[i] = float(x[i]); }
};

struct InterpolateMotion {
  const std::int32_t* indices;
  const float* squared_distances;
  const float* displacement;
  SweepInterpolation p;
  double* v;

  ADVECT_HD void operator()(std::int64_t i) const {
    const std::int32_t* index = indices + i * p.neighbours;
    const float* r2 = squared_distances + i * p.neighbours;
    double sum[3] = {0.0, 0.0, 0.0};
    double weights = 0.0;
    const double nearest = sqrt(double(r2[0]));
    for (int j = 0; j < p.neighbours && r2[j] < p.radius_squared; ++j) {
      const double excess = (sqrt(double(r2[j])) - nearest) / p.blend;
      const double w = exp(-excess * excess);
      const float* d = displacement + 3 * std::int64_t(index[j]);
      for (int c = 0; c < 3; ++c) sum[c] += w * d[c];
      weights += w;
    }
    double scale = 0.0;
    if (weights > 0.0) {
      // smoothstep from 1 at r = radius / 2 to 0 at r = radius (r of the nearest sample)
      const double u = 2.0 * (nearest / p.radius - 0.5);
      const double fade = u <= 0.0 ? 1.0 : 1.0 - u * u * (3.0 - 2.0 * u);
      scale = fade * p.rate / weights;
    }
    for (int c = 0; c < 3; ++c) v[3 * i + c] = scale * sum[c];
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void SweepMotionKernels<B>::move(const float* points, const float* displacement, float s,
                                 std::int64_t n, float* out) {
  detail::parallel_for(3 * n, MoveSamples{points, displacement, s, out});
}

template <Backend B>
void SweepMotionKernels<B>::narrow(const double* x, std::int64_t count, float* out) {
  detail::parallel_for(count, NarrowToFloat{x, out});
}

template <Backend B>
void SweepMotionKernels<B>::interpolate(const std::int32_t* indices, const float* squared_distances,
                                        const float* displacement,
                                        const SweepInterpolation& parameters, std::int64_t n,
                                        double* v) {
  detail::parallel_for(n,
                       InterpolateMotion{indices, squared_distances, displacement, parameters, v});
}

template struct SweepMotionKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::geometry
