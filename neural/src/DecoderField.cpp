#include "DecoderField.h"

#include <vector>

#include "advect/engine/Dispatch.h"
#include "kernels/VectorOps.h"

namespace advect::neural {
namespace {

MlpConfig linear_config(int features, int outputs) {
  MlpConfig c;
  c.input_dims = features;
  c.output_dims = outputs;
  c.hidden_layers = 0;
  c.activation = Activation::none;
  c.init = Init::xavier;
  return c;
}

MlpConfig nonlinear_config(int features, int outputs, int width, int hidden_layers) {
  MlpConfig c;
  c.input_dims = features;
  c.output_dims = outputs;
  c.hidden_width = width;
  c.hidden_layers = hidden_layers;
  c.activation = Activation::tanh;
  c.init = Init::xavier;
  return c;
}

}  // namespace

DecoderField::DecoderField(int features, int outputs, int width, int hidden_layers,
                           const Device& device, std::uint64_t seed)
    : linear_(linear_config(features, outputs), device, seed),
      nonlinear_(nonlinear_config(features, outputs, width, hidden_layers), device, seed + 1) {
  zero_output_layer();
}

// The output layer's W (O x width) and b (O) end the parameter buffer (Mlp.h's layout).
void DecoderField::zero_output_layer() {
  const auto& c = nonlinear_.config();
  const int last_inputs = c.hidden_layers > 0 ? c.hidden_width : c.input_dims;
  const auto count = std::size_t(c.output_dims) * std::size_t(last_inputs + 1);
  auto host = nonlinear_.parameters().to_host();
  std::fill(host.end() - std::ptrdiff_t(count), host.end(), 0.0f);
  nonlinear_.parameters().copy_from_host(host);
}

void DecoderField::forward(const float* gamma, std::int64_t count, float* output) {
  const auto size = std::size_t(count) * std::size_t(linear_.config().output_dims);
  if (scratch_.size() < size) scratch_ = Buffer<float>(size, device());  // grows only
  linear_.forward(gamma, count, output, linear_workspace_);
  nonlinear_.forward(gamma, count, scratch_.data(), nonlinear_workspace_);
  with_backend(device(), [&](auto backend) {
    VectorOps<backend>::axpby(output, 1.0f, output, 1.0f, scratch_.data(), std::int64_t(size));
  });
}

void DecoderField::backward(const float* gamma, const float* d_output) {
  linear_.backward(gamma, d_output, linear_workspace_);
  nonlinear_.backward(gamma, d_output, nonlinear_workspace_);
}

void DecoderField::fit_linear(const std::vector<float>& gamma, const Eigen::MatrixXd& target) {
  const auto features = Eigen::Index(linear_.config().input_dims);
  const auto count = target.cols();
  Eigen::MatrixXd design(count, features + 1);
  design.leftCols(features) =
      Eigen::Map<const Eigen::MatrixXf>(gamma.data(), features, count).transpose().cast<double>();
  design.col(features).setOnes();
  // Normal equations. A torus's Fourier features are near-orthogonal over a grid; a box's sines
  // and cosines of one axis both span it, so the system is singular there: a ridge of 1e-9 of the
  // mean diagonal picks the smallest coefficients among the exact fits.
  Eigen::MatrixXd normal = design.transpose() * design;
  normal.diagonal().array() += 1e-9 * normal.diagonal().mean();
  const Eigen::MatrixXd solution = normal.ldlt().solve(design.transpose() * target.transpose());
  const auto outputs = target.rows();
  std::vector<float> parameters(std::size_t(outputs * (features + 1)));
  Eigen::Map<Eigen::MatrixXf>(parameters.data(), outputs, features) =
      solution.topRows(features).transpose().cast<float>();
  Eigen::Map<Eigen::VectorXf>(parameters.data() + outputs * features, outputs) =
      solution.row(features).transpose().cast<float>();
  linear_.parameters().copy_from_host(parameters);
  zero_output_layer();
}

}  // namespace advect::neural
