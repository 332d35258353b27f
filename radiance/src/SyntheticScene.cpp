#include "advect/radiance/SyntheticScene.h"

#include "advect/engine/Buffer.h"
#include "advect/engine/Dispatch.h"
#include "kernels/SceneKernels.h"

namespace advect::radiance {

SceneDescription default_scene(bool moving) {
  SceneDescription scene;
  const auto add = [&](ShapeKind shape, std::initializer_list<float> centre,
                       std::initializer_list<float> half, float yaw,
                       std::initializer_list<float> velocity, float yaw_rate,
                       std::initializer_list<float> colour, std::initializer_list<float> colour2) {
    SceneObject& o = scene.objects[scene.object_count++];
    o.shape = shape;
    std::copy(centre.begin(), centre.end(), o.centre);
    std::copy(half.begin(), half.end(), o.half_size);
    o.yaw = yaw;
    if (moving) {
      std::copy(velocity.begin(), velocity.end(), o.velocity);
      o.yaw_rate = yaw_rate;
    }
    std::copy(colour.begin(), colour.end(), o.colour);
    std::copy(colour2.begin(), colour2.end(), o.colour2);
    return &o;
  };
  // A car-sized box driving along x, a van turning, a ball rolling across, a static block.
  add(ShapeKind::box, {-3.0f, -1.5f, 0.75f}, {2.0f, 0.9f, 0.75f}, 0.0f, {4.0f, 0.0f, 0.0f}, 0.0f,
      {0.8f, 0.15f, 0.1f}, {0.95f, 0.85f, 0.8f});
  add(ShapeKind::box, {2.5f, 2.0f, 1.0f}, {1.5f, 1.0f, 1.0f}, 0.6f, {-1.0f, 1.5f, 0.0f}, 0.5f,
      {0.15f, 0.3f, 0.8f}, {0.85f, 0.9f, 0.95f});
  add(ShapeKind::sphere, {0.5f, -4.0f, 0.6f}, {0.6f, 0.6f, 0.6f}, 0.0f, {0.0f, 3.0f, 0.0f}, -5.0f,
      {0.95f, 0.8f, 0.1f}, {0.2f, 0.2f, 0.2f});
  add(ShapeKind::box, {-2.0f, 3.5f, 0.5f}, {0.5f, 0.5f, 0.5f}, 0.3f, {0.0f, 0.0f, 0.0f}, 0.0f,
      {0.3f, 0.7f, 0.3f}, {0.9f, 0.9f, 0.7f});
  SceneObject* blob = add(ShapeKind::sphere, {3.5f, -2.5f, 1.0f}, {0.8f, 0.8f, 0.8f}, 0.0f,
                          {0.0f, 0.0f, 0.0f}, 0.0f, {0.7f, 0.2f, 0.7f}, {0.95f, 0.95f, 0.95f});
  blob->checker = 0.3f;
  if (moving) {
    blob->pulse = 0.25f;
    blob->pulse_period = 2.0f;
  }
  return scene;
}

std::vector<RayHit> cast_rays(const SceneDescription& scene, const std::vector<float>& origins,
                              const std::vector<float>& directions, float t, float dt,
                              const Device& device) {
  const auto n = std::int64_t(origins.size() / 3);
  const auto o = Buffer<float>::from_host(origins, device);
  const auto d = Buffer<float>::from_host(directions, device);
  Buffer<RayHit> hits(std::size_t(n), device);
  with_backend(device, [&](auto backend) {
    SceneKernels<backend>::cast(scene, o.data(), d.data(), n, t, dt, hits.data());
  });
  return hits.to_host();
}

}  // namespace advect::radiance
