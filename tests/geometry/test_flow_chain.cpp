// Sweeps carried to a reference time through their flows, against the known motion of a
// synthetic street (exact flows in, so what is measured is the interpolation and integration).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "advect/geometry/FlowChain.h"
#include "advect/geometry/SweepMotionField.h"
#include "advect/geometry/SyntheticStreet.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

using geometry::SyntheticStreet;

// World-frame sweeps of a street without ground, their true flows and the source of each point.
struct KnownSequence {
  std::vector<std::vector<float>> sweeps, flows;
  std::vector<std::vector<std::int32_t>> sources;
  std::vector<double> times;
};

KnownSequence known_sequence(const SyntheticStreet& street) {
  KnownSequence out;
  const int count = street.options().sweeps;
  for (int k = 0; k < count; ++k) {
    geometry::StreetSweep sweep = street.sweep(k);
    geometry::transform_points(sweep.pose, sweep.points.data(),
                               std::int64_t(sweep.points.size() / 3), Device::cpu());
    out.sweeps.push_back(std::move(sweep.points));
    out.sources.push_back(std::move(sweep.source));
    out.times.push_back(sweep.time);
  }
  for (int k = 0; k + 1 < count; ++k) {
    const auto& points = out.sweeps[std::size_t(k)];
    std::vector<float> flow(points.size());
    for (std::size_t i = 0; i < points.size() / 3; ++i) {
      float moved[3];
      street.carry(out.sources[std::size_t(k)][i], &points[3 * i], out.times[std::size_t(k)],
                   out.times[std::size_t(k) + 1], moved);
      for (int c = 0; c < 3; ++c)
        flow[3 * i + std::size_t(c)] = moved[c] - points[3 * i + std::size_t(c)];
    }
    out.flows.push_back(std::move(flow));
  }
  return out;
}

geometry::StreetOptions street_without_ground(int sweeps) {
  geometry::StreetOptions options;
  options.sweeps = sweeps;
  options.ground = false;
  options.points_per_box = 1500;
  return options;
}

double distance(const float* a, const float* b) {
  return std::sqrt(double(a[0] - b[0]) * (a[0] - b[0]) + double(a[1] - b[1]) * (a[1] - b[1]) +
                   double(a[2] - b[2]) * (a[2] - b[2]));
}

class SweepMotionFieldTest : public PerDevice {};

TEST_P(SweepMotionFieldTest, ReproducesTheDisplacementOfItsSamplesAndIsStillFarAway) {
  // Two separated clusters: one translating by d over 0.1 s, one still.
  std::vector<float> points, displacement;
  const float d[3] = {0.8f, -0.3f, 0.1f};
  for (int i = 0; i < 200; ++i) {
    const float p[3] = {float(i % 10) * 0.1f, float(i / 10 % 10) * 0.1f, float(i / 100) * 0.1f};
    const bool moving = i < 100;
    points.insert(points.end(), {p[0] + (moving ? 0.0f : 20.0f), p[1], p[2]});
    displacement.insert(displacement.end(),
                        {moving ? d[0] : 0.0f, moving ? d[1] : 0.0f, moving ? d[2] : 0.0f});
  }
  const geometry::SweepMotionField field(Buffer<float>::from_host(points, device()),
                                         Buffer<float>::from_host(displacement, device()), 1.0,
                                         1.1);
  // Queries: samples moved to s = 0.25, and a point 10 m from everything.
  std::vector<double> x;
  for (int i = 0; i < 200; ++i) {
    for (int c = 0; c < 3; ++c)
      x.push_back(points[std::size_t(3 * i + c)] + 0.25 * displacement[std::size_t(3 * i + c)]);
  }
  x.insert(x.end(), {10.0, 0.0, 0.0});
  const auto states = Buffer<double>::from_host(x, device());
  Buffer<double> v(x.size(), device());
  field.evaluate(1.025, states.data(), v.data(), 201, device());
  const std::vector<double> velocity = v.to_host();
  for (int i = 0; i < 200; ++i) {
    for (int c = 0; c < 3; ++c) {
      const double expected = i < 100 ? d[c] / 0.1 : 0.0;
      ASSERT_NEAR(velocity[std::size_t(3 * i + c)], expected, 1e-4) << "point " << i;
    }
  }
  for (int c = 0; c < 3; ++c) EXPECT_EQ(velocity[std::size_t(600 + c)], 0.0);
}

ADVECT_INSTANTIATE_PER_DEVICE(SweepMotionFieldTest);

class FlowChainTest : public PerDevice {};

TEST_P(FlowChainTest, CarriesEverySweepToTheReferenceTimeOfTheKnownMotion) {
  const SyntheticStreet street(street_without_ground(7));
  const KnownSequence known = known_sequence(street);
  const int reference = 3;
  geometry::CarryOptions options;
  for (const auto& sweep : known.sweeps) {
    std::vector<std::int64_t> all(sweep.size() / 3);
    std::iota(all.begin(), all.end(), 0);
    options.traced.push_back(std::move(all));
  }
  const geometry::CarriedSweeps carried = geometry::carry_to_reference(
      known.sweeps, known.flows, known.times, reference, options, device());

  double flow_error = 0.0, static_error = 0.0, worst = 0.0, path_worst = 0.0;
  std::int64_t moving = 0, static_moved = 0;
  for (int j = 0; j < 7; ++j) {
    const auto& points = known.sweeps[std::size_t(j)];
    const std::size_t steps = std::size_t(std::abs(j - reference) + 1);
    for (std::size_t i = 0; i < points.size() / 3; ++i) {
      const std::int32_t source = known.sources[std::size_t(j)][i];
      float truth[3];
      street.carry(source, &points[3 * i], known.times[std::size_t(j)],
                   known.times[std::size_t(reference)], truth);
      const double error = distance(&carried.at_reference[std::size_t(j)][3 * i], truth);
      if (source < 0) {
        static_moved += error > 1e-3;
        continue;
      }
      ++moving;
      flow_error += error;
      static_error += distance(&points[3 * i], truth);
      worst = std::max(worst, error);
      // The path passes the truth at every sweep time in between.
      for (std::size_t step = 0; step < steps; ++step) {
        const int k = j + (reference > j ? 1 : -1) * int(step);
        street.carry(source, &points[3 * i], known.times[std::size_t(j)],
                     known.times[std::size_t(k)], truth);
        path_worst = std::max(
            path_worst, distance(&carried.paths[std::size_t(j)][3 * (i * steps + step)], truth));
      }
    }
  }
  flow_error /= double(moving);
  static_error /= double(moving);
  // Exact flows at the samples: what remains is interpolation across a turning body between
  // sweeps; not moving the points at all would be off by the motion itself.
  std::printf(
      "moving points: mean error %.4f m (%.4f m unmoved), worst %.4f m, path worst %.4f m;"
      " static points moved > 1 mm: %lld\n",
      flow_error, static_error, worst, path_worst, static_cast<long long>(static_moved));
  EXPECT_EQ(static_moved, 0);
  EXPECT_LT(flow_error, 0.005) << "mean error of moving points, m";
  EXPECT_LT(worst, 0.05);
  EXPECT_LT(path_worst, 0.05);
  EXPECT_GT(static_error, 0.5);
  EXPECT_EQ(carried.at_reference[std::size_t(reference)], known.sweeps[std::size_t(reference)]);
}

TEST_P(FlowChainTest, GivesTheSpeedOfEverySweepIncludingTheLast) {
  const SyntheticStreet street(street_without_ground(3));
  const KnownSequence known = known_sequence(street);
  const auto speeds = geometry::sweep_speeds(known.sweeps, known.flows, known.times, {}, device());
  ASSERT_EQ(speeds.size(), 3u);
  for (std::size_t j = 0; j < 3; ++j) {
    double walker = 0.0, still = 0.0;
    int walkers = 0;
    for (std::size_t i = 0; i < speeds[j].size(); ++i) {
      const std::int32_t source = known.sources[j][i];
      if (source == 3) {
        walker += speeds[j][i];
        ++walkers;
      } else if (source < 0) {
        still = std::max(still, double(speeds[j][i]));
      }
    }
    EXPECT_NEAR(walker / walkers, 1.4, 0.02) << "sweep " << j;  // the walker's speed, m/s
    EXPECT_EQ(still, 0.0);
  }
}

TEST(FlowChain, RejectsInconsistentInputs) {
  const std::vector<std::vector<float>> sweeps = {{0, 0, 0}, {1, 0, 0}};
  const std::vector<std::vector<float>> flows = {{1, 0, 0}};
  const std::vector<double> times = {0.0, 0.1}, backwards = {0.1, 0.0};
  const geometry::CarryOptions options;
  EXPECT_THROW(geometry::carry_to_reference(sweeps, flows, backwards, 0, options, Device::cpu()),
               std::invalid_argument);
  EXPECT_THROW(geometry::carry_to_reference(sweeps, flows, times, 2, options, Device::cpu()),
               std::invalid_argument);
  EXPECT_THROW(geometry::carry_to_reference(sweeps, {}, times, 0, options, Device::cpu()),
               std::invalid_argument);
}

ADVECT_INSTANTIATE_PER_DEVICE(FlowChainTest);

}  // namespace
}  // namespace advect::testing
