// One body for RigidTransformKernels on both backends (RigidTransformCPU.cpp / CUDA.cu).
#pragma once

#include "advect/engine/ParallelFor.h"
#include "advect/geometry/RigidTransform.h"
#include "kernels/RigidTransformKernels.h"

namespace advect::geometry {
inline namespace ADVECT_BACKEND {

struct ApplyRigidTransform {
  RigidTransform transform;
  float* positions;
  ADVECT_HD void operator()(std::int64_t i) const {
    float* p = positions + 3 * i;
    const float x[3] = {p[0], p[1], p[2]};
    transform.apply(x, p);
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void RigidTransformKernels<B>::apply(const RigidTransform& transform, float* positions,
                                     std::int64_t n) {
  detail::parallel_for(n, ApplyRigidTransform{transform, positions});
}

template struct RigidTransformKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::geometry
