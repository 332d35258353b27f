// The kernel family behind advect/neural/SphericalHarmonics.h (docs/kernels.md).
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"

namespace advect::neural {

template <Backend B>
struct SphericalHarmonicsKernels {
  static void encode(const float* directions, std::int64_t n, float* out, std::int64_t stride);
};

}  // namespace advect::neural
