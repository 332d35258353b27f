// The loss component, tiny-cuda-nn's names and definitions: the mean over all n x dims values of
// a per-value loss of prediction p and target y, with its gradient. Created by name with
// create_loss (Components.h):
//   "L2":         (p - y)^2
//   "L1":         |p - y|                       (gradient sign(p - y), 0 at 0)
//   "RelativeL2": (p - y)^2 / (p^2 + 0.01)      (the denominator held constant in the gradient,
//                                                as in instant-ngp's NeRF loss)
//   "Huber":      (p - y)^2 / (2 delta) inside |p - y| < delta, |p - y| - delta / 2 beyond
#pragma once

#include <cstdint>
#include <string>

#include "advect/engine/Device.h"

namespace advect::neural {

enum class LossKind { l2, l1, relative_l2, huber };

class Loss {
 public:
  explicit Loss(LossKind kind, float huber_delta = 0.1f);
  // Mean loss over the n x dims values of prediction and target (row-major, on `device`); writes
  // d(mean loss)/d prediction into d_prediction (same layout) unless it is null.
  double evaluate(const float* prediction, const float* target, std::int64_t n, int dims,
                  float* d_prediction, const Device& device) const;
  LossKind kind() const { return kind_; }
  std::string name() const;

 private:
  LossKind kind_;
  float huber_delta_;
};

}  // namespace advect::neural
