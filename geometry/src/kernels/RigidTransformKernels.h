// The kernel family behind advect/geometry/RigidTransform.h: declared here, one body for both
// backends in the kernels' Impl header, instantiated once per backend (docs/kernels.md). Not part
// of the API.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/geometry/RigidTransform.h"

namespace advect::geometry {

template <Backend B>
struct RigidTransformKernels {
  static void apply(const RigidTransform& transform, float* positions, std::int64_t n);
};

}  // namespace advect::geometry
