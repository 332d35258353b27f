// Scratch arrays for the CPU's blocked products (BlockedGemmCPU.cpp, BlockedMlpCPU.cpp): one per
// thread and per tag type, grown on demand and reused, so that a product allocates nothing once
// warm. An array of the calling thread may be handed to the threads of a parallel region.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace advect::neural::blocked_gemm {

// `count` elements of T, aligned to a cache line; valid until this thread's next call with Tag.
template <class Tag, class T>
T* scratch(std::size_t count) {
  thread_local std::vector<std::byte> storage;
  constexpr std::size_t kAlign = 64;
  const std::size_t bytes = count * sizeof(T);
  if (storage.size() < bytes + kAlign) storage.resize(bytes + kAlign);
  void* p = storage.data();
  std::size_t space = storage.size();
  return static_cast<T*>(std::align(kAlign, bytes, p, space));
}

}  // namespace advect::neural::blocked_gemm
