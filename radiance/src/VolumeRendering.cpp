#include "advect/radiance/VolumeRendering.h"

#include "advect/engine/Dispatch.h"
#include "kernels/VolumeRenderingKernels.h"

namespace advect::radiance {

void composite(const PackedSamples& samples, const float* sigma, const float* rgb,
               const float* background, const RenderedRays& out, const Device& device) {
  with_backend(device, [&](auto backend) {
    VolumeRenderingKernels<backend>::composite(samples, sigma, rgb, background, out);
  });
}

void composite_backward(const PackedSamples& samples, const float* sigma, const float* rgb,
                        const RenderedRays& rendered, const float* d_rgb, const float* d_depth,
                        const float* d_opacity, float* d_sigma, float* d_sample_rgb,
                        const Device& device) {
  const CompositeGradients gradients{d_rgb, d_depth, d_opacity, d_sigma, d_sample_rgb};
  with_backend(device, [&](auto backend) {
    VolumeRenderingKernels<backend>::backward(samples, sigma, rgb, rendered, gradients);
  });
}

}  // namespace advect::radiance
