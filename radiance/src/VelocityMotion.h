// The dynamic field's second motion model (`--model dynamic-ode`, MonoNeRF's idea in EmerNeRF's
// trainer): samples carried along a velocity field v(x, t) (the flow encoding and network with 3
// outputs, world units per frame) from their time t to t + u dt and to t - u dt, in fixed
// Runge-Kutta steps of the engine's tableaus (neural::RungeKuttaAdjoint), and differentiated
// through those steps. Both directions are one batch of 2n states (box units): rows [0, n)
// forward in time, [n, 2n) backward. Not part of the API.
#pragma once

#include <memory>
#include <vector>

#include "advect/engine/Buffer.h"
#include "advect/neural/Mlp.h"
#include "advect/neural/Module.h"
#include "advect/neural/RungeKuttaAdjoint.h"
#include "kernels/DynamicKernels.h"

namespace advect::radiance {

class VelocityMotion final : public neural::DifferentiableField {
 public:
  VelocityMotion(OdeMethod method, int steps, const Device& device);

  // Carries the n samples (positions n x 3 in box units, times n) by u dt both ways: `warped`
  // (2n x 4) gets the end points with their times, `flow` (n x 6, world units) the
  // displacements. Keeps what backward() needs.
  void forward(const neural::Module& encoding, const neural::Mlp& network, const float* positions,
               const float* times, const WarpSettings& settings, std::int64_t n, float* warped,
               float* flow);
  // For dL/d warped (2n x 4) of the last forward(): adds the velocity field's parameter
  // gradients to the encoding's and the network's.
  void backward(neural::Module& encoding, neural::Mlp& network, const float* d_warped);

 private:
  void stage_forward(std::size_t slot, float s, const float* y, float* slope) override;
  void stage_backward(std::size_t slot, const float* y, const float* d_slope, float* d_y) override;

  struct Stage {  // what one evaluation of v keeps for its backward
    Buffer<float> rows, features;
    std::unique_ptr<neural::ModuleContext> context;
    neural::MlpWorkspace network;
  };

  neural::RungeKuttaAdjoint stepper_;
  int steps_;
  const neural::Module* encoding_ = nullptr;  // set by forward()
  const neural::Mlp* network_ = nullptr;
  neural::Module* trained_encoding_ = nullptr;  // set by backward()
  neural::Mlp* trained_network_ = nullptr;
  const float* times_ = nullptr;
  WarpSettings settings_{};
  std::int64_t n_ = 0;
  std::vector<Stage> stages_;
  Buffer<float> start_, states_, velocity_, d_states_, d_rows_, d_features_;
};

}  // namespace advect::radiance
