// The optimiser component: one update of a model's parameters (one contiguous buffer) from their
// gradients, on the buffer's device. Implementations: Adam.h, ExponentialDecay.h; created by
// name from JSON with create_optimizer (Components.h).
#pragma once

#include <cstdint>

namespace advect::neural {

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // One update of `parameters` (parameter_count() floats) from `gradients`.
  virtual void step(float* parameters, const float* gradients) = 0;
  // Forgets the state and the step count (for a fresh optimisation).
  virtual void reset() = 0;
  virtual std::int64_t steps() const = 0;
  virtual std::int64_t parameter_count() const = 0;
  virtual float learning_rate() const = 0;
  virtual void set_learning_rate(float learning_rate) = 0;
};

}  // namespace advect::neural
