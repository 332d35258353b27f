// The dynamic field's backward pass (static, dynamic and flow branches, the blend, temporal
// aggregation along the flow and the cycle term) against central differences.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "advect/engine/Buffer.h"
#include "advect/radiance/DynamicField.h"
#include "support/CentralDifference.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

nlohmann::json tiny_grid(int dims) {
  return {{"otype", "HashGrid"},    {"n_input_dims", dims}, {"n_levels", 3},
          {"log2_hashmap_size", 9}, {"base_resolution", 3}, {"per_level_scale", 2.0}};
}

radiance::DynamicFieldConfig tiny_dynamic_config() {
  radiance::DynamicFieldConfig config;
  config.base.encoding = tiny_grid(3);
  config.base.density_network.hidden_width = 16;
  config.base.colour_network.hidden_width = 16;
  config.base.occupancy_resolution = 8;
  config.base.box = {{-2.0f, -1.0f, 0.0f}, {2.0f, 1.0f, 1.0f}};  // not a cube: flows scale per axis
  config.dynamic_encoding = tiny_grid(4);
  config.flow_encoding = tiny_grid(4);
  config.dynamic_network.hidden_width = 16;
  config.flow_network.hidden_width = 16;
  config.frame_time = 0.1f;
  config.sparsity = 0.0f;
  config.cycle = 0.5f;  // large enough to be seen next to the other terms
  return config;
}

class DynamicFieldOnDevice : public PerDevice {};

// L = sum a sigma + sum b rgb + sum c dynamic sigma + the cycle term, all parameters perturbed one
// at a time (a sample of each part). The noise seed is fixed, so u is the same in every pass.
void check_dynamic_gradients(const radiance::DynamicFieldConfig& config, const Device& device) {
  radiance::DynamicField field(config, device, 5);
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  // Tables larger than the initial 1e-4 so that the flow moves samples and every path carries
  // gradient.
  std::vector<float> parameters = field.parameters().to_host();
  for (const radiance::ParameterBlock& block : field.parameter_blocks()) {
    if (std::string(block.name).find("encoding") == std::string::npos) continue;
    for (std::int64_t k = 0; k < block.count; ++k) {
      parameters[std::size_t(block.offset + k)] = 0.5f * u(rng);
    }
  }
  field.parameters().copy_from_host(parameters);
  const int n = 30;
  std::vector<float> positions(3 * n), times(n), directions(3 * n), a(n), b(3 * n), c(n);
  for (float& p : positions) p = 0.5f + 0.4f * u(rng);
  for (float& t : times) t = 0.5f + 0.45f * u(rng);
  for (int i = 0; i < n; ++i) {
    float norm = 0;
    for (int k = 0; k < 3; ++k) norm += std::pow(directions[std::size_t(3 * i + k)] = u(rng), 2.0f);
    for (int k = 0; k < 3; ++k) directions[std::size_t(3 * i + k)] /= std::sqrt(norm);
  }
  for (float& w : a) w = 0.1f * u(rng);
  for (float& w : b) w = u(rng);
  for (float& w : c) w = 0.1f * u(rng);
  const auto p = Buffer<float>::from_host(positions, device);
  const auto t = Buffer<float>::from_host(times, device);
  const auto d = Buffer<float>::from_host(directions, device);
  const auto da = Buffer<float>::from_host(a, device);
  const auto db = Buffer<float>::from_host(b, device);
  const auto dc = Buffer<float>::from_host(c, device);
  Buffer<float> sigma(n, device), rgb(3 * n, device);
  radiance::DynamicWorkspace workspace;
  const std::uint64_t seed = 17;
  // The loss; with `gradients` the backward pass too, which is also where the cycle term is
  // evaluated.
  const auto evaluate = [&] {
    field.forward(p.data(), t.data(), d.data(), n, sigma.data(), rgb.data(), workspace, &seed);
    const auto s = sigma.to_host(), colour = rgb.to_host();
    const auto dynamic_sigma = workspace.dynamic_sigma.to_host();
    double sum = 0;
    for (int i = 0; i < n; ++i) {
      sum += double(a[std::size_t(i)]) * s[std::size_t(i)] +
             double(c[std::size_t(i)]) * dynamic_sigma[std::size_t(i)];
    }
    for (int i = 0; i < 3 * n; ++i) sum += double(b[std::size_t(i)]) * colour[std::size_t(i)];
    return sum + field.backward(p.data(), da.data(), db.data(), dc.data(), workspace);
  };
  evaluate();
  const std::vector<float> gradient = field.gradients().to_host();
  for (const radiance::ParameterBlock& block : field.parameter_blocks()) {
    int compared = 0, nonzero = 0;
    for (std::int64_t k = 0; k < block.count && compared < 20; k += 1 + block.count / 40) {
      const auto index = std::size_t(block.offset + k);
      const double numeric = central_difference(field.parameters(), index, 2e-4f, evaluate);
      EXPECT_NEAR(gradient[index], numeric, 2e-3 + 2e-2 * std::abs(numeric))
          << block.name << " " << k;
      ++compared;
      nonzero += std::abs(numeric) > 1e-3;
    }
    if (config.temporal_aggregation || std::string(block.name).find("flow") == std::string::npos) {
      EXPECT_GT(nonzero, 0) << block.name << ": no parameter of it moves the loss";
    }
  }
}

TEST_P(DynamicFieldOnDevice, BackwardMatchesFiniteDifferencesWithTemporalAggregation) {
  check_dynamic_gradients(tiny_dynamic_config(), device());
}

TEST_P(DynamicFieldOnDevice, BackwardMatchesFiniteDifferencesWithoutAggregation) {
  radiance::DynamicFieldConfig config = tiny_dynamic_config();
  config.temporal_aggregation = false;
  check_dynamic_gradients(config, device());
}

ADVECT_INSTANTIATE_PER_DEVICE(DynamicFieldOnDevice);

TEST(DynamicFieldConfig, RefusesBadDocumentsAndRoundTrips) {
  const auto refuses = [](const nlohmann::json& json, const std::string& needle) {
    try {
      radiance::DynamicFieldConfig::from_json(json);
      ADD_FAILURE() << "accepted " << json.dump();
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
    }
  };
  refuses({{"flows", true}}, "'flows'");
  refuses({{"frame_time", 2.0}}, "frame_time");
  refuses({{"cycle", -1.0}}, "weights");
  refuses({{"flow", false}}, "aggregation");
  refuses({{"static", {{"step", -1.0}}}}, "step");
  radiance::DynamicFieldConfig config = tiny_dynamic_config();
  const nlohmann::json json = config.to_json();
  EXPECT_EQ(radiance::DynamicFieldConfig::from_json(json).to_json(), json);
}

}  // namespace
}  // namespace advect::testing
