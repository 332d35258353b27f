// The synthetic scenes' truth against geometry worked out by hand: depths of the ground and of a
// sphere, the flow of a translating box and of the pulsing sphere, optical flow that carries a
// pixel to where the next camera sees the same point, and lidar flow.
#include <gtest/gtest.h>

#include <cmath>

#include "advect/radiance/SceneRendering.h"
#include "support/PerDevice.h"

namespace advect::testing {
namespace {

using radiance::RayHit;

class SyntheticSceneOnDevice : public PerDevice {};

TEST_P(SyntheticSceneOnDevice, DepthsAndFlowsMatchTheGeometry) {
  radiance::SceneDescription scene;
  scene.object_count = 2;
  radiance::SceneObject& box = scene.objects[0];
  box.shape = radiance::ShapeKind::box;
  box.centre[0] = 5.0f, box.centre[2] = 1.0f;
  box.velocity[0] = 2.0f, box.velocity[1] = -0.5f;
  radiance::SceneObject& blob = scene.objects[1];
  blob.centre[1] = 6.0f, blob.centre[2] = 2.0f;
  blob.half_size[0] = 0.5f;
  blob.pulse = 0.2f;
  blob.pulse_period = 4.0f;
  // Rays: straight down onto the ground from height 3; 30 degrees off vertical; along +x into
  // the box; along +y into the sphere; up into the sky.
  const float s30 = 0.5f, c30 = std::sqrt(3.0f) / 2.0f;
  const std::vector<float> origins = {-5, -5, 3, -5, -5, 3, 0, 0, 1, 0, 0, 2, 0, 0, 1};
  const std::vector<float> directions = {0, 0, -1, s30, 0, -c30, 1, 0, 0, 0, 1, 0, 0, 0, 1};
  const float t = 1.0f, dt = 0.1f;
  const std::vector<RayHit> hits = radiance::cast_rays(scene, origins, directions, t, dt, device());
  EXPECT_EQ(hits[0].id, 1);
  EXPECT_NEAR(hits[0].depth, 3.0f, 1e-5f);
  EXPECT_NEAR(hits[1].depth, 3.0f / c30, 1e-5f);
  EXPECT_EQ(hits[1].flow_next[0], 0.0f);  // the ground does not move
  // At t = 1 the box is centred at (7, -0.5, 1): the ray y = 0 meets its face x = 6.
  EXPECT_EQ(hits[2].id, 2);
  EXPECT_NEAR(hits[2].depth, 6.0f, 1e-5f);
  EXPECT_NEAR(hits[2].flow_next[0], 2.0f * dt, 1e-5f);
  EXPECT_NEAR(hits[2].flow_next[1], -0.5f * dt, 1e-5f);
  EXPECT_NEAR(hits[2].flow_prev[0], -2.0f * dt, 1e-5f);
  // The sphere's radius at time t is 0.5 (1 + 0.2 sin(2 pi t / 4)); its surface moves radially.
  const auto radius = [&](float time) {
    return 0.5f * (1.0f + 0.2f * std::sin(6.2831853f * time / 4.0f));
  };
  EXPECT_EQ(hits[3].id, 3);
  EXPECT_NEAR(hits[3].depth, 6.0f - radius(t), 1e-5f);
  EXPECT_NEAR(hits[3].flow_next[1], -(radius(t + dt) - radius(t)), 1e-5f);
  EXPECT_NEAR(hits[3].flow_next[0], 0.0f, 1e-6f);
  EXPECT_EQ(hits[4].id, 0);  // sky
  EXPECT_EQ(hits[4].depth, 0.0f);
}

TEST_P(SyntheticSceneOnDevice, OpticalFlowLeadsToTheSamePointInTheNextView) {
  radiance::SceneRenderOptions options;
  options.width = options.height = 24;
  options.cameras = 2;
  options.steps = 2;
  options.rig_rate = 0.5f;  // the rig turns: the ground moves in the image too
  const radiance::SceneRendering r =
      radiance::render_scene(radiance::default_scene(true), options, device());
  ASSERT_EQ(r.frames.size(), 4u);
  const radiance::RenderedFrame& now = r.frames[0];
  const radiance::RenderedFrame& next = r.frames[2];  // same camera, next step
  ASSERT_EQ(next.camera, 0);
  int checked = 0;
  for (int y = 0; y < 24; ++y) {
    for (int x = 0; x < 24; ++x) {
      const std::size_t p = std::size_t(y * 24 + x);
      if (now.id[p] == 0) continue;
      const float u = float(x) + 0.5f + now.optical_flow[2 * p];
      const float v = float(y) + 0.5f + now.optical_flow[2 * p + 1];
      if (u < 0 || v < 0 || u >= 24 || v >= 24) continue;
      float o[3], d[3];
      next.pose.ray(u, v, o, d);
      const std::vector<RayHit> seen = radiance::cast_rays(
          r.scene, {o[0], o[1], o[2]}, {d[0], d[1], d[2]}, next.time, options.frame_time, device());
      if (seen[0].id != now.id[p]) continue;  // occluded in the next view
      float moved[3], error = 0;
      const float depth = now.depth[p];
      now.pose.ray(float(x) + 0.5f, float(y) + 0.5f, o, d);
      for (int a = 0; a < 3; ++a) {
        moved[a] = o[a] + depth * d[a] + now.flow_next[3 * p + std::size_t(a)];
        error += std::pow(seen[0].point[a] - moved[a], 2.0f);
      }
      EXPECT_LT(std::sqrt(error), 2e-3f) << "pixel " << x << ", " << y;
      ++checked;
    }
  }
  EXPECT_GT(checked, 200);
  // Lidar: points of the box driving along x move by its velocity times the frame time.
  const radiance::LidarSweep& sweep = r.sweeps[0];
  int box_points = 0;
  for (std::size_t i = 0; i < sweep.id.size(); ++i) {
    if (sweep.id[i] != 2) continue;
    EXPECT_NEAR(sweep.flow_next[3 * i], 4.0f * options.frame_time, 1e-5f);
    ++box_points;
  }
  EXPECT_GT(box_points, 5);
}

ADVECT_INSTANTIATE_PER_DEVICE(SyntheticSceneOnDevice);

}  // namespace
}  // namespace advect::testing
