// The kernel family behind advect/neural/Adam.h: declared here, one body for both backends in the
// kernels' Impl header, instantiated once per backend (docs/kernels.md). Not part of the API.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/neural/Adam.h"

namespace advect::neural {

template <Backend B>
struct AdamKernels {
  static void step(float* parameters, const float* gradients, float* m, float* v, std::int64_t n,
                   const AdamStep& c);
};

}  // namespace advect::neural
