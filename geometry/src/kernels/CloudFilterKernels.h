// The kernel family behind advect/geometry/CloudFilters.h: declared here, one body for both
// backends in the kernels' Impl header, instantiated once per backend (docs/kernels.md). Not part
// of the API.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/geometry/CloudFilters.h"

namespace advect::geometry {

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
