// Blas<gpu>: cuBLAS SGEMM with one handle per host thread and device. cuBLAS is loaded with
// dlopen on the first GPU product, not linked: its static initialisers (cublasLt's) took about
// two thirds of every advect start-up, `advect --help` included, on machines with or without a GPU.
#include <cublas_v2.h>
#include <dlfcn.h>

#include <map>
#include <stdexcept>
#include <string>

#include "advect/neural/Blas.h"

namespace advect::neural {

namespace {

struct CublasApi {
  decltype(&cublasCreate_v2) create = nullptr;
  decltype(&cublasSetMathMode) set_math_mode = nullptr;
  decltype(&cublasSgemm_v2) sgemm = nullptr;
};

template <class F>
F symbol(void* library, const char* name) {
  void* found = dlsym(library, name);
  if (found == nullptr) throw std::runtime_error(std::string("cuBLAS has no ") + name);
  return reinterpret_cast<F>(found);
}

const CublasApi& cublas() {
  static const CublasApi api = [] {
    const std::string name = "libcublas.so." + std::to_string(CUBLAS_VER_MAJOR);
    void* library = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
      throw std::runtime_error("cannot load " + name + " for GPU matrix products: " +
                               std::string(dlerror()));
    }
    CublasApi loaded;
    loaded.create = symbol<decltype(loaded.create)>(library, "cublasCreate_v2");
    loaded.set_math_mode = symbol<decltype(loaded.set_math_mode)>(library, "cublasSetMathMode");
    loaded.sgemm = symbol<decltype(loaded.sgemm)>(library, "cublasSgemm_v2");
    return loaded;
  }();
  return api;
}

cublasHandle_t handle_for_current_device() {
  int device = 0;
  cudaGetDevice(&device);
  thread_local std::map<int, cublasHandle_t> handles;
  auto found = handles.find(device);
  if (found != handles.end()) return found->second;
  cublasHandle_t handle = nullptr;
  if (cublas().create(&handle) != CUBLAS_STATUS_SUCCESS)
    throw std::runtime_error("cublasCreate failed");
  // Plain FP32: reproducible against the CPU within float rounding (no TF32 tensor-core path).
  cublas().set_math_mode(handle, CUBLAS_PEDANTIC_MATH);
  handles.emplace(device, handle);
  return handle;
}

}  // namespace

template <>
void Blas<Backend::gpu>::gemm(bool transpose_a, bool transpose_b, int m, int n, int k, float alpha,
                              const float* a, int lda, const float* b, int ldb, float beta,
                              float* c, int ldc) {
  const cublasStatus_t status = cublas().sgemm(
      handle_for_current_device(), transpose_a ? CUBLAS_OP_T : CUBLAS_OP_N,
      transpose_b ? CUBLAS_OP_T : CUBLAS_OP_N, m, n, k, &alpha, a, lda, b, ldb, &beta, c, ldc);
  if (status != CUBLAS_STATUS_SUCCESS) {
    throw std::runtime_error("cublasSgemm failed with status " + std::to_string(int(status)));
  }
}

}  // namespace advect::neural
