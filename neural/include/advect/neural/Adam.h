// Adam (Kingma and Ba, ICLR 2015) over one contiguous parameter buffer, on either device, with
// PyTorch's semantics: weight_decay adds weight_decay * p to the gradient (torch.optim.Adam), or,
// when decoupled, shrinks p by learning_rate * weight_decay first (torch.optim.AdamW). The decay
// may cover only the first `regularised` parameters: in a model's buffer those are the networks'
// (tiny-cuda-nn regularises its matrices, not its encodings' tables). "Adam" in a model's JSON:
// {"learning_rate", "beta1", "beta2", "epsilon", "l2_reg" (the coupled weight decay)}.
#pragma once

#include <cstdint>

#include "advect/engine/Buffer.h"
#include "advect/engine/HostDevice.h"
#include "advect/neural/Optimizer.h"

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
  std::int64_t regularised;  // parameters [0, regularised) get the weight decay
};

class Adam : public Optimizer {
 public:
  // regularised < 0: the weight decay covers every parameter.
  Adam(std::int64_t parameter_count, const Device& device, const AdamOptions& options = {},
       std::int64_t regularised = -1);

  void step(float* parameters, const float* gradients) override;
  void reset() override;
  std::int64_t steps() const override { return steps_; }
  std::int64_t parameter_count() const override { return std::int64_t(first_moment_.size()); }
  float learning_rate() const override { return options_.learning_rate; }
  void set_learning_rate(float learning_rate) override { options_.learning_rate = learning_rate; }

  AdamOptions& options() { return options_; }

 private:
  AdamOptions options_;
  std::int64_t regularised_;
  Buffer<float> first_moment_, second_moment_;
  std::int64_t steps_ = 0;
};

}  // namespace advect::neural
