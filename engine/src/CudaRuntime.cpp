#include "CudaRuntime.h"

#include <stdexcept>

#ifdef ADVECT_WITH_CUDA
#include <cuda_runtime_api.h>
#endif

namespace advect::detail {

#ifdef ADVECT_WITH_CUDA

namespace {

void check(cudaError_t status, const char* what) {
  if (status != cudaSuccess) {
    cudaGetLastError();  // clear the sticky error so later calls can proceed
    throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(status));
  }
}

}  // namespace

bool cuda_runtime_compiled() {
  return true;
}

int cuda_runtime_device_count() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();
    return 0;
  }
  return count;
}

std::string cuda_runtime_why_none() {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  cudaGetLastError();
  if (status != cudaSuccess) return cudaGetErrorString(status);
  return count == 0 ? "the driver reports 0 devices" : "devices are visible";
}

std::string cuda_runtime_device_name(int ordinal) {
  cudaDeviceProp properties{};
  check(cudaGetDeviceProperties(&properties, ordinal), "cudaGetDeviceProperties");
  return properties.name;
}

void cuda_runtime_set_device(int ordinal) {
  check(cudaSetDevice(ordinal), "cudaSetDevice");
}

void* cuda_runtime_malloc(std::size_t bytes) {
  void* pointer = nullptr;
  check(cudaMalloc(&pointer, bytes), "cudaMalloc");
  return pointer;
}

void cuda_runtime_free(void* pointer) noexcept {
  cudaFree(pointer);
}

void cuda_runtime_memcpy(void* dst, const void* src, std::size_t bytes, CopyKind kind) {
  const cudaMemcpyKind cuda_kind = kind == CopyKind::host_to_device   ? cudaMemcpyHostToDevice
                                   : kind == CopyKind::device_to_host ? cudaMemcpyDeviceToHost
                                                                      : cudaMemcpyDeviceToDevice;
  check(cudaMemcpy(dst, src, bytes, cuda_kind), "cudaMemcpy");
}

#else  // CPU-only build

namespace {
[[noreturn]] void no_cuda() {
  throw std::runtime_error("advect was built without CUDA");
}
}  // namespace

bool cuda_runtime_compiled() {
  return false;
}
int cuda_runtime_device_count() {
  return 0;
}
std::string cuda_runtime_why_none() {
  return "built without CUDA";
}
std::string cuda_runtime_device_name(int) {
  no_cuda();
}
void cuda_runtime_set_device(int) {
  no_cuda();
}
void* cuda_runtime_malloc(std::size_t) {
  no_cuda();
}
void cuda_runtime_free(void*) noexcept {}
void cuda_runtime_memcpy(void*, const void*, std::size_t, CopyKind) {
  no_cuda();
}

#endif

}  // namespace advect::detail
