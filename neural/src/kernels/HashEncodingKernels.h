// The kernel family behind advect/neural/HashEncoding.h (docs/kernels.md). Not part of the API.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/neural/HashEncoding.h"

namespace advect::neural {

// What every kernel of the encoding needs, copied by value into the loops.
struct HashGridView {
  const HashLevel* levels;  // device memory, `level_count` of them
  int level_count, input_dims, features;
};

template <Backend B>
struct HashEncodingKernels {
  static void forward(const HashGridView& grid, const float* parameters, const float* inputs,
                      std::int64_t n, float* features);
  static void backward(const HashGridView& grid, const float* inputs, const float* d_features,
                       std::int64_t n, float* gradients);
  // d_inputs (n x input_dims, overwritten) = dL/d inputs for d_features.
  static void input_gradient(const HashGridView& grid, const float* parameters,
                             const float* inputs, const float* d_features, std::int64_t n,
                             float* d_inputs);
};

}  // namespace advect::neural
