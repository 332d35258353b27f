// One body for ImmersedBoundaryKernels on both backends (ImmersedBoundaryCPU.cpp / ...CUDA.cu).
#pragma once

#include "advect/engine/ParallelFor.h"
#include "advect/fluids/ImmersedBoundary.h"
#include "kernels/ImmersedBoundaryKernels.h"

namespace advect::fluids {
inline namespace ADVECT_BACKEND {

// The stencils read only free faces, which no entry writes, so the entries are independent.
template <class Real>
struct ImposeForcedFace {
  const std::int64_t* face;
  const Real* offset;
  const std::int64_t* stencil;
  const Real* weight;
  Real* values;
  ADVECT_HD void operator()(std::int64_t m) const {
    Real value = offset[m];
    for (int k = 0; k < kImageStencil; ++k) {
      value += weight[m * kImageStencil + k] * values[stencil[m * kImageStencil + k]];
    }
    values[face[m]] = value;
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B, class Real>
void ImmersedBoundaryKernels<B, Real>::impose(std::int64_t count, const std::int64_t* face,
                                              const Real* offset, const std::int64_t* stencil,
                                              const Real* weight, Real* values) {
  detail::parallel_for(count, ImposeForcedFace<Real>{face, offset, stencil, weight, values});
}

template struct ImmersedBoundaryKernels<ADVECT_THIS_BACKEND, float>;
template struct ImmersedBoundaryKernels<ADVECT_THIS_BACKEND, double>;

}  // namespace advect::fluids
