// One body for MlpKernels on both backends (MlpKernelsCPU.cpp / MlpKernelsCUDA.cu).
#pragma once

#include <cmath>
#include <type_traits>

#include "advect/engine/ParallelFor.h"
#include "advect/neural/Mlp.h"
#include "kernels/MlpKernels.h"
#include "kernels/TanhFloat.h"

namespace advect::neural {
inline namespace ADVECT_BACKEND {

ADVECT_HD inline float activate(float z, Activation activation) {
  switch (activation) {
    case Activation::relu:
      return z > 0.0f ? z : 0.0f;
    case Activation::tanh:
      return tanh_float(z);
    case Activation::sigmoid:
      return 1.0f / (1.0f + expf(-z));
    case Activation::none:
      break;
  }
  return z;
}

// The derivative written with the activation's output a = f(z).
ADVECT_HD inline float derivative_from_output(float a, Activation activation) {
  switch (activation) {
    case Activation::relu:
      return a > 0.0f ? 1.0f : 0.0f;
    case Activation::tanh:
      return 1.0f - a * a;
    case Activation::sigmoid:
      return a * (1.0f - a);
    case Activation::none:
      break;
  }
  return 1.0f;
}

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

// Calls f(std::integral_constant<Activation, activation>{}).
template <class F>
void with_activation(Activation activation, F&& f) {
  switch (activation) {
    case Activation::relu:
      return f(std::integral_constant<Activation, Activation::relu>{});
    case Activation::tanh:
      return f(std::integral_constant<Activation, Activation::tanh>{});
    case Activation::sigmoid:
      return f(std::integral_constant<Activation, Activation::sigmoid>{});
    case Activation::none:
      return f(std::integral_constant<Activation, Activation::none>{});
  }
}

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
