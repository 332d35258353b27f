// The surrogate's decoder field over Fourier features gamma (Q x F, row-major):
//   phi(gamma) = W gamma + b + MLP(gamma)
// A linear map of the features represents every field of wave numbers <= K exactly (and is fitted
// in closed form for the warm start); the MLP (tanh hidden layers, its output layer starting at
// zero) learns what the linear map cannot. Outputs Q x O row-major, on the device.
#pragma once

#include <Eigen/Dense>
#include <cstdint>

#include "advect/engine/Buffer.h"
#include "advect/neural/Mlp.h"

namespace advect::neural {

class DecoderField {
 public:
  DecoderField(int features, int outputs, int width, int hidden_layers, const Device& device,
               std::uint64_t seed);

  // Keeps what backward() needs (for the last forward()).
  void forward(const float* gamma, std::int64_t count, float* output);
  // Gradients of both parts (overwriting) from dL/d output (Q x O).
  void backward(const float* gamma, const float* d_output);

  // Least-squares fit of W and b alone to `target` (O x Q, column q for row q of `gamma`, host);
  // the MLP's output layer is set to zero, so that phi is that fit.
  void fit_linear(const std::vector<float>& gamma, const Eigen::MatrixXd& target);

  Mlp& linear() { return linear_; }
  Mlp& nonlinear() { return nonlinear_; }
  const Mlp& linear() const { return linear_; }
  const Mlp& nonlinear() const { return nonlinear_; }
  std::int64_t parameter_count() const {
    return linear_.parameter_count() + nonlinear_.parameter_count();
  }
  const Device& device() const { return linear_.device(); }

 private:
  void zero_output_layer();

  Mlp linear_, nonlinear_;
  MlpWorkspace linear_workspace_, nonlinear_workspace_;
  Buffer<float> scratch_;
};

}  // namespace advect::neural
