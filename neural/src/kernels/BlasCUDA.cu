// Blas<gpu>: cuBLAS SGEMM with one handle per host thread and device.
#include <cublas_v2.h>

#include <map>
#include <stdexcept>
#include <string>

#include "advect/neural/Blas.h"

namespace advect::neural {

namespace {

cublasHandle_t handle_for_current_device() {
  int device = 0;
  cudaGetDevice(&device);
  thread_local std::map<int, cublasHandle_t> handles;
  auto found = handles.find(device);
  if (found != handles.end()) return found->second;
  cublasHandle_t handle = nullptr;
  if (cublasCreate(&handle) != CUBLAS_STATUS_SUCCESS)
    throw std::runtime_error("cublasCreate failed");
  // Plain FP32: reproducible against the CPU within float rounding (no TF32 tensor-core path).
  cublasSetMathMode(handle, CUBLAS_PEDANTIC_MATH);
  handles.emplace(device, handle);
  return handle;
}

}  // namespace

template <>
void Blas<Backend::gpu>::gemm(bool transpose_a, bool transpose_b, int m, int n, int k, float alpha,
                              const float* a, int lda, const float* b, int ldb, float beta,
                              float* c, int ldc) {
  const cublasStatus_t status = cublasSgemm(
      handle_for_current_device(), transpose_a ? CUBLAS_OP_T : CUBLAS_OP_N,
      transpose_b ? CUBLAS_OP_T : CUBLAS_OP_N, m, n, k, &alpha, a, lda, b, ldb, &beta, c, ldc);
  if (status != CUBLAS_STATUS_SUCCESS) {
    throw std::runtime_error("cublasSgemm failed with status " + std::to_string(int(status)));
  }
}

}  // namespace advect::neural
