#include "advect/neural/LatentOde.h"

#include <stdexcept>
#include <string>

#include "advect/engine/Dispatch.h"
#include "kernels/VectorOps.h"

namespace advect::neural {

LatentOde::LatentOde(const MlpConfig& config, OdeMethod method, const Device& device,
                     std::uint64_t seed)
    : mlp_(config, device, seed),
      steps_(method, device),  // refuses adaptive methods
      gradients_(mlp_.gradients().size(), device) {
  if (config.input_dims != config.output_dims) {
    throw std::invalid_argument("LatentOde: the MLP must map D -> D, got " +
                                std::to_string(config.input_dims) + " -> " +
                                std::to_string(config.output_dims));
  }
}

void LatentOde::forward(const float* z0, std::int64_t batch, int steps, float step, float* states) {
  workspaces_.resize(std::size_t(steps) * std::size_t(steps_.stages()));
  batch_ = batch;
  steps_.forward(*this, z0, batch * dimension(), steps, step, 0.0f, states);
}

void LatentOde::backward(const float* d_states, float* d_z0) {
  // Fresh buffers hold whatever memory held: set them, never scale them by 0 (0 * NaN = NaN).
  with_backend(mlp_.device(), [&](auto backend) {
    VectorOps<backend>::fill(gradients_.data(), std::int64_t(gradients_.size()), 0.0f);
  });
  steps_.backward(*this, d_states, d_z0);
}

void LatentOde::stage_forward(std::size_t slot, float, const float* y, float* slope) {
  mlp_.forward(y, batch_, slope, workspaces_[slot]);
}

void LatentOde::stage_backward(std::size_t slot, const float* y, const float* d_slope, float* d_y) {
  mlp_.backward(y, d_slope, workspaces_[slot], d_y);
  with_backend(mlp_.device(), [&](auto backend) {
    const auto count = std::int64_t(gradients_.size());
    VectorOps<backend>::axpby(gradients_.data(), 1.0f, gradients_.data(), 1.0f,
                              mlp_.gradients().data(), count);
  });
}

}  // namespace advect::neural
