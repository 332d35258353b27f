// One body for ChamferKernels on both backends (ChamferCPU.cpp / ChamferCUDA.cu).
#pragma once

#include <cmath>

#include "advect/engine/ParallelFor.h"
#include "advect/geometry/Chamfer.h"
#include "kernels/ChamferKernels.h"
#include "kernels/KeyRanges.h"

namespace advect::geometry {
inline namespace ADVECT_BACKEND {

// g(d) for one nearest-neighbour pair given d^2, with truncation.
struct ChamferTerm {
  const float* squared_distances;
  bool squared;
  float truncate;
  bool clamp;
  ADVECT_HD double operator()(std::int64_t i) const {
    float d2 = squared_distances[i];
    if (!(d2 < truncate)) {
      if (!clamp) return 0.0;
      d2 = truncate;
    }
    return squared ? double(d2) : sqrt(double(d2));
  }
};

struct SumDouble {
  ADVECT_HD double operator()(double a, double b) const { return a + b; }
};

// d g(|a - b|) / d a, times scale, accumulated into out[3].
ADVECT_HD inline void add_term_gradient(const float* a, const float* b, float d2, double scale,
                                        bool squared, float truncate, double* out) {
  if (!(d2 < truncate)) return;
  const double factor = squared ? 2.0 * scale : (d2 > 0.0f ? scale / sqrt(double(d2)) : 0.0);
  for (int d = 0; d < 3; ++d) out[d] += factor * (double(a[d]) - double(b[d]));
}

struct MovingTermGradient {
  const float* moving;
  const float* target;
  const std::int32_t* nearest;
  const float* squared_distances;
  double scale;
  ChamferOptions options;
  float* gradient;
  ADVECT_HD void operator()(std::int64_t i) const {
    double g[3] = {0.0, 0.0, 0.0};
    if (nearest != nullptr) {
      add_term_gradient(moving + 3 * i, target + 3 * std::int64_t(nearest[i]), squared_distances[i],
                        scale, options.squared, options.truncate_squared, g);
    }
    for (int d = 0; d < 3; ++d) gradient[3 * i + d] = float(g[d]);
  }
};

// Gathers, for moving point i, the targets whose nearest moving point it is (no atomics: the
// result is the same on every backend and run).
struct TargetTermGradient {
  const float* moving;
  const float* target;
  const std::int32_t* order;
  const std::int32_t* first;
  const float* squared_distances;
  double scale;
  ChamferOptions options;
  float* gradient;
  ADVECT_HD void operator()(std::int64_t i) const {
    double g[3] = {0.0, 0.0, 0.0};
    for (std::int32_t s = first[i]; s < first[i + 1]; ++s) {
      const std::int64_t j = order[s];
      add_term_gradient(moving + 3 * i, target + 3 * j, squared_distances[j], scale,
                        options.squared, options.truncate_squared, g);
    }
    for (int d = 0; d < 3; ++d) gradient[3 * i + d] += float(g[d]);
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
double ChamferKernels<B>::sum_terms(const float* squared_distances, std::int64_t n,
                                    const ChamferOptions& options) {
  return detail::transform_reduce(n, 0.0, SumDouble{},
                                  ChamferTerm{squared_distances, options.squared,
                                              options.truncate_squared, options.clamp_truncated});
}

template <Backend B>
void ChamferKernels<B>::moving_term_gradient(const float* moving, const float* target,
                                             const std::int32_t* nearest,
                                             const float* squared_distances, std::int64_t n,
                                             double scale, const ChamferOptions& options,
                                             float* gradient) {
  detail::parallel_for(
      n, MovingTermGradient{moving, target, nearest, squared_distances, scale, options, gradient});
}

template <Backend B>
void ChamferKernels<B>::target_term_gradient(const float* moving, std::int64_t n_moving,
                                             const float* target, std::int64_t n_target,
                                             std::int32_t* owner, std::int32_t* order,
                                             std::int32_t* first, const float* squared_distances,
                                             double scale, const ChamferOptions& options,
                                             float* gradient) {
  detail::parallel_for(n_target, Iota{order});
  detail::sort_by_key(owner, order, n_target);
  detail::parallel_for(n_target + 1, KeyRanges{owner, n_target, n_moving, first});
  detail::parallel_for(n_moving, TargetTermGradient{moving, target, order, first, squared_distances,
                                                    scale, options, gradient});
}

template struct ChamferKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::geometry
