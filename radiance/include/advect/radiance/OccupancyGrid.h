// Empty-space skipping in the manner of instant-ngp: a resolution^3 grid over the scene box keeps
// a decaying maximum of the density seen in each cell; ray marching places samples only in cells
// whose density exceeds min(threshold, mean). Samples are evenly spaced along a ray (`step` world
// units), starting at a random fraction of a step while training (stratified sampling).
#pragma once

#include <cstdint>

#include "advect/engine/Buffer.h"
#include "advect/radiance/Camera.h"

namespace advect::radiance {

// The samples of a batch of rays, packed ray by ray (see VolumeRendering.h). Buffers only grow.
struct RaySamples {
  Buffer<std::int32_t> offsets;  // rays + 1
  Buffer<float> t, dt;           // n each: midpoint distance, length (world units)
  Buffer<float> positions;       // n x 3, in box coordinates [0, 1]^3
  Buffer<float> directions;      // n x 3, unit, world frame
  std::int64_t rays = 0, count = 0;
};

struct MarchOptions {
  float step = 0.01f;      // world units between samples
  int max_samples = 1024;  // per ray
  bool jitter = false;     // random start within the first step (training)
  std::uint64_t seed = 0;  // of the jitter
};

class OccupancyGrid {
 public:
  // All cells start occupied.
  OccupancyGrid(const SceneBox& box, int resolution, const Device& device);

  // One random point inside every cell, in box coordinates [0, 1]^3 (cells x 3, x fastest).
  void cell_points(std::uint64_t seed, float* points) const;
  // density = max(decay * density, sigma) per cell (sigma: cells values, same order as
  // cell_points); then occupied = density > min(threshold, mean density).
  void update(const float* sigma, float decay, float threshold);
  // Samples rays (origins, directions: rays x 3, world frame, directions unit) into `out`;
  // returns out.count.
  std::int64_t march(const float* origins, const float* directions, std::int64_t rays,
                     const MarchOptions& options, RaySamples& out) const;

  std::int64_t cells() const { return std::int64_t(resolution_) * resolution_ * resolution_; }
  int resolution() const { return resolution_; }
  const SceneBox& box() const { return box_; }
  double occupied_fraction() const;
  Buffer<float>& density() { return density_; }
  const Buffer<float>& density() const { return density_; }
  Buffer<std::uint8_t>& occupied() { return occupied_; }
  const Buffer<std::uint8_t>& occupied() const { return occupied_; }

 private:
  SceneBox box_;
  int resolution_;
  Buffer<float> density_;
  Buffer<std::uint8_t> occupied_;
  mutable Buffer<std::int32_t> counts_;
};

}  // namespace advect::radiance
