// One body for DynamicKernels on both backends.
#pragma once

#include <cmath>

#include "advect/engine/ParallelFor.h"
#include "kernels/DynamicKernels.h"
#include "kernels/RandomHash.h"

namespace advect::radiance {
inline namespace ADVECT_BACKEND {

ADVECT_HD inline float clamp01(float v) {
  return v < 0.0f ? 0.0f : (v > 1.0f ? 1.0f : v);
}

struct SpaceTime {
  const float* positions;
  const float* times;
  float* rows;
  ADVECT_HD void operator()(std::int64_t i) const {
    for (int a = 0; a < 3; ++a) rows[4 * i + a] = positions[3 * i + a];
    rows[4 * i + 3] = times[i];
  }
};

struct Noise {
  std::uint64_t seed;
  bool random;
  float* noise;
  ADVECT_HD void operator()(std::int64_t i) const {
    noise[i] = random ? uniform01(seed, std::uint64_t(i)) : 1.0f;
  }
};

struct Warp {
  const float* positions;
  const float* times;
  const float* flow;
  WarpSettings settings;
  std::int64_t n;
  float* warped;
  ADVECT_HD void operator()(std::int64_t i) const {
    const float u = settings.noise[i];
    for (int side = 0; side < 2; ++side) {  // 0: forward in time, 1: backward
      float* row = warped + 4 * (i + side * n);
      for (int a = 0; a < 3; ++a) {
        row[a] = positions[3 * i + a] + u * flow[6 * i + 3 * side + a] * settings.inverse_extent[a];
      }
      const float step = u * settings.frame_time;
      row[3] = clamp01(side == 0 ? times[i] + step : times[i] - step);
    }
  }
};

struct WarpBackward {
  const float* d_warped;
  WarpSettings settings;
  std::int64_t n;
  float* d_flow;
  ADVECT_HD void operator()(std::int64_t i) const {
    const float u = settings.noise[i];
    for (int side = 0; side < 2; ++side) {
      const float* d_row = d_warped + 4 * (i + side * n);
      for (int a = 0; a < 3; ++a) {
        d_flow[6 * i + 3 * side + a] = u * d_row[a] * settings.inverse_extent[a];
      }
    }
  }
};

struct TravelRows {
  const float* states;
  const float* times;
  WarpSettings settings;
  float s;
  std::int64_t n;
  float* rows;
  ADVECT_HD void operator()(std::int64_t k) const {
    const std::int64_t i = k < n ? k : k - n;
    const float step = s * settings.noise[i] * settings.frame_time;
    for (int a = 0; a < 3; ++a) rows[4 * k + a] = states[3 * k + a];
    rows[4 * k + 3] = clamp01(k < n ? times[i] + step : times[i] - step);
  }
};

struct TravelSlope {
  const float* velocity;
  WarpSettings settings;
  std::int64_t n;
  float* slope;
  ADVECT_HD void operator()(std::int64_t k) const {
    const std::int64_t i = k < n ? k : k - n;
    const float scale = k < n ? settings.noise[i] : -settings.noise[i];
    for (int a = 0; a < 3; ++a) {
      slope[3 * k + a] = scale * velocity[3 * k + a] * settings.inverse_extent[a];
    }
  }
};

struct Displacement {
  const float* start;
  const float* end;
  WarpSettings settings;
  std::int64_t n;
  float* flow;
  ADVECT_HD void operator()(std::int64_t i) const {
    for (int side = 0; side < 2; ++side) {
      for (int a = 0; a < 3; ++a) {
        flow[6 * i + 3 * side + a] =
            (end[3 * (i + side * n) + a] - start[3 * i + a]) / settings.inverse_extent[a];
      }
    }
  }
};

struct Aggregate {
  const float* rows;
  std::int64_t n;
  int width;
  float* out;
  ADVECT_HD void operator()(std::int64_t i) const {
    for (int k = 0; k < width; ++k) {
      const float here = rows[i * width + k], next = rows[(i + n) * width + k],
                  previous = rows[(i + 2 * n) * width + k];
      out[i * width + k] = 0.5f * here + 0.25f * (next + previous);
    }
  }
};

struct AggregateBackward {
  const float* d_out;
  std::int64_t n;
  int width;
  float* d_rows;
  ADVECT_HD void operator()(std::int64_t i) const {
    for (int k = 0; k < width; ++k) {
      const float d = d_out[i * width + k];
      d_rows[i * width + k] = 0.5f * d;
      d_rows[(i + n) * width + k] = 0.25f * d;
      d_rows[(i + 2 * n) * width + k] = 0.25f * d;
    }
  }
};

constexpr float kBlendEpsilon = 1e-6f;  // EmerNeRF's, so that empty space blends to 0

struct Blend {
  const float* static_sigma;
  const float* dynamic_sigma;
  const float* branch_rgb;
  std::int64_t n;
  float* sigma;
  float* rgb;
  ADVECT_HD void operator()(std::int64_t i) const {
    const float s = static_sigma[i], d = dynamic_sigma[i], total = s + d;
    const float inverse = 1.0f / (total + kBlendEpsilon);
    sigma[i] = total;
    for (int c = 0; c < 3; ++c) {
      rgb[3 * i + c] = (s * branch_rgb[3 * i + c] + d * branch_rgb[3 * (i + n) + c]) * inverse;
    }
  }
};

struct BlendBackward {
  const float* static_sigma;
  const float* dynamic_sigma;
  const float* branch_rgb;
  const float* d_sigma;
  const float* d_rgb;
  const float* d_dynamic_sigma;
  std::int64_t n;
  float *d_static, *d_dynamic, *d_branch_rgb;
  ADVECT_HD void operator()(std::int64_t i) const {
    const float s = static_sigma[i], d = dynamic_sigma[i];
    const float inverse = 1.0f / (s + d + kBlendEpsilon);
    float to_static = d_sigma[i], to_dynamic = d_sigma[i];
    for (int c = 0; c < 3; ++c) {
      const float a = branch_rgb[3 * i + c], b = branch_rgb[3 * (i + n) + c];
      const float blended = (s * a + d * b) * inverse, g = d_rgb[3 * i + c];
      to_static += g * (a - blended) * inverse;
      to_dynamic += g * (b - blended) * inverse;
      d_branch_rgb[3 * i + c] = g * s * inverse;
      d_branch_rgb[3 * (i + n) + c] = g * d * inverse;
    }
    d_static[i] = to_static;
    d_dynamic[i] = to_dynamic + (d_dynamic_sigma ? d_dynamic_sigma[i] : 0.0f);
  }
};

struct Cycle {
  const float* flow;
  const float* warped_flow;
  std::int64_t n;
  float scale;  // weight / (3n): dL/dg = scale (f + g)
  float* d_warped_flow;
  ADVECT_HD double operator()(std::int64_t i) const {
    double sum = 0.0;
    for (int a = 0; a < 6; ++a) {
      d_warped_flow[6 * i + a] = 0.0f;
      d_warped_flow[6 * (i + n) + a] = 0.0f;
    }
    for (int a = 0; a < 3; ++a) {
      // Forward flow here, backward flow predicted where it leads; and the mirror pair.
      const float e_forward = flow[6 * i + a] + warped_flow[6 * i + 3 + a];
      const float e_backward = flow[6 * i + 3 + a] + warped_flow[6 * (i + n) + a];
      d_warped_flow[6 * i + 3 + a] = scale * e_forward;
      d_warped_flow[6 * (i + n) + a] = scale * e_backward;
      sum += double(e_forward) * e_forward + double(e_backward) * e_backward;
    }
    return sum;
  }
};

struct SplitEntropy {
  const float* static_sigma;
  const float* dynamic_sigma;
  float scale;  // weight / n
  float skewness;
  float* d_sigma;
  float* d_dynamic_sigma;
  ADVECT_HD double operator()(std::int64_t i) const {
    constexpr float kRatioEpsilon = 1e-7f, kClamp = 1e-6f;  // EmerNeRF's
    const float st = static_sigma[i], dy = dynamic_sigma[i];
    const float total = st + dy + kRatioEpsilon;
    const float ratio = dy / total;
    const float raw = ratio > 0.0f ? powf(ratio, skewness) : 0.0f;
    const float s = raw < kClamp ? kClamp : (raw > 1.0f - kClamp ? 1.0f - kClamp : raw);
    if (s == raw) {
      // dH/ds = ln((1 - s) / s); ds/d ratio = skewness s / ratio; d ratio / d sigma_d =
      // (sigma_s + eps) / total^2, d ratio / d sigma_s = -sigma_d / total^2.
      const float d_ratio = scale * logf((1.0f - s) / s) * skewness * s / ratio;
      const float to_static = -d_ratio * dy / (total * total);
      const float to_dynamic = d_ratio * (st + kRatioEpsilon) / (total * total);
      d_sigma[i] += to_static;
      d_dynamic_sigma[i] += to_dynamic - to_static;
    }
    return -double(s) * log(double(s)) - (1.0 - double(s)) * log(1.0 - double(s));
  }
};

struct AddSums {
  ADVECT_HD double operator()(double a, double b) const { return a + b; }
};

struct DynamicShare {
  const float* static_sigma;
  const float* dynamic_sigma;
  const float* flow;
  float* share;
  float* moved;
  ADVECT_HD void operator()(std::int64_t i) const {
    const float d = dynamic_sigma[i];
    const float part = d / (static_sigma[i] + d + kBlendEpsilon);
    for (int a = 0; a < 3; ++a) {
      share[3 * i + a] = part;
      moved[3 * i + a] = flow ? part * flow[6 * i + a] : 0.0f;
    }
  }
};

struct Add {
  const float* x;
  float* y;
  ADVECT_HD void operator()(std::int64_t i) const { y[i] += x[i]; }
};

struct Fill {
  float* x;
  float value;
  ADVECT_HD void operator()(std::int64_t i) const { x[i] = value; }
};

struct PerSample {
  const std::int32_t* offsets;
  const float* values;
  float* out;
  ADVECT_HD void operator()(std::int64_t r) const {
    for (std::int32_t k = offsets[r]; k < offsets[r + 1]; ++k) out[k] = values[r];
  }
};

}  // namespace ADVECT_BACKEND

template <Backend B>
void DynamicKernels<B>::space_time(const float* positions, const float* times, std::int64_t n,
                                   float* rows) {
  detail::parallel_for(n, SpaceTime{positions, times, rows}, detail::kMinParallelLightIterations);
}

template <Backend B>
void DynamicKernels<B>::noise(const std::uint64_t* seed, std::int64_t n, float* noise) {
  detail::parallel_for(n, Noise{seed ? *seed : 0, seed != nullptr, noise},
                       detail::kMinParallelLightIterations);
}

template <Backend B>
void DynamicKernels<B>::warp(const float* positions, const float* times, const float* flow,
                             const WarpSettings& settings, std::int64_t n, float* warped) {
  detail::parallel_for(n, Warp{positions, times, flow, settings, n, warped},
                       detail::kMinParallelLightIterations);
}

template <Backend B>
void DynamicKernels<B>::warp_backward(const float* d_warped, const WarpSettings& settings,
                                      std::int64_t n, float* d_flow) {
  detail::parallel_for(n, WarpBackward{d_warped, settings, n, d_flow},
                       detail::kMinParallelLightIterations);
}

template <Backend B>
void DynamicKernels<B>::travel_rows(const float* states, const float* times,
                                    const WarpSettings& settings, float s, std::int64_t n,
                                    float* rows) {
  detail::parallel_for(2 * n, TravelRows{states, times, settings, s, n, rows},
                       detail::kMinParallelLightIterations);
}

template <Backend B>
void DynamicKernels<B>::travel_slope(const float* velocity, const WarpSettings& settings,
                                     std::int64_t n, float* slope) {
  detail::parallel_for(2 * n, TravelSlope{velocity, settings, n, slope},
                       detail::kMinParallelLightIterations);
}

template <Backend B>
void DynamicKernels<B>::displacement(const float* start, const float* end,
                                     const WarpSettings& settings, std::int64_t n, float* flow) {
  detail::parallel_for(n, Displacement{start, end, settings, n, flow},
                       detail::kMinParallelLightIterations);
}

template <Backend B>
void DynamicKernels<B>::aggregate(const float* rows, std::int64_t n, int width, float* out) {
  detail::parallel_for(n, Aggregate{rows, n, width, out}, detail::kMinParallelLightIterations);
}

template <Backend B>
void DynamicKernels<B>::aggregate_backward(const float* d_out, std::int64_t n, int width,
                                           float* d_rows) {
  detail::parallel_for(n, AggregateBackward{d_out, n, width, d_rows},
                       detail::kMinParallelLightIterations);
}

template <Backend B>
void DynamicKernels<B>::blend(const float* static_sigma, const float* dynamic_sigma,
                              const float* branch_rgb, std::int64_t n, float* sigma, float* rgb) {
  detail::parallel_for(n, Blend{static_sigma, dynamic_sigma, branch_rgb, n, sigma, rgb},
                       detail::kMinParallelLightIterations);
}

template <Backend B>
void DynamicKernels<B>::blend_backward(const float* static_sigma, const float* dynamic_sigma,
                                       const float* branch_rgb, const float* d_sigma,
                                       const float* d_rgb, const float* d_dynamic_sigma,
                                       std::int64_t n, float* d_static, float* d_dynamic,
                                       float* d_branch_rgb) {
  detail::parallel_for(n,
                       BlendBackward{static_sigma, dynamic_sigma, branch_rgb, d_sigma, d_rgb,
                                     d_dynamic_sigma, n, d_static, d_dynamic, d_branch_rgb},
                       detail::kMinParallelLightIterations);
}

template <Backend B>
double DynamicKernels<B>::cycle(const float* flow, const float* warped_flow, std::int64_t n,
                                float weight, float* d_warped_flow) {
  if (n <= 0) return 0.0;
  const float scale = weight / float(3 * n);
  const double sum = detail::transform_reduce(n, 0.0, AddSums{},
                                              Cycle{flow, warped_flow, n, scale, d_warped_flow});
  return 0.5 * double(scale) * sum;
}

template <Backend B>
double DynamicKernels<B>::split_entropy(const float* static_sigma, const float* dynamic_sigma,
                                        std::int64_t n, float weight, float skewness,
                                        float* d_sigma, float* d_dynamic_sigma) {
  if (n <= 0) return 0.0;
  const float scale = weight / float(n);
  const double sum = detail::transform_reduce(
      n, 0.0, AddSums{},
      SplitEntropy{static_sigma, dynamic_sigma, scale, skewness, d_sigma, d_dynamic_sigma});
  return double(scale) * sum;
}

template <Backend B>
void DynamicKernels<B>::per_sample(const std::int32_t* offsets, const float* values,
                                   std::int64_t rays, float* out) {
  detail::parallel_for(rays, PerSample{offsets, values, out}, detail::kMinParallelLightIterations);
}

template <Backend B>
void DynamicKernels<B>::dynamic_share(const float* static_sigma, const float* dynamic_sigma,
                                      const float* flow, std::int64_t n, float* share,
                                      float* moved) {
  detail::parallel_for(n, DynamicShare{static_sigma, dynamic_sigma, flow, share, moved},
                       detail::kMinParallelLightIterations);
}

template <Backend B>
void DynamicKernels<B>::add(const float* x, std::int64_t n, float* y) {
  detail::parallel_for(n, Add{x, y}, detail::kMinParallelLightIterations);
}

template <Backend B>
void DynamicKernels<B>::fill(float* x, std::int64_t n, float value) {
  detail::parallel_for(n, Fill{x, value}, detail::kMinParallelLightIterations);
}

template struct DynamicKernels<ADVECT_THIS_BACKEND>;

}  // namespace advect::radiance
