// Emission-absorption volume rendering (Max 1995, as in NeRF) of packed ray samples, with its
// backward pass, on either device.
//
// Ray r owns samples [offsets[r], offsets[r + 1]) in order along the ray; sample k sits at
// distance t[k] (its interval's midpoint) and covers dt[k]. With alpha_k = 1 - exp(-sigma_k dt_k)
// and transmittance T_k = prod_{j<k} (1 - alpha_j), a ray's
//   colour  = sum_k T_k alpha_k c_k + T_end * background,
//   depth   = sum_k T_k alpha_k t_k  (the expected termination distance, background excluded),
//   opacity = sum_k T_k alpha_k = 1 - T_end.
// Layouts (float32): sigma n, colours n x 3, background rays x 3, outputs rays x 3, rays, rays.
#pragma once

#include <cstdint>

#include "advect/engine/Device.h"

namespace advect::radiance {

struct PackedSamples {
  const std::int32_t* offsets;  // rays + 1
  const float* t;               // n
  const float* dt;              // n
  std::int64_t rays;
};

struct RenderedRays {
  float* rgb;      // rays x 3
  float* depth;    // rays (may be null)
  float* opacity;  // rays (may be null)
};

void composite(const PackedSamples& samples, const float* sigma, const float* rgb,
               const float* background, const RenderedRays& out, const Device& device);

// Given dL/d colour (rays x 3) and, optionally, dL/d depth and dL/d opacity (rays each, null for
// none) of the rays `composite` rendered into `rendered` (with depth when d_depth is given),
// writes dL/d sigma (n) and dL/d c (n x 3). The background enters through the rendered colour.
void composite_backward(const PackedSamples& samples, const float* sigma, const float* rgb,
                        const RenderedRays& rendered, const float* d_rgb, const float* d_depth,
                        const float* d_opacity, float* d_sigma, float* d_sample_rgb,
                        const Device& device);

}  // namespace advect::radiance
