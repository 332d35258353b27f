// One body for VolumeRenderingKernels on both backends: one thread per ray, samples in order.
#pragma once

#include <cmath>

#include "advect/engine/ParallelFor.h"
#include "kernels/VolumeRenderingKernels.h"

namespace advect::radiance {
inline namespace ADVECT_BACKEND {

struct CompositeRay {
  PackedSamples samples;
  const float* sigma;
  const float* rgb;
  const float* background;
  RenderedRays out;
  ADVECT_HD void operator()(std::int64_t r) const {
    float transmittance = 1.0f, colour[3] = {0, 0, 0}, depth = 0.0f;
    for (std::int32_t k = samples.offsets[r]; k < samples.offsets[r + 1]; ++k) {
      const float survive = expf(-sigma[k] * samples.dt[k]);
      const float weight = transmittance * (1.0f - survive);
      for (int c = 0; c < 3; ++c) colour[c] += weight * rgb[3 * k + c];
      depth += weight * samples.t[k];
      transmittance *= survive;
    }
    for (int c = 0; c < 3; ++c)
      out.rgb[3 * r + c] = colour[c] + transmittance * background[3 * r + c];
    if (out.depth != nullptr) out.depth[r] = depth;
    if (out.opacity != nullptr) out.opacity[r] = 1.0f - transmittance;
  }
};

// With w_k = T_k alpha_k: d w_k / d sigma_k = dt_k T_{k+1}, d w_j / d sigma_k = -dt_k w_j for
// j > k and d T_end / d sigma_k = -dt_k T_end. So d colour / d sigma_k =
// dt_k (T_{k+1} c_k - (colour - sum_{j<=k} w_j c_j)), the second term being what lies behind
// sample k (background included); the same for depth (c = t, no background) and
// d opacity / d sigma_k = dt_k T_end.
struct CompositeRayBackward {
  PackedSamples samples;
  const float* sigma;
  const float* rgb;
  RenderedRays rendered;
  CompositeGradients g;
  ADVECT_HD void operator()(std::int64_t r) const {
    const float* total = rendered.rgb + 3 * r;
    const float total_depth = rendered.depth != nullptr ? rendered.depth[r] : 0.0f;
    const float d_depth = g.d_depth != nullptr ? g.d_depth[r] : 0.0f;
    const float d_opacity = g.d_opacity != nullptr ? g.d_opacity[r] : 0.0f;
    const float* d_rgb = g.d_rgb + 3 * r;
    const std::int32_t first = samples.offsets[r], last = samples.offsets[r + 1];
    // T_end from the samples themselves, so that the pass needs no stored opacity.
    float optical = 0.0f;
    for (std::int32_t k = first; k < last; ++k) optical += sigma[k] * samples.dt[k];
    const float end = expf(-optical);
    float transmittance = 1.0f, front[3] = {0, 0, 0}, front_depth = 0.0f;
    for (std::int32_t k = first; k < last; ++k) {
      const float survive = expf(-sigma[k] * samples.dt[k]);
      const float weight = transmittance * (1.0f - survive);
      const float after = transmittance * survive;
      float d_sigma = 0.0f;
      for (int c = 0; c < 3; ++c) {
        front[c] += weight * rgb[3 * k + c];
        d_sigma += d_rgb[c] * (after * rgb[3 * k + c] - (total[c] - front[c]));
        g.d_sample_rgb[3 * k + c] = weight * d_rgb[c];
      }
      front_depth += weight * samples.t[k];
      d_sigma += d_depth * (after * samples.t[k] - (total_depth - front_depth));
      d_sigma += d_opacity * end;
      g.d_sigma[k] = samples.dt[k] * d_sigma;
      transmittance = after;
    }
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void VolumeRenderingKernels<B>::composite(const PackedSamples& samples, const float* sigma,
                                          const float* rgb, const float* background,
                                          const RenderedRays& out) {
  detail::parallel_for(samples.rays, CompositeRay{samples, sigma, rgb, background, out});
}

template <Backend B>
void VolumeRenderingKernels<B>::backward(const PackedSamples& samples, const float* sigma,
                                         const float* rgb, const RenderedRays& rendered,
                                         const CompositeGradients& gradients) {
  detail::parallel_for(samples.rays,
                       CompositeRayBackward{samples, sigma, rgb, rendered, gradients});
}

template struct VolumeRenderingKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::radiance
