// The kernel family behind advect/radiance/VolumeRendering.h (docs/kernels.md).
#pragma once

#include "advect/engine/HostDevice.h"
#include "advect/radiance/VolumeRendering.h"

namespace advect::radiance {

struct CompositeGradients {
  const float* d_rgb;
  const float* d_depth;
  const float* d_opacity;
  float* d_sigma;
  float* d_sample_rgb;
};

template <Backend B>
struct VolumeRenderingKernels {
  static void composite(const PackedSamples& samples, const float* sigma, const float* rgb,
                        const float* background, const RenderedRays& out);
  static void backward(const PackedSamples& samples, const float* sigma, const float* rgb,
                       const RenderedRays& rendered, const CompositeGradients& gradients);
};

}  // namespace advect::radiance
