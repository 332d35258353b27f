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
  // cublasGemmEx is overloaded in C++ (a legacy form takes the compute type as cudaDataType).
  cublasStatus_t (*gemm_ex)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int,
                            const void*, const void*, cudaDataType, int, const void*, cudaDataType,
                            int, const void*, void*, cudaDataType, int, cublasComputeType_t,
                            cublasGemmAlgo_t) = nullptr;
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
      throw std::runtime_error("cannot load " + name +
                               " for GPU matrix products: " + std::string(dlerror()));
    }
    CublasApi loaded;
    loaded.create = symbol<decltype(loaded.create)>(library, "cublasCreate_v2");
    loaded.set_math_mode = symbol<decltype(loaded.set_math_mode)>(library, "cublasSetMathMode");
    loaded.sgemm = symbol<decltype(loaded.sgemm)>(library, "cublasSgemm_v2");
    loaded.gemm_ex = symbol<decltype(loaded.gemm_ex)>(library, "cublasGemmEx");
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
                              float* c, int ldc, MatmulPrecision precision) {
  const cublasOperation_t op_a = transpose_a ? CUBLAS_OP_T : CUBLAS_OP_N,
                          op_b = transpose_b ? CUBLAS_OP_T : CUBLAS_OP_N;
  // bf16: float32 arrays, the inputs rounded to bfloat16 for the tensor cores, float32 sums.
  const cublasStatus_t status =
      precision == MatmulPrecision::fp32
          ? cublas().sgemm(handle_for_current_device(), op_a, op_b, m, n, k, &alpha, a, lda, b, ldb,
                           &beta, c, ldc)
          : cublas().gemm_ex(handle_for_current_device(), op_a, op_b, m, n, k, &alpha, a,
                             CUDA_R_32F, lda, b, CUDA_R_32F, ldb, &beta, c, CUDA_R_32F, ldc,
                             CUBLAS_COMPUTE_32F_FAST_16BF, CUBLAS_GEMM_DEFAULT);
  if (status != CUBLAS_STATUS_SUCCESS) {
    throw std::runtime_error("cuBLAS matrix product failed with status " +
                             std::to_string(int(status)));
  }
}

template <>
bool Blas<Backend::gpu>::supports(MatmulPrecision /*precision*/) {
  return true;
}

}  // namespace advect::neural
