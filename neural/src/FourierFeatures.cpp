#include "advect/neural/FourierFeatures.h"

#include <stdexcept>

#include "advect/engine/Dispatch.h"
#include "kernels/FourierFeatureKernels.h"

namespace advect::neural {

namespace {
void validate(const FourierFeatures& encoding) {
  // 2^(L-1) pi x in float32 loses all phase accuracy long before L = 24.
  if (encoding.input_dims < 1 || encoding.levels < 0 || encoding.levels > 24) {
    throw std::invalid_argument("Fourier features need input_dims >= 1 and 0 <= levels <= 24");
  }
}
}  // namespace

void encode(const FourierFeatures& encoding, const float* x, float* y, std::int64_t n,
            const Device& device) {
  validate(encoding);
  with_backend(device,
               [&](auto backend) { FourierFeatureKernels<backend>::encode(encoding, x, y, n); });
}

void encode_backward(const FourierFeatures& encoding, const float* x, const float* dy, float* dx,
                     std::int64_t n, const Device& device) {
  validate(encoding);
  with_backend(device, [&](auto backend) {
    FourierFeatureKernels<backend>::backward(encoding, x, dy, dx, n);
  });
}

}  // namespace advect::neural
