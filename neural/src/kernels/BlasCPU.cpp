// Blas<cpu>: Eigen's GEMM (parallel with OpenMP) over mapped column-major arrays.
#include <malloc.h>

#include <Eigen/Core>

#include "advect/neural/Blas.h"

namespace advect::neural {

namespace {

// Eigen allocates its GEMM packing buffers (megabytes for large batches) on every product. With
// glibc's default thresholds each one is a fresh mmap whose pages fault in and are unmapped at
// free: that churn cost 2.4x on an NSFP iteration at 8192 points. Keeping freed memory in the
// heap makes the buffers reusable.
void keep_freed_memory_for_reuse() {
  static const bool done = [] {
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    return true;
  }();
  (void)done;
}

}  // namespace

template <>
void Blas<Backend::cpu>::gemm(bool transpose_a, bool transpose_b, int m, int n, int k, float alpha,
                              const float* a, int lda, const float* b, int ldb, float beta,
                              float* c, int ldc) {
  keep_freed_memory_for_reuse();
  using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
  using ConstMap = Eigen::Map<const Matrix, 0, Eigen::OuterStride<>>;
  using Map = Eigen::Map<Matrix, 0, Eigen::OuterStride<>>;
  const ConstMap A(a, transpose_a ? k : m, transpose_a ? m : k, Eigen::OuterStride<>(lda));
  const ConstMap B(b, transpose_b ? n : k, transpose_b ? k : n, Eigen::OuterStride<>(ldb));
  Map C(c, m, n, Eigen::OuterStride<>(ldc));
  if (beta == 0.0f) {
    C.setZero();
  } else if (beta != 1.0f) {
    C *= beta;
  }
  if (transpose_a && transpose_b) {
    C.noalias() += alpha * A.transpose() * B.transpose();
  } else if (transpose_a) {
    C.noalias() += alpha * A.transpose() * B;
  } else if (transpose_b) {
    C.noalias() += alpha * A * B.transpose();
  } else {
    C.noalias() += alpha * A * B;
  }
}

}  // namespace advect::neural
