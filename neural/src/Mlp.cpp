#include "advect/neural/Mlp.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>

#include "JsonKeys.h"
#include "advect/engine/Dispatch.h"
#include "advect/neural/Blas.h"
#include "kernels/BlockedMlpCPU.h"
#include "kernels/MlpKernels.h"
#include "kernels/VectorOps.h"

namespace advect::neural {

namespace {

Activation parse_activation(const std::string& name) {
  if (name == "None" || name == "none") return Activation::none;
  if (name == "ReLU" || name == "relu") return Activation::relu;
  if (name == "Tanh" || name == "tanh") return Activation::tanh;
  if (name == "Sigmoid" || name == "sigmoid") return Activation::sigmoid;
  throw std::invalid_argument("unknown activation '" + name + "' (None, ReLU, Tanh, Sigmoid)");
}

Init parse_init(const std::string& name) {
  if (name == "pytorch") return Init::pytorch;
  if (name == "kaiming") return Init::kaiming;
  if (name == "xavier") return Init::xavier;
  throw std::invalid_argument("unknown init '" + name + "' (pytorch, kaiming, xavier)");
}

}  // namespace

MlpConfig MlpConfig::from_json(const nlohmann::json& json) {
  MlpConfig config;
  require_known_keys(json,
                     {"otype", "n_input_dims", "n_output_dims", "n_neurons", "n_hidden_layers",
                      "activation", "output_activation", "init", "precision"},
                     "MLP");
  try {
    config.input_dims = json.value("n_input_dims", config.input_dims);
    config.output_dims = json.value("n_output_dims", config.output_dims);
    config.hidden_width = json.value("n_neurons", config.hidden_width);
    config.hidden_layers = json.value("n_hidden_layers", config.hidden_layers);
    if (json.contains("activation"))
      config.activation = parse_activation(json["activation"].get<std::string>());
    if (json.contains("output_activation")) {
      config.output_activation = parse_activation(json["output_activation"].get<std::string>());
    }
    if (json.contains("init")) config.init = parse_init(json["init"].get<std::string>());
    if (json.contains("precision")) {
      config.precision = matmul_precision(json["precision"].get<std::string>());
    }
  } catch (const nlohmann::json::exception& error) {
    throw std::invalid_argument(std::string("bad MLP setting: ") + error.what());
  }
  return config;
}

nlohmann::json MlpConfig::to_json() const {
  const auto activation_name = [](Activation a) {
    switch (a) {
      case Activation::relu:
        return "ReLU";
      case Activation::tanh:
        return "Tanh";
      case Activation::sigmoid:
        return "Sigmoid";
      case Activation::none:
        break;
    }
    return "None";
  };
  const char* init_name = init == Init::kaiming  ? "kaiming"
                          : init == Init::xavier ? "xavier"
                                                 : "pytorch";
  return {{"n_neurons", hidden_width},
          {"n_hidden_layers", hidden_layers},
          {"activation", activation_name(activation)},
          {"output_activation", activation_name(output_activation)},
          {"init", init_name},
          {"precision", name_of(precision)}};
}

namespace {

struct MlpContext : ModuleContext {
  MlpWorkspace workspace;
};

}  // namespace

Mlp::Mlp(const MlpConfig& config, const Device& device, std::uint64_t seed)
    : Module(device), config_(config) {
  if (config.input_dims < 1 || config.output_dims < 1 || config.hidden_width < 1 ||
      config.hidden_layers < 0) {
    throw std::invalid_argument(
        "MLP needs positive dimensions and a non-negative number of hidden layers");
  }
  const bool supported =
      with_backend(device, [&](auto backend) { return Blas<backend>::supports(config.precision); });
  if (!supported) {
    throw std::invalid_argument(
        "bf16 MLP products need AVX512-BF16 on the CPU (this machine or build lacks it) or a GPU");
  }
  std::int64_t offset = 0;
  int in = config.input_dims;
  for (int l = 0; l <= config.hidden_layers; ++l) {
    const bool last = l == config.hidden_layers;
    const int out = last ? config.output_dims : config.hidden_width;
    layers_.push_back({in, out, offset, offset + std::int64_t(in) * out,
                       last ? config.output_activation : config.activation});
    offset += std::int64_t(in) * out + out;
    in = out;
  }
  allocate_parameters(offset);
  initialise(seed);
}

void Mlp::initialise(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<float> values(static_cast<std::size_t>(parameter_count()));
  for (const MlpLayer& layer : layers_) {
    const double fan_in = layer.in, fan_out = layer.out;
    const double weight_bound = config_.init == Init::pytorch ? 1.0 / std::sqrt(fan_in)
                                : config_.init == Init::kaiming
                                    ? std::sqrt(6.0 / fan_in)
                                    : std::sqrt(6.0 / (fan_in + fan_out));
    const double bias_bound = config_.init == Init::pytorch ? 1.0 / std::sqrt(fan_in) : 0.0;
    std::uniform_real_distribution<double> weight(-weight_bound, weight_bound),
        bias(-bias_bound, bias_bound);
    for (std::int64_t i = 0; i < std::int64_t(layer.in) * layer.out; ++i) {
      values[std::size_t(layer.weight_offset + i)] = float(weight(rng));
    }
    for (int i = 0; i < layer.out; ++i) {
      values[std::size_t(layer.bias_offset + i)] = bias_bound > 0.0 ? float(bias(rng)) : 0.0f;
    }
  }
  parameters().copy_from_host(values);
}

void Mlp::prepare(MlpWorkspace& workspace, std::int64_t batch) const {
  if (workspace.capacity >= batch && workspace.activations.size() == layers_.size() &&
      workspace.activations.front().device() == device()) {
    workspace.batch = batch;
    return;
  }
  const std::int64_t capacity = std::max(batch, workspace.capacity + workspace.capacity / 4);
  workspace.activations.clear();
  for (const MlpLayer& layer : layers_) {
    workspace.activations.emplace_back(std::size_t(std::int64_t(layer.out) * capacity), device());
  }
  workspace.batch = batch;
  workspace.capacity = capacity;
}

void Mlp::prepare_deltas(MlpWorkspace& workspace) const {
  const std::int64_t capacity = workspace.capacity;
  if (std::int64_t(workspace.ones.size()) >= capacity && workspace.ones.device() == device()) {
    return;
  }
  int widest = config_.input_dims;
  for (const MlpLayer& layer : layers_) widest = std::max(widest, layer.out);
  workspace.delta = Buffer<float>(std::size_t(std::int64_t(widest) * capacity), device());
  workspace.delta_next = Buffer<float>(std::size_t(std::int64_t(widest) * capacity), device());
  workspace.ones = Buffer<float>(std::size_t(capacity), device());
  with_backend(device(), [&](auto backend) {
    VectorOps<backend>::fill(workspace.ones.data(), capacity, 1.0f);
  });
}

void Mlp::forward(const float* input, std::int64_t batch, float* output,
                  MlpWorkspace& workspace) const {
  if (batch <= 0) return;
  prepare(workspace, batch);
  if (device().is_cpu() && blocked_mlp::handles(batch)) {
    blocked_mlp::forward(layers_, parameters().data(), input, batch, workspace.activations,
                         config_.precision);
  } else {
    forward_by_layer(input, batch, workspace);
  }
  detail::copy_bytes(output, device(), workspace.activations.back().data(), device(),
                     std::size_t(batch) * std::size_t(config_.output_dims) * sizeof(float));
}

void Mlp::forward_by_layer(const float* input, std::int64_t batch, MlpWorkspace& workspace) const {
  const float* w = parameters().data();
  with_backend(device(), [&](auto backend) {
    using Kernels = MlpKernels<backend>;
    const float* a = input;
    for (std::size_t l = 0; l < layers_.size(); ++l) {
      const MlpLayer& layer = layers_[l];
      float* z = workspace.activations[l].data();
      Blas<backend>::gemm(false, false, layer.out, int(batch), layer.in, 1.0f,
                          w + layer.weight_offset, layer.out, a, layer.in, 0.0f, z, layer.out,
                          config_.precision);
      Kernels::bias_activation(z, w + layer.bias_offset, layer.out, batch, layer.activation);
      a = z;
    }
  });
}

std::unique_ptr<ModuleContext> Mlp::forward(const float* input, std::int64_t n, float* output,
                                            std::unique_ptr<ModuleContext> reuse) const {
  if (!dynamic_cast<MlpContext*>(reuse.get())) reuse = std::make_unique<MlpContext>();
  forward(input, n, output, static_cast<MlpContext&>(*reuse).workspace);
  return reuse;
}

void Mlp::backward(ModuleContext& context, const float* input, const float* d_output,
                   float* d_input, GradientMode mode) {
  backward(input, d_output, dynamic_cast<MlpContext&>(context).workspace, d_input, mode);
}

void Mlp::backward(const float* input, const float* d_output, MlpWorkspace& workspace,
                   float* d_input, GradientMode mode) {
  const std::int64_t batch = workspace.batch;
  if (batch <= 0 || workspace.activations.size() != layers_.size()) {
    throw std::logic_error("Mlp::backward needs the workspace of a forward pass");
  }
  const float gradient_beta = mode == GradientMode::accumulate ? 1.0f : 0.0f;
  if (device().is_cpu() && blocked_mlp::handles(batch)) {
    blocked_mlp::backward(layers_, parameters().data(), input, workspace.activations, d_output,
                          batch, gradients().data(), gradient_beta, d_input, config_.precision);
  } else {
    backward_by_layer(input, d_output, workspace, d_input, gradient_beta);
  }
}

void Mlp::backward_by_layer(const float* input, const float* d_output, MlpWorkspace& workspace,
                            float* d_input, float gradient_beta) {
  prepare_deltas(workspace);
  const std::int64_t batch = workspace.batch;
  const float* w = parameters().data();
  float* g = gradients().data();
  detail::copy_bytes(workspace.delta.data(), device(), d_output, device(),
                     std::size_t(batch) * std::size_t(config_.output_dims) * sizeof(float));
  with_backend(device(), [&](auto backend) {
    using Kernels = MlpKernels<backend>;
    using Gemm = Blas<backend>;
    float* delta = workspace.delta.data();
    float* next = workspace.delta_next.data();
    Kernels::activation_backward(delta, workspace.activations.back().data(),
                                 batch * layers_.back().out, layers_.back().activation);
    for (std::size_t l = layers_.size(); l-- > 0;) {
      const MlpLayer& layer = layers_[l];
      const float* a_prev = l == 0 ? input : workspace.activations[l - 1].data();
      // dW = delta a_prev^T, db = delta 1.
      Gemm::gemm(false, true, layer.out, layer.in, int(batch), 1.0f, delta, layer.out, a_prev,
                 layer.in, gradient_beta, g + layer.weight_offset, layer.out, config_.precision);
      Gemm::gemm(false, false, layer.out, 1, int(batch), 1.0f, delta, layer.out,
                 workspace.ones.data(), int(batch), gradient_beta, g + layer.bias_offset,
                 layer.out);
      if (l == 0 && d_input == nullptr) break;
      float* target = l == 0 ? d_input : next;
      Gemm::gemm(true, false, layer.in, int(batch), layer.out, 1.0f, w + layer.weight_offset,
                 layer.out, delta, layer.out, 0.0f, target, layer.in, config_.precision);
      if (l == 0) break;
      Kernels::activation_backward(next, a_prev, batch * layer.in, layers_[l - 1].activation);
      std::swap(delta, next);
    }
  });
}

}  // namespace advect::neural
