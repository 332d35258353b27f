// Real spherical harmonics of a direction, the view-direction encoding of instant-ngp and
// Plenoxels: degree 4, 16 values per direction (l = 0..3, m = -l..l, l-major), orthonormal on the
// unit sphere with the sign convention of those codes. No parameters and no backward pass: the
// radiance field never differentiates with respect to a view direction.
#pragma once

#include <cstdint>

#include "advect/engine/Device.h"

namespace advect::neural {

inline constexpr int kSphericalHarmonicsValues = 16;

// Row i of `out` (starting at out + i * out_stride, 16 floats) = Y(directions row i); directions
// are n x 3 unit vectors (float32, row-major), both in `device` memory. The stride lets the values
// land inside a wider input row of the next network.
void encode_spherical_harmonics(const float* directions, std::int64_t n, float* out,
                                std::int64_t out_stride, const Device& device);

}  // namespace advect::neural
