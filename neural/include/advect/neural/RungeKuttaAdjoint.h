// Fixed explicit Runge-Kutta steps of dy/ds = f(y, s) with the engine's own tableaus
// (advect/engine/ButcherTableau.h, the steppers of integrate()), differentiated by the exact
// discrete adjoint of those steps (every stage's backward, in reverse), not a continuous adjoint
// ODE. The field is the caller's: a network of a latent state (LatentOde.h), a velocity field
// over space and time (the radiance field's dynamic-ode motion), any differentiable f.
//
// Layout: a state of `count` floats on the field's device; states over the steps are
// (steps + 1) x count, states[0] the initial one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "advect/engine/Buffer.h"
#include "advect/engine/OdeSolver.h"

namespace advect::neural {

// f and its backward, per stage evaluation. A `slot` (step * stages + stage) names one
// evaluation of one forward pass, so that the field keeps what its backward needs per slot.
class DifferentiableField {
 public:
  virtual ~DifferentiableField() = default;
  // slope = f(y, s) (count floats each).
  virtual void stage_forward(std::size_t slot, float s, const float* y, float* slope) = 0;
  // d_y = J_f(y)^T d_slope (overwritten) for that slot's evaluation at y; the field adds the
  // evaluation's parameter gradients to its own.
  virtual void stage_backward(std::size_t slot, const float* y, const float* d_slope,
                              float* d_y) = 0;
};

class RungeKuttaAdjoint {
 public:
  // `method` must be a fixed-step one (euler, heun, midpoint, rk4): adaptive steps would not be
  // differentiable as written. Throws std::invalid_argument.
  RungeKuttaAdjoint(OdeMethod method, const Device& device);

  int stages() const;
  // `steps` steps of size h from s0, y0 (count floats) to states ((steps + 1) x count). Keeps the
  // stage inputs for backward().
  void forward(DifferentiableField& field, const float* y0, std::int64_t count, int steps, float h,
               float s0, float* states);
  // Given dL/d states of the last forward(), calls the field's stage backwards in reverse and
  // writes dL/d y0 (count floats) if d_y0 is given.
  void backward(DifferentiableField& field, const float* d_states, float* d_y0 = nullptr);

 private:
  OdeMethod method_;
  Device device_;
  std::vector<Buffer<float>> stage_inputs_, stage_slopes_, stage_adjoints_;
  Buffer<float> adjoint_, stage_adjoint_sum_;
  std::int64_t count_ = 0;
  int steps_ = 0;
  float step_ = 0.0f;
};

}  // namespace advect::neural
