// The kernel family behind advect/fluids/ImmersedBoundary.h: declared here, one body for both
// backends in the kernels' Impl header, instantiated once per backend (docs/kernels.md). Not part
// of the API.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/fluids/ImmersedBoundary.h"

namespace advect::fluids {

template <Backend B, class Real>
struct ImmersedBoundaryKernels {
  static void impose(std::int64_t count, const std::int64_t* face, const Real* offset,
                     const std::int64_t* stencil, const Real* weight, Real* values);
};

}  // namespace advect::fluids
