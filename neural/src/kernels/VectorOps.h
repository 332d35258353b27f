// Element-wise float vector operations shared by neural/'s components, one family per backend.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"

namespace advect::neural {

template <Backend B>
struct VectorOps {
  // out = a * x + b * y (out may alias x or y).
  static void axpby(float* out, float a, const float* x, float b, const float* y, std::int64_t n);
  static double sum(const float* x, std::int64_t n);
  static void fill(float* out, std::int64_t n, float value);
  // out row i (3 floats) = points row rows[i], for i < n.
  static void gather_points(float* out, const float* points, const std::int32_t* rows,
                            std::int64_t n);
};

extern template struct VectorOps<Backend::cpu>;
#ifdef ADVECT_WITH_CUDA
extern template struct VectorOps<Backend::gpu>;
#endif

}  // namespace advect::neural
