// The kernel family behind advect/radiance/SyntheticScene.h (docs/kernels.md).
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/radiance/SyntheticScene.h"

namespace advect::radiance {

template <Backend B>
struct SceneKernels {
  static void cast(const SceneDescription& scene, const float* origins, const float* directions,
                   std::int64_t n, float t, float dt, RayHit* hits);
};

}  // namespace advect::radiance
