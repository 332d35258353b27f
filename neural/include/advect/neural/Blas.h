// Single-precision matrix products on either device: advect's blocked GEMM and Eigen on the CPU,
// cuBLAS on CUDA. Column-major, BLAS conventions: C = alpha * op(A) * op(B) + beta * C with
// op(A) m x k, op(B) k x n, C m x n.
#pragma once

#include <string>

#include "advect/engine/HostDevice.h"

namespace advect::neural {

// How the products are computed: float32 throughout, or bf16: A and B rounded to bfloat16 (8
// significant bits), the products summed in float32 (AVX512-BF16 on the CPU, tensor cores on
// CUDA). Arrays are float32 either way. On the CPU, bf16 applies to the MLP's shapes (a wide
// op(B), or a long sum); matrix-vector products stay float32.
enum class MatmulPrecision { fp32, bf16 };

// The names configurations use ("fp32", "bf16"); matmul_precision throws std::invalid_argument
// naming the choices for any other.
MatmulPrecision matmul_precision(const std::string& name);
const char* name_of(MatmulPrecision precision);

template <Backend B>
struct Blas {
  static void gemm(bool transpose_a, bool transpose_b, int m, int n, int k, float alpha,
                   const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc,
                   MatmulPrecision precision = MatmulPrecision::fp32);
  // Whether this backend, as built and on this machine, computes in `precision`.
  static bool supports(MatmulPrecision precision);
};

}  // namespace advect::neural
