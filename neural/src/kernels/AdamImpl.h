// One body for AdamKernels on both backends (AdamCPU.cpp / AdamCUDA.cu).
#pragma once

#include <cmath>

#include "advect/engine/ParallelFor.h"
#include "advect/neural/Adam.h"
#include "kernels/AdamKernels.h"

namespace advect::neural {
inline namespace ADVECT_BACKEND {

struct AdamUpdate {
  float* p;
  const float* g;
  float* m;
  float* v;
  AdamStep c;
  ADVECT_HD void operator()(std::int64_t i) const {
    const bool regularised = i < c.regularised;
    const float parameter = regularised ? p[i] * c.decay_factor : p[i];
    const float gradient = regularised ? g[i] + c.weight_decay * parameter : g[i];
    m[i] = c.beta1 * m[i] + (1.0f - c.beta1) * gradient;
    v[i] = c.beta2 * v[i] + (1.0f - c.beta2) * gradient * gradient;
    p[i] = parameter - c.step_size * m[i] / (sqrtf(v[i]) / c.bias_correction2_sqrt + c.epsilon);
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void AdamKernels<B>::step(float* parameters, const float* gradients, float* m, float* v,
                          std::int64_t n, const AdamStep& c) {
  detail::parallel_for(n, AdamUpdate{parameters, gradients, m, v, c},
                       detail::kMinParallelLightIterations);
}

template struct AdamKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::neural
