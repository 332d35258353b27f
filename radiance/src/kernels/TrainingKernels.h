// The kernel family of radiance-field training and rendering (docs/kernels.md).
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"
#include "advect/radiance/Camera.h"

namespace advect::radiance {

struct ImagesView {
  const PinholeCamera* cameras;  // device memory
  const float* rgba;             // images x height x width x 4
  const float* times;            // images, or null
  std::int64_t images;
  int width, height;
};

struct TrainingRays {
  float *origins, *directions, *target, *background;  // rays x 3 each
  float* times = nullptr;                             // rays: the image's time (with times)
};

template <Backend B>
struct TrainingKernels {
  // Ray r: through the centre of a random pixel of a random image (seed), with a random
  // background colour and the pixel composited over it (and the image's time where both
  // images.times and out.times are given).
  static void draw_rays(const ImagesView& images, std::int64_t rays, std::uint64_t seed,
                        const TrainingRays& out);
  // d_rgb = 2 (rgb - target) / (3 rays); returns the sum of squared errors.
  static double squared_error(const float* rgb, const float* target, std::int64_t rays,
                              float* d_rgb);
  // The rays through the centres of pixels [first, first + count) (row-major) of `camera`.
  static void camera_rays(const PinholeCamera& camera, std::int64_t first, std::int64_t count,
                          float* origins, float* directions);
};

}  // namespace advect::radiance
