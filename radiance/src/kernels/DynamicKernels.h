// The kernel family that joins the dynamic field's branches (DynamicField.h, docs/kernels.md).
#pragma once

#include <cstdint>

#include "advect/engine/HostDevice.h"

namespace advect::radiance {

// What warping a sample along its flow needs: u per sample, the box's inverse size (flows are in
// world units, positions in box units) and the normalised time between frames.
struct WarpSettings {
  const float* noise;  // n
  float inverse_extent[3];
  float frame_time;
};

template <Backend B>
struct DynamicKernels {
  // rows (n x 4) = (positions (n x 3), times (n)).
  static void space_time(const float* positions, const float* times, std::int64_t n, float* rows);
  // noise[i] = U(0, 1) from (seed, i), or 1 without a seed.
  static void noise(const std::uint64_t* seed, std::int64_t n, float* noise);
  // Rows [0, n) of `warped` (2n x 4): x + u f_fwd at t + u dt; rows [n, 2n): x + u f_bwd at
  // t - u dt; times clamped to [0, 1]. flow: n x 6.
  static void warp(const float* positions, const float* times, const float* flow,
                   const WarpSettings& settings, std::int64_t n, float* warped);
  // d_flow (n x 6, overwritten) from dL/d warped rows (2n x 4): u d_x / extent per axis.
  static void warp_backward(const float* d_warped, const WarpSettings& settings, std::int64_t n,
                            float* d_flow);
  // The velocity motion (VelocityMotion.h), 2n states (box units): rows [0, n) carried forward in
  // time, [n, 2n) backward. rows (2n x 4) = (state, t +- s u dt clamped to [0, 1]).
  static void travel_rows(const float* states, const float* times, const WarpSettings& settings,
                          float s, std::int64_t n, float* rows);
  // slope (2n x 3) = +-u v / extent for v (2n x 3, world units per frame): d state / ds. Linear
  // and diagonal in v, so it is also its own backward.
  static void travel_slope(const float* velocity, const WarpSettings& settings, std::int64_t n,
                           float* slope);
  // flow (n x 6, world units) = (end - start) x extent: the forward, then the backward part.
  static void displacement(const float* start, const float* end, const WarpSettings& settings,
                           std::int64_t n, float* flow);
  // out (n x width) = (rows [0, n) + rows [n, 2n) / 2 + rows [2n, 3n) / 2) / 2 of `rows`.
  static void aggregate(const float* rows, std::int64_t n, int width, float* out);
  // d_rows (3n x width) for d_out (n x width) of aggregate.
  static void aggregate_backward(const float* d_out, std::int64_t n, int width, float* d_rows);
  // sigma = static + dynamic; rgb = (static * rgb_s + dynamic * rgb_d) / (sigma + 1e-6) with
  // branch_rgb rows [0, n) static, [n, 2n) dynamic.
  static void blend(const float* static_sigma, const float* dynamic_sigma, const float* branch_rgb,
                    std::int64_t n, float* sigma, float* rgb);
  // The blend's backward: d_static (n), d_dynamic (n; plus d_dynamic_sigma where given) and
  // d_branch_rgb (2n x 3).
  static void blend_backward(const float* static_sigma, const float* dynamic_sigma,
                             const float* branch_rgb, const float* d_sigma, const float* d_rgb,
                             const float* d_dynamic_sigma, std::int64_t n, float* d_static,
                             float* d_dynamic, float* d_branch_rgb);
  // EmerNeRF's cycle loss, weight * (|f_fwd + g_bwd|^2 + |f_bwd + g_fwd|^2) / (2 * 3n), f the
  // flow at the samples (n x 6, held fixed), g the flow at the warped rows (2n x 6: rows [0, n)
  // at x + u f_fwd, whose backward part is g_bwd; rows [n, 2n) at x + u f_bwd). Writes dL/d g
  // (2n x 6) and returns the loss.
  static double cycle(const float* flow, const float* warped_flow, std::int64_t n, float weight,
                      float* d_warped_flow);
  // EmerNeRF's entropy regulariser of the split: per sample s = clamp((sigma_d / (sigma_s +
  // sigma_d + 1e-7))^skewness, 1e-6, 1 - 1e-6), H = -s ln s - (1 - s) ln(1 - s), the loss
  // weight * mean H. Adds its gradient in the field's backward convention (DynamicField::
  // backward): dL/d sigma_s to d_sigma and dL/d sigma_d - dL/d sigma_s to d_dynamic_sigma (n
  // each; nothing where the clamp holds). Returns the loss.
  static double split_entropy(const float* static_sigma, const float* dynamic_sigma, std::int64_t n,
                              float weight, float skewness, float* d_sigma, float* d_dynamic_sigma);
  // Per sample, for compositing: share (n x 3) = the dynamic branch's share of the density in
  // every channel; moved (n x 3) = share * forward flow (flow n x 6, or null: zero).
  static void dynamic_share(const float* static_sigma, const float* dynamic_sigma,
                            const float* flow, std::int64_t n, float* share, float* moved);
  // y[i] += x[i]; and x[i] = value.
  static void add(const float* x, std::int64_t n, float* y);
  static void fill(float* x, std::int64_t n, float value);
  // out[k] = values[r] for every sample k of ray r (offsets: rays + 1).
  static void per_sample(const std::int32_t* offsets, const float* values, std::int64_t rays,
                         float* out);
};

}  // namespace advect::radiance
