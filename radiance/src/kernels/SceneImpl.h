// One body for SceneKernels on both backends: the ray caster of the synthetic scenes.
#pragma once

#include <cmath>

#include "advect/engine/ParallelFor.h"
#include "kernels/SceneKernels.h"

namespace advect::radiance {
inline namespace ADVECT_BACKEND {

// An object's pose at time t: centre, yaw about z and uniform scale (the pulse).
struct Pose {
  float centre[3], cos_yaw, sin_yaw, scale;

  ADVECT_HD Pose(const SceneObject& o, float t) {
    for (int a = 0; a < 3; ++a) centre[a] = o.centre[a] + o.velocity[a] * t;
    const float yaw = o.yaw + o.yaw_rate * t;
    cos_yaw = cosf(yaw);
    sin_yaw = sinf(yaw);
    scale = 1.0f + o.pulse * sinf(6.2831853f * t / o.pulse_period);
  }
  // World -> object coordinates (a direction when `point` is false: no centre, no scale).
  ADVECT_HD void to_object(const float* w, float* q, bool point) const {
    const float x = point ? w[0] - centre[0] : w[0], y = point ? w[1] - centre[1] : w[1];
    const float z = point ? w[2] - centre[2] : w[2];
    const float s = point ? 1.0f / scale : 1.0f;
    q[0] = s * (cos_yaw * x + sin_yaw * y);
    q[1] = s * (-sin_yaw * x + cos_yaw * y);
    q[2] = s * z;
  }
  ADVECT_HD void to_world(const float* q, float* w, bool point) const {
    const float s = point ? scale : 1.0f;
    w[0] = s * (cos_yaw * q[0] - sin_yaw * q[1]) + (point ? centre[0] : 0.0f);
    w[1] = s * (sin_yaw * q[0] + cos_yaw * q[1]) + (point ? centre[1] : 0.0f);
    w[2] = s * q[2] + (point ? centre[2] : 0.0f);
  }
};

// Nearest positive hit of a ray (object frame, unit-scale object) with the shape; returns the
// distance in object units (or -1) and the object-frame normal.
ADVECT_HD inline float hit_shape(const SceneObject& o, const float* p, const float* d,
                                 float* normal) {
  if (o.shape == ShapeKind::sphere) {
    const float r = o.half_size[0];
    const float a = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    const float b = p[0] * d[0] + p[1] * d[1] + p[2] * d[2];
    const float c = p[0] * p[0] + p[1] * p[1] + p[2] * p[2] - r * r;
    const float disc = b * b - a * c;
    if (disc < 0.0f) return -1.0f;
    float s = (-b - sqrtf(disc)) / a;
    if (s <= 1e-4f) s = (-b + sqrtf(disc)) / a;
    if (s <= 1e-4f) return -1.0f;
    for (int k = 0; k < 3; ++k) normal[k] = (p[k] + s * d[k]) / r;
    return s;
  }
  float near = -3.0e38f, far = 3.0e38f;
  int axis = 0;
  for (int k = 0; k < 3; ++k) {
    const float inv = 1.0f / d[k];
    float t0 = (-o.half_size[k] - p[k]) * inv, t1 = (o.half_size[k] - p[k]) * inv;
    if (t0 > t1) {
      const float tmp = t0;
      t0 = t1;
      t1 = tmp;
    }
    if (t0 > near) {
      near = t0;
      axis = k;
    }
    if (t1 < far) far = t1;
  }
  if (!(near <= far) || near <= 1e-4f) return -1.0f;
  for (int k = 0; k < 3; ++k) normal[k] = 0.0f;
  normal[axis] = d[axis] > 0.0f ? -1.0f : 1.0f;
  return near;
}

// A checker of two colours with smooth detail a few cells across, so that every pixel has
// texture but none finer than the checker itself.
ADVECT_HD inline void texture(const float* q, float cell, const float* c1, const float* c2,
                              float* rgb) {
  const float u[3] = {q[0] / cell, q[1] / cell, q[2] / cell};
  const int parity = (int(floorf(u[0])) + int(floorf(u[1])) + int(floorf(u[2]))) & 1;
  const float detail = 0.08f * sinf(2.1f * u[0] + 0.7f * u[1]) * sinf(1.9f * u[1] - 0.9f * u[2]) +
                       0.05f * sinf(4.3f * u[0] - 3.1f * u[2]);
  for (int k = 0; k < 3; ++k) rgb[k] = (parity ? c1[k] : c2[k]) * (1.0f + detail);
}

struct CastRay {
  SceneDescription scene;
  const float* origins;
  const float* directions;
  float t, dt;
  RayHit* hits;

  ADVECT_HD void operator()(std::int64_t i) const {
    const float* o = origins + 3 * i;
    const float* d = directions + 3 * i;
    RayHit hit{};
    float best = 3.0e38f, normal[3] = {0, 0, 1}, albedo[3];
    int best_object = -1;
    if (d[2] < 0.0f) {  // the ground plane z = 0
      const float s = -o[2] / d[2];
      const float x = o[0] + s * d[0], y = o[1] + s * d[1];
      if (s > 0.0f && x * x + y * y < scene.ground_radius * scene.ground_radius) {
        best = s;
        hit.id = 1;
        const float q[3] = {x, y, 0.0f};
        texture(q, scene.ground_checker, scene.ground_colour, scene.ground_colour2, albedo);
      }
    }
    for (int k = 0; k < scene.object_count; ++k) {
      const SceneObject& object = scene.objects[k];
      const Pose pose(object, t);
      float p[3], dir[3], n[3];
      pose.to_object(o, p, true);
      pose.to_object(d, dir, false);
      for (float& v : dir) v /= pose.scale;  // object-frame ray of the unit-scale object
      const float s = hit_shape(object, p, dir, n);
      if (s > 0.0f && s < best) {
        best = s;
        best_object = k;
        hit.id = 2 + k;
        pose.to_world(n, normal, false);
        float q[3];
        for (int a = 0; a < 3; ++a) q[a] = p[a] + s * dir[a];
        texture(q, object.checker, object.colour, object.colour2, albedo);
      }
    }
    if (hit.id == 0) {  // sky: a gradient with the elevation
      const float up = d[2] > 0.0f ? d[2] : 0.0f;
      for (int c = 0; c < 3; ++c) {
        hit.rgb[c] = scene.sky_horizon[c] + (scene.sky_zenith[c] - scene.sky_horizon[c]) * up;
      }
      hits[i] = hit;
      return;
    }
    const float lambert =
        normal[0] * scene.light[0] + normal[1] * scene.light[1] + normal[2] * scene.light[2];
    const float shade = 0.35f + 0.65f * (lambert > 0.0f ? lambert : 0.0f);
    for (int c = 0; c < 3; ++c) {
      const float v = albedo[c] * shade;
      hit.rgb[c] = v < 0.0f ? 0.0f : (v > 1.0f ? 1.0f : v);
    }
    hit.depth = best;
    for (int a = 0; a < 3; ++a) hit.point[a] = o[a] + best * d[a];
    if (best_object >= 0) {  // the surface point's object coordinates, carried to t +- dt
      const SceneObject& object = scene.objects[best_object];
      // Differences of the same object point mapped by the two poses: exactly zero for an
      // object that does not move.
      const Pose pose(object, t);
      float q[3], now[3], next[3], prev[3];
      pose.to_object(hit.point, q, true);
      pose.to_world(q, now, true);
      Pose(object, t + dt).to_world(q, next, true);
      Pose(object, t - dt).to_world(q, prev, true);
      for (int a = 0; a < 3; ++a) {
        hit.flow_next[a] = next[a] - now[a];
        hit.flow_prev[a] = prev[a] - now[a];
      }
    }
    hits[i] = hit;
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void SceneKernels<B>::cast(const SceneDescription& scene, const float* origins,
                           const float* directions, std::int64_t n, float t, float dt,
                           RayHit* hits) {
  detail::parallel_for(n, CastRay{scene, origins, directions, t, dt, hits});
}

template struct SceneKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::radiance
