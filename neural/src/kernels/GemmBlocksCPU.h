// The blocked GEMM's loops over register tiles (BlockedGemmCPU.cpp, BlockedMlpCPU.cpp): each
// tile's sums are handed to a writer that knows where the tile lies, so that a product can end in
// its own epilogue (a bias and activation, a derivative).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "kernels/GemmTilesCPU.h"

namespace advect::neural::blocked_gemm {

// One register tile: rows [row0, row0 + rows) of C from `panel`, columns [column0, column0 +
// Columns) from b; its sums go to write(acc, rows, row0, column0).
template <class Words, class Write, int Columns>
void tile_at(int words, const typename Words::Word* panel, const typename Words::Word* b,
             std::ptrdiff_t step_k, std::ptrdiff_t step_j, int rows, int row0, int column0,
             const Write& write) {
  Vec acc[Columns][2] = {};
  Words::template tile<Columns>(words, panel, b, step_k, step_j, acc);
  write(acc, rows, row0, column0);
}

template <class Words, class Write, std::size_t... C>
constexpr auto tile_functions(std::index_sequence<C...>) {
  return std::array{&tile_at<Words, Write, int(C) + 1>...};
}

// The tile of `columns` (1 to kTileColumns) columns.
template <class Words, class Write>
void run_tile(int columns, int words, const typename Words::Word* panel,
              const typename Words::Word* b, std::ptrdiff_t step_k, std::ptrdiff_t step_j, int rows,
              int row0, int column0, const Write& write) {
  static constexpr auto kTiles =
      tile_functions<Words, Write>(std::make_index_sequence<kTileColumns>{});
  kTiles[std::size_t(columns - 1)](words, panel, b, step_k, step_j, rows, row0, column0, write);
}

// One block of `columns` (1 to kTileColumns) columns of C = op(A) op(B) against every panel: op(A)
// (m rows, `words` words along the sum) packed by Words::pack_a, op(B) read at b[kk * step_k + j *
// step_j]; column0 is 0.
template <class Words, class Write>
void column_block(int m, int columns, int words, const typename Words::Word* packed,
                  const typename Words::Word* b, std::ptrdiff_t step_k, std::ptrdiff_t step_j,
                  const Write& write) {
  for (int p = 0; p < panels(m); ++p) {
    const int row0 = p * kPanelRows;
    run_tile<Words>(columns, words, packed + std::size_t(p) * words * kPanelRows, b, step_k, step_j,
                    std::min(kPanelRows, m - row0), row0, 0, write);
  }
}

// All n columns of C, panel by panel: each panel of op(A) stays in the L1 cache while it meets
// every column block of op(B) (which the L2 cache holds). before_tile() runs before each tile (to
// prefetch what comes next, say).
template <class Words, class Write, class BeforeTile>
void panel_by_panel(int m, int n, int words, const typename Words::Word* packed,
                    const typename Words::Word* b, std::ptrdiff_t step_k, std::ptrdiff_t step_j,
                    const Write& write, const BeforeTile& before_tile) {
  for (int p = 0; p < panels(m); ++p) {
    const int row0 = p * kPanelRows;
    for (int j0 = 0; j0 < n; j0 += kTileColumns) {
      before_tile();
      run_tile<Words>(std::min(kTileColumns, n - j0), words,
                      packed + std::size_t(p) * words * kPanelRows, b + j0 * step_j, step_k, step_j,
                      std::min(kPanelRows, m - row0), row0, j0, write);
    }
  }
}

}  // namespace advect::neural::blocked_gemm
