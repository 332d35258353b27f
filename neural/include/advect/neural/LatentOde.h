// Latent dynamics dz/dt = f(z), f an MLP, integrated in fixed explicit Runge-Kutta steps with the
// engine's own tableaus (advect/engine/ButcherTableau.h, the steppers of integrate()), and
// differentiated through those steps: the backward pass is the exact discrete adjoint of the
// forward steps (every stage's MLP backward, in reverse), not a continuous adjoint ODE.
//
// Layout: a batch of B latents of dimension D is B x D row-major (D fastest), on the MLP's
// device; states over time are (steps + 1) x B x D, states[0] the initial latents. Time in the
// caller's unit (the surrogate uses seconds).
#pragma once

#include <cstdint>
#include <vector>

#include "advect/engine/Buffer.h"
#include "advect/engine/OdeSolver.h"
#include "advect/neural/Mlp.h"

namespace advect::neural {

class LatentOde {
 public:
  // The MLP maps D -> D (config.input_dims == config.output_dims). `method` must be a fixed-step
  // one (euler, heun, midpoint, rk4): adaptive steps would not be differentiable as written.
  LatentOde(const MlpConfig& config, OdeMethod method, const Device& device, std::uint64_t seed);

  // Integrates `batch` latents from z0 through `steps` steps of `step` each; writes every state
  // to `states` ((steps + 1) x batch x D, device memory). Keeps what backward() needs.
  void forward(const float* z0, std::int64_t batch, int steps, float step, float* states);

  // Given dL/d states for the last forward(), writes dL/d parameters into gradients()
  // (overwriting) and dL/d z0 into d_z0 (batch x D) if given.
  void backward(const float* d_states, float* d_z0 = nullptr);

  int dimension() const { return mlp_.config().input_dims; }
  Mlp& mlp() { return mlp_; }
  const Mlp& mlp() const { return mlp_; }
  BufferView<float> parameters() { return mlp_.parameters(); }
  const Buffer<float>& gradients() const { return gradients_; }

 private:
  Mlp mlp_;
  OdeMethod method_;
  Buffer<float> gradients_;
  // Per step and stage of the last forward: the stage's input Y and its MLP workspace; the
  // stage slopes k.
  std::vector<Buffer<float>> stage_inputs_, stage_slopes_;
  std::vector<MlpWorkspace> workspaces_;
  Buffer<float> adjoint_, stage_adjoint_sum_;
  std::vector<Buffer<float>> stage_adjoints_;
  std::int64_t batch_ = 0;
  int steps_ = 0;
  float step_ = 0.0f;
};

}  // namespace advect::neural
