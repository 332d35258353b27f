// The kernel family behind advect/geometry/DistanceField.h: declared here, one body for both
// backends in the kernels' Impl header, instantiated once per backend (docs/kernels.md). Not part
// of the API.
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/geometry/DistanceField.h"

namespace advect::geometry {

template <Backend B>
struct DistanceFieldKernels {
  // Marks the voxels of the n points with 0 and every other voxel with +inf.
  static void mark_sites(const DistanceGridView& grid, float* squared, const float* points,
                         std::int64_t n);
  // One exact 1-D squared-distance pass along `axis` over every grid line, in place; `scratch`
  // holds room for `lines_per_batch` lines of (3 * length + 1) values.
  static void transform_axis(const DistanceGridView& grid, float* squared, int axis,
                             double* scratch, std::int64_t lines_per_batch);
  static void evaluate(const DistanceGridView& grid, const float* points, std::int64_t n,
                       float* distance, float* gradient);
};

}  // namespace advect::geometry
