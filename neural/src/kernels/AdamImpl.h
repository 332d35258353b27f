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
    const float parameter = p[i] * c.decay_factor;
    const float gradient = g[i] + c.weight_decay * parameter;
    m[i] = c.beta1 * m[i] + (1.0f - c.beta1) * gradient;
    v[i] = c.beta2 * v[i] + (1.0f - c.beta2) * gradient * gradient;
    p[i] = parameter - c.step_size * m[i] / (sqrtf(v[i]) / c.bias_correction2_sqrt + c.epsilon);
  }
};

struct Zero {
  float* values;
  ADVECT_HD void operator()(std::int64_t i) const { values[i] = 0.0f; }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void AdamKernels<B>::step(float* parameters, const float* gradients, float* m, float* v,
                          std::int64_t n, const AdamStep& c) {
  detail::parallel_for(n, AdamUpdate{parameters, gradients, m, v, c},
                       detail::kMinParallelLightIterations);
}

template <Backend B>
void AdamKernels<B>::zero(float* values, std::int64_t n) {
  detail::parallel_for(n, Zero{values}, detail::kMinParallelLightIterations);
}

template struct AdamKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::neural
