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

template <Backend B>
struct CloudFilterKernels {
  // keys = packed voxel indices of the points relative to `origin`, sorted; order = the point
  // index of each sorted key.
  static void sorted_voxel_keys(const float* points, std::int64_t n, const float origin[3],
                                float voxel, std::int64_t* keys, std::int32_t* order);
  // After sorting: flags of run starts, their exclusive scan in `slots`; returns the run count.
  static std::int64_t number_runs(const std::int64_t* keys, std::int64_t n, std::int32_t* flags,
                                  std::int32_t* slots);
  static void run_starts(const std::int32_t* flags, const std::int32_t* slots, std::int64_t n,
                         std::int32_t* starts);
  static void centroids(const float* points, const std::int32_t* order, const std::int32_t* starts,
                        std::int64_t runs, float* out);
  // flags[i] = point i inside the region; returns how many, with their output slots.
  static std::int64_t mark_inside(const float* points, std::int64_t n, const CropRegion& region,
                                  std::int32_t* flags, std::int32_t* slots);
  static void gather_inside(const float* points, std::int64_t n, const std::int32_t* flags,
                            const std::int32_t* slots, float* out, std::int32_t* kept);
};

}  // namespace advect::geometry
