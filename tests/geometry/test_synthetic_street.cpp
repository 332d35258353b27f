// The synthetic street's harder sensor: occlusion leaves only what the sensor can see (checked by
// face orientation and by marching along the sight lines, not by the generator's slab test), the
// density falls with range as asked, and objects come into range and leave it.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "advect/geometry/SyntheticStreet.h"

namespace advect::testing {
namespace {

using geometry::StreetOptions;
using geometry::SyntheticStreet;

// Body-frame coordinates of a world point on moving box b at time t.
std::array<double, 3> in_body(const StreetOptions& o, std::size_t b, double t, const float* world) {
  const geometry::RigidTransform to_body =
      geometry::inverse(SyntheticStreet::box_pose(o.boxes[b], t));
  float local[3];
  to_body.apply(world, local);
  return {local[0], local[1], local[2]};
}

struct Sight {
  double turned_away = 0.0;  // share of moving-box points on faces turned away from the sensor
  double through_box = 0.0;  // share of sampled points whose sight line crosses a moving box
};

Sight look(const StreetOptions& o) {
  const SyntheticStreet street(o);
  const geometry::StreetSweep s = street.sweep(2);
  const double* sensor = s.pose.translation;
  std::size_t box_points = 0, away = 0, marched = 0, blocked = 0;
  std::mt19937 rng(3);
  for (std::size_t i = 0; i < s.source.size(); ++i) {
    float world[3];
    s.pose.apply(&s.points[3 * i], world);
    if (s.source[i] >= 0) {
      // The face the point lies on, and whether its outward normal faces the sensor.
      const auto b = std::size_t(s.source[i]);
      const auto local = in_body(o, b, s.time, world);
      const float eye[3] = {float(sensor[0]), float(sensor[1]), float(sensor[2])};
      const auto viewer = in_body(o, b, s.time, eye);
      int axis = 0;
      double best = 1e9;
      for (int d = 0; d < 3; ++d) {
        const double gap = std::abs(std::abs(local[std::size_t(d)]) - 0.5 * o.boxes[b].size[d]);
        if (gap < best) {
          best = gap;
          axis = d;
        }
      }
      const double side = local[std::size_t(axis)] > 0 ? 1.0 : -1.0;
      // Edge-on faces (a roof at the sensor's height) and points within 3 cm of a face's edge
      // are neither: the generator's solids are shrunk by a centimetre.
      bool inside_edges = true;
      for (int d = 0; d < 3; ++d) {
        if (d != axis)
          inside_edges &= std::abs(local[std::size_t(d)]) < 0.5 * o.boxes[b].size[d] - 0.03;
      }
      away += inside_edges && side * (viewer[std::size_t(axis)] - local[std::size_t(axis)]) < -0.01;
      ++box_points;
    }
    if (rng() % 8 != 0) continue;
    // March along the sight line in 2 cm steps, stopping 5 cm short of the point.
    ++marched;
    const double length =
        std::hypot(world[0] - sensor[0], world[1] - sensor[1], world[2] - sensor[2]);
    bool hit = false;
    for (double d = 0.0; d < length - 0.05 && !hit; d += 0.02) {
      float at[3];
      for (int k = 0; k < 3; ++k) at[k] = float(sensor[k] + (world[k] - sensor[k]) * d / length);
      for (std::size_t b = 0; b < o.boxes.size() && !hit; ++b) {
        const auto local = in_body(o, b, s.time, at);
        hit = std::abs(local[0]) < 0.5 * o.boxes[b].size[0] - 0.03 &&
              std::abs(local[1]) < 0.5 * o.boxes[b].size[1] - 0.03 &&
              std::abs(local[2]) < 0.5 * o.boxes[b].size[2] - 0.03;
      }
    }
    blocked += hit;
  }
  return {double(away) / double(box_points), double(blocked) / double(marched)};
}

TEST(SyntheticStreet, OcclusionLeavesWhatTheSensorSees) {
  StreetOptions o;
  o.ground = true;
  const Sight open = look(o);
  o.occlusion = true;
  const Sight occluded = look(o);
  std::printf(
      "faces turned away: %.3f open, %.3f occluded; sight lines through a box: %.4f open, "
      "%.4f occluded\n",
      open.turned_away, occluded.turned_away, open.through_box, occluded.through_box);
  EXPECT_GT(open.turned_away, 0.2);
  EXPECT_EQ(occluded.turned_away, 0.0);
  EXPECT_GT(open.through_box, 0.0);
  EXPECT_EQ(occluded.through_box, 0.0);
}

TEST(SyntheticStreet, DensityFallsWithTheSquareOfRange) {
  StreetOptions o;
  o.boxes.clear();
  o.reference_range = 10.0;
  o.ground_density = 20.0;
  const geometry::StreetSweep s = SyntheticStreet(o).sweep(0);
  double near = 0, far = 0;
  for (std::size_t i = 0; i < s.source.size(); ++i) {
    const float* p = &s.points[3 * i];
    if (std::abs(p[2] + o.sensor_height) > 1e-3) continue;  // ground points only
    const double r = std::hypot(p[0], p[1]);
    near += r >= 5.0 && r < 10.0;
    far += r >= 20.0 && r < 40.0;
  }
  // Expected per unit density: pi (10^2 - 5^2) within 10 m, and 2 pi 10^2 ln 2 from 20 to 40 m.
  const double expected = (200.0 * std::numbers::pi * std::log(2.0)) / (75.0 * std::numbers::pi);
  std::printf("ground points 20-40 m over 5-10 m: %.3f (expected %.3f)\n", far / near, expected);
  EXPECT_NEAR(far / near, expected, 0.06 * expected);
  o.reference_range = -1.0;
  EXPECT_THROW(SyntheticStreet{o}, std::invalid_argument);
}

TEST(SyntheticStreet, TheHarderStreetHasObjectsComingAndGoing) {
  const StreetOptions o = StreetOptions::harder(16);
  const SyntheticStreet street(o);
  const auto points_of = [&](int sweep, std::int32_t box) {
    const geometry::StreetSweep s = street.sweep(sweep);
    return std::count(s.source.begin(), s.source.end(), box);
  };
  const auto coming = std::int32_t(o.boxes.size() - 3), going = coming + 1;
  EXPECT_EQ(points_of(0, coming), 0);
  EXPECT_GT(points_of(15, coming), 50);
  EXPECT_GT(points_of(0, going), 50);
  EXPECT_EQ(points_of(15, going), 0);
}

}  // namespace
}  // namespace advect::testing
