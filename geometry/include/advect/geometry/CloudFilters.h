// Point-cloud reduction on either device: voxel downsampling and box/range crops. Inputs and
// outputs are N x 3 float32 (metres) in the memory of `device`.
#pragma once

#include <array>
#include <cstdint>
#include <limits>

#include "advect/engine/Buffer.h"
#include "advect/engine/HostDevice.h"

namespace advect::geometry {

// One point per occupied voxel of edge `voxel` (metres): the centroid of the points in it.
// Voxels are anchored at the cloud's minimum corner and ordered by (z, y, x) index; results are
// identical on every device.
Buffer<float> voxel_downsample(const float* points, std::int64_t n, float voxel,
                               const Device& device);

// Points inside an axis-aligned box and within a range of the origin (metres). The defaults keep
// everything; av2's evaluation box is {-35, -35, -inf, 35, 35, inf}.
struct CropRegion {
  std::array<float, 6> box = {
      -std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
      -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::infinity(),
      std::numeric_limits<float>::infinity(),  std::numeric_limits<float>::infinity()};
  float max_range = std::numeric_limits<float>::infinity();  // |p|, metres
};

// The kept points in their original order; `kept` (if given) receives their indices.
Buffer<float> crop(const float* points, std::int64_t n, const CropRegion& region,
                   const Device& device, Buffer<std::int32_t>* kept = nullptr);

}  // namespace advect::geometry
