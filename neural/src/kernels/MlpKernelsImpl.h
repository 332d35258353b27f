// One body for MlpKernels on both backends (MlpKernelsCPU.cpp / MlpKernelsCUDA.cu).
#pragma once

#include "advect/engine/ParallelFor.h"
#include "advect/neural/Mlp.h"
#include "kernels/Activations.h"
#include "kernels/MlpKernels.h"

namespace advect::neural {
inline namespace ADVECT_BACKEND {

// The activation is a template argument so that the loops over units hold no branch on it and
// the CPU compiler vectorises them (with the branch inside, a scalar loop took 8-15 % of an NSFP
// iteration).
template <Activation A>
struct BiasActivation {
  float* z;
  const float* bias;
  int out;
  // Unit k of batch row `row` (rows of `out` values): no division per value.
  ADVECT_HD void operator()(int k, int row) const {
    const std::int64_t i = std::int64_t(row) * out + k;
    z[i] = activate(z[i] + bias[k], A);
  }
};

template <Activation A>
struct ActivationBackward {
  float* delta;
  const float* a;
  ADVECT_HD void operator()(std::int64_t i) const { delta[i] *= derivative_from_output(a[i], A); }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void MlpKernels<B>::bias_activation(float* z, const float* bias, int out, std::int64_t batch,
                                    Activation activation) {
  with_activation(activation, [&](auto a) {
    detail::parallel_for_2d(out, int(batch), BiasActivation<a>{z, bias, out});
  });
}

template <Backend B>
void MlpKernels<B>::activation_backward(float* delta, const float* a, std::int64_t count,
                                        Activation activation) {
  if (activation == Activation::none) return;
  with_activation(activation, [&](auto kind) {
    detail::parallel_for(count, ActivationBackward<kind>{delta, a},
                         detail::kMinParallelLightIterations);
  });
}

template struct MlpKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::neural
