// One body for VectorOps on both backends (VectorOpsCPU.cpp / VectorOpsCUDA.cu).
#pragma once

#include "advect/engine/ParallelFor.h"
#include "kernels/VectorOps.h"

namespace advect::neural {
inline namespace ADVECT_BACKEND {

struct Axpby {
  float* out;
  float a;
  const float* x;
  float b;
  const float* y;
  ADVECT_HD void operator()(std::int64_t i) const { out[i] = a * x[i] + b * y[i]; }
};

struct Fill {
  float* out;
  float value;
  ADVECT_HD void operator()(std::int64_t i) const { out[i] = value; }
};

struct AsDouble {
  const float* x;
  ADVECT_HD double operator()(std::int64_t i) const { return double(x[i]); }
};

struct AddDouble {
  ADVECT_HD double operator()(double a, double b) const { return a + b; }
};

struct GatherPoints {
  float* out;
  const float* points;
  const std::int32_t* rows;
  ADVECT_HD void operator()(std::int64_t i) const {
    const std::int64_t row = rows[i];
    for (int k = 0; k < 3; ++k) out[3 * i + k] = points[3 * row + k];
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void VectorOps<B>::axpby(float* out, float a, const float* x, float b, const float* y,
                         std::int64_t n) {
  detail::parallel_for(n, Axpby{out, a, x, b, y}, detail::kMinParallelLightIterations);
}

template <Backend B>
double VectorOps<B>::sum(const float* x, std::int64_t n) {
  return detail::transform_reduce(n, 0.0, AddDouble{}, AsDouble{x},
                                  detail::kMinParallelLightIterations);
}

template <Backend B>
void VectorOps<B>::fill(float* out, std::int64_t n, float value) {
  detail::parallel_for(n, Fill{out, value}, detail::kMinParallelLightIterations);
}

template <Backend B>
void VectorOps<B>::gather_points(float* out, const float* points, const std::int32_t* rows,
                                 std::int64_t n) {
  detail::parallel_for(n, GatherPoints{out, points, rows}, detail::kMinParallelLightIterations);
}

template struct VectorOps<ADVECT_THIS_BACKEND>;

}  // namespace advect::neural
