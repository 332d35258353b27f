// One body for TrainingKernels on both backends.
#pragma once

#include "advect/engine/ParallelFor.h"
#include "kernels/RandomHash.h"
#include "kernels/TrainingKernels.h"

namespace advect::radiance {
inline namespace ADVECT_BACKEND {

struct DrawRays {
  ImagesView images;
  std::uint64_t seed;
  TrainingRays out;
  ADVECT_HD void operator()(std::int64_t r) const {
    const std::uint64_t base = 6 * std::uint64_t(r);
    auto pick = [&](int k, std::int64_t range) {
      const std::int64_t value = std::int64_t(uniform01(seed, base + k) * float(range));
      return value < range ? value : range - 1;
    };
    const std::int64_t image = pick(0, images.images);
    const std::int64_t x = pick(1, images.width), y = pick(2, images.height);
    const PinholeCamera& camera = images.cameras[image];
    if (out.times && images.times) out.times[r] = images.times[image];
    // Pixel centres, as the test renders use: jitter would blur what the rays learn.
    camera.ray(float(x) + 0.5f, float(y) + 0.5f, out.origins + 3 * r, out.directions + 3 * r);
    const float* rgba =
        images.rgba + ((image * images.height + y) * std::int64_t(images.width) + x) * 4;
    for (int c = 0; c < 3; ++c) {
      const float background = uniform01(seed, base + 3 + c);
      out.background[3 * r + c] = background;
      out.target[3 * r + c] = rgba[c] * rgba[3] + background * (1.0f - rgba[3]);
    }
  }
};

struct SquaredError {
  const float* rgb;
  const float* target;
  float scale;
  float* d_rgb;
  ADVECT_HD double operator()(std::int64_t r) const {
    double sum = 0.0;
    for (int c = 0; c < 3; ++c) {
      const float e = rgb[3 * r + c] - target[3 * r + c];
      d_rgb[3 * r + c] = scale * e;
      sum += double(e) * double(e);
    }
    return sum;
  }
};

struct AddDouble {
  ADVECT_HD double operator()(double a, double b) const { return a + b; }
};

struct CameraRays {
  PinholeCamera camera;
  std::int64_t first;
  float *origins, *directions;
  ADVECT_HD void operator()(std::int64_t i) const {
    const std::int64_t pixel = first + i;
    const float u = float(pixel % camera.width) + 0.5f, v = float(pixel / camera.width) + 0.5f;
    camera.ray(u, v, origins + 3 * i, directions + 3 * i);
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void TrainingKernels<B>::draw_rays(const ImagesView& images, std::int64_t rays, std::uint64_t seed,
                                   const TrainingRays& out) {
  detail::parallel_for(rays, DrawRays{images, seed, out});
}

template <Backend B>
double TrainingKernels<B>::squared_error(const float* rgb, const float* target, std::int64_t rays,
                                         float* d_rgb) {
  const float scale = 2.0f / (3.0f * float(rays));
  return detail::transform_reduce(rays, 0.0, AddDouble{}, SquaredError{rgb, target, scale, d_rgb});
}

template <Backend B>
void TrainingKernels<B>::camera_rays(const PinholeCamera& camera, std::int64_t first,
                                     std::int64_t count, float* origins, float* directions) {
  detail::parallel_for(count, CameraRays{camera, first, origins, directions});
}

template struct TrainingKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::radiance
