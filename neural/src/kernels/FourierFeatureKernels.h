// The kernel family behind advect/neural/FourierFeatures.h: declared here, one body for both
// backends in the kernels' Impl header, instantiated once per backend (docs/kernels.md). Not part
// of the API.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/neural/FourierFeatures.h"

namespace advect::neural {

template <Backend B>
struct FourierFeatureKernels {
  static void encode(const FourierFeatures& encoding, const float* x, float* y, std::int64_t n);
  static void backward(const FourierFeatures& encoding, const float* x, const float* dy, float* dx,
                       std::int64_t n);
};

}  // namespace advect::neural
