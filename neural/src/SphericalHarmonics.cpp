#include "advect/neural/SphericalHarmonics.h"

#include "advect/engine/Dispatch.h"
#include "kernels/SphericalHarmonicsKernels.h"

namespace advect::neural {

void encode_spherical_harmonics(const float* directions, std::int64_t n, float* out,
                                std::int64_t out_stride, const Device& device) {
  with_backend(device, [&](auto backend) {
    SphericalHarmonicsKernels<backend>::encode(directions, n, out, out_stride);
  });
}

}  // namespace advect::neural
