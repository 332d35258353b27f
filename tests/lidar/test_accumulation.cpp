// The accumulation pipeline on a synthetic street, sweeps in their sensor frames: trajectories and
// crispness against the known motion, and poses recovered by io/'s ICP.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "advect/geometry/RigidTransform.h"
#include "advect/geometry/SyntheticStreet.h"
#include "advect/io/SweepRegistration.h"
#include "advect/lidar/Accumulation.h"

namespace advect::testing {
namespace {

// The street's sweeps in their sensor frames with the true sensor poses relative to the first
// sweep, as the pipeline's source (intensity = the sweep's index); `truth` gets the sweeps with
// their moving-box labels.
lidar::SweepSource street_source(const geometry::SyntheticStreet& street,
                                 std::vector<geometry::StreetSweep>& truth) {
  lidar::SweepSource source;
  const geometry::RigidTransform first_inverse = geometry::inverse(street.sweep(0).pose);
  for (int k = 0; k < street.options().sweeps; ++k) {
    truth.push_back(street.sweep(k));
    source.names.push_back("sweep " + std::to_string(k));
    source.times.push_back(truth.back().time);
    source.poses.push_back(geometry::compose(first_inverse, truth.back().pose));
  }
  source.read = [&truth](std::size_t k) {
    geometry::PointCloud cloud{truth[k].points, {}};
    cloud.scalars["intensity"] = std::vector<float>(cloud.size(), float(k));
    return cloud;
  };
  return source;
}

geometry::StreetOptions small_street() {
  geometry::StreetOptions options;
  options.sweeps = 5;
  options.ground = false;
  options.points_per_box = 1200;
  return options;
}

// Mean distance of the moving bodies' points from where the street's known motion puts them at the
// reference time: as carried by the run (`carried`), and as left by poses alone (`unmoved`).
// The run's world is the first sweep's sensor frame, the street's another.
struct ReferenceErrors {
  double carried = 0.0, unmoved = 0.0;
};
ReferenceErrors errors_at_reference(const geometry::SyntheticStreet& street,
                                    const std::vector<geometry::StreetSweep>& truth,
                                    const lidar::AccumulatedSequence& s) {
  const geometry::RigidTransform from_street = geometry::inverse(street.sweep(0).pose);
  const std::size_t reference = std::size_t(s.reference);
  ReferenceErrors e;
  std::int64_t moving = 0;
  for (std::size_t j = 0; j < truth.size(); ++j) {
    if (j == reference) continue;
    for (std::size_t i = 0; i < truth[j].source.size(); ++i) {
      if (truth[j].source[i] < 0) continue;
      float world[3], carried[3], expected[3];
      truth[j].pose.apply(&truth[j].points[3 * i], world);
      street.carry(truth[j].source[i], world, truth[j].time, truth[reference].time, carried);
      from_street.apply(carried, expected);
      const float* got = &s.carried.at_reference[j][3 * i];
      const float* before = &s.sweeps[j][3 * i];
      e.carried += std::hypot(got[0] - expected[0], got[1] - expected[1], got[2] - expected[2]);
      e.unmoved +=
          std::hypot(before[0] - expected[0], before[1] - expected[1], before[2] - expected[2]);
      ++moving;
    }
  }
  e.carried /= double(moving);
  e.unmoved /= double(moving);
  return e;
}

TEST(Accumulation, MovingObjectsLandOnTheirPositionAtTheReferenceTime) {
  const geometry::SyntheticStreet street(small_street());
  std::vector<geometry::StreetSweep> truth;
  const lidar::SweepSource source = street_source(street, truth);
  const lidar::AccumulatedSequence s = lidar::accumulate(source, {}, Device::cpu());
  ASSERT_EQ(s.reference, 2);

  const ReferenceErrors e = errors_at_reference(street, truth, s);
  std::printf(
      "moving points at the reference time: mean error %.3f m with estimated flow (fast), "
      "%.3f m pose only; crispness flow %.3f m, pose only %.3f m (%lld moving points)\n",
      e.carried, e.unmoved, s.crispness.flow_mean, s.crispness.static_mean,
      static_cast<long long>(s.crispness.moving_points));
  EXPECT_LT(e.carried, 0.5 * e.unmoved);
  EXPECT_LT(s.crispness.flow_mean, s.crispness.static_mean);
}

TEST(Accumulation, WithGivenExactFlowsMovingObjectsLandWithinCentimetres) {
  const geometry::SyntheticStreet street(small_street());
  std::vector<geometry::StreetSweep> truth;
  lidar::SweepSource source = street_source(street, truth);
  // The true world-frame flows, in the run's world (the first sweep's sensor frame).
  const geometry::RigidTransform from_street = geometry::inverse(street.sweep(0).pose);
  geometry::RigidTransform rotate_only = from_street;
  std::fill(rotate_only.translation, rotate_only.translation + 3, 0.0);
  std::vector<std::vector<float>> flows;
  for (std::size_t k = 0; k + 1 < truth.size(); ++k) {
    std::vector<float> flow;
    for (std::size_t i = 0; i < truth[k].source.size(); ++i) {
      float world[3], moved[3], step[3];
      truth[k].pose.apply(&truth[k].points[3 * i], world);
      street.carry(truth[k].source[i], world, truth[k].time, truth[k + 1].time, moved);
      const float d[3] = {moved[0] - world[0], moved[1] - world[1], moved[2] - world[2]};
      rotate_only.apply(d, step);
      flow.insert(flow.end(), step, step + 3);
    }
    flows.push_back(std::move(flow));
  }
  source.read_flow = [&flows](std::size_t k, std::size_t) { return flows[k]; };
  lidar::AccumulationOptions options;
  const lidar::AccumulatedSequence s = lidar::accumulate(source, options, Device::cpu());
  const double error = errors_at_reference(street, truth, s).carried;
  ASSERT_EQ(s.intensity.size(), truth.size());
  for (std::size_t j = 0; j < truth.size(); ++j) {
    EXPECT_EQ(s.intensity[j], std::vector<float>(truth[j].source.size(), float(j)));
  }

  // The same in the reference sweep's sensor frame: its own points come back as in its file.
  options.in_reference_frame = true;
  const lidar::AccumulatedSequence local = lidar::accumulate(source, options, Device::cpu());
  const std::vector<float>& reference_points = local.carried.at_reference[2];
  ASSERT_EQ(reference_points.size(), truth[2].points.size());
  double worst = 0.0;
  for (std::size_t i = 0; i < reference_points.size(); ++i) {
    worst = std::max(worst, double(std::abs(reference_points[i] - truth[2].points[i])));
  }
  EXPECT_LT(worst, 1e-4);
  std::printf(
      "given exact flows: mean error of moving points %.4f m; crispness flow %.3f m, "
      "pose only %.3f m\n",
      error, s.crispness.flow_mean, s.crispness.static_mean);
  EXPECT_LT(error, 0.01);
  EXPECT_LT(s.crispness.flow_mean, 0.5 * s.crispness.static_mean);
}

TEST(Accumulation, RecoversTheSensorPosesByIcpWhenNoneAreGiven) {
  const geometry::SyntheticStreet street([] {
    geometry::StreetOptions options = small_street();
    options.ground = true;  // the ground holds the sensor's height and tilt
    return options;
  }());
  std::vector<geometry::StreetSweep> sweeps;
  lidar::SweepSource source = street_source(street, sweeps);
  const std::vector<geometry::RigidTransform> truth = source.poses;
  source.poses.clear();
  for (const bool generalized : {false, true}) {
    const char* method = generalized ? "gicp" : "point-to-plane";
    io::RegistrationOptions registration_options;
    registration_options.generalized = generalized;
    io::SweepRegistration registration(registration_options);
    source.register_sweep = [&](const std::vector<float>& points) {
      return registration.add(points);
    };
    lidar::AccumulationOptions options;
    options.flow.max_iterations = 1;  // only the poses matter here
    const lidar::AccumulatedSequence s = lidar::accumulate(source, options, Device::cpu());
    ASSERT_EQ(s.poses.size(), truth.size());
    double worst_translation = 0.0, worst_rotation = 0.0;
    for (std::size_t k = 0; k < truth.size(); ++k) {
      for (int r = 0; r < 3; ++r) {
        worst_translation = std::max(worst_translation,
                                     std::abs(s.poses[k].translation[r] - truth[k].translation[r]));
        for (int c = 0; c < 3; ++c) {
          worst_rotation = std::max(worst_rotation, std::abs(s.poses[k].rotation[3 * r + c] -
                                                             truth[k].rotation[3 * r + c]));
        }
      }
    }
    std::printf(
        "%s poses over %zu sweeps (sensor at 6 m/s): worst translation error %.4f m, "
        "worst rotation entry error %.5f\n",
        method, truth.size(), worst_translation, worst_rotation);
    EXPECT_LT(worst_translation, 0.05) << method;
    EXPECT_LT(worst_rotation, 0.002) << method;
  }
}

}  // namespace
}  // namespace advect::testing
