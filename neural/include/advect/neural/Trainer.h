// A model with its loss and its optimiser, all from one JSON document (tiny-cuda-nn's
// create_from_config; our own code):
//   {"encoding": {...}, "network": {...}, "loss": {...}, "optimizer": {...}}
// (Components.h names the parts). The optimiser's weight decay covers the network's parameters.
#pragma once

#include <cstdint>
#include <memory>

#include <nlohmann/json.hpp>

#include "advect/neural/Loss.h"
#include "advect/neural/NetworkWithEncoding.h"
#include "advect/neural/Optimizer.h"

namespace advect::neural {

class Trainer {
 public:
  // Absent "loss" and "optimizer" are {"otype": "L2"} and {"otype": "Adam"}.
  Trainer(const nlohmann::json& config, int input_dims, int output_dims, const Device& device,
          std::uint64_t seed);

  // One step on a batch: inputs n x input_dims, targets n x output_dims (row-major, on the
  // model's device). Returns the batch's loss before the update.
  double step(const float* inputs, const float* targets, std::int64_t n);
  // outputs (n x output_dims) of inputs (n x input_dims).
  void predict(const float* inputs, std::int64_t n, float* outputs);

  NetworkWithEncoding& model() { return *model_; }
  const Loss& loss() const { return *loss_; }
  Optimizer& optimizer() { return *optimizer_; }
  const nlohmann::json& config() const { return config_; }

 private:
  nlohmann::json config_;
  std::unique_ptr<NetworkWithEncoding> model_;
  std::unique_ptr<Loss> loss_;
  std::unique_ptr<Optimizer> optimizer_;
  std::unique_ptr<ModuleContext> context_;
  Buffer<float> outputs_, d_outputs_;
};

}  // namespace advect::neural
