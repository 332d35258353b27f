#include "advect/neural/ExponentialDecay.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace advect::neural {

ExponentialDecay::ExponentialDecay(std::unique_ptr<Optimizer> nested,
                                   const ExponentialDecayOptions& options)
    : nested_(std::move(nested)), options_(options) {
  if (!nested_) throw std::invalid_argument("ExponentialDecay needs a nested optimiser");
  if (!(options.decay_base > 0.0f && options.decay_base <= 1.0f)) {
    throw std::invalid_argument("ExponentialDecay: decay_base must be in (0, 1]");
  }
  if (options.decay_start < 0 || options.decay_interval < 1 ||
      options.decay_end < options.decay_start) {
    throw std::invalid_argument(
        "ExponentialDecay: decay_start >= 0, decay_interval >= 1 and decay_end >= decay_start");
  }
  base_rate_ = nested_->learning_rate();
  apply_schedule();
}

void ExponentialDecay::apply_schedule() {
  const std::int64_t k = nested_->steps();
  const std::int64_t decays =
      k < options_.decay_start
          ? 0
          : (std::min(k, options_.decay_end) - options_.decay_start) / options_.decay_interval + 1;
  nested_->set_learning_rate(
      float(double(base_rate_) * std::pow(double(options_.decay_base), double(decays))));
}

void ExponentialDecay::step(float* parameters, const float* gradients) {
  apply_schedule();
  nested_->step(parameters, gradients);
}

void ExponentialDecay::reset() {
  nested_->reset();
  apply_schedule();
}

void ExponentialDecay::set_learning_rate(float learning_rate) {
  base_rate_ = learning_rate;
  apply_schedule();
}

}  // namespace advect::neural
