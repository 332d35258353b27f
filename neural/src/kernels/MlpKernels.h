// The kernel family behind advect/neural/Mlp.h: declared here, one body for both backends in the
// kernels' Impl header, instantiated once per backend (docs/kernels.md). Not part of the API.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/neural/Mlp.h"

namespace advect::neural {

template <Backend B>
struct MlpKernels {
  // z (out x batch) += bias per row, then the activation in place.
  static void bias_activation(float* z, const float* bias, int out, std::int64_t batch,
                              Activation activation);
  // delta (out x batch) *= activation'(z) written in terms of the activation's output a.
  static void activation_backward(float* delta, const float* a, std::int64_t count,
                                  Activation activation);
};

}  // namespace advect::neural
