// The dynamic field's backward pass (static, dynamic and flow branches, the blend, temporal
// aggregation along the flow or along a velocity field's integral, and the cycle term) against
// central differences; the velocity motion's end points against the engine's integrate().
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <random>
#include <string>

#include "advect/engine/Buffer.h"
#include "advect/engine/OdeSolver.h"
#include "advect/radiance/DynamicField.h"
#include "advect/radiance/DynamicTraining.h"
#include "advect/radiance/RadianceFieldFile.h"
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
// EmerNeRF's cycle term holds the flow at the samples fixed (a stop-gradient), which a central
// difference cannot: with a cycle weight, the flow parts are left out (checked_flow = false).
void check_dynamic_gradients(const radiance::DynamicFieldConfig& config, const Device& device,
                             bool check_flow) {
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
    const bool flow = std::string(block.name).find("flow") != std::string::npos;
    if (flow && !check_flow) continue;
    int compared = 0, nonzero = 0;
    for (std::int64_t k = 0; k < block.count && compared < 20; k += 1 + block.count / 40) {
      const auto index = std::size_t(block.offset + k);
      const double numeric = central_difference(field.parameters(), index, 2e-4f, evaluate);
      EXPECT_NEAR(gradient[index], numeric, 2e-3 + 2e-2 * std::abs(numeric))
          << block.name << " " << k;
      ++compared;
      nonzero += std::abs(numeric) > 1e-3;
    }
    if (config.temporal_aggregation || !flow) {
      EXPECT_GT(nonzero, 0) << block.name << ": no parameter of it moves the loss";
    }
  }
}

TEST_P(DynamicFieldOnDevice, BackwardMatchesFiniteDifferencesWithTemporalAggregation) {
  radiance::DynamicFieldConfig config = tiny_dynamic_config();
  config.cycle = 0.0f;
  check_dynamic_gradients(config, device(), true);
}

TEST_P(DynamicFieldOnDevice, BackwardMatchesFiniteDifferencesWithTheCycleTerm) {
  check_dynamic_gradients(tiny_dynamic_config(), device(), false);
}

TEST_P(DynamicFieldOnDevice, BackwardMatchesFiniteDifferencesWithoutAggregation) {
  radiance::DynamicFieldConfig config = tiny_dynamic_config();
  config.temporal_aggregation = false;
  check_dynamic_gradients(config, device(), true);
}

// dynamic-ode: the samples' neighbours in time are where the velocity field carries them, in
// Runge-Kutta steps differentiated stage by stage (no cycle term, so every part is checked).
TEST_P(DynamicFieldOnDevice, BackwardMatchesFiniteDifferencesWithTheVelocityMotion) {
  radiance::DynamicFieldConfig config = tiny_dynamic_config();
  config.motion = "velocity";
  config.ode_method = OdeMethod::rk4;
  config.ode_steps = 2;
  check_dynamic_gradients(config, device(), true);
}

// The velocity motion's displacement over one frame against the engine's own solver (rk4,
// doubles) on the same velocity field, read through a one-step Euler copy of the field (whose
// displacement over one frame is v(x, t) itself), both ways in time.
TEST_P(DynamicFieldOnDevice, VelocityMotionIsTheEngineIntegratorsSolution) {
  radiance::DynamicFieldConfig config = tiny_dynamic_config();
  config.motion = "velocity";
  config.ode_method = OdeMethod::rk4;
  config.ode_steps = 4;
  radiance::DynamicField field(config, device(), 5);
  std::vector<float> parameters = field.parameters().to_host();
  std::mt19937 rng(8);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (const radiance::ParameterBlock& block : field.parameter_blocks()) {
    if (std::string(block.name) != "flow encoding") continue;
    for (std::int64_t k = 0; k < block.count; ++k) {
      parameters[std::size_t(block.offset + k)] = 0.5f * u(rng);
    }
  }
  field.parameters().copy_from_host(parameters);
  config.ode_method = OdeMethod::euler;
  config.ode_steps = 1;
  radiance::DynamicField velocity(config, device(), 5);
  velocity.parameters().copy_from_host(parameters);

  const int n = 20;
  const float t0 = 0.4f, dt = config.frame_time;
  std::vector<float> positions(3 * n);
  for (float& p : positions) p = 0.5f + 0.3f * u(rng);
  const auto p = Buffer<float>::from_host(positions, device());
  const auto t = Buffer<float>::from_host(std::vector<float>(n, t0), device());
  Buffer<float> flow(6 * n, device());
  radiance::DynamicWorkspace workspace;
  field.flow(p.data(), t.data(), n, flow.data(), workspace);
  const std::vector<float> moved = flow.to_host();

  const float extent[3] = {4.0f, 2.0f, 1.0f};  // the box of tiny_dynamic_config
  // dy/ds = sign v(y, t0 + sign s dt) / extent, y in box units, s in [0, 1].
  class Carried : public VectorField {
   public:
    Carried(const radiance::DynamicField& v, float t0, float dt, float sign, const float* extent)
        : v_(v), t0_(t0), dt_(dt), sign_(sign), extent_(extent) {}
    int dimension() const override { return 3; }
    void evaluate(double s, const double* y, double* slope, std::int64_t count,
                  const Device&) const override {
      const auto rows = std::size_t(count);
      const auto at = Buffer<float>::from_host(std::vector<float>(y, y + 3 * rows), v_.device());
      const auto when = Buffer<float>::from_host(
          std::vector<float>(rows, t0_ + sign_ * float(s) * dt_), v_.device());
      Buffer<float> out(6 * rows, v_.device());
      radiance::DynamicWorkspace w;
      v_.flow(at.data(), when.data(), count, out.data(), w);
      const std::vector<float> host = out.to_host();
      for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t a = 0; a < 3; ++a) {
          slope[3 * i + a] = sign_ * double(host[6 * i + a]) / double(extent_[a]);
        }
      }
    }
    std::string describe() const override { return "velocity"; }

   private:
    const radiance::DynamicField& v_;
    float t0_, dt_, sign_;
    const float* extent_;
  };
  for (const int side : {0, 1}) {
    const Carried carried(velocity, t0, dt, side == 0 ? 1.0f : -1.0f, extent);
    OdeOptions options;
    options.method = OdeMethod::rk4;
    options.step = 0.25;
    const std::vector<double> times = {0.0, 1.0};
    const auto result =
        integrate(carried,
                  Buffer<double>::from_host(std::vector<double>(positions.begin(), positions.end()),
                                            Device::cpu()),
                  times, options);
    ASSERT_TRUE(result.ok()) << result.message;
    const std::vector<double> states = result.states.to_host();
    double largest = 0;
    for (std::size_t i = 0; i < std::size_t(n); ++i) {
      for (std::size_t a = 0; a < 3; ++a) {
        const double expected = (states[3 * n + 3 * i + a] - positions[3 * i + a]) * extent[a];
        EXPECT_NEAR(moved[6 * i + 3 * std::size_t(side) + a], expected,
                    1e-4 + 1e-4 * std::abs(expected))
            << "side " << side << " point " << i << " axis " << a;
        largest = std::max(largest, std::abs(expected));
      }
    }
    EXPECT_GT(largest, 0.01) << "the field must move the points for the check to mean anything";
  }
}

// The cycle term's value against the flow field queried on its own where the samples lead:
// 0.5 w mean over the 3n components of |f_fwd(x) + g_bwd(x_fwd)|^2 + |f_bwd(x) + g_fwd(x_bwd)|^2.
TEST_P(DynamicFieldOnDevice, CycleTermIsTheFlowsDisagreementWhereTheSamplesLead) {
  const radiance::DynamicFieldConfig config = tiny_dynamic_config();
  radiance::DynamicField field(config, device(), 5);
  std::mt19937 rng(8);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> parameters = field.parameters().to_host();
  for (float& p : parameters) p += 0.3f * u(rng);
  field.parameters().copy_from_host(parameters);
  const int n = 25;
  std::vector<float> positions(3 * n), times(n), directions(3 * n, 0.0f), ones(3 * n, 0.0f);
  for (float& p : positions) p = 0.5f + 0.4f * u(rng);
  for (float& t : times) t = 0.5f + 0.4f * u(rng);
  for (int i = 0; i < n; ++i) directions[std::size_t(3 * i + 2)] = 1.0f;
  const auto p = Buffer<float>::from_host(positions, device());
  const auto t = Buffer<float>::from_host(times, device());
  const auto d = Buffer<float>::from_host(directions, device());
  const auto zero = Buffer<float>::from_host(ones, device());
  Buffer<float> sigma(n, device()), rgb(3 * n, device()), flow(6 * n, device()),
      warped_flow(12 * n, device());
  radiance::DynamicWorkspace workspace;
  const std::uint64_t seed = 3;
  field.forward(p.data(), t.data(), d.data(), n, sigma.data(), rgb.data(), workspace, &seed);
  const double cycle = field.backward(p.data(), zero.data(), zero.data(), nullptr, workspace);
  // The warped rows as the forward pass made them, checked against x + u f / extent.
  const std::vector<float> rows = workspace.space_time.to_host(), noise = workspace.noise.to_host();
  radiance::DynamicWorkspace other;
  field.flow(p.data(), t.data(), n, flow.data(), other);
  const std::vector<float> f = flow.to_host();
  const float extent[3] = {4.0f, 2.0f, 1.0f};
  std::vector<float> warped(8 * n), warped_times(2 * n);
  for (int side = 0; side < 2; ++side) {
    for (int i = 0; i < n; ++i) {
      const std::size_t row = std::size_t(4 * (n + side * n + i));
      for (int a = 0; a < 3; ++a) {
        const float expected =
            positions[std::size_t(3 * i + a)] +
            noise[std::size_t(i)] * f[std::size_t(6 * i + 3 * side + a)] / extent[a];
        ASSERT_NEAR(rows[row + std::size_t(a)], expected, 1e-5f) << side << " " << i;
        warped[std::size_t(3 * (side * n + i) + a)] = rows[row + std::size_t(a)];
      }
      warped_times[std::size_t(side * n + i)] = rows[row + 3];
    }
  }
  const auto wp = Buffer<float>::from_host(warped, device());
  const auto wt = Buffer<float>::from_host(warped_times, device());
  field.flow(wp.data(), wt.data(), 2 * n, warped_flow.data(), other);
  const std::vector<float> g = warped_flow.to_host();
  double sum = 0.0;
  for (int i = 0; i < n; ++i) {
    for (int a = 0; a < 3; ++a) {
      sum += std::pow(double(f[std::size_t(6 * i + a)]) + g[std::size_t(6 * i + 3 + a)], 2.0) +
             std::pow(double(f[std::size_t(6 * i + 3 + a)]) + g[std::size_t(6 * (n + i) + a)], 2.0);
    }
  }
  const double expected = 0.5 * double(config.cycle) * sum / double(3 * n);
  EXPECT_GT(expected, 1e-3);
  EXPECT_NEAR(cycle, expected, 1e-5 * expected + 1e-9);
}

// EmerNeRF's entropy of the split, in double from its formula.
double split_entropy_reference(const std::vector<double>& st, const std::vector<double>& dy,
                               double weight, double skewness) {
  double sum = 0.0;
  for (std::size_t i = 0; i < st.size(); ++i) {
    const double s =
        std::clamp(std::pow(dy[i] / (st[i] + dy[i] + 1e-7), skewness), 1e-6, 1.0 - 1e-6);
    sum += -s * std::log(s) - (1.0 - s) * std::log(1.0 - s);
  }
  return weight * sum / double(st.size());
}

// The entropy term and its gradient against the formula in double and its central differences,
// with both skewnesses; a sample whose share is clamped gets no gradient; descending it makes
// shares above the threshold (1/2 for skewness 1, 1/sqrt(2) for 2) more dynamic, the rest less.
TEST_P(DynamicFieldOnDevice, SplitEntropyAndItsGradientMatchTheFormula) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> log_sigma(-3.0, 3.0);
  constexpr int n = 64;
  std::vector<double> st(n), dy(n);
  for (int i = 0; i < n; ++i) {
    st[std::size_t(i)] = std::exp(log_sigma(rng));
    dy[std::size_t(i)] = std::exp(log_sigma(rng));
  }
  dy[0] = 1e-9 * st[0];  // share clamped at 1e-6
  for (const double skewness : {1.0, 2.0}) {
    const double weight = 0.3;
    std::vector<float> st32(st.begin(), st.end()), dy32(dy.begin(), dy.end());
    const auto static_sigma = Buffer<float>::from_host(st32, device());
    const auto dynamic_sigma = Buffer<float>::from_host(dy32, device());
    auto d_sigma = Buffer<float>::from_host(std::vector<float>(n, 0.5f), device());
    auto d_dynamic = Buffer<float>::from_host(std::vector<float>(n, -0.25f), device());
    const double loss =
        radiance::split_entropy(static_sigma.data(), dynamic_sigma.data(), n, float(weight),
                                float(skewness), d_sigma.data(), d_dynamic.data(), device());
    EXPECT_NEAR(loss, split_entropy_reference(st, dy, weight, skewness), 1e-6);
    const std::vector<float> g_total = d_sigma.to_host(), g_extra = d_dynamic.to_host();
    for (int i = 0; i < n; ++i) {
      const auto k = std::size_t(i);
      const auto differenced = [&](std::vector<double>& values) {
        const double h = 1e-6 * values[k], original = values[k];
        values[k] = original + h;
        const double plus = split_entropy_reference(st, dy, weight, skewness);
        values[k] = original - h;
        const double minus = split_entropy_reference(st, dy, weight, skewness);
        values[k] = original;
        return (plus - minus) / (2.0 * h);
      };
      const double to_static = double(g_total[k]) - 0.5;  // what the call added
      const double to_dynamic = to_static + double(g_extra[k]) + 0.25;
      const double expect_static = differenced(st), expect_dynamic = differenced(dy);
      const double tolerance = 2e-3 * (std::abs(expect_static) + std::abs(expect_dynamic)) + 1e-6;
      EXPECT_NEAR(to_static, expect_static, tolerance)
          << "sample " << i << " skewness " << skewness;
      EXPECT_NEAR(to_dynamic, expect_dynamic, tolerance) << "sample " << i;
      const double share = dy[k] / (st[k] + dy[k]);
      if (i == 0) {
        EXPECT_EQ(to_static, 0.0);
        EXPECT_EQ(to_dynamic, 0.0);
      } else if (std::abs(std::pow(share, skewness) - 0.5) > 0.05) {
        // Gradient descent moves sigma_d against to_dynamic: towards the nearer end.
        EXPECT_EQ(to_dynamic<0.0, std::pow(share, skewness)> 0.5) << "sample " << i;
      }
    }
  }
}

ADVECT_INSTANTIATE_PER_DEVICE(DynamicFieldOnDevice);

// A dynamic model written and read back renders the same picture, at a time between frames.
TEST(DynamicModelFile, RoundTripRendersTheSamePicture) {
  radiance::DynamicFieldConfig config = tiny_dynamic_config();
  radiance::DynamicField field(config, Device::cpu(), 9);
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-0.5f, 0.5f);
  std::vector<float> parameters = field.parameters().to_host();
  for (float& p : parameters) p += u(rng);
  field.parameters().copy_from_host(parameters);
  const std::string bytes = radiance::to_bytes(field, {{"steps", 3}});
  const radiance::LoadedRadianceField loaded =
      radiance::from_bytes(bytes, "dynamic.model", Device::cpu());
  ASSERT_TRUE(loaded.dynamic);
  EXPECT_FALSE(loaded.field);
  EXPECT_EQ(loaded.training["steps"], 3);
  EXPECT_EQ(loaded.dynamic->config().to_json(), field.config().to_json());
  radiance::PinholeCamera camera;
  camera.width = camera.height = 12;
  camera.fx = camera.fy = 12.0f;
  camera.cx = camera.cy = 6.0f;
  camera.camera_to_world[11] = 3.0f;  // at z = 3 looking down -z into the box
  const float background[3] = {1.0f, 1.0f, 1.0f};
  const auto before = radiance::render(field, camera, 0.37f, background);
  const auto after = radiance::render(*loaded.dynamic, camera, 0.37f, background);
  EXPECT_EQ(before.rgb, after.rgb);
  EXPECT_EQ(before.flow, after.flow);
  EXPECT_EQ(before.dynamic_share, after.dynamic_share);
  std::string damaged = bytes;
  damaged[damaged.size() / 2] ^= 1;
  EXPECT_THROW(radiance::from_bytes(damaged, "damaged.model", Device::cpu()), std::runtime_error);
}

TEST(DynamicTraining, FrameTimeIsTheSmallestGapBetweenImageTimes) {
  radiance::PosedImages images;
  images.times = {0.5f, 0.0f, 0.5f, 1.0f, 0.25f, 0.75f};
  EXPECT_FLOAT_EQ(radiance::frame_time_of(images), 0.25f);
  images.times = {0.3f, 0.3f};
  EXPECT_EQ(radiance::frame_time_of(images), 0.0f);
}

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
  refuses({{"entropy", -0.1}}, "weights");
  refuses({{"entropy_skewness", 0.0}}, "entropy_skewness");
  refuses({{"entropy_start", 1.0}}, "entropy_start");
  refuses({{"flow", false}}, "aggregation");
  refuses({{"static", {{"step", -1.0}}}}, "step");
  refuses({{"motion", "teleport"}}, "motion");
  refuses({{"motion", "velocity"}, {"ode", {{"method", "dopri5"}}}}, "ode method");
  refuses({{"ode", {{"steps", 0}}}}, "steps");
  refuses({{"ode", {{"order", 2}}}}, "'order'");
  radiance::DynamicFieldConfig config = tiny_dynamic_config();
  config.motion = "velocity";
  config.ode_method = OdeMethod::heun;
  const nlohmann::json json = config.to_json();
  EXPECT_EQ(radiance::DynamicFieldConfig::from_json(json).to_json(), json);
}

}  // namespace
}  // namespace advect::testing
