#include "advect/geometry/RigidTransform.h"

#include "advect/engine/Dispatch.h"

namespace advect::geometry {

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
