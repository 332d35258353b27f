// Untyped allocation and copies on a Device; Buffer<T> is the typed owner built on these.
#pragma once

#include <cstddef>

#include "advect/engine/Device.h"

namespace advect::detail {

// CPU memory is 64-byte aligned host memory; CUDA memory comes from cudaMalloc (never managed).
void* allocate_bytes(std::size_t bytes, const Device& device);
void free_bytes(void* pointer, const Device& device) noexcept;
// Copies between any two devices (host<->device, device<->device, host<->host).
void copy_bytes(void* dst, const Device& dst_device, const void* src, const Device& src_device,
                std::size_t bytes);

}  // namespace advect::detail
