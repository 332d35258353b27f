// Lidar supervision: the two terms and their density gradient against a double-precision
// reference written from the formulas and its central differences; what the terms ask of a
// surface at the right and the wrong distance; the rays built from sweeps; the schedule and the
// configuration's refusals.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "advect/engine/Buffer.h"
#include "advect/radiance/LidarSupervision.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

using radiance::LidarTermValues;
using radiance::LidarTermWeights;

struct Returns {
  std::vector<std::int32_t> offsets{0};
  std::vector<float> t, dt, sigma, ranges;
  std::int64_t count() const { return std::int64_t(ranges.size()); }
};

// The weighted loss from the header's formulas, in double; the means into `values`.
double reference(const Returns& r, const LidarTermWeights& w, LidarTermValues& values) {
  values = {};
  const double eps = w.epsilon, s = eps / 3.0, R = w.max_range;
  for (std::int64_t i = 0; i < r.count(); ++i) {
    const double d = r.ranges[std::size_t(i)];
    double transmittance = 1.0, depth = 0.0, sight = 0.0;
    for (std::int32_t k = r.offsets[std::size_t(i)]; k < r.offsets[std::size_t(i) + 1]; ++k) {
      const double t = r.t[std::size_t(k)], dt = r.dt[std::size_t(k)];
      const double alpha = 1.0 - std::exp(-double(r.sigma[std::size_t(k)]) * dt);
      const double weight = transmittance * alpha;
      if (t < d - eps) {
        sight += weight * weight;
      } else if (t < d + eps) {
        const double target =
            dt * std::exp(-0.5 * std::pow((t - d) / s, 2)) / (std::sqrt(2 * std::numbers::pi) * s);
        sight += (weight - target) * (weight - target);
      }
      depth += weight * t;
      transmittance *= 1.0 - alpha;
    }
    values.depth += std::pow((std::min(depth, R) - d) / R, 2);
    values.line_of_sight += sight;
  }
  values.depth /= double(r.count());
  values.line_of_sight /= double(r.count());
  return w.depth * values.depth + w.line_of_sight * values.line_of_sight;
}

class LidarSupervisionOnDevice : public PerDevice {
 protected:
  LidarTermValues terms(const Returns& r, const LidarTermWeights& w, std::vector<float>& d_sigma,
                        std::vector<float>& d_rgb) const {
    const auto offsets = Buffer<std::int32_t>::from_host(r.offsets, device());
    const auto t = Buffer<float>::from_host(r.t, device());
    const auto dt = Buffer<float>::from_host(r.dt, device());
    const auto sigma = Buffer<float>::from_host(r.sigma, device());
    const auto ranges = Buffer<float>::from_host(r.ranges, device());
    // Sentinels: every entry must be written.
    auto g_sigma = Buffer<float>::from_host(std::vector<float>(r.t.size(), NAN), device());
    auto g_rgb = Buffer<float>::from_host(std::vector<float>(3 * r.t.size(), NAN), device());
    const LidarTermValues values =
        radiance::lidar_terms({offsets.data(), t.data(), dt.data(), r.count()}, sigma.data(),
                              ranges.data(), w, g_sigma.data(), g_rgb.data(), device());
    d_sigma = g_sigma.to_host();
    d_rgb = g_rgb.to_host();
    return values;
  }
};

TEST_P(LidarSupervisionOnDevice, TermsAndGradientMatchTheReference) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  Returns r;
  // Rays of 40 samples 0.1 apart from distance 0.5; returns placed so that samples fall before,
  // inside and beyond the margin; densities from empty to opaque.
  for (int i = 0; i < 7; ++i) {
    for (int k = 0; k < 40; ++k) {
      r.t.push_back(0.5f + 0.1f * (float(k) + 0.5f));
      r.dt.push_back(0.1f);
      r.sigma.push_back(k % 5 == 0 ? 0.0f : 3.0f * u(rng) * u(rng));
    }
    r.offsets.push_back(std::int32_t(r.t.size()));
    r.ranges.push_back(1.0f + 3.0f * u(rng));
  }
  const LidarTermWeights w{0.7f, 0.3f, 4.0f, 0.6f};
  std::vector<float> d_sigma, d_rgb;
  const LidarTermValues got = terms(r, w, d_sigma, d_rgb);
  LidarTermValues expected;
  reference(r, w, expected);
  std::printf("depth term %.7f (reference %.7f), line of sight %.7f (reference %.7f)\n", got.depth,
              expected.depth, got.line_of_sight, expected.line_of_sight);
  EXPECT_NEAR(got.depth, expected.depth, 1e-5 * expected.depth + 1e-9);
  EXPECT_NEAR(got.line_of_sight, expected.line_of_sight, 1e-5 * expected.line_of_sight + 1e-9);
  ASSERT_GT(expected.depth, 1e-3);
  ASSERT_GT(expected.line_of_sight, 1e-3);
  double largest = 0;
  for (std::size_t k = 0; k < r.t.size(); ++k) {
    Returns plus = r, minus = r;
    const double h = 1e-3;
    plus.sigma[k] += float(h);
    minus.sigma[k] -= float(h);
    LidarTermValues unused;
    const double slope = (reference(plus, w, unused) - reference(minus, w, unused)) /
                         double(plus.sigma[k] - minus.sigma[k]);
    largest = std::max(largest, std::abs(slope));
    EXPECT_NEAR(d_sigma[k], slope, 2e-5 + 1e-3 * std::abs(slope)) << "sample " << k;
    for (int c = 0; c < 3; ++c) EXPECT_EQ(d_rgb[3 * k + std::size_t(c)], 0.0f);
  }
  EXPECT_GT(largest, 1e-3);  // the check is not vacuous
}

TEST_P(LidarSupervisionOnDevice, ASurfaceAtTheReturnIsWhatTheTermsAskFor) {
  // Two rays of 0.02-spaced samples over [0, 8]: a thin wall (optical depth 5) at the return
  // (distance 5), and the same wall at 3 in front of it.
  Returns r;
  for (float wall : {5.0f, 3.0f}) {
    for (int k = 0; k < 400; ++k) {
      const float t = 0.02f * (float(k) + 0.5f);
      r.t.push_back(t);
      r.dt.push_back(0.02f);
      r.sigma.push_back(std::abs(t - wall) < 0.05f ? 50.0f : 0.0f);
    }
    r.offsets.push_back(std::int32_t(r.t.size()));
    r.ranges.push_back(5.0f);
  }
  std::vector<float> d_sigma, d_rgb;
  const LidarTermValues both = terms(r, {1.0f, 1.0f, 80.0f, 0.5f}, d_sigma, d_rgb);
  LidarTermValues right;
  Returns first = r;
  first.offsets.resize(2);
  first.ranges.resize(1);
  reference(first, {1.0f, 1.0f, 80.0f, 0.5f}, right);
  std::printf("wall at the return: depth term %.3g, line of sight %.3g; both rays: %.3g, %.3g\n",
              right.depth, right.line_of_sight, both.depth, both.line_of_sight);
  // The wall at the return: depth right to within its thickness.
  EXPECT_LT(right.depth, 1e-6);
  // The wall in front: both terms larger, and descent thins it (positive gradient on its
  // samples) while it asks for density behind (negative gradient near the return).
  EXPECT_GT(2.0 * both.depth - right.depth, 100 * right.depth);
  EXPECT_GT(2.0 * both.line_of_sight - right.line_of_sight, right.line_of_sight);
  for (std::size_t wall = 400 + 148; wall < 400 + 152; ++wall) {
    EXPECT_GT(d_sigma[wall], 0.0f) << wall;
  }
  bool pulls_forward = false;
  for (std::size_t k = 400 + 200; k < 400 + 260; ++k) pulls_forward |= d_sigma[k] < 0.0f;
  EXPECT_TRUE(pulls_forward);
}

ADVECT_INSTANTIATE_PER_DEVICE(LidarSupervisionOnDevice);

TEST(LidarRays, SweepsBecomeUnitRaysAndTheBoxKeepsItsReturns) {
  radiance::LidarRays rays;
  const float origin[3] = {1.0f, 2.0f, 0.5f};
  // A return 5 units along (3, 4, 0), one at the origin (no direction), one far away.
  rays.add_sweep({4.0f, 6.0f, 0.5f, 1.0f, 2.0f, 0.5f, 1.0f, 2.0f, 60.5f}, origin, 0.25f, true);
  ASSERT_EQ(rays.size(), 2u);
  EXPECT_FLOAT_EQ(rays.ranges[0], 5.0f);
  EXPECT_FLOAT_EQ(rays.directions[0], 0.6f);
  EXPECT_FLOAT_EQ(rays.directions[1], 0.8f);
  EXPECT_FLOAT_EQ(rays.directions[2], 0.0f);
  EXPECT_EQ(rays.times, (std::vector<float>{0.25f, 0.25f}));
  EXPECT_EQ(rays.origins[3], 1.0f);
  radiance::SceneBox box;
  for (int a = 0; a < 3; ++a) {
    box.lower[a] = -10.0f;
    box.upper[a] = 10.0f;
  }
  const radiance::LidarRays kept = rays.inside(box, 80.0f);  // the far return leaves the box
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_FLOAT_EQ(kept.ranges[0], 5.0f);
  EXPECT_EQ(kept.times.size(), 1u);
  EXPECT_EQ(rays.inside(box, 4.0f).size(), 0u);  // nearer than max_range only
}

TEST(LidarLoss, ScheduleFollowsEmerNeRFsAndBadSettingsAreRefused) {
  const radiance::LidarLoss loss;  // line of sight from 8 %, halved every 20 % after
  EXPECT_EQ(loss.sight_weight(0.05), 0.0f);
  EXPECT_FLOAT_EQ(loss.sight_weight(0.08), 0.1f);
  EXPECT_FLOAT_EQ(loss.sight_weight(0.30), 0.05f);
  EXPECT_FLOAT_EQ(loss.sight_weight(0.99), 0.00625f);
  EXPECT_FLOAT_EQ(loss.epsilon(0.0), 6.0f);
  EXPECT_FLOAT_EQ(loss.epsilon(0.54), 4.25f);
  EXPECT_FLOAT_EQ(loss.epsilon(1.0), 2.5f);
  const auto parsed = radiance::LidarLoss::from_json(
      nlohmann::json::parse(R"({"depth": 0.5, "epsilon": [1.0, 0.25], "rays_share": 1})"));
  EXPECT_EQ(parsed.depth, 0.5f);
  EXPECT_EQ(parsed.epsilon_end, 0.25f);
  EXPECT_EQ(radiance::LidarLoss::from_json(parsed.to_json()).to_json(), parsed.to_json());
  for (const char* bad :
       {R"({"depht": 1})", R"({"epsilon": [1]})", R"({"depth": -1})", R"({"max_range": 0})",
        R"({"start": 1})", R"({"epsilon": "x"})", R"([1, 2])"}) {
    EXPECT_THROW(radiance::LidarLoss::from_json(nlohmann::json::parse(bad)), std::invalid_argument)
        << bad;
  }
}

}  // namespace
}  // namespace advect::testing
