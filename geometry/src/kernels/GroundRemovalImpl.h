// One body for GroundKernels on both backends (GroundRemovalCPU.cpp / GroundRemovalCUDA.cu).
#pragma once

#include <cmath>

#include "advect/engine/ParallelFor.h"
#include "advect/geometry/GroundRemoval.h"
#include "kernels/GroundKernels.h"

namespace advect::geometry {
inline namespace ADVECT_BACKEND {

struct PlaneBand {
  double plane[4];
  float distance;
  ADVECT_HD double height(const float* p) const {
    return plane[0] * p[0] + plane[1] * p[1] + plane[2] * p[2] + plane[3];
  }
  ADVECT_HD bool inside(const float* p) const { return fabs(height(p)) <= double(distance); }
};

struct BandCounts {
  std::int64_t inside, below;
};

struct CountInBand {
  const float* points;
  PlaneBand band;
  ADVECT_HD BandCounts operator()(std::int64_t i) const {
    const double h = band.height(points + 3 * i);
    return {fabs(h) <= double(band.distance) ? 1 : 0, h < -double(band.distance) ? 1 : 0};
  }
};

struct AddCounts {
  ADVECT_HD BandCounts operator()(const BandCounts& a, const BandCounts& b) const {
    return {a.inside + b.inside, a.below + b.below};
  }
};

struct MarkInBand {
  const float* points;
  PlaneBand band;
  std::uint8_t* mask;
  ADVECT_HD void operator()(std::int64_t i) const { mask[i] = band.inside(points + 3 * i) ? 1 : 0; }
};

inline PlaneBand make_band(const std::array<double, 4>& plane, float distance) {
  return {{plane[0], plane[1], plane[2], plane[3]}, distance};
}

}  // namespace ADVECT_BACKEND

template <Backend B>
std::array<std::int64_t, 2> GroundKernels<B>::count_inliers(const float* points, std::int64_t n,
                                                            const std::array<double, 4>& plane,
                                                            float distance) {
  const BandCounts counts = detail::transform_reduce(
      n, BandCounts{0, 0}, AddCounts{}, CountInBand{points, make_band(plane, distance)});
  return {counts.inside, counts.below};
}

template <Backend B>
void GroundKernels<B>::mark(const float* points, std::int64_t n, const std::array<double, 4>& plane,
                            float distance, std::uint8_t* mask) {
  detail::parallel_for(n, MarkInBand{points, make_band(plane, distance), mask});
}

template struct GroundKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::geometry
