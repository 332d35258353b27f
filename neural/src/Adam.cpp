#include "advect/neural/Adam.h"

#include <cmath>

#include "advect/engine/Dispatch.h"
#include "kernels/AdamKernels.h"

namespace advect::neural {

Adam::Adam(std::int64_t parameter_count, const Device& device, const AdamOptions& options)
    : options_(options),
      first_moment_(std::size_t(parameter_count), device),
      second_moment_(std::size_t(parameter_count), device) {
  reset();
}

void Adam::reset() {
  steps_ = 0;
  with_backend(first_moment_.device(), [&](auto backend) {
    AdamKernels<backend>::zero(first_moment_.data(), std::int64_t(first_moment_.size()));
    AdamKernels<backend>::zero(second_moment_.data(), std::int64_t(second_moment_.size()));
  });
}

void Adam::step(float* parameters, const float* gradients) {
  ++steps_;
  const double t = double(steps_);
  const double correction1 = 1.0 - std::pow(double(options_.beta1), t);
  const double correction2 = 1.0 - std::pow(double(options_.beta2), t);
  const AdamStep constants{options_.beta1,
                           options_.beta2,
                           options_.epsilon,
                           options_.decoupled_weight_decay ? 0.0f : options_.weight_decay,
                           float(options_.learning_rate / correction1),
                           float(std::sqrt(correction2)),
                           options_.decoupled_weight_decay
                               ? 1.0f - options_.learning_rate * options_.weight_decay
                               : 1.0f};
  with_backend(first_moment_.device(), [&](auto backend) {
    AdamKernels<backend>::step(parameters, gradients, first_moment_.data(), second_moment_.data(),
                               std::int64_t(first_moment_.size()), constants);
  });
}

}  // namespace advect::neural
