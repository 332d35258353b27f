// The kernel family behind advect/neural/Loss.h (docs/kernels.md). Not part of the API.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/neural/Loss.h"

namespace advect::neural {

template <Backend B>
struct LossKernels {
  // Sum of the per-value losses over `count` values; d_prediction (if not null) = scale * the
  // per-value gradients.
  static double evaluate(LossKind kind, float huber_delta, const float* prediction,
                         const float* target, std::int64_t count, float scale, float* d_prediction);
};

}  // namespace advect::neural
