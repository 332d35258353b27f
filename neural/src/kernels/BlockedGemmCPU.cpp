// The blocked GEMM: op(A) is packed into panels of 32 rows (zero-padded), each a k x 32 array, so
// a register tile of 32 rows x up to 12 columns of C reads its A panel contiguously and broadcasts
// single elements of op(B). 24 accumulators of 16 lanes fill 24 of AVX-512's 32 vector registers.

#include "kernels/BlockedGemmCPU.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace advect::neural::blocked_gemm {

namespace {

using Vec = float __attribute__((vector_size(64)));
constexpr int kLanes = 16;
constexpr int kPanelRows = 2 * kLanes;
constexpr int kTileColumns = 12;
// The sum over many columns is split into parts of this many columns (a fixed split, so that the
// rounding does not depend on the thread count), each packed and summed in chunks of kChunk.
constexpr int kReductionPart = 512, kMaxReductionParts = 16, kChunk = 256;
// Columns of a wide product per parallel part, and at most this many parts.
constexpr int kMinWidePart = 32, kMaxWideParts = 16;

inline Vec load(const float* p) {
  Vec v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void store(float* p, Vec v) {
  std::memcpy(p, &v, sizeof v);
}

// a * s + c, fused where the target has FMA (ISO C++ mode does not contract a * s + c).
inline Vec multiply_add(Vec a, float s, Vec c) {
#if defined(__AVX512F__)
  return _mm512_fmadd_ps(a, _mm512_set1_ps(s), c);
#else
  return a * s + c;
#endif
}

// Scratch arrays per thread that grow and are reused: no allocation per product once warm. Slot
// kShared is filled by the calling thread and read by all; slot kOwn is each thread's own.
enum Slot { kShared, kOwn };
float* scratch(Slot slot, std::size_t floats) {
  thread_local std::vector<float> slots[2];
  std::vector<float>& storage = slots[slot];
  constexpr std::size_t kAlign = 64 / sizeof(float);
  if (storage.size() < floats + kAlign) storage.resize(floats + kAlign);
  void* p = storage.data();
  std::size_t space = storage.size() * sizeof(float);
  return static_cast<float*>(std::align(64, floats * sizeof(float), p, space));
}

int panels(int m) {
  return (m + kPanelRows - 1) / kPanelRows;
}

// Columns [k0, k0 + kc) of op(A) as panels of kPanelRows rows: out[(panel * kc + kk) * 32 + r].
void pack_a(bool transpose_a, int m, int k0, int kc, const float* a, int lda, float* out) {
  for (int p = 0; p < panels(m); ++p) {
    for (int kk = 0; kk < kc; ++kk) {
      float* dst = out + (std::size_t(p) * kc + kk) * kPanelRows;
      for (int r = 0; r < kPanelRows; ++r) {
        const int row = p * kPanelRows + r;
        const std::int64_t column = k0 + kk;
        dst[r] = row >= m      ? 0.0f
                 : transpose_a ? a[column + std::int64_t(row) * lda]
                               : a[row + column * lda];
      }
    }
  }
}

// The register tile: acc[j] += panel * op(B)(kk, j) over kk, where op(B)(kk, j) =
// b[kk * step_k + j * step_j].
template <int Columns>
void tile(int kc, const float* panel, const float* b, std::ptrdiff_t step_k, std::ptrdiff_t step_j,
          Vec (&acc)[Columns][2]) {
  for (int kk = 0; kk < kc; ++kk, panel += kPanelRows, b += step_k) {
    const Vec a0 = load(panel), a1 = load(panel + kLanes);
#pragma GCC unroll 12
    for (int j = 0; j < Columns; ++j) {
      const float s = b[j * step_j];
      acc[j][0] = multiply_add(a0, s, acc[j][0]);
      acc[j][1] = multiply_add(a1, s, acc[j][1]);
    }
  }
}

// C's tile (rows x Columns at c) = alpha * acc + beta * C, not reading C when beta == 0.
template <int Columns>
void write_tile(const Vec (&acc)[Columns][2], int rows, float alpha, float beta, float* c,
                std::int64_t ldc) {
  for (int j = 0; j < Columns; ++j) {
    float* column = c + j * ldc;
    if (rows == kPanelRows) {
      for (int h = 0; h < 2; ++h) {
        Vec v = acc[j][h] * alpha;
        if (beta != 0.0f) v += load(column + h * kLanes) * beta;
        store(column + h * kLanes, v);
      }
    } else {
      float values[kPanelRows];
      std::memcpy(values, acc[j], sizeof values);
      for (int r = 0; r < rows; ++r) {
        column[r] = alpha * values[r] + (beta != 0.0f ? beta * column[r] : 0.0f);
      }
    }
  }
}

template <int Columns>
void tile_into(int rows, int kc, const float* panel, const float* b, std::ptrdiff_t step_k,
               std::ptrdiff_t step_j, float alpha, float beta, float* c, std::int64_t ldc) {
  Vec acc[Columns][2] = {};
  tile<Columns>(kc, panel, b, step_k, step_j, acc);
  write_tile<Columns>(acc, rows, alpha, beta, c, ldc);
}

// One block of up to kTileColumns columns of C against every panel of packed op(A).
void column_block(int m, int columns, int kc, const float* packed, const float* b,
                  std::ptrdiff_t step_k, std::ptrdiff_t step_j, float alpha, float beta, float* c,
                  std::int64_t ldc) {
  using TileFunction = void (*)(int, int, const float*, const float*, std::ptrdiff_t,
                                std::ptrdiff_t, float, float, float*, std::int64_t);
  static constexpr TileFunction kTiles[kTileColumns] = {
      tile_into<1>, tile_into<2>, tile_into<3>, tile_into<4>,  tile_into<5>,  tile_into<6>,
      tile_into<7>, tile_into<8>, tile_into<9>, tile_into<10>, tile_into<11>, tile_into<12>};
  const TileFunction run = kTiles[columns - 1];
  for (int p = 0; p < panels(m); ++p) {
    const int row0 = p * kPanelRows;
    run(std::min(kPanelRows, m - row0), kc, packed + std::size_t(p) * kc * kPanelRows, b, step_k,
        step_j, alpha, beta, c + row0, ldc);
  }
}

// op(B) = B, n wide: A packed once, the columns of C split into a fixed number of parts.
void multiply_wide(bool transpose_a, int m, int n, int k, float alpha, const float* a, int lda,
                   const float* b, int ldb, float beta, float* c, int ldc) {
  float* packed = scratch(kShared, std::size_t(panels(m)) * kPanelRows * k);
  pack_a(transpose_a, m, 0, k, a, lda, packed);
  const int parts = std::max(1, std::min(kMaxWideParts, n / kMinWidePart));
#pragma omp parallel for schedule(static) if (parts > 1)
  for (int part = 0; part < parts; ++part) {
    const int begin = int(std::int64_t(n) * part / parts),
              end = int(std::int64_t(n) * (part + 1) / parts);
    for (int j0 = begin; j0 < end; j0 += kTileColumns) {
      column_block(m, std::min(kTileColumns, end - j0), k, packed, b + std::int64_t(j0) * ldb, 1,
                   ldb, alpha, beta, c + std::int64_t(j0) * ldc, ldc);
    }
  }
}

// op(A) = A, op(B) = B^T, k long: each part of the sum accumulates into its own m x n partial
// (chunk by chunk, A's chunk packed), then the partials are added in a fixed order.
void multiply_reduction(int m, int n, int k, float alpha, const float* a, int lda, const float* b,
                        int ldb, float beta, float* c, int ldc) {
  const int parts = std::clamp(k / kReductionPart, 1, kMaxReductionParts);
  const std::size_t partial_size = std::size_t(m) * n;
  float* partials = scratch(kShared, partial_size * parts);
#pragma omp parallel for schedule(static) if (parts > 1)
  for (int part = 0; part < parts; ++part) {
    const int begin = int(std::int64_t(k) * part / parts),
              end = int(std::int64_t(k) * (part + 1) / parts);
    float* partial = partials + partial_size * part;
    float* packed = scratch(kOwn, std::size_t(panels(m)) * kPanelRows * kChunk);
    for (int k0 = begin; k0 < end; k0 += kChunk) {
      const int kc = std::min(kChunk, end - k0);
      pack_a(false, m, k0, kc, a, lda, packed);
      for (int j0 = 0; j0 < n; j0 += kTileColumns) {
        column_block(m, std::min(kTileColumns, n - j0), kc, packed, b + std::int64_t(k0) * ldb + j0,
                     ldb, 1, 1.0f, k0 == begin ? 0.0f : 1.0f, partial + std::int64_t(j0) * m, m);
      }
    }
  }
#pragma omp parallel for schedule(static) if (partial_size >= (1 << 14))
  for (std::int64_t j = 0; j < n; ++j) {
    for (int i = 0; i < m; ++i) {
      float sum = 0.0f;
      for (int part = 0; part < parts; ++part) sum += partials[partial_size * part + j * m + i];
      float& out = c[i + j * ldc];
      out = alpha * sum + (beta != 0.0f ? beta * out : 0.0f);
    }
  }
}

}  // namespace

bool handles(bool transpose_a, bool transpose_b, int m, int n, int k) {
  if (m <= 0 || n <= 0 || k <= 0) return false;
  if (!transpose_b) return n >= 16;
  return !transpose_a && k >= 256;
}

void multiply(bool transpose_a, bool transpose_b, int m, int n, int k, float alpha, const float* a,
              int lda, const float* b, int ldb, float beta, float* c, int ldc) {
  if (!transpose_b) {
    multiply_wide(transpose_a, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  } else {
    multiply_reduction(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }
}

}  // namespace advect::neural::blocked_gemm
