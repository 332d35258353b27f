// The constant-velocity motion model (a planar twist) against its defining velocity field,
// integrated numerically, and the multi-sweep fit against objects moved by known velocities.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "advect/engine/Buffer.h"
#include "advect/geometry/GroupVelocity.h"
#include "advect/geometry/NeighbourGrid.h"
#include "support/BoxSurface.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

using geometry::UprightVelocity;

UprightVelocity turning() {
  UprightVelocity v;
  v.centre = {3.0, -2.0, 0.7};
  v.velocity = {1.1, 0.3, 0.02};
  v.yaw_rate = 0.08;
  return v;
}

// x(s) of dx/ds = u + w e_z x (x - c), by classical RK4 with 2000 steps.
std::array<double, 3> integrate(const UprightVelocity& v, std::array<double, 3> x, double s) {
  const auto field = [&](const std::array<double, 3>& p) {
    return std::array<double, 3>{v.velocity[0] - v.yaw_rate * (p[1] - v.centre[1]),
                                 v.velocity[1] + v.yaw_rate * (p[0] - v.centre[0]), v.velocity[2]};
  };
  const int steps = 2000;
  const double h = s / steps;
  for (int i = 0; i < steps; ++i) {
    const auto shifted = [&](const std::array<double, 3>& k, double f) {
      return std::array<double, 3>{x[0] + f * k[0], x[1] + f * k[1], x[2] + f * k[2]};
    };
    const auto k1 = field(x), k2 = field(shifted(k1, h / 2)), k3 = field(shifted(k2, h / 2)),
               k4 = field(shifted(k3, h));
    for (int d = 0; d < 3; ++d)
      x[std::size_t(d)] += h / 6 *
                           (k1[std::size_t(d)] + 2 * k2[std::size_t(d)] + 2 * k3[std::size_t(d)] +
                            k4[std::size_t(d)]);
  }
  return x;
}

TEST(UprightVelocity, AfterIsTheFlowOfItsVelocityField) {
  UprightVelocity straight = turning(), barely = turning();
  straight.yaw_rate = 0.0;
  barely.yaw_rate = 1e-6;  // the series branch of the twist
  for (const UprightVelocity& v : {turning(), straight, barely}) {
    for (const double s : {2.5, -1.5, 0.3}) {
      const std::array<double, 3> start = {5.5, -0.5, 1.2};
      const std::array<double, 3> truth = integrate(v, start, s);
      const geometry::RigidTransform t = v.after(s);
      for (int row = 0; row < 3; ++row) {
        double moved = t.translation[row];
        for (int k = 0; k < 3; ++k) moved += t.rotation[3 * row + k] * start[std::size_t(k)];
        EXPECT_NEAR(moved, truth[std::size_t(row)], 1e-9) << "s " << s << " yaw " << v.yaw_rate;
      }
    }
  }
}

TEST(UprightVelocity, ComposesInvertsAndComesBackFromAMotion) {
  const UprightVelocity v = turning();
  const auto m = [](const geometry::RigidTransform& t) { return t.matrix(); };
  const auto a = m(geometry::compose(v.after(1.5), v.after(-0.5))), b = m(v.after(1.0));
  const auto c = m(v.after(-2.0)), d = m(geometry::inverse(v.after(2.0)));
  for (std::size_t k = 0; k < 16; ++k) {
    EXPECT_NEAR(a[k], b[k], 1e-12);
    EXPECT_NEAR(c[k], d[k], 1e-12);
  }
  for (const double s : {1.0, -2.0, 3.0}) {
    const UprightVelocity back = UprightVelocity::from_motion(v.after(s), s, v.centre);
    for (std::size_t k = 0; k < 3; ++k) EXPECT_NEAR(back.velocity[k], v.velocity[k], 1e-12);
    EXPECT_NEAR(back.yaw_rate, v.yaw_rate, 1e-12);
  }
  EXPECT_THROW(UprightVelocity::from_motion(v.after(1.0), 0.0, v.centre), std::invalid_argument);
}

// Boxes moving with known velocities, sampled afresh (with noise) at the given steps.
struct Scene {
  std::vector<UprightVelocity> truths;
  std::vector<float> source;
  std::vector<std::int32_t> group;
  std::vector<std::vector<float>> targets;  // per step
};

Scene moving_boxes(const std::vector<UprightVelocity>& truths, const std::vector<double>& steps,
                   float noise, std::mt19937& rng) {
  Scene scene{truths, {}, {}, std::vector<std::vector<float>>(steps.size())};
  std::normal_distribution<float> jitter(0.0f, noise);
  const auto sample = [&](const UprightVelocity& v) {
    std::vector<float> p =
        box_surface(float(v.centre[0]), float(v.centre[1]), 4.5f, 1.9f, 1.5f, 900, rng);
    for (float& x : p) x += noise > 0 ? jitter(rng) : 0.0f;
    return p;
  };
  for (std::size_t g = 0; g < truths.size(); ++g) {
    const std::vector<float> at = sample(truths[g]);
    scene.source.insert(scene.source.end(), at.begin(), at.end());
    scene.group.insert(scene.group.end(), at.size() / 3, std::int32_t(g));
    for (std::size_t t = 0; t < steps.size(); ++t) {
      std::vector<float> later = sample(truths[g]);
      const geometry::RigidTransform motion = truths[g].after(steps[t]);
      for (std::size_t i = 0; i < later.size(); i += 3) {
        float moved[3];
        motion.apply(&later[i], moved);
        std::copy(moved, moved + 3, &later[i]);
      }
      scene.targets[t].insert(scene.targets[t].end(), later.begin(), later.end());
    }
  }
  return scene;
}

struct Targets {
  std::vector<geometry::NeighbourGrid> grids;
  std::vector<geometry::VelocityTarget> list;
};

Targets targets_of(const Scene& scene, const std::vector<double>& steps, const Device& device) {
  Targets out;
  for (const auto& points : scene.targets)
    out.grids.push_back(geometry::NeighbourGrid::from_host(points, device));
  for (std::size_t t = 0; t < steps.size(); ++t)
    out.list.push_back({&out.grids[t], scene.targets[t], steps[t]});
  return out;
}

class GroupVelocityOnDevice : public PerDevice {};

TEST_P(GroupVelocityOnDevice, FitRecoversEachObjectsVelocityOverAWindow) {
  std::mt19937 rng(5);
  UprightVelocity car = turning(), still, oncoming;
  still.centre = {-9.0, 6.0, 0.75};
  oncoming.centre = {12.0, 4.0, 0.75};
  oncoming.velocity = {-0.9, 0.05, 0.0};
  const std::vector<double> steps = {-2, -1, 1, 2};
  const Scene scene = moving_boxes({car, still, oncoming}, steps, 0.0f, rng);
  const Targets targets = targets_of(scene, steps, device());
  // Start near the truth, as the pair tests propose: 0.1 m per interval and 1 degree off.
  std::vector<UprightVelocity> initial = scene.truths;
  for (UprightVelocity& v : initial) {
    v.velocity[0] += 0.1;
    v.yaw_rate += 0.017;
  }
  geometry::IcpOptions options;
  options.iterations = 30;
  const std::vector<geometry::VelocityFit> fits =
      geometry::fit_group_velocities(scene.source, scene.group, initial, targets.list, options);
  ASSERT_EQ(fits.size(), 3u);
  for (std::size_t g = 0; g < 3; ++g) {
    const UprightVelocity& truth = scene.truths[g];
    // Resampling leaves millimetres of play per interval.
    EXPECT_NEAR(fits[g].velocity.velocity[0], truth.velocity[0], 0.01) << "object " << g;
    EXPECT_NEAR(fits[g].velocity.velocity[1], truth.velocity[1], 0.01) << "object " << g;
    EXPECT_NEAR(fits[g].velocity.yaw_rate, truth.yaw_rate, 0.003) << "object " << g;
    EXPECT_GT(fits[g].inlier_fraction, 0.95);
    EXPECT_EQ(fits[g].points, 900);
  }
  // Scoring only: standing still explains little of the moving car in the window (the ends of
  // its long side overlap one interval away).
  geometry::IcpOptions score = options;
  score.iterations = 0;
  std::vector<UprightVelocity> standing(3);
  for (std::size_t g = 0; g < 3; ++g) standing[g].centre = scene.truths[g].centre;
  const auto scored =
      geometry::fit_group_velocities(scene.source, scene.group, standing, targets.list, score);
  EXPECT_LT(scored[0].inlier_fraction, 0.3);
  EXPECT_GT(scored[1].inlier_fraction, 0.95);
  EXPECT_GT(scored[0].truncated, 4 * fits[0].truncated);

  EXPECT_THROW(geometry::fit_group_velocities(scene.source, scene.group, initial, {}, options),
               std::invalid_argument);
  std::vector<std::int32_t> bad = scene.group;
  bad[0] = 3;
  EXPECT_THROW(geometry::fit_group_velocities(scene.source, bad, initial, targets.list, options),
               std::invalid_argument);
}

TEST_P(GroupVelocityOnDevice, MoreSweepsAverageTheNoiseOfEach) {
  // Twenty cars with 3 cm sensor noise: the velocity fitted to the window's four sweeps against
  // the velocity fitted to the next sweep alone.
  std::mt19937 rng(11);
  std::vector<UprightVelocity> cars(20);
  std::uniform_real_distribution<double> speed(-1.2, 1.2);
  for (std::size_t g = 0; g < cars.size(); ++g) {
    cars[g].centre = {20.0 * double(g % 5), 12.0 * double(g / 5), 0.75};
    cars[g].velocity = {speed(rng), 0.2 * speed(rng), 0.0};
    cars[g].yaw_rate = 0.02 * speed(rng);
  }
  const std::vector<double> steps = {1, -1, 2, -2};
  const Scene scene = moving_boxes(cars, steps, 0.03f, rng);
  const Targets all = targets_of(scene, steps, device());
  geometry::IcpOptions options;
  options.iterations = 30;
  const auto error = [&](const std::vector<geometry::VelocityTarget>& targets) {
    const auto fits =
        geometry::fit_group_velocities(scene.source, scene.group, cars, targets, options);
    double sum = 0.0;
    for (std::size_t g = 0; g < cars.size(); ++g) {
      sum += std::hypot(fits[g].velocity.velocity[0] - cars[g].velocity[0],
                        fits[g].velocity.velocity[1] - cars[g].velocity[1]);
    }
    return sum / double(cars.size());
  };
  const double one = error({all.list[0]}), window = error(all.list);
  std::printf("velocity error with 3 cm noise: next sweep only %.4f m, window of four %.4f m\n",
              one, window);
  EXPECT_LT(window, 0.6 * one);
}

ADVECT_INSTANTIATE_PER_DEVICE(GroupVelocityOnDevice);

}  // namespace
}  // namespace advect::testing
