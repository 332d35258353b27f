// One body for ImmersedBoundaryKernels on both backends (ImmersedBoundaryCPU.cpp / ...CUDA.cu).
#pragma once

#include "advect/engine/ParallelFor.h"
#include "advect/fluids/ImmersedBoundary.h"

namespace advect::fluids {
inline namespace ADVECT_BACKEND {

// The stencils read only free faces, which no entry writes, so the entries are independent.
struct ImposeForcedFace {
  const std::int64_t* face;
  const double* offset;
  const std::int64_t* stencil;
  const double* weight;
  double* values;
  ADVECT_HD void operator()(std::int64_t m) const {
    double value = offset[m];
    for (int k = 0; k < kImageStencil; ++k) {
      value += weight[m * kImageStencil + k] * values[stencil[m * kImageStencil + k]];
    }
    values[face[m]] = value;
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void ImmersedBoundaryKernels<B>::impose(std::int64_t count, const std::int64_t* face,
                                        const double* offset, const std::int64_t* stencil,
                                        const double* weight, double* values) {
  detail::parallel_for(count, ImposeForcedFace{face, offset, stencil, weight, values});
}

template struct ImmersedBoundaryKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::fluids
