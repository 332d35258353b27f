// A dense multilayer perceptron with hand-written forward and backward passes, on either device.
//
// Data layout: a batch of B samples with F features is B x F row-major, which is the same memory
// as F x B column-major; every layer is Z = W A + b 1^T with W (out x in, column-major) and
// activations stored feature-major per sample. All parameters (per layer W then b) live in one
// contiguous float buffer, and so do their gradients, so an optimiser is one element-wise kernel.
// The MLP is a Module (Module.h): tiny-cuda-nn's "FullyFusedMLP" / "CutlassMLP" in a model's JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "advect/engine/Buffer.h"
#include "advect/engine/HostDevice.h"
#include "advect/neural/Blas.h"
#include "advect/neural/Module.h"

namespace advect::neural {

enum class Activation { none, relu, tanh, sigmoid };

enum class Init {
  pytorch,  // PyTorch's nn.Linear default: W and b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))
  kaiming,  // He et al. 2015: W ~ U(-sqrt(6/fan_in), sqrt(6/fan_in)), b = 0 (for ReLU)
  xavier,   // Glorot and Bengio 2010: W ~ U(-sqrt(6/(fan_in+fan_out)), +...), b = 0 (tanh, linear)
};

struct MlpConfig {
  int input_dims = 3;
  int output_dims = 3;
  int hidden_width = 128;
  int hidden_layers = 8;  // number of hidden layers (each width x previous), then the output layer
  Activation activation = Activation::relu;
  Activation output_activation = Activation::none;
  Init init = Init::pytorch;
  // The matrix products' arithmetic (Blas.h); parameters, activations and gradients stay float32.
  MatmulPrecision precision = MatmulPrecision::fp32;

  // tiny-cuda-nn-style JSON: {"n_input_dims", "n_output_dims", "n_neurons", "n_hidden_layers",
  // "activation", "output_activation", "init", "precision" ("fp32" or "bf16")}; absent keys keep
  // their defaults. Throws std::invalid_argument naming a bad key or value.
  static MlpConfig from_json(const nlohmann::json& json);
  // The settings above except the input and output sizes (a field fills those in).
  nlohmann::json to_json() const;
};

// One layer: z = W a + b (W out x in, column-major, at weight_offset of the parameters; b at
// bias_offset), then the activation.
struct MlpLayer {
  int in, out;
  std::int64_t weight_offset, bias_offset;
  Activation activation;
};

// Activations of one forward pass, kept for the backward pass; reused across calls (grows only,
// so that batches of varying size, such as the samples of a batch of rays, allocate rarely).
struct MlpWorkspace {
  std::vector<Buffer<float>> activations;  // per layer: width x batch (of capacity)
  Buffer<float> delta, delta_next, ones;   // the per-layer backward pass's, made on its first run
  std::int64_t batch = 0, capacity = 0;
};

class Mlp : public Module {
 public:
  Mlp(const MlpConfig& config, const Device& device, std::uint64_t seed);

  // output (batch x output_dims) = f(input (batch x input_dims)); both on the network's device.
  // The workspace keeps what backward() needs.
  void forward(const float* input, std::int64_t batch, float* output,
               MlpWorkspace& workspace) const;

  // Given dL/d output (batch x output_dims) for the last forward() with this workspace, writes
  // (or adds) dL/d parameters into gradients() and, if d_input is given, dL/d input.
  void backward(const float* input, const float* d_output, MlpWorkspace& workspace,
                float* d_input = nullptr, GradientMode mode = GradientMode::overwrite);

  // The Module interface: the context holds an MlpWorkspace.
  int input_dims() const override { return config_.input_dims; }
  int output_dims() const override { return config_.output_dims; }
  std::unique_ptr<ModuleContext> forward(
      const float* input, std::int64_t n, float* output,
      std::unique_ptr<ModuleContext> reuse = nullptr) const override;
  void backward(ModuleContext& context, const float* input, const float* d_output, float* d_input,
                GradientMode mode) override;
  // Re-draws all parameters from `seed` (deterministic, identical on every device).
  void initialise(std::uint64_t seed) override;

  const MlpConfig& config() const { return config_; }
  const std::vector<MlpLayer>& layers() const { return layers_; }

 private:
  void prepare(MlpWorkspace& workspace, std::int64_t batch) const;
  void prepare_deltas(MlpWorkspace& workspace) const;
  // The passes one layer at a time over the whole batch (CUDA, and small batches on the CPU).
  void forward_by_layer(const float* input, std::int64_t batch, MlpWorkspace& workspace) const;
  void backward_by_layer(const float* input, const float* d_output, MlpWorkspace& workspace,
                         float* d_input, float gradient_beta);

  MlpConfig config_;
  std::vector<MlpLayer> layers_;
};

}  // namespace advect::neural
