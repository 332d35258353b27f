// The blocked GEMM's drivers, for either element type (GemmFp32CPU.h, GemmBf16CPU.h): op(A) is
// packed into panels of 32 rows, each a k x 32 array, so that a register tile of 32 rows x up to
// 12 columns of C reads its panel contiguously and broadcasts single elements of op(B).

#include "kernels/BlockedGemmCPU.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "advect/engine/Device.h"
#include "kernels/GemmBf16CPU.h"
#include "kernels/GemmBlocksCPU.h"
#include "kernels/GemmFp32CPU.h"
#include "kernels/GemmScratchCPU.h"
#include "kernels/GemmTilesCPU.h"

namespace advect::neural::blocked_gemm {

namespace {

// A sum over many columns (a weight gradient's, over the points) is split into parts of at least
// kReductionPart columns, a fixed split so that the rounding does not depend on the thread count;
// each part is packed and summed in chunks of kChunk.
constexpr int kReductionPart = 512, kMaxReductionParts = 16, kChunk = 256;

// Columns of a wide product per parallel part, and at most this many parts.
constexpr int kMinWidePart = 32, kMaxWideParts = 16;

// The scratch arrays' tags: Shared is filled by the calling thread and read by all, the others are
// each thread's own.
struct Shared;
struct OwnA;
struct OwnB;

// `columns` (up to kTileColumns) columns of C at c = alpha * op(A) op(B) + beta * C.
template <class Words>
void product_block(int m, int columns, int words, const typename Words::Word* packed,
                   const typename Words::Word* b, std::ptrdiff_t step_k, std::ptrdiff_t step_j,
                   float alpha, float beta, float* c, std::int64_t ldc) {
  column_block<Words>(m, columns, words, packed, b, step_k, step_j,
                      [&](const auto& acc, int rows, int row0, int /*column0*/) {
                        write_tile(acc, rows, alpha, beta, c + row0, ldc);
                      });
}

// op(B) = B, n wide: A packed once, the columns of C split into a fixed number of parts.
template <class Words>
void multiply_wide(bool transpose_a, int m, int n, int k, float alpha, const float* a, int lda,
                   const float* b, int ldb, float beta, float* c, int ldc) {
  using Word = typename Words::Word;
  const int words = Words::words(k);
  Word* packed = scratch<Shared, Word>(std::size_t(panels(m)) * kPanelRows * words);
  Words::pack_a(transpose_a, m, 0, k, a, lda, packed);
  const int parts = std::max(1, std::min(kMaxWideParts, n / kMinWidePart));
#pragma omp parallel for schedule(static) if (parts > 1) num_threads(cpu_thread_count())
  for (int part = 0; part < parts; ++part) {
    const int begin = int(std::int64_t(n) * part / parts),
              end = int(std::int64_t(n) * (part + 1) / parts);
    Word* b_scratch = scratch<OwnB, Word>(std::size_t(kTileColumns) * words);
    for (int j0 = begin; j0 < end; j0 += kTileColumns) {
      const int columns = std::min(kTileColumns, end - j0);
      std::ptrdiff_t step_k = 0, step_j = 0;
      const Word* b_block = Words::columns_of_b(b + std::int64_t(j0) * ldb, ldb, k, columns,
                                                b_scratch, step_k, step_j);
      product_block<Words>(m, columns, words, packed, b_block, step_k, step_j, alpha, beta,
                           c + std::int64_t(j0) * ldc, ldc);
    }
  }
}

// op(A) = A, op(B) = B^T, k long: each part of the sum accumulates into its own m x n partial
// (chunk by chunk, A's chunk packed), then the partials are added in a fixed order. Where the
// parts are fewer than the threads (k of a few hundred: a 512-point batch's weight gradient), the
// columns of C are split too; a column's sum runs in the same order whichever thread owns it, so
// the result does not depend on that split.
template <class Words>
void multiply_reduction(int m, int n, int k, float alpha, const float* a, int lda, const float* b,
                        int ldb, float beta, float* c, int ldc) {
  using Word = typename Words::Word;
  const int parts = std::clamp(k / kReductionPart, 1, kMaxReductionParts);
  const int threads = cpu_thread_count();
  const int groups = parts >= threads ? 1
                                      : std::clamp((threads + parts - 1) / parts, 1,
                                                   std::max(1, n / kMinWidePart));
  const std::size_t partial_size = std::size_t(m) * n;
  float* partials = scratch<Shared, float>(partial_size * parts);
#pragma omp parallel for schedule(static) if (parts * groups > 1) num_threads(threads)
  for (int task = 0; task < parts * groups; ++task) {
    const int part = task / groups, group = task % groups;
    const int begin = int(std::int64_t(k) * part / parts),
              end = int(std::int64_t(k) * (part + 1) / parts);
    const int first = int(std::int64_t(n) * group / groups),
              columns = int(std::int64_t(n) * (group + 1) / groups) - first;
    float* partial = partials + partial_size * part + std::int64_t(first) * m;
    Word* packed = scratch<OwnA, Word>(std::size_t(panels(m)) * kPanelRows * kChunk);
    Word* b_scratch = scratch<OwnB, Word>(std::size_t(columns) * kChunk);
    for (int k0 = begin; k0 < end; k0 += kChunk) {
      const int kc = std::min(kChunk, end - k0), words = Words::words(kc);
      Words::pack_a(false, m, k0, kc, a, lda, packed);
      std::ptrdiff_t step_k = 0, step_j = 0;
      const Word* b_rows =
          Words::rows_of_b_transposed(b + first, ldb, k0, kc, columns, b_scratch, step_k, step_j);
      for (int j0 = 0; j0 < columns; j0 += kTileColumns) {
        product_block<Words>(m, std::min(kTileColumns, columns - j0), words, packed,
                             b_rows + j0 * step_j, step_k, step_j, 1.0f, k0 == begin ? 0.0f : 1.0f,
                             partial + std::int64_t(j0) * m, m);
      }
    }
  }
  // Into the first partial, column by column, in part order (contiguous, so it vectorises).
#pragma omp parallel for schedule(static) if (partial_size >= (1 << 14)) \
    num_threads(cpu_thread_count())
  for (std::int64_t j = 0; j < n; ++j) {
    float* sum = partials + j * m;
    for (int part = 1; part < parts; ++part) {
      const float* add = partials + partial_size * part + j * m;
      for (int i = 0; i < m; ++i) sum[i] += add[i];
    }
    float* out = c + j * ldc;
    for (int i = 0; i < m; ++i) out[i] = alpha * sum[i] + (beta != 0.0f ? beta * out[i] : 0.0f);
  }
}

template <class Words>
void multiply_in(bool transpose_a, bool transpose_b, int m, int n, int k, float alpha,
                 const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc) {
  if (!transpose_b) {
    multiply_wide<Words>(transpose_a, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  } else {
    multiply_reduction<Words>(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }
}

}  // namespace

bool bf16_supported() {
#if defined(__AVX512BF16__)
  return true;
#else
  return false;
#endif
}

bool handles(bool transpose_a, bool transpose_b, int m, int n, int k) {
  if (m <= 0 || n <= 0 || k <= 0) return false;
  if (!transpose_b) return n >= 16;
  return !transpose_a && k >= 256;
}

void multiply(bool transpose_a, bool transpose_b, int m, int n, int k, float alpha, const float* a,
              int lda, const float* b, int ldb, float beta, float* c, int ldc,
              MatmulPrecision precision) {
  if (precision == MatmulPrecision::fp32) {
    multiply_in<Fp32Words>(transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }
#if defined(__AVX512BF16__)
  multiply_in<Bf16Words>(transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
#else
  throw std::invalid_argument(
      "bf16 matrix products need a CPU with AVX512-BF16 (and a build for it)");
#endif
}

}  // namespace advect::neural::blocked_gemm
