#include "advect/neural/Trainer.h"

#include "advect/engine/GrowingBuffer.h"
#include "advect/engine/SubnormalsFlushed.h"
#include "advect/neural/Components.h"

namespace advect::neural {
namespace {

nlohmann::json with_defaults(nlohmann::json config) {
  if (config.is_object()) {
    if (!config.contains("loss")) config["loss"] = {{"otype", "L2"}};
    if (!config.contains("optimizer")) config["optimizer"] = {{"otype", "Adam"}};
  }
  return config;
}

}  // namespace

Trainer::Trainer(const nlohmann::json& config, int input_dims, int output_dims,
                 const Device& device, std::uint64_t seed)
    : config_(with_defaults(config)),
      model_(NetworkWithEncoding::from_json(config_, input_dims, output_dims, device, seed)),
      loss_(create_loss(config_["loss"])),
      optimizer_(create_optimizer(config_["optimizer"], model_->parameter_count(),
                                  model_->network_parameter_count(), device)) {}

double Trainer::step(const float* inputs, const float* targets, std::int64_t n) {
  if (n <= 0) return 0.0;
  const SubnormalsFlushed flushed;
  const Device& device = model_->device();
  const int dims = model_->output_dims();
  ensure_size(outputs_, n * dims, device);
  ensure_size(d_outputs_, n * dims, device);
  context_ = model_->forward(inputs, n, outputs_.data(), std::move(context_));
  const double loss = loss_->evaluate(outputs_.data(), targets, n, dims, d_outputs_.data(), device);
  model_->backward(*context_, inputs, d_outputs_.data(), nullptr, GradientMode::overwrite);
  optimizer_->step(model_->parameters().data(), model_->gradients().data());
  return loss;
}

void Trainer::predict(const float* inputs, std::int64_t n, float* outputs) {
  context_ = model_->forward(inputs, n, outputs, std::move(context_));
}

}  // namespace advect::neural
