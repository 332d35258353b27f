// The CPU's MLP passes block by block: each block of points goes through every layer while its
// activations are in cache (forward), or back through every layer while the block's deltas are
// (backward), instead of one product over the whole batch per layer, whose activations (a few MB
// at 8k points) fall out of the cache between layers. The weights are packed once per pass, the
// bias and activation (forward) and the activation's derivative (backward) are applied as each
// register tile is written, and a weight gradient's sum over the points is split into a fixed
// number of parts (of 256 points or more), summed in order, so results do not depend on the thread
// count. Layouts as advect/neural/Mlp.h: a layer's activations out x batch column-major.
#pragma once

#include <cstdint>
#include <vector>

#include "advect/engine/Buffer.h"
#include "advect/neural/Blas.h"
#include "advect/neural/Mlp.h"

namespace advect::neural::blocked_mlp {

// Whether the passes below run a batch of this many points (enough for two parts of the sum);
// smaller batches go layer by layer through Blas.
bool handles(std::int64_t batch);

// activations[l] (layers[l].out x batch) = layer l of the network on input (layers[0].in x batch).
void forward(const std::vector<MlpLayer>& layers, const float* parameters, const float* input,
             std::int64_t batch, std::vector<Buffer<float>>& activations,
             MatmulPrecision precision);

// Given dL/d output (the last layer's out x batch) and the activations of forward(): gradients =
// dL/d parameters + gradient_beta * gradients, and, if d_input is not null, d_input = dL/d input.
void backward(const std::vector<MlpLayer>& layers, const float* parameters, const float* input,
              const std::vector<Buffer<float>>& activations, const float* d_output,
              std::int64_t batch, float* gradients, float gradient_beta, float* d_input,
              MatmulPrecision precision);

}  // namespace advect::neural::blocked_mlp
