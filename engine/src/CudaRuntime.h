// Thin wrappers over the CUDA runtime, so that no other engine file needs CUDA headers and the
// CPU-only build needs no #ifdefs elsewhere. Without CUDA they report "no device".
#pragma once

#include <cstddef>
#include <string>

namespace advect::detail {

bool cuda_runtime_compiled();
int cuda_runtime_device_count();      // 0 on any error; never throws
std::string cuda_runtime_why_none();  // why cuda_runtime_device_count() is 0, for messages
std::string cuda_runtime_device_name(int ordinal);
void cuda_runtime_set_device(int ordinal);

void* cuda_runtime_malloc(std::size_t bytes);
void cuda_runtime_free(void* pointer) noexcept;
enum class CopyKind { host_to_device, device_to_host, device_to_device };
void cuda_runtime_memcpy(void* dst, const void* src, std::size_t bytes, CopyKind kind);

}  // namespace advect::detail
