// Run-time choice of the compiled backend for a Device.
//
//   with_backend(device, [&](auto backend) { MyKernels<backend>::run(...); });
//
// `backend` is std::integral_constant<Backend, ...>, usable as a template argument. In a build
// without CUDA the gpu branch is never instantiated and a CUDA device gets a clear error.
#pragma once

#include <stdexcept>
#include <type_traits>

#include "advect/engine/Device.h"
#include "advect/engine/HostDevice.h"

namespace advect {

template <Backend B>
using BackendTag = std::integral_constant<Backend, B>;

template <class F>
decltype(auto) with_backend(const Device& device, F&& f) {
  if (device.is_cuda()) {
#ifdef ADVECT_WITH_CUDA
    activate(device);
    return f(BackendTag<Backend::gpu>{});
#else
    throw std::runtime_error("advect was built without CUDA; use --device cpu");
#endif
  }
  return f(BackendTag<Backend::cpu>{});
}

}  // namespace advect
