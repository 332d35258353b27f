// One body for DistanceFieldKernels on both backends (DistanceFieldCPU.cpp / CUDA.cu).
#pragma once

#include <cmath>

#include "advect/engine/ParallelFor.h"
#include "advect/geometry/DistanceField.h"
#include "kernels/DistanceFieldKernels.h"

namespace advect::geometry {
inline namespace ADVECT_BACKEND {

struct FillInfinity {
  float* squared;
  ADVECT_HD void operator()(std::int64_t i) const { squared[i] = INFINITY; }
};

struct MarkSite {
  DistanceGridView grid;
  float* squared;
  const float* points;
  ADVECT_HD void operator()(std::int64_t i) const {
    std::int64_t index = 0;
    for (int d = 2; d >= 0; --d) {
      const int c = int(floorf((points[3 * i + d] - grid.origin[d]) / grid.cell));
      if (c < 0 || c >= grid.dims[d]) return;  // outside explicitly given bounds: not a site
      index = index * grid.dims[d] + c;
    }
    squared[index] = 0.0f;  // every writer writes the same value
  }
};

// Felzenszwalb-Huttenlocher lower envelope of parabolas along one grid line, in cell units:
// out[q] = min_p ((q - p)^2 + f[p]). Infinite samples are not sites.
struct LineTransform {
  DistanceGridView grid;
  float* squared;
  int axis;
  std::int64_t first_line;
  double* scratch;
  std::int64_t scratch_stride;

  // Where the parabolas rooted at p and q (p < q) cross.
  ADVECT_HD static double intersection(const double* f, double p, int q) {
    return ((f[q] + double(q) * q) - (f[int(p)] + p * p)) / (2.0 * q - 2.0 * p);
  }

  ADVECT_HD void operator()(std::int64_t local) const {
    const std::int64_t line = first_line + local;
    const std::int64_t nx = grid.dims[0], ny = grid.dims[1];
    std::int64_t base, stride;
    if (axis == 0) {
      base = line * nx;
      stride = 1;
    } else if (axis == 1) {
      base = (line / nx) * nx * ny + line % nx;
      stride = nx;
    } else {
      base = line;
      stride = nx * ny;
    }
    const int n = grid.dims[axis];
    double* f = scratch + local * scratch_stride;
    double* v = f + n;  // parabola vertices (indices)
    double* z = v + n;  // boundaries between parabolas, n + 1
    int k = -1;
    for (int q = 0; q < n; ++q) {
      f[q] = squared[base + q * stride];
      if (!(f[q] < INFINITY)) continue;  // not a site (yet)
      if (k < 0) {
        k = 0;
        v[0] = q;
        z[0] = -INFINITY;
        z[1] = INFINITY;
        continue;
      }
      // Drop parabolas hidden by the new one; z[0] = -inf stops this at k = 0.
      double s = intersection(f, v[k], q);
      while (s <= z[k]) s = intersection(f, v[--k], q);
      ++k;
      v[k] = q;
      z[k] = s;
      z[k + 1] = INFINITY;
    }
    if (k < 0) return;  // no site on this line: all stay infinite
    k = 0;
    for (int q = 0; q < n; ++q) {
      while (z[k + 1] < q) ++k;
      const double p = v[k];
      squared[base + q * stride] = float((q - p) * (q - p) + f[int(p)]);
    }
  }
};

struct EvaluateDistance {
  DistanceGridView grid;
  const float* points;
  float* distance;
  float* gradient;

  ADVECT_HD float node(int i, int j, int k) const {
    return sqrtf(grid.squared[(std::int64_t(k) * grid.dims[1] + j) * grid.dims[0] + i]) * grid.cell;
  }

  ADVECT_HD void operator()(std::int64_t q) const {
    int lower[3];
    float t[3], outside[3];
    bool clamped[3];
    for (int d = 0; d < 3; ++d) {
      const float u =
          (points[3 * q + d] - grid.origin[d]) / grid.cell - 0.5f;  // centre coordinates
      const float top = float(grid.dims[d] - 1);
      const float inside = fminf(fmaxf(u, 0.0f), top);
      clamped[d] = u != inside;
      outside[d] = (u - inside) * grid.cell;
      lower[d] =
          grid.dims[d] > 1 ? (int(inside) < grid.dims[d] - 1 ? int(inside) : grid.dims[d] - 2) : 0;
      t[d] = grid.dims[d] > 1 ? inside - float(lower[d]) : 0.0f;
    }
    float value = 0.0f, slope[3] = {0.0f, 0.0f, 0.0f};
    for (int corner = 0; corner < 8; ++corner) {
      int c[3];
      float w[3];
      for (int d = 0; d < 3; ++d) {
        const int upper = (corner >> d) & 1;
        c[d] = lower[d] + (grid.dims[d] > 1 ? upper : 0);
        w[d] = upper ? t[d] : 1.0f - t[d];
      }
      if (w[0] * w[1] * w[2] == 0.0f && (gradient == nullptr)) continue;
      const float v = node(c[0], c[1], c[2]);
      if (!(v < INFINITY)) continue;
      value += w[0] * w[1] * w[2] * v;
      for (int d = 0; d < 3; ++d) {
        const int upper = (corner >> d) & 1;
        const float others = w[(d + 1) % 3] * w[(d + 2) % 3];
        if (grid.dims[d] > 1) slope[d] += (upper ? 1.0f : -1.0f) * others * v;
      }
    }
    const float away =
        sqrtf(outside[0] * outside[0] + outside[1] * outside[1] + outside[2] * outside[2]);
    distance[q] = value + away;
    if (gradient != nullptr) {
      for (int d = 0; d < 3; ++d) {
        const float inner = clamped[d] ? 0.0f : slope[d] / grid.cell;
        gradient[3 * q + d] = inner + (away > 0.0f ? outside[d] / away : 0.0f);
      }
    }
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void DistanceFieldKernels<B>::mark_sites(const DistanceGridView& grid, float* squared,
                                         const float* points, std::int64_t n) {
  const std::int64_t cells = std::int64_t(grid.dims[0]) * grid.dims[1] * grid.dims[2];
  detail::parallel_for(cells, FillInfinity{squared});
  detail::parallel_for(n, MarkSite{grid, squared, points});
}

template <Backend B>
void DistanceFieldKernels<B>::transform_axis(const DistanceGridView& grid, float* squared, int axis,
                                             double* scratch, std::int64_t lines_per_batch) {
  const std::int64_t cells = std::int64_t(grid.dims[0]) * grid.dims[1] * grid.dims[2];
  const std::int64_t lines = cells / grid.dims[axis];
  const std::int64_t stride = 3 * std::int64_t(grid.dims[axis]) + 1;
  for (std::int64_t first = 0; first < lines; first += lines_per_batch) {
    const std::int64_t count = lines - first < lines_per_batch ? lines - first : lines_per_batch;
    detail::parallel_for(count, LineTransform{grid, squared, axis, first, scratch, stride});
  }
}

template <Backend B>
void DistanceFieldKernels<B>::evaluate(const DistanceGridView& grid, const float* points,
                                       std::int64_t n, float* distance, float* gradient) {
  detail::parallel_for(n, EvaluateDistance{grid, points, distance, gradient});
}

template struct DistanceFieldKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::geometry
