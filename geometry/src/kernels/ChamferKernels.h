// The kernel family behind advect/geometry/Chamfer.h: declared here, one body for both backends in
// the kernels' Impl header, instantiated once per backend (docs/kernels.md). Not part of the API.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/geometry/Chamfer.h"

namespace advect::geometry {

template <Backend B>
struct ChamferKernels {
  // sum_i g(d_i) over n squared nearest distances, with truncation.
  static double sum_terms(const float* squared_distances, std::int64_t n,
                          const ChamferOptions& options);
  // gradient[i] = scale * g'(a_i - b_nn(i)) for the moving-to-target term (overwrites).
  static void moving_term_gradient(const float* moving, const float* target,
                                   const std::int32_t* nearest, const float* squared_distances,
                                   std::int64_t n, double scale, const ChamferOptions& options,
                                   float* gradient);
  // gradient[i] += scale * sum over targets j whose nearest moving point is i of g'(a_i - b_j).
  // `owner` holds each target's nearest moving index; it is sorted in place (with `order`, n_target
  // ints of scratch) and `first` (n_moving + 1 ints of scratch) receives each moving point's range.
  static void target_term_gradient(const float* moving, std::int64_t n_moving, const float* target,
                                   std::int64_t n_target, std::int32_t* owner, std::int32_t* order,
                                   std::int32_t* first, const float* squared_distances,
                                   double scale, const ChamferOptions& options, float* gradient);
};

}  // namespace advect::geometry
