// Kernel body of PointwiseField<Law>::evaluate. Include only from a backend source pair
// (FooCPU.cpp / FooCUDA.cu) and instantiate each law there:
//
//   #include "advect/engine/PointwiseFieldImpl.h"
//   ADVECT_INSTANTIATE_POINTWISE_FIELD(advect::RotationLaw)
#pragma once

#include "advect/engine/ParallelFor.h"
#include "advect/engine/PointwiseField.h"

namespace advect {
namespace detail {
inline namespace ADVECT_BACKEND {

template <class Law>
struct EvaluateLaw {
  Law law;
  double t;
  const double* x;
  double* v;
  ADVECT_HD void operator()(std::int64_t i) const {
    law(x + i * Law::dimension, t, v + i * Law::dimension);
  }
};

}  // namespace ADVECT_BACKEND
}  // namespace detail

template <Backend B>
template <class Law>
void PointwiseFieldKernels<B>::evaluate(const Law& law, double t, const double* x, double* v,
                                        std::int64_t n) {
  detail::parallel_for(n, detail::EvaluateLaw<Law>{law, t, x, v});
}

}  // namespace advect

#define ADVECT_INSTANTIATE_POINTWISE_FIELD(Law)                                    \
  template void advect::PointwiseFieldKernels<ADVECT_THIS_BACKEND>::evaluate<Law>( \
      const Law&, double, const double*, double*, std::int64_t);
