// tiny-cuda-nn's "ExponentialDecay" optimiser: a nested optimiser whose learning rate is
// multiplied by decay_base at step decay_start and every decay_interval steps after, up to
// decay_end. Before update k (k = 0, 1, ...) the rate is base * decay_base^n(k) with
// n(k) = 0 for k < decay_start, else floor((min(k, decay_end) - decay_start) / decay_interval) + 1.
// JSON: {"otype": "ExponentialDecay", "decay_base", "decay_start", "decay_interval", "decay_end",
// "nested": {an optimiser}}.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>

#include "advect/neural/Optimizer.h"

namespace advect::neural {

struct ExponentialDecayOptions {
  float decay_base = 0.33f;
  std::int64_t decay_start = 20000;
  std::int64_t decay_interval = 10000;
  std::int64_t decay_end = std::numeric_limits<std::int64_t>::max();
};

class ExponentialDecay : public Optimizer {
 public:
  // Throws std::invalid_argument for a base outside (0, 1], a negative start or an interval < 1.
  ExponentialDecay(std::unique_ptr<Optimizer> nested, const ExponentialDecayOptions& options);

  void step(float* parameters, const float* gradients) override;
  void reset() override;
  std::int64_t steps() const override { return nested_->steps(); }
  std::int64_t parameter_count() const override { return nested_->parameter_count(); }
  float learning_rate() const override { return nested_->learning_rate(); }
  // Sets the base rate that the decay scales.
  void set_learning_rate(float learning_rate) override;

 private:
  void apply_schedule();

  std::unique_ptr<Optimizer> nested_;
  ExponentialDecayOptions options_;
  float base_rate_;
};

}  // namespace advect::neural
