// What a rendered dynamic view implies, against the engine's exact scene: a view whose depth,
// opacity, colour, dynamic share and flow are the scene's truth must give back optical_flow.npy's
// values (and with the scene flow left out only the static pixels still match), and surface
// points where the scene's ray caster hits, dynamic exactly on the movers.
#include <gtest/gtest.h>

#include <cmath>

#include "advect/engine/Device.h"
#include "advect/radiance/OpticalFlow.h"
#include "advect/radiance/SceneRendering.h"
#include "advect/radiance/SurfacePoints.h"
#include "advect/radiance/SyntheticScene.h"

namespace advect::testing {
namespace {

// A partly transparent rendering of a frame's truth over black: the functions must divide by
// the opacity.
radiance::DynamicRenderedImage rendering_of(const radiance::RenderedFrame& frame, float opacity) {
  radiance::DynamicRenderedImage image;
  image.width = frame.pose.width, image.height = frame.pose.height;
  const std::size_t pixels = frame.depth.size();
  image.opacity.assign(pixels, 0.0f);
  image.depth.assign(pixels, 0.0f);
  image.flow.assign(3 * pixels, 0.0f);
  image.rgb.assign(3 * pixels, 0.0f);
  image.dynamic_share.assign(pixels, 0.0f);
  for (std::size_t p = 0; p < pixels; ++p) {
    if (frame.id[p] == 0) continue;
    image.opacity[p] = opacity;
    image.depth[p] = opacity * frame.depth[p];
    for (std::size_t a = 0; a < 3; ++a) {
      image.flow[3 * p + a] = opacity * frame.flow_next[3 * p + a];
      image.rgb[3 * p + a] = opacity * frame.rgb[3 * p + a];
    }
    image.dynamic_share[p] = frame.id[p] >= 2 ? opacity : 0.0f;
  }
  return image;
}

radiance::SceneRendering two_steps() {
  radiance::SceneRenderOptions options;
  options.width = options.height = 32;
  options.cameras = 2;
  options.steps = 2;
  options.rig_rate = 0.5f;  // the camera moves too: the ground's pixels move
  return radiance::render_scene(radiance::default_scene(true), options, Device::cpu());
}

TEST(RenderedOpticalFlow, TheScenesTruthGivesBackItsOpticalFlow) {
  const radiance::SceneRendering r = two_steps();
  const radiance::RenderedFrame& now = r.frames[1];
  const radiance::RenderedFrame& next = r.frames[3];  // the same camera, one step on
  ASSERT_EQ(now.camera, next.camera);
  ASSERT_EQ(next.step, now.step + 1);
  const radiance::DynamicRenderedImage image = rendering_of(now, 0.8f);
  const std::vector<float> flow = radiance::rendered_optical_flow(image, now.pose, next.pose);
  const std::vector<float> ego =
      radiance::rendered_optical_flow(image, now.pose, next.pose, /*scene_flow=*/false);
  int movers = 0, ground = 0, moved_apart = 0;
  for (std::size_t p = 0; p < now.id.size(); ++p) {
    if (now.id[p] == 0) {
      EXPECT_TRUE(std::isnan(flow[2 * p])) << "sky pixel " << p;
      continue;
    }
    for (std::size_t a = 0; a < 2; ++a) {
      EXPECT_NEAR(flow[2 * p + a], now.optical_flow[2 * p + a], 2e-3f) << "pixel " << p;
    }
    const float ego_error = std::hypot(ego[2 * p] - now.optical_flow[2 * p],
                                       ego[2 * p + 1] - now.optical_flow[2 * p + 1]);
    if (now.id[p] == 1) {
      EXPECT_LT(ego_error, 2e-3f) << "ground pixel " << p;
      ++ground;
    } else if (std::hypot(now.flow_next[3 * p], now.flow_next[3 * p + 1]) > 0.1f) {
      moved_apart += ego_error > 0.1f;
      ++movers;
    }
  }
  EXPECT_GT(ground, 100);
  EXPECT_GT(movers, 10);
  EXPECT_EQ(moved_apart, movers);  // the camera's motion alone misses every mover
  // Below the opacity threshold nothing is predicted.
  const std::vector<float> faint =
      radiance::rendered_optical_flow(rendering_of(now, 0.4f), now.pose, next.pose);
  for (float v : faint) EXPECT_TRUE(std::isnan(v));
}

TEST(RenderedOpticalFlow, ErrorIsTheMeanEndPointDistanceOverScoredPixels) {
  const std::vector<float> truth = {0, 0, 1, 1, 2, 0, 5, 5};
  const std::vector<float> predicted = {3, 4, 1, 1, NAN, NAN, 0, 0};
  const radiance::OpticalFlowError all = radiance::optical_flow_error(predicted, truth, {});
  EXPECT_EQ(all.pixels, 3u);
  EXPECT_EQ(all.unscored, 1u);
  EXPECT_DOUBLE_EQ(all.epe(), (5.0 + 0.0 + std::sqrt(50.0)) / 3.0);
  const radiance::OpticalFlowError masked =
      radiance::optical_flow_error(predicted, truth, {1, 1, 1, 0});
  EXPECT_DOUBLE_EQ(masked.epe(), 2.5);
  EXPECT_THROW(radiance::optical_flow_error(predicted, {0, 0}, {}), std::invalid_argument);
}

TEST(SurfacePoints, LieWhereTheScenesRaysHitAndAreDynamicOnTheMovers) {
  const radiance::SceneRendering r = two_steps();
  const radiance::RenderedFrame& frame = r.frames[2];
  radiance::SurfacePoints points;
  radiance::append_surface_points(rendering_of(frame, 0.8f), frame.pose, points);
  std::vector<float> origins, directions;
  std::vector<std::size_t> pixel_of;
  for (std::size_t p = 0; p < frame.id.size(); ++p) {
    if (frame.id[p] == 0) continue;
    float o[3], d[3];
    frame.pose.ray(float(p % 32) + 0.5f, float(p / 32) + 0.5f, o, d);
    origins.insert(origins.end(), o, o + 3);
    directions.insert(directions.end(), d, d + 3);
    pixel_of.push_back(p);
  }
  const std::vector<radiance::RayHit> hits = radiance::cast_rays(
      r.scene, origins, directions, frame.time, r.options.frame_time, Device::cpu());
  ASSERT_EQ(points.size(), hits.size());  // one point per surface pixel, in pixel order
  int dynamic = 0;
  for (std::size_t i = 0; i < hits.size(); ++i) {
    const std::size_t p = pixel_of[i];
    for (std::size_t a = 0; a < 3; ++a) {
      EXPECT_NEAR(points.positions[3 * i + a], hits[i].point[a], 1e-4f) << "pixel " << p;
      EXPECT_NEAR(points.colours[3 * i + a], frame.rgb[3 * p + a], 1e-6f);
      EXPECT_NEAR(points.flow[3 * i + a], frame.flow_next[3 * p + a], 1e-6f);
    }
    EXPECT_FLOAT_EQ(points.dynamic_fraction[i], hits[i].id >= 2 ? 1.0f : 0.0f);
    dynamic += hits[i].id >= 2;
  }
  EXPECT_GT(dynamic, 10);
  radiance::PinholeCamera smaller = frame.pose;
  smaller.width = 16;
  EXPECT_THROW(radiance::append_surface_points(rendering_of(frame, 1.0f), smaller, points),
               std::invalid_argument);
}

}  // namespace
}  // namespace advect::testing
