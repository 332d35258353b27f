#include "advect/radiance/SceneRendering.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace advect::radiance {

bool project(const PinholeCamera& camera, const float* x, float& u, float& v) {
  const float* m = camera.camera_to_world;
  const float d[3] = {x[0] - m[3], x[1] - m[7], x[2] - m[11]};
  float local[3];
  for (int c = 0; c < 3; ++c) local[c] = m[c] * d[0] + m[4 + c] * d[1] + m[8 + c] * d[2];
  if (local[2] >= 0.0f) return false;
  u = camera.fx * local[0] / -local[2] + camera.cx;
  v = -camera.fy * local[1] / -local[2] + camera.cy;
  return true;
}

namespace {

// A camera at `eye` looking at `target`, world z up (OpenGL axes: x right, y up, looking -z).
PinholeCamera look_at(const float* eye, const float* target, const SceneRenderOptions& o) {
  float back[3], right[3], up[3];
  float norm = 0.0f;
  for (int a = 0; a < 3; ++a) {
    back[a] = eye[a] - target[a];
    norm += back[a] * back[a];
  }
  for (float& b : back) b /= std::sqrt(norm);
  right[0] = -back[1];
  right[1] = back[0];
  right[2] = 0.0f;
  norm = std::hypot(right[0], right[1]);
  for (float& r : right) r /= norm;
  up[0] = back[1] * right[2] - back[2] * right[1];
  up[1] = back[2] * right[0] - back[0] * right[2];
  up[2] = back[0] * right[1] - back[1] * right[0];
  PinholeCamera camera;
  camera.width = o.width;
  camera.height = o.height;
  camera.fx = camera.fy = 0.5f * float(o.width) / std::tan(0.5f * o.fov_x);
  camera.cx = 0.5f * float(o.width);
  camera.cy = 0.5f * float(o.height);
  for (int r = 0; r < 3; ++r) {
    camera.camera_to_world[4 * r] = right[r];
    camera.camera_to_world[4 * r + 1] = up[r];
    camera.camera_to_world[4 * r + 2] = back[r];
    camera.camera_to_world[4 * r + 3] = eye[r];
  }
  return camera;
}

void rig_position(const SceneRenderOptions& o, int camera, float t, float* eye) {
  const float angle =
      o.rig_rate * t + 2.0f * std::numbers::pi_v<float> * float(camera) / float(o.cameras);
  eye[0] = o.look_at[0] + o.rig_radius * std::cos(angle);
  eye[1] = o.look_at[1] + o.rig_radius * std::sin(angle);
  eye[2] = o.rig_height;
}

RenderedFrame render_frame(const SceneDescription& scene, const SceneRenderOptions& o, int c,
                           int step, const Device& device) {
  RenderedFrame frame;
  frame.camera = c;
  frame.step = step;
  frame.time = float(step) * o.frame_time;
  float eye[3], next_eye[3];
  rig_position(o, c, frame.time, eye);
  rig_position(o, c, frame.time + o.frame_time, next_eye);
  frame.pose = look_at(eye, o.look_at, o);
  const PinholeCamera next_pose = look_at(next_eye, o.look_at, o);
  const std::size_t pixels = std::size_t(o.width) * std::size_t(o.height);
  std::vector<float> origins(3 * pixels), directions(3 * pixels);
  for (int y = 0; y < o.height; ++y) {
    for (int x = 0; x < o.width; ++x) {
      const std::size_t p = std::size_t(y) * std::size_t(o.width) + std::size_t(x);
      frame.pose.ray(float(x) + 0.5f, float(y) + 0.5f, &origins[3 * p], &directions[3 * p]);
    }
  }
  const std::vector<RayHit> hits =
      cast_rays(scene, origins, directions, frame.time, o.frame_time, device);
  // Colour and coverage average s x s rays spread over each pixel (a box filter, as a camera
  // integrates light over its pixels); the truth of depth, ids and flows is the centre ray's.
  const int s = o.supersample;
  std::vector<float> sub_origins(3 * pixels * std::size_t(s * s)),
      sub_directions(sub_origins.size());
  for (int y = 0; y < o.height; ++y) {
    for (int x = 0; x < o.width; ++x) {
      for (int k = 0; k < s * s; ++k) {
        const std::size_t r =
            (std::size_t(y) * std::size_t(o.width) + std::size_t(x)) * std::size_t(s * s) +
            std::size_t(k);
        frame.pose.ray(float(x) + (float(k % s) + 0.5f) / float(s),
                       float(y) + (float(k / s) + 0.5f) / float(s), &sub_origins[3 * r],
                       &sub_directions[3 * r]);
      }
    }
  }
  const std::vector<RayHit> sub =
      cast_rays(scene, sub_origins, sub_directions, frame.time, o.frame_time, device);
  frame.rgb.assign(3 * pixels, 0.0f);
  frame.alpha.assign(pixels, 0.0f);
  for (std::size_t r = 0; r < sub.size(); ++r) {
    const std::size_t p = r / std::size_t(s * s);
    for (int a = 0; a < 3; ++a) frame.rgb[3 * p + std::size_t(a)] += sub[r].rgb[a] / float(s * s);
    frame.alpha[p] += sub[r].id != 0 ? 1.0f / float(s * s) : 0.0f;
  }
  frame.depth.resize(pixels);
  frame.id.resize(pixels);
  frame.flow_next.resize(3 * pixels);
  frame.flow_prev.resize(3 * pixels);
  frame.optical_flow.assign(2 * pixels, 0.0f);
  for (std::size_t p = 0; p < pixels; ++p) {
    const RayHit& h = hits[p];
    frame.depth[p] = h.depth;
    frame.id[p] = std::uint8_t(h.id);
    for (int a = 0; a < 3; ++a) {
      frame.flow_next[3 * p + std::size_t(a)] = h.flow_next[a];
      frame.flow_prev[3 * p + std::size_t(a)] = h.flow_prev[a];
    }
    float moved[3], u, v;
    for (int a = 0; a < 3; ++a) moved[a] = h.point[a] + h.flow_next[a];
    if (h.id != 0 && project(next_pose, moved, u, v)) {
      frame.optical_flow[2 * p] = u - (float(p % std::size_t(o.width)) + 0.5f);
      frame.optical_flow[2 * p + 1] = v - (float(p / std::size_t(o.width)) + 0.5f);
    }
  }
  return frame;
}

LidarSweep sweep(const SceneDescription& scene, const SceneRenderOptions& o, int step,
                 const Device& device) {
  LidarSweep s;
  s.step = step;
  s.time = float(step) * o.frame_time;
  rig_position(o, 0, s.time, s.origin);
  std::vector<float> origins, directions;
  const float pi = std::numbers::pi_v<float>;
  for (int r = 0; r < o.lidar_rows; ++r) {
    const float elevation =
        (-25.0f + 30.0f * float(r) / float(std::max(1, o.lidar_rows - 1))) * pi / 180.0f;
    for (int c = 0; c < o.lidar_columns; ++c) {
      const float azimuth = 2.0f * pi * float(c) / float(o.lidar_columns);
      origins.insert(origins.end(), s.origin, s.origin + 3);
      directions.insert(directions.end(),
                        {std::cos(elevation) * std::cos(azimuth),
                         std::cos(elevation) * std::sin(azimuth), std::sin(elevation)});
    }
  }
  for (const RayHit& h : cast_rays(scene, origins, directions, s.time, o.frame_time, device)) {
    if (h.id == 0) continue;  // no return from the sky
    s.points.insert(s.points.end(), h.point, h.point + 3);
    s.range.push_back(h.depth);
    s.id.push_back(std::uint8_t(h.id));
    s.flow_next.insert(s.flow_next.end(), h.flow_next, h.flow_next + 3);
  }
  return s;
}

}  // namespace

SceneRendering render_scene(const SceneDescription& scene, const SceneRenderOptions& options,
                            const Device& device) {
  const SceneRenderOptions& o = options;
  if (o.width < 8 || o.height < 8 || o.width > 8192 || o.height > 8192) {
    throw std::invalid_argument("scene image size must be 8 to 8192 pixels a side");
  }
  if (o.cameras < 1 || o.cameras > 256) throw std::invalid_argument("1 to 256 cameras");
  if (o.steps < 1 || o.steps > 10000) throw std::invalid_argument("1 to 10000 time steps");
  if (!(o.frame_time > 0.0f) || !(o.fov_x > 0.0f && o.fov_x < 3.0f) || !(o.rig_radius > 0.0f)) {
    throw std::invalid_argument("frame time, field of view and rig radius must be positive");
  }
  if (o.lidar_rows < 1 || o.lidar_columns < 1) throw std::invalid_argument("empty lidar");
  if (o.supersample < 1 || o.supersample > 16) throw std::invalid_argument("supersample 1 to 16");
  SceneRendering rendering{scene, options, {}, {}};
  for (int step = 0; step < o.steps; ++step) {
    for (int c = 0; c < o.cameras; ++c)
      rendering.frames.push_back(render_frame(scene, o, c, step, device));
    rendering.sweeps.push_back(sweep(scene, o, step, device));
  }
  return rendering;
}

}  // namespace advect::radiance
