#include "advect/neural/RungeKuttaAdjoint.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "advect/engine/ButcherTableau.h"
#include "advect/engine/Dispatch.h"
#include "advect/engine/GrowingBuffer.h"
#include "kernels/VectorOps.h"

namespace advect::neural {

RungeKuttaAdjoint::RungeKuttaAdjoint(OdeMethod method, const Device& device)
    : method_(method), device_(device) {
  if (is_adaptive(method)) {
    throw std::invalid_argument(std::string(to_string(method)) +
                                " is adaptive; use euler, heun, midpoint or rk4");
  }
}

int RungeKuttaAdjoint::stages() const {
  return detail::tableau_of(method_).stages;
}

void RungeKuttaAdjoint::forward(DifferentiableField& field, const float* y0, std::int64_t count,
                                int steps, float h, float s0, float* states) {
  const auto& tableau = detail::tableau_of(method_);
  const int stages = tableau.stages;
  // Buffers only grow: a caller whose state size changes every call (a batch of samples) does
  // not reallocate them every call.
  const auto slots = std::size_t(steps) * std::size_t(stages);
  stage_inputs_.resize(std::max(stage_inputs_.size(), slots));
  stage_slopes_.resize(std::max(stage_slopes_.size(), slots));
  for (std::size_t s = 0; s < slots; ++s) {
    ensure_size(stage_inputs_[s], count, device_);
    ensure_size(stage_slopes_[s], count, device_);
  }
  count_ = count;
  steps_ = steps;
  step_ = h;
  detail::copy_bytes(states, device_, y0, device_, std::size_t(count) * sizeof(float));
  with_backend(device_, [&](auto backend) {
    using Ops = VectorOps<backend>;
    for (int n = 0; n < steps; ++n) {
      const float* y = states + std::int64_t(n) * count;
      float* y_next = states + std::int64_t(n + 1) * count;
      const std::size_t first = std::size_t(n) * std::size_t(stages);
      for (int i = 0; i < stages; ++i) {
        float* input = stage_inputs_[first + std::size_t(i)].data();
        Ops::axpby(input, 1.0f, y, 0.0f, y, count);
        for (int j = 0; j < i; ++j) {
          const auto a = float(tableau.a[std::size_t(i)][std::size_t(j)]);
          if (a != 0.0f) {
            Ops::axpby(input, 1.0f, input, h * a, stage_slopes_[first + std::size_t(j)].data(),
                       count);
          }
        }
        const float s = s0 + h * (float(n) + float(tableau.c[std::size_t(i)]));
        field.stage_forward(first + std::size_t(i), s, input,
                            stage_slopes_[first + std::size_t(i)].data());
      }
      Ops::axpby(y_next, 1.0f, y, 0.0f, y, count);
      for (int i = 0; i < stages; ++i) {
        const auto b = float(tableau.b[std::size_t(i)]);
        if (b != 0.0f) {
          Ops::axpby(y_next, 1.0f, y_next, h * b, stage_slopes_[first + std::size_t(i)].data(),
                     count);
        }
      }
    }
  });
}

// The discrete adjoint of y' = y + h sum_i b_i k_i, k_i = f(Y_i), Y_i = y + h sum_{j<i} a_ij k_j:
// with ybar = dL/dy', the stage adjoints go from the last stage down,
//   kbar_i = h b_i ybar + h sum_{j>i} a_ji Ybar_j,   Ybar_i = J_f(Y_i)^T kbar_i,
// and dL/dy = ybar + sum_i Ybar_i (+ the loss's own term at y).
void RungeKuttaAdjoint::backward(DifferentiableField& field, const float* d_states, float* d_y0) {
  const auto& tableau = detail::tableau_of(method_);
  const int stages = tableau.stages;
  const std::int64_t count = count_;
  ensure_size(adjoint_, count, device_);
  ensure_size(stage_adjoint_sum_, count, device_);
  stage_adjoints_.resize(std::max(stage_adjoints_.size(), std::size_t(stages)));
  for (int i = 0; i < stages; ++i) ensure_size(stage_adjoints_[std::size_t(i)], count, device_);
  with_backend(device_, [&](auto backend) {
    using Ops = VectorOps<backend>;
    float* ybar = adjoint_.data();
    float* kbar = stage_adjoint_sum_.data();
    const float* last = d_states + std::int64_t(steps_) * count;
    Ops::axpby(ybar, 1.0f, last, 0.0f, last, count);
    for (int n = steps_ - 1; n >= 0; --n) {
      const std::size_t first = std::size_t(n) * std::size_t(stages);
      for (int i = stages - 1; i >= 0; --i) {
        Ops::axpby(kbar, step_ * float(tableau.b[std::size_t(i)]), ybar, 0.0f, ybar, count);
        for (int j = i + 1; j < stages; ++j) {
          const auto a = float(tableau.a[std::size_t(j)][std::size_t(i)]);
          if (a != 0.0f) {
            Ops::axpby(kbar, 1.0f, kbar, step_ * a, stage_adjoints_[std::size_t(j)].data(), count);
          }
        }
        const std::size_t slot = first + std::size_t(i);
        field.stage_backward(slot, stage_inputs_[slot].data(), kbar,
                             stage_adjoints_[std::size_t(i)].data());
      }
      for (int i = 0; i < stages; ++i) {
        Ops::axpby(ybar, 1.0f, ybar, 1.0f, stage_adjoints_[std::size_t(i)].data(), count);
      }
      Ops::axpby(ybar, 1.0f, ybar, 1.0f, d_states + std::int64_t(n) * count, count);
    }
    if (d_y0 != nullptr) Ops::axpby(d_y0, 1.0f, ybar, 0.0f, ybar, count);
  });
}

}  // namespace advect::neural
