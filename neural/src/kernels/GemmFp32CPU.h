// The blocked GEMM's float32 words (BlockedGemmCPU.cpp): op(A) packed into panels of 32 rows,
// op(B) read where it lies, one fused multiply-add per element pair.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "kernels/GemmTilesCPU.h"

namespace advect::neural::blocked_gemm {

struct Fp32Words {
  using Word = float;
  static int words(int k) { return k; }

  // Columns [k0, k0 + kc) of op(A) as panels: out[(panel * kc + kk) * 32 + r], zero-padded rows.
  static void pack_a(bool transpose_a, int m, int k0, int kc, const float* a, int lda, Word* out) {
    for (int p = 0; p < panels(m); ++p) {
      const int row0 = p * kPanelRows, rows = std::min(kPanelRows, m - row0);
      for (int kk = 0; kk < kc; ++kk) {
        Word* dst = out + (std::size_t(p) * kc + kk) * kPanelRows;
        const std::int64_t column = k0 + kk;
        if (!transpose_a) {  // a column of A: contiguous rows
          std::memcpy(dst, a + row0 + column * lda, std::size_t(rows) * sizeof(float));
        } else {
          for (int r = 0; r < rows; ++r) dst[r] = a[column + std::int64_t(row0 + r) * lda];
        }
        std::fill(dst + rows, dst + kPanelRows, 0.0f);
      }
    }
  }

  // Where a tile reads op(B)(kk, j) = b[kk * step_k + j * step_j]: B itself, for `columns`
  // columns of a wide B (op(B) = B) ...
  static const Word* columns_of_b(const float* b, int ldb, int /*k*/, int /*columns*/,
                                  Word* /*scratch*/, std::ptrdiff_t& step_k,
                                  std::ptrdiff_t& step_j) {
    step_k = 1;
    step_j = ldb;
    return b;
  }
  // ... or for rows [k0, k0 + kc) of op(B) = B^T (n columns).
  static const Word* rows_of_b_transposed(const float* b, int ldb, int k0, int /*kc*/, int /*n*/,
                                          Word* /*scratch*/, std::ptrdiff_t& step_k,
                                          std::ptrdiff_t& step_j) {
    step_k = ldb;
    step_j = 1;
    return b + std::int64_t(k0) * ldb;
  }

  // acc[j] += panel * op(B)(kk, j) over kk < k.
  template <int Columns>
  static void tile(int k, const Word* panel, const Word* b, std::ptrdiff_t step_k,
                   std::ptrdiff_t step_j, Vec (&acc)[Columns][2]) {
    for (int kk = 0; kk < k; ++kk, panel += kPanelRows, b += step_k) {
      const Vec a0 = load(panel), a1 = load(panel + kLanes);
#pragma GCC unroll 12
      for (int j = 0; j < Columns; ++j) {
        const float s = b[j * step_j];
        acc[j][0] = multiply_add(a0, s, acc[j][0]);
        acc[j][1] = multiply_add(a1, s, acc[j][1]);
      }
    }
  }

 private:
  // a * s + c, fused where the target has FMA (ISO C++ mode does not contract a * s + c).
  static Vec multiply_add(Vec a, float s, Vec c) {
#if defined(__AVX512F__)
    return _mm512_fmadd_ps(a, _mm512_set1_ps(s), c);
#else
    return a * s + c;
#endif
  }
};

}  // namespace advect::neural::blocked_gemm
