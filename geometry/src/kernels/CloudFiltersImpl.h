// One body for CloudFilterKernels on both backends (CloudFiltersCPU.cpp / CloudFiltersCUDA.cu).
#pragma once

#include <cmath>

#include "advect/engine/ParallelFor.h"
#include "advect/geometry/CloudFilters.h"
#include "kernels/CloudFilterKernels.h"
#include "kernels/KeyRanges.h"

namespace advect::geometry {
inline namespace ADVECT_BACKEND {

struct VoxelKey {
  const float* points;
  float origin[3];
  float voxel;
  std::int64_t* keys;
  ADVECT_HD void operator()(std::int64_t i) const {
    std::int64_t key = 0;
    for (int d = 2; d >= 0; --d) {
      const std::int64_t c = std::int64_t(floorf((points[3 * i + d] - origin[d]) / voxel));
      key = (key << 21) | (c < 0 ? 0 : c);  // 21 bits per axis, checked by the caller
    }
    keys[i] = key;
  }
};

struct RunStartFlags {
  const std::int64_t* keys;
  std::int32_t* flags;
  ADVECT_HD void operator()(std::int64_t i) const {
    flags[i] = (i == 0 || keys[i] != keys[i - 1]) ? 1 : 0;
  }
};

// starts[slot] = the first sorted position of each run (or kept point), starts[count] = n.
struct ScatterStarts {
  const std::int32_t* flags;
  const std::int32_t* slots;
  std::int64_t n;
  std::int32_t* starts;
  ADVECT_HD void operator()(std::int64_t i) const {
    if (flags[i] != 0) starts[slots[i]] = std::int32_t(i);
    if (i == n - 1) starts[slots[i] + flags[i]] = std::int32_t(n);
  }
};

struct RunCentroid {
  const float* points;
  const std::int32_t* order;
  const std::int32_t* starts;
  float* out;
  ADVECT_HD void operator()(std::int64_t run) const {
    double sum[3] = {0.0, 0.0, 0.0};
    for (std::int32_t s = starts[run]; s < starts[run + 1]; ++s) {
      for (int d = 0; d < 3; ++d) sum[d] += points[3 * std::int64_t(order[s]) + d];
    }
    const double count = double(starts[run + 1] - starts[run]);
    for (int d = 0; d < 3; ++d) out[3 * run + d] = float(sum[d] / count);
  }
};

struct InsideRegion {
  const float* points;
  CropRegion region;
  std::int32_t* flags;
  ADVECT_HD void operator()(std::int64_t i) const {
    const float* p = points + 3 * i;
    bool inside = p[0] * p[0] + p[1] * p[1] + p[2] * p[2] <= region.max_range * region.max_range;
    for (int d = 0; d < 3; ++d)
      inside = inside && p[d] >= region.box[d] && p[d] <= region.box[3 + d];
    flags[i] = inside ? 1 : 0;
  }
};

struct GatherInside {
  const float* points;
  const std::int32_t* flags;
  const std::int32_t* slots;
  float* out;
  std::int32_t* kept;
  ADVECT_HD void operator()(std::int64_t i) const {
    if (flags[i] == 0) return;
    for (int d = 0; d < 3; ++d) out[3 * std::int64_t(slots[i]) + d] = points[3 * i + d];
    if (kept != nullptr) kept[slots[i]] = std::int32_t(i);
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void CloudFilterKernels<B>::sorted_voxel_keys(const float* points, std::int64_t n,
                                              const float origin[3], float voxel,
                                              std::int64_t* keys, std::int32_t* order) {
  detail::parallel_for(n, VoxelKey{points, {origin[0], origin[1], origin[2]}, voxel, keys});
  detail::parallel_for(n, Iota{order});
  detail::sort_by_key(keys, order, n);
}

template <Backend B>
std::int64_t CloudFilterKernels<B>::number_runs(const std::int64_t* keys, std::int64_t n,
                                                std::int32_t* flags, std::int32_t* slots) {
  detail::parallel_for(n, RunStartFlags{keys, flags});
  detail::exclusive_scan(flags, slots, n);
  return std::int64_t(detail::load(slots + n - 1)) + detail::load(flags + n - 1);
}

template <Backend B>
void CloudFilterKernels<B>::run_starts(const std::int32_t* flags, const std::int32_t* slots,
                                       std::int64_t n, std::int32_t* starts) {
  detail::parallel_for(n, ScatterStarts{flags, slots, n, starts});
}

template <Backend B>
void CloudFilterKernels<B>::centroids(const float* points, const std::int32_t* order,
                                      const std::int32_t* starts, std::int64_t runs, float* out) {
  detail::parallel_for(runs, RunCentroid{points, order, starts, out});
}

template <Backend B>
std::int64_t CloudFilterKernels<B>::mark_inside(const float* points, std::int64_t n,
                                                const CropRegion& region, std::int32_t* flags,
                                                std::int32_t* slots) {
  if (n <= 0) return 0;
  detail::parallel_for(n, InsideRegion{points, region, flags});
  detail::exclusive_scan(flags, slots, n);
  return std::int64_t(detail::load(slots + n - 1)) + detail::load(flags + n - 1);
}

template <Backend B>
void CloudFilterKernels<B>::gather_inside(const float* points, std::int64_t n,
                                          const std::int32_t* flags, const std::int32_t* slots,
                                          float* out, std::int32_t* kept) {
  detail::parallel_for(n, GatherInside{points, flags, slots, out, kept});
}

template struct CloudFilterKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::geometry
