// Single-precision matrix products on either device: Eigen on the CPU, cuBLAS on CUDA.
// Column-major, BLAS conventions: C = alpha * op(A) * op(B) + beta * C with op(A) m x k,
// op(B) k x n, C m x n.
#pragma once

#include "advect/engine/HostDevice.h"

namespace advect::neural {

template <Backend B>
struct Blas {
  static void gemm(bool transpose_a, bool transpose_b, int m, int n, int k, float alpha,
                   const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc);
};

}  // namespace advect::neural
