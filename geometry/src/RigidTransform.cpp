#include "advect/geometry/RigidTransform.h"

#include "advect/engine/Dispatch.h"
#include "kernels/RigidTransformKernels.h"

namespace advect::geometry {

RigidTransform RigidTransform::from_matrix(const std::array<double, 16>& matrix) {
  RigidTransform out;
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) out.rotation[3 * r + c] = matrix[std::size_t(4 * r + c)];
    out.translation[r] = matrix[std::size_t(4 * r + 3)];
  }
  return out;
}

std::array<double, 16> RigidTransform::matrix() const {
  std::array<double, 16> out{};
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) out[std::size_t(4 * r + c)] = rotation[3 * r + c];
    out[std::size_t(4 * r + 3)] = translation[r];
  }
  out[15] = 1.0;
  return out;
}

RigidTransform compose(const RigidTransform& a, const RigidTransform& b) {
  RigidTransform out;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      double sum = 0.0;
      for (int k = 0; k < 3; ++k) sum += a.rotation[3 * i + k] * b.rotation[3 * k + j];
      out.rotation[3 * i + j] = sum;
    }
    double shifted = a.translation[i];
    for (int k = 0; k < 3; ++k) shifted += a.rotation[3 * i + k] * b.translation[k];
    out.translation[i] = shifted;
  }
  return out;
}

RigidTransform inverse(const RigidTransform& transform) {
  RigidTransform out;  // R^T, -R^T t
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) out.rotation[3 * i + j] = transform.rotation[3 * j + i];
  }
  for (int i = 0; i < 3; ++i) {
    double sum = 0.0;
    for (int k = 0; k < 3; ++k) sum += out.rotation[3 * i + k] * transform.translation[k];
    out.translation[i] = -sum;
  }
  return out;
}

void transform_points(const RigidTransform& transform, float* positions, std::int64_t n,
                      const Device& device) {
  with_backend(device, [&](auto backend) {
    RigidTransformKernels<backend>::apply(transform, positions, n);
  });
}

}  // namespace advect::geometry
