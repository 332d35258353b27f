// One body for NeighbourGridKernels on both backends (NeighbourGridCPU.cpp / CUDA.cu).
#pragma once

#include <cfloat>
#include <cmath>

#include "advect/engine/ParallelFor.h"
#include "advect/geometry/NeighbourGrid.h"
#include "kernels/KeyRanges.h"
#include "kernels/NeighbourGridKernels.h"

namespace advect::geometry {
inline namespace ADVECT_BACKEND {

struct Box {
  float lo[3], hi[3];
};

struct PointBox {
  const float* points;
  ADVECT_HD Box operator()(std::int64_t i) const {
    const float* p = points + 3 * i;
    return {{p[0], p[1], p[2]}, {p[0], p[1], p[2]}};
  }
};

struct MergeBoxes {
  ADVECT_HD Box operator()(const Box& a, const Box& b) const {
    Box out;
    for (int d = 0; d < 3; ++d) {
      out.lo[d] = fminf(a.lo[d], b.lo[d]);
      out.hi[d] = fmaxf(a.hi[d], b.hi[d]);
    }
    return out;
  }
};

// Cell boxes used for pruning are shrunk by this fraction of a cell, so that a point that
// rounding put into a neighbouring cell is never pruned: exact results at negligible cost.
inline constexpr float kBoundaryMargin = 1e-4f;

ADVECT_HD inline int cell_coordinate(const GridView& g, float x, int axis) {
  const int c = int(floorf((x - g.origin[axis]) / g.cell));
  return c < 0 ? 0 : (c >= g.dims[axis] ? g.dims[axis] - 1 : c);
}

ADVECT_HD inline std::int32_t cell_index(const GridView& g, const float* p) {
  return (cell_coordinate(g, p[2], 2) * g.dims[1] + cell_coordinate(g, p[1], 1)) * g.dims[0] +
         cell_coordinate(g, p[0], 0);
}

struct CellKeys {
  GridView grid;
  const float* points;
  std::int32_t* keys;
  ADVECT_HD void operator()(std::int64_t i) const { keys[i] = cell_index(grid, points + 3 * i); }
};

struct GatherSorted {
  const float* points;
  const std::int32_t* order;
  float* sorted;
  ADVECT_HD void operator()(std::int64_t i) const {
    for (int d = 0; d < 3; ++d) sorted[3 * i + d] = points[3 * std::int64_t(order[i]) + d];
  }
};

struct GatherStrided {
  const float* points;
  std::int64_t n, m;
  float* out;
  ADVECT_HD void operator()(std::int64_t i) const {
    const std::int64_t from = i * n / m;
    for (int d = 0; d < 3; ++d) out[3 * i + d] = points[3 * from + d];
  }
};

struct SquaredCellCount {
  const std::int32_t* cell_start;
  ADVECT_HD double operator()(std::int64_t c) const {
    const double count = double(cell_start[c + 1] - cell_start[c]);
    return count * count;
  }
};

struct AddDoubles {
  ADVECT_HD double operator()(double a, double b) const { return a + b; }
};

// Keeps the k smallest (distance, index) pairs in ascending order (k <= Capacity); ties go to the
// lower index so that the result does not depend on the order in which cells are visited.
template <int Capacity>
struct TopK {
  float distance[Capacity] = {};
  std::int32_t index[Capacity] = {};
  int k, found = 0;

  // k, known at compile time where the capacity is one.
  ADVECT_HD int size() const { return Capacity == 1 ? 1 : k; }
  ADVECT_HD bool full() const { return found == size(); }
  ADVECT_HD float farthest() const { return distance[size() - 1]; }

  ADVECT_HD static bool before(float d1, std::int32_t i1, float d2, std::int32_t i2) {
    return d1 < d2 || (d1 == d2 && i1 < i2);
  }
  ADVECT_HD void insert(float d, std::int32_t i) {
    const int last = size() - 1;
    if (full() && !before(d, i, distance[last], index[last])) return;
    int slot = full() ? last : found++;
    if constexpr (Capacity > 1) {
      while (slot > 0 && before(d, i, distance[slot - 1], index[slot - 1])) {
        distance[slot] = distance[slot - 1];
        index[slot] = index[slot - 1];
        --slot;
      }
    }
    distance[slot] = d;
    index[slot] = i;
  }
};

// Capacity: the most neighbours a query keeps. A nearest-neighbour query (k = 1, as Chamfer asks)
// keeps its one candidate in registers, where 32-entry arrays live in a GPU thread's slow local
// memory.
template <int Capacity>
struct KnnQuery {
  GridView g;
  const float* queries;
  int k;
  float max_squared;  // neighbours beyond this squared distance are neither searched nor kept
  std::int32_t* out_index;
  float* out_distance;

  ADVECT_HD void scan_cell(const float* p, std::int64_t cell, TopK<Capacity>& top) const {
    for (std::int32_t s = g.cell_start[cell]; s < g.cell_start[cell + 1]; ++s) {
      const float* r = g.points + 3 * std::int64_t(s);
      const float dx = r[0] - p[0], dy = r[1] - p[1], dz = r[2] - p[2];
      const float d2 = dx * dx + dy * dy + dz * dz;
      if (d2 <= max_squared) top.insert(d2, g.original[s]);
    }
  }

  // Squared distance from p to the box of cell (x, y, z); 0 inside.
  ADVECT_HD float cell_distance_squared(const float* p, int x, int y, int z) const {
    const int cell[3] = {x, y, z};
    return box_distance_squared(p, cell, cell);
  }

  // Squared distance from p to the box of cells [first, last] (inclusive, per axis), shrunk by
  // the rounding margin. The outermost cells reach to infinity: they hold the points outside the
  // grid's box.
  ADVECT_HD float box_distance_squared(const float* p, const int* first, const int* last) const {
    float sum = 0.0f;
    for (int d = 0; d < 3; ++d) {
      const float lo = first[d] == 0 ? -INFINITY : g.origin[d] + float(first[d]) * g.cell,
                  hi = last[d] == g.dims[d] - 1 ? INFINITY
                                                : g.origin[d] + float(last[d] + 1) * g.cell;
      const float gap = p[d] < lo ? lo - p[d] : (p[d] > hi ? p[d] - hi : 0.0f);
      // A comparison, not fmaxf: g++ calls libm's fmaxf (NaN rules), a third of the query time.
      const float shrunk = gap - kBoundaryMargin * g.cell;
      const float safe = shrunk > 0.0f ? shrunk : 0.0f;
      sum += safe * safe;
    }
    return sum;
  }

  // No unvisited point is nearer than this: the grid outside the visited block [lo, hi] is the
  // union of at most six slabs, and this is the squared distance to the nearest of them.
  ADVECT_HD float unvisited_distance_squared(const float* p, const int* lo, const int* hi) const {
    float nearest = FLT_MAX;
    for (int axis = 0; axis < 3; ++axis) {
      for (int side = 0; side < 2; ++side) {
        int first[3] = {0, 0, 0}, last[3] = {g.dims[0] - 1, g.dims[1] - 1, g.dims[2] - 1};
        if (side == 0) {
          if (lo[axis] <= 0) continue;
          last[axis] = lo[axis] - 1;
        } else {
          if (hi[axis] >= g.dims[axis] - 1) continue;
          first[axis] = hi[axis] + 1;
        }
        const float d2 = box_distance_squared(p, first, last);
        nearest = d2 < nearest ? d2 : nearest;
      }
    }
    return nearest;
  }

  ADVECT_HD void operator()(std::int64_t q) const {
    const float* p = queries + 3 * q;
    const int c[3] = {cell_coordinate(g, p[0], 0), cell_coordinate(g, p[1], 1),
                      cell_coordinate(g, p[2], 2)};
    TopK<Capacity> top;
    top.k = k;
    for (int r = 0;; ++r) {
      int lo[3], hi[3];
      bool covers_grid = true;
      for (int d = 0; d < 3; ++d) {
        lo[d] = c[d] - r;
        hi[d] = c[d] + r;
        covers_grid = covers_grid && lo[d] <= 0 && hi[d] >= g.dims[d] - 1;
      }
      // Visit the cells at Chebyshev distance exactly r (the shell), clipped to the grid.
      for (int z = lo[2] < 0 ? 0 : lo[2]; z <= hi[2] && z < g.dims[2]; ++z) {
        for (int y = lo[1] < 0 ? 0 : lo[1]; y <= hi[1] && y < g.dims[1]; ++y) {
          const bool inner = z != lo[2] && z != hi[2] && y != lo[1] && y != hi[1];
          const int step = inner ? 2 * r : 1;  // inside the shell's slab only the two x faces
          for (int x = lo[0]; x <= hi[0]; x += step > 0 ? step : 1) {
            if (x < 0 || x >= g.dims[0]) continue;
            // Skip cells that cannot hold anything nearer than the current k-th neighbour.
            const float cell_d2 = cell_distance_squared(p, x, y, z);
            if (cell_d2 > max_squared || (top.full() && cell_d2 > top.farthest())) {
              continue;
            }
            scan_cell(p, (std::int64_t(z) * g.dims[1] + y) * g.dims[0] + x, top);
          }
        }
      }
      if (covers_grid) break;
      const float unvisited = unvisited_distance_squared(p, lo, hi);
      if (unvisited > max_squared) break;
      // Strictly nearer: an unvisited point at the same distance may have a lower index.
      if (top.full() && top.farthest() < unvisited) break;
    }
    for (int j = 0; j < k; ++j) {
      out_index[q * k + j] = j < top.found ? top.index[j] : -1;
      out_distance[q * k + j] = j < top.found ? top.distance[j] : INFINITY;
    }
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void NeighbourGridKernels<B>::bounds(const float* points, std::int64_t n, float out[6]) {
  const Box first = {{FLT_MAX, FLT_MAX, FLT_MAX}, {-FLT_MAX, -FLT_MAX, -FLT_MAX}};
  const Box box = detail::transform_reduce(n, first, MergeBoxes{}, PointBox{points});
  for (int d = 0; d < 3; ++d) {
    out[d] = box.lo[d];
    out[3 + d] = box.hi[d];
  }
}

template <Backend B>
void NeighbourGridKernels<B>::sample(const float* points, std::int64_t n, std::int64_t m,
                                     float* out) {
  detail::parallel_for(m, GatherStrided{points, n, m, out});
}

template <Backend B>
void NeighbourGridKernels<B>::build(const float* reference, std::int64_t n, std::int32_t* keys,
                                    float* sorted, std::int32_t* original, std::int32_t* cell_start,
                                    const GridView& view) {
  detail::parallel_for(n, CellKeys{view, reference, keys});
  detail::parallel_for(n, Iota{original});
  detail::sort_by_key(keys, original, n);
  detail::parallel_for(n, GatherSorted{reference, original, sorted});
  const std::int64_t cells = std::int64_t(view.dims[0]) * view.dims[1] * view.dims[2];
  detail::parallel_for(n + 1, KeyRanges{keys, n, cells, cell_start});
}

template <Backend B>
double NeighbourGridKernels<B>::sum_squared_cell_counts(const std::int32_t* cell_start,
                                                        std::int64_t cells) {
  return detail::transform_reduce(cells, 0.0, AddDoubles{}, SquaredCellCount{cell_start});
}

template <Backend B>
void NeighbourGridKernels<B>::query(const GridView& grid, const float* points, std::int64_t n,
                                    int k, float max_squared, std::int32_t* indices,
                                    float* squared_distances) {
  if (k == 1) {
    detail::parallel_for(n, KnnQuery<1>{grid, points, k, max_squared, indices, squared_distances});
  } else {
    detail::parallel_for(
        n, KnnQuery<kMaxNeighbours>{grid, points, k, max_squared, indices, squared_distances});
  }
}

template struct NeighbourGridKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::geometry
