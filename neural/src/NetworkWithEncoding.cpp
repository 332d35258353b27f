#include "advect/neural/NetworkWithEncoding.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "JsonKeys.h"
#include "advect/engine/GrowingBuffer.h"
#include "advect/neural/Components.h"

namespace advect::neural {
namespace {

struct NetworkWithEncodingContext : ModuleContext {
  Buffer<float> features, d_features;
  std::unique_ptr<ModuleContext> encoding, network;
};

}  // namespace

NetworkWithEncoding::NetworkWithEncoding(std::unique_ptr<Module> encoding,
                                         std::unique_ptr<Module> network)
    : Module(encoding ? encoding->device() : Device::cpu()),
      encoding_(std::move(encoding)),
      network_(std::move(network)) {
  if (!encoding_ || !network_) throw std::invalid_argument("NetworkWithEncoding needs both parts");
  if (network_->input_dims() != encoding_->output_dims()) {
    throw std::invalid_argument("the network's input size is not the encoding's output size");
  }
  if (network_->device() != encoding_->device()) {
    throw std::invalid_argument("the encoding and the network are on different devices");
  }
  allocate_parameters(network_->parameter_count() + encoding_->parameter_count());
  // Both parts' current values move into this module's buffer.
  parameters_moved();
}

std::unique_ptr<NetworkWithEncoding> NetworkWithEncoding::from_json(const nlohmann::json& config,
                                                                    int input_dims, int output_dims,
                                                                    const Device& device,
                                                                    std::uint64_t seed) {
  require_known_keys(config, {"encoding", "network", "loss", "optimizer"}, "model");
  if (!config.contains("encoding") || !config.contains("network")) {
    throw std::invalid_argument("a model needs \"encoding\" and \"network\"");
  }
  auto encoding = create_encoding(config["encoding"], input_dims, device, seed + 1);
  auto network =
      create_network(config["network"], encoding->output_dims(), output_dims, device, seed);
  return std::make_unique<NetworkWithEncoding>(std::move(encoding), std::move(network));
}

void NetworkWithEncoding::parameters_moved() {
  const std::size_t split = std::size_t(network_->parameter_count());
  const std::size_t rest = std::size_t(encoding_->parameter_count());
  network_->bind(parameters().slice(0, split), gradients().slice(0, split));
  encoding_->bind(parameters().slice(split, rest), gradients().slice(split, rest));
}

void NetworkWithEncoding::initialise(std::uint64_t seed) {
  network_->initialise(seed);
  encoding_->initialise(seed + 1);
}

std::unique_ptr<ModuleContext> NetworkWithEncoding::forward(
    const float* input, std::int64_t n, float* output, std::unique_ptr<ModuleContext> reuse) const {
  if (!dynamic_cast<NetworkWithEncodingContext*>(reuse.get())) {
    reuse = std::make_unique<NetworkWithEncodingContext>();
  }
  auto& context = static_cast<NetworkWithEncodingContext&>(*reuse);
  ensure_size(context.features, n * encoding_->output_dims(), device());
  context.encoding =
      encoding_->forward(input, n, context.features.data(), std::move(context.encoding));
  context.network =
      network_->forward(context.features.data(), n, output, std::move(context.network));
  return reuse;
}

void NetworkWithEncoding::backward(ModuleContext& context, const float* input,
                                   const float* d_output, float* d_input, GradientMode mode) {
  auto& c = dynamic_cast<NetworkWithEncodingContext&>(context);
  const bool through_encoding = d_input || encoding_->parameter_count() > 0;
  if (through_encoding) ensure_size(c.d_features, std::int64_t(c.features.size()), device());
  network_->backward(*c.network, c.features.data(), d_output,
                     through_encoding ? c.d_features.data() : nullptr, mode);
  if (through_encoding) encoding_->backward(*c.encoding, input, c.d_features.data(), d_input, mode);
}

}  // namespace advect::neural
