#include "advect/radiance/DynamicField.h"

#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>

#include "VelocityMotion.h"
#include "advect/engine/Dispatch.h"
#include "advect/engine/GrowingBuffer.h"
#include "advect/engine/Memory.h"
#include "advect/neural/Components.h"
#include "advect/neural/SphericalHarmonics.h"
#include "kernels/DynamicKernels.h"
#include "kernels/FieldKernels.h"

namespace advect::radiance {
namespace {

constexpr int kColourInputs = kGeometryFeatures + neural::kSphericalHarmonicsValues;
constexpr float kInitialDynamicLogDensity = -1.0f;

nlohmann::json space_time_hash_grid(int levels, int finest, int log2_table) {
  return {{"otype", "HashGrid"},
          {"n_levels", levels},
          {"n_features_per_level", 2},
          {"log2_hashmap_size", log2_table},
          {"base_resolution", 8},
          {"per_level_scale", std::pow(double(finest) / 8.0, 1.0 / double(levels - 1))}};
}

}  // namespace

DynamicFieldConfig::DynamicFieldConfig() {
  // The static branch as instant-ngp's field with a table of 2^17 (the CPU's caches); the 4-D
  // grids are coarser than EmerNeRF's (10 x 4 features, finest 8192, 2^18) for a small scene
  // trained on two cores: each of their points touches 16 corners.
  base.encoding["log2_hashmap_size"] = 17;
  // A step four times the static field's: each sample costs several times a static one's, and
  // on the CPU more rays per second serve the decomposition better than finer samples.
  base.samples_per_diagonal = 128;
  dynamic_encoding = space_time_hash_grid(8, 512, 17);
  flow_encoding = space_time_hash_grid(6, 64, 16);
  dynamic_network = base.density_network;
  flow_network.hidden_width = 64;
  flow_network.hidden_layers = 2;
  flow_network.init = neural::Init::kaiming;
}

DynamicFieldConfig DynamicFieldConfig::from_json(const nlohmann::json& json) {
  DynamicFieldConfig config;
  for (const auto& item : json.items()) {
    const std::string& key = item.key();
    if (key != "static" && key != "dynamic_encoding" && key != "flow_encoding" &&
        key != "dynamic_network" && key != "flow_network" && key != "flow" &&
        key != "temporal_aggregation" && key != "frame_time" && key != "sparsity" &&
        key != "entropy" && key != "entropy_skewness" && key != "entropy_start" && key != "cycle" &&
        key != "motion" && key != "ode") {
      throw std::invalid_argument("unknown dynamic field setting '" + key + "'");
    }
  }
  if (json.contains("static")) {
    // Defaults of the static part that the document leaves out stay this field's.
    nlohmann::json merged = config.base.to_json();
    if (!json["static"].is_object()) throw std::invalid_argument("\"static\" must be an object");
    for (const auto& item : json["static"].items()) merged[item.key()] = item.value();
    config.base = RadianceFieldConfig::from_json(merged);
  }
  if (json.contains("dynamic_encoding")) config.dynamic_encoding = json["dynamic_encoding"];
  if (json.contains("flow_encoding")) config.flow_encoding = json["flow_encoding"];
  if (json.contains("dynamic_network")) {
    config.dynamic_network = neural::MlpConfig::from_json(json["dynamic_network"]);
  }
  if (json.contains("flow_network")) {
    config.flow_network = neural::MlpConfig::from_json(json["flow_network"]);
  }
  try {
    config.flow = json.value("flow", config.flow);
    config.temporal_aggregation = json.value("temporal_aggregation", config.temporal_aggregation);
    config.frame_time = json.value("frame_time", config.frame_time);
    config.sparsity = json.value("sparsity", config.sparsity);
    config.entropy = json.value("entropy", config.entropy);
    config.entropy_skewness = json.value("entropy_skewness", config.entropy_skewness);
    config.entropy_start = json.value("entropy_start", config.entropy_start);
    config.cycle = json.value("cycle", config.cycle);
    config.motion = json.value("motion", config.motion);
    if (json.contains("ode")) {
      const nlohmann::json& ode = json["ode"];
      if (!ode.is_object()) throw std::invalid_argument("\"ode\" must be an object");
      for (const auto& item : ode.items()) {
        if (item.key() != "method" && item.key() != "steps") {
          throw std::invalid_argument("unknown ode setting '" + item.key() + "'");
        }
      }
      const std::string method = ode.value("method", std::string(to_string(config.ode_method)));
      const std::optional<OdeMethod> parsed = parse_ode_method(method);
      if (!parsed || is_adaptive(*parsed)) {
        throw std::invalid_argument("ode method must be euler, heun, midpoint or rk4, not '" +
                                    method + "'");
      }
      config.ode_method = *parsed;
      config.ode_steps = ode.value("steps", config.ode_steps);
    }
  } catch (const nlohmann::json::exception& error) {
    throw std::invalid_argument(std::string("bad dynamic field setting: ") + error.what());
  }
  if (!(config.frame_time >= 0.0f && config.frame_time <= 1.0f)) {
    throw std::invalid_argument("dynamic field frame_time must be in [0, 1]");
  }
  if (!(config.sparsity >= 0.0f) || !(config.entropy >= 0.0f) || !(config.cycle >= 0.0f)) {
    throw std::invalid_argument("dynamic field loss weights must be >= 0");
  }
  if (!(config.entropy_skewness > 0.0f && config.entropy_skewness <= 16.0f)) {
    throw std::invalid_argument("dynamic field entropy_skewness must be in (0, 16]");
  }
  if (!(config.entropy_start >= 0.0f && config.entropy_start < 1.0f)) {
    throw std::invalid_argument("dynamic field entropy_start must be in [0, 1)");
  }
  if (config.motion != "flow" && config.motion != "velocity") {
    throw std::invalid_argument("dynamic field motion must be \"flow\" or \"velocity\"");
  }
  if (config.ode_steps < 1 || config.ode_steps > 16) {
    throw std::invalid_argument("ode steps must be 1 to 16");
  }
  if (config.velocity() && !config.flow) {
    throw std::invalid_argument("the velocity motion is the flow field's: it needs \"flow\": true");
  }
  if (config.temporal_aggregation && !config.flow) {
    throw std::invalid_argument("temporal aggregation needs the flow field (\"flow\": true)");
  }
  return config;
}

nlohmann::json DynamicFieldConfig::to_json() const {
  return {{"static", base.to_json()},
          {"dynamic_encoding", dynamic_encoding},
          {"dynamic_network", dynamic_network.to_json()},
          {"flow_encoding", flow_encoding},
          {"flow_network", flow_network.to_json()},
          {"flow", flow},
          {"temporal_aggregation", temporal_aggregation},
          {"frame_time", frame_time},
          {"sparsity", sparsity},
          {"entropy", entropy},
          {"entropy_skewness", entropy_skewness},
          {"entropy_start", entropy_start},
          {"cycle", cycle},
          {"motion", motion},
          {"ode", {{"method", std::string(to_string(ode_method))}, {"steps", ode_steps}}}};
}

namespace {

DynamicFieldConfig completed(DynamicFieldConfig config, const neural::Module& static_encoding,
                             const neural::Module& dynamic_encoding,
                             const neural::Module& flow_encoding) {
  config.base.density_network.input_dims = static_encoding.output_dims();
  config.base.density_network.output_dims = kGeometryFeatures;
  config.base.density_network.output_activation = neural::Activation::none;
  config.base.colour_network.input_dims = kColourInputs;
  config.base.colour_network.output_dims = 3;
  config.dynamic_network.input_dims = dynamic_encoding.output_dims();
  config.dynamic_network.output_dims = kGeometryFeatures;
  config.dynamic_network.output_activation = neural::Activation::none;
  config.flow_network.input_dims = flow_encoding.output_dims();
  config.flow_network.output_dims = config.velocity() ? 3 : 6;
  config.flow_network.output_activation = neural::Activation::none;
  return config;
}

}  // namespace

DynamicField::DynamicField(const DynamicFieldConfig& config, const Device& device,
                           std::uint64_t seed)
    : static_encoding_(neural::create_encoding(config.base.encoding, 3, device, seed)),
      dynamic_encoding_(neural::create_encoding(config.dynamic_encoding, 4, device, seed + 3)),
      flow_encoding_(neural::create_encoding(config.flow_encoding, 4, device, seed + 4)),
      config_(completed(config, *static_encoding_, *dynamic_encoding_, *flow_encoding_)),
      static_density_(config_.base.density_network, device, seed + 1),
      colour_(config_.base.colour_network, device, seed + 2),
      dynamic_density_(config_.dynamic_network, device, seed + 5),
      flow_network_(config_.flow_network, device, seed + 6),
      occupancy_(config_.base.box, config_.base.occupancy_resolution, device),
      parameters_(
          std::size_t(network_parameter_count() + static_encoding_->parameter_count() +
                      dynamic_encoding_->parameter_count() + flow_encoding_->parameter_count()),
          device),
      gradients_(parameters_.size(), device) {
  std::size_t offset = 0;
  for (neural::Module* part : std::initializer_list<neural::Module*>{
           &static_density_, &colour_, &dynamic_density_, &flow_network_, static_encoding_.get(),
           dynamic_encoding_.get(), flow_encoding_.get()}) {
    const auto count = std::size_t(part->parameter_count());
    part->bind(parameters_.view().slice(offset, count), gradients_.view().slice(offset, count));
    offset += count;
  }
  for (int a = 0; a < 3; ++a) extent_[a] = config_.base.box.upper[a] - config_.base.box.lower[a];
  // The dynamic density starts at exp(-1) per world unit, as EmerNeRF's trunc_exp(x - 1) does:
  // space-time that no ray visits keeps its initial density, which the occupancy grid can only
  // carve out once it is below the threshold. The output layer's biases are the network's last
  // floats; the first is the log density's.
  std::vector<float> dynamic = dynamic_density_.parameters().to_host();
  dynamic[dynamic.size() - std::size_t(kGeometryFeatures)] = kInitialDynamicLogDensity;
  dynamic_density_.parameters().copy_from_host(dynamic);
}

std::int64_t DynamicField::network_parameter_count() const {
  return static_density_.parameter_count() + colour_.parameter_count() +
         dynamic_density_.parameter_count() + flow_network_.parameter_count();
}

std::vector<ParameterBlock> DynamicField::parameter_blocks() const {
  std::vector<ParameterBlock> blocks;
  std::int64_t offset = 0;
  const std::pair<const char*, const neural::Module*> parts[] = {
      {"static network", &static_density_},        {"colour network", &colour_},
      {"dynamic network", &dynamic_density_},      {"flow network", &flow_network_},
      {"static encoding", static_encoding_.get()}, {"dynamic encoding", dynamic_encoding_.get()},
      {"flow encoding", flow_encoding_.get()}};
  for (const auto& [name, module] : parts) {
    blocks.push_back({name, offset, module->parameter_count()});
    offset += module->parameter_count();
  }
  return blocks;
}

VelocityMotion& DynamicField::motion_of(DynamicWorkspace& w) const {
  if (!w.motion) {
    w.motion = std::make_shared<VelocityMotion>(config_.ode_method, config_.ode_steps, device());
  }
  return *w.motion;
}

// The flow network at the first n rows of w.space_time (already filled).
void DynamicField::flow_rows(std::int64_t n, DynamicWorkspace& w) const {
  const Device& d = device();
  ensure_size(w.flow_features, 3 * n * flow_encoding_->output_dims(), d);
  ensure_size(w.flow, 6 * n, d);
  w.flow_context = flow_encoding_->forward(w.space_time.data(), n, w.flow_features.data(),
                                           std::move(w.flow_context));
  flow_network_.forward(w.flow_features.data(), n, w.flow.data(), w.flow_mlp);
}

// The dynamic density network over the first `rows` rows of w.space_time, of which the first
// `own` are samples and the rest warped copies of them.
void DynamicField::dynamic_rows(std::int64_t rows, std::int64_t own, DynamicWorkspace& w) const {
  const Device& d = device();
  ensure_size(w.dynamic_features, rows * dynamic_encoding_->output_dims(), d);
  ensure_size(w.dynamic_geometry, rows * kGeometryFeatures, d);
  // The sample rows and the warped rows apart: only the warped rows need an input gradient.
  const int width = dynamic_encoding_->output_dims();
  w.dynamic_context = dynamic_encoding_->forward(
      w.space_time.data(), own, w.dynamic_features.data(), std::move(w.dynamic_context));
  if (rows > own) {
    w.warped_dynamic_context = dynamic_encoding_->forward(w.space_time.data() + 4 * own, rows - own,
                                                          w.dynamic_features.data() + own * width,
                                                          std::move(w.warped_dynamic_context));
  }
  dynamic_density_.forward(w.dynamic_features.data(), rows, w.dynamic_geometry.data(),
                           w.dynamic_mlp);
}

void DynamicField::forward(const float* positions, const float* times, const float* directions,
                           std::int64_t n, float* sigma, float* rgb, DynamicWorkspace& w,
                           const std::uint64_t* noise_seed) const {
  w.n = n;
  w.training = noise_seed != nullptr;
  if (n <= 0) return;
  const Device& d = device();
  const bool aggregate = config_.temporal_aggregation;
  const std::int64_t rows = aggregate ? 3 * n : n;
  // Training without aggregation has no use for the flow (nothing pulls on it); rendering shows it.
  const bool moves = config_.flow && (aggregate || !w.training);
  // The velocity motion writes its end points where the warped rows go, aggregated or not.
  ensure_size(w.space_time, moves && config_.velocity() ? 12 * n : 4 * rows, d);
  ensure_size(w.static_features, n * static_encoding_->output_dims(), d);
  ensure_size(w.static_geometry, n * kGeometryFeatures, d);
  ensure_size(w.geometry, n * kGeometryFeatures, d);
  ensure_size(w.static_sigma, n, d);
  ensure_size(w.dynamic_sigma, n, d);
  ensure_size(w.colour_inputs, 2 * n * kColourInputs, d);
  ensure_size(w.branch_rgb, 6 * n, d);
  with_backend(d, [&](auto backend) {
    DynamicKernels<backend>::space_time(positions, times, n, w.space_time.data());
  });
  w.static_context = static_encoding_->forward(positions, n, w.static_features.data(),
                                               std::move(w.static_context));
  static_density_.forward(w.static_features.data(), n, w.static_geometry.data(), w.static_mlp);
  if (moves) {
    ensure_size(w.noise, n, d);
    with_backend(
        d, [&](auto backend) { DynamicKernels<backend>::noise(noise_seed, n, w.noise.data()); });
  }
  const WarpSettings warp{w.noise.data(),
                          {1.0f / extent_[0], 1.0f / extent_[1], 1.0f / extent_[2]},
                          config_.frame_time};
  if (moves && config_.velocity()) {
    ensure_size(w.flow, 6 * n, d);
    motion_of(w).forward(*flow_encoding_, flow_network_, positions, times, warp, n,
                         w.space_time.data() + 4 * n, w.flow.data());
  } else if (moves) {
    flow_rows(n, w);
  }
  if (aggregate && !config_.velocity()) {
    with_backend(d, [&](auto backend) {
      DynamicKernels<backend>::warp(positions, times, w.flow.data(), warp, n,
                                    w.space_time.data() + 4 * n);
    });
    if (w.training) {  // the flow where the samples lead: the cycle term's
      ensure_size(w.warped_flow, 12 * n, d);
      neural::Module& encoding = *flow_encoding_;
      w.warped_flow_context = encoding.forward(w.space_time.data() + 4 * n, 2 * n,
                                               w.flow_features.data() + n * encoding.output_dims(),
                                               std::move(w.warped_flow_context));
      flow_network_.forward(w.flow_features.data() + n * encoding.output_dims(), 2 * n,
                            w.warped_flow.data(), w.warped_flow_mlp);
    }
  }
  dynamic_rows(rows, n, w);
  with_backend(d, [&](auto backend) {
    using Field = FieldKernels<backend>;
    using Dynamic = DynamicKernels<backend>;
    if (aggregate) {
      Dynamic::aggregate(w.dynamic_geometry.data(), n, kGeometryFeatures, w.geometry.data());
    } else {
      Field::copy_rows(w.dynamic_geometry.data(), kGeometryFeatures, n, kGeometryFeatures,
                       w.geometry.data(), kGeometryFeatures);
    }
    Field::density(w.static_geometry.data(), n, kGeometryFeatures, w.static_sigma.data());
    Field::density(w.geometry.data(), n, kGeometryFeatures, w.dynamic_sigma.data());
    Field::copy_rows(w.static_geometry.data(), kGeometryFeatures, n, kGeometryFeatures,
                     w.colour_inputs.data(), kColourInputs);
    Field::copy_rows(w.geometry.data(), kGeometryFeatures, n, kGeometryFeatures,
                     w.colour_inputs.data() + n * kColourInputs, kColourInputs);
  });
  for (std::int64_t half = 0; half < 2; ++half) {
    neural::encode_spherical_harmonics(
        directions, n, w.colour_inputs.data() + half * n * kColourInputs + kGeometryFeatures,
        kColourInputs, d);
  }
  colour_.forward(w.colour_inputs.data(), 2 * n, w.branch_rgb.data(), w.colour_mlp);
  with_backend(d, [&](auto backend) {
    DynamicKernels<backend>::blend(w.static_sigma.data(), w.dynamic_sigma.data(),
                                   w.branch_rgb.data(), n, sigma, rgb);
  });
}

double DynamicField::backward(const float* positions, const float* d_sigma, const float* d_rgb,
                              const float* d_dynamic_sigma, DynamicWorkspace& w) {
  const std::int64_t n = w.n;
  if (n <= 0) return 0.0;
  const Device& d = device();
  const bool aggregate = config_.temporal_aggregation;
  const std::int64_t rows = aggregate ? 3 * n : n;
  ensure_size(w.d_branch_rgb, 6 * n, d);
  ensure_size(w.d_colour_inputs, 2 * n * kColourInputs, d);
  ensure_size(w.d_static_geometry, n * kGeometryFeatures, d);
  ensure_size(w.d_dynamic_geometry, rows * kGeometryFeatures, d);
  ensure_size(w.d_static_features, n * static_encoding_->output_dims(), d);
  ensure_size(w.d_dynamic_features, rows * dynamic_encoding_->output_dims(), d);
  ensure_size(w.d_static_sigma, n, d);
  ensure_size(w.d_dynamic_sigma, n, d);
  float* d_static_sigma = w.d_static_sigma.data();
  float* d_dynamic_total = w.d_dynamic_sigma.data();
  with_backend(d, [&](auto backend) {
    DynamicKernels<backend>::blend_backward(w.static_sigma.data(), w.dynamic_sigma.data(),
                                            w.branch_rgb.data(), d_sigma, d_rgb, d_dynamic_sigma, n,
                                            d_static_sigma, d_dynamic_total, w.d_branch_rgb.data());
  });
  colour_.backward(w.colour_inputs.data(), w.d_branch_rgb.data(), w.colour_mlp,
                   w.d_colour_inputs.data());
  with_backend(d, [&](auto backend) {
    using Field = FieldKernels<backend>;
    Field::geometry_gradient(w.d_colour_inputs.data(), kColourInputs, w.static_geometry.data(),
                             w.static_sigma.data(), d_static_sigma, n, w.d_static_geometry.data());
    // The aggregated rows' gradient goes into d_dynamic_geometry's last n rows, then is spread.
    float* d_aggregated = w.d_dynamic_geometry.data() + (rows - n) * kGeometryFeatures;
    Field::geometry_gradient(w.d_colour_inputs.data() + n * kColourInputs, kColourInputs,
                             w.geometry.data(), w.dynamic_sigma.data(), d_dynamic_total, n,
                             d_aggregated);
    if (aggregate) {
      // Spreading reads row i of the last block before writing rows i, n + i and 2n + i: the
      // last write to row 2n + i is its own read, so the order within a row is safe.
      DynamicKernels<backend>::aggregate_backward(d_aggregated, n, kGeometryFeatures,
                                                  w.d_dynamic_geometry.data());
    }
  });
  static_density_.backward(w.static_features.data(), w.d_static_geometry.data(), w.static_mlp,
                           w.d_static_features.data());
  static_encoding_->backward(*w.static_context, positions, w.d_static_features.data(), nullptr,
                             neural::GradientMode::overwrite);
  dynamic_density_.backward(w.dynamic_features.data(), w.d_dynamic_geometry.data(), w.dynamic_mlp,
                            w.d_dynamic_features.data());
  const bool learn_flow = config_.flow && aggregate && w.training;
  if (learn_flow) ensure_size(w.d_space_time, 8 * n, d);  // the warped rows only
  dynamic_encoding_->backward(*w.dynamic_context, w.space_time.data(), w.d_dynamic_features.data(),
                              nullptr, neural::GradientMode::overwrite);
  if (aggregate) {
    const int width = dynamic_encoding_->output_dims();
    dynamic_encoding_->backward(*w.warped_dynamic_context, w.space_time.data() + 4 * n,
                                w.d_dynamic_features.data() + n * width,
                                learn_flow ? w.d_space_time.data() : nullptr,
                                neural::GradientMode::accumulate);
  }
  double cycle_loss = 0.0;
  if (!config_.flow) return cycle_loss;
  const int flow_width = flow_encoding_->output_dims();
  ensure_size(w.d_flow_features, 3 * n * flow_width, d);
  if (!learn_flow || config_.velocity()) {
    // Without aggregation nothing pulls on the flow: its parameters get zero gradients. The
    // velocity motion adds its gradients to zeros.
    with_backend(d, [&](auto backend) {
      using Dynamic = DynamicKernels<backend>;
      Dynamic::fill(flow_network_.gradients().data(), flow_network_.parameter_count(), 0.0f);
      Dynamic::fill(flow_encoding_->gradients().data(), flow_encoding_->parameter_count(), 0.0f);
    });
    if (learn_flow) w.motion->backward(*flow_encoding_, flow_network_, w.d_space_time.data());
    return cycle_loss;
  }
  ensure_size(w.d_warped_flow, 12 * n, d);
  ensure_size(w.d_warped_cycle, 8 * n, d);
  ensure_size(w.d_flow, 6 * n, d);
  float* d_warped_space_time = w.d_space_time.data();
  with_backend(d, [&](auto backend) {
    cycle_loss = DynamicKernels<backend>::cycle(w.flow.data(), w.warped_flow.data(), n,
                                                config_.cycle, w.d_warped_flow.data());
  });
  // The cycle term through the flow at the warped rows, into their positions...
  flow_network_.backward(w.flow_features.data() + n * flow_width, w.d_warped_flow.data(),
                         w.warped_flow_mlp, w.d_flow_features.data() + n * flow_width);
  flow_encoding_->backward(*w.warped_flow_context, w.space_time.data() + 4 * n,
                           w.d_flow_features.data() + n * flow_width, w.d_warped_cycle.data(),
                           neural::GradientMode::overwrite);
  const WarpSettings warp{w.noise.data(),
                          {1.0f / extent_[0], 1.0f / extent_[1], 1.0f / extent_[2]},
                          config_.frame_time};
  with_backend(d, [&](auto backend) {
    DynamicKernels<backend>::add(w.d_warped_cycle.data(), 8 * n, d_warped_space_time);
    DynamicKernels<backend>::warp_backward(d_warped_space_time, warp, n, w.d_flow.data());
  });
  // ...and the dynamic field's and the cycle's pull on the warped positions into the flow.
  flow_network_.backward(w.flow_features.data(), w.d_flow.data(), w.flow_mlp,
                         w.d_flow_features.data(), neural::GradientMode::accumulate);
  flow_encoding_->backward(*w.flow_context, w.space_time.data(), w.d_flow_features.data(), nullptr,
                           neural::GradientMode::accumulate);
  return cycle_loss;
}

void DynamicField::density(const float* positions, const float* times, std::int64_t n, float* sigma,
                           DynamicWorkspace& w) const {
  if (n <= 0) return;
  const Device& d = device();
  ensure_size(w.space_time, 4 * n, d);
  ensure_size(w.static_features, n * static_encoding_->output_dims(), d);
  ensure_size(w.static_geometry, n * kGeometryFeatures, d);
  ensure_size(w.static_sigma, n, d);
  with_backend(d, [&](auto backend) {
    DynamicKernels<backend>::space_time(positions, times, n, w.space_time.data());
  });
  w.static_context = static_encoding_->forward(positions, n, w.static_features.data(),
                                               std::move(w.static_context));
  static_density_.forward(w.static_features.data(), n, w.static_geometry.data(), w.static_mlp);
  dynamic_rows(n, n, w);
  with_backend(d, [&](auto backend) {
    using Field = FieldKernels<backend>;
    Field::density(w.static_geometry.data(), n, kGeometryFeatures, w.static_sigma.data());
    Field::density(w.dynamic_geometry.data(), n, kGeometryFeatures, sigma);
    DynamicKernels<backend>::add(w.static_sigma.data(), n, sigma);
  });
}

void DynamicField::dynamic_density(const float* positions, const float* times, std::int64_t n,
                                   float* sigma, DynamicWorkspace& w) const {
  if (n <= 0) return;
  ensure_size(w.space_time, 4 * n, device());
  with_backend(device(), [&](auto backend) {
    DynamicKernels<backend>::space_time(positions, times, n, w.space_time.data());
  });
  dynamic_rows(n, n, w);
  with_backend(device(), [&](auto backend) {
    FieldKernels<backend>::density(w.dynamic_geometry.data(), n, kGeometryFeatures, sigma);
  });
}

void DynamicField::flow(const float* positions, const float* times, std::int64_t n, float* flow,
                        DynamicWorkspace& w) const {
  if (n <= 0) return;
  const Device& d = device();
  if (!config_.flow) {
    with_backend(d, [&](auto backend) { DynamicKernels<backend>::fill(flow, 6 * n, 0.0f); });
    return;
  }
  if (config_.velocity()) {
    ensure_size(w.noise, n, d);
    ensure_size(w.space_time, 12 * n, d);
    with_backend(d, [&](auto backend) {
      DynamicKernels<backend>::noise(nullptr, n, w.noise.data());  // u = 1: one whole frame
    });
    const WarpSettings warp{w.noise.data(),
                            {1.0f / extent_[0], 1.0f / extent_[1], 1.0f / extent_[2]},
                            config_.frame_time};
    motion_of(w).forward(*flow_encoding_, flow_network_, positions, times, warp, n,
                         w.space_time.data() + 4 * n, flow);
    return;
  }
  ensure_size(w.space_time, 4 * n, d);
  with_backend(d, [&](auto backend) {
    DynamicKernels<backend>::space_time(positions, times, n, w.space_time.data());
  });
  flow_rows(n, w);
  detail::copy_bytes(flow, d, w.flow.data(), d, std::size_t(6 * n) * sizeof(float));
}

}  // namespace advect::radiance
