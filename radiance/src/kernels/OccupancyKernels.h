// The kernel family behind advect/radiance/OccupancyGrid.h (docs/kernels.md).
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/radiance/OccupancyGrid.h"

namespace advect::radiance {

struct GridView {
  SceneBox box;
  int resolution;
  const std::uint8_t* occupied;
};

struct RaysView {
  const float* origins;
  const float* directions;
  std::int64_t rays;
};

struct SamplesView {
  const std::int32_t* offsets;
  float *t, *dt, *positions, *directions;
};

template <Backend B>
struct OccupancyKernels {
  static void cell_points(int resolution, std::uint64_t seed, float* points);
  // Decays and folds in sigma; returns the sum of the new densities.
  static double fold(float* density, const float* sigma, std::int64_t cells, float decay);
  static void threshold(const float* density, std::int64_t cells, float level,
                        std::uint8_t* occupied);
  static std::int64_t count_occupied(const std::uint8_t* occupied, std::int64_t cells);
  static void count_samples(const GridView& grid, const RaysView& rays, const MarchOptions& options,
                            std::int32_t* counts);
  static void scan(const std::int32_t* counts, std::int32_t* offsets, std::int64_t n);
  static void write_samples(const GridView& grid, const RaysView& rays, const MarchOptions& options,
                            const SamplesView& out);
};

}  // namespace advect::radiance
