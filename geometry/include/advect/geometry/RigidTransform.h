// Rigid (rotation + translation) transforms applied to points on either device.
#pragma once

#include <array>
#include <cstdint>

#include "advect/engine/Device.h"
#include "advect/engine/HostDevice.h"

namespace advect::geometry {

// x' = R x + t with R a row-major 3x3 rotation and t in metres (a KITTI pose's 3x4 rows). The one
// pose type of advect: sensor-to-world poses, ego motions and rigid fits are all this.
struct RigidTransform {
  double rotation[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  double translation[3] = {0, 0, 0};

  // From and to a 4 x 4 homogeneous matrix, row-major (the last row is not checked on the way in).
  static RigidTransform from_matrix(const std::array<double, 16>& matrix);
  std::array<double, 16> matrix() const;

  ADVECT_HD void apply(const float* x, float* out) const {
    for (int row = 0; row < 3; ++row) {
      out[row] = float(rotation[3 * row] * x[0] + rotation[3 * row + 1] * x[1] +
                       rotation[3 * row + 2] * x[2] + translation[row]);
    }
  }
};

// The composition a * b (apply b first) and the inverse.
RigidTransform compose(const RigidTransform& a, const RigidTransform& b);
RigidTransform inverse(const RigidTransform& transform);

// Transforms n points (n x 3 float32, point-major) in place, in the memory of `device`.
void transform_points(const RigidTransform& transform, float* positions, std::int64_t n,
                      const Device& device);

}  // namespace advect::geometry
