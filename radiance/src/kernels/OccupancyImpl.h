// One body for OccupancyKernels on both backends.
#pragma once

#include <cmath>

#include "advect/engine/ParallelFor.h"
#include "kernels/OccupancyKernels.h"
#include "kernels/RandomHash.h"

namespace advect::radiance {
inline namespace ADVECT_BACKEND {

struct CellPoints {
  int resolution;
  std::uint64_t seed;
  float* points;
  ADVECT_HD void operator()(std::int64_t cell) const {
    const std::int64_t r = resolution;
    const std::int64_t index[3] = {cell % r, (cell / r) % r, cell / (r * r)};
    for (int d = 0; d < 3; ++d) {
      points[3 * cell + d] = (float(index[d]) + uniform01(seed, 3 * cell + d)) / float(r);
    }
  }
};

struct FoldDensity {
  float* density;
  const float* sigma;
  float decay;
  ADVECT_HD double operator()(std::int64_t i) const {
    const float decayed = density[i] * decay;
    density[i] = sigma[i] > decayed ? sigma[i] : decayed;
    return double(density[i]);
  }
};

struct SumDouble {
  ADVECT_HD double operator()(double a, double b) const { return a + b; }
};

struct Threshold {
  const float* density;
  float level;
  std::uint8_t* occupied;
  ADVECT_HD void operator()(std::int64_t i) const { occupied[i] = density[i] > level ? 1 : 0; }
};

struct IsOccupied {
  const std::uint8_t* occupied;
  ADVECT_HD std::int64_t operator()(std::int64_t i) const { return occupied[i]; }
};

struct SumInt {
  ADVECT_HD std::int64_t operator()(std::int64_t a, std::int64_t b) const { return a + b; }
};

// Walks one ray through the box in steps of options.step and calls emit(t, position in box
// coordinates) at every point inside an occupied cell, up to max_samples points.
struct RayWalk {
  GridView grid;
  RaysView rays;
  MarchOptions options;

  template <class Emit>
  ADVECT_HD int walk(std::int64_t r, Emit& emit) const {
    const float* o = rays.origins + 3 * r;
    const float* d = rays.directions + 3 * r;
    float near = 0.0f, far = 3.0e38f;
    for (int a = 0; a < 3; ++a) {  // slab intersection with the box
      const float inverse = 1.0f / d[a];
      float t0 = (grid.box.lower[a] - o[a]) * inverse, t1 = (grid.box.upper[a] - o[a]) * inverse;
      if (t0 > t1) {
        const float swap = t0;
        t0 = t1;
        t1 = swap;
      }
      near = t0 > near ? t0 : near;
      far = t1 < far ? t1 : far;
    }
    if (!(near < far)) return 0;
    const float start = options.jitter ? uniform01(options.seed, std::uint64_t(r)) : 0.5f;
    int count = 0;
    const int n = grid.resolution;
    for (float t = near + start * options.step; t < far && count < options.max_samples;
         t += options.step) {
      float unit[3];
      int cell[3];
      for (int a = 0; a < 3; ++a) {
        unit[a] = (o[a] + t * d[a] - grid.box.lower[a]) / (grid.box.upper[a] - grid.box.lower[a]);
        const int c = int(unit[a] * float(n));
        cell[a] = c < 0 ? 0 : (c >= n ? n - 1 : c);
      }
      if (grid.occupied[(std::int64_t(cell[2]) * n + cell[1]) * n + cell[0]]) {
        emit(count, t, unit);
        ++count;
      }
    }
    return count;
  }
};

struct CountOnly {
  ADVECT_HD void operator()(int, float, const float*) const {}
};

struct CountSamples {
  RayWalk walk;
  std::int32_t* counts;
  ADVECT_HD void operator()(std::int64_t r) const {
    CountOnly emit;
    counts[r] = walk.walk(r, emit);
  }
};

struct WriteSample {
  SamplesView out;
  const float* direction;
  std::int32_t first;
  float step;
  ADVECT_HD void operator()(int k, float t, const float* unit) const {
    const std::int64_t s = first + k;
    out.t[s] = t;
    out.dt[s] = step;
    for (int a = 0; a < 3; ++a) {
      out.positions[3 * s + a] = unit[a];
      out.directions[3 * s + a] = direction[a];
    }
  }
};

struct WriteSamples {
  RayWalk walk;
  SamplesView out;
  ADVECT_HD void operator()(std::int64_t r) const {
    WriteSample emit{out, walk.rays.directions + 3 * r, out.offsets[r], walk.options.step};
    walk.walk(r, emit);
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void OccupancyKernels<B>::cell_points(int resolution, std::uint64_t seed, float* points) {
  const std::int64_t cells = std::int64_t(resolution) * resolution * resolution;
  detail::parallel_for(cells, CellPoints{resolution, seed, points},
                       detail::kMinParallelLightIterations);
}

template <Backend B>
double OccupancyKernels<B>::fold(float* density, const float* sigma, std::int64_t cells,
                                 float decay) {
  return detail::transform_reduce(cells, 0.0, SumDouble{}, FoldDensity{density, sigma, decay},
                                  detail::kMinParallelLightIterations);
}

template <Backend B>
void OccupancyKernels<B>::threshold(const float* density, std::int64_t cells, float level,
                                    std::uint8_t* occupied) {
  detail::parallel_for(cells, Threshold{density, level, occupied},
                       detail::kMinParallelLightIterations);
}

template <Backend B>
std::int64_t OccupancyKernels<B>::count_occupied(const std::uint8_t* occupied, std::int64_t cells) {
  return detail::transform_reduce(cells, std::int64_t(0), SumInt{}, IsOccupied{occupied},
                                  detail::kMinParallelLightIterations);
}

template <Backend B>
void OccupancyKernels<B>::count_samples(const GridView& grid, const RaysView& rays,
                                        const MarchOptions& options, std::int32_t* counts) {
  detail::parallel_for(rays.rays, CountSamples{RayWalk{grid, rays, options}, counts}, 64);
}

template <Backend B>
void OccupancyKernels<B>::scan(const std::int32_t* counts, std::int32_t* offsets, std::int64_t n) {
  detail::exclusive_scan(counts, offsets, n);
}

template <Backend B>
void OccupancyKernels<B>::write_samples(const GridView& grid, const RaysView& rays,
                                        const MarchOptions& options, const SamplesView& out) {
  detail::parallel_for(rays.rays, WriteSamples{RayWalk{grid, rays, options}, out}, 64);
}

template struct OccupancyKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::radiance
