// Renders a synthetic scene (SyntheticScene.h) from a camera rig over time steps, with a lidar on
// the rig: the data behind `advect radiance scene`.
//
// The rig circles the scene's centre (radius `rig_radius`, height `rig_height`) at `rig_rate`
// radians per unit time (0: a fixed rig). Its `cameras` cameras sit on that circle, evenly spaced
// from the rig's angle, and look at the point `look_at`; the lidar sits at camera 0's position.
#pragma once

#include <cstdint>
#include <vector>

#include "advect/radiance/SyntheticScene.h"

namespace advect::radiance {

struct SceneRenderOptions {
  int width = 64, height = 64;
  float fov_x = 0.9f;  // horizontal field of view, radians
  int cameras = 4;
  int steps = 1;            // time steps; step k is at time k * frame_time
  float frame_time = 0.1f;  // also the dt of the flows
  float rig_radius = 9.0f, rig_height = 3.0f, rig_rate = 0.0f;
  float look_at[3] = {0.0f, 0.0f, 0.6f};
  int lidar_rows = 16, lidar_columns = 360;  // elevations -25 to +5 degrees, full azimuth
  int supersample = 3;  // colour and coverage: the mean of supersample^2 rays per pixel
};

struct RenderedFrame {
  int camera = 0, step = 0;
  float time = 0;
  PinholeCamera pose;
  std::vector<float> rgb;           // height x width x 3 (the sky's colour included)
  std::vector<float> alpha;         // height x width: the fraction of the pixel not sky
  std::vector<float> depth;         // height x width, distance along the ray (0: sky)
  std::vector<std::uint8_t> id;     // height x width: 0 sky, 1 ground, 2 + k object k
  std::vector<float> flow_next;     // height x width x 3: scene flow to step + 1
  std::vector<float> flow_prev;     // height x width x 3: scene flow to step - 1
  std::vector<float> optical_flow;  // height x width x 2: pixel motion to step + 1 (0 on sky)
};

struct LidarSweep {
  int step = 0;
  float time = 0;
  float origin[3];
  std::vector<float> points;     // returns x 3, world frame
  std::vector<float> range;      // returns
  std::vector<std::uint8_t> id;  // returns: 1 ground, 2 + k object k
  std::vector<float> flow_next;  // returns x 3: each point's motion to step + 1 (exact)
};

struct SceneRendering {
  SceneDescription scene;
  SceneRenderOptions options;
  std::vector<RenderedFrame> frames;  // step-major: step 0 cameras 0..C-1, step 1, ...
  std::vector<LidarSweep> sweeps;     // one per step
};

// Throws std::invalid_argument on options out of range.
SceneRendering render_scene(const SceneDescription& scene, const SceneRenderOptions& options,
                            const Device& device);

// Pixel coordinates of world point x in `camera` (false when behind it).
bool project(const PinholeCamera& camera, const float* x, float& u, float& v);

}  // namespace advect::radiance
