// What the blocked GEMM's element types share (BlockedGemmCPU.cpp): the register tile's shape,
// panel sizes, and the tile's write-back into C. A register tile is 32 rows x up to 12 columns of
// C: 24 accumulators of 16 float lanes, 24 of AVX-512's 32 vector registers.
#pragma once

#include <cstdint>
#include <cstring>

namespace advect::neural::blocked_gemm {

using Vec = float __attribute__((vector_size(64)));
constexpr int kLanes = 16;
constexpr int kPanelRows = 2 * kLanes;
constexpr int kTileColumns = 12;

inline Vec load(const float* p) {
  Vec v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void store(float* p, Vec v) {
  std::memcpy(p, &v, sizeof v);
}

inline int panels(int m) {
  return (m + kPanelRows - 1) / kPanelRows;
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

}  // namespace advect::neural::blocked_gemm
