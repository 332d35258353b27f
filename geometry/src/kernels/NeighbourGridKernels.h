// The kernel family behind advect/geometry/NeighbourGrid.h: declared here, one body for both
// backends in the kernels' Impl header, instantiated once per backend (docs/kernels.md). Not part
// of the API.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/geometry/NeighbourGrid.h"

namespace advect::geometry {

template <Backend B>
struct NeighbourGridKernels {
  // Fills sorted points, their original indices and the cell ranges of `view` (whose geometry is
  // set); `keys` is n ints of scratch.
  static void build(const float* reference, std::int64_t n, std::int32_t* keys, float* sorted,
                    std::int32_t* original, std::int32_t* cell_start, const GridView& view);
  static void query(const GridView& grid, const float* points, std::int64_t n, int k,
                    float max_squared, std::int32_t* indices, float* squared_distances);
  // sum over cells of (points in the cell)^2: n times the mean load of a point's cell.
  static double sum_squared_cell_counts(const std::int32_t* cell_start, std::int64_t cells);
  // Bounding box of n points: out = {min x, min y, min z, max x, max y, max z}.
  static void bounds(const float* points, std::int64_t n, float out[6]);
  // Every (n / m)-th point, m of them: out is m x 3.
  static void sample(const float* points, std::int64_t n, std::int64_t m, float* out);
};

}  // namespace advect::geometry
