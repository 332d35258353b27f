#include "advect/radiance/RadianceField.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "advect/engine/Dispatch.h"
#include "advect/engine/GrowingBuffer.h"
#include "advect/neural/Components.h"
#include "advect/neural/SphericalHarmonics.h"
#include "kernels/FieldKernels.h"

namespace advect::radiance {
namespace {

constexpr int kColourInputs = kGeometryFeatures + neural::kSphericalHarmonicsValues;

}  // namespace

RadianceFieldConfig::RadianceFieldConfig() {
  encoding = {{"otype", "HashGrid"},
              {"n_levels", 16},
              {"n_features_per_level", 2},
              {"log2_hashmap_size", 19},
              {"base_resolution", 16},
              {"per_level_scale", std::pow(1024.0 / 16.0, 1.0 / 15.0)}};  // finest level 1024
  density_network.hidden_width = 64;
  density_network.hidden_layers = 1;
  density_network.init = neural::Init::kaiming;
  colour_network.hidden_width = 64;
  colour_network.hidden_layers = 2;
  colour_network.output_activation = neural::Activation::sigmoid;
  colour_network.init = neural::Init::kaiming;
  optimizer = {{"otype", "Adam"}, {"learning_rate", 1e-2}, {"beta1", 0.9},
               {"beta2", 0.99},   {"epsilon", 1e-15},      {"l2_reg", 1e-6}};
}

float RadianceFieldConfig::sample_step() const {
  if (step > 0.0f) return step;
  double diagonal = 0.0;
  for (int a = 0; a < 3; ++a) diagonal += std::pow(box.upper[a] - box.lower[a], 2.0);
  return float(std::sqrt(diagonal) / double(samples_per_diagonal));
}

RadianceFieldConfig RadianceFieldConfig::from_json(const nlohmann::json& json) {
  RadianceFieldConfig config;
  for (const auto& item : json.items()) {
    const std::string& key = item.key();
    if (key != "encoding" && key != "density_network" && key != "colour_network" && key != "box" &&
        key != "occupancy_resolution" && key != "step" && key != "optimizer" &&
        key != "samples_per_diagonal") {
      throw std::invalid_argument("unknown radiance field setting '" + key + "'");
    }
  }
  // The encoding is checked when a field is made of it (its tables may be large).
  if (json.contains("encoding")) config.encoding = json["encoding"];
  if (json.contains("density_network")) {
    config.density_network = neural::MlpConfig::from_json(json["density_network"]);
  }
  if (json.contains("colour_network")) {
    config.colour_network = neural::MlpConfig::from_json(json["colour_network"]);
  }
  if (json.contains("optimizer")) {
    config.optimizer = json["optimizer"];
    neural::create_optimizer(config.optimizer, 1, 0, Device::cpu());  // refuses a bad one now
  }
  try {
    if (json.contains("box")) {
      const auto& box = json["box"];
      if (!box.is_array() || box.size() != 2 || box[0].size() != 3 || box[1].size() != 3) {
        throw std::invalid_argument("radiance field box must be [[x0, y0, z0], [x1, y1, z1]]");
      }
      for (int a = 0; a < 3; ++a) {
        config.box.lower[a] = box[0][std::size_t(a)].get<float>();
        config.box.upper[a] = box[1][std::size_t(a)].get<float>();
      }
    }
    config.occupancy_resolution = json.value("occupancy_resolution", config.occupancy_resolution);
    config.step = json.value("step", config.step);
    config.samples_per_diagonal = json.value("samples_per_diagonal", config.samples_per_diagonal);
  } catch (const nlohmann::json::exception& error) {
    throw std::invalid_argument(std::string("bad radiance field setting: ") + error.what());
  }
  if (!(config.step >= 0.0f)) throw std::invalid_argument("radiance field step must be >= 0");
  if (config.samples_per_diagonal < 1) {
    throw std::invalid_argument("radiance field samples_per_diagonal must be >= 1");
  }
  return config;
}

nlohmann::json RadianceFieldConfig::to_json() const {
  return {
      {"encoding", encoding},
      {"density_network", density_network.to_json()},
      {"colour_network", colour_network.to_json()},
      {"box",
       {{box.lower[0], box.lower[1], box.lower[2]}, {box.upper[0], box.upper[1], box.upper[2]}}},
      {"optimizer", optimizer},
      {"occupancy_resolution", occupancy_resolution},
      {"step", step},
      {"samples_per_diagonal", samples_per_diagonal}};
}

namespace {

RadianceFieldConfig completed(RadianceFieldConfig config, const neural::Module& encoding) {
  config.density_network.input_dims = encoding.output_dims();
  config.density_network.output_dims = kGeometryFeatures;
  config.density_network.output_activation = neural::Activation::none;
  config.colour_network.input_dims = kColourInputs;
  config.colour_network.output_dims = 3;
  return config;
}

}  // namespace

RadianceField::RadianceField(const RadianceFieldConfig& config, const Device& device,
                             std::uint64_t seed)
    : encoding_(neural::create_encoding(config.encoding, 3, device, seed)),
      config_(completed(config, *encoding_)),
      density_(config_.density_network, device, seed + 1),
      colour_(config_.colour_network, device, seed + 2),
      occupancy_(config_.box, config_.occupancy_resolution, device),
      parameters_(std::size_t(network_parameter_count() + encoding_->parameter_count()), device),
      gradients_(parameters_.size(), device) {
  std::size_t offset = 0;
  for (neural::Module* part :
       std::initializer_list<neural::Module*>{&density_, &colour_, encoding_.get()}) {
    const auto count = std::size_t(part->parameter_count());
    part->bind(parameters_.view().slice(offset, count), gradients_.view().slice(offset, count));
    offset += count;
  }
}

std::int64_t RadianceField::network_parameter_count() const {
  return density_.parameter_count() + colour_.parameter_count();
}

void RadianceField::geometry(const float* positions, std::int64_t n,
                             FieldWorkspace& workspace) const {
  const Device& d = device();
  ensure_size(workspace.features, n * encoding_->output_dims(), d);
  ensure_size(workspace.geometry, n * kGeometryFeatures, d);
  workspace.encoding =
      encoding_->forward(positions, n, workspace.features.data(), std::move(workspace.encoding));
  density_.forward(workspace.features.data(), n, workspace.geometry.data(), workspace.density_mlp);
}

void RadianceField::density(const float* positions, std::int64_t n, float* sigma,
                            FieldWorkspace& workspace) const {
  if (n <= 0) return;
  geometry(positions, n, workspace);
  with_backend(device(), [&](auto backend) {
    FieldKernels<backend>::density(workspace.geometry.data(), n, kGeometryFeatures, sigma);
  });
}

void RadianceField::forward(const float* positions, const float* directions, std::int64_t n,
                            float* sigma, float* rgb, FieldWorkspace& workspace) const {
  if (n <= 0) return;
  geometry(positions, n, workspace);
  ensure_size(workspace.colour_inputs, n * kColourInputs, device());
  with_backend(device(), [&](auto backend) {
    using Kernels = FieldKernels<backend>;
    Kernels::density(workspace.geometry.data(), n, kGeometryFeatures, sigma);
    Kernels::copy_rows(workspace.geometry.data(), kGeometryFeatures, n, kGeometryFeatures,
                       workspace.colour_inputs.data(), kColourInputs);
  });
  neural::encode_spherical_harmonics(
      directions, n, workspace.colour_inputs.data() + kGeometryFeatures, kColourInputs, device());
  colour_.forward(workspace.colour_inputs.data(), n, rgb, workspace.colour_mlp);
}

void RadianceField::backward(const float* positions, const float* sigma, const float* d_sigma,
                             const float* d_rgb, FieldWorkspace& workspace) {
  const std::int64_t n = workspace.colour_mlp.batch;
  if (n <= 0) return;
  const Device& d = device();
  ensure_size(workspace.d_colour_inputs, n * kColourInputs, d);
  ensure_size(workspace.d_geometry, n * kGeometryFeatures, d);
  const bool tables = encoding_->parameter_count() > 0;
  if (tables) ensure_size(workspace.d_features, n * encoding_->output_dims(), d);
  colour_.backward(workspace.colour_inputs.data(), d_rgb, workspace.colour_mlp,
                   workspace.d_colour_inputs.data());
  with_backend(d, [&](auto backend) {
    FieldKernels<backend>::geometry_gradient(workspace.d_colour_inputs.data(), kColourInputs,
                                             workspace.geometry.data(), sigma, d_sigma, n,
                                             workspace.d_geometry.data());
  });
  // A parameter-free encoding (Frequency) needs no gradient of its features.
  density_.backward(workspace.features.data(), workspace.d_geometry.data(), workspace.density_mlp,
                    tables ? workspace.d_features.data() : nullptr);
  if (tables) {
    encoding_->backward(*workspace.encoding, positions, workspace.d_features.data(), nullptr,
                        neural::GradientMode::overwrite);
  }
}

}  // namespace advect::radiance
