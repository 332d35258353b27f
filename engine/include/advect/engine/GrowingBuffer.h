// Buffers that a loop reuses from step to step: they grow (by a quarter more than asked, so that
// slowly rising sizes reallocate rarely) and never shrink.
#pragma once

#include <cstdint>

#include "advect/engine/Buffer.h"

namespace advect {

template <class T>
void ensure_size(Buffer<T>& buffer, std::int64_t size, const Device& device) {
  if (std::int64_t(buffer.size()) < size || !(buffer.device() == device)) {
    buffer = Buffer<T>(std::size_t(size + size / 4), device);
  }
}

}  // namespace advect
