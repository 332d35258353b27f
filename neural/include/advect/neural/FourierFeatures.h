// Fourier-feature (positional) encoding of low-dimensional inputs for neural fields, as in NeRF
// (Mildenhall et al., ECCV 2020): gamma(x) = (x, sin(2^0 pi x), cos(2^0 pi x), ...,
// sin(2^(L-1) pi x), cos(2^(L-1) pi x)), with its backward pass for hand-written backprop.
#pragma once

#include <cstdint>

#include "advect/engine/Device.h"
#include "advect/engine/HostDevice.h"

namespace advect::neural {

// Layout of one encoded row (float32): the input itself if include_input, then for each level l
// the D sines sin(2^l pi x_d) followed by the D cosines cos(2^l pi x_d).
struct FourierFeatures {
  int input_dims = 3;  // D
  int levels = 6;      // L
  bool include_input = true;

  ADVECT_HD int output_dims() const {
    return (include_input ? input_dims : 0) + 2 * levels * input_dims;
  }
};

// y (n x output_dims) = gamma(x) for x (n x input_dims), row-major, in `device` memory.
void encode(const FourierFeatures& encoding, const float* x, float* y, std::int64_t n,
            const Device& device);

// dx (n x input_dims) = (d gamma / dx)^T dy for dy (n x output_dims): the gradient of a loss with
// respect to the inputs, given its gradient with respect to the features.
void encode_backward(const FourierFeatures& encoding, const float* x, const float* dy, float* dx,
                     std::int64_t n, const Device& device);

}  // namespace advect::neural
