#include "advect/engine/Memory.h"

#include <cstring>
#include <new>
#include <stdexcept>

#include "CudaRuntime.h"

namespace advect::detail {

namespace {
constexpr std::align_val_t kHostAlignment{64};
}

void* allocate_bytes(std::size_t bytes, const Device& device) {
  if (bytes == 0) return nullptr;
  if (device.is_cpu()) return ::operator new(bytes, kHostAlignment);
  cuda_runtime_set_device(device.index);
  return cuda_runtime_malloc(bytes);
}

void free_bytes(void* pointer, const Device& device) noexcept {
  if (pointer == nullptr) return;
  if (device.is_cpu()) {
    ::operator delete(pointer, kHostAlignment);
  } else {
    cuda_runtime_free(pointer);
  }
}

void copy_bytes(void* dst, const Device& dst_device, const void* src, const Device& src_device,
                std::size_t bytes) {
  if (bytes == 0) return;
  if (dst_device.is_cpu() && src_device.is_cpu()) {
    std::memcpy(dst, src, bytes);
    return;
  }
  const CopyKind kind = src_device.is_cpu()   ? CopyKind::host_to_device
                        : dst_device.is_cpu() ? CopyKind::device_to_host
                                              : CopyKind::device_to_device;
  cuda_runtime_memcpy(dst, src, bytes, kind);
}

}  // namespace advect::detail
