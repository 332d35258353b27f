// Step-size selection of the adaptive methods (Hairer and Wanner, "Solving ODEs II", IV.2).
#pragma once

#include <algorithm>
#include <cmath>

namespace advect::detail {

// PI controller h_new = h * safety * err^(-alpha) * err_prev^beta with alpha = 0.7/k and
// beta = 0.4/k for an error estimate of order k, limited to [0.2, 10] (to 1 right after a
// rejection, as in DOPRI5).
class PiStepController {
 public:
  explicit PiStepController(int error_order)
      : alpha_(0.7 / error_order), beta_(0.4 / error_order), exponent_(1.0 / error_order) {}

  // Factor for the next step after accepting one with error norm `error` (<= 1).
  double accept(double error) {
    const double bounded = std::max(error, 1e-10);
    const double factor = kSafety * std::pow(bounded, -alpha_) * std::pow(previous_, beta_);
    const double limited = std::clamp(factor, kMinFactor, rejected_last_ ? 1.0 : kMaxFactor);
    previous_ = std::max(error, 1e-4);
    rejected_last_ = false;
    return limited;
  }

  // Factor for retrying a rejected step with error norm `error` (> 1 or not finite).
  double reject(double error) {
    rejected_last_ = true;
    if (!std::isfinite(error)) return kMinFactor;
    return std::max(kMinFactor, kSafety * std::pow(error, -exponent_));
  }

 private:
  static constexpr double kSafety = 0.9, kMinFactor = 0.2, kMaxFactor = 10.0;
  double alpha_, beta_, exponent_;
  double previous_ = 1e-4;
  bool rejected_last_ = false;
};

}  // namespace advect::detail
