// The MLP's activation functions and their derivatives, for the kernels of either backend
// (MlpKernelsImpl.h) and the CPU's block-by-block MLP (BlockedMlpCPU.cpp).
#pragma once

#include <cmath>
#include <type_traits>

#include "advect/engine/HostDevice.h"
#include "advect/neural/Mlp.h"
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
}  // namespace advect::neural
