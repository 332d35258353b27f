// The kernel family of lidar supervision (LidarSupervision.h; docs/kernels.md).
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/radiance/VolumeRendering.h"

namespace advect::radiance {

struct LidarView {
  const float *origins, *directions;  // rays x 3, device memory
  const float* ranges;                // rays
  const float* times;                 // rays, or null
  std::int64_t rays;
};

struct LidarBatch {
  float *origins, *directions;  // rays x 3
  float* ranges;                // rays
  float* times;                 // rays, or null (filled where the view has times)
};

// Per lidar batch: d depth_term / d depth = depth_scale * 2 (depth - d) / R for every ray
// (mean over the batch folded into the scale) and likewise for the line of sight.
struct LidarTerms {
  float depth_scale, sight_scale;
  float max_range, epsilon;
};

struct LidarSums {
  double depth = 0, sight = 0;  // unweighted sums over rays of the two terms
};

template <Backend B>
struct LidarKernels {
  // Batch ray r: a random ray of the view (seed).
  static void draw(const LidarView& view, std::int64_t rays, std::uint64_t seed,
                   const LidarBatch& out);
  // For the batch's rays (samples.rays of them, ranges alongside), writes the terms' gradient with
  // respect to each sample's density into d_sigma and zeros into d_sample_rgb (n x 3; the lidar
  // sees no colour); returns the terms' sums.
  static LidarSums terms(const PackedSamples& samples, const float* sigma, const float* ranges,
                         const LidarTerms& terms, float* d_sigma, float* d_sample_rgb);
};

}  // namespace advect::radiance
