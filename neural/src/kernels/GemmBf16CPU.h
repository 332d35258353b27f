// The blocked GEMM's bfloat16 words (BlockedGemmCPU.cpp), on CPUs with AVX512-BF16: each 32-bit
// word holds two consecutive elements along k, rounded to bfloat16 (to nearest, ties to even),
// and one VDPBF16PS multiplies 16 such pairs and adds both products into float32 accumulators.
// Both operands are packed (op(A) into panels, op(B) per column block or chunk of the sum).
#pragma once

#if defined(__AVX512BF16__)

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/GemmTilesCPU.h"

namespace advect::neural::blocked_gemm {

struct Bf16Words {
  using Word = std::uint32_t;
  static int words(int k) { return (k + 1) / 2; }

  // Columns [k0, k0 + kc) of op(A) as panels: out[(panel * words(kc) + w) * 32 + r] holds rows
  // r of columns k0 + 2w and k0 + 2w + 1; zero-padded rows and (odd kc) column.
  static void pack_a(bool transpose_a, int m, int k0, int kc, const float* a, int lda, Word* out) {
    for (int p = 0; p < panels(m); ++p) {
      const int row0 = p * kPanelRows, rows = m - row0 < kPanelRows ? m - row0 : kPanelRows;
      for (int w = 0; w < words(kc); ++w) {
        Word* dst = out + (std::size_t(p) * words(kc) + w) * kPanelRows;
        const std::int64_t column = k0 + 2 * w;
        const bool pair = 2 * w + 1 < kc;
        if (!transpose_a) {
          const float* first = a + row0 + column * lda;
          pair_columns(first, pair ? first + lda : nullptr, rows, kPanelRows, dst);
        } else {
          for (int r = 0; r < kPanelRows; ++r) {
            const float* at = a + column + std::int64_t(row0 + r) * lda;
            dst[r] = r >= rows ? 0u : word(at[0], pair ? at[1] : 0.0f);
          }
        }
      }
    }
  }

  // Where a tile reads the pairs of op(B): `columns` columns of a wide B (op(B) = B), packed as
  // scratch[j * words(k) + w] ...
  static const Word* columns_of_b(const float* b, int ldb, int k, int columns, Word* scratch,
                                  std::ptrdiff_t& step_k, std::ptrdiff_t& step_j) {
    for (int j = 0; j < columns; ++j) {
      pair_consecutive(b + std::int64_t(j) * ldb, k, scratch + std::size_t(j) * words(k));
    }
    step_k = 1;
    step_j = words(k);
    return scratch;
  }
  // ... or rows [k0, k0 + kc) of op(B) = B^T, packed as scratch[w * n + j].
  static const Word* rows_of_b_transposed(const float* b, int ldb, int k0, int kc, int n,
                                          Word* scratch, std::ptrdiff_t& step_k,
                                          std::ptrdiff_t& step_j) {
    for (int w = 0; w < words(kc); ++w) {
      const float* first = b + std::int64_t(k0 + 2 * w) * ldb;
      pair_columns(first, 2 * w + 1 < kc ? first + ldb : nullptr, n, n,
                   scratch + std::size_t(w) * n);
    }
    step_k = n;
    step_j = 1;
    return scratch;
  }

  // acc[j] += panel * op(B)(kk, j) over the pairs w < words.
  template <int Columns>
  static void tile(int words, const Word* panel, const Word* b, std::ptrdiff_t step_k,
                   std::ptrdiff_t step_j, Vec (&acc)[Columns][2]) {
    for (int w = 0; w < words; ++w, panel += kPanelRows, b += step_k) {
      const __m512bh a0 = (__m512bh)_mm512_loadu_si512(panel),
                     a1 = (__m512bh)_mm512_loadu_si512(panel + kLanes);
#pragma GCC unroll 12
      for (int j = 0; j < Columns; ++j) {
        const __m512bh s = (__m512bh)_mm512_set1_epi32(int(b[j * step_j]));
        acc[j][0] = _mm512_dpbf16_ps(acc[j][0], a0, s);
        acc[j][1] = _mm512_dpbf16_ps(acc[j][1], a1, s);
      }
    }
  }

 private:
  static std::uint32_t bits_of(float x) {
    std::uint32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    return bits;
  }
  // x rounded to bfloat16, to nearest with ties to even (as VCVTNE2PS2BF16 for finite x).
  static std::uint32_t bf16(float x) {
    const std::uint32_t bits = bits_of(x);
    return (bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16;
  }
  static Word word(float low, float high) {
    return bf16(low) | (bf16(high) << 16);
  }

  // out[r] = word(first[r], second[r]) for r < count (second null: zeros), zeros up to `padded`.
  static void pair_columns(const float* first, const float* second, int count, int padded,
                           Word* out) {
    // After VCVTNE2PS2BF16 the 16-bit lanes hold first[0..15], second[0..15]; this interleaves
    // them into pairs.
    const __m512i interleave =
        _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8, 23, 7, 22, 6,
                         21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    for (int r = 0; r < padded; r += kLanes) {
      const int left = count - r;
      const __mmask16 mask =
          left >= kLanes ? __mmask16(0xFFFF) : __mmask16(left > 0 ? (1u << left) - 1u : 0u);
      const __m512 x0 = _mm512_maskz_loadu_ps(mask, first + r),
                   x1 = second ? _mm512_maskz_loadu_ps(mask, second + r) : _mm512_setzero_ps();
      const __m512i packed =
          _mm512_permutexvar_epi16(interleave, (__m512i)_mm512_cvtne2ps_pbh(x1, x0));
      const int stored = padded - r < kLanes ? padded - r : kLanes;
      _mm512_mask_storeu_epi32(out + r, __mmask16((1u << stored) - 1u), packed);
    }
  }

  // out[w] = word(x[2w], x[2w + 1]) for w < words(count), x zero beyond count.
  static void pair_consecutive(const float* x, int count, Word* out) {
    for (int i = 0; i < count; i += 2 * kLanes) {
      const int left = count - i;
      const auto mask_of = [](int n) {
        return n >= kLanes ? __mmask16(0xFFFF) : __mmask16(n > 0 ? (1u << n) - 1u : 0u);
      };
      const __m512 low = _mm512_maskz_loadu_ps(mask_of(left), x + i),
                   high = _mm512_maskz_loadu_ps(mask_of(left - kLanes), x + i + kLanes);
      const int stored = words(left) < kLanes ? words(left) : kLanes;
      _mm512_mask_storeu_epi32(out + i / 2, __mmask16((1u << stored) - 1u),
                               (__m512i)_mm512_cvtne2ps_pbh(high, low));
    }
  }
};

}  // namespace advect::neural::blocked_gemm

#endif  // __AVX512BF16__
