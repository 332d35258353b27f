// Latent dynamics dz/dt = f(z), f an MLP, integrated in fixed explicit Runge-Kutta steps with the
// engine's own tableaus and differentiated through those steps (RungeKuttaAdjoint.h: the exact
// discrete adjoint, every stage's MLP backward in reverse).
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
#include "advect/neural/RungeKuttaAdjoint.h"

namespace advect::neural {

class LatentOde : private DifferentiableField {
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
  void stage_forward(std::size_t slot, float s, const float* y, float* slope) override;
  void stage_backward(std::size_t slot, const float* y, const float* d_slope, float* d_y) override;

  Mlp mlp_;
  RungeKuttaAdjoint steps_;
  Buffer<float> gradients_;
  std::vector<MlpWorkspace> workspaces_;  // per stage evaluation of the last forward
  std::int64_t batch_ = 0;
};

}  // namespace advect::neural
