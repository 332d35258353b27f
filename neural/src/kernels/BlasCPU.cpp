// Blas<cpu>: advect's blocked GEMM (BlockedGemmCPU.h) for the MLP's shapes; Eigen's GEMM over
// mapped column-major arrays for the rest (matrix-vector products, small or transposed B), split
// across OpenMP threads here, each running Eigen single-threaded (EIGEN_DONT_PARALLELIZE, set for
// the whole build): Eigen's own multi-threaded GEMM synchronises its threads by spinning on shared
// flags, and when another process shares the cores that spinning made a solve 40x slower.

#include <algorithm>
#include <cstdint>

#include <Eigen/Core>

#include "advect/engine/Device.h"
#include "advect/neural/Blas.h"
#include "kernels/BlockedGemmCPU.h"

namespace advect::neural {

namespace {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
using ConstMap = Eigen::Map<const Matrix, 0, Eigen::OuterStride<>>;
using Map = Eigen::Map<Matrix, 0, Eigen::OuterStride<>>;

// C(rows, cols) = alpha * op(A) op(B) + beta * C on one thread; `row0`/`col0` select the block of
// C (and the matching rows of op(A) / columns of op(B)).
void gemm_block(bool transpose_a, bool transpose_b, int m, int n, int k, float alpha,
                const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc,
                int row0, int rows, int col0, int cols) {
  const ConstMap A(a, transpose_a ? k : m, transpose_a ? m : k, Eigen::OuterStride<>(lda));
  const ConstMap B(b, transpose_b ? n : k, transpose_b ? k : n, Eigen::OuterStride<>(ldb));
  Map C(c, m, n, Eigen::OuterStride<>(ldc));
  auto block = C.block(row0, col0, rows, cols);
  if (beta == 0.0f) {
    block.setZero();
  } else if (beta != 1.0f) {
    block *= beta;
  }
  if (transpose_a && transpose_b) {
    block.noalias() +=
        alpha * A.transpose().middleRows(row0, rows) * B.transpose().middleCols(col0, cols);
  } else if (transpose_a) {
    block.noalias() += alpha * A.transpose().middleRows(row0, rows) * B.middleCols(col0, cols);
  } else if (transpose_b) {
    block.noalias() += alpha * A.middleRows(row0, rows) * B.transpose().middleCols(col0, cols);
  } else {
    block.noalias() += alpha * A.middleRows(row0, rows) * B.middleCols(col0, cols);
  }
}

}  // namespace

template <>
void Blas<Backend::cpu>::gemm(bool transpose_a, bool transpose_b, int m, int n, int k, float alpha,
                              const float* a, int lda, const float* b, int ldb, float beta,
                              float* c, int ldc, MatmulPrecision precision) {
  if (blocked_gemm::handles(transpose_a, transpose_b, m, n, k)) {
    blocked_gemm::multiply(transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc,
                           precision);
    return;
  }
  // Split the larger side of C into contiguous parts (no reduction needed). Their number does not
  // depend on the thread count: Eigen blocks each part's sums by the part's shape, so a split per
  // thread would round differently on 1 and 2 cores.
  constexpr int kMinPart = 32, kMaxParts = 16;
  // Below this many multiply-adds a parallel region costs more than it saves (a latent ODE's
  // matrix-vector products, 50k each, ran slower on two threads than on one).
  constexpr double kMinParallelWork = 1 << 20;
  const bool split_columns = n >= m;
  const int extent = split_columns ? n : m;
  const int parts = double(m) * double(n) * double(k) < kMinParallelWork
                        ? 1
                        : std::max(1, std::min(kMaxParts, extent / kMinPart));
#pragma omp parallel for schedule(static) if (parts > 1) num_threads(cpu_thread_count())
  for (int part = 0; part < parts; ++part) {
    const int begin = int(std::int64_t(extent) * part / parts),
              end = int(std::int64_t(extent) * (part + 1) / parts);
    if (split_columns) {
      gemm_block(transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, 0, m,
                 begin, end - begin);
    } else {
      gemm_block(transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, begin,
                 end - begin, 0, n);
    }
  }
}

template <>
bool Blas<Backend::cpu>::supports(MatmulPrecision precision) {
  return precision == MatmulPrecision::fp32 || blocked_gemm::bf16_supported();
}

}  // namespace advect::neural
