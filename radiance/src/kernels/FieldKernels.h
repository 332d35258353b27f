// The kernel family that joins the radiance field's encodings and networks (docs/kernels.md).
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"

namespace advect::radiance {

template <Backend B>
struct FieldKernels {
  // sigma = exp(min(geometry[i][0], kMaxLogDensity)) for rows of `stride` floats.
  static void density(const float* geometry, std::int64_t n, int stride, float* sigma);
  // colour_inputs rows (width floats): the first `count` take the geometry rows.
  static void copy_rows(const float* from, int from_stride, std::int64_t n, int count, float* to,
                        int to_stride);
  // d_geometry = the first kGeometryFeatures columns of d_colour_inputs, plus d_sigma * sigma in
  // column 0 where the exponent was not clamped.
  static void geometry_gradient(const float* d_colour_inputs, int colour_stride,
                                const float* geometry, const float* sigma, const float* d_sigma,
                                std::int64_t n, float* d_geometry);
};

}  // namespace advect::radiance
