// Adam (Kingma and Ba, ICLR 2015) over one contiguous parameter buffer, on either device, with
// PyTorch's semantics: weight_decay adds weight_decay * p to the gradient (torch.optim.Adam), or,
// when decoupled, shrinks p by learning_rate * weight_decay first (torch.optim.AdamW).
#pragma once

#include <cstdint>

#include "advect/engine/Buffer.h"
#include "advect/engine/HostDevice.h"

namespace advect::neural {

struct AdamOptions {
  float learning_rate = 1e-3f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float epsilon = 1e-8f;
  float weight_decay = 0.0f;
  bool decoupled_weight_decay = false;
};

// Per-step constants computed on the host.
struct AdamStep {
  float beta1, beta2, epsilon, weight_decay, step_size, bias_correction2_sqrt, decay_factor;
};

class Adam {
 public:
  Adam(std::int64_t parameter_count, const Device& device, const AdamOptions& options = {});

  // One update of `parameters` (parameter_count floats on the device) from `gradients`.
  void step(float* parameters, const float* gradients);
  // Forgets the moments and the step count (for a fresh optimisation).
  void reset();

  std::int64_t steps() const { return steps_; }
  AdamOptions& options() { return options_; }

 private:
  AdamOptions options_;
  Buffer<float> first_moment_, second_moment_;
  std::int64_t steps_ = 0;
};

}  // namespace advect::neural
