#include "advect/neural/Adam.h"

#include <algorithm>
#include <cmath>

#include "advect/engine/Dispatch.h"
#include "kernels/AdamKernels.h"
#include "kernels/VectorOps.h"

namespace advect::neural {

Adam::Adam(std::int64_t parameter_count, const Device& device, const AdamOptions& options,
           std::int64_t regularised)
    : options_(options),
      regularised_(regularised < 0 ? parameter_count : std::min(regularised, parameter_count)),
      first_moment_(std::size_t(parameter_count), device),
      second_moment_(std::size_t(parameter_count), device) {
  reset();
}

void Adam::reset() {
  steps_ = 0;
  with_backend(first_moment_.device(), [&](auto backend) {
    VectorOps<backend>::fill(first_moment_.data(), parameter_count(), 0.0f);
    VectorOps<backend>::fill(second_moment_.data(), parameter_count(), 0.0f);
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
                               : 1.0f,
                           regularised_};
  with_backend(first_moment_.device(), [&](auto backend) {
    AdamKernels<backend>::step(parameters, gradients, first_moment_.data(), second_moment_.data(),
                               std::int64_t(first_moment_.size()), constants);
  });
}

}  // namespace advect::neural
