// The kernel family behind advect/geometry/SweepMotionField.h: declared here, one body for both
// backends in the kernels' Impl header, instantiated once per backend (docs/kernels.md). Not part
// of the API.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/geometry/SweepMotionField.h"

namespace advect::geometry {

template <Backend B>
struct SweepMotionKernels {
  // out = points + s * displacement, n x 3.
  static void move(const float* points, const float* displacement, float s, std::int64_t n,
                   float* out);
  // out[i] = float(x[i]) for i < count.
  static void narrow(const double* x, std::int64_t count, float* out);
  // v (n x 3) from each query's k neighbours (indices into displacement, squared distances).
  static void interpolate(const std::int32_t* indices, const float* squared_distances,
                          const float* displacement, const SweepInterpolation& parameters,
                          std::int64_t n, double* v);
};

}  // namespace advect::geometry
