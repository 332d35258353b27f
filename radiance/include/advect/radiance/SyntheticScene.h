// Scenes with exact truth, rendered by ray casting analytic primitives: a textured ground plane
// (z = 0, z up), a sky gradient, boxes and spheres with checker textures moving rigidly on known
// trajectories (constant velocity and yaw rate) and one non-rigid object (a sphere whose radius
// pulses, so its surface moves radially). Cameras sit on a rig that may move; a spinning lidar
// rides on the same rig. Every quantity a radiance-field or scene-flow method could be measured
// against is exact: colour, depth, object masks, 3-D scene flow, 2-D optical flow and lidar flow.
//
// Units: world units (think metres), time in frames' units (step k is at time k * frame_time).
#pragma once

#include <cstdint>
#include <vector>

#include "advect/engine/Device.h"
#include "advect/radiance/Camera.h"

namespace advect::radiance {

inline constexpr int kMaxSceneObjects = 8;

enum class ShapeKind : std::int32_t { sphere = 0, box = 1 };

struct SceneObject {
  ShapeKind shape = ShapeKind::sphere;
  float centre[3] = {0, 0, 0};     // at time 0
  float half_size[3] = {1, 1, 1};  // box half extents; a sphere's radius is half_size[0]
  float yaw = 0;                   // about z at time 0, radians
  float velocity[3] = {0, 0, 0};   // world units per unit time
  float yaw_rate = 0;              // radians per unit time
  float pulse = 0;                 // non-rigid: radius scale 1 + pulse sin(2 pi t / period)
  float pulse_period = 1;
  float colour[3] = {0.8f, 0.2f, 0.2f}, colour2[3] = {0.9f, 0.9f, 0.9f};
  float checker = 0.5f;  // checker cell size, object units
};

struct SceneDescription {
  int object_count = 0;
  SceneObject objects[kMaxSceneObjects];
  float ground_colour[3] = {0.45f, 0.42f, 0.38f}, ground_colour2[3] = {0.25f, 0.3f, 0.22f};
  float ground_checker = 1.0f;  // world units
  float ground_radius = 12.0f;  // the ground is a disc of this radius (beyond: sky)
  float sky_horizon[3] = {0.85f, 0.88f, 0.95f}, sky_zenith[3] = {0.25f, 0.45f, 0.85f};
  float light[3] = {0.4f, 0.3f, 0.866f};  // unit direction towards the sun
};

// The default street: four moving objects (two boxes, a sphere rolling by, a pulsing sphere)
// around a static box, all within 6 units of the origin. `moving` = false freezes them.
SceneDescription default_scene(bool moving);

// What one cast ray sees at time t.
struct RayHit {
  float rgb[3];
  float depth;         // distance along the ray (0 for sky)
  std::int32_t id;     // 0 sky, 1 ground, 2 + k object k
  float point[3];      // world point hit (0 for sky)
  float flow_next[3];  // where that surface point is at t + dt, minus where it is now
  float flow_prev[3];  // the same for t - dt
};

// Casts rays (origins, directions: n x 3) into `scene` at time t; dt is the frame time for the
// flows. CPU and CUDA give the same values to rounding.
std::vector<RayHit> cast_rays(const SceneDescription& scene, const std::vector<float>& origins,
                              const std::vector<float>& directions, float t, float dt,
                              const Device& device);

}  // namespace advect::radiance
