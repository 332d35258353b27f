#include "advect/neural/HashEncoding.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <string>

#include "JsonKeys.h"
#include "advect/engine/Dispatch.h"
#include "kernels/HashEncodingKernels.h"
#include "kernels/VectorOps.h"

namespace advect::neural {

HashEncodingConfig HashEncodingConfig::from_json(const nlohmann::json& json) {
  require_known_keys(json,
                     {"otype", "n_input_dims", "n_levels", "n_features_per_level",
                      "log2_hashmap_size", "base_resolution", "per_level_scale", "max_resolution"},
                     "hash encoding");
  HashEncodingConfig config;
  try {
    if (json.contains("otype") && json["otype"].get<std::string>() != "HashGrid") {
      throw std::invalid_argument("hash encoding otype must be \"HashGrid\"");
    }
    config.input_dims = json.value("n_input_dims", config.input_dims);
    config.levels = json.value("n_levels", config.levels);
    config.features_per_level = json.value("n_features_per_level", config.features_per_level);
    config.log2_table_size = json.value("log2_hashmap_size", config.log2_table_size);
    config.base_resolution = json.value("base_resolution", config.base_resolution);
    config.per_level_scale = json.value("per_level_scale", config.per_level_scale);
    if (json.contains("max_resolution")) {
      const auto caps = json["max_resolution"].get<std::vector<int>>();
      if (caps.empty() || caps.size() > config.max_resolution.size()) {
        throw std::invalid_argument("hash encoding: max_resolution needs 1 to 4 values");
      }
      std::copy(caps.begin(), caps.end(), config.max_resolution.begin());
    }
  } catch (const nlohmann::json::exception& error) {
    throw std::invalid_argument(std::string("bad hash encoding setting: ") + error.what());
  }
  return config;
}

namespace {

void check(const HashEncodingConfig& c) {
  const auto fail = [](const std::string& what) {
    throw std::invalid_argument("hash encoding: " + what);
  };
  if (c.input_dims < 1 || c.input_dims > 4) fail("n_input_dims must be 1 to 4");
  if (c.levels < 1 || c.levels > 32) fail("n_levels must be 1 to 32");
  if (c.features_per_level != 1 && c.features_per_level != 2 && c.features_per_level != 4 &&
      c.features_per_level != 8) {
    fail("n_features_per_level must be 1, 2, 4 or 8");
  }
  if (c.log2_table_size < 4 || c.log2_table_size > 26) fail("log2_hashmap_size must be 4 to 26");
  if (c.base_resolution < 1) fail("base_resolution must be positive");
  if (!(c.per_level_scale >= 1.0) || !std::isfinite(c.per_level_scale)) {
    fail("per_level_scale must be at least 1");
  }
  for (std::size_t d = 0; d < c.max_resolution.size(); ++d) {
    if (c.max_resolution[d] < 0) fail("max_resolution values must be >= 0 (0: no cap)");
    if (c.max_resolution[d] > 0 && int(d) >= c.input_dims) {
      fail("max_resolution caps axis " + std::to_string(d) + " of a " +
           std::to_string(c.input_dims) + "-input grid");
    }
  }
  const double finest = c.base_resolution * std::pow(c.per_level_scale, c.levels - 1);
  if (finest > 1 << 24) fail("the finest level's resolution exceeds 2^24");
}

}  // namespace

HashEncoding::HashEncoding(const HashEncodingConfig& config, const Device& device,
                           std::uint64_t seed)
    : Module(device), config_(config) {
  check(config);
  const std::uint64_t table = std::uint64_t(1) << config.log2_table_size;
  std::int64_t offset = 0;
  for (int l = 0; l < config.levels; ++l) {
    const auto resolution =
        std::uint32_t(std::floor(config.base_resolution * std::pow(config.per_level_scale, l)));
    HashLevel level{offset, 0, {resolution, resolution, resolution, resolution}, false};
    double vertices = 1.0;
    for (int d = 0; d < config.input_dims; ++d) {
      const auto cap = std::uint32_t(config.max_resolution[std::size_t(d)]);
      if (cap > 0) level.resolution[d] = std::min(resolution, cap);
      vertices *= double(level.resolution[d]) + 1.0;
    }
    level.hashed = vertices > double(table);
    level.entries = std::uint32_t(level.hashed ? table : std::uint64_t(vertices));
    levels_.push_back(level);
    offset += std::int64_t(level.entries) * config.features_per_level;
  }
  level_table_ = Buffer<HashLevel>::from_host(levels_, device);
  allocate_parameters(offset);
  initialise(seed);
}

void HashEncoding::initialise(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> initial(-1e-4f, 1e-4f);
  std::vector<float> values(static_cast<std::size_t>(parameter_count()));
  for (float& value : values) value = initial(rng);
  parameters().copy_from_host(values);
}

void HashEncoding::forward(const float* inputs, std::int64_t n, float* features) const {
  const HashGridView grid{level_table_.data(), config_.levels, config_.input_dims,
                          config_.features_per_level};
  with_backend(device(), [&](auto backend) {
    HashEncodingKernels<backend>::forward(grid, parameters().data(), inputs, n, features);
  });
}

void HashEncoding::backward(const float* inputs, const float* d_features, std::int64_t n) {
  const HashGridView grid{level_table_.data(), config_.levels, config_.input_dims,
                          config_.features_per_level};
  with_backend(device(), [&](auto backend) {
    HashEncodingKernels<backend>::backward(grid, inputs, d_features, n, gradients().data());
  });
}

void HashEncoding::zero_gradients() {
  with_backend(device(), [&](auto backend) {
    VectorOps<backend>::fill(gradients().data(), parameter_count(), 0.0f);
  });
}

std::unique_ptr<ModuleContext> HashEncoding::forward(const float* input, std::int64_t n,
                                                     float* output,
                                                     std::unique_ptr<ModuleContext> reuse) const {
  forward(input, n, output);
  return RowsContext::make(std::move(reuse), n);
}

void HashEncoding::backward(ModuleContext& context, const float* input, const float* d_output,
                            float* d_input, GradientMode mode) {
  const std::int64_t n = dynamic_cast<RowsContext&>(context).rows;
  if (d_input) input_gradient(input, d_output, n, d_input);
  if (mode == GradientMode::overwrite) zero_gradients();
  backward(input, d_output, n);
}

void HashEncoding::input_gradient(const float* inputs, const float* d_features, std::int64_t n,
                                  float* d_inputs) const {
  const HashGridView grid{level_table_.data(), config_.levels, config_.input_dims,
                          config_.features_per_level};
  with_backend(device(), [&](auto backend) {
    HashEncodingKernels<backend>::input_gradient(grid, parameters().data(), inputs, d_features, n,
                                                 d_inputs);
  });
}

}  // namespace advect::neural
