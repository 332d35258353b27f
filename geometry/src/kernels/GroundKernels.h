// The kernel family behind advect/geometry/GroundRemoval.h: declared here, one body for both
// backends in the kernels' Impl header, instantiated once per backend (docs/kernels.md). Not part
// of the API.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/geometry/GroundRemoval.h"

namespace advect::geometry {

template <Backend B>
struct GroundKernels {
  // {points within `distance` of the plane, points farther than `distance` below it}.
  static std::array<std::int64_t, 2> count_inliers(const float* points, std::int64_t n,
                                                   const std::array<double, 4>& plane,
                                                   float distance);
  static void mark(const float* points, std::int64_t n, const std::array<double, 4>& plane,
                   float distance, std::uint8_t* mask);
};

}  // namespace advect::geometry
