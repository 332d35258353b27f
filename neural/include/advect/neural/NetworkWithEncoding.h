// An encoding followed by a network, itself a Module (tiny-cuda-nn's NetworkWithInputEncoding).
// Its parameters are one buffer: the network's first, then the encoding's, so an optimiser's
// weight decay can cover the network alone (network_parameter_count()). JSON:
//   {"encoding": {an encoding}, "network": {a network}}  (Components.h)
#pragma once

#include <cstdint>
#include <memory>

#include <nlohmann/json_fwd.hpp>

#include "advect/neural/Module.h"

namespace advect::neural {

class NetworkWithEncoding : public Module {
 public:
  // The network's input size must be the encoding's output size; both on one device.
  NetworkWithEncoding(std::unique_ptr<Module> encoding, std::unique_ptr<Module> network);
  // input_dims -> output_dims; std::invalid_argument for a bad document.
  static std::unique_ptr<NetworkWithEncoding> from_json(const nlohmann::json& config,
                                                        int input_dims, int output_dims,
                                                        const Device& device, std::uint64_t seed);

  int input_dims() const override { return encoding_->input_dims(); }
  int output_dims() const override { return network_->output_dims(); }
  std::unique_ptr<ModuleContext> forward(
      const float* input, std::int64_t n, float* output,
      std::unique_ptr<ModuleContext> reuse = nullptr) const override;
  // A d_input needs an encoding with an input gradient (Identity, Frequency).
  void backward(ModuleContext& context, const float* input, const float* d_output, float* d_input,
                GradientMode mode) override;
  // The network from `seed`, the encoding from seed + 1.
  void initialise(std::uint64_t seed) override;

  Module& encoding() { return *encoding_; }
  Module& network() { return *network_; }
  std::int64_t network_parameter_count() const { return network_->parameter_count(); }

 protected:
  void parameters_moved() override;

 private:
  std::unique_ptr<Module> encoding_, network_;
};

}  // namespace advect::neural
