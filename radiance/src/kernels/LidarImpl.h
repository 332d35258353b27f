// One body for LidarKernels on both backends: one thread per ray, samples in order.
#pragma once

#include <cmath>

#include "advect/engine/ParallelFor.h"
#include "kernels/LidarKernels.h"
#include "kernels/RandomHash.h"

namespace advect::radiance {
inline namespace ADVECT_BACKEND {

struct DrawLidar {
  LidarView view;
  std::uint64_t seed;
  LidarBatch out;
  ADVECT_HD void operator()(std::int64_t r) const {
    std::int64_t i = std::int64_t(uniform01(seed, std::uint64_t(r)) * float(view.rays));
    if (i >= view.rays) i = view.rays - 1;
    for (int a = 0; a < 3; ++a) {
      out.origins[3 * r + a] = view.origins[3 * i + a];
      out.directions[3 * r + a] = view.directions[3 * i + a];
    }
    out.ranges[r] = view.ranges[i];
    if (out.times != nullptr && view.times != nullptr) out.times[r] = view.times[i];
  }
};

struct AddLidarSums {
  ADVECT_HD LidarSums operator()(const LidarSums& a, const LidarSums& b) const {
    return {a.depth + b.depth, a.sight + b.sight};
  }
};

// L = sum_k f_k(w_k) + g(depth) has d L / d sigma_k = dt_k (e_k T_{k+1} - sum_{j>k} e_j w_j) +
// g' dt_k (t_k T_{k+1} - sum_{j>k} w_j t_j) with e_k = f_k'(w_k), as VolumeRendering's backward
// with e in place of the colour: a forward pass for the sums, a second for the gradient.
struct LidarRayTerms {
  PackedSamples samples;
  const float* sigma;
  const float* ranges;
  LidarTerms terms;
  float* d_sigma;
  float* d_sample_rgb;

  // f_k' at weight w, and f_k itself into `value`.
  ADVECT_HD float sight_slope(float w, float t, float dt, float range, float& value) const {
    const float eps = terms.epsilon;
    if (t < range - eps) {
      value = w * w;
      return 2.0f * w;
    }
    if (t < range + eps) {
      const float s = eps / 3.0f, x = (t - range) / s;
      const float target = dt * expf(-0.5f * x * x) / (2.5066282746f * s);
      value = (w - target) * (w - target);
      return 2.0f * (w - target);
    }
    value = 0.0f;
    return 0.0f;
  }

  ADVECT_HD LidarSums operator()(std::int64_t r) const {
    const std::int32_t first = samples.offsets[r], last = samples.offsets[r + 1];
    const float range = ranges[r];
    float transmittance = 1.0f, depth = 0.0f, total = 0.0f, sight = 0.0f, value;
    for (std::int32_t k = first; k < last; ++k) {
      const float survive = expf(-sigma[k] * samples.dt[k]);
      const float w = transmittance * (1.0f - survive);
      total += w * sight_slope(w, samples.t[k], samples.dt[k], range, value);
      sight += value;
      depth += w * samples.t[k];
      transmittance *= survive;
    }
    // The depth clamped at R, as EmerNeRF's normalisation clamps it: no gradient beyond.
    const float error = (fminf(depth, terms.max_range) - range) / terms.max_range;
    const float d_depth =
        depth < terms.max_range ? terms.depth_scale * 2.0f * error / terms.max_range : 0.0f;
    transmittance = 1.0f;
    float front = 0.0f, front_depth = 0.0f;
    for (std::int32_t k = first; k < last; ++k) {
      const float survive = expf(-sigma[k] * samples.dt[k]);
      const float w = transmittance * (1.0f - survive);
      const float after = transmittance * survive;
      const float e = terms.sight_scale * sight_slope(w, samples.t[k], samples.dt[k], range, value);
      front += w * e;
      front_depth += w * samples.t[k];
      const float d = e * after - (terms.sight_scale * total - front) +
                      d_depth * (samples.t[k] * after - (depth - front_depth));
      d_sigma[k] = samples.dt[k] * d;
      for (int c = 0; c < 3; ++c) d_sample_rgb[3 * k + c] = 0.0f;
      transmittance = after;
    }
    return {double(error) * double(error), double(sight)};
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void LidarKernels<B>::draw(const LidarView& view, std::int64_t rays, std::uint64_t seed,
                           const LidarBatch& out) {
  detail::parallel_for(rays, DrawLidar{view, seed, out});
}

template <Backend B>
LidarSums LidarKernels<B>::terms(const PackedSamples& samples, const float* sigma,
                                 const float* ranges, const LidarTerms& terms, float* d_sigma,
                                 float* d_sample_rgb) {
  return detail::transform_reduce(
      samples.rays, LidarSums{}, AddLidarSums{},
      LidarRayTerms{samples, sigma, ranges, terms, d_sigma, d_sample_rgb});
}

template struct LidarKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::radiance
